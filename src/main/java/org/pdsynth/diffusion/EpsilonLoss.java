package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * Stage-1 loss: {@code L = mean((1 + lambda * W) * |eps_hat - eps|)}, the mean over every element
 * (batch, channels, voxels). W is an optional per-voxel weight map in [0, 1] (the disease-region
 * map of the pattern-aware module), shaped to broadcast against (B, N, D, H, W), e.g.
 * (1, 1, D, H, W); with W absent or lambda = 0 this is the plain mean absolute error.
 */
public final class EpsilonLoss {
    private EpsilonLoss() {}

    /** Plain mean |eps_hat - eps|. */
    public static NDArray compute(NDArray epsHat, NDArray eps) {
        return compute(epsHat, eps, null, 0);
    }

    /** Weighted form; {@code weightMap} may be null. The result is a scalar in epsHat's manager. */
    public static NDArray compute(NDArray epsHat, NDArray eps, NDArray weightMap, double lambda) {
        if (!epsHat.getShape().equals(eps.getShape())) {
            throw new IllegalArgumentException("eps_hat " + epsHat.getShape() + " and eps " + eps.getShape() + " differ in shape");
        }
        NDArray err = epsHat.sub(eps).abs();
        if (weightMap != null && lambda != 0) {
            // err * (1 + lambda W) written with err first, so every temporary lands in err's
            // (per-step) manager even when the weight map lives in a long-lived one
            err = err.add(err.mul(weightMap).mul(lambda));
        }
        return err.mean();
    }
}
