package org.pdsynth.metrics;

import java.util.Arrays;
import java.util.stream.Collectors;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/** Shape checks and copies of ImgLib2 volumes into flat double arrays (x fastest, then y, z). */
final class MetricInputs {
    private MetricInputs() {}

    /** "16x18x20" for an interval's dimensions. */
    static String shape(RandomAccessibleInterval<?> img) {
        return shape(img.dimensionsAsLongArray());
    }

    static String shape(long[] dims) {
        return Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    /** Throws unless both have the same dimensions (their min offsets may differ). */
    static void requireSameShape(RandomAccessibleInterval<?> a, String aName,
                                 RandomAccessibleInterval<?> b, String bName) {
        if (!Arrays.equals(a.dimensionsAsLongArray(), b.dimensionsAsLongArray()))
            throw new IllegalArgumentException(aName + " is " + shape(a) + " but " + bName + " is " + shape(b)
                    + ": the volumes must have the same dimensions");
    }

    /** The three spatial dimensions as ints; throws if the volume is not 3-D (or 4-D when allowed). */
    static int[] spatialDims(RandomAccessibleInterval<?> img, String name, boolean allowChannels) {
        int nd = img.numDimensions();
        if (nd != 3 && !(allowChannels && nd == 4))
            throw new IllegalArgumentException(name + " is " + shape(img) + " (" + nd + "-D): expected "
                    + (allowChannels ? "3-D (x,y,z) or 4-D (x,y,z,channel)" : "3-D (x,y,z)"));
        long[] d = img.dimensionsAsLongArray();
        if (d[0] * d[1] * d[2] > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(name + " is " + shape(img) + ": more than 2^31 voxels per channel");
        return new int[] {(int) d[0], (int) d[1], (int) d[2]};
    }

    /** Number of channels: size of axis 3 for 4-D volumes, 1 for 3-D ones. */
    static int channels(RandomAccessibleInterval<?> img) {
        return img.numDimensions() == 4 ? (int) img.dimension(3) : 1;
    }

    /** The 3-D volume of channel c (the whole volume when it is 3-D). */
    static <T> RandomAccessibleInterval<T> channel(RandomAccessibleInterval<T> img, int c) {
        return img.numDimensions() == 4 ? Views.hyperSlice(img, 3, img.min(3) + c) : img;
    }

    /**
     * Voxel values of a 3-D volume as doubles, x fastest. Throws naming the voxel if a value is NaN
     * or infinite, since such a value would make every metric meaningless.
     */
    static double[] copy(RandomAccessibleInterval<? extends RealType<?>> vol, String name) {
        long n = vol.dimension(0) * vol.dimension(1) * vol.dimension(2);
        double[] out = new double[(int) n];
        Cursor<? extends RealType<?>> c = Views.flatIterable(vol).cursor();
        for (int i = 0; i < out.length; i++) {
            double v = c.next().getRealDouble();
            if (!Double.isFinite(v)) {
                long[] pos = c.positionAsLongArray();
                throw new IllegalArgumentException(name + " has a non-finite value (" + v + ") at voxel "
                        + Arrays.toString(pos) + ": metrics need finite values");
            }
            out[i] = v;
        }
        return out;
    }

    /** Mask voxels as booleans, x fastest: inside = value nonzero and not NaN. */
    static boolean[] copyMask(RandomAccessibleInterval<? extends RealType<?>> mask) {
        long n = mask.dimension(0) * mask.dimension(1) * mask.dimension(2);
        boolean[] out = new boolean[(int) n];
        Cursor<? extends RealType<?>> c = Views.flatIterable(mask).cursor();
        for (int i = 0; i < out.length; i++) {
            double v = c.next().getRealDouble();
            out[i] = v != 0 && !Double.isNaN(v);
        }
        return out;
    }
}
