package org.pdsynth.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Reads NIfTI-1 and NIfTI-2 images ({@code .nii}, {@code .nii.gz}, {@code .hdr}/{@code .img}
 * pairs, either byte order) into float voxels plus {@link Geometry} and the raw header.
 *
 * <p>Every problem with the file is a one-line {@link NiftiFormatException} naming the file and
 * the field. The header is checked against the file before the voxel array is allocated (file
 * size, the deflate ratio bound for gzip, the heap), so a lying header never causes an
 * OutOfMemoryError and a truncated file never yields a partial image.
 */
public final class NiftiReader {
    /** Deflate cannot expand data more than 1032:1; a gzip file claiming more is truncated. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int CHUNK = 1 << 20;

    private NiftiReader() {}

    /**
     * Reads header, extensions and voxels as float32 (the pipeline's type). Values of wider types
     * (int32, uint32, int64, float64) that float32 cannot hold exactly are rounded, and finite values
     * beyond its range become infinite: a warning on stderr names the file and the counts
     * ({@link #readDoubles} and {@link #stream} keep them exact).
     */
    public static NiftiImage read(Path file) throws IOException {
        return read(file, true, null);
    }

    /** Reads only the header and its extensions (fast; no voxel data). */
    public static NiftiHeader readHeader(Path file) throws IOException {
        return read(file, false, null).header();
    }

    /** Receives voxel values in storage order (index 0 .. voxels-1), scaled, in double precision. */
    public interface VoxelSink {
        void accept(int index, double value);
    }

    /**
     * Streams the voxels, scl_slope/scl_inter applied in double to the exact stored value, to
     * {@code sink} without holding the image: exact for every supported type except int64 beyond
     * 2^53. The same checks as {@link #read} apply.
     *
     * @return the header
     */
    public static NiftiHeader stream(Path file, VoxelSink sink) throws IOException {
        return read(file, true, java.util.Objects.requireNonNull(sink)).header();
    }

