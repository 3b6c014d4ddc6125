package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pdsynth.model.Engines;

/** Loss, Adam and EMA against their formulas written out by hand. */
class OptimizerPartsTest extends SingleThreadTests {

    @Test
    void weightedDenoisingLoss() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray hat = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(1, 2, 1, 2, 2));
            NDArray eps = m.create(new float[] {0, 2, 5, 4, 4, 6, 7, 10}, new Shape(1, 2, 1, 2, 2));
            // |diff| = 1 0 2 0 | 1 0 0 2
            assertEquals(6 / 8.0, DenoisingLoss.compute(hat, eps).getFloat(), 1e-7);
            NDArray w = m.create(new float[] {1, 0, 0.5f, 0}, new Shape(1, 1, 1, 2, 2));
            // weights (1 + 2 W) per voxel, both channels: 3 1 2 1
            double expected = (1 * 3 + 0 + 2 * 2 + 0 + 1 * 3 + 0 + 0 + 2 * 1) / 8.0;
            assertEquals(expected, DenoisingLoss.compute(hat, eps, w, 2.0).getFloat(), 1e-6);
        }
    }

    @Test
    void adamFollowsItsFormulaWithWarmup() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray w = m.create(new float[] {1f, -2f});
            w.setRequiresGradient(true);
            AdamOptimizer adam = new AdamOptimizer(List.of(w), 0.1, 4, m);
            double[] x = {1, -2}, mo = {0, 0}, v = {0, 0};
            for (int k = 1; k <= 3; k++) {
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    gc.backward(w.mul(w).mul(w).sum());            // loss sum(w^3), grad 3 w^2
                }
                adam.update(List.of(w));
                double lr = 0.1 * Math.min(1, k / 4.0);
                double c = lr * Math.sqrt(1 - Math.pow(0.999, k)) / (1 - Math.pow(0.9, k));
                for (int i = 0; i < 2; i++) {
                    double g = 3 * x[i] * x[i];
                    mo[i] = 0.9 * mo[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    x[i] -= c * mo[i] / (Math.sqrt(v[i]) + 1e-8);
                }
                assertArrayEquals(new float[] {(float) x[0], (float) x[1]}, w.toFloatArray(), 1e-5f, "after update " + k);
            }
            assertEquals(3, adam.step());
        }
    }

    @Test
    void emaFollowsItsFormula() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray p = m.create(new float[] {0f, 10f});
            Ema ema = new Ema(List.of(p), 0.999, true, m);
            double[] s = {0, 10};
            for (int n = 1; n <= 3; n++) {
                p.addi(m.create(new float[] {1f, -1f}));
                ema.update(List.of(p));
                double d = Math.min(0.999, (1.0 + n) / (10.0 + n));
                float[] pv = p.toFloatArray();
                for (int i = 0; i < 2; i++) s[i] = d * s[i] + (1 - d) * pv[i];
                assertArrayEquals(new float[] {(float) s[0], (float) s[1]}, ema.shadows().get(0).toFloatArray(), 1e-5f);
            }
            assertEquals(0.999, new Ema(List.of(p), 0.999, false, m).decayAt(1));
        }
    }
}
