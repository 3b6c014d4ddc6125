package org.pdsynth.nifti;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The raw fields of a NIfTI-1 or NIfTI-2 header, as stored in the file (after byte swapping),
 * with the same names as nifti1.h / nifti2.h. The header is data: {@link Geometry} and the scaled
 * voxel values are derived from these fields, and a user can always look at the fields behind
 * them. NIfTI-1 values are widened (short/float to long/double) so one class serves both
 * versions. Mutable, like a C struct; {@link #copy()} before changing a header you did not make.
 */
public final class NiftiHeader {
    /** 1 or 2. */
    public int version = 1;
    /** Byte order the file was stored in. */
    public ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
    /** True for a {@code .hdr}/{@code .img} pair (magic {@code ni1} / {@code ni2}). */
    public boolean pair;

    public int dimInfo;
    /** dim[0] = number of dimensions (1..7), dim[1..7] = sizes. */
    public long[] dim = new long[8];
    public double intentP1, intentP2, intentP3;
    public int intentCode;
    public int datatype;
    public int bitpix;
    public long sliceStart;
    /** pixdim[0] = qfac (+-1), pixdim[1..3] voxel size, pixdim[4] TR (in the time unit). */
    public double[] pixdim = new double[8];
    public long voxOffset;
    public double sclSlope, sclInter;
    public long sliceEnd;
    public int sliceCode;
    /** Spatial unit in bits 0-2, temporal in bits 3-5 (NIFTI_UNITS_*). */
    public int xyztUnits;
    public double calMax, calMin;
    public double sliceDuration;
    public double toffset;
    public String descrip = "";
    public String auxFile = "";
    public int qformCode, sformCode;
    public double quaternB, quaternC, quaternD;
    public double qoffsetX, qoffsetY, qoffsetZ;
    public double[] srowX = new double[4], srowY = new double[4], srowZ = new double[4];
    public String intentName = "";
    /** Header extensions, in file order. */
    public List<NiftiExtension> extensions = new ArrayList<>();

    /** Number of image dimensions, dim[0]. */
    public int ndim() {
        return (int) dim[0];
    }

    /** The sizes dim[1..dim[0]]. */
    public long[] shape() {
        return Arrays.copyOfRange(dim, 1, 1 + ndim());
    }

    /** Total voxel count (product of the shape). */
    public long voxelCount() {
        long n = 1;
        for (long d : shape()) n *= d;
        return n;
    }

    /** True when scl_slope is a finite non-zero number (slope 0 means no scaling, as in nibabel). */
    public boolean hasScaling() {
        return sclSlope != 0 && Double.isFinite(sclSlope);
    }

    public NiftiHeader copy() {
        NiftiHeader h = new NiftiHeader();
        h.version = version;
        h.byteOrder = byteOrder;
        h.pair = pair;
        h.dimInfo = dimInfo;
        h.dim = dim.clone();
        h.intentP1 = intentP1;
        h.intentP2 = intentP2;
        h.intentP3 = intentP3;
        h.intentCode = intentCode;
        h.datatype = datatype;
        h.bitpix = bitpix;
        h.sliceStart = sliceStart;
        h.pixdim = pixdim.clone();
        h.voxOffset = voxOffset;
        h.sclSlope = sclSlope;
        h.sclInter = sclInter;
        h.sliceEnd = sliceEnd;
        h.sliceCode = sliceCode;
        h.xyztUnits = xyztUnits;
        h.calMax = calMax;
        h.calMin = calMin;
        h.sliceDuration = sliceDuration;
        h.toffset = toffset;
        h.descrip = descrip;
        h.auxFile = auxFile;
        h.qformCode = qformCode;
        h.sformCode = sformCode;
        h.quaternB = quaternB;
        h.quaternC = quaternC;
        h.quaternD = quaternD;
        h.qoffsetX = qoffsetX;
        h.qoffsetY = qoffsetY;
        h.qoffsetZ = qoffsetZ;
        h.srowX = srowX.clone();
        h.srowY = srowY.clone();
        h.srowZ = srowZ.clone();
        h.intentName = intentName;
        h.extensions = new ArrayList<>(extensions);
        return h;
    }

    @Override
    public String toString() {
        return "NiftiHeader[nifti" + version + ", dim=" + Arrays.toString(shape()) + ", datatype=" + datatype
                + ", pixdim=" + Arrays.toString(pixdim) + ", qform_code=" + qformCode + ", sform_code=" + sformCode
                + ", scl=" + sclSlope + "/" + sclInter + ", extensions=" + extensions.size() + "]";
    }
}
