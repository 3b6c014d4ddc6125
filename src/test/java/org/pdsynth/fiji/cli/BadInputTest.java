package org.pdsynth.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.fiji.cli.PdsCliTest.Result;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;

/**
 * Issue 13, "Bad and unusual input", through the {@code pds} command line as users meet it: every
 * failure is one stderr line naming the file and the fault, exit 1 (2 for bad usage), and nothing
 * is written; unusual but legal input gives the value the reference tools give. Inputs are tiny
 * files generated here (the examples of ../shared/cases, rebuilt).
 */
class BadInputTest {
    @TempDir
    Path dir;

    /** NIfTI-1 header offsets (nifti1.h). */
    static final int PIXDIM = 76, QFORM_CODE = 252, SFORM_CODE = 254, QUATERN_B = 256, QOFFSET_X = 268, SROW_X = 280;

    static Result run(String... args) {
        return PdsCliTest.run(args);
    }

    /** A float32 4-D series (6, 5, 4, t): volume k holds 100 + 10 k + voxel index / 1000. */
    Path series(String name, int t) throws Exception {
        Img<FloatType> img = ArrayImgs.floats(6, 5, 4, t);
        long i = 0;
        for (FloatType v : img) {
            long vox = i % 120, k = i / 120;
            v.set(100 + 10 * k + vox / 1000f);
            i++;
        }
        Path p = dir.resolve(name);
        NiftiWriter.write(p, img, Geometry.ofAffine(new double[] {2, 0, 0, -10, 0, 2, 0, 20, 0, 0, 2, -30, 0, 0, 0, 1}, 4, 2.0));
        return p;
    }

    /** Patches an uncompressed NIfTI-1 file's header in place. */
    static void patch(Path p, java.util.function.Consumer<ByteBuffer> edit) throws Exception {
        byte[] b = Files.readAllBytes(p);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        edit.accept(bb);
        Files.write(p, b);
    }

