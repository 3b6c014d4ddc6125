package org.pdsynth.metrics;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.DoubleType;
import org.pdsynth.volume.SsimConvention;

/**
 * 3-D structural similarity (SSIM) with a Gaussian window, matching scikit-image 0.19.3
 * {@code structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=R)} on float64 data:
 * <ul>
 *   <li>window: Gaussian, sigma 1.5 voxels on every axis, truncated at 3.5 sigma, i.e. radius
 *       {@code (int)(3.5 * 1.5 + 0.5) = 5}, 11 taps normalised to sum 1, applied separably along
 *       x, y, z as {@code scipy.ndimage.gaussian_filter}; borders by scipy's 'reflect'
 *       (half-sample symmetric: the edge voxel is repeated);</li>
 *   <li>K1 = 0.01, K2 = 0.03, C1 = (K1 R)^2, C2 = (K2 R)^2; population (co)variances
 *       (no N/(N-1) factor);</li>
 *   <li>the mean SSIM is the mean of the map over the interior: voxels at least
 *       {@link #PAD} = (11 - 1) / 2 = 5 from every border.</li>
 * </ul>
 * Voxel spacing is ignored (the window is in voxels). Values are taken as they are: no scaling
 * happens here (see {@link VolumeMetrics} for the product's scaling to [0, 1]). Computation is in
 * double precision, in parallel over z slices.
 */
public final class Ssim {
    public static final double SIGMA = SsimConvention.SIGMA;
    public static final double TRUNCATE = SsimConvention.TRUNCATE;
    public static final double K1 = SsimEngine.K1;
    public static final double K2 = SsimEngine.K2;

    static final GaussianWindow WINDOW = new GaussianWindow(SIGMA, TRUNCATE);
    /** Window side in voxels: 2 * (int)(TRUNCATE * SIGMA + 0.5) + 1 = 11. */
    public static final int WIN_SIZE = WINDOW.size();
    /** Border excluded from the mean: (WIN_SIZE - 1) / 2 = 5 voxels. */
    public static final int PAD = (WIN_SIZE - 1) / 2;

    private Ssim() {}

    /**
     * Mean SSIM of two 3-D volumes (x, y, z) over the interior.
     *
     * @param dataRange R in C1 = (K1 R)^2, C2 = (K2 R)^2: the span of possible values (1 for data
     *                  scaled to [0, 1])
     * @throws IllegalArgumentException if the shapes differ, a volume is not 3-D, a dimension is
     *                                  below {@link #WIN_SIZE}, a value is not finite, or R is not positive
     */
    public static double ssim3d(RandomAccessibleInterval<? extends RealType<?>> a,
                                RandomAccessibleInterval<? extends RealType<?>> b, double dataRange) {
        int[] dims = check(a, b, dataRange);
        double[] map = map(MetricInputs.copy(a, "a"), MetricInputs.copy(b, "b"), dims, dataRange);
        return meanOverInterior(map, dims, null);
    }

    /**
     * The SSIM map of two 3-D volumes: one value per voxel (border voxels included, computed with
     * reflected borders), as a new double image with the inputs' dimensions and min at 0.
     * Its mean over voxels at least {@link #PAD} from every border is {@link #ssim3d}.
     */
    public static Img<DoubleType> ssimMap3d(RandomAccessibleInterval<? extends RealType<?>> a,
                                            RandomAccessibleInterval<? extends RealType<?>> b, double dataRange) {
        int[] dims = check(a, b, dataRange);
        double[] map = map(MetricInputs.copy(a, "a"), MetricInputs.copy(b, "b"), dims, dataRange);
        return ArrayImgs.doubles(map, dims[0], dims[1], dims[2]);
    }

    private static int[] check(RandomAccessibleInterval<?> a, RandomAccessibleInterval<?> b, double dataRange) {
        MetricInputs.requireSameShape(a, "a", b, "b");
        int[] dims = MetricInputs.spatialDims(a, "a", false);
        requireWindowFits(dims, "a", MetricInputs.shape(a));
        if (!(dataRange > 0) || Double.isInfinite(dataRange))
            throw new IllegalArgumentException("SSIM data range must be a positive finite number, got " + dataRange);
        return dims;
    }

    /** Throws naming the volume and its shape if a spatial dimension is below {@link #WIN_SIZE}. */
    static void requireWindowFits(int[] dims, String name, String shape) {
        for (int d : dims)
            if (d < WIN_SIZE)
                throw new IllegalArgumentException(name + " is " + shape + ": 3-D SSIM needs every spatial dimension >= "
                        + WIN_SIZE + " (Gaussian window sigma " + SIGMA + ", truncate " + TRUNCATE + ")");
    }

    /** SSIM map of flat x-fastest arrays with dimensions dims (already checked). */
    static double[] map(double[] a, double[] b, int[] dims, double dataRange) {
        return SsimEngine.map(a, b, dims, dataRange, WINDOW);
    }

    /** Mean of a map over the interior (and inside mask, if not null); NaN if no voxel qualifies. */
    static double meanOverInterior(double[] map, int[] dims, boolean[] mask) {
        return SsimEngine.interiorMean(map, dims, PAD, mask);
    }
}
