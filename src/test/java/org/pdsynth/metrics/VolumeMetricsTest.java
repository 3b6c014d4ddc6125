package org.pdsynth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Random;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;

/** Behaviour of VolumeMetrics beyond the golden values: identities, errors, JSON form. */
class VolumeMetricsTest {

    private static Img<FloatType> random(long seed, long... dims) {
        Img<FloatType> img = ArrayImgs.floats(dims);
        Random rnd = new Random(seed);
        for (FloatType v : img) v.set((float) (100 + 20 * rnd.nextGaussian()));
        return img;
    }

    @Test
    void identicalVolumesGiveSsimOneAndInfinitePsnr() {
        Img<FloatType> ref = random(1, 12, 13, 14, 2);
        Img<UnsignedByteType> mask = ArrayImgs.unsignedBytes(12, 13, 14);
        Views.interval(mask, new long[] {3, 3, 3}, new long[] {8, 9, 10}).forEach(v -> v.set(1));
        MetricsReport r = VolumeMetrics.compare(ref, ref.copy(), mask);
        assertEquals(1.0, r.ssim(), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, r.psnr());
        assertEquals(0.0, r.mae());
        assertEquals(2, r.channels().size());
        for (ChannelMetrics c : r.channels()) {
            assertEquals(1.0, c.ssim(), 1e-15);
            assertEquals(Double.POSITIVE_INFINITY, c.psnr());
        }
        assertEquals(1.0, r.masked().ssim(), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, r.masked().psnr());

        JsonObject json = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertTrue(json.get("psnr").isJsonNull(), "infinite PSNR is JSON null");
        assertEquals(MetricsReport.INFINITE_PSNR_NOTE, json.get("psnr_note").getAsString());
        JsonObject ch0 = json.getAsJsonArray("channels").get(0).getAsJsonObject();
        assertTrue(ch0.get("psnr").isJsonNull());
        assertTrue(json.getAsJsonObject("masked").get("psnr").isJsonNull());
    }

    @Test
    void differentVolumesScoreBelowOneAndScalingUsesTheReferenceRange() {
        Img<FloatType> ref = random(2, 12, 12, 12);
        Img<FloatType> test = ref.copy();
        // shifting the test by 10% of the reference range gives MAE 0.1 and MSE 0.01 after scaling
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (FloatType v : ref) {
            min = Math.min(min, v.get());
            max = Math.max(max, v.get());
        }
        double shift = 0.1 * ((double) max - min);
        for (FloatType v : test) v.set((float) (v.get() + shift));
        MetricsReport r = VolumeMetrics.compare(ref, test);
        assertEquals(0.1, r.mae(), 1e-5);
        assertEquals(20.0, r.psnr(), 1e-3);
        assertTrue(r.ssim() < 1.0 && r.ssim() > 0.5, "a constant shift lowers only the luminance term: " + r.ssim());
        assertNull(r.masked());
        assertFalse(JsonParser.parseString(r.toJson()).getAsJsonObject().has("masked"));
    }

