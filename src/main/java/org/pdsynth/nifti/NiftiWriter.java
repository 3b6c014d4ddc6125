package org.pdsynth.nifti;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Writes single-file NIfTI-1 ({@code .nii} or {@code .nii.gz}, little-endian) atomically: the
 * file appears complete or not at all.
 *
 * <p>Voxels are stored as float32 (exact) or int16 with a computed scl_slope/scl_inter mapping
 * the finite data range onto [-32767, 32767] (NaN is stored as raw 0). Data axes become dim[1..n]
 * in ImgLib2 axis order. Geometry (transforms, codes, voxel sizes, units, TR) is written from
 * {@link Geometry}; descriptive fields and extensions come from an optional template header, so
 * reading a file and writing it back keeps what was read. gzip uses level 1, like nibabel.
 */
public final class NiftiWriter {
    private NiftiWriter() {}

    /** Writes float32 voxels with the given geometry and a fresh header. */
    public static void write(Path target, RandomAccessibleInterval<FloatType> data, Geometry geometry) throws IOException {
        write(target, data, geometry, null, NiftiDatatype.FLOAT32);
    }

    /** Writes an image read earlier (or built in memory) as float32, keeping its header's fields. */
    public static void write(Path target, NiftiImage image) throws IOException {
        write(target, image.data(), image.geometry(), image.header(), NiftiDatatype.FLOAT32);
    }

    /**
     * Writes {@code data} as {@code type} (FLOAT32 or INT16).
     *
     * @param template header whose descriptive fields (descrip, intent, slice timing, cal range,
     *     dim_info, pixdim[4..7], extensions) are kept; null for none
     */
    public static void write(Path target, RandomAccessibleInterval<FloatType> data, Geometry geometry,
            NiftiHeader template, NiftiDatatype type) throws IOException {
        write(target, data, geometry, template, type, Double.NaN, Double.NaN);
    }

    /**
     * Writes int16 voxels with a scaling chosen by the caller instead of the computed one: stored =
     * round((v - inter) / slope), read back as stored * slope + inter (NaN is stored as 0). With
     * slope 1 and inter 0, whole-numbered data are stored exactly, as scanners store them, and 0
     * stays exactly 0.
     *
     * @throws IllegalArgumentException when slope is not a positive finite number, inter is not
     *     finite, or a finite value does not fit int16 with this scaling
     */
    public static void writeInt16(Path target, RandomAccessibleInterval<FloatType> data, Geometry geometry,
            NiftiHeader template, double slope, double inter) throws IOException {
        if (!(slope > 0) || !Double.isFinite(slope) || !Double.isFinite(inter))
            throw new IllegalArgumentException(target + ": int16 scaling needs a positive slope and a finite intercept, got "
                    + slope + ", " + inter);
        double fs = (float) slope, fi = (float) inter;
        double[] range = finiteRange(data);
        double lo = Math.rint((range[0] - fi) / fs), hi = Math.rint((range[1] - fi) / fs);
        if (lo < Short.MIN_VALUE || hi > Short.MAX_VALUE)
            throw new IllegalArgumentException(target + ": values " + range[0] + ".." + range[1] + " do not fit int16 with slope "
                    + fs + " and intercept " + fi);
        write(target, data, geometry, template, NiftiDatatype.INT16, fs, fi);
    }

