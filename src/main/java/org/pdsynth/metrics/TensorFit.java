package org.pdsynth.metrics;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.volume.SymmetricEigen3;

/**
 * Diffusion tensor fit per voxel (log-linear least squares), as dipy 1.6's
 * {@code dipy.reconst.dti.TensorModel(gtab, fit_method=...)} does it:
 * <pre>
 *   ln S_i = ln S0 - sum_jk B_i,jk D_jk        (B_i: the b-matrix of measurement i, s/mm^2)
 * </pre>
 * <ul>
 *   <li>signals are clipped below at {@link #MIN_SIGNAL} = 1e-4 (dipy's {@code MIN_POSITIVE_SIGNAL});
 *   <li>{@link Method#OLS}: ordinary least squares on ln S; {@link Method#WLS} (dipy's default): the
 *       OLS prediction w = exp(X beta_OLS) weights a second fit, minimising sum (w_i (x_i beta - ln S_i))^2
 *       (Chung et al. 2006, NeuroImage 33:531);
 *   <li>eigenvalues of D sorted descending and clipped below at 1e-6 / max(1, max entry of the design
 *       matrix [Bxx, 2Bxy, Byy, 2Bxz, 2Byz, Bzz, 1]) (dipy's {@code min_diffusivity});
 *   <li>FA = sqrt(1/2) sqrt((l1-l2)^2 + (l2-l3)^2 + (l3-l1)^2) / sqrt(l1^2 + l2^2 + l3^2) (0 when all
 *       eigenvalues are 0); MD = (l1 + l2 + l3) / 3, in mm^2/s when b is in s/mm^2.
 * </ul>
 * The design is one b-matrix per measurement: b g g^T for a volume with b-value b and unit direction
 * g ({@link #of}), or, for channels that average several volumes ({@link #ofGroups}), the mean of
 * their b-matrices: the averaged signal is then exp(-tr(mean(B) D)) to first order, where a single
 * "mean direction" would lose the spread of the directions and bias FA low (measured in
 * docs/experiment.md). Checked against dipy 1.6 on its own small_25/small_64D files and on a
 * direction-grouped phantom (TensorFitGoldenTest).
 */
public final class TensorFit {
    /** Least-squares variant. */
    public enum Method { OLS, WLS }

    /** Signals are clipped below at this value before the logarithm (dipy's MIN_POSITIVE_SIGNAL). */
    public static final double MIN_SIGNAL = 1e-4;

    private final double[][] x; // G x 7: -Bxx, -2Bxy, -Byy, -2Bxz, -2Byz, -Bzz, 1 ; beta = Dxx, Dxy, Dyy, Dxz, Dyz, Dzz, ln S0
    private final Method method;
    private final double minDiffusivity;

    /**
     * @param bMatrices one row per measurement: {Bxx, Bxy, Bxz, Byy, Byz, Bzz} in s/mm^2
     * @param method    OLS or WLS
     * @throws IllegalArgumentException when the design cannot determine a tensor (fewer than 7
     *                                  measurements or rank below 7)
     */
    public TensorFit(double[][] bMatrices, Method method) {
        int g = bMatrices.length;
        if (g < 7) throw new IllegalArgumentException(g + " measurements cannot determine a tensor and S0 (7 unknowns)");
        x = new double[g][7];
        double max = 1;
        for (int i = 0; i < g; i++) {
            double[] b = bMatrices[i];
            double[] row = {b[0], 2 * b[1], b[3], 2 * b[2], 2 * b[4], b[5]};
            for (int j = 0; j < 6; j++) {
                x[i][j] = -row[j];
                max = Math.max(max, row[j]);
            }
            x[i][6] = 1;
        }
        this.method = method;
        this.minDiffusivity = 1e-6 / max;
        double[][] a = new double[g][];
        for (int i = 0; i < g; i++) a[i] = x[i].clone();
        if (householder(a) < 7)
            throw new IllegalArgumentException("the " + g + " b-matrices do not determine a tensor (design rank < 7): "
                    + "need b=0 and at least 6 non-coplanar directions");
    }

    /** One measurement per volume of the table: B = b g g^T (b=0 volumes: B = 0). */
    public static TensorFit of(GradientTable table, Method method) {
        double[][] b = new double[table.size()][];
        for (int i = 0; i < b.length; i++) b[i] = bMatrix(table, i);
        return new TensorFit(b, method);
    }

    /**
     * One measurement per group of volumes (a channel averaging them, e.g. {@code
     * Segmenter.dwiGroups}): B = the mean of the members' b g g^T.
     */
    public static TensorFit ofGroups(GradientTable table, int[][] groups, Method method) {
        double[][] b = new double[groups.length][6];
        for (int c = 0; c < groups.length; c++) {
            if (groups[c].length == 0) throw new IllegalArgumentException("group " + c + " has no volumes");
            for (int v : groups[c]) {
                double[] m = bMatrix(table, v);
                for (int j = 0; j < 6; j++) b[c][j] += m[j] / groups[c].length;
            }
        }
        return new TensorFit(b, method);
    }

    private static double[] bMatrix(GradientTable t, int i) {
        double[] g = t.direction(i);
        double b = t.bvalue(i);
        return new double[] {b * g[0] * g[0], b * g[0] * g[1], b * g[0] * g[2], b * g[1] * g[1], b * g[1] * g[2], b * g[2] * g[2]};
    }

    /** Number of measurements (volumes or channels) the fit expects. */
    public int measurements() {
        return x.length;
    }

