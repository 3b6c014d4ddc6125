package org.pdsynth.fiji;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.nio.file.Path;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.NiftiWriter;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * In a full SciJava context (with a UI service, as headless Fiji has) a command whose only unset
 * input is one optional File must still run: SciJava's FilePreprocessor would otherwise ask for
 * that file with a chooser, which headless cancels silently.
 */
class HeadlessFileInputTest {
    @TempDir
    Path dir;

    @Test
    void metricsRunsWithItsOptionalMaskUnset() throws Exception {
        Img<FloatType> a = ArrayImgs.floats(12, 12, 12), b = ArrayImgs.floats(12, 12, 12);
        int i = 0;
        var cb = b.cursor();
        for (FloatType t : a) {
            t.set(i % 7);
            cb.next().set(i++ % 5);
        }
        File ref = dir.resolve("ref.nii").toFile(), tst = dir.resolve("tst.nii").toFile();
        NiftiWriter.write(ref.toPath(), a, Geometry.ofVoxelSize(1, 1, 1));
        NiftiWriter.write(tst.toPath(), b, Geometry.ofVoxelSize(1, 1, 1));
        try (Context ctx = new Context()) {
            CommandModule m = ctx.service(CommandService.class).run(MetricsCommand.class, true, "reference", ref, "test", tst, "json", true).get();
            assertFalse(m.isCanceled(), "cancelled: " + m.getCancelReason());
            assertNotNull(m.getOutput("metrics"));
        }
    }
}
