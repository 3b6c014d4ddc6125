package org.pdsynth.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.function.Function;

import org.junit.jupiter.api.Test;

/** The fused TorchScript ops equal the DJL composite forms, values and gradients. */
class TorchScriptOpsTest {

    @Test
    void moduleLoads() {
        Engines.pytorch(2);
        assertTrue(TorchScriptOps.available(), "TorchScript ops module failed to load");
    }

    @Test
    void siluMatchesCompositeWithGradients() {
        compare(x -> TorchScriptOps.silu(x), Silu::applyComposite, new Shape(2, 3, 4, 5, 6), null, null);
    }

    @Test
    void groupNormMatchesCompositeWithGradients() {
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            NDArray gamma = m.create(new float[] {1.5f, -0.5f, 2f, 0.25f, 1f, 3f}, new Shape(6, 1, 1, 1));
            NDArray beta = m.create(new float[] {0.1f, -0.2f, 0.3f, 0f, -1f, 0.5f}, new Shape(6, 1, 1, 1));
            compare(x -> TorchScriptOps.groupNorm(x, 3, gamma, beta), x -> GroupNorm.applyComposite(x, gamma, beta, 3),
                    new Shape(2, 6, 3, 4, 5), gamma, beta);
        }
    }

    /** Forward values and d(sum(f(x) * r))/d{x, gamma, beta} of both forms agree. */
    private static void compare(Function<NDArray, NDArray> fused, Function<NDArray, NDArray> composite, Shape s, NDArray gamma, NDArray beta) {
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            NDArray r = m.randomNormal(s);
            float[][] a = run(m, fused, r, s, gamma, beta);
            float[][] b = run(m, composite, r, s, gamma, beta);
            for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i], 2e-4f, "output/gradient " + i);
        }
    }

    private static float[][] run(NDManager m, Function<NDArray, NDArray> f, NDArray r, Shape s, NDArray gamma, NDArray beta) {
        NDArray x = m.arange((float) s.size()).reshape(s).mul(0.37).sin().mul(2);
        x.setRequiresGradient(true);
        if (gamma != null) {
            gamma.setRequiresGradient(true);
            beta.setRequiresGradient(true);
        }
        float[] y;
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray out = f.apply(x);
            y = out.toFloatArray();
            gc.backward(out.mul(r).sum());
        }
        float[] gx = x.getGradient().toFloatArray();
        if (gamma == null) return new float[][] {y, gx};
        float[][] res = {y, gx, gamma.getGradient().toFloatArray(), beta.getGradient().toFloatArray()};
        gamma.getGradient().subi(gamma.getGradient());
        beta.getGradient().subi(beta.getGradient());
        return res;
    }
}
