package org.pdsynth.diffusion;

import java.util.SplittableRandom;

import org.pdsynth.model.ModelConfig;

/**
 * The inputs of one training step, built in plain Java from the pairs and a step-seeded random
 * generator, so a step's randomness depends only on (seed, step) and a resumed run draws exactly
 * what the uninterrupted run would have.
 *
 * <p>For each sample: direction d, label y (replaced by null = 3 with probability labelDropout),
 * t uniform in 0..T-1, eps ~ N(0, 1) per element, and
 * {@code x_t = sqrt(alphaBar(t)) x_0 + sqrt(1 - alphaBar(t)) eps} with x_0 = target(d), c = source(d).
 * Arrays are (B, N, Z, Y, X) flat, x fastest.
 */
public record NoisedBatch(int batch, float[] xt, float[] cond, float[] eps, int[] t, int[] direction, int[] label) {

    /** Everything a step draws; {@code pairs[i]} is used with {@code directions[i]}. */
    public static NoisedBatch draw(TrainingPair[] pairs, int[] directions, CosineSchedule schedule, double labelDropout,
                                   int volumeSize, SplittableRandom rng) {
        return draw(pairs, directions, schedule, labelDropout, volumeSize, rng, schedule.timesteps());
    }

    /** As {@link #draw(TrainingPair[], int[], CosineSchedule, double, int, SplittableRandom)} with t uniform in 0..tBound-1. */
    public static NoisedBatch draw(TrainingPair[] pairs, int[] directions, CosineSchedule schedule, double labelDropout,
                                   int volumeSize, SplittableRandom rng, int tBound) {
        if (tBound < 1 || tBound > schedule.timesteps()) throw new IllegalArgumentException("t bound must be in 1.." + schedule.timesteps() + ", got " + tBound);
        int b = pairs.length;
        float[] xt = new float[b * volumeSize];
        float[] cond = new float[b * volumeSize];
        float[] eps = new float[b * volumeSize];
        int[] t = new int[b];
        int[] label = new int[b];
        for (int i = 0; i < b; i++) {
            TrainingPair p = pairs[i];
            float[] x0 = p.target(directions[i]);
            float[] c = p.source(directions[i]);
            checkSize(p, x0, c, volumeSize);
            label[i] = rng.nextDouble() < labelDropout ? ModelConfig.NULL_LABEL : p.label();
            t[i] = rng.nextInt(tBound);
            double ab = schedule.alphaBar(t[i]);
            float a = (float) Math.sqrt(ab);
            float s = (float) Math.sqrt(1 - ab);
            int off = i * volumeSize;
            System.arraycopy(c, 0, cond, off, volumeSize);
            for (int v = 0; v < volumeSize; v++) {
                float e = (float) rng.nextGaussian();
                eps[off + v] = e;
                xt[off + v] = a * x0[v] + s * e;
            }
        }
        return new NoisedBatch(b, xt, cond, eps, t, directions.clone(), label);
    }

    /**
     * The batch of the one-step regression baseline ({@link ModelConfig#REGRESSION}): x_t = 0,
     * t = 0, and the "eps" field holds the target x0 itself, so the step's L1 loss is
     * |network(0, c) - x0|. Label dropout as in diffusion training.
     */
    public static NoisedBatch regression(TrainingPair[] pairs, int[] directions, double labelDropout, int volumeSize,
                                         SplittableRandom rng) {
        int b = pairs.length;
        float[] cond = new float[b * volumeSize];
        float[] x0s = new float[b * volumeSize];
        int[] label = new int[b];
        for (int i = 0; i < b; i++) {
            TrainingPair p = pairs[i];
            float[] x0 = p.target(directions[i]);
            float[] c = p.source(directions[i]);
            checkSize(p, x0, c, volumeSize);
            label[i] = rng.nextDouble() < labelDropout ? ModelConfig.NULL_LABEL : p.label();
            System.arraycopy(c, 0, cond, i * volumeSize, volumeSize);
            System.arraycopy(x0, 0, x0s, i * volumeSize, volumeSize);
        }
        return new NoisedBatch(b, new float[b * volumeSize], cond, x0s, new int[b], directions.clone(), label);
    }

    /**
     * This batch with the "eps" field (the L1 loss target) replaced by each item's clean target
     * x0 ({@link ModelConfig#X0} objective: same noisy inputs, the network learns x0).
     */
    public NoisedBatch targetingX0(TrainingPair[] pairs) {
        int n = eps.length / batch;
        float[] x0s = new float[eps.length];
        for (int i = 0; i < batch; i++) {
            float[] x0 = pairs[i].target(direction[i]);
            checkSize(pairs[i], x0, x0, n);
            System.arraycopy(x0, 0, x0s, i * n, n);
        }
        return new NoisedBatch(batch, xt, cond, x0s, t, direction, label);
    }

    private static void checkSize(TrainingPair p, float[] x0, float[] c, int volumeSize) {
        if (x0.length != volumeSize || c.length != volumeSize) {
            throw new IllegalArgumentException("subject " + p.subject() + ": volumes have " + x0.length + " and " + c.length
                    + " values, the model needs " + volumeSize + " (N x Z x Y x X)");
        }
    }

    /** Generator of step {@code step} of a run seeded {@code seed}. */
    public static SplittableRandom stepRandom(long seed, long step) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 1);
    }
}
