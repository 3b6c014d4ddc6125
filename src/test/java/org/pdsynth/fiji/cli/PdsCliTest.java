package org.pdsynth.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.NiftiWriter;

class PdsCliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = PdsCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void infoJsonReportsTheImage() throws Exception {
        Img<FloatType> img = ArrayImgs.floats(3, 2, 2, 2);
        int i = 0;
        for (FloatType t : img) t.set(i++);
        img.firstElement().set(Float.NaN);
        Path p = dir.resolve("x.nii.gz");
        NiftiWriter.write(p, img, Geometry.ofAffine(new double[] {-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1}, 4, 1.5));
        Result r = run("info", p.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("[3,2,2,2]", o.get("dims").toString());
        assertEquals("float32", o.get("datatype").getAsString());
        assertEquals(1.5, o.get("tr").getAsDouble());
        assertEquals(1, o.get("min").getAsDouble());
        assertEquals(23, o.get("max").getAsDouble());
        assertEquals(12, o.get("mean").getAsDouble(), 1e-12); // mean of 1..23
        assertEquals(1, o.get("nan_count").getAsLong());
        assertEquals(90, o.getAsJsonArray("affine").get(0).getAsJsonArray().get(3).getAsDouble());
    }

    @Test
    void textIsTheDefault() throws Exception {
        Path p = dir.resolve("y.nii");
        NiftiWriter.write(p, ArrayImgs.floats(2, 2, 2), Geometry.ofVoxelSize(1, 1, 1));
        Result r = run("info", p.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dims:        [2, 2, 2]"), r.out());
    }

    @Test
    void badWordsGiveUsageAndExitCode2() {
        Result r = run("frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown subcommand 'frobnicate'") && r.err().contains("usage"), r.err());
        r = run("info", "a.nii", "--colour", "red");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown option --colour"), r.err());
        r = run("info");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing INPUT"), r.err());
        assertEquals(2, run().code());
        assertEquals(0, run("--help").code());
    }

    @Test
    void failuresAreOneLineNamingTheFile() throws Exception {
        Path p = dir.resolve("broken.nii");
        java.nio.file.Files.write(p, new byte[100]);
        Result r = run("info", p.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("pds info: " + p), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void metricsJsonComparesTwoFiles() throws Exception {
        Img<FloatType> ref = ArrayImgs.floats(12, 12, 12), tst = ArrayImgs.floats(12, 12, 12);
        java.util.Random r = new java.util.Random(3);
        var a = ref.cursor();
        var b = tst.cursor();
        while (a.hasNext()) {
            float v = r.nextFloat();
            a.next().set(v);
            b.next().set(v + 0.1f);
        }
        Geometry g = Geometry.ofVoxelSize(2, 2, 2);
        NiftiWriter.write(dir.resolve("ref.nii"), ref, g);
        NiftiWriter.write(dir.resolve("tst.nii"), tst, g);
        Result res = run("metrics", "--reference", dir.resolve("ref.nii").toString(), "--test", dir.resolve("tst.nii").toString(), "--json");
        assertEquals(0, res.code(), res.err());
        JsonObject o = JsonParser.parseString(res.out()).getAsJsonObject();
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (FloatType t : ref) {
            lo = Math.min(lo, t.get());
            hi = Math.max(hi, t.get());
        }
        // every voxel differs by 0.1 before scaling by the reference range: MAE and PSNR follow exactly
        double d = 0.1 / (hi - lo);
        assertEquals(d, o.get("mae").getAsDouble(), 1e-6);
        assertEquals(10 * Math.log10(1 / (d * d)), o.get("psnr").getAsDouble(), 1e-4);
        assertEquals(1.0, o.get("data_range").getAsDouble());
        // --plots: the per-channel ImageJ plots, headless, as PNG + CSV with the report's numbers
        Result plotted = run("metrics", "--reference", dir.resolve("ref.nii").toString(), "--test", dir.resolve("tst.nii").toString(),
                "--json", "--plots", dir.resolve("m").toString());
        assertEquals(0, plotted.code(), plotted.err());
        assertTrue(javax.imageio.ImageIO.read(dir.resolve("m-psnr.png").toFile()).getWidth() > 300);
        java.util.List<String> psnrCsv = java.nio.file.Files.readAllLines(dir.resolve("m-psnr.csv"));
        assertEquals(2, psnrCsv.size(), String.join("\n", psnrCsv));
        assertEquals(o.get("psnr").getAsDouble(), Double.parseDouble(psnrCsv.get(1).split(",")[1]), 1e-4);
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("m-ssim.csv")));
        // a constant offset changes no gradient and (after mean removal) no spectrum
        assertEquals(1.0, o.getAsJsonObject("sharpness").get("gradient_ratio").getAsDouble(), 1e-4);
        assertEquals(1.0, o.getAsJsonObject("sharpness").get("spectrum_ratio").getAsDouble(), 1e-4);
        assertTrue(!o.has("microstructure"));
        // with a gradient table: FA/MD of a real DWI against itself (small_64D tiled 2x2x2: SSIM needs >= 11 voxels per axis)
        Img<FloatType> small = org.pdsynth.nifti.NiftiReader.read(org.pdsynth.TestData.file("small_64D.nii")).data();
        Img<FloatType> tiled = ArrayImgs.floats(20, 20, 20, 65);
        var tc = tiled.localizingCursor();
        var sa = small.randomAccess();
        while (tc.hasNext()) {
            tc.fwd();
            sa.setPosition(new long[] {tc.getLongPosition(0) % 10, tc.getLongPosition(1) % 10, tc.getLongPosition(2) % 10, tc.getLongPosition(3)});
            tc.get().set(sa.get().get());
        }
        Path dwi = dir.resolve("dwi.nii");
        NiftiWriter.write(dwi, tiled, g);
        Result fa = run("metrics", "--reference", dwi.toString(), "--test", dwi.toString(), "--bval", org.pdsynth.TestData.file("small_64D.bval").toString(),
                "--bvec", org.pdsynth.TestData.file("small_64D.bvec").toString(), "--json");
        assertEquals(0, fa.code(), fa.err());
        JsonObject m = JsonParser.parseString(fa.out()).getAsJsonObject().getAsJsonObject("microstructure");
        assertEquals(0.0, m.get("fa_error_wm").getAsDouble());
        assertTrue(m.get("wm_voxels").getAsLong() > 100 && m.get("fa_reference_wm").getAsDouble() > 0.2, m.toString());
        // the same as 8 channels in direction grouping (what pds synthesize writes), fitted with the channels' mean b-matrices
        org.pdsynth.nifti.GradientTable table = org.pdsynth.nifti.GradientTable.read(org.pdsynth.TestData.file("small_64D.bval"),
                org.pdsynth.TestData.file("small_64D.bvec"));
        org.pdsynth.volume.Segmenter seg = org.pdsynth.volume.Segmenter.defaults().withGrouping(org.pdsynth.volume.Segmenter.DwiGrouping.DIRECTIONS);
        Path dwi8 = dir.resolve("dwi8.nii");
        NiftiWriter.write(dwi8, seg.dwi(tiled, table, "tiled"), g);
        Result fa8 = run("metrics", "--reference", dwi8.toString(), "--test", dwi8.toString(), "--bval", org.pdsynth.TestData.file("small_64D.bval").toString(),
                "--bvec", org.pdsynth.TestData.file("small_64D.bvec").toString(), "--dwi-layout", "directions", "--json");
        assertEquals(0, fa8.code(), fa8.err());
        JsonObject m8 = JsonParser.parseString(fa8.out()).getAsJsonObject().getAsJsonObject("microstructure");
        assertEquals(0.0, m8.get("fa_error_wm").getAsDouble());
        // FA of the 8 channels is close to FA of all 65 volumes (mean b-matrices keep the directional contrast)
        assertEquals(m.get("fa_reference_wm").getAsDouble(), m8.get("fa_reference_wm").getAsDouble(), 0.05);
        Result half = run("metrics", "--reference", dwi.toString(), "--test", dwi.toString(), "--bval", org.pdsynth.TestData.file("small_64D.bval").toString());
        assertEquals(1, half.code());
        assertTrue(half.err().contains("--bval and --bvec"), half.err());
        Result bad = run("metrics", "--reference", dir.resolve("ref.nii").toString(), "--test", dir.resolve("nope.nii").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("nope.nii"), bad.err());
    }

