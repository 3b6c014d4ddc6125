package org.pdsynth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.pdsynth.TestData;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Segmenter;

/**
 * The tensor fit against dipy 1.6 on real DWI files (small_25, small_64D, and small_64D averaged
 * into 8 channels with mean b-matrices): golden values from
 * {@code /usr/bin/python3 scripts/golden/tensor_golden.py}.
 */
class TensorFitGoldenTest {
    /** FA and MD (relative to the voxel's mean diffusivity scale 1e-3 mm^2/s) agree to this. */
    static final double FA_TOL = 1e-6, MD_TOL = 1e-10;

    @Test
    void faAndMdEqualDipyOnRealFiles() throws IOException {
        JsonObject golden = TestData.golden("tensor-golden.json");
        int checked = 0;
        for (JsonElement el : golden.getAsJsonArray("cases")) {
            JsonObject c = el.getAsJsonObject();
            String file = c.get("file").getAsString(), stem = file.substring(0, file.indexOf('.'));
            Map<String, JsonElement> sha = c.getAsJsonObject("sha256").asMap();
            Path img = TestData.file(file, sha.get(file).getAsString());
            GradientTable table = GradientTable.read(TestData.file(stem + ".bval", sha.get(stem + ".bval").getAsString()),
                    TestData.file(stem + ".bvec", sha.get(stem + ".bvec").getAsString()));
            Img<FloatType> data = NiftiReader.read(img).data();
            RandomAccessibleInterval<FloatType> input = data;
            int[][] groups = null;
            if (c.get("grouped").getAsBoolean()) {
                JsonArray g = c.getAsJsonArray("groups");
                groups = new int[g.size()][];
                for (int k = 0; k < groups.length; k++) {
                    JsonArray m = g.get(k).getAsJsonArray();
                    groups[k] = new int[m.size()];
                    for (int j = 0; j < m.size(); j++) groups[k][j] = m.get(j).getAsInt();
                }
                input = Segmenter.average(data, groups, file);
            }
            for (TensorFit.Method method : TensorFit.Method.values()) {
                TensorFit fit = groups == null ? TensorFit.of(table, method) : TensorFit.ofGroups(table, groups, method);
                TensorFit.Maps maps = fit.fit(input, null, file);
                JsonObject e = c.getAsJsonObject(method.name());
                JsonArray fa = e.getAsJsonArray("fa"), md = e.getAsJsonArray("md");
                assertEquals(fa.size(), maps.fa().length);
                String n = c.get("name").getAsString() + " " + method + " voxel ";
                for (int i = 0; i < fa.size(); i++) {
                    assertEquals(fa.get(i).getAsDouble(), maps.fa()[i], FA_TOL, n + i + " FA");
                    assertEquals(md.get(i).getAsDouble(), maps.md()[i], MD_TOL, n + i + " MD");
                }
                checked++;
            }
        }
        assertEquals(6, checked, "3 cases x OLS/WLS");
    }

    @Test
    void recoversAKnownTensorExactlyAndRefusesAnUnderdeterminedDesign() {
        // noise-free signal of a known tensor: FA and MD come back (eigenvalues 1.7, 0.3, 0.2 um^2/ms)
        double[][] dirs = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {1, 0, 1}, {0, 1, 1}, {1, -1, 0}, {1, 0, -1}};
        double[] b = {0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};
        GradientTable t = GradientTable.of(b, dirs);
        double[] d = {1.7e-3, 0, 0, 0.3e-3, 0, 0.2e-3}; // xx, xy, xz, yy, yz, zz
        double[] s = new double[b.length];
        for (int i = 0; i < s.length; i++) {
            double[] g = t.direction(i);
            double q = g[0] * g[0] * d[0] + 2 * g[0] * g[1] * d[1] + 2 * g[0] * g[2] * d[2] + g[1] * g[1] * d[3] + 2 * g[1] * g[2] * d[4]
                    + g[2] * g[2] * d[5];
            s[i] = 500 * Math.exp(-t.bvalue(i) * q);
        }
        for (TensorFit.Method m : TensorFit.Method.values()) {
            double[] l = TensorFit.of(t, m).eigenvalues(s);
            assertEquals(1.7e-3, l[0], 1e-12);
            assertEquals(0.3e-3, l[1], 1e-12);
            assertEquals(0.2e-3, l[2], 1e-12);
            // FA = sqrt(1/2) sqrt(1.4^2 + 0.1^2 + 1.5^2) / sqrt(1.7^2 + 0.3^2 + 0.2^2)
            assertEquals(Math.sqrt(0.5 * (1.96 + 0.01 + 2.25) / (2.89 + 0.09 + 0.04)), TensorFit.fa(l), 1e-9);
            assertEquals(2.2e-3 / 3, TensorFit.md(l), 1e-12);
        }
        double[][] coplanar = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}, {1, -1, 0}, {2, 1, 0}, {1, 2, 0}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorFit.of(GradientTable.of(new double[] {0, 1000, 1000, 1000, 1000, 1000, 1000}, coplanar), TensorFit.Method.WLS));
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
    }
}
