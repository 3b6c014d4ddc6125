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
 * with NaN and infinities excluded (accumulated in double).
 */
public record ImageSummary(String file, long[] dims, String datatype, double[] voxelSize, String spatialUnit,
        double[] affine, String affineSource, double tr, double min, double max, double mean, long nanCount,
        long infCount, int niftiVersion) {

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
        NiftiHeader h = img.header();
        String type;
        try {
            type = NiftiDatatype.of(h.datatype, img.source()).name().toLowerCase(Locale.ROOT);
        } catch (NiftiFormatException e) {
            type = "code " + h.datatype;
        }
        Geometry g = img.geometry();
        return new ImageSummary(String.valueOf(img.source()), h.shape(), type, g.voxelSize(), g.spatialUnit(), g.affine(),
                g.source().name().toLowerCase(Locale.ROOT), g.tr(), n == 0 ? Double.NaN : lo, n == 0 ? Double.NaN : hi,
                n == 0 ? Double.NaN : sum / n, nan, inf, h.version);
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
        b.append(String.format(Locale.ROOT, "min/max/mean: %g / %g / %g%n", min, max, mean));
        b.append("nan: ").append(nanCount).append(", inf: ").append(infCount).append('\n');
        return b.toString();
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
