package org.pdsynth.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.model.Engines;
import org.pdsynth.workflow.TinyCohort;

/** {@code --device}: on a machine without CUDA, gpu is a one-line error (exit 1) and writes nothing; cpu runs. */
class DeviceOptionTest {
    @TempDir
    Path dir;

    @Test
    void gpuWithoutCudaIsOneLineExitOneAndCpuRuns() throws Exception {
        Assumptions.assumeTrue(Engines.pytorch().getGpuCount() == 0, "this machine has a CUDA GPU");
        Path csv = TinyCohort.write(dir.resolve("cohort"), 1);
        Path in = csv.getParent().resolve("sub-01").resolve("fmri.nii.gz");
        Path out = dir.resolve("dwi_synth.nii.gz");
        PdsCliTest.Result r = PdsCliTest.run("synthesize", "--from", "fmri", "--input", in.toString(), "--out", out.toString(),
                "--steps", "2", "--device", "gpu");
        assertEquals(1, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("pds synthesize: device gpu: PyTorch sees 0 CUDA GPU(s)") && last.contains("docs/gpu.md"), r.err());
        assertTrue(Files.notExists(out), "nothing written");
        r = PdsCliTest.run("synthesize", "--from", "fmri", "--input", in.toString(), "--out", out.toString(), "--steps", "2", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out));
        assertEquals(2, PdsCliTest.run("synthesize", "--from", "fmri", "--input", in.toString(), "--device", "tpu").code(),
                "a device outside the choices is bad usage");
    }
}
