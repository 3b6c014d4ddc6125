package org.pdsynth.metrics;

/**
 * The Gaussian window of SSIM, defined exactly as {@code scipy.ndimage.gaussian_filter} builds
 * it: radius {@code r = (int) (truncate * sigma + 0.5)}, weights
 * {@code w[i] = exp(-0.5 * i^2 / sigma^2)} for {@code i = -r..r}, divided by their sum (so they
 * sum to 1), applied as a 1-D correlation along each axis in turn. Borders use scipy's
 * {@code mode='reflect'}: half-sample symmetric, the edge voxel repeated
 * ({@code d c b a | a b c d | d c b a}).
 */
final class GaussianWindow {
    final double sigma;
    final double truncate;
    final int radius;
    /** weights[radius + i] for offset i in -radius..radius; symmetric, summing to 1. */
    final double[] weights;

    GaussianWindow(double sigma, double truncate) {
        if (!(sigma > 0) || !(truncate > 0))
            throw new IllegalArgumentException("Gaussian window needs sigma > 0 and truncate > 0, got sigma "
                    + sigma + ", truncate " + truncate);
        this.sigma = sigma;
        this.truncate = truncate;
        this.radius = (int) (truncate * sigma + 0.5);
        double[] w = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            w[i + radius] = Math.exp(-0.5 / (sigma * sigma) * i * i);
            sum += w[i + radius];
        }
        for (int i = 0; i < w.length; i++) w[i] /= sum;
        this.weights = w;
    }

    /** Side of the window, 2 * radius + 1 (11 for sigma 1.5, truncate 3.5). */
    int size() {
        return 2 * radius + 1;
    }

    /**
     * Index {@code i} (possibly outside 0..n-1) mapped into the axis by scipy's 'reflect' rule:
     * -1 -> 0, -2 -> 1, n -> n-1, n+1 -> n-2, repeating with period 2n.
     */
    static int reflect(int i, int n) {
        int period = 2 * n;
        int m = i % period;
        if (m < 0) m += period;
        return m < n ? m : period - 1 - m;
    }
}
