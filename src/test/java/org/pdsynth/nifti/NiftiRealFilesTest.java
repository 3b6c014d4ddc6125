package org.pdsynth.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdsynth.TestData;

/**
 * NiftiReader against nibabel 5.0 on real files from Debian packages (nibabel's and dipy's test
 * data, MRIcron templates): golden values in {@code golden/nifti-golden.json}, made by
 * {@code scripts/golden/nifti_golden.py}.
 *
 * <p>Tolerances: our voxels are float32 (nibabel's get_fdata is float64, scaling applied in
 * float64 in both), so voxel values, min, max agree to float rounding (relative 1e-6); sum and
 * mean are accumulated here in double over the float voxels (relative 1e-6); affines 1e-5 absolute.
 */
class NiftiRealFilesTest {
    private static final JsonObject GOLDEN = TestData.golden("nifti-golden.json");
    private static final double REL = 1e-6;

    static Stream<String> images() {
        return GOLDEN.getAsJsonObject("files").keySet().stream();
    }

    static Stream<String> headersOnly() {
        return GOLDEN.getAsJsonObject("headers_only").keySet().stream();
    }

    @Test
    void goldenCoversEveryFetchedImage() {
        assertEquals(15, GOLDEN.getAsJsonObject("files").size(), "images in nifti-golden.json");
        assertEquals(2, GOLDEN.getAsJsonObject("headers_only").size(), "header-only files in nifti-golden.json");
        assertTrue(GOLDEN.get("generator").getAsString().contains("nifti_golden.py"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void readMatchesNibabel(String name) throws Exception {
        JsonObject g = GOLDEN.getAsJsonObject("files").getAsJsonObject(name);
        Path file = TestData.file(name, g.get("sha256").getAsString());
        NiftiImage img = NiftiReader.read(file);

        checkHeader(name, g, img.header(), img.geometry());
        Img<FloatType> data = img.data();
        assertArrayEquals(longs(g.getAsJsonArray("dims")), data.dimensionsAsLongArray(), name + ": image dims");

        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0;
        long finite = 0, nan = 0, inf = 0;
        for (FloatType t : data) {
            float v = t.get();
            if (Float.isNaN(v)) nan++;
            else if (Float.isInfinite(v)) inf++;
            else {
                finite++;
                sum += v;
                if (v < min) min = v;
                if (v > max) max = v;
            }
        }
        assertEquals(g.get("nan_count").getAsLong(), nan, name + ": NaN count");
        assertEquals(g.get("inf_count").getAsLong(), inf, name + ": Inf count");
        assertClose(g.get("min").getAsDouble(), min, name + ": min");
        assertClose(g.get("max").getAsDouble(), max, name + ": max");
        assertClose(g.get("sum").getAsDouble(), sum, name + ": sum");
        assertClose(g.get("mean").getAsDouble(), sum / finite, name + ": mean");

        RandomAccess<FloatType> ra = data.randomAccess();
        for (JsonElement e : g.getAsJsonArray("voxels")) {
            JsonArray pv = e.getAsJsonArray();
            long[] pos = longs(pv.get(0).getAsJsonArray());
            ra.setPosition(pos);
            String at = name + ": voxel " + java.util.Arrays.toString(pos);
            if (pv.get(1).isJsonNull()) assertTrue(Float.isNaN(ra.get().get()), at + ": expected NaN, got " + ra.get().get());
            else assertClose(pv.get(1).getAsDouble(), ra.get().get(), at);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headersOnly")
    void headerOnlyFileGivesHeaderButNotData(String name) throws Exception {
        JsonObject g = GOLDEN.getAsJsonObject("headers_only").getAsJsonObject(name);
        Path file = TestData.file(name, g.get("sha256").getAsString());
        NiftiHeader h = NiftiReader.readHeader(file);
        assertTrue(h.pair, name + ": magic ni1/ni2 means a .hdr/.img pair");
        checkHeader(name, g, h, Geometry.fromHeader(h));

        String img = g.get("image_file").getAsString();
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> NiftiReader.read(file));
        assertTrue(e.getMessage().contains(img), name + ": message should name the missing " + img + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one-line message");
    }

    /** Header fields and geometry against the golden entry (shared by images and header-only files). */
    private static void checkHeader(String name, JsonObject g, NiftiHeader h, Geometry geo) throws Exception {
        assertEquals(g.get("version").getAsInt(), h.version, name + ": NIfTI version");
        assertEquals(g.get("byte_order").getAsString().equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
                h.byteOrder, name + ": byte order");
        assertArrayEquals(longs(g.getAsJsonArray("dims")), h.shape(), name + ": dims");
        assertEquals(g.get("datatype").getAsString(), NiftiDatatype.of(h.datatype, Path.of(name)).name().toLowerCase(),
                name + ": datatype");
        assertArrayEquals(doubles(g.getAsJsonArray("voxel_size")), geo.voxelSize(), 1e-6, name + ": voxel size");
        assertArrayEquals(matrix(g.getAsJsonArray("affine")), geo.affine(), 1e-5, name + ": affine (" + geo.source() + ")");
        // the quaternion path on real (some oblique) qforms, even where the sform wins for affine()
        JsonElement qa = g.get("qform_affine");
        if (!qa.isJsonNull()) {
            double[] q = {h.quaternB, h.quaternC, h.quaternD, h.qoffsetX, h.qoffsetY, h.qoffsetZ, h.pixdim[0]};
            assertArrayEquals(matrix(qa.getAsJsonArray()), Quaternion.toAffine(q, geo.voxelSize()), 1e-5,
                    name + ": qform affine");
        }
        JsonElement tr = g.get("tr");
        if (tr.isJsonNull()) assertTrue(Double.isNaN(geo.tr()), name + ": no TR for a 3D image, got " + geo.tr());
        else assertClose(tr.getAsDouble(), geo.tr(), name + ": TR (s)");
        assertEquals(g.get("xyzt_units").getAsInt(), h.xyztUnits, name + ": xyzt_units");
        assertEquals(g.get("sform_code").getAsInt(), h.sformCode, name + ": sform_code");
        assertEquals(g.get("qform_code").getAsInt(), h.qformCode, name + ": qform_code");
        assertRaw(g.get("scl_slope"), h.sclSlope, name + ": scl_slope");
        assertRaw(g.get("scl_inter"), h.sclInter, name + ": scl_inter");
        assertEquals(g.get("vox_offset").getAsLong(), h.voxOffset, name + ": vox_offset");
        assertEquals(g.get("n_extensions").getAsInt(), h.extensions.size(), name + ": extension count");
        List<Integer> codes = new ArrayList<>();
        for (NiftiExtension x : h.extensions) codes.add(x.code());
        List<Integer> want = new ArrayList<>();
        for (JsonElement c : g.getAsJsonArray("extension_codes")) want.add(c.getAsInt());
        assertEquals(want, codes, name + ": extension codes");
        // NIfTI strings are C strings: nibabel keeps bytes after an embedded NUL, we stop at it
        String descrip = g.get("descrip").getAsString();
        int nul = descrip.indexOf('\0');
        assertEquals(nul < 0 ? descrip : descrip.substring(0, nul), h.descrip, name + ": descrip");
    }

    private static void assertRaw(JsonElement want, double got, String what) {
        if (want.isJsonNull()) assertTrue(Double.isNaN(got), what + ": expected NaN, got " + got);
        else assertEquals(want.getAsDouble(), got, 0.0, what);
    }

    private static void assertClose(double want, double got, String what) {
        assertEquals(want, got, REL * Math.max(1, Math.abs(want)), what);
    }

    /** A 4x4 JSON matrix (list of rows) as a row-major array. */
    private static double[] matrix(JsonArray rows) {
        double[] m = new double[16];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) m[4 * r + c] = rows.get(r).getAsJsonArray().get(c).getAsDouble();
        return m;
    }

    private static long[] longs(JsonArray a) {
        long[] r = new long[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsLong();
        return r;
    }

    private static double[] doubles(JsonArray a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsDouble();
        return r;
    }
}
