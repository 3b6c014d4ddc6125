package org.pdsynth.metrics;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/** Mean absolute error {@code mean(|a - b|)} over all voxels, in the images' own units. */
public final class Mae {
    private Mae() {}

    /** MAE of two images of the same dimensions (any number of axes), summed in double. */
    public static double mae(RandomAccessibleInterval<? extends RealType<?>> a,
                             RandomAccessibleInterval<? extends RealType<?>> b) {
        MetricInputs.requireSameShape(a, "a", b, "b");
        return mean(a, b, false);
    }

    /** Mean of |a-b| (squared=false) or (a-b)^2 (squared=true), in the same voxel order for both. */
    static double mean(RandomAccessibleInterval<? extends RealType<?>> a,
                       RandomAccessibleInterval<? extends RealType<?>> b, boolean squared) {
        var ca = Views.flatIterable(a).cursor();
        var cb = Views.flatIterable(b).cursor();
        double sum = 0;
        long n = 0;
        while (ca.hasNext()) {
            double d = ca.next().getRealDouble() - cb.next().getRealDouble();
            sum += squared ? d * d : Math.abs(d);
            n++;
        }
        if (n == 0) throw new IllegalArgumentException("images have no voxels");
        return sum / n;
    }
}