    static void assertOneLine(Result r, int code, String... parts) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String s : parts) assertTrue(r.err().contains(s), "'" + s + "' missing from: " + r.err());
    }

    /** Parses with a strict RFC 8259 parser: NaN, Infinity and trailing garbage are errors. */
    static JsonElement strictJson(String s) throws Exception {
        JsonReader r = new JsonReader(new StringReader(s));
        r.setStrictness(Strictness.STRICT);
        JsonElement e = JsonParser.parseReader(r);
        assertEquals(com.google.gson.stream.JsonToken.END_DOCUMENT, r.peek(), "one JSON value");
        return e;
    }

    // kind 1: the error line names the file (and says what is wrong), whatever raised it

    @Test
    void corruptGzipFilesAreNamedWithTheReason() throws Exception {
        Path good = series("small.nii", 2);
        Path gz = dir.resolve("small.nii.gz");
        Files.write(gz, gzip(Files.readAllBytes(good)));
        assertEquals(0, run("info", gz.toString()).code());
        byte[] b = Files.readAllBytes(gz);
        Path truncated = dir.resolve("small_truncated.nii.gz");
        Files.write(truncated, Arrays.copyOf(b, b.length / 2));
        assertOneLine(run("info", truncated.toString()), 1, "pds info: " + truncated + ": ", "gzip");
        Path badFlag = dir.resolve("small_badflg.nii.gz");
        byte[] f = b.clone();
        f[3] = (byte) 0xff;
        Files.write(badFlag, f);
        assertOneLine(run("info", badFlag.toString()), 1, "pds info: " + badFlag + ": ", "gzip");
        Path garbage = dir.resolve("small_corrupt.nii.gz");
        byte[] g = new byte[400];
        new java.util.Random(5).nextBytes(g);
        g[0] = 0x1f;
        g[1] = (byte) 0x8b;
        g[2] = 8;
        g[3] = 0;
        Files.write(garbage, g);
        assertOneLine(run("info", garbage.toString()), 1, "pds info: " + garbage + ": ");
    }

    @Test
    void unreadableManifestsAreNamedWithTheReason() throws Exception {
        Path latin1 = dir.resolve("manifest_latin1.csv");
        Files.write(latin1, "subject,label,fmri\nsüb-01,NC,f.nii\n".getBytes(StandardCharsets.ISO_8859_1));
        assertOneLine(run("complete", "--cohort", latin1.toString(), "--out", dir.resolve("o").toString()), 1, latin1.toString(),
                "not UTF-8");
        Path utf16 = dir.resolve("manifest_utf16.csv");
        Files.write(utf16, "\ufeffsubject,label,fmri\nsub-01,NC,f.nii\n".getBytes(StandardCharsets.UTF_16LE));
        assertOneLine(run("complete", "--cohort", utf16.toString(), "--out", dir.resolve("o").toString()), 1, utf16.toString(), "UTF-16");
        Path folder = Files.createDirectory(dir.resolve("manifest_dir.csv"));
        assertOneLine(run("complete", "--cohort", folder.toString(), "--out", dir.resolve("o").toString()), 1, folder.toString(), "folder");
        Path missing = dir.resolve("missing_manifest.csv");
        assertOneLine(run("complete", "--cohort", missing.toString(), "--out", dir.resolve("o").toString()), 1, missing.toString(),
                "no such file");
        assertFalse(Files.exists(dir.resolve("o")), "nothing written");
    }

    @Test
    void aFailedWriteNamesTheOutput() throws Exception {
        Path in = series("f.nii", 4);
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        Path out = blocker.resolve("o.nii");
        assertOneLine(run("align", "--input", in.toString(), "--channels", "2", "--out", out.toString()), 1, "pds align: " + out + ": cannot write");
    }

    // kind 2: everything that can fail runs before the output is written

    @Test
    void aSingularOrNaNAffineIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path zero = series("sform_zero_4d.nii", 4);
        patch(zero, b -> {
            b.putShort(SFORM_CODE, (short) 1);
            for (int i = 0; i < 12; i++) b.putFloat(SROW_X + 4 * i, 0f);
        });
        Path out = dir.resolve("out.nii");
        assertOneLine(run("align", "--input", zero.toString(), "--channels", "2", "--out", out.toString()), 1,
                "pds align: " + zero + ": the sform (sform_code 1) is singular");
        assertFalse(Files.exists(out), "no output on exit 1");
        Path nan = series("srow_nan.nii", 4);
        patch(nan, b -> b.putFloat(SROW_X, Float.NaN));
        assertOneLine(run("align", "--input", nan.toString(), "--channels", "2", "--out", out.toString()), 1,
                "pds align: " + nan + ": srow_x[0] is NaN");
        assertFalse(Files.exists(out), "no output on exit 1");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary left");
        }
    }

    @Test
    void aThreeDimensionalInputAlignsToOneChannel() throws Exception {
        Path in = dir.resolve("vol3d.nii");
        NiftiWriter.write(in, ArrayImgs.floats(new float[24], 2, 3, 4), Geometry.ofVoxelSize(1, 1, 1));
        Result r = run("align", "--input", in.toString(), "--channels", "1", "--out", dir.resolve("a.nii").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1 volumes) -> 1 channels"), r.out());
    }

    // kind 3: the header repairs nibabel and nifti_clib make

    @Test
    void aZeroVoxelSizeInAQformOnlyHeaderIsReadAsOne() throws Exception {
        // right value: nibabel 5.0.0 nib.load(f).affine and nifti_tool 3.0.1 -disp_nim -field qto_xyz
        // (../shared/cases/qform-zero-pixdim/expected.txt): pixdim[3] = 0 is taken as 1
        Path p = series("qform_zero_pixdim3.nii", 8);
        patch(p, b -> {
            b.putShort(SFORM_CODE, (short) 0);
            b.putShort(QFORM_CODE, (short) 1);
            b.putFloat(PIXDIM, 1f);
            b.putFloat(PIXDIM + 4, 2f);
            b.putFloat(PIXDIM + 8, 2f);
            b.putFloat(PIXDIM + 12, 0f);
            for (int i = 0; i < 3; i++) b.putFloat(QUATERN_B + 4 * i, 0f);
            b.putFloat(QOFFSET_X, -10f);
            b.putFloat(QOFFSET_X + 4, 20f);
            b.putFloat(QOFFSET_X + 8, -30f);
        });
        Result r = run("info", "--json", p.toString());
        assertEquals(0, r.code(), r.err());
        JsonArray a = strictJson(r.out()).getAsJsonObject().getAsJsonArray("affine");
        assertEquals("[[2.0,0.0,0.0,-10.0],[0.0,2.0,0.0,20.0],[0.0,0.0,1.0,-30.0],[0.0,0.0,0.0,1.0]]", a.toString());
        Path out = dir.resolve("aligned.nii");
        Result al = run("align", "--input", p.toString(), "--out", out.toString());
        assertEquals(0, al.code(), al.err());
        assertEquals(1.0, NiftiReader.read(out).geometry().affine(2, 2), 1e-6);
    }

    // kind 7: an output path that is one of the inputs is refused

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws Exception {
        Path in = series("fmri.nii", 8);
        byte[] before = Files.readAllBytes(in);
        assertOneLine(run("synthesize", "--from", "fmri", "--input", in.toString(), "--out", in.toString()), 2,
                in + ": --out is the same file as --input");
        assertOneLine(run("align", "--input", in.toString(), "--channels", "4", "--out", dir.resolve(".").resolve("fmri.nii").toString()), 2,
                "--out is the same file as --input");
        Path mask = dir.resolve("M.nii");
        NiftiWriter.write(mask, ArrayImgs.floats(6, 5, 4), Geometry.ofVoxelSize(2, 2, 2));
        byte[] maskBefore = Files.readAllBytes(mask);
        assertOneLine(run("synthesize", "--from", "fmri", "--input", in.toString(), "--mask", mask.toString(), "--out", mask.toString()), 2,
                "--out is the same file as --mask");
        assertArrayEquals(before, Files.readAllBytes(in), "the input is untouched");
        assertArrayEquals(maskBefore, Files.readAllBytes(mask), "the mask is untouched");
    }

    // kind 9: every JSON output parses with a strict parser

    @Test
    void infoJsonWritesNullForANaNHeaderField() throws Exception {
        Path pix = series("pixdim_nan.nii", 2);
        patch(pix, b -> b.putFloat(PIXDIM + 4, Float.NaN));
        Result r = run("info", "--json", pix.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject o = strictJson(r.out()).getAsJsonObject();
        assertTrue(o.getAsJsonArray("voxel_size").get(0).isJsonNull(), r.out());
        assertEquals(2.0, o.getAsJsonArray("voxel_size").get(1).getAsDouble());
        Path srow = series("srow_nan.nii", 2);
        patch(srow, b -> b.putFloat(SROW_X, Float.NaN));
        r = run("info", "--json", srow.toString());
        assertEquals(0, r.code(), r.err());
        o = strictJson(r.out()).getAsJsonObject();
        assertTrue(o.getAsJsonArray("affine").get(0).getAsJsonArray().get(0).isJsonNull(), r.out());
        // an image without any finite voxel: statistics are null too
        Path allNan = dir.resolve("all_nan.nii");
        float[] v = new float[8];
        Arrays.fill(v, Float.NaN);
        NiftiWriter.write(allNan, ArrayImgs.floats(v, 2, 2, 2), Geometry.ofVoxelSize(1, 1, 1));
        o = strictJson(run("info", "--json", allNan.toString()).out()).getAsJsonObject();
        assertTrue(o.get("min").isJsonNull() && o.get("mean").isJsonNull() && o.get("tr").isJsonNull(), o.toString());
    }

    @Test
    void metricsJsonOfEqualVolumesIsStrictJson() throws Exception {
        Path a = dir.resolve("a.nii");
        Img<FloatType> img = ArrayImgs.floats(11, 11, 11, 2);
        long i = 0;
        for (FloatType t : img) t.set((i++ * 37) % 101);
        NiftiWriter.write(a, img, Geometry.ofVoxelSize(1, 1, 1));
        Result r = run("metrics", "--reference", a.toString(), "--test", a.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = strictJson(r.out()).getAsJsonObject();
        assertTrue(o.get("psnr").isJsonNull() && o.has("psnr_note"), r.out());
    }

    // kind 13: out-of-range option values are usage errors

    @Test
    void declaredMinimumsAreEnforcedOnTheCommandLine() throws Exception {
        Path in = series("f.nii", 8);
        assertOneLine(firstLine(run("synthesize", "--from", "fmri", "--input", in.toString(), "--steps", "0")), 2,
                "--steps: 0 is below the minimum 2");
        assertOneLine(firstLine(run("synthesize", "--from", "fmri", "--input", in.toString(), "--samples", "0")), 2,
                "--samples: 0 is below the minimum 1");
        assertOneLine(firstLine(run("complete", "--cohort", "c.csv", "--out", "o", "--steps", "1")), 2, "--steps: 1 is below the minimum 2");
        assertOneLine(firstLine(run("align", "--input", in.toString(), "--channels", "0")), 2, "--channels: 0 is below the minimum 1");
        assertOneLine(firstLine(run("--run", "PDS > Synthesize dMRI from fMRI", "input='" + in + "',steps='1'")), 2,
                "steps: 1 is below the minimum 2");
        assertFalse(Files.exists(dir.resolve("o")));
    }

    // kind 4: inconsistent gradient tables

    /**
     * ../shared/cases/dwi-trace-volume-as-b0 rebuilt with constant volumes: 2 b=0 volumes (1000 + g
     * + 0.5), 12 b=1000 directions (300 + g + 0.5), and volume 14 with b = 1000 and a zero vector
     * (a scanner's trace image, 5000). Right value (numpy array_split of the 14 other volumes,
     * MRtrix3's resolution of dropping the trace image): channel means 1001, 303, 305, 307, 309,
     * 311, 312.5, 313.5; direction grouping channel 0 = 1001.
     */
    @Test
    void aTraceVolumeIsLeftOutWithAWarningNotAveragedIntoB0() throws Exception {
        int g = 15;
        Img<FloatType> img = ArrayImgs.floats(4, 4, 4, g);
        long i = 0;
        for (FloatType v : img) {
            long k = i++ / 64;
            v.set(k == 14 ? 5000f : (k < 2 ? 1000 : 300) + k + 0.5f);
        }
        Path dwi = dir.resolve("dwi_trace.nii");
        NiftiWriter.write(dwi, img, Geometry.ofVoxelSize(2, 2, 2));
        StringBuilder bval = new StringBuilder(), x = new StringBuilder(), y = new StringBuilder(), z = new StringBuilder();
        java.util.Random rnd = new java.util.Random(1);
        for (int k = 0; k < g; k++) {
            boolean dir3 = k >= 2 && k < 14;
            bval.append(k < 2 ? "0 " : "1000 ");
            double a = rnd.nextGaussian(), b = rnd.nextGaussian(), c = rnd.nextGaussian(), n = Math.sqrt(a * a + b * b + c * c);
            x.append(dir3 ? a / n : 0).append(' ');
            y.append(dir3 ? b / n : 0).append(' ');
            z.append(dir3 ? c / n : 0).append(' ');
        }
        Path bv = Files.writeString(dir.resolve("dwi_trace.bval"), bval + "\n");
        Path bvec = Files.writeString(dir.resolve("dwi_trace.bvec"), x + "\n" + y + "\n" + z + "\n");
        Path out = dir.resolve("o.nii");
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(warnings, true, StandardCharsets.UTF_8));
        Result r, d;
        try {
            r = run("align", "--input", dwi.toString(), "--bval", bv.toString(), "--bvec", bvec.toString(), "--out", out.toString());
            d = run("align", "--input", dwi.toString(), "--bval", bv.toString(), "--bvec", bvec.toString(), "--out",
                    dir.resolve("d.nii").toString(), "--dwi-grouping", "directions");
        } finally {
            System.setErr(stderr);
        }
        assertEquals(0, r.code(), r.err());
        assertEquals(0, d.code(), d.err());
        assertTrue(warnings.toString(StandardCharsets.UTF_8).contains("dwi_trace.bvec: volume 14 has b = 1000 but no gradient direction"),
                warnings.toString(StandardCharsets.UTF_8));
        assertArrayEquals(new double[] {1001, 303, 305, 307, 309, 311, 312.5, 313.5}, channelMeans(out), 1e-4);
        assertEquals(1001, channelMeans(dir.resolve("d.nii"))[0], 1e-4);
        // a table without any diffusion-weighted volume is refused, naming the bval file
        Path allB0 = Files.writeString(dir.resolve("all_b0.bval"), "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
        assertOneLine(run("align", "--input", dwi.toString(), "--bval", allB0.toString(), "--bvec", bvec.toString(), "--out", out.toString()),
                1, allB0 + ": no diffusion-weighted volume");
    }

    static double[] channelMeans(Path p) throws Exception {
        Img<FloatType> img = NiftiReader.read(p).data();
        int c = (int) img.dimension(3);
        long per = img.size() / c;
        double[] m = new double[c];
        long i = 0;
        for (FloatType t : img) m[(int) (i++ / per)] += t.get() / (double) per;
        return m;
    }

    // kind 5: NaN/Inf voxels are "no data", never a silent blank result

    @Test
    void nanBackgroundAlignsLikeAZeroBackground() throws Exception {
        // ../shared/cases/nan-background-blank-synthesis: masked BOLD stores NaN outside the brain;
        // right value: the result of the same file with NaN set to 0
        int t = 8;
        Img<FloatType> nan = ArrayImgs.floats(6, 5, 4, t), zero = ArrayImgs.floats(6, 5, 4, t);
        var a = nan.cursor();
        var b = zero.cursor();
        long i = 0;
        while (a.hasNext()) {
            long vox = i % 120, k = i++ / 120;
            boolean brain = vox % 6 > 0 && vox % 6 < 5 && vox / 30 > 0;
            float v = brain ? 600 + 10 * k + vox : 0;
            a.next().set(brain ? v : (k % 2 == 0 ? Float.NaN : Float.POSITIVE_INFINITY));
            b.next().set(v);
        }
        Geometry geo = Geometry.ofAffine(new double[] {2, 0, 0, -10, 0, 2, 0, 20, 0, 0, 2, -30, 0, 0, 0, 1}, 4, 2.0);
        NiftiWriter.write(dir.resolve("nan.nii"), nan, geo);
        NiftiWriter.write(dir.resolve("zero.nii"), zero, geo);
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, run("align", "--input", dir.resolve("nan.nii").toString(), "--out", dir.resolve("a.nii").toString()).code());
            assertEquals(0, run("align", "--input", dir.resolve("zero.nii").toString(), "--out", dir.resolve("b.nii").toString()).code());
        } finally {
            System.setErr(stderr);
        }
        String w = warnings.toString(StandardCharsets.UTF_8);
        assertTrue(w.contains("nan.nii: " + (120 - 4 * 5 * 3) * t + " NaN/infinite voxel values treated as no data"), w);
        float[] x = org.pdsynth.volume.VolumeArrays.copyOf(NiftiReader.read(dir.resolve("a.nii")).data());
        float[] y = org.pdsynth.volume.VolumeArrays.copyOf(NiftiReader.read(dir.resolve("b.nii")).data());
        assertArrayEquals(y, x, "NaN background = zero background");
        // an input without a single finite voxel is refused, naming the file
        float[] none = new float[120 * t];
        Arrays.fill(none, Float.NaN);
        NiftiWriter.write(dir.resolve("all_nan.nii"), ArrayImgs.floats(none, 6, 5, 4, t), geo);
        assertOneLine(run("align", "--input", dir.resolve("all_nan.nii").toString(), "--out", dir.resolve("c.nii").toString()), 1,
                "all_nan.nii: no finite voxel");
        assertFalse(Files.exists(dir.resolve("c.nii")));
    }

    // kind 8: the gzip CRC-32 and length trailer are checked

    @Test
    void aGzipFileWhoseDataDoNotMatchItsTrailerIsRefused() throws Exception {
        Path raw = series("v.nii", 2);
        byte[] plain = Files.readAllBytes(raw);
        byte[] gz = gzip(plain);
        // one voxel changed, recompressed, with the original file's CRC-32 and length trailer
        byte[] changed = plain.clone();
        changed[plain.length - 3] ^= 0x40;
        byte[] bad = gzip(changed);
        System.arraycopy(gz, gz.length - 8, bad, bad.length - 8, 8);
        Path crc = dir.resolve("crc.nii.gz");
        Files.write(crc, bad);
        assertOneLine(run("info", crc.toString()), 1, "pds info: " + crc + ": gzip check failed");
        // the trailer cut off: the data are complete but unverifiable
        Path cut = dir.resolve("cut.nii.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length - 8));
        assertOneLine(run("info", cut.toString()), 1, "pds info: " + cut + ": gzip stream is corrupt or truncated");
        Path ok = dir.resolve("ok.nii.gz");
        Files.write(ok, gz);
        assertEquals(0, run("info", ok.toString()).code());
    }

    // kind 6: an input not in the model's space is refused (or warned about), naming the overlap

    @Test
    void anInputOutsideTheModelSpaceIsRefusedNamingTheOverlap() throws Exception {
        // ../shared/cases/nan-background-blank-synthesis's ellipsoid fMRI on the MNI 4 mm grid, moved 120 mm along x
        Img<FloatType> img = ArrayImgs.floats(48, 56, 48, 8);
        var c = img.cursor();
        while (c.hasNext()) {
            c.fwd();
            int x = c.getIntPosition(0), y = c.getIntPosition(1), z = c.getIntPosition(2), t = c.getIntPosition(3);
            double r = Math.pow((x - 23.5) / 18, 2) + Math.pow((y - 29) / 22.0, 2) + Math.pow((z - 24) / 17.0, 2);
            c.get().set(r <= 1 ? 600 + 150 * ((x / 6 + y / 6 + z / 6) % 2) + 10 * t : 0);
        }
        Path shifted = dir.resolve("fmri_shift120.nii.gz");
        NiftiWriter.write(shifted, img, Geometry.ofAffine(new double[] {-4, 0, 0, 94 + 120, 0, 4, 0, -128, 0, 0, 4, -76, 0, 0, 0, 1}, 4, 2));
        Path out = dir.resolve("syn.nii.gz");
        assertOneLine(errorLine(run("synthesize", "--from", "fmri", "--input", shifted.toString(), "--out", out.toString(), "--steps", "2")),
                1, "pds synthesize: " + shifted + ": ", "% of its brain lies inside the model grid", "MNI");
        assertFalse(Files.exists(out));
    }

    // kind 11: int32 and float64 values are not narrowed to float32 in statistics and metrics

    /** A NIfTI-1 file of {@code dims} with datatype code {@code type} and the given little-endian voxel bytes. */
    Path wide(String name, long[] dims, int type, int bitpix, byte[] voxels) throws Exception {
        Path tmp = dir.resolve("hdr-" + name);
        NiftiWriter.write(tmp, ArrayImgs.floats(dims), Geometry.ofVoxelSize(1, 1, 1));
        byte[] header = Arrays.copyOf(Files.readAllBytes(tmp), 352);
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putShort(70, (short) type).putShort(72, (short) bitpix);
        byte[] all = Arrays.copyOf(header, 352 + voxels.length);
        System.arraycopy(voxels, 0, all, 352, voxels.length);
        Path p = dir.resolve(name);
        Files.write(p, all);
        return p;
    }

    @Test
    void int32AndFloat64StatisticsAreExactAndTheFloat32PipelineSaysWhatItChanges() throws Exception {
        ByteBuffer ints = ByteBuffer.allocate(8 * 4).order(ByteOrder.LITTLE_ENDIAN);
        int[] v = {123456789, -7, 0, 16777217, 5, 6, 7, 8};
        for (int x : v) ints.putInt(x);
        Path i32 = wide("int32.nii", new long[] {2, 2, 2}, 8, 32, ints.array());
        JsonObject o = strictJson(run("info", "--json", i32.toString()).out()).getAsJsonObject();
        assertEquals(123456789L, o.get("max").getAsLong(), "not 123456792 (float32)");
        long sum = 0;
        for (int x : v) sum += x;
        assertEquals(sum / 8.0, o.get("mean").getAsDouble(), 0.0);
        assertEquals(2, o.get("float32_changed").getAsLong(), "123456789 and 16777217 change in float32");
        assertTrue(run("info", i32.toString()).out().contains("min/max/mean: -7 / 123456789 / "), run("info", i32.toString()).out());

        ByteBuffer dbl = ByteBuffer.allocate(8 * 8).order(ByteOrder.LITTLE_ENDIAN);
        double[] d = {1e39, 1, 2, 3, 4, 5, 6, 7};
        for (double x : d) dbl.putDouble(x);
        Path f64 = wide("float64.nii", new long[] {2, 2, 2}, 64, 64, dbl.array());
        o = strictJson(run("info", "--json", f64.toString()).out()).getAsJsonObject();
        assertEquals(1e39, o.get("max").getAsDouble(), 0.0, "a finite float64 is not dropped as infinite");
        assertEquals(0, o.get("inf_count").getAsLong());
        assertEquals(1, o.get("float32_overflow").getAsLong());
        // the float32 pipeline says plainly what it cannot hold
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            NiftiReader.read(f64);
            NiftiReader.read(i32);
        } finally {
            System.setErr(stderr);
        }
        String w = warnings.toString(StandardCharsets.UTF_8);
        assertTrue(w.contains(f64 + ": float64 data in the float32 pipeline: 0 value(s) changed") && w.contains("1 finite value(s) beyond"), w);
        assertTrue(w.contains(i32 + ": int32 data in the float32 pipeline: 2 value(s) changed"), w);
    }

    @Test
    void float64MetricsBeyondFloat32RangeAreExact() throws Exception {
        // reference r_i = i * 1e36 (i < 1331, max 1.33e39 > float32's 3.4e38), test = r + 1e37: after scaling by the
        // reference range every voxel differs by d = 1e37 / 1.33e39, so MAE = d and PSNR = -20 log10(d) exactly
        int n = 11 * 11 * 11;
        ByteBuffer ref = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN), tst = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            ref.putDouble(i * 1e36);
            tst.putDouble(i * 1e36 + 1e37);
        }
        long[] dims = {11, 11, 11};
        Path r = wide("ref64.nii", dims, 64, 64, ref.array()), t = wide("test64.nii", dims, 64, 64, tst.array());
        Result res = run("metrics", "--reference", r.toString(), "--test", t.toString(), "--json");
        assertEquals(0, res.code(), res.err());
        JsonObject o = strictJson(res.out()).getAsJsonObject();
        double dd = 1e37 / ((n - 1) * 1e36);
        assertEquals(dd, o.get("mae").getAsDouble(), 1e-12);
        assertEquals(-20 * Math.log10(dd), o.get("psnr").getAsDouble(), 1e-9);
    }

    @Test
    void aBrokenModelFolderIsNamed() throws Exception {
        // the shipped model copied, then (1) its atlas truncated, (2) its config's grid not the atlas's
        Path demo = org.pdsynth.workflow.DefaultModel.resolve(null);
        Path in = series("f.nii", 8);
        Path m1 = dir.resolve("model-atlas");
        org.pdsynth.workflow.ModelFolder.copy(demo, m1);
        Path atlas = m1.resolve("atlas.nii.gz");
        byte[] a = Files.readAllBytes(atlas);
        Files.write(atlas, Arrays.copyOf(a, a.length / 2));
        assertOneLine(errorLine(run("synthesize", "--model", m1.toString(), "--from", "fmri", "--input", in.toString(), "--steps", "2")), 1,
                "pds synthesize: " + atlas + ": gzip stream is corrupt or truncated");
        Path m2 = dir.resolve("model-grid");
        org.pdsynth.workflow.ModelFolder.copy(demo, m2);
        Path cfg = m2.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replaceFirst("\"gridZYX\": \\[\\s*48,\\s*56,\\s*48\\s*\\]", "\"gridZYX\": [24, 28, 24]"));
        Result r = errorLine(run("synthesize", "--model", m2.toString(), "--from", "fmri", "--input", in.toString(), "--steps", "2"));
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("pds synthesize: " + m2), r.err());
    }

    /** Usage errors print the usage after the one error line: keep the error line. */
    static Result firstLine(Result r) {
        return new Result(r.code(), r.out(), r.err().lines().findFirst().orElse("") + "\n");
    }

    /** The error line among progress lines (status and warnings also go to stderr): the one that starts with "pds ". */
    static Result errorLine(Result r) {
        List<String> l = r.err().lines().filter(x -> x.startsWith("pds ")).toList();
        assertEquals(1, l.size(), r.err());
        return new Result(r.code(), r.out(), l.get(0) + "\n");
    }

    static byte[] gzip(byte[] raw) throws Exception {
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(bo)) {
            z.write(raw);
        }
        return bo.toByteArray();
    }

    static NiftiImage read(Path p) throws Exception {
        return NiftiReader.read(p);
    }
}
