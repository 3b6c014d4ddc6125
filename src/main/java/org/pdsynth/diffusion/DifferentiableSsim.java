package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.pdsynth.volume.SsimConvention;

/**
 * 3-D SSIM as differentiable NDArray operations, the same definition as the reference
 * {@code metrics.Ssim} (scikit-image's {@code structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=R)}), computed in float32:
 * <ul>
 *   <li>Gaussian window sigma {@value SsimConvention#SIGMA} voxels, truncated at {@value SsimConvention#TRUNCATE} sigma
 *       (radius 5, 11 taps summing to 1), applied separably along W (x), H (y), D (z), each as a
 *       matrix product with a fixed banded matrix;</li>
 *   <li>scipy's 'reflect' borders (the edge voxel repeated, {@code c b a | a b c}), folded into
 *       those matrices (DJL has no reflect pad), though only the interior is computed, which
 *       never reaches them. Measured on (2, 8, 48, 56, 48), 2 threads, under
 *       load: the first version, 1-channel {@code conv3d} with (11,1,1) kernels on a padded
 *       copy, took 2-4 s forward and 8-15 s backward; full matrix products took 0.65 s
 *       and 1.4 s; computing only the interior is what this class does (figures in the report of
 *       the PDS issue);</li>
 *   <li>C1 = (0.01 R)^2, C2 = (0.03 R)^2, population (co)variances
 *       {@code G(a b) - G(a) G(b)};</li>
 *   <li>the SSIM map averaged over the interior: voxels at least 5 from every border.</li>
 * </ul>
 * Inputs are (B, N, D, H, W) with every spatial size at least 11; each channel of each sample is
 * one volume. R is the data range: 2 for the model's [-1, 1] data. Gradients flow to both inputs.
 */
public final class DifferentiableSsim {
    private static final double K1 = SsimConvention.K1;
    private static final double K2 = SsimConvention.K2;

    private DifferentiableSsim() {}

