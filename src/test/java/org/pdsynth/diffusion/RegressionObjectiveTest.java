package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdsynth.model.ModelConfig;

/** The one-step L1 regression baseline (config objective "regression"): its batches, training and sampling. */
class RegressionObjectiveTest {
    private static ModelConfig regression() {
        return TinySetup.config().with("objective", ModelConfig.REGRESSION);
    }

    @Test
    void batchesFeedZerosAtTZeroAndTargetTheCleanVolume() {
        try (DiffusionModel model = DiffusionModel.create(regression());
             Trainer trainer = new Trainer(model, TinySetup.pairs(2), TinySetup.settings(5))) {
            NoisedBatch b = trainer.batchFor(0);
            for (float v : b.xt()) assertEquals(0f, v);
            for (int t : b.t()) assertEquals(0, t);
            int n = b.xt().length / b.batch();
            TrainingPair p = null;
            for (int i = 0; i < TinySetup.pairs(2).size(); i++) {
                TrainingPair q = TinySetup.pairs(2).get(i);
                float[] want = q.target(b.direction()[0]);
                boolean same = true;
                for (int v = 0; v < n && same; v++) same = want[v] == b.eps()[v];
                if (same) p = q;
            }
            assertTrue(p != null, "the first batch item's 'eps' is the clean target of one of the pairs");
        }
    }

    @Test
    void overfitsAFixedBatchAndSamplesInOnePass() {
        TrainSettings s = TinySetup.settings(1000).with("directions", "BOTH");
        try (DiffusionModel model = DiffusionModel.create(regression());
             Trainer trainer = new Trainer(model, TinySetup.pairs(1), s)) {
            float[] r = TinySetup.overfit(trainer, trainer.batchFor(0), 300);
            assertTrue(r[1] <= r[0] / 10, "L1 " + r[0] + " -> " + r[1] + " after " + (int) r[2] + " steps");
            System.out.printf("regression overfit: L1 %.4f -> %.4f in %d steps%n", r[0], r[1], (int) r[2]);

            // sampling = one forward pass at x_t = 0, t = 0, clipped; the seed and step count do not matter
            TrainingPair p = TinySetup.pairs(1).get(0);
            int[] calls = {0};
            DdimSampler.Result a = new DdimSampler(model).sample(p.source(0), 0, ModelConfig.NULL_LABEL,
                    DdimSampler.Options.defaults().withSteps(50).withSeed(1), (d, t) -> calls[0]++, null);
            DdimSampler.Result b = new DdimSampler(model).sample(p.source(0), 0, ModelConfig.NULL_LABEL,
                    DdimSampler.Options.defaults().withSteps(3).withSeed(9), null, null);
            assertEquals(1, calls[0], "one network pass");
            assertArrayEquals(a.mean(), b.mean());
            float[] direct = model.predictNoise(new float[p.source(0).length], p.source(0), 0, 0, ModelConfig.NULL_LABEL);
            for (int v = 0; v < direct.length; v++) assertEquals(Math.max(-1f, Math.min(1f, direct[v])), a.mean()[v], 1e-6f);
        }
    }

    @Test
    void unknownObjectiveIsAOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TinySetup.config().with("objective", "gan"));
        assertTrue(e.getMessage().contains("'objective'") && e.getMessage().contains("gan"), e.getMessage());
        assertEquals(ModelConfig.EPSILON, ModelConfig.fromJson("{}").objective(), "configs written before the field load as epsilon");
    }
}
