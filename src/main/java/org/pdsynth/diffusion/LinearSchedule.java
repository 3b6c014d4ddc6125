package org.pdsynth.diffusion;

/**
 * The linear beta schedule of DDPM (Ho et al. 2020, arXiv 2006.11239): beta_t rises linearly
 * from 1e-4 at t = 0 to 0.02 at t = T-1 (the paper's values, for T = 1000);
 * {@code alpha_bar_t = prod_{i <= t} (1 - beta_i)}.
 */
public final class LinearSchedule implements NoiseSchedule {
    private final double[] betas;
    private final double[] alphaBars;

    public LinearSchedule(int timesteps) {
        if (timesteps < 2) throw new IllegalArgumentException("timesteps must be >= 2, got " + timesteps);
        double lo = 1e-4, hi = 0.02;
        betas = new double[timesteps];
        alphaBars = new double[timesteps];
        double prod = 1;
        for (int t = 0; t < timesteps; t++) {
            betas[t] = lo + (hi - lo) * t / (timesteps - 1);
            prod *= 1 - betas[t];
            alphaBars[t] = prod;
        }
    }

    @Override
    public int timesteps() {
        return betas.length;
    }

    @Override
    public double alphaBar(int t) {
        return alphaBars[t];
    }

    @Override
    public double beta(int t) {
        return betas[t];
    }
}