    private static void write(Path target, RandomAccessibleInterval<FloatType> data, Geometry geometry,
            NiftiHeader template, NiftiDatatype type, double fixedSlope, double fixedInter) throws IOException {
        String name = target.getFileName().toString().toLowerCase();
        if (!name.endsWith(".nii") && !name.endsWith(".nii.gz"))
            throw new IllegalArgumentException(target + ": output must end in .nii or .nii.gz");
        if (type != NiftiDatatype.FLOAT32 && type != NiftiDatatype.INT16)
            throw new IllegalArgumentException(target + ": can write float32 or int16, not " + type);
        int nd = data.numDimensions();
        if (nd < 1 || nd > 7) throw new IllegalArgumentException(target + ": " + nd + " dimensions; NIfTI holds 1..7");
        NiftiHeader h = template == null ? new NiftiHeader() : template.copy();
        h.version = 1;
        h.pair = false;
        h.byteOrder = ByteOrder.LITTLE_ENDIAN;
        h.dim = new long[8];
        h.dim[0] = nd;
        for (int d = 0; d < nd; d++) {
            long s = data.dimension(d);
            if (s > Short.MAX_VALUE) throw new IllegalArgumentException(target + ": axis " + d + " has " + s + " voxels; NIfTI-1 holds up to 32767");
            h.dim[d + 1] = s;
        }
        for (int d = nd + 1; d < 8; d++) h.dim[d] = 1;
        if (template == null) {
            java.util.Arrays.fill(h.pixdim, 1);
        }
        geometry.applyTo(h);
        h.datatype = type.code;
        h.bitpix = type.bitpix();
        int extBytes = 0;
        for (NiftiExtension e : h.extensions) extBytes += e.esize();
        h.voxOffset = NiftiHeaderCodec.N1_SIZE + 4 + extBytes;
        double slope = 1, inter = 0;
        if (type == NiftiDatatype.INT16 && !Double.isNaN(fixedSlope)) {
            slope = fixedSlope;
            inter = fixedInter;
        } else if (type == NiftiDatatype.INT16) {
            double[] range = finiteRange(data);
            inter = (range[0] + range[1]) / 2;
            slope = range[1] > range[0] ? (range[1] - range[0]) / 65534.0 : 1;
            // the header stores float32: use exactly the values a reader will see
            slope = (float) slope;
            inter = (float) inter;
        }
        h.sclSlope = slope;
        h.sclInter = inter;
        final double fs = slope, fi = inter;
        NiftiHeader header = h;
        NiftiFiles.writeAtomically(target, raw -> {
            OutputStream out = name.endsWith(".gz") ? new LevelGzip(raw) : raw;
            ByteBuffer hb = ByteBuffer.allocate((int) header.voxOffset).order(ByteOrder.LITTLE_ENDIAN);
            NiftiHeaderCodec.encode1(header, hb);
            hb.put((byte) (header.extensions.isEmpty() ? 0 : 1)).put((byte) 0).put((byte) 0).put((byte) 0);
            for (NiftiExtension e : header.extensions) {
                hb.putInt(e.esize()).putInt(e.code()).put(e.data());
                for (int i = e.data().length + 8; i < e.esize(); i++) hb.put((byte) 0);
            }
            out.write(hb.array());
            writeVoxels(out, data, type, fs, fi);
            if (out != raw) ((GZIPOutputStream) out).finish();
        });
    }

    private static void writeVoxels(OutputStream out, RandomAccessibleInterval<FloatType> data, NiftiDatatype type,
            double slope, double inter) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        Cursor<FloatType> c = Views.flatIterable(data).cursor();
        while (c.hasNext()) {
            float v = c.next().get();
            if (type == NiftiDatatype.FLOAT32) b.putFloat(v);
            else b.putShort(Float.isNaN(v) ? 0 : (short) Math.max(-32768, Math.min(32767, Math.round((v - inter) / slope))));
            if (!b.hasRemaining()) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
        }
        out.write(b.array(), 0, b.position());
    }

    /** {min, max} of the finite values (0, 0 when there are none). */
    private static double[] finiteRange(RandomAccessibleInterval<FloatType> data) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (FloatType t : Views.flatIterable(data)) {
            float v = t.get();
            if (Float.isFinite(v)) {
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        }
        return lo > hi ? new double[] {0, 0} : new double[] {lo, hi};
    }

    /** gzip at level 1 (fast, as nibabel writes). */
    private static final class LevelGzip extends GZIPOutputStream {
        LevelGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
