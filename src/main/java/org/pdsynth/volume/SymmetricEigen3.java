package org.pdsynth.volume;

import java.util.Arrays;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;

/**
 * Eigen decomposition of a symmetric 3x3 matrix {@code [a00 a01 a02; a01 a11 a12; a02 a12 a22]}
 * by Apache Commons Math's {@link EigenDecomposition} (the copy Fiji ships). What remains here is
 * the order, the sign convention of the principal vector and the zero-matrix case. Used by the
 * phantom (fibre directions) and by the metrics' tensor fit (eigenvalues).
 */
public final class SymmetricEigen3 {
    private SymmetricEigen3() {}

    /** The three eigenvalues, sorted descending; (0, 0, 0) for the zero matrix. */
    public static double[] values(double a00, double a01, double a02, double a11, double a12, double a22) {
        EigenDecomposition d = decompose(a00, a01, a02, a11, a12, a22);
        if (d == null) return new double[3];
        double[] l = d.getRealEigenvalues().clone();
        Arrays.sort(l);
        return new double[] {l[2], l[1], l[0]};
    }

    /**
     * The unit eigenvector of the largest eigenvalue, sign chosen so its largest-magnitude
     * component is positive; (0, 0, 0) for the zero matrix.
     */
    public static double[] principal(double a00, double a01, double a02, double a11, double a12, double a22) {
        EigenDecomposition d = decompose(a00, a01, a02, a11, a12, a22);
        if (d == null) return new double[3];
        double[] ev = d.getRealEigenvalues();
        int best = 0;
        for (int k = 1; k < 3; k++) if (ev[k] > ev[best]) best = k;
        double[] e = d.getEigenvector(best).toArray();
        int big = 0;
        for (int k = 1; k < 3; k++) if (Math.abs(e[k]) > Math.abs(e[big])) big = k;
        double n = Math.sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]), sgn = e[big] < 0 ? -1 : 1;
        return new double[] {sgn * e[0] / n, sgn * e[1] / n, sgn * e[2] / n};
    }

    private static EigenDecomposition decompose(double a00, double a01, double a02, double a11, double a12, double a22) {
        if (a00 == 0 && a01 == 0 && a02 == 0 && a11 == 0 && a12 == 0 && a22 == 0) return null;
        return new EigenDecomposition(MatrixUtils.createRealMatrix(new double[][] {{a00, a01, a02}, {a01, a11, a12}, {a02, a12, a22}}));
    }
}
