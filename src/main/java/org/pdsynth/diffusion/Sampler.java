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

    /** Network evaluations one sample takes with this schedule. */
    int evaluations(NoiseSchedule schedule);

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

    /**
     * Up to S step indices in increasing order whose log-SNR is as close as possible to S values
     * evenly spaced between log-SNR(T-1) and log-SNR(0), both ends included, duplicates removed
     * (DPM-Solver's "logSNR" spacing, Lu et al. 2022, arXiv 2206.00927, section 3.3).
     */
    static int[] logSnrTimesteps(NoiseSchedule schedule, int steps) {
        int tt = schedule.timesteps();
        int s = Math.max(1, Math.min(steps, tt));
        if (s == 1) return new int[] {tt - 1};
        double lo = schedule.logSnr(tt - 1), hi = schedule.logSnr(0);
        java.util.TreeSet<Integer> picked = new java.util.TreeSet<>();
        int t = tt - 1;
        for (int i = 0; i < s; i++) {
            double want = lo + (hi - lo) * i / (s - 1);
            // log-SNR falls with t: walk t down until the next step is no closer
            while (t > 0 && Math.abs(schedule.logSnr(t - 1) - want) <= Math.abs(schedule.logSnr(t) - want)) t--;
            picked.add(t);
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Throws {@link CancellationException} when {@code cancel} says stop. */
    static void checkCancel(BooleanSupplier cancel) {
        if (cancel != null && cancel.getAsBoolean()) throw new CancellationException("sampling cancelled");
    }
}