    @Test
    void fijiRunFormFindsCommandsByMenuPath() throws Exception {
        Path p = dir.resolve("z.nii");
        NiftiWriter.write(p, ArrayImgs.floats(2, 3, 4), Geometry.ofVoxelSize(1, 1, 1));
        Result r = run("--run", "PDS > NIfTI Info", "input='" + p + "',json='true'");
        assertEquals(0, r.code(), r.err());
        assertEquals("[2,3,4]", JsonParser.parseString(r.out()).getAsJsonObject().get("dims").toString());
        assertEquals(0, run("--run", "Plugins>PDS>NIfTI Info", "input=" + p).code());
        Result bad = run("--run", "PDS > Frobnicate", "input='x'");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("no PDS command") && bad.err().contains("Synthesize dMRI from fMRI"), bad.err());
        Result badKey = run("--run", "PDS > NIfTI Info", "colour='red'");
        assertEquals(2, badKey.code());
        assertTrue(badKey.err().contains("no parameter 'colour'"), badKey.err());
    }

    @Test
    void choicesAreChecked() {
        Result r = run("synthesize", "--from", "t1w", "--input", "x.nii");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'t1w' is not one of [fmri, dwi]"), r.err());
    }

    @Test
    void experimentChecksItsBudgetAndNamesAMissingManifest() {
        Result budget = run("experiment", "--cohort", "a.csv", "--test", "b.csv", "--out", "o", "--budget", "huge");
        assertEquals(2, budget.code());
        assertTrue(budget.err().contains("'huge' is not one of [small, full]"), budget.err());
        Path missing = dir.resolve("nope/train.csv");
        Result r = run("experiment", "--cohort", missing.toString(), "--test", missing.toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(missing.toString()) && r.err().trim().lines().count() == 1, r.err());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("o")), "nothing written");
    }

    @Test
    void experimentValidationNamesAMissingHeldOutManifestAndShardNeedsIt() {
        Path missing = dir.resolve("nope/heldout.csv");
        Result r = run("experiment", "--cohort", "a.csv", "--test", "b.csv", "--out", dir.resolve("o").toString(), "--validation",
                missing.toString(), "--shard", "2/3");
        assertEquals(1, r.code());
        assertTrue(r.err().contains(missing.toString()) && r.err().trim().lines().count() == 1, r.err());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("o")), "nothing written");
        Result shard = run("experiment", "--cohort", "a.csv", "--test", "b.csv", "--out", dir.resolve("o").toString(), "--shard", "1/2");
        assertEquals(2, shard.code());
        assertTrue(shard.err().contains("--shard applies to --validation only"), shard.err());
        Result bad = run("experiment", "--cohort", "a.csv", "--test", "b.csv", "--out", dir.resolve("o").toString(), "--validation",
                missing.toString(), "--shard", "3/2");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("shard must be i/n"), bad.err());
    }
}
