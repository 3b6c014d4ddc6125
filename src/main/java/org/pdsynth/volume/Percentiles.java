package org.pdsynth.volume;

import java.util.Arrays;

/**
 * Percentiles as numpy's default {@code np.percentile(a, q)} (method "linear"): with the n
 * values sorted ascending as v[0..n-1], the position is h = (q / 100) (n - 1) and the result is
 * v[floor h] + (h - floor h) (v[floor h + 1] - v[floor h]) (numpy's two-sided lerp, which is
 * exact at both ends). q in [0, 100].
 */
public final class Percentiles {
    private Percentiles() {}

    /** The q-th percentile of {@code values} (not modified); NaN values are not allowed. */
    public static double of(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        return ofSorted(s, q);
    }

    /** The q-th percentile of values already sorted ascending. */
    public static double ofSorted(double[] sorted, double q) {
        int n = sorted.length;
        if (n == 0) throw new IllegalArgumentException("percentile of no values");
        if (!(q >= 0 && q <= 100)) throw new IllegalArgumentException("percentile must be in [0, 100], got " + q);
        if (Double.isNaN(sorted[n - 1])) throw new IllegalArgumentException("percentile of values containing NaN");
        double h = (q / 100) * (n - 1);
        int lo = (int) Math.floor(h);
        if (lo >= n - 1) return sorted[n - 1];
        double g = h - lo;
        double a = sorted[lo], b = sorted[lo + 1], diff = b - a;
        return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
    }
}
