package org.pdsynth.volume;

import java.util.Arrays;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Flat float arrays of volumes, in ImgLib2's flat iteration order: axis 0 (x) fastest, then y,
 * z, channel. A volume with axes (x, y, z, c) therefore lies in memory as a row-major array of
 * shape (C, Z, Y, X) — the layout the model takes.
 */
public final class VolumeArrays {
    private VolumeArrays() {}

    /**
     * The voxels of {@code img} in flat order. For an {@code ArrayImg} of floats this is its own
     * storage (no copy: do not modify it unless you own the image); otherwise a copy.
     */
    public static float[] shared(RandomAccessibleInterval<FloatType> img) {
        if (img instanceof ArrayImg<?, ?> a && a.update(null) instanceof FloatArray fa
                && fa.getCurrentStorageArray().length == Intervals.numElements(img))
            return fa.getCurrentStorageArray();
        return copyOf(img);
    }

    /** A new array with the voxels of {@code img} in flat order. */
    public static float[] copyOf(RandomAccessibleInterval<FloatType> img) {
        long n = Intervals.numElements(img);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("volume has " + n + " voxels, too many for one array");
        if (img instanceof ArrayImg<?, ?> a && a.update(null) instanceof FloatArray fa
                && fa.getCurrentStorageArray().length == n)
            return fa.getCurrentStorageArray().clone();
        float[] out = new float[(int) n];
        int i = 0;
        for (FloatType t : Views.flatIterable(img)) out[i++] = t.get();
        return out;
    }

    /** An image over {@code data} (no copy) with the given dims, x fastest. */
    public static ArrayImg<FloatType, FloatArray> wrap(float[] data, long... dims) {
        if (Intervals.numElements(dims) != data.length)
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " hold " + Intervals.numElements(dims)
                    + " voxels but the array has " + data.length);
        return ArrayImgs.floats(data, dims);
    }

    /** The image's dims as a long array. */
    public static long[] dims(RandomAccessibleInterval<?> img) {
        return Intervals.dimensionsAsLongArray(img);
    }

    /** Checked conversion of a voxel count to int. */
    static int toInt(long n, String what) {
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(what + " has " + n + " voxels, too many for one array");
        return (int) n;
    }
}
