package org.pdsynth.diagnosis;

/**
 * Per-feature standardisation z = (x - mean) / std, fitted on the TRAINING rows only and then
 * applied unchanged to training and test rows.
 *
 * <p>mean and std are over the fitted rows, std the POPULATION standard deviation (ddof = 0, as
 * scikit-learn's {@code StandardScaler}), in double, two passes. A column is CONSTANT when its
 * std is at most 1e-12 * max(1, |mean|) (float data constant up to rounding); a constant column
 * carries no information in training, so {@link #transform} maps it to 0 for every row, train or
 * test (its logistic coefficients are then exactly 0 under the L2 penalty). Immutable.
 */
public final class Standardizer {
    private final double[] mean, std;
    private final boolean[] constant;

    private Standardizer(double[] mean, double[] std, boolean[] constant) {
        this.mean = mean;
        this.std = std;
        this.constant = constant;
    }

    /** Fits on rows x columns (at least one row). */
    public static Standardizer fit(double[][] x) {
        if (x.length == 0) throw new IllegalArgumentException("cannot fit a standardizer on no rows");
        int d = x[0].length, n = x.length;
        double[] mean = new double[d], std = new double[d];
        boolean[] constant = new boolean[d];
        for (double[] row : x) {
            if (row.length != d) throw new IllegalArgumentException("rows of different lengths: " + row.length + " and " + d);
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (double[] row : x)
            for (int j = 0; j < d; j++) {
                double e = row[j] - mean[j];
                std[j] += e * e;
            }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / n);
            constant[j] = !(std[j] > 1e-12 * Math.max(1, Math.abs(mean[j])));
        }
        return new Standardizer(mean, std, constant);
    }

    /** A new standardised matrix (rows x columns). */
    public double[][] transform(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) out[i] = transform(x[i]);
        return out;
    }

    /** One standardised row. */
    public double[] transform(double[] row) {
        if (row.length != mean.length) throw new IllegalArgumentException("row has " + row.length + " features, fitted on " + mean.length);
        double[] z = new double[row.length];
        for (int j = 0; j < row.length; j++) z[j] = constant[j] ? 0 : (row[j] - mean[j]) / std[j];
        return z;
    }

    public double mean(int j) {
        return mean[j];
    }

    public double std(int j) {
        return std[j];
    }

    public boolean isConstant(int j) {
        return constant[j];
    }

    /** Number of constant columns. */
    public int constantCount() {
        int n = 0;
        for (boolean c : constant) if (c) n++;
        return n;
    }

    public int features() {
        return mean.length;
    }
}
