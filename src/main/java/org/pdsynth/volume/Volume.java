package org.pdsynth.volume;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.Geometry;

/**
 * Voxels with their place in the world: an image (x, y, z) or (x, y, z, c) and its voxel-to-world
 * geometry — what {@code NiftiWriter.write(path, data, geometry)} takes.
 */
public record Volume(Img<FloatType> data, Geometry geometry) {
    /** The 3-D grid of the volume (its first three dims with the geometry). */
    public Grid grid() {
        return new Grid(new long[] {data.dimension(0), data.dimension(1), data.dimension(2)}, geometry);
    }

    /** Channels (size of axis 3; 1 for a 3-D volume). */
    public int channels() {
        return data.numDimensions() > 3 ? (int) data.dimension(3) : 1;
    }
}
