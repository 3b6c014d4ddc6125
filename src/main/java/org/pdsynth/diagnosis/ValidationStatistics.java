package org.pdsynth.diagnosis;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Intervals and paired tests for the repeated cross-validation of {@link RepeatedOutcomes}.
 *
 * <p><b>Bootstrap over subjects.</b> One resample draws n subject indices uniformly with
 * replacement ({@code java.util.Random(seed)}, {@code nextInt(n)} n times per resample, resamples
 * in sequence). A drawn subject brings ALL R of its repeat predictions (the per-subject
 * predictions pooled over repeats), so a resample's pooled confusion matrix is
 * sum over drawn i of (truth_i, counts_i[k]); its accuracy and macro F1 are those of
 * {@link ClassificationMetrics}. The 95% interval is the percentile interval: the 2.5th and 97.5th
 * percentiles of the B resample values with linear interpolation between order statistics
 * (numpy's default {@code percentile}: position (B - 1) q in the sorted values). The point
 * estimate is the value on all subjects (not the bootstrap mean). The interval reflects the
 * sampling of SUBJECTS given the out-of-fold predictions; the classifier is not refitted per
 * resample (that would be a nested bootstrap, B x R x k fits).
 *
 * <p><b>Paired comparison of methods A and B on the same subjects.</b>
 * <ul>
 *   <li>Exact McNemar: per subject the majority-vote correctness ({@link RepeatedOutcomes#majorityCorrect()})
 *       of A and of B; n01 = subjects A gets right and B wrong, n10 = B right and A wrong; two-sided
 *       p = min(1, 2 P(X &lt;= min(n01, n10))) with X ~ Binomial(n01 + n10, 1/2) (Apache Commons
 *       Math), 1 when there is no discordant subject. Equal to scipy's
 *       {@code binomtest(n01, n01 + n10, 0.5).pvalue}.
 *   <li>Paired bootstrap of the accuracy difference: the SAME resampled subject indices for A and
 *       B (one index sequence, as above); per resample d_b = acc_A - acc_B (pooled over repeats);
 *       the point difference is on all subjects; the 95% percentile interval as above; two-sided
 *       p = min(1, 2 min(#{d_b &lt;= 0}, #{d_b &gt;= 0}) / B), a |d_b| within 1e-12 counting as 0 (on both sides).
 * </ul>
 */
public final class ValidationStatistics {
    public static final int DEFAULT_RESAMPLES = 2000;
    public static final double LEVEL = 0.95;

    private ValidationStatistics() {}

    /**
     * A point estimate with its percentile interval.
     *
     * @param value on all subjects
     * @param lower 2.5th percentile of the bootstrap values
     * @param upper 97.5th percentile
     */
    public record Estimate(double value, double lower, double upper) {}

    /**
     * Accuracy and macro F1 of one protocol run.
     *
     * @param subjects n
     * @param repeats  R
     * @param chance   majority-class rate of the subjects
     */
    public record Summary(int subjects, int repeats, Estimate accuracy, Estimate macroF1, double chance) {}

    /**
     * A paired comparison of A against B.
     *
     * @param accuracyA       pooled accuracy of A
     * @param accuracyB       pooled accuracy of B
     * @param difference      accuracy A - B with its paired-bootstrap interval
     * @param bootstrapP      two-sided paired-bootstrap p-value of the difference
     * @param onlyA           subjects majority-correct under A only (n01)
     * @param onlyB           subjects majority-correct under B only (n10)
     * @param mcnemarP        exact two-sided McNemar p-value
     */
    public record Paired(double accuracyA, double accuracyB, Estimate difference, double bootstrapP, int onlyA, int onlyB, double mcnemarP) {}

    /**
     * Accuracy and macro F1 with 95% bootstrap intervals (class comment).
     *
     * @param resamples B &gt;= 1
     * @param seed      bootstrap seed
     */
    public static Summary summarize(RepeatedOutcomes o, int resamples, long seed) {
        if (resamples < 1) throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        int n = o.size();
        int[][] counts = o.predictionCounts();
        int[] truth = o.truth();
        double[] acc = new double[resamples], f1 = new double[resamples];
        Random rnd = new Random(seed);
        for (int b = 0; b < resamples; b++) {
            int[][] c = new int[3][3];
            for (int j = 0; j < n; j++) {
                int i = rnd.nextInt(n);
                for (int k = 0; k < 3; k++) c[truth[i]][k] += counts[i][k];
            }
            acc[b] = ClassificationMetrics.accuracy(c);
            f1[b] = ClassificationMetrics.macroF1(c);
        }
        return new Summary(n, o.repeats(), estimate(o.accuracy(), acc), estimate(o.macroF1(), f1), o.chanceAccuracy());
    }

    /**
     * Compares A with B on the same subjects (class comment).
     *
     * @throws IllegalArgumentException when A and B do not list the same subjects with the same truths in the same order
     */
    public static Paired compare(RepeatedOutcomes a, RepeatedOutcomes b, int resamples, long seed) {
        if (!a.subjects().equals(b.subjects()) || !Arrays.equals(a.truth(), b.truth()))
            throw new IllegalArgumentException("a paired comparison needs the same subjects, truths and order in both runs");
        if (resamples < 1) throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        int n = a.size();
        double[] okA = correctFraction(a), okB = correctFraction(b);
        double[] d = new double[resamples];
        Random rnd = new Random(seed);
        int le = 0, ge = 0;
        for (int r = 0; r < resamples; r++) {
            double sa = 0, sb = 0;
            for (int j = 0; j < n; j++) {
                int i = rnd.nextInt(n);
                sa += okA[i];
                sb += okB[i];
            }
            d[r] = (sa - sb) / n;
            if (d[r] <= 1e-12) le++;
            if (d[r] >= -1e-12) ge++;
        }
        double pBoot = Math.min(1.0, 2.0 * Math.min(le, ge) / resamples);
        boolean[] ma = a.majorityCorrect(), mb = b.majorityCorrect();
        int onlyA = 0, onlyB = 0;
        for (int i = 0; i < n; i++) {
            if (ma[i] && !mb[i]) onlyA++;
            if (mb[i] && !ma[i]) onlyB++;
        }
        double accA = a.accuracy(), accB = b.accuracy();
        return new Paired(accA, accB, estimate(accA - accB, d), pBoot, onlyA, onlyB, mcnemarExact(onlyA, onlyB));
    }

    /**
     * Exact two-sided McNemar p-value: min(1, 2 P(X &lt;= min(n01, n10))), X ~ Binomial(n01 + n10, 1/2);
     * 1 when n01 + n10 = 0.
     */
    public static double mcnemarExact(int n01, int n10) {
        if (n01 < 0 || n10 < 0) throw new IllegalArgumentException("counts must be >= 0, got " + n01 + ", " + n10);
        int m = n01 + n10;
        if (m == 0) return 1.0;
        return Math.min(1.0, 2.0 * new BinomialDistribution(null, m, 0.5).cumulativeProbability(Math.min(n01, n10)));
    }

    /**
     * The q-quantile (0..1) of the values with linear interpolation between order statistics
     * (numpy's default): position h = (B - 1) q in the sorted values, v[floor h] + (h - floor h)(v[floor h + 1] - v[floor h]).
     * NaN values are not allowed.
     */
    public static double percentile(double[] values, double q) {
        if (values.length == 0) throw new IllegalArgumentException("no values");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("q must be in [0, 1], got " + q);
        double[] v = values.clone();
        Arrays.sort(v);
        double h = (v.length - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= v.length - 1) return v[v.length - 1];
        return v[lo] + (h - lo) * (v[lo + 1] - v[lo]);
    }

    private static Estimate estimate(double value, double[] boot) {
        double a = (1 - LEVEL) / 2;
        return new Estimate(value, percentile(boot, a), percentile(boot, 1 - a));
    }

    /** Per subject, the fraction of its repeats predicted correctly. */
    private static double[] correctFraction(RepeatedOutcomes o) {
        double[] f = new double[o.size()];
        int[] t = o.truth();
        int[][] p = o.predicted();
        for (int i = 0; i < f.length; i++) {
            int ok = 0;
            for (int k : p[i]) if (k == t[i]) ok++;
            f[i] = (double) ok / p[i].length;
        }
        return f;
    }
}
