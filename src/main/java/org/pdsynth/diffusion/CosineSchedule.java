package org.pdsynth.diffusion;

/**
 * Cosine noise schedule (Nichol and Dhariwal 2021, arXiv 2102.09672) over discrete steps t = 0..T-1.
 *
 * <p>Closed form: {@code f(u) = cos^2(((u / T) + s) / (1 + s) * pi / 2)}, s = 0.008, and
 * {@code alpha_bar(u) = f(u) / f(0)} for continuous u in [0, T]. Step t (0-based) goes from u = t
 * to u = t + 1: {@code beta_t = min(1 - alpha_bar(t + 1) / alpha_bar(t), 0.999)}.
 *
 * <p>The truth kept here is the one the sampler needs to be consistent with its betas:
 * {@code alphaBar(t) = prod_{i <= t} (1 - beta_i)}, computed in double. Where no beta is clipped
 * it equals the closed form {@code alpha_bar(t + 1)} to rounding; the clip acts only on the last
 * step(s) (at t = T-1 the closed form reaches 0), so {@code alphaBar(T-1)} is small but not 0.
 * x_t = sqrt(alphaBar(t)) x_0 + sqrt(1 - alphaBar(t)) eps.
 */
public final class CosineSchedule implements NoiseSchedule {
    /** Offset s of the cosine schedule. */
    public static final double S = 0.008;
    /** Largest beta. */
    public static final double MAX_BETA = 0.999;

    private final int steps;
    private final double[] betas;
    private final double[] alphaBars;

    public CosineSchedule(int timesteps) {
        if (timesteps < 2) throw new IllegalArgumentException("timesteps must be >= 2, got " + timesteps);
        steps = timesteps;
        betas = new double[timesteps];
        alphaBars = new double[timesteps];
        double prod = 1;
        for (int t = 0; t < timesteps; t++) {
            betas[t] = Math.min(1 - closedFormAlphaBar(t + 1, timesteps) / closedFormAlphaBar(t, timesteps), MAX_BETA);
            prod *= 1 - betas[t];
            alphaBars[t] = prod;
        }
    }

    /** T. */
    @Override
    public int timesteps() {
        return steps;
    }

    /** beta_t, t in 0..T-1 (the clipped value the product of alpha_bar uses). */
    @Override
    public double beta(int t) {
        return betas[t];
    }

    /** alpha_bar_t = prod_{i <= t} (1 - beta_i), t in 0..T-1. */
    @Override
    public double alphaBar(int t) {
        return alphaBars[t];
    }

    /** f(u) / f(0) for continuous u in [0, T]. */
    public static double closedFormAlphaBar(double u, int timesteps) {
        return f(u, timesteps) / f(0, timesteps);
    }

    private static double f(double u, int timesteps) {
        double c = Math.cos(((u / timesteps) + S) / (1 + S) * Math.PI / 2);
        return c * c;
    }
}
