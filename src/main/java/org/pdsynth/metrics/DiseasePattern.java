package org.pdsynth.metrics;

import java.util.List;
import org.pdsynth.volume.Diagnosis;

/**
 * The disease pattern as numbers (paper Fig. 5): group differences of regional features as effect
 * sizes, and how well a synthesis reproduces the truth's.
 *
 * <p><b>Effect size</b> of group A against reference group R for feature j (e.g. the mean of one
 * channel in one region): Cohen's d = (mean_A - mean_R) / s_p with the pooled standard deviation
 * s_p = sqrt(((n_A - 1) s_A^2 + (n_R - 1) s_R^2) / (n_A + n_R - 2)) (s: sample standard deviation);
 * NaN when a group has fewer than 2 subjects or s_p = 0.
 *
 * <p><b>Agreement</b> of test effect sizes d' with truth effect sizes d over the entries finite
 * in both: Pearson correlation r(d', d), and relative error sum |d' - d| / sum |d| (the L1
 * distance relative to the truth's pattern: 0 = the same pattern, 1 = as far off as a pattern of
 * zeros). Golden values from numpy/scipy ({@code scripts/golden/pattern_golden.py}).
 */
public final class DiseasePattern {
    private DiseasePattern() {}

    /**
     * Cohen's d of {@code group} against {@code reference} for every feature.
     *
     * @param features one row per subject, all of one length
     * @param labels   the subjects' labels (null = unlabelled, ignored)
     */
    public static double[] effectSizes(List<double[]> features, List<Diagnosis> labels, Diagnosis group, Diagnosis reference) {
        if (features.size() != labels.size()) throw new IllegalArgumentException(features.size() + " feature rows but " + labels.size() + " labels");
        if (features.isEmpty()) return new double[0];
        int m = features.get(0).length;
        double[] out = new double[m];
        for (int j = 0; j < m; j++) {
            double[] a = stats(features, labels, group, j), r = stats(features, labels, reference, j);
            double na = a[0], nr = r[0];
            if (na < 2 || nr < 2) {
                out[j] = Double.NaN;
                continue;
            }
            double sp = Math.sqrt(((na - 1) * a[2] + (nr - 1) * r[2]) / (na + nr - 2));
            out[j] = sp > 0 ? (a[1] - r[1]) / sp : Double.NaN;
        }
        return out;
    }

    /** {n, mean, sample variance} of feature j over the subjects labelled d. */
    private static double[] stats(List<double[]> f, List<Diagnosis> labels, Diagnosis d, int j) {
        double n = 0, s = 0;
        for (int i = 0; i < f.size(); i++)
            if (labels.get(i) == d) {
                if (f.get(i).length <= j) throw new IllegalArgumentException("feature row " + i + " has " + f.get(i).length + " entries");
                n++;
                s += f.get(i)[j];
            }
        double mean = n > 0 ? s / n : Double.NaN, v = 0;
        for (int i = 0; i < f.size(); i++) if (labels.get(i) == d) v += (f.get(i)[j] - mean) * (f.get(i)[j] - mean);
        return new double[] {n, mean, n > 1 ? v / (n - 1) : Double.NaN};
    }

    /**
     * @param correlation   Pearson r of test against truth effect sizes (NaN for fewer than 2 entries or a constant vector)
     * @param relativeError sum |test - truth| / sum |truth|
     * @param effects       entries used (finite in both)
     */
    public record Agreement(double correlation, double relativeError, int effects) {}

    /** Agreement of {@code test} effect sizes with {@code truth}'s, over the entries finite in both. */
    public static Agreement agreement(double[] truth, double[] test) {
        if (truth.length != test.length) throw new IllegalArgumentException(truth.length + " truth effect sizes but " + test.length + " test ones");
        int n = 0;
        double mt = 0, ms = 0;
        for (int i = 0; i < truth.length; i++)
            if (Double.isFinite(truth[i]) && Double.isFinite(test[i])) {
                n++;
                mt += truth[i];
                ms += test[i];
            }
        if (n == 0) return new Agreement(Double.NaN, Double.NaN, 0);
        mt /= n;
        ms /= n;
        double stt = 0, sss = 0, sts = 0, dif = 0, abs = 0;
        for (int i = 0; i < truth.length; i++) {
            if (!(Double.isFinite(truth[i]) && Double.isFinite(test[i]))) continue;
            double a = truth[i] - mt, b = test[i] - ms;
            stt += a * a;
            sss += b * b;
            sts += a * b;
            dif += Math.abs(test[i] - truth[i]);
            abs += Math.abs(truth[i]);
        }
        double r = n > 1 && stt > 0 && sss > 0 ? sts / Math.sqrt(stt * sss) : Double.NaN;
        return new Agreement(r, abs > 0 ? dif / abs : Double.NaN, n);
    }
}
