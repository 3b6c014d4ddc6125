package org.pdsynth.metrics;

import com.google.gson.JsonObject;
import java.util.Locale;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * dMRI microstructure of a test DWI against a reference DWI: both are fitted with the same
 * {@link TensorFit}, and FA and MD are compared in white matter, WM = mask voxels where the
 * REFERENCE's FA &gt; {@value #WM_FA}.
 *
 * @param faErrorWm     mean |FA_test - FA_ref| over WM
 * @param mdErrorWm     mean |MD_test - MD_ref| over WM, mm^2/s (b in s/mm^2)
 * @param faReferenceWm mean FA_ref over WM
 * @param faTestWm      mean FA_test over WM
 * @param mdReferenceWm mean MD_ref over WM, mm^2/s
 * @param mdTestWm      mean MD_test over WM, mm^2/s
 * @param wmVoxels      number of WM voxels (0: every other value is NaN)
 */
public record Microstructure(double faErrorWm, double mdErrorWm, double faReferenceWm, double faTestWm, double mdReferenceWm,
        double mdTestWm, long wmVoxels) {
    /** White matter: reference FA above this. */
    public static final double WM_FA = 0.2;

    /**
     * Fits both volumes and compares them.
     *
     * @param reference 4-D (x, y, z, measurement), the truth
     * @param test      same dimensions
     * @param fit       the tensor fit of their measurements
     * @param mask      3-D, nonzero = inside; null = every voxel
     * @throws IllegalArgumentException for mismatched shapes or non-finite values
     */
    public static Microstructure compare(RandomAccessibleInterval<? extends RealType<?>> reference,
                                         RandomAccessibleInterval<? extends RealType<?>> test, TensorFit fit,
                                         RandomAccessibleInterval<? extends RealType<?>> mask) {
        MetricInputs.requireSameShape(reference, "reference", test, "test");
        boolean[] inside = null;
        if (mask != null) {
            if (mask.numDimensions() != 3 || mask.dimension(0) != reference.dimension(0) || mask.dimension(1) != reference.dimension(1)
                    || mask.dimension(2) != reference.dimension(2))
                throw new IllegalArgumentException("mask is " + MetricInputs.shape(mask) + " but the reference is " + MetricInputs.shape(reference));
            inside = MetricInputs.copyMask(mask);
        }
        TensorFit.Maps r = fit.fit(reference, inside, "reference"), t = fit.fit(test, inside, "test");
        double fe = 0, me = 0, fr = 0, ft = 0, mr = 0, mt = 0;
        long n = 0;
        for (int i = 0; i < r.fa().length; i++) {
            if ((inside != null && !inside[i]) || !(r.fa()[i] > WM_FA)) continue;
            fe += Math.abs(t.fa()[i] - r.fa()[i]);
            me += Math.abs(t.md()[i] - r.md()[i]);
            fr += r.fa()[i];
            ft += t.fa()[i];
            mr += r.md()[i];
            mt += t.md()[i];
            n++;
        }
        return new Microstructure(fe / n, me / n, fr / n, ft / n, mr / n, mt / n, n);
    }

    /** JSON with snake_case keys; MD values in mm^2/s; NaN (no WM) as null. */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("wm_definition", String.format(Locale.ROOT, "mask voxels with reference FA > %.1f", WM_FA));
        o.addProperty("wm_voxels", wmVoxels);
        add(o, "fa_error_wm", faErrorWm);
        add(o, "md_error_wm", mdErrorWm);
        add(o, "fa_reference_wm", faReferenceWm);
        add(o, "fa_test_wm", faTestWm);
        add(o, "md_reference_wm", mdReferenceWm);
        add(o, "md_test_wm", mdTestWm);
        return o;
    }

    static void add(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) o.addProperty(key, v);
        else o.add(key, com.google.gson.JsonNull.INSTANCE);
    }
}
