package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdsynth.volume.Direction;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.model.PredictionType;

/** The one-step L1 regression baseline (config {@code regression}) and the prediction types' batches and sampling. */
class RegressionObjectiveTest {
    private static ModelConfig regression() {
        return TinySetup.config().with("regression", true);
    }

    @Test
    void batchesFeedZerosAtTZeroAndTargetTheCleanVolume() {
        try (DiffusionModel model = DiffusionModel.create(regression());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(2), TinySetup.settings(5))) {
            NoisedBatch b = trainer.objective().batchFor(0);
            for (float v : b.xt()) assertEquals(0f, v);
            for (int t : b.t()) assertEquals(0, t);
            int n = b.xt().length / b.batch();
            TrainingPair p = null;
            for (int i = 0; i < TinySetup.pairs(2).size(); i++) {
                TrainingPair q = TinySetup.pairs(2).get(i);
                float[] want = q.target(Direction.ofCode(b.direction()[0]));
                boolean same = true;
                for (int v = 0; v < n && same; v++) same = want[v] == b.target()[v];
                if (same) p = q;
            }
            assertTrue(p != null, "the first batch item's target is the clean target of one of the pairs");
        }
    }

    @Test
    void overfitsAFixedBatchAndSamplesInOnePass() {
        TrainSettings s = TinySetup.settings(1000).with("directions", "BOTH");
        try (DiffusionModel model = DiffusionModel.create(regression());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(1), s)) {
            float[] r = TinySetup.overfit(trainer, trainer.objective().batchFor(0), 300);
            assertTrue(r[1] <= r[0] / 10, "L1 " + r[0] + " -> " + r[1] + " after " + (int) r[2] + " steps");
            System.out.printf("regression overfit: L1 %.4f -> %.4f in %d steps%n", r[0], r[1], (int) r[2]);

            // sampling = one forward pass at x_t = 0, t = 0, clipped; the seed and step count do not matter
            TrainingPair p = TinySetup.pairs(1).get(0);
            int[] calls = {0};
            Sampling.Result a = Sampling.sample(model, null, p.source(Direction.FMRI_TO_DWI), Direction.FMRI_TO_DWI, null, Sampling.Options.defaults().withSteps(50).withSeed(1), (d, t) -> calls[0]++, null);
            Sampling.Result b = Sampling.sample(model, null, p.source(Direction.FMRI_TO_DWI), Direction.FMRI_TO_DWI, null, Sampling.Options.defaults().withSteps(3).withSeed(9), null, null);
            assertEquals(1, calls[0], "one network pass");
            assertArrayEquals(a.mean(), b.mean());
            float[] direct = model.predict(new float[p.source(Direction.FMRI_TO_DWI).length], p.source(Direction.FMRI_TO_DWI), 0, Direction.FMRI_TO_DWI, null);
            for (int v = 0; v < direct.length; v++) assertEquals(Math.max(-1f, Math.min(1f, direct[v])), a.mean()[v], 1e-6f);
        }
    }

    @Test
    void legacyObjectivesLoadAsPredictionTypesAndUnknownValuesAreOneLineErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TinySetup.config().with("objective", "gan"));
        assertTrue(e.getMessage().contains("'objective'") && e.getMessage().contains("gan"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TinySetup.config().with("predictionType", "score"));
        assertEquals("model config 'predictionType' must be epsilon, sample or v_prediction, got score", e.getMessage());
        // version-1 files: no key meant epsilon; x0 is the sample prediction; regression is its own mode
        assertEquals(PredictionType.EPSILON, ModelConfig.fromJson("{\"formatVersion\": 1}").prediction());
        assertEquals(PredictionType.SAMPLE, ModelConfig.fromJson("{\"formatVersion\": 1, \"objective\": \"x0\"}").prediction());
        ModelConfig r = ModelConfig.fromJson("{\"formatVersion\": 1, \"objective\": \"regression\"}");
        assertTrue(r.regression());
        assertEquals(ModelConfig.FORMAT_VERSION, r.formatVersion());
        assertEquals(PredictionType.SAMPLE, ModelConfig.fromJson("{}").prediction(), "version 2 default: sample (DESIGN 4.5)");
        assertEquals(r, ModelConfig.fromJson(r.toJson()), "written as version 2 and read back unchanged");
    }

    @Test
    void samplePredictionKeepsTheNoisyInputsTargetsTheCleanVolumeAndSamplesFromTheOutput() {
        ModelConfig x0 = TinySetup.config().withPrediction(PredictionType.SAMPLE);
        try (DiffusionModel model = DiffusionModel.create(x0);
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(2), TinySetup.settings(5));
             DiffusionModel epsModel = DiffusionModel.create(TinySetup.config().withPrediction(PredictionType.EPSILON));
             Trainer<DenoiserObjective> epsTrainer = Trainer.denoiser(epsModel, TinySetup.pairs(2), TinySetup.settings(5))) {
            NoisedBatch b = trainer.objective().batchFor(0), e = epsTrainer.objective().batchFor(0);
            assertArrayEquals(e.xt(), b.xt(), "same noisy inputs as the epsilon objective");
            assertArrayEquals(e.t(), b.t());
            // x_t = sqrt(ab) x0 + sqrt(1 - ab) eps: the x0 target and the eps of the same draw agree
            int n = b.xt().length / b.batch();
            double ab = model.schedule().alphaBar(b.t()[0]);
            for (int v = 0; v < n; v += 97)
                assertEquals(b.xt()[v], Math.sqrt(ab) * b.target()[v] + Math.sqrt(1 - ab) * e.target()[v], 1e-4);

            // one DDIM step (t = T-1 straight to x0): the result is the network's clipped output at the initial noise
            TrainingPair p = TinySetup.pairs(1).get(0);
            float[] c = p.source(Direction.DWI_TO_FMRI);
            Sampling.Result r = Sampling.sample(model, null, c, Direction.DWI_TO_FMRI, null, Sampling.Options.defaults().withSteps(1).withSeed(4), null, null);
            java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
            float[] xT = new float[c.length];
            for (int v = 0; v < xT.length; v++) xT[v] = (float) rng.nextGaussian();
            float[] out = model.predict(xT, c, x0.timesteps() - 1, Direction.DWI_TO_FMRI, null);
            for (int v = 0; v < out.length; v++) assertEquals(Math.max(-1f, Math.min(1f, out[v])), r.mean()[v], 1e-5f);
        }
    }
}
