package org.pdsynth.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo model's extraction publishes each file once: when another process (an array job's
 * sibling task) has put a file in place already, it is kept, not replaced (a replaced file that
 * another node has open reads as a stale NFS handle there).
 */
class DefaultModelPublishTest {
    @TempDir
    Path dir;

    @Test
    void publishesAMissingFileAndKeepsOneAlreadyThere() throws Exception {
        Path target = dir.resolve("ema.params");
        Path tmp = Files.writeString(dir.resolve(".ema.params123.part"), "first");
        DefaultModel.publish(tmp, target);
        assertEquals("first", Files.readString(target));
        assertFalse(Files.exists(tmp), "the temporary is gone");

        Object key = Files.readAttributes(target, BasicFileAttributes.class).fileKey();
        Path late = Files.writeString(dir.resolve(".ema.params456.part"), "second");
        DefaultModel.publish(late, target);
        assertEquals("first", Files.readString(target), "the file already there is kept");
        assertEquals(key, Files.readAttributes(target, BasicFileAttributes.class).fileKey(), "same inode: not replaced");
        assertFalse(Files.exists(late), "the late temporary is deleted");
    }
}
