package org.pdsynth.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Byte layout of the NIfTI-1 (348 bytes) and NIfTI-2 (540 bytes) headers: decoding from and
 * encoding to a buffer. Field offsets follow nifti1.h and nifti2.h.
 */
final class NiftiHeaderCodec {
    static final int N1_SIZE = 348, N2_SIZE = 540;
    private static final byte[] N2_MAGIC_TAIL = {'\r', '\n', 0x1a, '\n'};

    private NiftiHeaderCodec() {}

    /**
     * Decodes a header from the first bytes of a file (at least 348 bytes; 540 for NIfTI-2).
     * Version and byte order come from sizeof_hdr; the magic string is checked.
     */
    static NiftiHeader decode(byte[] bytes, int length, Path file) throws NiftiFormatException {
        if (length < 4) throw new NiftiFormatException(file, "file is too short for a NIfTI header (" + length + " bytes)");
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int size = b.getInt(0);
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (size != N1_SIZE && size != N2_SIZE) {
            order = ByteOrder.BIG_ENDIAN;
            size = Integer.reverseBytes(size);
        }
        if (size != N1_SIZE && size != N2_SIZE)
            throw new NiftiFormatException(file, "sizeof_hdr is " + b.getInt(0) + " (either byte order); not a NIfTI-1 (348) or NIfTI-2 (540) header");
        if (length < size)
            throw new NiftiFormatException(file, "header is truncated: " + length + " of " + size + " bytes");
        b.order(order);
        NiftiHeader h = size == N1_SIZE ? decode1(b, file) : decode2(b, file);
        h.byteOrder = order;
        return h;
    }

    private static NiftiHeader decode1(ByteBuffer b, Path file) throws NiftiFormatException {
        String magic = string(b, 344, 4);
        boolean pair;
        if (magic.equals("n+1")) pair = false;
        else if (magic.equals("ni1")) pair = true;
        else throw new NiftiFormatException(file, "magic is '" + printable(b, 344, 4) + "', not 'n+1' or 'ni1' (Analyze 7.5 is not supported)");
        NiftiHeader h = new NiftiHeader();
        h.version = 1;
        h.pair = pair;
        h.dimInfo = b.get(39) & 0xff;
        for (int i = 0; i < 8; i++) h.dim[i] = b.getShort(40 + 2 * i);
        h.intentP1 = b.getFloat(56);
        h.intentP2 = b.getFloat(60);
        h.intentP3 = b.getFloat(64);
        h.intentCode = b.getShort(68);
        h.datatype = b.getShort(70);
        h.bitpix = b.getShort(72);
        h.sliceStart = b.getShort(74);
        for (int i = 0; i < 8; i++) h.pixdim[i] = b.getFloat(76 + 4 * i);
        double vox = b.getFloat(108);
        if (!(vox >= 0) || vox != Math.rint(vox))
            throw new NiftiFormatException(file, "vox_offset " + vox + " is not a non-negative whole number");
        h.voxOffset = (long) vox;
        h.sclSlope = b.getFloat(112);
        h.sclInter = b.getFloat(116);
        h.sliceEnd = b.getShort(120);
        h.sliceCode = b.get(122) & 0xff;
        h.xyztUnits = b.get(123) & 0xff;
        h.calMax = b.getFloat(124);
        h.calMin = b.getFloat(128);
        h.sliceDuration = b.getFloat(132);
        h.toffset = b.getFloat(136);
        h.descrip = string(b, 148, 80);
        h.auxFile = string(b, 228, 24);
        h.qformCode = b.getShort(252);
        h.sformCode = b.getShort(254);
        h.quaternB = b.getFloat(256);
        h.quaternC = b.getFloat(260);
        h.quaternD = b.getFloat(264);
        h.qoffsetX = b.getFloat(268);
        h.qoffsetY = b.getFloat(272);
        h.qoffsetZ = b.getFloat(276);
        for (int i = 0; i < 4; i++) {
            h.srowX[i] = b.getFloat(280 + 4 * i);
            h.srowY[i] = b.getFloat(296 + 4 * i);
            h.srowZ[i] = b.getFloat(312 + 4 * i);
        }
        h.intentName = string(b, 328, 16);
        return h;
    }

