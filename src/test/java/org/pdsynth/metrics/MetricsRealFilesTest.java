package org.pdsynth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Map;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;
import org.pdsynth.TestData;
import org.pdsynth.nifti.NiftiReader;

/**
 * Metrics on real volumes (fetched Debian test files) against scikit-image 0.19.3: golden values
 * from {@code /usr/bin/python3 scripts/golden/metrics_real_golden.py}.
 */
class MetricsRealFilesTest {
    private static RandomAccessibleInterval<FloatType> volume(JsonObject spec) throws IOException {
        RandomAccessibleInterval<FloatType> img = NiftiReader.read(
                TestData.file(spec.get("file").getAsString(), spec.get("sha256").getAsString())).data();
        int v = spec.get("volume").getAsInt();
        return v < 0 ? img : Views.hyperSlice(img, 3, v);
    }

    @Test
    void realVolumesAgreeWithScikitImage() throws IOException {
        JsonObject cases = TestData.golden("metrics-real-golden.json").getAsJsonObject("cases");
        for (Map.Entry<String, JsonElement> e : cases.entrySet()) {
            JsonObject c = e.getValue().getAsJsonObject();
            RandomAccessibleInterval<FloatType> ref = volume(c.getAsJsonObject("reference")), tst = volume(c.getAsJsonObject("test"));
            RandomAccessibleInterval<FloatType> mask = null;
            if (c.has("mask")) mask = net.imglib2.converter.Converters.convert(ref, (a, b) -> b.set(a.get() > 0 ? 1 : 0), new FloatType());
            MetricsReport r = VolumeMetrics.compare(ref, tst, mask);
            String n = e.getKey() + " ";
            assertEquals(c.get("ssim").getAsDouble(), r.ssim(), MetricsGoldenTest.SSIM_TOL, n + "ssim");
            assertEquals(c.get("psnr").getAsDouble(), r.psnr(), MetricsGoldenTest.PSNR_TOL, n + "psnr");
            assertEquals(c.get("mae").getAsDouble(), r.mae(), MetricsGoldenTest.MAE_TOL, n + "mae");
            if (mask != null) {
                JsonObject m = c.getAsJsonObject("masked");
                assertEquals(m.get("ssim").getAsDouble(), r.masked().ssim(), MetricsGoldenTest.SSIM_TOL, n + "masked ssim");
                assertEquals(m.get("psnr").getAsDouble(), r.masked().psnr(), MetricsGoldenTest.PSNR_TOL, n + "masked psnr");
                assertEquals(m.get("mae").getAsDouble(), r.masked().mae(), MetricsGoldenTest.MAE_TOL, n + "masked mae");
            }
        }
        assertEquals(3, cases.size());
    }
}
