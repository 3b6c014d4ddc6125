package org.pdsynth.nifti;

/**
 * The NIfTI qform: rotation as the quaternion (a, b, c, d) with a = sqrt(1 - b^2 - c^2 - d^2),
 * a reflection flag qfac = pixdim[0] on the third axis, voxel sizes and offsets (nifti1.h,
 * "METHOD 2"). Parameters are passed as {b, c, d, qoffset_x, qoffset_y, qoffset_z, qfac}.
 */
final class Quaternion {
    private Quaternion() {}

    /** Row-major 4x4 voxel-to-world affine from qform parameters and voxel sizes. */
    static double[] toAffine(double[] q, double[] vs) {
        double b = q[0], c = q[1], d = q[2];
        double a2 = 1.0 - (b * b + c * c + d * d);
        // nibabel: tiny negative values (float32 rounding) mean a = 0
        double a = a2 < 0 ? 0 : Math.sqrt(a2);
        if (a2 < 0) {
            double n = Math.sqrt(b * b + c * c + d * d);
            b /= n;
            c /= n;
            d /= n;
        }
        double qfac = q[6] < 0 ? -1 : 1;
        double[][] r = {
            {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
            {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
            {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
        double[] z = {vs[0], vs[1], vs[2] * qfac};
        double[] m = new double[16];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++)
                m[4 * i + j] = r[i][j] * z[j];
            m[4 * i + 3] = q[3 + i];
        }
        m[15] = 1;
        return m;
    }

    /**
     * qform parameters for a row-major affine: the nearest rotation to the affine's normalised
     * columns (Gram-Schmidt from the first column), with qfac = -1 when the axes are left-handed.
     */
    static double[] fromAffine(double[] m) {
        double[][] col = new double[3][3];
        for (int j = 0; j < 3; j++)
            for (int i = 0; i < 3; i++)
                col[j][i] = m[4 * i + j];
        normalise(col[0]);
        subtract(col[1], col[0]);
        normalise(col[1]);
        subtract(col[2], col[0]);
        subtract(col[2], col[1]);
        normalise(col[2]);
        double det = col[0][0] * (col[1][1] * col[2][2] - col[1][2] * col[2][1])
                - col[1][0] * (col[0][1] * col[2][2] - col[0][2] * col[2][1])
                + col[2][0] * (col[0][1] * col[1][2] - col[0][2] * col[1][1]);
        double qfac = 1;
        if (det < 0) {
            qfac = -1;
            for (int i = 0; i < 3; i++)
                col[2][i] = -col[2][i];
        }
        // r[i][j] = col[j][i]
        double r00 = col[0][0], r11 = col[1][1], r22 = col[2][2];
        double r01 = col[1][0], r10 = col[0][1], r02 = col[2][0], r20 = col[0][2], r12 = col[2][1], r21 = col[1][2];
        double a, b, c, d;
        double trace = r00 + r11 + r22 + 1;
        if (trace > 0.5) {
            a = 0.5 * Math.sqrt(trace);
            b = 0.25 * (r21 - r12) / a;
            c = 0.25 * (r02 - r20) / a;
            d = 0.25 * (r10 - r01) / a;
        } else {
            double xd = 1 + r00 - (r11 + r22), yd = 1 + r11 - (r00 + r22), zd = 1 + r22 - (r00 + r11);
            if (xd > 1) {
                b = 0.5 * Math.sqrt(xd);
                c = 0.25 * (r01 + r10) / b;
                d = 0.25 * (r02 + r20) / b;
                a = 0.25 * (r21 - r12) / b;
            } else if (yd > 1) {
                c = 0.5 * Math.sqrt(yd);
                b = 0.25 * (r01 + r10) / c;
                d = 0.25 * (r12 + r21) / c;
                a = 0.25 * (r02 - r20) / c;
            } else {
                d = 0.5 * Math.sqrt(zd);
                b = 0.25 * (r02 + r20) / d;
                c = 0.25 * (r12 + r21) / d;
                a = 0.25 * (r10 - r01) / d;
            }
            if (a < 0) {
                b = -b;
                c = -c;
                d = -d;
            }
        }
        return new double[] {b, c, d, m[3], m[7], m[11], qfac};
    }

    private static void normalise(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (n == 0) throw new IllegalArgumentException("affine has a zero column");
        for (int i = 0; i < 3; i++)
            v[i] /= n;
    }

    private static void subtract(double[] v, double[] unit) {
        double p = v[0] * unit[0] + v[1] * unit[1] + v[2] * unit[2];
        for (int i = 0; i < 3; i++)
            v[i] -= p * unit[i];
    }
}
