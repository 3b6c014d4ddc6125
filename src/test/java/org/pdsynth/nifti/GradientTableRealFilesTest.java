package org.pdsynth.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdsynth.TestData;

/**
 * GradientTable against dipy 1.6 ({@code read_bvals_bvecs} + {@code gradient_table}) on dipy's
 * own small_25 / small_64D / small_101D bval/bvec files; golden values in
 * {@code golden/gradient-golden.json}, made by {@code scripts/golden/nifti_golden.py}.
 *
 * <p>small_64D.bvec starts with a row "nan nan nan" (b=0): dipy makes it the zero vector, so
 * must we (with a warning). dipy keeps the vectors as written (4-8 decimals, norms within 1e-4 of 1); we normalise, so
 * directions are compared to dipy's rows divided by their norm (1e-12) and to dipy's raw rows
 * within the file's rounding (1e-3).
 */
class GradientTableRealFilesTest {
    private static final JsonObject GOLDEN = TestData.golden("gradient-golden.json");

    static Stream<String> tables() {
        return GOLDEN.getAsJsonObject("tables").keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void readMatchesDipy(String base) throws Exception {
        JsonObject g = GOLDEN.getAsJsonObject("tables").getAsJsonObject(base);
        GradientTable t = GradientTable.read(TestData.file(base + ".bval", g.get("sha256_bval").getAsString()),
                TestData.file(base + ".bvec", g.get("sha256_bvec").getAsString()));

        assertEquals(g.get("size").getAsInt(), t.size(), base + ": number of volumes");
        assertEquals(GradientTable.B0_THRESHOLD, g.get("b0_threshold").getAsDouble(), base + ": b0 threshold as dipy");
        JsonArray nanRows = g.getAsJsonArray("nan_rows");
        assertEquals(nanRows.size(), t.warnings().size(), base + ": one warning per NaN row, got " + t.warnings());
        for (String w : t.warnings()) assertTrue(w.contains(base + ".bvec"), "warning names the file: " + w);
        JsonArray bvals = g.getAsJsonArray("bvals"), bvecs = g.getAsJsonArray("bvecs"),
                unit = g.getAsJsonArray("bvecs_unit"), mask = g.getAsJsonArray("b0s_mask");
        int b0 = 0;
        for (int i = 0; i < t.size(); i++) {
            String at = base + " volume " + i;
            assertEquals(bvals.get(i).getAsDouble(), t.bvalue(i), 1e-9, at + ": b-value");
            double[] d = t.direction(i);
            assertArrayEquals(row(unit, i), d, 1e-12, at + ": unit direction");
            assertArrayEquals(row(bvecs, i), d, 1e-3, at + ": direction vs dipy's bvecs");
            double n = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            assertTrue(n == 0 || Math.abs(n - 1) < 1e-12, at + ": |direction| = " + n);
            assertEquals(mask.get(i).getAsBoolean(), t.isB0(i), at + ": b0 (dipy b0s_mask)");
            if (t.isB0(i)) b0++;
        }
        assertEquals(g.getAsJsonArray("b0_indices").size(), b0, base + ": b0 count");
    }

    private static double[] row(JsonArray rows, int i) {
        JsonArray r = rows.get(i).getAsJsonArray();
        return new double[] {r.get(0).getAsDouble(), r.get(1).getAsDouble(), r.get(2).getAsDouble()};
    }
}
