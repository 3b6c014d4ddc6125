package org.pdsynth.fiji.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.workflow.Synthesizer;
import org.pdsynth.workflow.TinyCohort;
import org.pdsynth.workflow.TinyModel;
import org.pdsynth.fiji.ImagePlusConverter;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.VolumeArrays;
import org.scijava.script.ScriptModule;

/** scripts/Plugins/PDS/Synthesize_Subject.groovy through SciJava's ScriptService, on a tiny trained model. */
class SynthesizeSubjectScriptTest {
    static final String SCRIPT = "scripts/Plugins/PDS/Synthesize_Subject.groovy";

    @TempDir
    Path dir;

    @Test
    void synthesizesDwiFromFmriLikeTheCoreWithTheSameOptions() throws Exception {
        Path model = TinyModel.folder();
        TinyCohort.write(dir.resolve("cohort"), 1);
        Path fmri = dir.resolve("cohort/sub-01/fmri.nii.gz");
        Path out = dir.resolve("out/dwi_synth.nii.gz");
        Map<String, Object> in = new HashMap<>();
        in.put("input", fmri.toFile());
        in.put("from", "fmri");
        in.put("model", model.toFile());
        in.put("output", out.toFile());
        in.put("steps", 3);
        in.put("samples", 2);
        in.put("seed", 7L);
        ScriptModule m;
        try (ScriptHarness h = new ScriptHarness()) {
            m = h.run(SCRIPT, in);
        }
        // the NIfTI: N = 4 channels on the input's grid, its std beside it (samples = 2)
        NiftiImage written = NiftiReader.read(out);
        assertArrayEquals(new long[] {20, 18, 16, 4}, written.header().shape());
        assertArrayEquals(TinyCohort.NATIVE.geometry().affine(), written.geometry().affine(), 1e-4);
        assertTrue(Files.isRegularFile(dir.resolve("out/dwi_synth_std.nii.gz")));

        // the same request through the core API gives the same voxels: the script passed steps, samples and seed on
        float[] core;
        try (Synthesizer s = Synthesizer.load(model)) {
            Synthesizer.Output o = s.synthesize(new Synthesizer.Request(Modality.FMRI, fmri, null, null, null, null, null,
                    Sampling.Options.defaults().withSteps(3).withSamples(2).withSeed(7)), null, null);
            core = VolumeArrays.copyOf(o.mean().data());
        }
        float[] file = VolumeArrays.copyOf(written.data());
        assertArrayEquals(core, file, 1e-6f);
        assertTrue(max(file) > 0, "a non-empty synthesis");

        // the hyperstack output: channels = N, slices = z, calibrated in mm, same voxels as the file
        ImagePlus imp = (ImagePlus) m.getOutput("synthetic");
        assertEquals("synthetic-dwi", imp.getTitle());
        assertEquals(20, imp.getWidth());
        assertEquals(18, imp.getHeight());
        assertEquals(4, imp.getNChannels());
        assertEquals(16, imp.getNSlices());
        assertEquals(1, imp.getNFrames());
        assertEquals(5.0, imp.getCalibration().pixelWidth, 1e-9);
        assertEquals("mm", imp.getCalibration().getUnit());
        assertArrayEquals(file, VolumeArrays.copyOf(ImagePlusConverter.toImg(imp)), 0f);
        String report = (String) m.getOutput("report");
        assertTrue(report.contains("synthesized dwi from fmri") && report.contains(out.toString()), report);
    }

    @Test
    void synthesizesFmriFromDwiAndRefusesADwiWithoutGradients() throws Exception {
        Path model = TinyModel.folder();
        TinyCohort.write(dir.resolve("cohort"), 1);
        Path sub = dir.resolve("cohort/sub-01");
        Path out = dir.resolve("fmri_synth.nii");
        Map<String, Object> in = new HashMap<>();
        in.put("input", sub.resolve("dwi.nii.gz").toFile());
        in.put("from", "dwi");
        in.put("bval", sub.resolve("dwi.bval").toFile());
        in.put("bvec", sub.resolve("dwi.bvec").toFile());
        in.put("model", model.toFile());
        in.put("output", out.toFile());
        in.put("steps", 2);
        try (ScriptHarness h = new ScriptHarness()) {
            ScriptModule m = h.run(SCRIPT, in);
            assertEquals("synthetic-fmri", ((ImagePlus) m.getOutput("synthetic")).getTitle());
            assertArrayEquals(new long[] {20, 18, 16, 4}, NiftiReader.read(out).header().shape());
            assertFalse(Files.exists(dir.resolve("fmri_synth_std.nii")), "one sample: no std map");

            in.put("bval", null);
            in.put("output", dir.resolve("never.nii").toFile());
            ScriptHarness.ScriptFailure e = assertThrows(ScriptHarness.ScriptFailure.class, () -> h.run(SCRIPT, in));
            assertTrue(e.getMessage().contains("dwi.nii.gz: a DWI input needs its bval and bvec files"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("never.nii")));
        }
    }

    @Test
    void runsWithEveryOptionGivenButTheModelFolderUsingTheDefaultModel() throws Exception {
        // the one optional File left unset must not turn into a file chooser (headless: a silent cancel)
        TinyCohort.write(dir.resolve("cohort"), 1);
        Path sub = dir.resolve("cohort/sub-01");
        Path out = dir.resolve("fmri_synth.nii.gz");
        Map<String, Object> in = new HashMap<>();
        in.put("input", sub.resolve("dwi.nii.gz").toFile());
        in.put("from", "dwi");
        in.put("bval", sub.resolve("dwi.bval").toFile());
        in.put("bvec", sub.resolve("dwi.bvec").toFile());
        in.put("output", out.toFile());
        in.put("steps", 2);
        in.put("samples", 1);
        in.put("seed", 3L);
        String before = System.getProperty("pds.model");
        System.setProperty("pds.model", TinyModel.folder().toString());
        try (ScriptHarness h = new ScriptHarness()) {
            h.run(SCRIPT, in);
        } finally {
            if (before == null) System.clearProperty("pds.model");
            else System.setProperty("pds.model", before);
        }
        assertArrayEquals(new long[] {20, 18, 16, 4}, NiftiReader.read(out).header().shape());
    }

    private static float max(float[] a) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : a) m = Math.max(m, v);
        return m;
    }
}
