package org.pdsynth.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.imglib2.img.array.ArrayImgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Grid;

/**
 * The atlas anatomy path on small synthetic atlas files (no fetched data): a spherical "brain"
 * (white core, grey shell, CSF rim) as T1, two regions, a tube-shaped tract along y and a corpus
 * callosum slab. The files use a RAS 4 mm grid (as the real atlases are RAS), the output the LAS
 * 8 mm test grid, so lookups go through world coordinates.
 */
class AtlasAnatomyTest {
    private static final double[] C = {0, -18, 18};

    @Test
    void labelTablesReadAalAndJhuLayouts(@TempDir Path dir) throws IOException {
        Path aal = Files.writeString(dir.resolve("a.txt"), "1 Precentral_L 2001\n2 Precentral_R 2002\n\n37 Hippocampus_L 4101\n");
        Path jhu = Files.writeString(dir.resolve("j.txt"), "0\tUnclassified\n35\tCingulum_(cingulate_gyrus)_R\n");
        LabelTable a = LabelTable.read(aal), j = LabelTable.read(jhu);
        assertEquals("Hippocampus_L", a.name(37));
        assertEquals(37, a.maxIndex());
        assertEquals(1, j.names().size(), "background 0 is skipped");
        assertEquals("Cingulum_(cingulate_gyrus)_R", j.name(35));
        Path bad = Files.writeString(dir.resolve("b.txt"), "x Precentral\n");
        var e = assertThrows(org.pdsynth.nifti.NiftiFormatException.class, () -> LabelTable.read(bad));
        assertTrue(e.getMessage().contains("b.txt") && e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void kmeansSplitsThreeIntensityClusters() {
        Rng r = Rng.of(3);
        float[] v = new float[30000];
        double[] centre = {40, 85, 110};
        for (int i = 0; i < v.length; i++) v[i] = i % 4 == 3 ? 0 : (float) r.gaussian(centre[i % 4], 5);
        byte[] c = AtlasAnatomy.kmeansClasses(v);
        int wrong = 0;
        for (int i = 0; i < v.length; i++) {
            int expect = i % 4 == 3 ? 0 : i % 4 + 1;
            if (c[i] != expect) wrong++;
        }
        assertTrue(wrong < 0.01 * v.length, wrong + " misclassified");
    }

    private static void write(Path file, float[] v, Grid g) throws IOException {
        NiftiWriter.write(file, ArrayImgs.floats(v, g.dims()), g.geometry());
    }

    @Test
    void buildsTissueLabelsAndDirectionsFromAtlasFiles(@TempDir Path dir) throws IOException {
        Grid src = new Grid(new long[] {48, 56, 48}, Geometry.ofAffine(new double[] {4, 0, 0, -94, 0, 4, 0, -128, 0, 0, 4, -76, 0, 0, 0, 1},
                Geometry.XFORM_MNI, Double.NaN));
        long[] d = src.dims();
        int n = (int) src.size();
        float[] t1 = new float[n], aal = new float[n], jhu = new float[n];
        for (int z = 0; z < d[2]; z++) for (int y = 0; y < d[1]; y++) for (int x = 0; x < d[0]; x++) {
            int i = (int) (x + d[0] * (y + d[1] * z));
            double[] w = src.geometry().voxelToWorld(x, y, z);
            double r = Math.sqrt(sq(w[0] - C[0]) + sq(w[1] - C[1]) + sq(w[2] - C[2]));
            t1[i] = r < 40 ? 110 : r < 55 ? 85 : r < 60 ? 40 : 0;
            if (r >= 40 && r < 55) aal[i] = w[0] < 0 ? 37 : 38;
            if (sq(w[0] + 20) + sq(w[2] - 18) <= 36 && Math.abs(w[1] - C[1]) < 30) jhu[i] = 35;
            if (Math.abs(w[2] - 2) <= 4 && Math.abs(w[0]) < 24 && Math.abs(w[1] - C[1]) < 12) jhu[i] = 4;
        }
        write(dir.resolve(AtlasAnatomy.T1), t1, src);
        write(dir.resolve(AtlasAnatomy.AAL), aal, src);
        write(dir.resolve(AtlasAnatomy.JHU), jhu, src);
        Files.writeString(dir.resolve(AtlasAnatomy.AAL_TXT), "37 Hippocampus_L 4101\n38 Hippocampus_R 4102\n");
        Files.writeString(dir.resolve(AtlasAnatomy.JHU_TXT), "0\tUnclassified\n4\tBody_of_corpus_callosum\n35\tCingulum_(cingulate_gyrus)_R\n");
        assertEquals(java.util.List.of(), AtlasAnatomy.missing(dir));

        Anatomy a;
        try (Slices s = new Slices(2)) {
            a = AtlasAnatomy.load(dir, TinyGrid.MM8, s);
        }
        double vol = 512 / 1e6, gm = 0, wm = 0, csf = 0;
        int[] tractCount = new int[36];
        double[] dirSum = new double[6];
        for (int i = 0; i < a.n; i++) {
            gm += a.gm[i] * vol;
            wm += a.wm[i] * vol;
            csf += a.csf[i] * vol;
            int t = a.tract[i];
            tractCount[t]++;
            if (t == 35) for (int c = 0; c < 3; c++) dirSum[c] += Math.abs(a.dir[3 * i + c]);
            if (t == 4) for (int c = 0; c < 3; c++) dirSum[3 + c] += Math.abs(a.dir[3 * i + c]);
            if (a.region[i] == 37) assertTrue(a.grid.geometry().voxelToWorld(i % a.nx, (i / a.nx) % a.ny, i / (a.nx * a.ny))[0] < 0,
                    "Hippocampus_L is on the left (x < 0)");
        }
        // sphere volumes: white 4/3 pi 40^3 = 0.268 L, grey shell 0.429 L, CSF rim 0.208 L (tracts add to white)
        assertEquals(0.268, wm, 0.04);
        assertEquals(0.429, gm, 0.05);
        assertEquals(0.208, csf, 0.04);
        assertTrue(tractCount[35] > 3 && tractCount[4] > 3, "both tracts on the grid");
        assertTrue(dirSum[1] / tractCount[35] > 0.95, "the tube's direction is its long axis (y)");
        assertEquals(1.0, dirSum[3] / tractCount[4], 1e-6, "corpus callosum: fixed left-right");
        for (int i = 0; i < a.n; i++) if (a.wm[i] > 0) assertTrue(a.dir[3 * i] != 0 || a.dir[3 * i + 1] != 0 || a.dir[3 * i + 2] != 0);
    }

    private static double sq(double v) {
        return v * v;
    }
}
