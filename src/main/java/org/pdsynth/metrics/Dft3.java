package org.pdsynth.metrics;

/**
 * Direct, separable 3-D discrete Fourier transform, X(k) = sum_n x(n) exp(-2 pi i k.n / N) (no
 * normalisation, numpy's {@code fftn} convention), for any dimensions. O(V (nx + ny + nz))
 * multiply-adds with precomputed twiddles: exact in double and fast enough for our volumes
 * (48x56x48: about 2e7 complex multiply-adds), so no FFT library is needed.
 */
final class Dft3 {
    private Dft3() {}

    /** Transforms (re, im) of a volume with dims (nx, ny, nz), x fastest, in place. */
    static void forward(double[] re, double[] im, int[] d) {
        for (int axis = 0; axis < 3; axis++) {
            int n = d[axis];
            if (n == 1) continue;
            double[] cos = new double[n], sin = new double[n];
            for (int k = 0; k < n; k++) {
                cos[k] = Math.cos(2 * Math.PI * k / n);
                sin[k] = Math.sin(2 * Math.PI * k / n);
            }
            int stride = axis == 0 ? 1 : axis == 1 ? d[0] : d[0] * d[1];
            double[] lr = new double[n], li = new double[n];
            for (int start = 0; start < re.length; start++) {
                if ((start / stride) % n != 0) continue;
                for (int j = 0; j < n; j++) {
                    lr[j] = re[start + j * stride];
                    li[j] = im[start + j * stride];
                }
                for (int k = 0; k < n; k++) {
                    double sr = 0, si = 0;
                    int idx = 0;
                    for (int j = 0; j < n; j++) {
                        // exp(-2 pi i k j / n) = cos - i sin at index (k j) mod n
                        double c = cos[idx], s = sin[idx];
                        sr += lr[j] * c + li[j] * s;
                        si += li[j] * c - lr[j] * s;
                        idx += k;
                        if (idx >= n) idx -= n;
                    }
                    re[start + k * stride] = sr;
                    im[start + k * stride] = si;
                }
            }
        }
    }
}
