package org.pdsynth.volume;

import java.util.Arrays;

/**
 * Eigen decomposition of a symmetric 3x3 matrix {@code [a00 a01 a02; a01 a11 a12; a02 a12 a22]}
 * by cyclic Jacobi rotations (until the off-diagonal absolute sum is at most 1e-15 of the
 * matrix's absolute sum, at most 50 sweeps). Used by the phantom (fibre directions) and by the
 * metrics' tensor fit (eigenvalues).
 */
public final class SymmetricEigen3 {
    private SymmetricEigen3() {}

    /** The three eigenvalues, sorted descending; (0, 0, 0) for the zero matrix. */
    public static double[] values(double a00, double a01, double a02, double a11, double a12, double a22) {
        double[][] a = {{a00, a01, a02}, {a01, a11, a12}, {a02, a12, a22}};
        if (!jacobi(a, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}})) return new double[3];
        double[] l = {a[0][0], a[1][1], a[2][2]};
        Arrays.sort(l);
        return new double[] {l[2], l[1], l[0]};
    }

    /**
     * The unit eigenvector of the largest eigenvalue, sign chosen so its largest-magnitude
     * component is positive; (0, 0, 0) for the zero matrix.
     */
    public static double[] principal(double a00, double a01, double a02, double a11, double a12, double a22) {
        double[][] a = {{a00, a01, a02}, {a01, a11, a12}, {a02, a12, a22}};
        double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        if (!jacobi(a, v)) return new double[3];
        int best = 0;
        for (int i = 1; i < 3; i++) if (a[i][i] > a[best][best]) best = i;
        double[] e = {v[0][best], v[1][best], v[2][best]};
        double n = Math.sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
        int big = 0;
        for (int i = 1; i < 3; i++) if (Math.abs(e[i]) > Math.abs(e[big])) big = i;
        double sgn = e[big] < 0 ? -1 : 1;
        return new double[] {sgn * e[0] / n, sgn * e[1] / n, sgn * e[2] / n};
    }

    /** Diagonalises a in place (eigenvalues on its diagonal), accumulating the rotations in v; false for the zero matrix. */
    private static boolean jacobi(double[][] a, double[][] v) {
        double scale = 0;
        for (int i = 0; i < 3; i++) for (int j = i; j < 3; j++) scale += Math.abs(a[i][j]);
        if (scale == 0) return false;
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = Math.abs(a[0][1]) + Math.abs(a[0][2]) + Math.abs(a[1][2]);
            if (off <= 1e-15 * scale) break;
            for (int p = 0; p < 2; p++) {
                for (int q = p + 1; q < 3; q++) {
                    if (a[p][q] == 0) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < 3; k++) {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++) {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < 3; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        return true;
    }
}