    /** The fitted tensor's eigenvalues (descending, clipped as in the class comment) for one voxel's signals. */
    public double[] eigenvalues(double[] signal) {
        int g = x.length;
        if (signal.length != g) throw new IllegalArgumentException(signal.length + " signals for a design of " + g + " measurements");
        double[] y = new double[g];
        for (int i = 0; i < g; i++) y[i] = Math.log(Math.max(signal[i], MIN_SIGNAL));
        double[] beta = solve(x, y, null);
        if (method == Method.WLS) {
            double[] w = new double[g];
            for (int i = 0; i < g; i++) {
                double p = 0;
                for (int j = 0; j < 7; j++) p += x[i][j] * beta[j];
                w[i] = Math.exp(p);
            }
            beta = solve(x, y, w);
        }
        double[] l = SymmetricEigen3.values(beta[0], beta[1], beta[3], beta[2], beta[4], beta[5]);
        for (int k = 0; k < 3; k++) l[k] = Math.max(l[k], minDiffusivity);
        return l;
    }

    /** FA of eigenvalues (0 when all are 0). */
    public static double fa(double[] l) {
        double den = l[0] * l[0] + l[1] * l[1] + l[2] * l[2];
        if (den == 0) return 0;
        double num = (l[0] - l[1]) * (l[0] - l[1]) + (l[1] - l[2]) * (l[1] - l[2]) + (l[2] - l[0]) * (l[2] - l[0]);
        return Math.sqrt(0.5 * num / den);
    }

    /** MD of eigenvalues: their mean. */
    public static double md(double[] l) {
        return (l[0] + l[1] + l[2]) / 3;
    }

    /** FA and MD maps (x fastest, then y, z); 0 outside the mask. */
    public record Maps(double[] fa, double[] md) {}

    /**
     * Fits every voxel inside {@code inside} (null: every voxel) of a 4-D (x, y, z, measurement)
     * volume whose 4th axis has {@link #measurements()} entries.
     *
     * @throws IllegalArgumentException for a volume of another shape or a non-finite value
     */
    public Maps fit(RandomAccessibleInterval<? extends RealType<?>> dwi, boolean[] inside, String name) {
        if (dwi.numDimensions() != 4 || dwi.dimension(3) != x.length)
            throw new IllegalArgumentException(name + " is " + MetricInputs.shape(dwi) + ": a tensor fit needs 4-D (x, y, z, "
                    + x.length + ") data, one volume per measurement of the design");
        MetricInputs.spatialDims(dwi, name, true);
        double[][] ch = new double[x.length][];
        for (int c = 0; c < x.length; c++) ch[c] = MetricInputs.copy(MetricInputs.channel(dwi, c), name + " volume " + c);
        int n = ch[0].length;
        if (inside != null && inside.length != n)
            throw new IllegalArgumentException("mask has " + inside.length + " voxels but " + name + " has " + n + " per volume");
        double[] fa = new double[n], md = new double[n], s = new double[x.length];
        for (int i = 0; i < n; i++) {
            if (inside != null && !inside[i]) continue;
            for (int c = 0; c < s.length; c++) s[c] = ch[c][i];
            double[] l = eigenvalues(s);
            fa[i] = fa(l);
            md[i] = md(l);
        }
        return new Maps(fa, md);
    }

    /** Least squares min sum (w_i (a_i . beta - y_i))^2 (w null: all 1) by Householder QR. */
    private static double[] solve(double[][] a0, double[] y0, double[] w) {
        int m = a0.length, n = a0[0].length;
        double[][] a = new double[m][n];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double wi = w == null ? 1 : w[i];
            for (int j = 0; j < n; j++) a[i][j] = wi * a0[i][j];
            y[i] = wi * y0[i];
        }
        qrInPlace(a, y);
        double[] beta = new double[n];
        for (int k = n - 1; k >= 0; k--) {
            double s = y[k];
            for (int j = k + 1; j < n; j++) s -= a[k][j] * beta[j];
            beta[k] = a[k][k] == 0 ? 0 : s / a[k][k];
        }
        return beta;
    }

    /** Numerical rank of a (overwritten by its R factor): diagonal entries above 1e-10 of the largest. */
    private static int householder(double[][] a) {
        int n = a[0].length;
        qrInPlace(a, new double[a.length]);
        double max = 0;
        for (int k = 0; k < n; k++) max = Math.max(max, Math.abs(a[k][k]));
        int rank = 0;
        for (int k = 0; k < n; k++) if (Math.abs(a[k][k]) > 1e-10 * max) rank++;
        return rank;
    }

    /** Householder QR of a in place (R in its upper triangle), each reflection applied to y too (y becomes Q^T y). */
    private static void qrInPlace(double[][] a, double[] y) {
        int m = a.length, n = a[0].length;
        double[] v = new double[m];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) norm += a[i][k] * a[i][k];
            norm = Math.sqrt(norm);
            if (norm == 0) continue;
            double alpha = a[k][k] > 0 ? -norm : norm;
            for (int i = k; i < m; i++) v[i] = a[i][k];
            v[k] -= alpha;
            double vv = 0;
            for (int i = k; i < m; i++) vv += v[i] * v[i];
            if (vv == 0) continue;
            for (int j = k; j < n; j++) {
                double d = 0;
                for (int i = k; i < m; i++) d += v[i] * a[i][j];
                d = 2 * d / vv;
                for (int i = k; i < m; i++) a[i][j] -= d * v[i];
            }
            double d = 0;
            for (int i = k; i < m; i++) d += v[i] * y[i];
            d = 2 * d / vv;
            for (int i = k; i < m; i++) y[i] -= d * v[i];
        }
    }
}
