package org.pdsynth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.pdsynth.nifti.NiftiReader;

/**
 * Our metrics against scikit-image 0.19.3 on the volumes and values written by
 * {@code /usr/bin/python3 scripts/golden/metrics_golden.py} (src/test/resources/golden/).
 */
class MetricsGoldenTest {
    static final double SSIM_TOL = 1e-5;
    static final double PSNR_TOL = 1e-6;
    static final double MAE_TOL = 1e-7;

    /** Largest |ours - skimage| seen, per metric, printed after the run (for the record). */
    private static final Map<String, Double> MAX_DEV = new java.util.TreeMap<>();

    private static void near(double expected, double actual, double tol, String metric, String what) {
        MAX_DEV.merge(metric, Math.abs(expected - actual), Math::max);
        assertEquals(expected, actual, tol, what + " " + metric);
    }

    @AfterAll
    static void printDeviations() {
        System.out.println("MetricsGoldenTest max |ours - skimage|: " + MAX_DEV);
    }

    private static Path goldenDir() throws URISyntaxException {
        return Path.of(MetricsGoldenTest.class.getResource("/golden/metrics-golden.json").toURI()).getParent();
    }

    private static JsonObject golden() throws IOException, URISyntaxException {
        return JsonParser.parseString(Files.readString(goldenDir().resolve("metrics-golden.json"))).getAsJsonObject();
    }

    private static Img<FloatType> read(JsonObject files, String key) throws IOException, URISyntaxException {
        return files.has(key) ? NiftiReader.read(goldenDir().resolve(files.get(key).getAsString())).data() : null;
    }

    @Test
    void windowWeightsAreScipys() throws Exception {
        JsonArray w = golden().getAsJsonArray("window_weights");
        assertEquals(w.size(), Ssim.WIN_SIZE);
        for (int i = 0; i < w.size(); i++)
            near(w.get(i).getAsDouble(), Ssim.WINDOW.weights[i], 1e-16, "weight", "tap " + i);
    }

    @TestFactory
    List<DynamicTest> everyCaseMatchesScikitImage() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, com.google.gson.JsonElement> e : golden().getAsJsonObject("cases").entrySet()) {
            JsonObject c = e.getValue().getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> checkCase(e.getKey(), c)));
        }
        assertTrue(tests.size() >= 4, "golden cases: " + tests.size());
        return tests;
    }

    private static void checkCase(String name, JsonObject expected) throws Exception {
        JsonObject files = expected.getAsJsonObject("files");
        Img<FloatType> ref = read(files, "ref"), test = read(files, "test"), mask = read(files, "mask");
        RandomAccessibleInterval<FloatType> r = ref, t = test;
        MetricsReport got = VolumeMetrics.compare(r, t, mask);
        assertReport(name + " whole", expected, got);
        if (expected.has("masked")) {
            assertNotNull(got.masked(), name + ": masked report");
            assertReport(name + " masked", expected.getAsJsonObject("masked"), got.masked());
        } else {
            assertNull(got.masked(), name + ": no mask, no masked report");
        }
        JsonObject raw = expected.getAsJsonObject("raw_channel0");
        double ssimRaw = Ssim.ssim3d(MetricInputs.channel(r, 0), MetricInputs.channel(t, 0),
                raw.get("data_range").getAsDouble());
        near(raw.get("ssim").getAsDouble(), ssimRaw, SSIM_TOL, "ssim", name + ": Ssim.ssim3d on raw values");

        // the full map: border voxels depend on the boundary rule, which the cropped mean never sees
        Img<DoubleType> map = Ssim.ssimMap3d(MetricInputs.channel(r, 0), MetricInputs.channel(t, 0),
                raw.get("data_range").getAsDouble());
        double sum = 0;
        for (DoubleType v : map) sum += v.get();
        near(raw.get("map_mean_all_voxels").getAsDouble(), sum / Intervals.numElements(map), SSIM_TOL, "ssim map",
                name + ": mean of the whole map, borders included");
        RandomAccess<DoubleType> ra = map.randomAccess();
        for (var p : raw.getAsJsonArray("map_probes")) {
            JsonArray xyz = p.getAsJsonArray();
            long[] pos = {xyz.get(0).getAsLong(), xyz.get(1).getAsLong(), xyz.get(2).getAsLong()};
            near(xyz.get(3).getAsDouble(), ra.setPositionAndGet(pos).get(), SSIM_TOL, "ssim map",
                    name + ": map at " + java.util.Arrays.toString(pos));
        }
    }

    private static void assertReport(String what, JsonObject e, MetricsReport got) {
        assertEquals(1.0, got.dataRange());
        // the PSNR of all channels pooled (one equal channel must not make it +Infinity)
        near(e.get("psnr").getAsDouble(), got.psnr(), PSNR_TOL, "psnr", what);
        near(e.get("ssim").getAsDouble(), got.ssim(), SSIM_TOL, "ssim", what);
        near(e.get("mae").getAsDouble(), got.mae(), MAE_TOL, "mae", what);
        JsonArray ch = e.getAsJsonArray("channels");
        assertEquals(ch.size(), got.channels().size(), what + " channel count");
        for (int i = 0; i < ch.size(); i++) {
            JsonObject ec = ch.get(i).getAsJsonObject();
            ChannelMetrics gc = got.channels().get(i);
            assertEquals(i, gc.channel());
            // null: scikit-image's +Infinity (the channel is equal), which JSON cannot hold
            if (ec.get("psnr").isJsonNull()) assertEquals(Double.POSITIVE_INFINITY, gc.psnr(), what + " channel " + i + " psnr");
            else near(ec.get("psnr").getAsDouble(), gc.psnr(), PSNR_TOL, "psnr", what + " channel " + i);
            near(ec.get("ssim").getAsDouble(), gc.ssim(), SSIM_TOL, "ssim", what + " channel " + i);
            near(ec.get("mae").getAsDouble(), gc.mae(), MAE_TOL, "mae", what + " channel " + i);
        }
    }
}
