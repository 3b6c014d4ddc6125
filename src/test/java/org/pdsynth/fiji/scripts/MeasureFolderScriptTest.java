package org.pdsynth.fiji.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.VolumeMetrics;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.NiftiWriter;

/**
 * scripts/Plugins/PDS/Measure_Folder.groovy through SciJava's ScriptService: a reference and a
 * test folder of generated NIfTI volumes; the CSV rows must carry the values VolumeMetrics computes
 * for each pair (VolumeMetrics itself is checked against scikit-image in MetricsGoldenTest).
 */
class MeasureFolderScriptTest {
    static final String SCRIPT = "scripts/Plugins/PDS/Measure_Folder.groovy";
    static final Geometry G = Geometry.ofVoxelSize(2, 2, 2);

    @TempDir
    Path dir;

    @Test
    void oneRowPerReferenceFileWithTheCoreMetricsMissingAndBadPairsSaySo() throws Exception {
        Path ref = dir.resolve("truth"), test = dir.resolve("synthetic");
        Img<FloatType> a = volume(12, 12, 12, 0, 0), aTest = volume(12, 12, 12, 0, 0.3);
        Img<FloatType> b = volume(12, 13, 14, 2, 0), bTest = volume(12, 13, 14, 2, 0.1);
        NiftiWriter.write(ref.resolve("a.nii.gz"), a, G);
        NiftiWriter.write(test.resolve("a.nii.gz"), aTest, G);
        NiftiWriter.write(ref.resolve("b.nii"), b, G);
        NiftiWriter.write(test.resolve("b.nii"), bTest, G);
        NiftiWriter.write(ref.resolve("c.nii.gz"), a, G);                          // no test file
        NiftiWriter.write(ref.resolve("e.nii.gz"), a, G);
        NiftiWriter.write(test.resolve("e.nii.gz"), volume(13, 12, 12, 0, 0), G);  // another shape
        NiftiWriter.write(test.resolve("d.nii.gz"), a, G);                         // only in test
        Files.writeString(ref.resolve("notes.txt"), "not a volume");
        Path csv = dir.resolve("results/metrics.csv");

        Map<String, Object> in = new HashMap<>();
        in.put("referenceDir", ref.toFile());
        in.put("testDir", test.toFile());
        in.put("csv", csv.toFile());
        String summary;
        try (ScriptHarness h = new ScriptHarness()) {
            summary = (String) h.run(SCRIPT, in).getOutput("summary");
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals("file,status,channels,psnr,ssim,mae", lines.get(0));
        assertEquals(5, lines.size(), String.join("\n", lines));
        MetricsReport ra = VolumeMetrics.compare(a, aTest), rb = VolumeMetrics.compare(b, bTest);
        assertRow(lines.get(1), "a.nii.gz", "ok", 1, ra);
        assertRow(lines.get(2), "b.nii", "ok", 2, rb);
        assertEquals("c.nii.gz,missing in test folder,NaN,NaN,NaN,NaN", lines.get(3));
        String[] e = lines.get(4).split(",", -1);
        assertEquals(6, e.length, lines.get(4));
        assertEquals("e.nii.gz", e[0]);
        assertEquals("reference is 12x12x12 but test is 13x12x12: the volumes must have the same dimensions", e[1]);
        assertEquals("NaN", e[3]);

        String[] s = summary.split("\n");
        assertEquals(String.format(java.util.Locale.ROOT, "2 of 4 reference files measured: mean PSNR %.3f dB, mean SSIM %.4f; table %s",
                (ra.psnr() + rb.psnr()) / 2, (ra.ssim() + rb.ssim()) / 2, csv), s[0]);
        assertEquals("missing in test folder: c.nii.gz", s[1]);
        assertEquals("not comparable: e.nii.gz", s[2]);
        assertEquals("only in test folder (ignored): d.nii.gz", s[3]);
        try (var files = Files.list(csv.getParent())) {
            assertEquals(List.of(csv), files.toList(), "no temporary file left beside the CSV");
        }
    }

    @Test
    void aMaskAddsMaskedColumns() throws Exception {
        Path ref = dir.resolve("truth"), test = dir.resolve("synthetic");
        Img<FloatType> a = volume(12, 12, 12, 0, 0), aTest = volume(12, 12, 12, 0, 0.2);
        NiftiWriter.write(ref.resolve("a.nii.gz"), a, G);
        NiftiWriter.write(test.resolve("a.nii.gz"), aTest, G);
        Img<FloatType> mask = ArrayImgs.floats(12, 12, 12);
        Cursor<FloatType> c = mask.localizingCursor();
        while (c.hasNext()) {
            c.fwd();
            if (c.getIntPosition(0) >= 3 && c.getIntPosition(0) < 9) c.get().set(1);
        }
        Path maskFile = dir.resolve("mask.nii.gz");
        NiftiWriter.write(maskFile, mask, G);
        Path csv = dir.resolve("m.csv");
        try (ScriptHarness h = new ScriptHarness()) {
            h.run(SCRIPT, Map.of("referenceDir", ref.toFile(), "testDir", test.toFile(), "mask", maskFile.toFile(), "csv", csv.toFile()));
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals("file,status,channels,psnr,ssim,mae,masked_psnr,masked_ssim,masked_mae", lines.get(0));
        MetricsReport r = VolumeMetrics.compare(a, aTest, mask);
        String[] f = lines.get(1).split(",");
        assertRow(lines.get(1), "a.nii.gz", "ok", 1, r);
        assertEquals(r.masked().psnr(), Double.parseDouble(f[6]), 1e-6);
        assertEquals(r.masked().ssim(), Double.parseDouble(f[7]), 1e-6);
        assertEquals(r.masked().mae(), Double.parseDouble(f[8]), 1e-6);
        assertTrue(Math.abs(r.masked().psnr() - r.psnr()) > 0.01, "the masked values differ from the whole-volume ones");
    }

    @Test
    void anEmptyReferenceFolderFails() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        try (ScriptHarness h = new ScriptHarness()) {
            ScriptHarness.ScriptFailure e = assertThrows(ScriptHarness.ScriptFailure.class, () -> h.run(SCRIPT,
                    Map.of("referenceDir", dir.resolve("empty").toFile(), "testDir", dir.toFile(), "csv", dir.resolve("x.csv").toFile())));
            assertTrue(e.getMessage().contains("empty: no NIfTI files"), e.getMessage());
        }
        assertTrue(Files.notExists(dir.resolve("x.csv")));
    }

    private static void assertRow(String line, String file, String status, int channels, MetricsReport r) {
        String[] f = line.split(",");
        assertEquals(file, f[0]);
        assertEquals(status, f[1]);
        assertEquals(channels, Double.parseDouble(f[2]), 0);
        assertEquals(r.psnr(), Double.parseDouble(f[3]), 1e-6);
        assertEquals(r.ssim(), Double.parseDouble(f[4]), 1e-6);
        assertEquals(r.mae(), Double.parseDouble(f[5]), 1e-6);
    }

    /** A smooth pattern (x, y, z[, c]) plus a deterministic disturbance of amplitude {@code noise}. */
    private static Img<FloatType> volume(int nx, int ny, int nz, int channels, double noise) {
        Img<FloatType> img = channels > 0 ? ArrayImgs.floats(nx, ny, nz, channels) : ArrayImgs.floats(nx, ny, nz);
        Cursor<FloatType> c = img.localizingCursor();
        while (c.hasNext()) {
            c.fwd();
            int x = c.getIntPosition(0), y = c.getIntPosition(1), z = c.getIntPosition(2), ch = channels > 0 ? c.getIntPosition(3) : 0;
            double v = Math.sin(0.5 * x + 0.3 * ch) + Math.cos(0.4 * y) * z / 10.0 + noise * Math.sin(7.3 * x * y + 3.1 * z);
            c.get().set((float) v);
        }
        return img;
    }
}
