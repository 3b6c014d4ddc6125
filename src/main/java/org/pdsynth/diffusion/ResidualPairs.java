package org.pdsynth.diffusion;

import org.pdsynth.volume.Direction;

/**
 * Training pairs of residual mode (DESIGN 4.5): every pair of a {@link PairSource} with the
 * regression prior's predictions mu(c) of both modalities attached ({@link TrainingPair.Prior}),
 * computed once with the prior (no grad), and one residual scale for the whole set:
 * {@code s = 0.5 / rms(x0 - mu)} over every voxel of both directions, so the diffused residuals
 * have about the spread of data in [-1, 1] (rounded to 3 significant digits, stored in the model config).
 */
public final class ResidualPairs implements PairSource {
    private final TrainingPair[] pairs;
    private final PairSource base;
    private final double scale;

    private ResidualPairs(PairSource base, TrainingPair[] pairs, double scale) {
        this.base = base;
        this.pairs = pairs;
        this.scale = scale;
    }

    /**
     * The pairs of {@code base} with {@code prior}'s predictions; {@code scale} &gt; 0 is used as
     * given (e.g. the training set's, for validation pairs), else computed from these pairs.
     *
     * @throws IllegalArgumentException when the prior is not a regression model fitting the data
     */
    public static ResidualPairs of(PairSource base, DiffusionModel prior, double scale) {
        if (!prior.config().regression()) throw new IllegalArgumentException("the residual prior must be a regression model");
        DenoiserObjective.checkData(base, prior.config());
        TrainingPair[] out = new TrainingPair[base.size()];
        double sq = 0;
        long count = 0;
        for (int i = 0; i < out.length; i++) {
            TrainingPair p = base.get(i);
            float[][] mu = new float[2][];
            for (Direction d : Direction.values()) {
                float[] m = prior.predict(new float[p.source(d).length], p.source(d), 0, d, p.label());
                for (int v = 0; v < m.length; v++) m[v] = m[v] < -1 ? -1 : Math.min(m[v], 1);
                float[] x0 = p.clean(d);
                for (int v = 0; v < m.length; v++) sq += (x0[v] - m[v]) * (double) (x0[v] - m[v]);
                count += m.length;
                mu[d.code()] = m;
            }
            out[i] = new TrainingPair(p.subject(), p.fmri(), p.dwi(), p.label(), new TrainingPair.Prior(mu[1], mu[0], 1.0));
        }
        double s = scale > 0 ? scale : round3(0.5 / Math.sqrt(Math.max(sq / Math.max(1, count), 1e-12)));
        for (int i = 0; i < out.length; i++) {
            TrainingPair p = out[i];
            out[i] = new TrainingPair(p.subject(), p.fmri(), p.dwi(), p.label(), new TrainingPair.Prior(p.prior().fmri(), p.prior().dwi(), s));
        }
        return new ResidualPairs(base, out, s);
    }

    private static double round3(double x) {
        return new java.math.BigDecimal(x).round(new java.math.MathContext(3)).doubleValue();
    }

    /** s, the residual scale. */
    public double scale() {
        return scale;
    }

    @Override
    public int size() {
        return pairs.length;
    }

    @Override
    public TrainingPair get(int i) {
        return pairs[i];
    }

    @Override
    public int channels() {
        return base.channels();
    }

    @Override
    public int[] gridZYX() {
        return base.gridZYX();
    }
}
