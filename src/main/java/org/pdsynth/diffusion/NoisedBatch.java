package org.pdsynth.diffusion;

import java.util.SplittableRandom;

import org.pdsynth.model.PredictionType;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Direction;

/**
 * The inputs of one training step, built in plain Java from the pairs and a step-seeded random
 * generator, so a step's randomness depends only on (seed, step) and a resumed run draws exactly
 * what the uninterrupted run would have.
 *
 * <p>For each sample i: direction d_i, label y_i (replaced by the null label with probability
 * labelDropout), t_i uniform in 0..tBound-1, noise eps ~ N(0, 1) per element,
 * {@code x_t = sqrt(ab) x0 + sqrt(1 - ab) eps} with x0 = target(d), c = source(d), and the
 * network's training target for its {@link PredictionType}: {@code target = c x0 + d eps}
 * ({@link PredictionType#targetCoefficients}). Arrays are (B, N, Z, Y, X) flat, x fastest;
 * {@code direction} and {@code label} hold the network's codes.
 *
 * @param noise  eps, the noise drawn (zeros for the regression baseline)
 * @param target what the network's output is compared with
 */
public record NoisedBatch(int batch, float[] xt, float[] cond, float[] noise, float[] target, int[] t, int[] direction, int[] label) {

    /**
     * Everything a diffusion step draws; {@code pairs[i]} is used with {@code directions[i]}, t
     * uniform in 0..tBound-1.
     *
     * @throws IllegalArgumentException for a t bound outside 1..T or volumes of the wrong size
     */
    public static NoisedBatch draw(TrainingPair[] pairs, Direction[] directions, NoiseSchedule schedule, PredictionType prediction,
            double labelDropout, int volumeSize, SplittableRandom rng, int tBound) {
        if (tBound < 1 || tBound > schedule.timesteps()) throw new IllegalArgumentException("t bound must be in 1.." + schedule.timesteps() + ", got " + tBound);
        int b = pairs.length;
        float[] xt = new float[b * volumeSize];
        float[] cond = new float[b * volumeSize];
        float[] eps = new float[b * volumeSize];
        float[] target = new float[b * volumeSize];
        int[] t = new int[b];
        int[] label = new int[b];
        for (int i = 0; i < b; i++) {
            TrainingPair p = pairs[i];
            float[] x0 = p.target(directions[i]);
            float[] c = p.source(directions[i]);
            checkSize(p, x0, c, volumeSize);
            label[i] = rng.nextDouble() < labelDropout ? Diagnosis.NONE_CODE : Diagnosis.code(p.label());
            t[i] = rng.nextInt(tBound);
            double ab = schedule.alphaBar(t[i]);
            float a = (float) Math.sqrt(ab);
            float s = (float) Math.sqrt(1 - ab);
            double[] k = prediction.targetCoefficients(ab);
            int off = i * volumeSize;
            System.arraycopy(c, 0, cond, off, volumeSize);
            for (int v = 0; v < volumeSize; v++) {
                float e = (float) rng.nextGaussian();
                eps[off + v] = e;
                xt[off + v] = a * x0[v] + s * e;
                target[off + v] = (float) (k[0] * x0[v] + k[1] * e);
            }
        }
        return new NoisedBatch(b, xt, cond, eps, target, t, codes(directions), label);
    }

    /**
     * The batch of the one-step regression baseline: x_t = 0, t = 0, target x0, so the step's L1
     * loss is |network(0, c) - x0|. Label dropout as in diffusion training.
     */
    public static NoisedBatch regression(TrainingPair[] pairs, Direction[] directions, double labelDropout, int volumeSize,
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
            label[i] = rng.nextDouble() < labelDropout ? Diagnosis.NONE_CODE : Diagnosis.code(p.label());
            System.arraycopy(c, 0, cond, i * volumeSize, volumeSize);
            System.arraycopy(x0, 0, x0s, i * volumeSize, volumeSize);
        }
        return new NoisedBatch(b, new float[b * volumeSize], cond, new float[b * volumeSize], x0s, new int[b], codes(directions), label);
    }

    /** The pairs of a step and the direction each is used in (sample i uses pairs[i] in directions[i]). */
    public record Selection(TrainingPair[] pairs, Direction[] directions) {}

    /**
     * Picks the pairs of a step: for j = 0..b-1, pair {@code pairOf.applyAsInt(j)} of {@code data};
     * with {@code both}, each pair twice (fMRI->dMRI, then dMRI->fMRI), else once in a direction drawn
     * from {@code rng} right after its pair.
     */
    public static Selection select(PairSource data, int b, boolean both, java.util.function.IntUnaryOperator pairOf, SplittableRandom rng) {
        int n = both ? 2 * b : b;
        TrainingPair[] pairs = new TrainingPair[n];
        Direction[] dirs = new Direction[n];
        for (int j = 0; j < b; j++) {
            TrainingPair p = data.get(pairOf.applyAsInt(j));
            if (both) {
                pairs[2 * j] = p;
                pairs[2 * j + 1] = p;
                dirs[2 * j] = Direction.FMRI_TO_DWI;
                dirs[2 * j + 1] = Direction.DWI_TO_FMRI;
            } else {
                pairs[j] = p;
                dirs[j] = Direction.ofCode(rng.nextInt(2));
            }
        }
        return new Selection(pairs, dirs);
    }

    private static int[] codes(Direction[] d) {
        int[] c = new int[d.length];
        for (int i = 0; i < d.length; i++) c[i] = d[i].code();
        return c;
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