    /** The voxels in double precision ({@link #stream}), dims as the header's; for exact statistics and metrics. */
    public static net.imglib2.img.Img<net.imglib2.type.numeric.real.DoubleType> readDoubles(Path file) throws IOException {
        NiftiHeader h = readHeader(file);
        long n = h.voxelCount();
        long heap = Runtime.getRuntime().maxMemory() - (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        if (n * 8 > heap)
            throw new NiftiFormatException(file, "image needs " + (n * 8 >> 20) + " MiB as double but only " + (heap >> 20)
                    + " MiB of Java heap are free (raise -Xmx)");
        double[] v = new double[(int) n];
        NiftiHeader again = stream(file, (i, x) -> v[i] = x);
        return ArrayImgs.doubles(v, again.shape());
    }

    private static NiftiImage read(Path file, boolean withData, VoxelSink sink) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such file");
        Path hdrFile = file, imgFile = file;
        Path other = NiftiFiles.pairedFile(file);
        if (other != null) {
            String n = file.getFileName().toString().toLowerCase();
            boolean isHdr = n.endsWith(".hdr") || n.endsWith(".hdr.gz");
            hdrFile = isHdr ? file : other;
            imgFile = isHdr ? other : file;
        }
        NiftiHeader h;
        try (InputStream in = open(hdrFile)) {
            byte[] buf = new byte[NiftiHeaderCodec.N2_SIZE];
            int n = readFully(in, buf, 0, buf.length);
            h = NiftiHeaderCodec.decode(buf, n, hdrFile);
            int hdrSize = h.version == 1 ? NiftiHeaderCodec.N1_SIZE : NiftiHeaderCodec.N2_SIZE;
            validate(h, hdrFile, other != null);
            // bytes already consumed beyond the header (NIfTI-1 read 540 bytes)
            byte[] rest = java.util.Arrays.copyOfRange(buf, hdrSize, n);
            InputStream tail = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(rest), in);
            long consumed = hdrSize;
            long extLimit = h.pair ? Long.MAX_VALUE : h.voxOffset;
            consumed += readExtensions(tail, h, hdrFile, hdrSize, extLimit);
            if (!withData) return new NiftiImage(file, h, Geometry.fromHeader(h), null);
            if (!h.pair) {
                Img<FloatType> img = readVoxels(tail, h, hdrFile, h.voxOffset - consumed, sink);
                checkGzipEnd(in, hdrFile);
                return new NiftiImage(file, h, Geometry.fromHeader(h), img);
            }
        } catch (ZipException | EOFException e) {
            throw new NiftiFormatException(hdrFile, "gzip stream is corrupt or truncated (" + (e.getMessage() != null ? e.getMessage() : "the gzip header or data end early") + ")", e);
        } catch (NiftiFormatException | java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new NiftiFormatException(hdrFile, "cannot read (" + NiftiFiles.reason(e) + ")", e);
        }
        if (!Files.isRegularFile(imgFile))
            throw new NiftiFormatException(hdrFile, "header says 'ni" + h.version + "' (pair) but " + imgFile.getFileName() + " is missing");
        try (InputStream in = open(imgFile)) {
            Img<FloatType> img = readVoxels(in, h, imgFile, h.voxOffset, sink);
            checkGzipEnd(in, imgFile);
            return new NiftiImage(file, h, Geometry.fromHeader(h), img);
        } catch (ZipException | EOFException e) {
            throw new NiftiFormatException(imgFile, "gzip stream is corrupt or truncated (" + (e.getMessage() != null ? e.getMessage() : "the gzip header or data end early") + ")", e);
        } catch (NiftiFormatException | java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new NiftiFormatException(imgFile, "cannot read (" + NiftiFiles.reason(e) + ")", e);
        }
    }

    private static void validate(NiftiHeader h, Path file, boolean pairName) throws NiftiFormatException {
        int nd = h.ndim();
        if (nd < 1 || nd > 7) throw new NiftiFormatException(file, "dim[0] = " + h.dim[0] + ", must be 1..7");
        long n = 1;
        for (int i = 1; i <= nd; i++) {
            if (h.dim[i] < 1) throw new NiftiFormatException(file, "dim[" + i + "] = " + h.dim[i] + ", must be >= 1");
            try {
                n = Math.multiplyExact(n, h.dim[i]);
            } catch (ArithmeticException e) {
                throw new NiftiFormatException(file, "dims overflow: the product of dim[1.." + nd + "] exceeds 2^63");
            }
        }
        NiftiDatatype t = NiftiDatatype.of(h.datatype, file);
        if (n > Integer.MAX_VALUE - 8)
            throw new NiftiFormatException(file, "dims " + java.util.Arrays.toString(h.shape()) + " give " + n
                    + " voxels, more than one image can hold (2^31 - 9)");
        if (h.pair != pairName)
            throw new NiftiFormatException(file, h.pair ? "magic says .hdr/.img pair but the file is a single .nii"
                    : "magic says single file (n+" + h.version + ") but the file is a .hdr/.img pair");
        int hdrSize = h.version == 1 ? NiftiHeaderCodec.N1_SIZE : NiftiHeaderCodec.N2_SIZE;
        // nibabel refuses 1..351 too ("vox offset too low for single file"); for 0 it reads the header bytes as voxels
        if (!h.pair && h.voxOffset < hdrSize)
            throw new NiftiFormatException(file, "vox_offset " + h.voxOffset + " points inside the " + hdrSize + "-byte header");
        if (h.hasScaling() && !Double.isFinite(h.sclInter))
            throw new NiftiFormatException(file, "scl_inter is " + h.sclInter + " with scl_slope " + h.sclSlope);
        long bytes = n * t.bytes;
        long heap = Runtime.getRuntime().maxMemory() - (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        if (n * 4 > heap)
            throw new NiftiFormatException(file, "image needs " + (n * 4 >> 20) + " MiB as float but only " + (heap >> 20)
                    + " MiB of Java heap are free (raise -Xmx)");
        assert bytes >= 0;
    }

    /**
     * Reads extensions after the header, up to vox_offset (or the end of a .hdr); returns the bytes
     * consumed from {@code in}. A record whose esize is below 8 or runs past vox_offset is taken
     * as the start of a gap (nifti1.h allows vox_offset beyond the extensions), not an error.
     */
    private static long readExtensions(InputStream in, NiftiHeader h, Path file, int hdrSize, long limit)
            throws IOException {
        if (limit - hdrSize < 4) return 0;
        byte[] ext = new byte[4];
        int got = readFully(in, ext, 0, 4);
        if (got < 4) {
            if (h.pair) return got;
            throw new NiftiFormatException(file, "file ends inside the extension flag (offset " + (hdrSize + got) + ")");
        }
        long consumed = 4;
        if (ext[0] == 0) return consumed;
        List<NiftiExtension> list = new ArrayList<>();
        byte[] head = new byte[8];
        while (hdrSize + consumed + 8 <= limit) {
            int k = readFully(in, head, 0, 8);
            if (k == 0 && h.pair) break;
            if (k < 8) throw new NiftiFormatException(file, "file ends inside extension " + list.size() + " header");
            ByteBuffer b = ByteBuffer.wrap(head).order(h.byteOrder);
            int esize = b.getInt(0), ecode = b.getInt(4);
            long at = hdrSize + consumed;
            // an impossible esize ends the extension list: what follows up to vox_offset is a gap
            if (esize < 8 || at + esize > limit) {
                consumed += 8;
                break;
            }
            byte[] data = new byte[esize - 8];
            if (readFully(in, data, 0, data.length) < data.length)
                throw new NiftiFormatException(file, "file ends inside extension " + list.size());
            list.add(new NiftiExtension(ecode, data));
            consumed += esize;
        }
        h.extensions = list;
        return consumed;
    }

    /** Reads the voxels as float (sink null) or streams them to the sink in double (returns null). */
    private static Img<FloatType> readVoxels(InputStream in, NiftiHeader h, Path file, long skip, VoxelSink sink) throws IOException {
        NiftiDatatype t = NiftiDatatype.of(h.datatype, file);
        int n = (int) h.voxelCount();
        long bytes = (long) n * t.bytes;
        long available = Files.size(file);
        long needed = h.voxOffset + bytes;
        if (NiftiFiles.isGzip(file) || isGzipMagic(file)) {
            if (needed > available * MAX_DEFLATE_RATIO + 1024)
                throw new NiftiFormatException(file, "data is truncated: the header says " + bytes + " bytes of voxels at offset "
                        + h.voxOffset + ", more than a " + available + "-byte gzip file can hold");
        } else if (needed > available) {
            throw new NiftiFormatException(file, "data is truncated: the header says " + bytes + " bytes of voxels at offset "
                    + h.voxOffset + " (dims " + java.util.Arrays.toString(h.shape()) + ", " + t.name().toLowerCase()
                    + "), the file has " + available + " bytes");
        }
        if (skip > 0 && skip(in, skip) < skip)
            throw new NiftiFormatException(file, "file ends before vox_offset " + h.voxOffset);
        float[] out = sink == null ? new float[n] : null;
        long[] narrowed = new long[2]; // {rounded, overflowed} by the float32 conversion
        byte[] chunk = new byte[CHUNK - CHUNK % t.bytes];
        ByteBuffer bb = ByteBuffer.wrap(chunk).order(h.byteOrder);
        boolean scale = h.hasScaling();
        double slope = scale ? h.sclSlope : 1, inter = scale ? h.sclInter : 0;
        int done = 0;
        while (done < n) {
            int want = (int) Math.min(chunk.length, (long) (n - done) * t.bytes);
            int got = readFully(in, chunk, 0, want);
            if (got < want)
                throw new NiftiFormatException(file, "data is truncated: got " + ((long) done * t.bytes + got) + " of " + bytes
                        + " bytes of voxels (dims " + java.util.Arrays.toString(h.shape()) + ")");
            int count = want / t.bytes;
            bb.clear();
            if (sink != null) {
                for (int i = 0; i < count; i++) sink.accept(done + i, t.next(bb) * slope + inter);
            } else {
                decode(t, bb, count, out, done, scale, slope, inter, narrowed);
            }
            done += count;
        }
        if (sink != null) return null;
        if (narrowed[0] + narrowed[1] > 0)
            System.err.println("warning: " + file + ": " + t.name().toLowerCase() + " data in the float32 pipeline: " + narrowed[0]
                    + " value(s) changed (integers beyond 2^24, or underflow to 0)" + (narrowed[1] > 0 ? ", " + narrowed[1] + " finite value(s) beyond float32's range"
                    + " (|v| > 3.4e38) made infinite" : "") + " (pds info and pds metrics use the exact values)");
        return ArrayImgs.floats(out, h.shape());
    }

    /**
     * Converts {@code count} stored values (from position 0 of {@code b}, which wraps a byte array)
     * to float, applying slope/intercept in double precision to the exact stored value. The
     * common types have their own small loops (a per-voxel switch costs as much as inflating; one
     * method per type keeps the JIT's profile of one type from slowing another).
     */
    private static void decode(NiftiDatatype t, ByteBuffer b, int count, float[] out, int off, boolean scale,
            double slope, double inter, long[] narrowed) {
        switch (t) {
            case FLOAT32 -> decodeFloat32(b, count, out, off, scale, slope, inter);
            case INT16 -> decodeInt16(b, count, out, off, scale, slope, inter);
            case UINT8 -> decodeUint8(b.array(), count, out, off, scale, slope, inter);
            case UINT16 -> decodeUint16(b, count, out, off, scale, slope, inter);
            case INT8 -> {
                for (int i = 0; i < count; i++) out[off + i] = (float) (t.next(b) * slope + inter);
            }
            default -> { // int32, uint32, int64, float64: count what float32 cannot hold
                boolean integer = t != NiftiDatatype.FLOAT64 && (!scale || (slope == 1 && inter == 0));
                for (int i = 0; i < count; i++) {
                    double d = t.next(b) * slope + inter;
                    float f = (float) d;
                    out[off + i] = f;
                    if (f == d || !Double.isFinite(d)) continue;
                    if (Float.isInfinite(f)) narrowed[1]++;
                    else if (integer || (f == 0 && d != 0)) narrowed[0]++; // a changed integer, or underflow to 0
                }
            }
        }
    }

    private static void decodeFloat32(ByteBuffer b, int count, float[] out, int off, boolean scale, double slope,
            double inter) {
        b.asFloatBuffer().get(out, off, count);
        if (scale)
            for (int i = off; i < off + count; i++) out[i] = (float) (out[i] * slope + inter);
    }

    private static void decodeInt16(ByteBuffer b, int count, float[] out, int off, boolean scale, double slope,
            double inter) {
        java.nio.ShortBuffer s = b.asShortBuffer();
        if (scale) for (int i = 0; i < count; i++) out[off + i] = (float) (s.get(i) * slope + inter);
        else for (int i = 0; i < count; i++) out[off + i] = s.get(i);
    }

    private static void decodeUint16(ByteBuffer b, int count, float[] out, int off, boolean scale, double slope,
            double inter) {
        java.nio.ShortBuffer s = b.asShortBuffer();
        if (scale) for (int i = 0; i < count; i++) out[off + i] = (float) ((s.get(i) & 0xffff) * slope + inter);
        else for (int i = 0; i < count; i++) out[off + i] = s.get(i) & 0xffff;
    }

    private static void decodeUint8(byte[] a, int count, float[] out, int off, boolean scale, double slope,
            double inter) {
        if (scale) for (int i = 0; i < count; i++) out[off + i] = (float) ((a[i] & 0xff) * slope + inter);
        else for (int i = 0; i < count; i++) out[off + i] = a[i] & 0xff;
    }

    /**
     * Reads a gzip stream to its end, so that {@link GZIPInputStream} checks the member's CRC-32
     * and length trailer: a changed byte or a cut-off trailer is refused, not read as valid data.
     * Bytes after the voxels inside the compressed data (allowed, rarely used) are skipped.
     */
    private static void checkGzipEnd(InputStream in, Path file) throws IOException {
        if (!(in instanceof GZIPInputStream)) return;
        try {
            byte[] sink = new byte[8192];
            while (in.read(sink) >= 0) {
                // drain
            }
        } catch (ZipException e) {
            String m = String.valueOf(e.getMessage());
            throw new NiftiFormatException(file, (m.contains("trailer") ? "gzip check failed: the data do not match the CRC-32/length"
                    + " trailer (the file is corrupt)" : "gzip stream is corrupt or truncated") + " (" + m + ")", e);
        }
    }

    private static InputStream open(Path p) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) return new GZIPInputStream(raw, 1 << 16);
        return raw;
    }

    private static boolean isGzipMagic(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Skips n bytes (honouring gaps before vox_offset); returns how many were skipped. */
    private static long skip(InputStream in, long n) throws IOException {
        long done = 0;
        byte[] sink = new byte[8192];
        while (done < n) {
            int r = in.read(sink, 0, (int) Math.min(sink.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    /** Reads up to len bytes; returns how many were read (less only at end of stream). */
    static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r = in.read(b, off + total, len - total);
            if (r < 0) break;
            total += r;
        }
        return total;
    }
}
