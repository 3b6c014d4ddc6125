package org.pdsynth.diffusion;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A reverse-process solver: from x_T ~ N(0, I) to a sample x_0, calling a {@link Denoiser} once per
 * network evaluation. A sampler holds only its update rule and its step plan; label guidance, the
 * refiner and the mean/std over several samples wrap any sampler once ({@link Sampling}).
 * Implementations are registered by name in {@link Samplers}.
 */
public interface Sampler {
    /** Called after every network evaluation: {@code done} of {@code total} for this sample. */
    @FunctionalInterface
    interface StepListener {
        void onStep(int done, int total);
    }

    /** The registry name (e.g. "ddim"). */
    String name();

    /** Network evaluations one sample takes with schedule length T. */
    int evaluations(int timesteps);

    /**
     * Runs the reverse process in place: {@code x} holds x_T on entry and the sample x_0 on return
     * (flat, any length).
     *
     * @param rng    the sample's generator (stochastic samplers draw their noise from it)
     * @param cancel polled before every evaluation (may be null)
     * @throws CancellationException when {@code cancel} says stop
     */
    void sample(Denoiser denoiser, NoiseSchedule schedule, float[] x, SplittableRandom rng, StepListener listener,
            BooleanSupplier cancel);

    /** The S step indices in increasing order, spaced evenly over 0..T-1 and including both ends (DDIM's "linear" spacing). */
    static int[] timesteps(int timesteps, int steps) {
        int s = Math.max(1, Math.min(steps, timesteps));
        int[] tau = new int[s];
        if (s == 1) {
            tau[0] = timesteps - 1;
            return tau;
        }
        for (int i = 0; i < s; i++) tau[i] = (int) Math.round((double) i * (timesteps - 1) / (s - 1));
        return tau;
    }

    /** Throws {@link CancellationException} when {@code cancel} says stop. */
    static void checkCancel(BooleanSupplier cancel) {
        if (cancel != null && cancel.getAsBoolean()) throw new CancellationException("sampling cancelled");
    }
}
