package org.pdsynth.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options scripts/pds starts Java with, seen by a stand-in {@code java} on the PATH that
 * writes its arguments to a file (the launcher runs on a copy of the script beside a stand-in
 * build, so no build and no JVM are needed).
 *
 * <p>The heap starts small and its young generation is bounded ({@code -Xms64m
 * -XX:MaxNewSize=32m}): with G1's defaults (young generation up to 60% of an initial heap of 1/64
 * of the RAM, ~230 MB on a 24 GB machine) the ~0.4 MB of small DJL objects every network
 * evaluation leaves behind kept reaching heap pages not used before, and VmRSS grew ~210 MiB over
 * the first ~450 steps of a synthesis (bench/README.md, "Memory").
 */
class PdsLauncherTest {
    @TempDir
    Path tmp;

    @Test
    void boundsTheYoungGenerationAndLetsTheUserOverride() throws Exception {
        List<String> plain = launch(null);
        assertEquals(List.of("-Xms64m", "-XX:MaxNewSize=32m"), plain.subList(0, 2), "first JVM options: " + plain);
        assertTrue(plain.contains("-Xmx8g"), "default heap: " + plain);
        assertEquals("org.pdsynth.fiji.cli.PdsCli", plain.get(plain.size() - 2), plain.toString());
        assertEquals("info", plain.get(plain.size() - 1));

        // the user's options come after the bound, so the JVM takes theirs (the last occurrence wins)
        List<String> user = launch("-Xmx2g -XX:MaxNewSize=128m");
        assertTrue(user.indexOf("-XX:MaxNewSize=128m") > user.indexOf("-XX:MaxNewSize=32m"), user.toString());
        assertTrue(user.contains("-Xmx2g") && !user.contains("-Xmx8g"), user.toString());
    }

    /** Runs a copy of scripts/pds with {@code PDS_JAVA_OPTS} (null: unset) and returns the stand-in java's arguments. */
    private List<String> launch(String javaOpts) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory(tmp, "tree");
        Files.createDirectories(root.resolve("scripts"));
        Files.createDirectories(root.resolve("target/lib"));
        Files.createFile(root.resolve("target/pds-fiji-0.0.0.jar"));
        Path script = root.resolve("scripts/pds");
        Files.copy(Path.of("scripts/pds"), script);
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path args = root.resolve("java-args.txt");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + args + "'\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "info").redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("HOME", root.toString());
        if (javaOpts == null) pb.environment().remove("PDS_JAVA_OPTS");
        else pb.environment().put("PDS_JAVA_OPTS", javaOpts);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return Files.readAllLines(args);
    }
}
