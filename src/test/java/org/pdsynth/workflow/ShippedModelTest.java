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
public class ShippedModelTest {
    @TempDir
    Path home;

    /** The shipped model extracted into {@code home}/.pds as on a fresh machine (user.home pointed there meanwhile). */
    public static Path extract(Path home) throws java.io.IOException {
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            return DefaultModel.resolve(null);
        } finally {
            System.setProperty("user.home", before);
        }
    }

    @Test
    void isSmallDescribesItsRecipeAndSynthesizesWithNoTraining() throws Exception {
        assertNotNull(DefaultModel.class.getResource(DefaultModel.RESOURCE + Checkpoint.EMA), "the build ships a demo model");
        Path folder = extract(home);
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

    /**
     * The quality promise: on phantom subjects of another seed than the model's training data, the
     * shipped model with the commands' default sampling ({@link Sampling.Options#recommended()}) beats the population template (the voxelwise
     * mean of other subjects of the same held-out cohort) inside the brain, in both directions.
     */
    @Test
    void beatsThePopulationTemplateOnHeldOutSubjectsInBothDirections() throws Exception {
        Path folder = extract(home);
        ModelFolder.Descriptor d = ModelFolder.readDescriptor(folder);
        long trainingSeed = d.training().getAsJsonObject("data").get("seed").getAsLong();
        long seed = trainingSeed + 4242;
        org.pdsynth.phantom.PhantomCohort.Result r = org.pdsynth.phantom.PhantomCohort.simulate(
                org.pdsynth.phantom.PhantomOptions.defaults(home.resolve("held-out")).withSubjects(4).withSeed(seed).withThreads(2), null, null);
        java.util.List<org.pdsynth.volume.Subject> subjects = org.pdsynth.volume.Cohort.read(r.manifest()).subjects();
        CohortPairs test = CohortPairs.align(subjects.subList(0, 1), d.aligner(), null, null);
        CohortPairs others = CohortPairs.align(subjects.subList(1, subjects.size()), d.aligner(), null, null);
        int[] zyx = test.gridZYX();
        org.pdsynth.diffusion.TrainingPair p = test.get(0);
        try (org.pdsynth.diffusion.DiffusionModel model = ModelFolder.loadModel(folder);
             org.pdsynth.diffusion.RefinerModel refiner = org.pdsynth.diffusion.RefinerModel.load(folder, model)) {
            for (org.pdsynth.volume.Direction dir : org.pdsynth.volume.Direction.values()) {
                Sampling.Options o = Sampling.Options.recommended();
                float[] synth = Sampling.sample(model, refiner, p.source(dir), dir, null, o, null, null).output(o);
                float[] truth = p.clean(dir), template = others.template(dir.target());
                float[] brain = new float[zyx[0] * zyx[1] * zyx[2]];
                for (int v = 0; v < brain.length; v++) brain[v] = truth[v] > -0.98f ? 1f : 0f;   // above the background (-1)
                var mask = VolumeArrays.wrap(brain, zyx[2], zyx[1], zyx[0]);   // x fastest
                double ps = psnrInBrain(truth, synth, zyx, test.channels(), mask), pt = psnrInBrain(truth, template, zyx, test.channels(), mask);
                System.out.printf(java.util.Locale.ROOT, "shipped model, held-out seed %d, %s: %.2f dB, template %.2f dB%n", seed, dir.label(), ps, pt);
                assertTrue(ps > pt + 0.5, dir.label() + ": synthesis " + ps + " dB vs template " + pt + " dB");
            }
        }
    }

    private static double psnrInBrain(float[] truth, float[] test, int[] zyx, int channels,
            net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.real.FloatType> mask) {
        return org.pdsynth.metrics.VolumeMetrics.compare(VolumeArrays.wrap(truth, zyx[2], zyx[1], zyx[0], channels),
                VolumeArrays.wrap(test, zyx[2], zyx[1], zyx[0], channels), mask).masked().psnr();
    }
}
