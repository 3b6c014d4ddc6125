package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.pdsynth.metrics.Ssim;
import org.pdsynth.model.Engines;
import org.pdsynth.volume.VolumeArrays;

class DifferentiableSsimTest {
    // (Z, Y, X): odd and even sizes, all >= 11
    static final int NZ = 12, NY = 13, NX = 14;

    /** A smooth random field plus noise in about [-1, 1], flat (Z, Y, X), x fastest. */
    static float[] volume(long seed, double noise) {
        SplittableRandom r = new SplittableRandom(seed);
        double a = r.nextDouble(0.2, 0.6), b = r.nextDouble(0.2, 0.6), c = r.nextDouble(0.2, 0.6), ph = r.nextDouble(6);
        float[] v = new float[NZ * NY * NX];
        for (int z = 0; z < NZ; z++)
            for (int y = 0; y < NY; y++)
                for (int x = 0; x < NX; x++)
                    v[(z * NY + y) * NX + x] = (float) (0.7 * Math.sin(a * x + b * y + c * z + ph) + noise * r.nextGaussian());
        return v;
    }

    @Test
    void equalsTheReferenceSsimWithin1e4() {
        float[][] as = {volume(1, 0.05), volume(2, 0.3), volume(3, 0.0)};
        float[][] bs = {volume(1, 0.2), volume(5, 0.3), volume(3, 0.0)};
        // B = 3 samples x N = 2 channels: channel 1 is a scaled copy, so channels differ
        int v = NZ * NY * NX;
        float[] a = new float[3 * 2 * v], b = new float[3 * 2 * v];
        for (int s = 0; s < 3; s++) {
            System.arraycopy(as[s], 0, a, (2 * s) * v, v);
            System.arraycopy(bs[s], 0, b, (2 * s) * v, v);
            for (int i = 0; i < v; i++) {
                a[(2 * s + 1) * v + i] = 0.5f * as[s][i] - 0.2f;
                b[(2 * s + 1) * v + i] = 0.9f * bs[s][i];
            }
        }
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            Shape shape = new Shape(3, 2, NZ, NY, NX);
            for (double range : new double[] {2.0, 1.0}) {
                float[] got = DifferentiableSsim.perChannel(m.create(a, shape), m.create(b, shape), range).toFloatArray();
                for (int k = 0; k < 6; k++) {
                    float[] va = Arrays.copyOfRange(a, k * v, (k + 1) * v), vb = Arrays.copyOfRange(b, k * v, (k + 1) * v);
                    double ref = Ssim.ssim3d(VolumeArrays.wrap(va, NX, NY, NZ), VolumeArrays.wrap(vb, NX, NY, NZ), range);
                    assertEquals(ref, got[k], 1e-4, "sample/channel " + k + " range " + range);
                }
                float[] perSample = DifferentiableSsim.perSample(m.create(a, shape), m.create(b, shape), range).toFloatArray();
                for (int s = 0; s < 3; s++) assertEquals((got[2 * s] + got[2 * s + 1]) / 2, perSample[s], 1e-6);
            }
            // identical volumes: SSIM 1 exactly (up to float rounding)
            float[] same = DifferentiableSsim.perChannel(m.create(a, shape), m.create(a, shape), 2).toFloatArray();
            for (float s : same) assertEquals(1.0, s, 1e-5);
        }
    }

    @Test
    void theFilterMatrixFoldsInScipysReflectBorder() {
        assertEquals(0, DifferentiableSsim.reflect(-1, 6));
        assertEquals(1, DifferentiableSsim.reflect(-2, 6));
        assertEquals(5, DifferentiableSsim.reflect(6, 6));
        assertEquals(4, DifferentiableSsim.reflect(7, 6));
        float[] taps = DifferentiableSsim.taps();
        float sum = 0;
        for (float t : taps) sum += t;
        assertEquals(11, taps.length);
        assertEquals(1f, sum, 1e-6f);
        // n = 6, output 0: inputs at offsets -5..5 reflect to 4 3 2 1 0 | 0 1 2 3 4 5
        float[] g = DifferentiableSsim.filterMatrix(6, false);
        assertEquals(taps[0 + 5] + taps[-1 + 5], g[0 * 6], 1e-7f);                  // x[0] reached from offsets 0 and -1
        assertEquals(taps[5 + 5], g[5 * 6], 1e-7f);                                 // x[5] only from offset +5
        assertEquals(taps[-5 + 5] + taps[4 + 5], g[4 * 6], 1e-7f);                  // x[4]: offsets -5 (reflected) and +4
        float[] gt = DifferentiableSsim.filterMatrix(6, true);
        for (int i = 0; i < 6; i++) {
            float col = 0;
            for (int j = 0; j < 6; j++) {
                col += g[j * 6 + i];
                assertEquals(g[j * 6 + i], gt[i * 6 + j], 0f);
            }
            assertEquals(1f, col, 1e-6f);                                          // each output a weighted mean
        }
    }

    @Test
    void gradientsFlowToTheEstimate() {
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            Shape shape = new Shape(1, 1, NZ, NY, NX);
            NDArray a = m.create(volume(7, 0.3), shape);
            NDArray b = m.create(volume(8, 0.3), shape);
            a.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray l = DifferentiableSsim.perSample(a, b, 2).neg().add(1).sum();
                gc.backward(l);
            }
            assertTrue(a.getGradient().abs().max().getFloat() > 0);
            assertThrows(IllegalArgumentException.class,
                    () -> DifferentiableSsim.perChannel(m.zeros(new Shape(1, 1, 10, 12, 12)), m.zeros(new Shape(1, 1, 10, 12, 12)), 2));
        }
    }
}
