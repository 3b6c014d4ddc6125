package org.pdsynth.nifti;

import java.util.Arrays;

/**
 * One header extension: {@code ecode} and its raw bytes (without the 8-byte esize/ecode prefix;
 * trailing zero padding is kept, so a read-write round trip is byte-exact).
 */
public record NiftiExtension(int code, byte[] data) {
    public NiftiExtension {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Size on disk: 8 bytes of esize/ecode plus the data, padded to a multiple of 16. */
    public int esize() {
        return (data.length + 8 + 15) / 16 * 16;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NiftiExtension e && e.code == code && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NiftiExtension[code=" + code + ", bytes=" + data.length + "]";
    }
}
