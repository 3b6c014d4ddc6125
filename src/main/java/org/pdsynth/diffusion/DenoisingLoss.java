package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;

import org.pdsynth.model.Staging;

/**
 * Stage-1 loss (DESIGN 4.5): {@code L = mean((1 + lambda W) |out - target|)}, the mean over every
 * element (batch, channels, voxels), where {@code out} is the network's output and {@code target}
 * its prediction type's target ({@link NoisedBatch}). W is an optional per-voxel weight map in
 * [0, 1] (the disease-region map of the pattern-aware module), shaped to broadcast against
 * (B, N, D, H, W), e.g. (1, 1, D, H, W); with W absent or lambda = 0 this is the plain mean
 * absolute error.
 */
public final class DenoisingLoss {
    private DenoisingLoss() {}

    /** Plain mean |out - target|. */
    public static NDArray compute(NDArray out, NDArray target) {
        return compute(out, target, null, 0);
    }

    /**
     * Weighted form; {@code weightMap} may be null. The result is a scalar in out's manager.
     *
     * @throws IllegalArgumentException when out and target differ in shape
     */
    public static NDArray compute(NDArray out, NDArray target, NDArray weightMap, double lambda) {
        return compute(out, target, weightMap, lambda, null);
    }

    /**
     * With per-sample noise-level weights w(t_b) ({@link LossWeighting}), shaped (B, 1, 1, 1, 1):
     * {@code L = mean(w_b (1 + lambda W) |out - target|)}; null weights: all 1.
     *
     * @throws IllegalArgumentException when out and target differ in shape
     */
    public static NDArray compute(NDArray out, NDArray target, NDArray weightMap, double lambda, NDArray sampleWeights) {
        if (!out.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("network output " + out.getShape() + " and target " + target.getShape() + " differ in shape");
        }
        NDArray err = out.sub(target).abs();
        if (weightMap != null && lambda != 0) {
            // err * (1 + lambda W) written with err first, so every temporary lands in err's
            // (per-step) manager even when the weight map lives in a long-lived one
            // (lambda as a float32 scalar through Staging: the same product as mul(lambda), without a
            // direct buffer per step)
            err = err.add(err.mul(weightMap).mul(Staging.scalar(err.getManager(), (float) lambda)));
        }
        if (sampleWeights != null) err = err.mul(sampleWeights);
        return err.mean();
    }
}
