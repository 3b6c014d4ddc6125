package org.pdsynth.metrics;

import java.util.ArrayList;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * The product's fidelity metrics of a synthesized (test) volume against its ground truth
 * (reference): PSNR, 3-D SSIM and MAE, per channel and averaged over channels, over the whole
 * volume and inside an optional mask.
 *
 * <p><b>Scaling.</b> Per channel, both volumes are mapped by the reference channel's range over
 * the whole volume: {@code s = (v - min_ref) / (max_ref - min_ref)}, so the reference spans
 * exactly [0, 1] (the test may leave it) and the data range of PSNR and SSIM is R = 1.
 * A constant reference channel cannot be scaled and is an error.
 *
 * <p><b>Metrics</b> on scaled values, per channel:
 * PSNR = 10 log10(1 / MSE) dB (+Infinity when MSE = 0); MAE = mean |ref - test|;
 * SSIM = {@link Ssim} with R = 1 (scikit-image's {@code structural_similarity(gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False, data_range=1)}). The reported SSIM and MAE are the
 * means of the channel values; the reported PSNR is 10 log10(1 / MSE) of the MSE pooled over all
 * channels (scikit-image's value for the whole array, DESIGN 4.8), never the mean of channel
 * PSNRs: one channel that happens to be equal (PSNR +Infinity) must not make the whole
 * comparison "equal".
 *
 * <p><b>Inside the mask</b> (nonzero, non-NaN mask voxels; same scaling as above): PSNR and MAE
 * over mask voxels; SSIM = mean of the whole-volume SSIM map over the mask voxels that lie in the
 * SSIM interior (at least {@link Ssim#PAD} = 5 voxels from every border). The SSIM map itself is
 * computed on the whole volume, so structure just outside the mask contributes through the window.
 *
 * <p>Volumes are 3-D (x, y, z) or 4-D (x, y, z, channel) of identical dimensions, every spatial
 * dimension at least {@link Ssim#WIN_SIZE} = 11; the mask is 3-D with the same spatial dimensions.
 * Voxel spacing plays no part. Every violated condition is an {@link IllegalArgumentException}
 * naming the input and its shape.
 */
public final class VolumeMetrics {
    /** Data range of the scaled values, used by PSNR and SSIM. */
    public static final double DATA_RANGE = 1.0;

    public static final String SCALING = "per channel, reference and test mapped by the reference channel's"
            + " whole-volume range: s = (v - min_ref) / (max_ref - min_ref); PSNR, SSIM, MAE on s;"
            + " PSNR from the MSE pooled over channels, SSIM and MAE channel values averaged";

    public static final String MASKED_SCALING = SCALING + "; inside the mask (nonzero voxels): PSNR and MAE over"
            + " mask voxels, SSIM = mean of the whole-volume SSIM map over mask voxels at least "
            + Ssim.PAD + " voxels from every border";

    private VolumeMetrics() {}

    /** {@link #compare(RandomAccessibleInterval, RandomAccessibleInterval, RandomAccessibleInterval)} without a mask. */
    public static MetricsReport compare(RandomAccessibleInterval<? extends RealType<?>> reference,
                                        RandomAccessibleInterval<? extends RealType<?>> test) {
        return compare(reference, test, null);
    }

    /**
     * Compares test against reference as described in the class comment.
     *
     * @param reference ground truth, 3-D or 4-D (x, y, z, channel)
     * @param test      the volume judged, same dimensions as reference
     * @param mask      3-D, nonzero = inside, or null for no masked metrics
     * @throws IllegalArgumentException for mismatched or too small shapes, a constant reference
     *                                  channel, non-finite values, or a mask with no voxel in the SSIM interior
     */
    public static MetricsReport compare(RandomAccessibleInterval<? extends RealType<?>> reference,
                                        RandomAccessibleInterval<? extends RealType<?>> test,
                                        RandomAccessibleInterval<? extends RealType<?>> mask) {
        MetricInputs.requireSameShape(reference, "reference", test, "test");
        int[] dims = MetricInputs.spatialDims(reference, "reference", true);
        Ssim.requireWindowFits(dims, "reference", MetricInputs.shape(reference));
        boolean[] inside = mask == null ? null : insideVoxels(mask, reference);

        int nc = MetricInputs.channels(reference);
        List<ChannelMetrics> whole = new ArrayList<>(nc);
        List<ChannelMetrics> masked = new ArrayList<>(nc);
        double[] wholeSe = new double[2], maskedSe = new double[2]; // {sum of squared errors, voxels}
        for (int c = 0; c < nc; c++) {
            String refName = nc > 1 ? "reference channel " + c : "reference";
            String testName = nc > 1 ? "test channel " + c : "test";
            double[] r = MetricInputs.copy(MetricInputs.channel(reference, c), refName);
            double[] t = MetricInputs.copy(MetricInputs.channel(test, c), testName);
            scaleByReferenceRange(r, t, refName);
            double[] map = Ssim.map(r, t, dims, DATA_RANGE);
            whole.add(channelMetrics(c, r, t, map, dims, null, wholeSe));
            if (inside != null) masked.add(channelMetrics(c, r, t, map, dims, inside, maskedSe));
        }
        MetricsReport maskedReport = inside == null ? null : average(MASKED_SCALING, masked, maskedSe, null);
        return average(SCALING, whole, wholeSe, maskedReport);
    }

    /** Maps r and t in place by r's range to s = (v - min_r) / (max_r - min_r). */
    static void scaleByReferenceRange(double[] r, double[] t, String refName) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : r) {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (!(max > min))
            throw new IllegalArgumentException(refName + " is constant (every voxel = " + min
                    + "): it cannot be scaled to [0, 1] by its range");
        double span = max - min;
        for (int i = 0; i < r.length; i++) {
            r[i] = (r[i] - min) / span;
            t[i] = (t[i] - min) / span;
        }
    }

    private static ChannelMetrics channelMetrics(int c, double[] r, double[] t, double[] map, int[] dims,
                                                 boolean[] inside, double[] pooled) {
        double se = 0, ae = 0;
        long n = 0;
        for (int i = 0; i < r.length; i++) {
            if (inside != null && !inside[i]) continue;
            double d = r[i] - t[i];
            se += d * d;
            ae += Math.abs(d);
            n++;
        }
        pooled[0] += se;
        pooled[1] += n;
        double psnr = Psnr.fromMse(se / n, DATA_RANGE);
        double ssim = Ssim.meanOverInterior(map, dims, inside);
        return new ChannelMetrics(c, psnr, ssim, ae / n);
    }

    /** SSIM and MAE averaged over channels; PSNR from the pooled {sum of squared errors, voxels}. */
    private static MetricsReport average(String scaling, List<ChannelMetrics> channels, double[] pooled, MetricsReport masked) {
        double s = 0, a = 0;
        for (ChannelMetrics c : channels) {
            s += c.ssim();
            a += c.mae();
        }
        int n = channels.size();
        return new MetricsReport(DATA_RANGE, scaling, Psnr.fromMse(pooled[0] / pooled[1], DATA_RANGE), s / n, a / n, channels, masked);
    }

    private static boolean[] insideVoxels(RandomAccessibleInterval<? extends RealType<?>> mask,
                                          RandomAccessibleInterval<?> reference) {
        long[] spatial = {reference.dimension(0), reference.dimension(1), reference.dimension(2)};
        if (mask.numDimensions() != 3 || mask.dimension(0) != spatial[0] || mask.dimension(1) != spatial[1]
                || mask.dimension(2) != spatial[2])
            throw new IllegalArgumentException("mask is " + MetricInputs.shape(mask) + " but the reference's spatial"
                    + " dimensions are " + MetricInputs.shape(spatial) + ": the mask must be 3-D of the same size");
        boolean[] inside = MetricInputs.copyMask(mask);
        int[] dims = {(int) spatial[0], (int) spatial[1], (int) spatial[2]};
        long total = 0, interior = 0;
        int p = Ssim.PAD;
        for (int z = 0, i = 0; z < dims[2]; z++)
            for (int y = 0; y < dims[1]; y++)
                for (int x = 0; x < dims[0]; x++, i++)
                    if (inside[i]) {
                        total++;
                        if (x >= p && x < dims[0] - p && y >= p && y < dims[1] - p && z >= p && z < dims[2] - p)
                            interior++;
                    }
        if (total == 0) throw new IllegalArgumentException("mask has no nonzero voxel");
        if (interior == 0)
            throw new IllegalArgumentException("mask has " + total + " nonzero voxels but none at least " + p
                    + " voxels from every border, where SSIM is defined");
        return inside;
    }
}
