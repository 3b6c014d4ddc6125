package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;

import org.pdsynth.metrics.Ssim;

/**
 * 3-D SSIM as differentiable NDArray operations, the same definition as the reference
 * {@link Ssim} (scikit-image's {@code structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=R)}), computed in float32:
 * <ul>
 *   <li>Gaussian window sigma {@value Ssim#SIGMA} voxels, truncated at {@value Ssim#TRUNCATE} sigma
 *       (radius 5, 11 taps summing to 1), applied separably along W (x), H (y), D (z) as
 *       {@code conv3d} with fixed weights;</li>
 *   <li>scipy's 'reflect' borders (the edge voxel repeated, {@code c b a | a b c}), built by
 *       concatenating the flipped first and last 5 slices of each axis (DJL has no reflect pad);</li>
 *   <li>C1 = (0.01 R)^2, C2 = (0.03 R)^2, population (co)variances
 *       {@code G(a b) - G(a) G(b)};</li>
 *   <li>the SSIM map averaged over the interior: voxels at least 5 from every border.</li>
 * </ul>
 * Inputs are (B, N, D, H, W) with every spatial size at least 11; each channel of each sample is
 * one volume. R is the data range: 2 for the model's [-1, 1] data. Gradients flow to both inputs.
 */
public final class DifferentiableSsim {
    private static final double K1 = 0.01;
    private static final double K2 = 0.03;

    private DifferentiableSsim() {}

    /** The 1-D Gaussian window taps (11 for sigma 1.5, truncate 3.5), as scipy builds them. */
    static float[] taps() {
        int r = Ssim.PAD;
        double[] w = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            w[i + r] = Math.exp(-0.5 / (Ssim.SIGMA * Ssim.SIGMA) * i * i);
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
            if (s.get(ax) < Ssim.WIN_SIZE) throw new IllegalArgumentException("3-D SSIM needs every spatial size >= " + Ssim.WIN_SIZE + ", got " + s);
        }
        if (!(dataRange > 0)) throw new IllegalArgumentException("SSIM data range must be > 0, got " + dataRange);
        long bn = s.get(0) * s.get(1);
        Shape vol = new Shape(bn, 1, s.get(2), s.get(3), s.get(4));
        NDArray x = a.reshape(vol);
        NDArray y = b.reshape(vol);
        NDArray fields = NDArrays.concat(new NDList(x, y, x.mul(x), y.mul(y), x.mul(y)), 0);
        NDArray g = gaussian(fields);
        NDArray ux = g.get("0:{}", bn), uy = g.get("{}:{}", bn, 2 * bn), uxx = g.get("{}:{}", 2 * bn, 3 * bn);
        NDArray uyy = g.get("{}:{}", 3 * bn, 4 * bn), uxy = g.get("{}:", 4 * bn);
        double c1 = (K1 * dataRange) * (K1 * dataRange);
        double c2 = (K2 * dataRange) * (K2 * dataRange);
        NDArray uxuy = ux.mul(uy);
        NDArray ux2 = ux.mul(ux), uy2 = uy.mul(uy);
        NDArray vx = uxx.sub(ux2), vy = uyy.sub(uy2), vxy = uxy.sub(uxuy);
        NDArray num = uxuy.mul(2).add(c1).mul(vxy.mul(2).add(c2));
        NDArray den = ux2.add(uy2).add(c1).mul(vx.add(vy).add(c2));
        NDArray map = num.div(den);
        int p = Ssim.PAD;
        NDArray interior = map.get(":, :, {}:{}, {}:{}, {}:{}", p, s.get(2) - p, p, s.get(3) - p, p, s.get(4) - p);
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

    /** Separable Gaussian filter of (M, 1, D, H, W) with reflect borders; same shape out. */
    static NDArray gaussian(NDArray f) {
        NDManager m = f.getManager();
        float[] taps = taps();
        int k = taps.length;
        NDArray out = f;
        long[][] kernelShapes = {{1, 1, 1, 1, k}, {1, 1, 1, k, 1}, {1, 1, k, 1, 1}};
        int[] axes = {4, 3, 2};
        for (int i = 0; i < 3; i++) {
            NDArray w = m.create(taps, new Shape(kernelShapes[i]));
            out = Conv3d.conv3d(reflectPad(out, axes[i], Ssim.PAD), w).singletonOrThrow();
        }
        return out;
    }

    /** Pads {@code r} voxels on both ends of {@code axis} by scipy's 'reflect' (needs size >= r). */
    static NDArray reflectPad(NDArray x, int axis, int r) {
        long n = x.getShape().get(axis);
        String lead = ":, ".repeat(axis);
        NDArray left = x.get(lead + "0:{}", r).flip(axis);
        NDArray right = x.get(lead + "{}:{}", n - r, n).flip(axis);
        return NDArrays.concat(new NDList(left, x, right), axis);
    }
}
