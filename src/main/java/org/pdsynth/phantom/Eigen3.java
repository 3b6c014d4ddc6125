package org.pdsynth.phantom;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;

/**
 * Principal eigenvector of a symmetric 3x3 matrix, by Apache Commons Math's
 * {@link EigenDecomposition} (the copy Fiji ships); what remains here is the phantom's sign
 * convention and the zero-matrix case.
 */
final class Eigen3 {
    private Eigen3() {}

    /**
     * The unit eigenvector of the largest eigenvalue of the symmetric matrix
     * {@code [a00 a01 a02; a01 a11 a12; a02 a12 a22]}, sign chosen so its largest-magnitude
     * component is positive; (0, 0, 0) for the zero matrix.
     */
    static double[] principal(double a00, double a01, double a02, double a11, double a12, double a22) {
        if (a00 == 0 && a01 == 0 && a02 == 0 && a11 == 0 && a12 == 0 && a22 == 0) return new double[3];
        EigenDecomposition d = new EigenDecomposition(MatrixUtils.createRealMatrix(new double[][] {
            {a00, a01, a02}, {a01, a11, a12}, {a02, a12, a22}}));
        double[] ev = d.getRealEigenvalues();
        int best = 0;
        for (int k = 1; k < 3; k++) if (ev[k] > ev[best]) best = k;
        double[] e = d.getEigenvector(best).toArray();
        int big = 0;
        for (int k = 1; k < 3; k++) if (Math.abs(e[k]) > Math.abs(e[big])) big = k;
        double n = Math.sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]), sgn = e[big] < 0 ? -1 : 1;
        return new double[] {sgn * e[0] / n, sgn * e[1] / n, sgn * e[2] / n};
    }
}
