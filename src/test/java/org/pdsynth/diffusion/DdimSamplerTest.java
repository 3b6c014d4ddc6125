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

class DdimSamplerTest extends SingleThreadTests {
    static DiffusionModel model;
    static float[] source;

    @BeforeAll
    static void trainBriefly() {
        model = DiffusionModel.create(TinySetup.config());
        PairSource data = TinySetup.pairs(2);
        source = data.get(0).fmri();
        try (Trainer t = new Trainer(model, data, TinySetup.settings(5))) {
            for (int i = 0; i < 5; i++) t.step();
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void stepsAreSpacedToIncludeBothEnds() {
        assertArrayEquals(new int[] {0, 333, 666, 999}, DdimSampler.timesteps(1000, 4));
        int[] tau = DdimSampler.timesteps(1000, 50);
        assertEquals(50, tau.length);
        assertEquals(0, tau[0]);
        assertEquals(999, tau[49]);
        for (int i = 1; i < 50; i++) assertTrue(tau[i] > tau[i - 1]);
        assertArrayEquals(new int[] {999}, DdimSampler.timesteps(1000, 1));
    }

    @Test
    void etaZeroIsDeterministicForASeed() {
        DdimSampler s = new DdimSampler(model);
        DdimSampler.Options o = DdimSampler.Options.defaults().withSteps(5).withSeed(11);
        float[] a = s.sample(source, 0, 1, o, null, null).mean();
        float[] b = s.sample(source, 0, 1, o, null, null).mean();
        assertArrayEquals(a, b, 0f);
        assertFalse(Arrays.equals(a, s.sample(source, 0, 1, o.withSeed(12), null, null).mean()), "another seed, another sample");
        for (float v : a) assertTrue(v >= -1 && v <= 1, "final x0_hat is clipped to [-1, 1]: " + v);
        assertFalse(Arrays.equals(a, s.sample(source, 0, 1, o.withEta(1), null, null).mean()), "eta = 1 adds noise");
    }

    @Test
    void severalSamplesGiveMeanAndStdOfTheSingleSamples() {
        DdimSampler s = new DdimSampler(model);
        DdimSampler.Options o = DdimSampler.Options.defaults().withSteps(3).withSeed(100).withEta(0.5);
        float[] s0 = s.sample(source, 1, 3, o, null, null).mean();
        float[] s1 = s.sample(source, 1, 3, o.withSeed(101), null, null).mean();
        float[] s2 = s.sample(source, 1, 3, o.withSeed(102), null, null).mean();
        DdimSampler.Result r = s.sample(source, 1, 3, o.withSamples(3), null, null);
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
        DdimSampler s = new DdimSampler(model);
        List<String> seen = new ArrayList<>();
        s.sample(source, 0, 0, DdimSampler.Options.defaults().withSteps(4).withSamples(2), (d, t) -> seen.add(d + "/" + t), null);
        assertEquals(List.of("1/8", "2/8", "3/8", "4/8", "5/8", "6/8", "7/8", "8/8"), seen);
        int[] calls = {0};
        assertThrows(CancellationException.class, () -> s.sample(source, 0, 0, DdimSampler.Options.defaults().withSteps(10),
                null, () -> ++calls[0] > 3));
        assertEquals(4, calls[0]);
    }

    @Test
    void guidanceMixesConditionalAndNullPredictions() {
        DdimSampler s = new DdimSampler(model);
        DdimSampler.Options o = DdimSampler.Options.defaults().withSteps(2).withSeed(3);
        float[] plain = s.sample(source, 0, 2, o, null, null).mean();
        assertArrayEquals(plain, s.sample(source, 0, 2, o.withGuidance(1.0), null, null).mean(), 0f);
        float[] guided = s.sample(source, 0, 2, o.withGuidance(3.0), null, null).mean();
        assertFalse(Arrays.equals(plain, guided));
        // w = 0 is the unconditional (null-label) prediction; guided runs use a batch of two,
        // whose convolutions round differently from a batch of one (about 1e-4 here)
        assertArrayEquals(s.sample(source, 0, 3, o, null, null).mean(), s.sample(source, 0, 2, o.withGuidance(0.0), null, null).mean(), 1e-3f);
    }

    @Test
    void wrongSourceSizeIsAClearError() {
        DdimSampler s = new DdimSampler(model);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.sample(new float[3 * 512], 0, 0, DdimSampler.Options.defaults(), null, null));
        assertEquals("source volume has 1536 values, the model needs 1024 = 2 channels x 8x8x8 (Z, Y, X)", e.getMessage());
    }
}
