package org.pdsynth.nifti;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What {@code pds info} reports about an image: dims, on-disk datatype, voxel sizes, the affine
 * (as nibabel's {@code img.affine}), TR in seconds, and min/max/mean of the scaled voxel values
 * with NaN and infinities excluded (accumulated in double). {@link #read} takes the statistics
 * from the stored values in double precision (exact for int32 and float64 files, as nibabel's
 * {@code get_fdata}) and counts the values the float32 pipeline (align, synthesize, train) would
 * change: {@code float32Changed} (integers beyond 2^24, values that underflow to 0) and
 * {@code float32Overflow} (finite values beyond float32's range, which become infinite).
 */
public record ImageSummary(String file, long[] dims, String datatype, double[] voxelSize, String spatialUnit,
        double[] affine, String affineSource, double tr, double min, double max, double mean, long nanCount,
        long infCount, int niftiVersion, long float32Changed, long float32Overflow) {

    /** The summary of a file with exact (double) statistics: what {@code pds info} prints. */
    public static ImageSummary read(java.nio.file.Path file) throws java.io.IOException {
        double[] acc = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0};
        long[] count = new long[5]; // finite, nan, inf, float32 changed, float32 overflow
        NiftiHeader h = NiftiReader.stream(file, (i, v) -> {
            if (Double.isNaN(v)) count[1]++;
            else if (Double.isInfinite(v)) count[2]++;
            else {
                if (v < acc[0]) acc[0] = v;
                if (v > acc[1]) acc[1] = v;
                acc[2] += v;
                count[0]++;
                float f = (float) v;
                if (Float.isInfinite(f)) count[4]++;
                else if (f != v && (v == Math.rint(v) || f == 0)) count[3]++;
            }
        });
        long n = count[0];
        return summary(file, h, Geometry.fromHeader(h), n == 0 ? Double.NaN : acc[0], n == 0 ? Double.NaN : acc[1],
                n == 0 ? Double.NaN : acc[2] / n, count[1], count[2], count[3], count[4]);
    }

    private static ImageSummary summary(java.nio.file.Path file, NiftiHeader h, Geometry g, double min, double max, double mean,
            long nan, long inf, long changed, long overflow) {
        String type;
        try {
            type = NiftiDatatype.of(h.datatype, file).name().toLowerCase(Locale.ROOT);
        } catch (NiftiFormatException e) {
            type = "code " + h.datatype;
        }
        return new ImageSummary(String.valueOf(file), h.shape(), type, g.voxelSize(), g.spatialUnit(), g.affine(),
                g.source().name().toLowerCase(Locale.ROOT), g.tr(), min, max, mean, nan, inf, h.version, changed, overflow);
    }

    /** The summary of an image already read as float32 (statistics of the float values). */
    public static ImageSummary of(NiftiImage img) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, sum = 0;
        long n = 0, nan = 0, inf = 0;
        for (FloatType t : img.data()) {
            float v = t.get();
            if (Float.isNaN(v)) nan++;
            else if (Float.isInfinite(v)) inf++;
            else {
                if (v < lo) lo = v;
                if (v > hi) hi = v;
                sum += v;
                n++;
            }
        }
        return summary(img.source(), img.header(), img.geometry(), n == 0 ? Double.NaN : lo, n == 0 ? Double.NaN : hi,
                n == 0 ? Double.NaN : sum / n, nan, inf, 0, 0);
    }

    /**
     * One JSON object (RFC 8259: no NaN or Infinity literals): dims, datatype, voxel_size, affine
     * (4x4), tr (null if none), min, max, mean, nan_count, ... A non-finite number (a NaN pixdim or
     * srow element in the header, no finite voxel) is written as {@code null}.
     */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("file", file);
        o.add("dims", array(Arrays.stream(dims).asDoubleStream().toArray(), true));
        o.addProperty("datatype", datatype);
        o.add("voxel_size", array(voxelSize, false));
        o.addProperty("spatial_unit", spatialUnit);
        JsonArray aff = new JsonArray();
        for (int r = 0; r < 4; r++) aff.add(array(Arrays.copyOfRange(affine, 4 * r, 4 * r + 4), false));
        o.add("affine", aff);
        o.addProperty("affine_source", affineSource);
        number(o, "tr", tr);
        number(o, "min", min);
        number(o, "max", max);
        number(o, "mean", mean);
        o.addProperty("nan_count", nanCount);
        o.addProperty("inf_count", infCount);
        o.addProperty("nifti_version", niftiVersion);
        o.addProperty("float32_changed", float32Changed);
        o.addProperty("float32_overflow", float32Overflow);
        return new GsonBuilder().serializeNulls().create().toJson(o);
    }

    /** A short human-readable block, one field per line. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("file:        ").append(file).append('\n');
        b.append("format:      NIfTI-").append(niftiVersion).append(", ").append(datatype).append('\n');
        b.append("dims:        ").append(Arrays.toString(dims)).append('\n');
        b.append(String.format(Locale.ROOT, "voxel size:  %s %s%n", fmt(voxelSize), spatialUnit));
        b.append("tr:          ").append(Double.isNaN(tr) ? "none" : String.format(Locale.ROOT, "%g s", tr)).append('\n');
        b.append("affine (").append(affineSource).append("):\n");
        for (int r = 0; r < 4; r++) b.append("   ").append(fmt(Arrays.copyOfRange(affine, 4 * r, 4 * r + 4))).append('\n');
        b.append("min/max/mean: ").append(exact(min)).append(" / ").append(exact(max)).append(" / ").append(exact(mean)).append('\n');
        b.append("nan: ").append(nanCount).append(", inf: ").append(infCount).append('\n');
        if (float32Changed + float32Overflow > 0)
            b.append("float32 pipeline (align, synthesize, train): ").append(float32Changed).append(" value(s) changed (integers beyond 2^24,"
                    + " underflow), ").append(float32Overflow).append(" beyond float32's range (become infinite)\n");
        return b.toString();
    }

    /** The shortest decimal that reads back as v (123456789, not 1.23457e+08), NaN as "nan". */
    private static String exact(double v) {
        if (!Double.isFinite(v)) return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        String s = Math.abs(v) < 1e15 ? java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : Double.toString(v);
        return s.equals("-0") ? "0" : s;
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", v[i]));
        return b.append(']').toString();
    }

    private static JsonArray array(double[] v, boolean integers) {
        JsonArray a = new JsonArray();
        for (double d : v) {
            if (integers) a.add((long) d);
            else if (Double.isFinite(d)) a.add(d);
            else a.add(com.google.gson.JsonNull.INSTANCE);
        }
        return a;
    }

    private static void number(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) o.addProperty(key, v);
        else o.add(key, null);
    }
}
