package org.pdsynth.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

/** GroupNorm against a naive two-pass computation written out here. */
class GroupNormTest {

    @Test
    void equalsNaiveGroupNormWithAffine() {
        int b = 2, c = 6, g = 3, d = 3, h = 4, w = 5;
        int vox = d * h * w;
        float[] x = new float[b * c * vox];
        for (int i = 0; i < x.length; i++) x[i] = (float) (Math.sin(1.3 * i) * (1 + (i % 7)) + 0.25 * (i / vox));
        float[] gamma = {1.5f, -0.5f, 2f, 0.25f, 1f, 3f};
        float[] beta = {0.1f, -0.2f, 0.3f, 0f, -1f, 0.5f};
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            GroupNorm gn = new GroupNorm(g);
            gn.initialize(m, DataType.FLOAT32, new Shape(b, c, d, h, w));
            gn.getParameters().get("gamma").getArray().intern(m.create(gamma, new Shape(c, 1, 1, 1)));
            gn.getParameters().get("beta").getArray().intern(m.create(beta, new Shape(c, 1, 1, 1)));
            NDArray out = gn.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(b, c, d, h, w))), false).head();
            assertEquals(new Shape(b, c, d, h, w), out.getShape());
            assertArrayEquals(naive(x, gamma, beta, b, c, g, vox), out.toFloatArray(), 2e-5f);
            // the DJL-only composite form (the fallback when TorchScript ops are off) too
            NDArray composite = GroupNorm.applyComposite(m.create(x, new Shape(b, c, d, h, w)),
                    m.create(gamma, new Shape(c, 1, 1, 1)), m.create(beta, new Shape(c, 1, 1, 1)), g);
            assertArrayEquals(naive(x, gamma, beta, b, c, g, vox), composite.toFloatArray(), 2e-5f);
        }
    }

    @Test
    void refusesChannelsNotDivisibleByGroups() {
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            GroupNorm gn = new GroupNorm(4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> gn.initialize(m, DataType.FLOAT32, new Shape(1, 6, 2, 2, 2)));
            assertEquals("GroupNorm: 6 channels are not divisible by 4 groups", e.getMessage());
        }
    }

    /** Mean and biased variance per (sample, group) in double, eps 1e-5, then per-channel affine. */
    static float[] naive(float[] x, float[] gamma, float[] beta, int b, int c, int g, int vox) {
        float[] y = new float[x.length];
        int cpg = c / g;
        for (int n = 0; n < b; n++)
            for (int k = 0; k < g; k++) {
                int start = (n * c + k * cpg) * vox, len = cpg * vox;
                double mean = 0;
                for (int i = 0; i < len; i++) mean += x[start + i];
                mean /= len;
                double var = 0;
                for (int i = 0; i < len; i++) var += (x[start + i] - mean) * (x[start + i] - mean);
                var /= len;
                double inv = 1 / Math.sqrt(var + 1e-5);
                for (int i = 0; i < len; i++) {
                    int ch = k * cpg + i / vox;
                    y[start + i] = (float) ((x[start + i] - mean) * inv * gamma[ch] + beta[ch]);
                }
            }
        return y;
    }
}
