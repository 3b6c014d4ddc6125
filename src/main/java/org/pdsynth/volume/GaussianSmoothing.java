package org.pdsynth.volume;

/**
 * Separable Gaussian smoothing of a 3-D float volume (x fastest). The kernel has standard
 * deviation {@code sigma} in VOXELS on every axis, is truncated at ceil(3 sigma) voxels and
 * normalised to sum 1; beyond the volume edge the edge voxel is repeated. Computed in double.
 */
public final class GaussianSmoothing {
    private GaussianSmoothing() {}

    /** A smoothed copy of {@code volume} with dims (nx, ny, nz). */
    public static double[] smooth(float[] volume, long[] dims, double sigma) {
        double[] a = new double[volume.length];
        for (int i = 0; i < a.length; i++) a[i] = volume[i];
        if (sigma <= 0) return a;
        double[] k = kernel(sigma);
        int[] n = {(int) dims[0], (int) dims[1], (int) dims[2]};
        double[] b = new double[a.length];
        pass(a, b, k, n, 0);
        pass(b, a, k, n, 1);
        pass(a, b, k, n, 2);
        return b;
    }

    static double[] kernel(double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double s = 0;
        for (int i = -r; i <= r; i++) s += k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= s;
        return k;
    }

    /** Convolves every line along {@code axis}: lines start at the voxels whose coordinate on it is 0. */
    private static void pass(double[] in, double[] out, double[] k, int[] n, int axis) {
        int stride = axis == 0 ? 1 : axis == 1 ? n[0] : n[0] * n[1];
        int len = n[axis];
        for (int i = 0; i < in.length; i++)
            if ((i / stride) % len == 0) line(in, out, k, len, stride, i);
    }

    private static void line(double[] in, double[] out, double[] k, int n, int stride, int start) {
        int r = k.length / 2;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = -r; j <= r; j++) {
                int q = Math.min(Math.max(i + j, 0), n - 1);
                s += k[j + r] * in[start + q * stride];
            }
            out[start + i * stride] = s;
        }
    }
}
