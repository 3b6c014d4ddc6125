package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Direction;

/** Residual mode: the diffusion learns s (x0 - mu(c)) over a regression prior and samples mu + r / s. */
class ResidualModeTest extends SingleThreadTests {
    @Test
    void pairsCarryThePriorAndTheScaleNormalisesTheResiduals() {
        PairSource data = TinySetup.pairs(3);
        try (DiffusionModel prior = DiffusionModel.create(TinySetup.config().with("regression", true));
             Trainer<DenoiserObjective> t = Trainer.denoiser(prior, data, TinySetup.settings(3))) {
            for (int i = 0; i < 3; i++) t.step();
            ResidualPairs rp = ResidualPairs.of(data, prior, 0);
            double sq = 0;
            long n = 0;
            for (int i = 0; i < rp.size(); i++) {
                TrainingPair p = rp.get(i);
                for (Direction d : Direction.values()) {
                    float[] mu = prior.predict(new float[p.source(d).length], p.source(d), 0, d, p.label());
                    float[] r = p.target(d);
                    for (int v = 0; v < mu.length; v++) {
                        float m = Math.max(-1f, Math.min(1f, mu[v]));
                        assertEquals(m, p.priorMean(d)[v], 0f);
                        assertEquals(rp.scale() * (p.clean(d)[v] - m), r[v], 1e-5);
                        sq += (p.clean(d)[v] - m) * (double) (p.clean(d)[v] - m);
                        n++;
                    }
                }
            }
            assertEquals(0.5 / Math.sqrt(sq / n), rp.scale(), 0.005 * rp.scale(), "s = 0.5 / rms(residual), 3 digits");
            assertEquals(rp.scale(), ResidualPairs.of(data, prior, rp.scale()).scale(), "a given scale is kept (validation pairs)");
        }
    }

    @Test
    void anUntrainedResidualModelSynthesizesExactlyThePriorsPrediction() {
        PairSource data = TinySetup.pairs(2);
        ModelConfig c = TinySetup.config().with("residual", true).with("residualScale", 3.0);
        float[] source = data.get(0).fmri();
        try (DiffusionModel prior = DiffusionModel.create(TinySetup.config().with("regression", true));
             Trainer<DenoiserObjective> t = Trainer.denoiser(prior, data, TinySetup.settings(2));
             DiffusionModel model = DiffusionModel.create(c)) {
            t.step();
            t.step();
            IllegalStateException none = assertThrows(IllegalStateException.class, () -> Sampling.sample(model, null, source,
                    Direction.FMRI_TO_DWI, null, Sampling.Options.defaults().withSteps(3), null, null));
            assertTrue(none.getMessage().contains("without its prior"), none.getMessage());
            model.setPrior(prior, false);
            // the output convolution starts at zero: x0_hat = 0 at every step, so r = 0 and the synthesis is mu(c)
            float[] mu = model.priorMean(source, Direction.FMRI_TO_DWI, Diagnosis.NC);
            for (String sampler : Samplers.names()) {
                float[] got = Sampling.sample(model, null, source, Direction.FMRI_TO_DWI, Diagnosis.NC,
                        Sampling.Options.builder().optSteps(4).optSampler(sampler).build(), null, null).mean();
                assertArrayEquals(mu, got, 1e-6f, sampler);
            }
            assertThrows(IllegalArgumentException.class, () -> DiffusionModel.create(TinySetup.config()).setPrior(prior, false),
                    "a model with residual off takes no prior");
        }
    }
}
