package org.pdsynth.workflow;

import org.pdsynth.diffusion.Checkpoint;
import org.pdsynth.diffusion.Sampling;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.VolumeArrays;

/**
 * The demo model shipped in the jar (scripts/train-demo-model): small, self-describing (recipe,
 * data seed, validation against the template), extracted on first use and able to synthesize.
 */
class ShippedModelTest {
    @TempDir
    Path home;

    @Test
    void isSmallDescribesItsRecipeAndSynthesizesWithNoTraining() throws Exception {
        assertNotNull(DefaultModel.class.getResource(DefaultModel.RESOURCE + Checkpoint.EMA), "the build ships a demo model");
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        Path folder;
        try {
            folder = DefaultModel.resolve(null);
        } finally {
            System.setProperty("user.home", before);
        }
        assertTrue(folder.startsWith(home.resolve(".pds/models")), folder.toString());
        assertTrue(Files.size(folder.resolve(Checkpoint.EMA)) < 20L * 1024 * 1024, "weights below 20 MB");

        JsonObject t = ModelFolder.readDescriptor(folder).training();
        assertTrue(t.getAsJsonObject("data").has("seed"), "the phantom's seed is recorded");
        assertTrue(t.getAsJsonObject("settings").has("learningRate"), "the recipe's settings are recorded");
        for (String dir : new String[] {"fmri->dwi", "dwi->fmri"}) {
            JsonObject v = t.getAsJsonObject("stage2").getAsJsonObject("validation").getAsJsonObject(dir);
            assertTrue(v.get("subjects").getAsInt() >= 1 && Double.isFinite(v.get("psnr").getAsDouble())
                    && Double.isFinite(v.get("template_psnr").getAsDouble()), dir + ": " + v);
        }

        Path csv = TinyCohort.write(home.resolve("cohort"), 1);
        Path in = csv.getParent().resolve("sub-01");
        try (Synthesizer s = Synthesizer.load(folder)) {
            assertTrue(s.refines(), "stage 2 refiner shipped and on");
            Synthesizer.Output o = s.synthesize(new Synthesizer.Request(Modality.FMRI, in.resolve("fmri.nii.gz"), null, null, null, null,
                    null, Sampling.Options.defaults().withSteps(3)), null, null);
            assertArrayEquals(new long[] {20, 18, 16, 8}, o.mean().data().dimensionsAsLongArray(), "N = 8 channels on the input grid");
            for (float v : VolumeArrays.copyOf(o.mean().data())) assertTrue(Float.isFinite(v));
            assertEquals(Modality.DWI, o.target());
        }
    }
}
