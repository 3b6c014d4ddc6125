package org.pdsynth.nifti;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * NIfTI datatype codes (nifti1.h {@code DT_*}) that this codec reads. Every value is converted to
 * {@code float} on read (as nibabel's {@code get_fdata}, but in single precision), after the
 * header's {@code scl_slope}/{@code scl_inter} are applied.
 */
public enum NiftiDatatype {
    UINT8(2, 1), INT16(4, 2), INT32(8, 4), FLOAT32(16, 4), FLOAT64(64, 8),
    INT8(256, 1), UINT16(512, 2), UINT32(768, 4), INT64(1024, 8);

    public final int code;
    /** Bytes per voxel. */
    public final int bytes;

    NiftiDatatype(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public int bitpix() {
        return bytes * 8;
    }

    /** The datatype for a header code, or a {@link NiftiFormatException} naming it. */
    public static NiftiDatatype of(int code, Path file) throws NiftiFormatException {
        for (NiftiDatatype t : values())
            if (t.code == code) return t;
        String name = switch (code) {
            case 32 -> "complex64";
            case 128 -> "rgb24";
            case 1536 -> "float128";
            case 1792 -> "complex128";
            case 2048 -> "complex256";
            case 2304 -> "rgba32";
            case 0 -> "unknown";
            default -> "not a NIfTI datatype";
        };
        throw new NiftiFormatException(file, "datatype " + code + " (" + name + ") is not supported;"
                + " supported: uint8, int8, int16, uint16, int32, uint32, int64, float32, float64");
    }

    /** Reads one voxel at the buffer's position (advancing it) as a double. */
    double next(ByteBuffer b) {
        return switch (this) {
            case UINT8 -> b.get() & 0xff;
            case INT8 -> b.get();
            case INT16 -> b.getShort();
            case UINT16 -> b.getShort() & 0xffff;
            case INT32 -> b.getInt();
            case UINT32 -> b.getInt() & 0xffffffffL;
            case INT64 -> b.getLong();
            case FLOAT32 -> b.getFloat();
            case FLOAT64 -> b.getDouble();
        };
    }
}
