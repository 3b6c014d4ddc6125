package org.pdsynth.volume;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiFormatException;

/**
 * Per-channel linear intensity scaling between a modality's units and the model's [-1, 1].
 *
 * <p>Channel c maps its low percentile lo_c to -1 and its high percentile hi_c to +1 (defaults
 * {@value #LOW_PERCENTILE} and {@value #HIGH_PERCENTILE}; percentiles of the channel's finite
 * voxels inside the brain mask, numpy's linear definition, {@link Percentiles}):
 * {@code y = 2 (x - lo) / (hi - lo) - 1}, inverse {@code x = (y + 1) (hi - lo) / 2 + lo}, both
 * computed in double and stored as float. When hi == lo (a channel constant in the mask) hi is
 * set to lo + 1, so the map stays invertible.
 *
 * <p>Clipping: NEITHER direction clips, so {@code invert(apply(x))} returns x (to float
 * rounding) for every value, including the 1% of brain voxels beyond the percentiles and the
 * background. Clipping to [-1, 1] is a separate, explicit step ({@link #clip}); the aligner uses
 * it for the model input (see {@link SubjectAligner}).
 *
 * <p>Data layout for the array methods: channel-major (C, voxels), as a (x, y, z, c) image
 * flattens. Serialises to JSON ({@link #toJson}) so a model folder can keep the map. Immutable.
 */
public final class IntensityMap {
    public static final double LOW_PERCENTILE = 0.5, HIGH_PERCENTILE = 99.5;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final double lowPercentile, highPercentile;
    private final double[] lo, hi;

    private IntensityMap(double lowPercentile, double highPercentile, double[] lo, double[] hi) {
        this.lowPercentile = lowPercentile;
        this.highPercentile = highPercentile;
        this.lo = lo;
        this.hi = hi;
    }

