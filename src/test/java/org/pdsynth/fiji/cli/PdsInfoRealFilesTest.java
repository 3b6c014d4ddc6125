package org.pdsynth.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pdsynth.TestData;

/**
 * {@code pds info --json} on every fetched real file prints what nibabel reports: dims, datatype,
 * voxel size, affine, TR, min/max/mean of the scaled data and the NaN count (golden values from
 * scripts/golden/nifti_golden.py).
 */
class PdsInfoRealFilesTest {
    @Test
    void infoMatchesNibabelOnEveryRealFile() {
        JsonObject files = TestData.golden("nifti-golden.json").getAsJsonObject("files");
        int checked = 0;
        for (Map.Entry<String, JsonElement> e : files.entrySet()) {
            JsonObject g = e.getValue().getAsJsonObject();
            String path = TestData.file(e.getKey(), g.get("sha256").getAsString()).toString();
            PdsCliTest.Result r = PdsCliTest.run("info", path, "--json");
            assertEquals(0, r.code(), e.getKey() + ": " + r.err());
            JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
            String f = e.getKey() + " ";
            assertEquals(g.get("dims"), o.get("dims"), f + "dims");
            assertEquals(g.get("datatype").getAsString(), o.get("datatype").getAsString(), f + "datatype");
            close(g.getAsJsonArray("voxel_size"), o.getAsJsonArray("voxel_size"), 1e-6, f + "voxel_size");
            for (int row = 0; row < 4; row++)
                close(g.getAsJsonArray("affine").get(row).getAsJsonArray(), o.getAsJsonArray("affine").get(row).getAsJsonArray(),
                        1e-5, f + "affine row " + row);
            assertEquals(g.get("tr").isJsonNull(), o.get("tr").isJsonNull(), f + "tr presence");
            if (!g.get("tr").isJsonNull()) assertEquals(g.get("tr").getAsDouble(), o.get("tr").getAsDouble(), 1e-9, f + "tr");
            for (String k : new String[] {"min", "max", "mean"}) {
                double want = g.get(k).getAsDouble();
                assertEquals(want, o.get(k).getAsDouble(), 1e-6 * Math.max(1, Math.abs(want)), f + k);
            }
            assertEquals(g.get("nan_count").getAsLong(), o.get("nan_count").getAsLong(), f + "nan_count");
            checked++;
        }
        assertEquals(files.size(), checked);
        assertEquals(true, checked >= 10, "golden covers the fetched files");
    }

    private static void close(JsonArray want, JsonArray got, double tol, String what) {
        assertEquals(want.size(), got.size(), what);
        for (int i = 0; i < want.size(); i++) assertEquals(want.get(i).getAsDouble(), got.get(i).getAsDouble(), tol, what + "[" + i + "]");
    }
}
