package org.pdsynth.nifti;

import java.nio.file.Path;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A NIfTI image as read: voxel values (scaled by scl_slope/scl_inter, as float) on ImgLib2 axes
 * in NIfTI storage order (x, y, z, t|channel, ...; one axis per header dimension, size-1 axes
 * kept), the geometry derived from the header, and the raw header itself.
 *
 * @param source the file read (for messages and titles), or null for an image made in memory
 */
public record NiftiImage(Path source, NiftiHeader header, Geometry geometry, Img<FloatType> data) {

    /** The file name without .nii, .nii.gz, .hdr or .img, e.g. "fmri" for "sub-01/fmri.nii.gz". */
    public String baseName() {
        return source == null ? "image" : NiftiFiles.baseName(source);
    }
}
