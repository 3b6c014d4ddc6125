package org.pdsynth.metrics;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * Peak signal-to-noise ratio in decibels: {@code PSNR = 10 log10(R^2 / MSE)} with
 * {@code MSE = mean((a - b)^2)} over all voxels (as scikit-image's
 * {@code peak_signal_noise_ratio(a, b, data_range=R)}). Identical inputs (MSE = 0) give
 * {@code +Infinity}.
 */
public final class Psnr {
    private Psnr() {}

    /**
     * PSNR of two images of the same dimensions (any number of axes).
     *
     * @param dataRange R, the span of possible values (1 for data scaled to [0, 1])
     * @return decibels; {@code Double.POSITIVE_INFINITY} when a and b are equal
     */
    public static double psnr(RandomAccessibleInterval<? extends RealType<?>> a,
                              RandomAccessibleInterval<? extends RealType<?>> b, double dataRange) {
        MetricInputs.requireSameShape(a, "a", b, "b");
        return fromMse(Mae.mean(a, b, true), dataRange);
    }

    /** {@code 10 log10(R^2 / mse)}; +Infinity for mse 0. */
    public static double fromMse(double mse, double dataRange) {
        if (!(dataRange > 0) || Double.isInfinite(dataRange))
            throw new IllegalArgumentException("PSNR data range must be a positive finite number, got " + dataRange);
        if (!(mse >= 0)) throw new IllegalArgumentException("MSE must be >= 0, got " + mse);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(dataRange * dataRange / mse);
    }
}
