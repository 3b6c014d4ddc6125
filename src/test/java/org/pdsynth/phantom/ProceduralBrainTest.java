package org.pdsynth.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdsynth.volume.Grid;

class ProceduralBrainTest {
    private static final Anatomy BRAIN = ProceduralBrain.build(TinyGrid.MM8);

    @Test
    void tissueVolumesArePlausible() {
        double v = 8 * 8 * 8 / 1e6, gm = 0, wm = 0, csf = 0;
        for (int i = 0; i < BRAIN.n; i++) {
            gm += BRAIN.gm[i] * v;
            wm += BRAIN.wm[i] * v;
            csf += BRAIN.csf[i] * v;
            assertTrue(BRAIN.gm[i] + BRAIN.wm[i] + BRAIN.csf[i] <= 1.0001f);
        }
        assertTrue(gm > 0.4 && gm < 0.8, "grey matter litres " + gm);
        assertTrue(wm > 0.7 && wm < 1.3, "white matter litres " + wm);
        assertTrue(csf > 0.1 && csf < 0.4, "CSF litres " + csf);
    }

    @Test
    void everyDefaultDiseaseRegionAndTractIsPresentOnTheGrid() {
        int[] countR = new int[BRAIN.regionNames.maxIndex() + 1];
        for (int l : BRAIN.region) countR[l]++;
        for (String name : PhantomModel.DISEASE_REGIONS) {
            for (String side : new String[] {"_L", "_R"}) {
                int idx = indexOf(BRAIN.regionNames, name + side);
                assertTrue(idx > 0, name + side + " is named");
                assertTrue(countR[idx] > 0, name + side + " has voxels on the 8 mm grid");
            }
        }
        boolean[] sick = BRAIN.tractNames.matching(PhantomModel.DISEASE_TRACTS);
        int sickVoxels = 0;
        for (int t : BRAIN.tract) if (t > 0 && sick[t]) sickVoxels++;
        assertTrue(sickVoxels > 0);
        assertEquals(9, countTrue(sick), "cingulum (2 parts x 2 sides), fornix body, fornix cres x 2, uncinate x 2");
    }

    private static int countTrue(boolean[] b) {
        int c = 0;
        for (boolean x : b) if (x) c++;
        return c;
    }

    @Test
    void fibreDirectionsFollowTheTracts() {
        Grid g = Grid.mni(4, new long[] {48, 56, 48}, new double[] {94, -128, -76});
        Anatomy a = ProceduralBrain.build(g);
        int cc = indexOf(a.tractNames, "Body_of_corpus_callosum"), cing = indexOf(a.tractNames, "Cingulum_(cingulate_gyrus)_L"),
                cst = indexOf(a.tractNames, "Corticospinal_tract_R");
        double[] mean = new double[3 * 3];
        int[] n = new int[3];
        for (int i = 0; i < a.n; i++) {
            int t = a.tract[i], k = t == cc ? 0 : t == cing ? 1 : t == cst ? 2 : -1;
            if (k < 0) continue;
            for (int c = 0; c < 3; c++) mean[3 * k + c] += Math.abs(a.dir[3 * i + c]);
            n[k]++;
            double len = a.dir[3 * i] * a.dir[3 * i] + a.dir[3 * i + 1] * a.dir[3 * i + 1] + a.dir[3 * i + 2] * a.dir[3 * i + 2];
            assertEquals(1, len, 1e-5);
        }
        for (int k = 0; k < 3; k++) assertTrue(n[k] > 5, "tract " + k + " has voxels");
        assertTrue(mean[0] / n[0] > 0.99, "corpus callosum runs left-right");
        assertTrue(mean[4] / n[1] > 0.7 && mean[4] > mean[5] && mean[4] > mean[3], "cingulum runs mostly anterior-posterior (its ends bend down), |y| = " + mean[4] / n[1]);
        assertTrue(mean[8] / n[2] > 0.8, "corticospinal tract runs inferior-superior, |z| = " + mean[8] / n[2]);
        // every white-matter voxel got a direction (from the nearest tract)
        for (int i = 0; i < a.n; i++)
            if (a.wm[i] > 0) assertTrue(a.dir[3 * i] != 0 || a.dir[3 * i + 1] != 0 || a.dir[3 * i + 2] != 0);
    }

    static int indexOf(LabelTable t, String name) {
        for (var e : t.names().entrySet()) if (e.getValue().equals(name)) return e.getKey();
        return -1;
    }

    @Test
    void labelNamesUseAalAndJhuIndices() {
        assertEquals("Hippocampus_L", BRAIN.regionNames.name(37));
        assertEquals("Precuneus_R", BRAIN.regionNames.name(68));
        assertEquals("Cingulum_(cingulate_gyrus)_R", BRAIN.tractNames.name(35));
        assertEquals("Uncinate_fasciculus_L", BRAIN.tractNames.name(46));
        assertNotNull(BRAIN.regionNames.name(91));
    }
}