    /** The 1-D Gaussian window taps (11 for sigma 1.5, truncate 3.5), as scipy builds them. */
    static float[] taps() {
        int r = SsimConvention.PAD;
        double[] w = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            w[i + r] = Math.exp(-0.5 / (SsimConvention.SIGMA * SsimConvention.SIGMA) * i * i);
            sum += w[i + r];
        }
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) f[i] = (float) (w[i] / sum);
        return f;
    }

    /**
     * SSIM per channel and sample: (B, N), each the interior mean of that volume's SSIM map.
     *
     * @throws IllegalArgumentException when shapes differ, are not 5-D, or a spatial size is below 11
     */
    public static NDArray perChannel(NDArray a, NDArray b, double dataRange) {
        Shape s = a.getShape();
        if (s.dimension() != 5 || !s.equals(b.getShape())) {
            throw new IllegalArgumentException("SSIM needs two (B, N, D, H, W) arrays of one shape, got " + s + " and " + b.getShape());
        }
        for (int ax = 2; ax < 5; ax++) {
            if (s.get(ax) < SsimConvention.WIN_SIZE) throw new IllegalArgumentException("3-D SSIM needs every spatial size >= " + SsimConvention.WIN_SIZE + ", got " + s);
        }
        if (!(dataRange > 0)) throw new IllegalArgumentException("SSIM data range must be > 0, got " + dataRange);
        long bn = s.get(0) * s.get(1);
        Shape vol = new Shape(bn, 1, s.get(2), s.get(3), s.get(4));
        NDArray x = a.reshape(vol);
        NDArray y = b.reshape(vol);
        NDArray fields = NDArrays.concat(new NDList(x, y, x.mul(x), y.mul(y), x.mul(y)), 0);
        NDArray g = gaussianInterior(fields);
        NDArray ux = g.get("0:{}", bn), uy = g.get("{}:{}", bn, 2 * bn), uxx = g.get("{}:{}", 2 * bn, 3 * bn);
        NDArray uyy = g.get("{}:{}", 3 * bn, 4 * bn), uxy = g.get("{}:", 4 * bn);
        double c1 = (K1 * dataRange) * (K1 * dataRange);
        double c2 = (K2 * dataRange) * (K2 * dataRange);
        NDArray uxuy = ux.mul(uy);
        NDArray ux2 = ux.mul(ux), uy2 = uy.mul(uy);
        NDArray vx = uxx.sub(ux2), vy = uyy.sub(uy2), vxy = uxy.sub(uxuy);
        NDArray num = uxuy.mul(2).add(c1).mul(vxy.mul(2).add(c2));
        NDArray den = ux2.add(uy2).add(c1).mul(vx.add(vy).add(c2));
        NDArray interior = num.div(den);                                       // the SSIM map's interior
        return meanPerRow(interior).reshape(s.get(0), s.get(1));
    }

    /** Mean SSIM over channels, per sample: (B). */
    public static NDArray perSample(NDArray a, NDArray b, double dataRange) {
        return perChannel(a, b, dataRange).mean(new int[] {1});
    }

    /** Mean over every axis but the first: (M, ...) to (M). (DJL's PyTorch mean takes one axis only.) */
    static NDArray meanPerRow(NDArray x) {
        return x.reshape(x.getShape().get(0), -1).mean(new int[] {1});
    }

    /**
     * Separable Gaussian filter of (M, 1, D, H, W), evaluated only at the interior voxels (at
     * least 5 from every border): (M, 1, D - 10, H - 10, W - 10). Each axis is one matrix product
     * with the columns 5..n-6 of the banded matrix of {@link #filterMatrix}: along W {@code x G},
     * along H and D {@code G^T x}. (An interior output never reaches past the border, so the
     * reflected values do not enter the interior mean; the matrices hold them anyway.)
     */
    static NDArray gaussianInterior(NDArray f) {
        NDManager m = f.getManager();
        Shape s = f.getShape();
        long mm = s.get(0);
        int d = (int) s.get(2), h = (int) s.get(3), w = (int) s.get(4);
        int p = SsimConvention.PAD;
        int di = d - 2 * p, hi = h - 2 * p, wi = w - 2 * p;
        NDArray gw = m.create(interiorColumns(filterMatrix(w, false), w), new Shape(w, wi));
        NDArray ght = m.create(interiorRows(filterMatrix(h, true), h), new Shape(hi, h));
        NDArray gdt = m.create(interiorRows(filterMatrix(d, true), d), new Shape(di, d));
        NDArray x = f.reshape(mm, d, h, w).matMul(gw);                        // along W (x): (M, D, H, Wi)
        x = ght.matMul(x);                                                     // along H (y): (M, D, Hi, Wi)
        x = gdt.matMul(x.reshape(mm, d, (long) hi * wi));                      // along D (z): (M, Di, Hi*Wi)
        return x.reshape(mm, 1, di, hi, wi);
    }

    private static float[] interiorColumns(float[] g, int n) {
        int p = SsimConvention.PAD, k = n - 2 * p;
        float[] out = new float[n * k];
        for (int j = 0; j < n; j++) System.arraycopy(g, j * n + p, out, j * k, k);
        return out;
    }

    private static float[] interiorRows(float[] gt, int n) {
        int p = SsimConvention.PAD;
        float[] out = new float[(n - 2 * p) * n];
        System.arraycopy(gt, p * n, out, 0, out.length);
        return out;
    }

    /**
     * The 1-D filter along an axis of n voxels as a matrix: {@code out[i] = sum_j G[j][i] in[j]}
     * with {@code G[reflect(i + k)][i] += taps[k + 5]}, k = -5..5, reflect by scipy's rule
     * (-1 -> 0, n -> n - 1, period 2n). Row-major n x n; {@code transposed} gives G^T.
     */
    static float[] filterMatrix(int n, boolean transposed) {
        float[] taps = taps();
        int r = SsimConvention.PAD;
        float[] g = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = -r; k <= r; k++) {
                int j = reflect(i + k, n);
                if (transposed) g[i * n + j] += taps[k + r];
                else g[j * n + i] += taps[k + r];
            }
        }
        return g;
    }

    /** scipy.ndimage 'reflect' index: half-sample symmetric, period 2n. */
    static int reflect(int i, int n) {
        int period = 2 * n;
        int m = i % period;
        if (m < 0) m += period;
        return m < n ? m : period - 1 - m;
    }
}
