package org.pdsynth.diffusion;

/**
 * What a {@link Sampler} needs of a trained network: the estimate x0_hat(x_t, t) of the clean
 * sample from a noisy one, conditioning already bound (source volume, direction, label,
 * guidance), clipped to [-1, 1]. {@link DiffusionModel#denoiser} makes one from a network; tests
 * use analytic ones.
 */
@FunctionalInterface
public interface Denoiser {
    /**
     * Writes x0_hat for {@code xt} at step {@code t} into {@code x0}.
     *
     * @param xt flat volume (N, Z, Y, X), not modified
     * @param t  step in 0..T-1
     * @param x0 output, same length as xt
     */
    void predictX0(float[] xt, int t, float[] x0);
}
