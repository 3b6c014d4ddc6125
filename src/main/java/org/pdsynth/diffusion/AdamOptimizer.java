package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam with a linear learning-rate warm-up, whose state (first and second moments per parameter,
 * step count) is ours so a checkpoint can save and restore it exactly.
 *
 * <p>Update at step k = 1, 2, ...: {@code lr_k = lr * min(1, k / warmupSteps)};
 * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr_k * sqrt(1 - b2^k) / (1 - b1^k) * m / (sqrt(v) + eps)} — DJL's fused PyTorch-engine
 * Adam kernel (eps outside the bias correction of v), which also zeroes the gradient afterwards.
 */
public final class AdamOptimizer implements AutoCloseable {
    private final double learningRate;
    private final int warmupSteps;
    private final float beta1 = 0.9f;
    private final float beta2 = 0.999f;
    private final float eps = 1e-8f;
    private final NDManager manager;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private int step;

    /** State arrays (zeros) for {@code params}, kept in a sub-manager of {@code parent}. */
    public AdamOptimizer(List<NDArray> params, double learningRate, int warmupSteps, NDManager parent) {
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        this.learningRate = learningRate;
        this.warmupSteps = warmupSteps;
        manager = parent.newSubManager();
        for (NDArray p : params) {
            means.add(manager.zeros(p.getShape(), p.getDataType()));
            variances.add(manager.zeros(p.getShape(), p.getDataType()));
        }
    }

    /** Learning rate used at update number {@code k} (1-based). */
    public double learningRateAt(int k) {
        return warmupSteps == 0 ? learningRate : learningRate * Math.min(1.0, (double) k / warmupSteps);
    }

    /** Applies one update to every parameter from its gradient (then zeroes the gradients). */
    public void update(List<NDArray> params) {
        if (params.size() != means.size()) throw new IllegalArgumentException("optimizer has state for " + means.size() + " parameters, got " + params.size());
        step++;
        float lr = (float) learningRateAt(step);
        float corrected = (float) (lr * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step)));
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i);
            try (NDArray g = w.getGradient()) {
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, means.get(i), variances.get(i)), new NDList(w),
                        lr, corrected, 0f, 1f, -1f, beta1, beta2, eps, true, false);
            }
        }
    }

    /** Updates done so far. */
    public int step() {
        return step;
    }

    /** First moments, in parameter order (live). */
    public List<NDArray> means() {
        return List.copyOf(means);
    }

    /** Second moments, in parameter order (live). */
    public List<NDArray> variances() {
        return List.copyOf(variances);
    }

    /** Restores a saved state: the arrays are copied. */
    public void restore(List<NDArray> m, List<NDArray> v, int steps) {
        if (m.size() != means.size() || v.size() != variances.size()) {
            throw new IllegalArgumentException("optimizer state has " + m.size() + "/" + v.size() + " arrays, expected " + means.size());
        }
        for (int i = 0; i < means.size(); i++) {
            Ema.replaceValues(means.get(i), m.get(i));
            Ema.replaceValues(variances.get(i), v.get(i));
        }
        step = steps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
