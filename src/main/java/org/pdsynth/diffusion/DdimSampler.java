package org.pdsynth.diffusion;

import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import org.pdsynth.model.PredictionType;

/**
 * DDIM (Song, Meng and Ermon 2021, arXiv 2010.02502, eq. 12), written on x0 estimates.
 *
 * <p>Steps tau_i ({@link Sampler#timesteps}, i = 0..S-1, both t = T-1 and t = 0 visited), walked
 * from T-1 down. At step t with predecessor t' (alpha_bar(t') = 1 after the last step), in the
 * paper's notation (ab = alpha_bar):
 * <pre>
 *   x0_hat = D(x_t, t)                                        (clipped to [-1, 1] by the denoiser)
 *   eps'   = (x_t - sqrt(ab_t) x0_hat) / sqrt(1 - ab_t)         (the noise consistent with x0_hat)
 *   sigma  = eta sqrt((1 - ab_t') / (1 - ab_t)) sqrt(1 - ab_t / ab_t')
 *   x_t'   = sqrt(ab_t') x0_hat + sqrt(1 - ab_t' - sigma^2) eps' + sigma z
 * </pre>
 * eta = 0 is deterministic given x_T.
 */
public final class DdimSampler implements Sampler {
    private final int steps;
    private final double eta;

    /**
     * @param steps S, at most T (more are clamped to T)
     * @param eta   0 = deterministic DDIM, 1 = DDPM-like noise
     * @throws IllegalArgumentException for steps &lt; 1 or eta &lt; 0
     */
    public DdimSampler(int steps, double eta) {
        if (steps < 1) throw new IllegalArgumentException("DDIM steps must be >= 1, got " + steps);
        if (!(eta >= 0)) throw new IllegalArgumentException("eta must be >= 0, got " + eta);
        this.steps = steps;
        this.eta = eta;
    }

    @Override
    public String name() {
        return "ddim";
    }

    @Override
    public int evaluations(NoiseSchedule schedule) {
        return Math.min(steps, schedule.timesteps());
    }

    @Override
    public void sample(Denoiser denoiser, NoiseSchedule schedule, float[] x, SplittableRandom rng, StepListener listener,
            BooleanSupplier cancel) {
        int[] tau = Sampler.timesteps(schedule.timesteps(), steps);
        float[] x0 = new float[x.length];
        for (int i = tau.length - 1; i >= 0; i--) {
            Sampler.checkCancel(cancel);
            int t = tau[i];
            double ab = schedule.alphaBar(t);
            double abPrev = i > 0 ? schedule.alphaBar(tau[i - 1]) : 1.0;
            denoiser.predictX0(x, t, x0);
            double sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(1 - ab / abPrev);
            double dirCoef = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
            double sp = Math.sqrt(abPrev);
            for (int v = 0; v < x.length; v++) {
                double e = PredictionType.epsilon(x[v], x0[v], ab);
                double nx = sp * x0[v] + dirCoef * e;
                if (sigma > 0) nx += sigma * rng.nextGaussian();
                x[v] = (float) nx;
            }
            if (listener != null) listener.onStep(tau.length - i, tau.length);
        }
    }
}
