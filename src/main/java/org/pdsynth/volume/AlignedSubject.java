package org.pdsynth.volume;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

/**
 * One modality of one subject, ready for the model: N channels on the model grid, in [-1, 1].
 *
 * <p>{@code data} is (C, Z, Y, X) row-major, x fastest: the flat order of an ImgLib2 image with
 * axes (x, y, z, c) ({@link #img()} wraps it without copying). Values are the
 * {@link IntensityMap} of the channel, clipped to [-1, 1]; voxels outside {@code mask} are -1
 * when the aligner sets the background (its default). The array is shared, not copied: do not
 * modify it unless you own it.
 *
 * @param id subject id or file name, for messages
 * @param modality which modality the channels hold
 * @param grid the model grid
 * @param data C * Z * Y * X floats
 * @param intensityMap the per-channel scaling used (invert it to get modality units back)
 * @param mask brain mask on the model grid
 * @param sourceGrid the grid of the file the data came from (to write outputs on it)
 */
public record AlignedSubject(String id, Modality modality, Grid grid, float[] data, IntensityMap intensityMap,
        BrainMask mask, Grid sourceGrid) {

    public AlignedSubject {
        if ((long) data.length != grid.size() * intensityMap.channels())
            throw new IllegalArgumentException(id + ": " + data.length + " values but the grid " + java.util.Arrays.toString(grid.dims())
                    + " with " + intensityMap.channels() + " channels needs " + grid.size() * intensityMap.channels());
    }

    /** N, channels. */
    public int channels() {
        return intensityMap.channels();
    }

    /** The data as an image (x, y, z, c) over the same array. */
    public ArrayImg<FloatType, FloatArray> img() {
        long[] d = grid.dims();
        return VolumeArrays.wrap(data, d[0], d[1], d[2], channels());
    }

    /** Grid shape as (Z, Y, X), the tensor order. */
    public int[] gridZYX() {
        long[] d = grid.dims();
        return new int[] {(int) d[2], (int) d[1], (int) d[0]};
    }
}
