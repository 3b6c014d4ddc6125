package org.pdsynth.nifti;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Builds NIfTI files byte by byte, independently of NiftiWriter, so reader tests do not trust
 * our own encoder: either version, either byte order, any datatype, gaps and extensions.
 */
final class HandMadeNifti {
    int version = 1;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    long[] dims = {2, 3, 4};
    int datatype = 16;
    double slope = 0, inter = 0;
    double[] pixdim = {1, 2, 3, 4, 1, 1, 1, 1};
    int qformCode = 0, sformCode = 0;
    double[] quatern = new double[6];
    double[][] srow = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
    int xyztUnits = 2 | 8;
    String magic;
    long voxOffset = -1;
    byte[] extension;
    int extensionCode = 6;
    Integer sizeofHdr;

    private int headerSize() {
        return version == 1 ? 348 : 540;
    }

    /** Header (+ extension flag + extension + gap) bytes; data offset = voxOffset. */
    byte[] header(boolean pair) {
        int hs = headerSize();
        int ext = extension == null ? 0 : (extension.length + 8 + 15) / 16 * 16;
        long off = voxOffset >= 0 ? voxOffset : (pair ? 0 : hs + 4 + ext);
        int len = (int) Math.max(pair ? hs + 4 + ext : off, hs + 4 + ext);
        ByteBuffer b = ByteBuffer.allocate(len).order(order);
        b.putInt(0, sizeofHdr != null ? sizeofHdr : hs);
        String m = magic != null ? magic : (pair ? "ni" : "n+") + version;
        if (version == 1) {
            b.putShort(40, (short) dims.length);
            for (int i = 0; i < 7; i++) b.putShort(42 + 2 * i, (short) (i < dims.length ? dims[i] : 1));
            b.putShort(70, (short) datatype);
            b.putShort(72, (short) bitpix());
            for (int i = 0; i < 8; i++) b.putFloat(76 + 4 * i, (float) pixdim[i]);
            b.putFloat(108, off);
            b.putFloat(112, (float) slope);
            b.putFloat(116, (float) inter);
            b.put(123, (byte) xyztUnits);
            b.putShort(252, (short) qformCode);
            b.putShort(254, (short) sformCode);
            for (int i = 0; i < 6; i++) b.putFloat(256 + 4 * i, (float) quatern[i]);
            for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) b.putFloat(280 + 16 * r + 4 * c, (float) srow[r][c]);
            for (int i = 0; i < m.length() && i < 4; i++) b.put(344 + i, (byte) m.charAt(i));
        } else {
            for (int i = 0; i < m.length() && i < 4; i++) b.put(4 + i, (byte) m.charAt(i));
            b.put(8, (byte) '\r').put(9, (byte) '\n').put(10, (byte) 0x1a).put(11, (byte) '\n');
            b.putShort(12, (short) datatype);
            b.putShort(14, (short) bitpix());
            b.putLong(16, dims.length);
            for (int i = 0; i < 7; i++) b.putLong(24 + 8 * i, i < dims.length ? dims[i] : 1);
            for (int i = 0; i < 8; i++) b.putDouble(104 + 8 * i, pixdim[i]);
            b.putLong(168, off);
            b.putDouble(176, slope);
            b.putDouble(184, inter);
            b.putInt(344, qformCode);
            b.putInt(348, sformCode);
            for (int i = 0; i < 6; i++) b.putDouble(352 + 8 * i, quatern[i]);
            for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) b.putDouble(400 + 32 * r + 8 * c, srow[r][c]);
            b.putInt(500, xyztUnits);
        }
        if (extension != null) {
            b.put(hs, (byte) 1);
            b.putInt(hs + 4, ext);
            b.putInt(hs + 8, extensionCode);
            for (int i = 0; i < extension.length; i++) b.put(hs + 12 + i, extension[i]);
        }
        // fill any gap before the data with a recognisable junk pattern
        for (int i = hs + 4 + ext; i < len; i++) b.put(i, (byte) 0x5a);
        return b.array();
    }

    int bitpix() {
        return switch (datatype) {
            case 2, 256 -> 8;
            case 4, 512 -> 16;
            case 8, 16, 768 -> 32;
            case 64, 1024 -> 64;
            default -> 32;
        };
    }

    long count() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    /** Voxel bytes for values given as doubles, encoded as the datatype. */
    byte[] data(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bitpix() / 8).order(order);
        for (double v : values) {
            switch (datatype) {
                case 2, 256 -> b.put((byte) (long) v);
                case 4, 512 -> b.putShort((short) (long) v);
                case 8, 768 -> b.putInt((int) (long) v);
                case 1024 -> b.putLong((long) v);
                case 16 -> b.putFloat((float) v);
                case 64 -> b.putDouble(v);
                default -> b.putFloat((float) v);
            }
        }
        return b.array();
    }

    Path writeSingle(Path dir, String name, double[] values, boolean gz) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(header(false));
        all.write(data(values));
        Path p = dir.resolve(name);
        byte[] bytes = all.toByteArray();
        if (gz) bytes = gzip(bytes);
        Files.write(p, bytes);
        return p;
    }

    Path writePair(Path dir, String base, double[] values) throws IOException {
        Files.write(dir.resolve(base + ".hdr"), header(true));
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        if (voxOffset > 0) img.write(new byte[(int) voxOffset]);
        img.write(data(values));
        Files.write(dir.resolve(base + ".img"), img.toByteArray());
        return dir.resolve(base + ".hdr");
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(raw);
        }
        return o.toByteArray();
    }

    static double[] ramp(long n) {
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = i;
        return v;
    }
}
