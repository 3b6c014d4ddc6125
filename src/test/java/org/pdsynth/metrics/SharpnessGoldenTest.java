package org.pdsynth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;
import org.pdsynth.TestData;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.GaussianSmoothing;
import org.pdsynth.volume.VolumeArrays;

/**
 * Gradient and spectrum ratios against numpy/scipy on the metrics fixtures and on real volumes:
 * golden values from {@code /usr/bin/python3 scripts/golden/sharpness_golden.py}.
 */
class SharpnessGoldenTest {
    static final double TOL = 1e-9;

    private static void check(JsonObject e, Sharpness s, String what) {
        assertEquals(e.get("gradient_ratio").getAsDouble(), s.gradientRatio(), TOL, what + " gradient ratio");
        assertEquals(e.get("spectrum_ratio").getAsDouble(), s.spectrumRatio(), TOL, what + " spectrum ratio");
        JsonArray g = e.getAsJsonArray("channel_gradient_ratios"), h = e.getAsJsonArray("channel_spectrum_ratios");
        assertEquals(g.size(), s.channelGradientRatios().length);
        for (int c = 0; c < g.size(); c++) {
            assertEquals(g.get(c).getAsDouble(), s.channelGradientRatios()[c], TOL, what + " channel " + c);
            assertEquals(h.get(c).getAsDouble(), s.channelSpectrumRatios()[c], TOL, what + " channel " + c);
        }
    }

    @Test
    void fixturesAndRealVolumesAgreeWithNumpy() throws Exception {
        JsonObject cases = TestData.golden("sharpness-golden.json").getAsJsonObject("cases");
        Path fix = Path.of(SharpnessGoldenTest.class.getResource("/golden/metrics-golden.json").toURI()).getParent().resolve("metrics");
        for (String name : new String[] {"blur_13x13x13", "noise_16x18x20", "offset_14x15x16x4"}) {
            check(cases.getAsJsonObject(name), Sharpness.compare(NiftiReader.read(fix.resolve(name + "_ref.nii")).data(),
                    NiftiReader.read(fix.resolve(name + "_test.nii")).data(), NiftiReader.read(fix.resolve(name + "_mask.nii")).data()), name);
        }
        JsonObject e4 = cases.getAsJsonObject("example4d_t0_vs_t1");
        Img<FloatType> ex = NiftiReader.read(TestData.file("example4d.nii.gz", e4.get("sha256").getAsString())).data();
        RandomAccessibleInterval<FloatType> t0 = Views.hyperSlice(ex, 3, 0), t1 = Views.hyperSlice(ex, 3, 1);
        RandomAccessibleInterval<FloatType> mask = net.imglib2.converter.Converters.convert(t0, (a, b) -> b.set(a.get() > 0 ? 1 : 0), new FloatType());
        check(e4, Sharpness.compare(t0, t1, mask), "example4d");

        JsonObject s64 = cases.getAsJsonObject("small_64D_vs_blur1");
        Img<FloatType> dwi = NiftiReader.read(TestData.file("small_64D.nii", s64.get("sha256").getAsString())).data();
        RandomAccessibleInterval<FloatType> first8 = Views.interval(dwi, new long[] {0, 0, 0, 0}, new long[] {9, 9, 9, 7});
        long[] d3 = {10, 10, 10};
        double[] blurred = new double[8 * 1000];
        for (int c = 0; c < 8; c++) {
            double[] b = GaussianSmoothing.smooth(VolumeArrays.copyOf(Views.hyperSlice(first8, 3, c)), d3, 1.0);
            System.arraycopy(b, 0, blurred, c * 1000, 1000);
        }
        Img<DoubleType> blur = ArrayImgs.doubles(blurred, 10, 10, 10, 8);
        Sharpness s = Sharpness.compare(first8, blur, null);
        check(s64, s, "small_64D blurred");
        assertTrue(s.gradientRatio() < 0.5 && s.spectrumRatio() < 0.2, "a blur is blurrier");
    }

    @Test
    void identicalVolumesScoreOneAndACommonScaleAndOffsetDoNotMatter() {
        java.util.Random r = new java.util.Random(3);
        float[] v = new float[12 * 12 * 12], u = new float[v.length], v2 = new float[v.length], u2 = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
            u[i] = v[i] + 0.5f * (float) r.nextGaussian();
            v2[i] = 3 * v[i] + 7;
            u2[i] = 3 * u[i] + 7;
        }
        Img<FloatType> a = ArrayImgs.floats(v, 12, 12, 12);
        Sharpness same = Sharpness.compare(a, a, null);
        assertEquals(1, same.gradientRatio(), 0);
        assertEquals(1, same.spectrumRatio(), 0);
        Sharpness s1 = Sharpness.compare(a, ArrayImgs.floats(u, 12, 12, 12), null);
        Sharpness s2 = Sharpness.compare(ArrayImgs.floats(v2, 12, 12, 12), ArrayImgs.floats(u2, 12, 12, 12), null);
        assertTrue(s1.gradientRatio() > 1 && s1.spectrumRatio() > 1, "added noise is more high-frequency content");
        assertEquals(s1.gradientRatio(), s2.gradientRatio(), 1e-5);
        assertEquals(s1.spectrumRatio(), s2.spectrumRatio(), 1e-5);
        Img<FloatType> tiny = ArrayImgs.floats(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 2, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> Sharpness.compare(tiny, tiny, null));
    }
}
