package org.pdsynth.volume;

/**
 * Otsu's threshold with the same histogram as scikit-image's {@code threshold_otsu(image, nbins)}
 * for float data: {@code nbins} equal bins from min to max (numpy's {@code histogram}, the max
 * in the last bin), the threshold is the CENTRE of the bin that maximises the between-class
 * variance (first bin on ties). Foreground is {@code value > threshold}. When all values are
 * equal the threshold is that value (so nothing is foreground).
 */
public final class Otsu {
    /** scikit-image's default bin count. */
    public static final int DEFAULT_BINS = 256;

    private Otsu() {}

    /** The threshold of the finite {@code values} (non-finite ones are ignored). */
    public static double threshold(double[] values, int nbins) {
        if (nbins < 2) throw new IllegalArgumentException("Otsu needs >= 2 bins, got " + nbins);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : values)
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        if (lo > hi) throw new IllegalArgumentException("Otsu threshold of an image without finite values");
        if (lo == hi) return lo;
        double step = (hi - lo) / nbins;
        double[] edges = new double[nbins + 1];
        for (int i = 0; i <= nbins; i++) edges[i] = i * step + lo;
        edges[nbins] = hi;
        double norm = nbins / (hi - lo);
        long[] counts = new long[nbins];
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            int b = (int) ((v - lo) * norm);
            if (b == nbins) b--;
            if (v < edges[b]) b--;
            else if (b != nbins - 1 && v >= edges[b + 1]) b++;
            counts[b]++;
        }
        double[] centres = new double[nbins];
        for (int i = 0; i < nbins; i++) centres[i] = (edges[i] + edges[i + 1]) / 2;
        double[] w1 = new double[nbins], m1 = new double[nbins], w2 = new double[nbins], m2 = new double[nbins];
        double cw = 0, cs = 0;
        for (int i = 0; i < nbins; i++) {
            cw += counts[i];
            cs += counts[i] * centres[i];
            w1[i] = cw;
            m1[i] = cs / cw;
        }
        cw = 0;
        cs = 0;
        for (int i = nbins - 1; i >= 0; i--) {
            cw += counts[i];
            cs += counts[i] * centres[i];
            w2[i] = cw;
            m2[i] = cs / cw;
        }
        int best = 0;
        double bestVar = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < nbins - 1; i++) {
            double d = m1[i] - m2[i + 1];
            double var = w1[i] * w2[i + 1] * d * d;
            if (var > bestVar) {
                bestVar = var;
                best = i;
            }
        }
        return centres[best];
    }
}