    @Test
    void jsonHasTheDocumentedKeysInOrder() {
        Img<FloatType> ref = random(3, 11, 11, 11, 3);
        Img<FloatType> test = random(4, 11, 11, 11, 3);
        Img<FloatType> mask = ArrayImgs.floats(11, 11, 11);
        for (FloatType v : mask) v.set(0.5f);
        MetricsReport r = VolumeMetrics.compare(ref, test, mask);
        JsonObject json = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals(List.of("data_range", "scaling", "psnr", "ssim", "mae", "channels", "masked"),
                List.copyOf(json.keySet()));
        assertEquals(1.0, json.get("data_range").getAsDouble());
        assertEquals(VolumeMetrics.SCALING, json.get("scaling").getAsString());
        assertTrue(r.toJson().contains("s = (v - min_ref) / (max_ref - min_ref)"), "no HTML escapes: " + r.toJson());
        assertEquals(r.psnr(), json.get("psnr").getAsDouble());
        assertEquals(r.ssim(), json.get("ssim").getAsDouble());
        assertEquals(3, json.getAsJsonArray("channels").size());
        JsonObject c2 = json.getAsJsonArray("channels").get(2).getAsJsonObject();
        assertEquals(List.of("channel", "psnr", "ssim", "mae"), List.copyOf(c2.keySet()));
        assertEquals(2, c2.get("channel").getAsInt());
        assertEquals(r.channels().get(2).mae(), c2.get("mae").getAsDouble());
        JsonObject m = json.getAsJsonObject("masked");
        assertEquals(List.of("data_range", "scaling", "psnr", "ssim", "mae", "channels"), List.copyOf(m.keySet()));
        // a mask covering every voxel gives the whole-volume values
        assertEquals(r.ssim(), r.masked().ssim(), 1e-15);
        assertEquals(r.psnr(), r.masked().psnr(), 1e-12);
        // channel averages are means of the channel values
        double s = 0;
        for (ChannelMetrics c : r.channels()) s += c.ssim();
        assertEquals(s / 3, r.ssim(), 1e-15);
        assertTrue(r.toText().contains("inside mask"));
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> VolumeMetrics.compare(random(1, 12, 13, 14), random(1, 12, 13, 15)));
        assertTrue(e.getMessage().contains("reference is 12x13x14") && e.getMessage().contains("test is 12x13x15"),
                e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim3d(random(1, 12, 13, 14), random(1, 14, 13, 12), 1.0));
        assertTrue(e2.getMessage().contains("12x13x14") && e2.getMessage().contains("14x13x12"), e2.getMessage());
    }

    @Test
    void tooSmallVolumeNamesItsShape() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> VolumeMetrics.compare(random(1, 20, 10, 20), random(2, 20, 10, 20)));
        assertTrue(e.getMessage().contains("20x10x20") && e.getMessage().contains(">= 11"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim3d(random(1, 11, 11, 10), random(2, 11, 11, 10), 1.0));
        assertTrue(e2.getMessage().contains("11x11x10"), e2.getMessage());
    }

    @Test
    void wrongDimensionalityIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> VolumeMetrics.compare(random(1, 12, 12), random(2, 12, 12)));
        assertTrue(e.getMessage().contains("12x12 (2-D)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim3d(random(1, 12, 12, 12, 2), random(2, 12, 12, 12, 2), 1.0));
    }

    @Test
    void constantReferenceChannelIsAnError() {
        Img<FloatType> ref = random(1, 11, 11, 11, 3);
        Views.hyperSlice(ref, 3, 1).forEach(v -> v.set(7f));
        var e = assertThrows(IllegalArgumentException.class, () -> VolumeMetrics.compare(ref, random(2, 11, 11, 11, 3)));
        assertTrue(e.getMessage().contains("reference channel 1 is constant") && e.getMessage().contains("7.0"),
                e.getMessage());
    }

    @Test
    void badMasksAreErrors() {
        Img<FloatType> ref = random(1, 12, 12, 12), test = random(2, 12, 12, 12);
        var shape = assertThrows(IllegalArgumentException.class,
                () -> VolumeMetrics.compare(ref, test, ArrayImgs.floats(12, 12, 13)));
        assertTrue(shape.getMessage().contains("mask is 12x12x13") && shape.getMessage().contains("12x12x12"),
                shape.getMessage());
        var empty = assertThrows(IllegalArgumentException.class,
                () -> VolumeMetrics.compare(ref, test, ArrayImgs.floats(12, 12, 12)));
        assertTrue(empty.getMessage().contains("no nonzero voxel"), empty.getMessage());
        Img<FloatType> rim = ArrayImgs.floats(12, 12, 12);
        rim.randomAccess().setPositionAndGet(0, 6, 6).set(1f);
        var border = assertThrows(IllegalArgumentException.class, () -> VolumeMetrics.compare(ref, test, rim));
        assertTrue(border.getMessage().contains("none at least 5 voxels from every border"), border.getMessage());
    }

    @Test
    void nonFiniteValueIsNamed() {
        Img<FloatType> test = random(2, 12, 12, 12);
        test.randomAccess().setPositionAndGet(3, 4, 5).set(Float.NaN);
        var e = assertThrows(IllegalArgumentException.class, () -> VolumeMetrics.compare(random(1, 12, 12, 12), test));
        assertTrue(e.getMessage().contains("test") && e.getMessage().contains("[3, 4, 5]"), e.getMessage());
    }

    @Test
    void intervalsWithNonZeroMinAreAccepted() {
        Img<FloatType> ref = random(5, 12, 12, 12), test = random(6, 12, 12, 12);
        MetricsReport plain = VolumeMetrics.compare(ref, test);
        MetricsReport shifted = VolumeMetrics.compare(Views.translate(ref, 10, -3, 7), test);
        assertEquals(plain.ssim(), shifted.ssim(), 0.0);
        assertEquals(plain.psnr(), shifted.psnr(), 0.0);
    }

    @Test
    void reflectIsHalfSampleSymmetric() {
        // scipy 'reflect': (d c b a | a b c d | d c b a), period 2n; here n = 4, i = -8..11
        int[] expected = {0, 1, 2, 3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1, 2, 3};
        for (int i = -8; i < 12; i++) assertEquals(expected[i + 8], GaussianWindow.reflect(i, 4), "index " + i);
        assertEquals(5, Ssim.PAD);
        assertEquals(11, Ssim.WIN_SIZE);
    }
}
