package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Direction;

/** {@link Sampling} around a briefly trained tiny network: determinism, M samples, progress, cancel, guidance. */
class SamplingTest extends SingleThreadTests {
    static DiffusionModel model;
    static float[] source;

    @BeforeAll
    static void trainBriefly() {
        model = DiffusionModel.create(TinySetup.config());
        PairSource data = TinySetup.pairs(2);
        source = data.get(0).fmri();
        try (Trainer<DenoiserObjective> t = Trainer.denoiser(model, data, TinySetup.settings(5))) {
            for (int i = 0; i < 5; i++) t.step();
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Sampling.Result run(Direction d, Diagnosis y, Sampling.Options o) {
        return Sampling.sample(model, null, source, d, y, o, null, null);
    }

    static Sampling.Builder opts(int steps, long seed) {
        return Sampling.Options.builder().optSteps(steps).optSeed(seed);
    }

    @Test
    void stepsAreSpacedToIncludeBothEnds() {
        assertArrayEquals(new int[] {0, 333, 666, 999}, Sampler.timesteps(1000, 4));
        int[] tau = Sampler.timesteps(1000, 50);
        assertEquals(50, tau.length);
        assertEquals(0, tau[0]);
        assertEquals(999, tau[49]);
        for (int i = 1; i < 50; i++) assertTrue(tau[i] > tau[i - 1]);
        assertArrayEquals(new int[] {999}, Sampler.timesteps(1000, 1));
    }

    @Test
    void etaZeroIsDeterministicForASeed() {
        Sampling.Options o = opts(5, 11).build();
        float[] a = run(Direction.FMRI_TO_DWI, Diagnosis.MCI, o).mean();
        float[] b = run(Direction.FMRI_TO_DWI, Diagnosis.MCI, o).mean();
        assertArrayEquals(a, b, 0f);
        assertFalse(Arrays.equals(a, run(Direction.FMRI_TO_DWI, Diagnosis.MCI, o.withSeed(12)).mean()), "another seed, another sample");
        for (float v : a) assertTrue(v >= -1 && v <= 1, "final x0_hat is clipped to [-1, 1]: " + v);
        assertFalse(Arrays.equals(a, run(Direction.FMRI_TO_DWI, Diagnosis.MCI, o.toBuilder().optEta(1).build()).mean()), "eta = 1 adds noise");
    }

    @Test
    void severalSamplesGiveMeanAndStdOfTheSingleSamples() {
        Sampling.Options o = opts(3, 100).optEta(0.5).build();
        float[] s0 = run(Direction.DWI_TO_FMRI, null, o).mean();
        float[] s1 = run(Direction.DWI_TO_FMRI, null, o.withSeed(101)).mean();
        float[] s2 = run(Direction.DWI_TO_FMRI, null, o.withSeed(102)).mean();
        Sampling.Result r = run(Direction.DWI_TO_FMRI, null, o.withSamples(3));
        assertEquals(3, r.samples());
        for (int v = 0; v < s0.length; v++) {
            double mean = (s0[v] + s1[v] + s2[v]) / 3.0;
            double var = ((s0[v] - mean) * (s0[v] - mean) + (s1[v] - mean) * (s1[v] - mean) + (s2[v] - mean) * (s2[v] - mean)) / 2;
            assertEquals(mean, r.mean()[v], 1e-6);
            assertEquals(Math.sqrt(var), r.std()[v], 1e-5);
        }
    }

    @Test
    void progressAndCancellation() {
        List<String> seen = new ArrayList<>();
        Sampling.sample(model, null, source, Direction.FMRI_TO_DWI, Diagnosis.NC, opts(4, 0).optSamples(2).build(),
                (d, t) -> seen.add(d + "/" + t), null);
        assertEquals(List.of("1/8", "2/8", "3/8", "4/8", "5/8", "6/8", "7/8", "8/8"), seen);
        assertEquals(8, Sampling.evaluations(model, opts(4, 0).optSamples(2).build()));
        int[] calls = {0};
        assertThrows(CancellationException.class, () -> Sampling.sample(model, null, source, Direction.FMRI_TO_DWI, Diagnosis.NC,
                opts(10, 0).build(), null, () -> ++calls[0] > 3));
        assertEquals(4, calls[0]);
    }

    @Test
    void guidanceMixesConditionalAndNullPredictions() {
        Sampling.Options o = opts(2, 3).build();
        float[] plain = run(Direction.FMRI_TO_DWI, Diagnosis.AD, o).mean();
        assertArrayEquals(plain, run(Direction.FMRI_TO_DWI, Diagnosis.AD, o.toBuilder().optGuidanceScale(1.0).build()).mean(), 0f);
        float[] guided = run(Direction.FMRI_TO_DWI, Diagnosis.AD, o.toBuilder().optGuidanceScale(3.0).build()).mean();
        assertFalse(Arrays.equals(plain, guided));
        // w = 0 is the unconditional (null-label) prediction; guided runs use a batch of two,
        // whose convolutions round differently from a batch of one (about 1e-4 here)
        assertArrayEquals(run(Direction.FMRI_TO_DWI, null, o).mean(),
                run(Direction.FMRI_TO_DWI, Diagnosis.AD, o.toBuilder().optGuidanceScale(0.0).build()).mean(), 1e-3f);
    }

    @Test
    void wrongSourceSizeAndBadOptionsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sampling.sample(model, null, new float[3 * 512], Direction.FMRI_TO_DWI, null, Sampling.Options.defaults(), null, null));
        assertEquals("source volume has 1536 values, the model needs 1024 = 2 channels x 8x8x8 (Z, Y, X)", e.getMessage());
        assertEquals("sampling steps must be >= 1, got 0", assertThrows(IllegalArgumentException.class, () -> opts(0, 0).build()).getMessage());
        assertEquals("unknown sampler 'euler' (known: ddim, dpm++2m)",
                assertThrows(IllegalArgumentException.class, () -> opts(5, 0).optSampler("euler").build()).getMessage());
    }
}
