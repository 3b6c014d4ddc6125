package org.pdsynth.volume;

/**
 * The SSIM convention of the product (DESIGN 4.8), in one place for the metric
 * ({@code metrics.Ssim}) and the differentiable training loss ({@code diffusion.DifferentiableSsim}):
 * scikit-image 0.19.3's {@code structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False)}, whose window is {@code scipy.ndimage.gaussian_filter}'s with
 * {@code truncate=3.5}.
 */
public final class SsimConvention {
    /** Gaussian window sigma, in voxels. */
    public static final double SIGMA = 1.5;
    /** Window truncation, in sigmas. */
    public static final double TRUNCATE = 3.5;
    /** Stabilising constants: C1 = (K1 R)^2, C2 = (K2 R)^2 for data range R. */
    public static final double K1 = 0.01, K2 = 0.03;
    /** Window radius as scipy computes it: (int)(TRUNCATE * SIGMA + 0.5) = 5. */
    public static final int RADIUS = (int) (TRUNCATE * SIGMA + 0.5);
    /** Window side: 2 RADIUS + 1 = 11. */
    public static final int WIN_SIZE = 2 * RADIUS + 1;
    /** Border excluded from the mean SSIM: (WIN_SIZE - 1) / 2 = 5 voxels. */
    public static final int PAD = RADIUS;

    private SsimConvention() {}
}