    private static NiftiHeader decode2(ByteBuffer b, Path file) throws NiftiFormatException {
        String magic = string(b, 4, 4);
        boolean tailOk = true;
        for (int i = 0; i < 4; i++) tailOk &= b.get(8 + i) == N2_MAGIC_TAIL[i];
        boolean pair;
        if (magic.equals("n+2") && tailOk) pair = false;
        else if (magic.equals("ni2") && tailOk) pair = true;
        else throw new NiftiFormatException(file, "magic is '" + printable(b, 4, 8) + "', not NIfTI-2 'n+2' or 'ni2'");
        NiftiHeader h = new NiftiHeader();
        h.version = 2;
        h.pair = pair;
        h.datatype = b.getShort(12);
        h.bitpix = b.getShort(14);
        for (int i = 0; i < 8; i++) h.dim[i] = b.getLong(16 + 8 * i);
        h.intentP1 = b.getDouble(80);
        h.intentP2 = b.getDouble(88);
        h.intentP3 = b.getDouble(96);
        for (int i = 0; i < 8; i++) h.pixdim[i] = b.getDouble(104 + 8 * i);
        h.voxOffset = b.getLong(168);
        if (h.voxOffset < 0) throw new NiftiFormatException(file, "vox_offset " + h.voxOffset + " is negative");
        h.sclSlope = b.getDouble(176);
        h.sclInter = b.getDouble(184);
        h.calMax = b.getDouble(192);
        h.calMin = b.getDouble(200);
        h.sliceDuration = b.getDouble(208);
        h.toffset = b.getDouble(216);
        h.sliceStart = b.getLong(224);
        h.sliceEnd = b.getLong(232);
        h.descrip = string(b, 240, 80);
        h.auxFile = string(b, 320, 24);
        h.qformCode = b.getInt(344);
        h.sformCode = b.getInt(348);
        h.quaternB = b.getDouble(352);
        h.quaternC = b.getDouble(360);
        h.quaternD = b.getDouble(368);
        h.qoffsetX = b.getDouble(376);
        h.qoffsetY = b.getDouble(384);
        h.qoffsetZ = b.getDouble(392);
        for (int i = 0; i < 4; i++) {
            h.srowX[i] = b.getDouble(400 + 8 * i);
            h.srowY[i] = b.getDouble(432 + 8 * i);
            h.srowZ[i] = b.getDouble(464 + 8 * i);
        }
        h.sliceCode = b.getInt(496);
        h.xyztUnits = b.getInt(500);
        h.intentCode = b.getInt(504);
        h.intentName = string(b, 508, 16);
        h.dimInfo = b.get(524) & 0xff;
        return h;
    }

    /**
     * Encodes a NIfTI-1 single-file header (348 bytes, magic n+1) in little-endian order. Values
     * are narrowed to the NIfTI-1 field types; the caller checks dims fit in 16 bits.
     */
    static void encode1(NiftiHeader h, ByteBuffer b) {
        int p = b.position();
        ByteBuffer o = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        o.putInt(0, N1_SIZE);
        o.put(38, (byte) 'r');
        o.put(39, (byte) h.dimInfo);
        for (int i = 0; i < 8; i++) o.putShort(40 + 2 * i, (short) h.dim[i]);
        o.putFloat(56, (float) h.intentP1);
        o.putFloat(60, (float) h.intentP2);
        o.putFloat(64, (float) h.intentP3);
        o.putShort(68, (short) h.intentCode);
        o.putShort(70, (short) h.datatype);
        o.putShort(72, (short) h.bitpix);
        o.putShort(74, (short) h.sliceStart);
        for (int i = 0; i < 8; i++) o.putFloat(76 + 4 * i, (float) h.pixdim[i]);
        o.putFloat(108, h.voxOffset);
        o.putFloat(112, (float) h.sclSlope);
        o.putFloat(116, (float) h.sclInter);
        o.putShort(120, (short) h.sliceEnd);
        o.put(122, (byte) h.sliceCode);
        o.put(123, (byte) h.xyztUnits);
        o.putFloat(124, (float) h.calMax);
        o.putFloat(128, (float) h.calMin);
        o.putFloat(132, (float) h.sliceDuration);
        o.putFloat(136, (float) h.toffset);
        putString(o, 148, 80, h.descrip);
        putString(o, 228, 24, h.auxFile);
        o.putShort(252, (short) h.qformCode);
        o.putShort(254, (short) h.sformCode);
        o.putFloat(256, (float) h.quaternB);
        o.putFloat(260, (float) h.quaternC);
        o.putFloat(264, (float) h.quaternD);
        o.putFloat(268, (float) h.qoffsetX);
        o.putFloat(272, (float) h.qoffsetY);
        o.putFloat(276, (float) h.qoffsetZ);
        for (int i = 0; i < 4; i++) {
            o.putFloat(280 + 4 * i, (float) h.srowX[i]);
            o.putFloat(296 + 4 * i, (float) h.srowY[i]);
            o.putFloat(312 + 4 * i, (float) h.srowZ[i]);
        }
        putString(o, 328, 16, h.intentName);
        putString(o, 344, 4, "n+1");
        b.position(p + N1_SIZE);
    }

    /** A NUL-terminated string of at most n bytes (Latin-1, so every byte survives a round trip). */
    private static String string(ByteBuffer b, int off, int n) {
        int len = 0;
        while (len < n && b.get(off + len) != 0) len++;
        byte[] s = new byte[len];
        b.get(off, s);
        return new String(s, StandardCharsets.ISO_8859_1);
    }

    private static void putString(ByteBuffer b, int off, int n, String s) {
        byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < n; i++) b.put(off + i, i < v.length ? v[i] : 0);
    }

    private static String printable(ByteBuffer b, int off, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = b.get(off + i) & 0xff;
            s.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return s.toString();
    }
}