    /** A map from given per-channel (lo, hi) pairs, fitted at the given percentiles. */
    public static IntensityMap of(double[] lo, double[] hi, double lowPercentile, double highPercentile) {
        if (lo.length != hi.length || lo.length == 0)
            throw new IllegalArgumentException("intensity map needs one (lo, hi) per channel, got " + lo.length + " lo and " + hi.length + " hi");
        if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100))
            throw new IllegalArgumentException("percentiles must satisfy 0 <= low < high <= 100, got " + lowPercentile + ", " + highPercentile);
        double[] l = lo.clone(), h = hi.clone();
        for (int c = 0; c < l.length; c++) {
            if (!Double.isFinite(l[c]) || !Double.isFinite(h[c]))
                throw new IllegalArgumentException("channel " + c + ": lo " + l[c] + " and hi " + h[c] + " must be finite");
            if (h[c] < l[c]) throw new IllegalArgumentException("channel " + c + ": hi " + h[c] + " < lo " + l[c]);
            if (h[c] == l[c]) h[c] = l[c] + 1;
        }
        return new IntensityMap(lowPercentile, highPercentile, l, h);
    }

    /** Fits the default percentiles of each channel of {@code volume} (x, y, z[, c]) inside {@code mask}. */
    public static IntensityMap fit(RandomAccessibleInterval<FloatType> volume, BrainMask mask) {
        return fit(volume, mask, LOW_PERCENTILE, HIGH_PERCENTILE);
    }

    /** Fits the given percentiles of each channel inside {@code mask} (finite values only). */
    public static IntensityMap fit(RandomAccessibleInterval<FloatType> volume, BrainMask mask, double lowPercentile,
            double highPercentile) {
        long[] d = VolumeArrays.dims(volume);
        if (d.length != 3 && d.length != 4) throw new IllegalArgumentException("intensity map of a 3-D or 4-D volume, got " + d.length + "-D");
        if (!Arrays.equals(new long[] {d[0], d[1], d[2]}, mask.dims()))
            throw new IllegalArgumentException("volume dims " + Arrays.toString(d) + " do not match mask dims " + Arrays.toString(mask.dims()));
        if (mask.count() == 0) throw new IllegalArgumentException("cannot fit an intensity map inside an empty mask");
        int channels = d.length == 4 ? (int) d[3] : 1;
        int v = mask.size();
        float[] data = VolumeArrays.shared(volume);
        double[] lo = new double[channels], hi = new double[channels];
        double[] vals = new double[mask.count()];
        for (int c = 0; c < channels; c++) {
            int n = 0;
            for (int i = 0; i < v; i++) {
                float x = data[c * v + i];
                if (mask.contains(i) && Float.isFinite(x)) vals[n++] = x;
            }
            if (n == 0) throw new IllegalArgumentException("channel " + c + " has no finite value inside the mask");
            double[] s = Arrays.copyOf(vals, n);
            Arrays.sort(s);
            lo[c] = Percentiles.ofSorted(s, lowPercentile);
            hi[c] = Percentiles.ofSorted(s, highPercentile);
        }
        return of(lo, hi, lowPercentile, highPercentile);
    }

    public int channels() {
        return lo.length;
    }

    /** Value of channel c mapped to -1 (modality units). */
    public double lo(int c) {
        return lo[c];
    }

    /** Value of channel c mapped to +1 (modality units). */
    public double hi(int c) {
        return hi[c];
    }

    public double lowPercentile() {
        return lowPercentile;
    }

    public double highPercentile() {
        return highPercentile;
    }

    /** Modality units to model units for channel c (not clipped). */
    public double forward(int c, double x) {
        return 2 * (x - lo[c]) / (hi[c] - lo[c]) - 1;
    }

    /** Model units to modality units for channel c (exact inverse of {@link #forward}). */
    public double inverse(int c, double y) {
        return (y + 1) * (hi[c] - lo[c]) / 2 + lo[c];
    }

    /** Maps channel-major data (C x voxels, C = {@link #channels()}) to model units in place. */
    public void applyInPlace(float[] data) {
        int v = voxelsPerChannel(data);
        for (int c = 0; c < lo.length; c++)
            for (int i = c * v; i < (c + 1) * v; i++) data[i] = (float) forward(c, data[i]);
    }

    /** Maps channel-major model-unit data back to modality units in place. */
    public void invertInPlace(float[] data) {
        int v = voxelsPerChannel(data);
        for (int c = 0; c < lo.length; c++)
            for (int i = c * v; i < (c + 1) * v; i++) data[i] = (float) inverse(c, data[i]);
    }

    /** A new image (x, y, z[, c]) in model units. */
    public Img<FloatType> apply(RandomAccessibleInterval<FloatType> volume) {
        float[] a = VolumeArrays.copyOf(volume);
        applyInPlace(a);
        return VolumeArrays.wrap(a, VolumeArrays.dims(volume));
    }

    /** A new image (x, y, z[, c]) in modality units from one in model units. */
    public Img<FloatType> invert(RandomAccessibleInterval<FloatType> volume) {
        float[] a = VolumeArrays.copyOf(volume);
        invertInPlace(a);
        return VolumeArrays.wrap(a, VolumeArrays.dims(volume));
    }

    /** Clips every value to [-1, 1] in place (NaN becomes -1). */
    public static void clip(float[] data) {
        for (int i = 0; i < data.length; i++) {
            float x = data[i];
            data[i] = x > 1 ? 1 : x >= -1 ? x : -1;
        }
    }

    private int voxelsPerChannel(float[] data) {
        if (data.length % lo.length != 0)
            throw new IllegalArgumentException(data.length + " values do not split into " + lo.length + " channels");
        return data.length / lo.length;
    }

    /** The JSON form (format "pds-intensity-map", version 1). */
    public String toJson() {
        return GSON.toJson(new Json(FORMAT, 1, lowPercentile, highPercentile, lo, hi));
    }

    /** Parses {@link #toJson()}; {@code source} names the text in errors. */
    public static IntensityMap fromJson(String json, String source) {
        Json j;
        try {
            j = GSON.fromJson(json, Json.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not an intensity map JSON (" + e.getMessage() + ")", e);
        }
        if (j == null || !FORMAT.equals(j.format) || j.lo == null || j.hi == null)
            throw new IllegalArgumentException(source + ": not an intensity map JSON (needs format \"" + FORMAT + "\", lo, hi)");
        if (j.version != 1) throw new IllegalArgumentException(source + ": intensity map version " + j.version + " is not supported");
        try {
            return of(j.lo, j.hi, j.lowPercentile, j.highPercentile);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Writes the JSON atomically. */
    public void write(Path file) throws IOException {
        byte[] b = toJson().getBytes(StandardCharsets.UTF_8);
        NiftiFiles.writeAtomically(file, out -> out.write(b));
    }

    public static IntensityMap read(Path file) throws IOException {
        try {
            return fromJson(NiftiFiles.readUtf8(file), file.toString());
        } catch (IllegalArgumentException e) {
            throw new NiftiFormatException(file, e.getMessage().startsWith(file.toString() + ": ")
                    ? e.getMessage().substring(file.toString().length() + 2) : e.getMessage(), e);
        }
    }

    private static final String FORMAT = "pds-intensity-map";

    private record Json(String format, int version, double lowPercentile, double highPercentile, double[] lo, double[] hi) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof IntensityMap m && Arrays.equals(m.lo, lo) && Arrays.equals(m.hi, hi)
                && m.lowPercentile == lowPercentile && m.highPercentile == highPercentile;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lo) * 31 + Arrays.hashCode(hi);
    }

    @Override
    public String toString() {
        return "IntensityMap[p" + lowPercentile + "..p" + highPercentile + ", lo=" + Arrays.toString(lo) + ", hi=" + Arrays.toString(hi) + "]";
    }
}
