package org.pdsynth.diagnosis;

import org.pdsynth.volume.Atlas;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdsynth.volume.BrainMask;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Grid;

/**
 * Regional mean/std on a hand-made 4 x 3 x 2 volume. Labels (x fastest, rows y = 0..2):
 * <pre>
 *  z = 0 and z = 1:   1 1 2 2
 *                     1 1 2 2
 *                     0 0 3 3
 * </pre>
 * region 4 is listed but has no voxel. The mask drops voxel 0 (region 1) and every region-3
 * voxel. Channel 0 holds the flat voxel index, channel 1 minus half of it.
 */
class RegionFeaturesTest {
    static final Grid GRID = Grid.mni(4, new long[] {4, 3, 2}, new double[] {0, 0, 0});
    static final int[] LABELS = {1, 1, 2, 2, 1, 1, 2, 2, 0, 0, 3, 3, 1, 1, 2, 2, 1, 1, 2, 2, 0, 0, 3, 3};
    static final List<Atlas.Region> REGIONS = List.of(new Atlas.Region(1, "A"), new Atlas.Region(2, "B"), new Atlas.Region(3, "C"),
            new Atlas.Region(4, "D"));

    static BrainMask mask() {
        boolean[] in = new boolean[24];
        for (int i = 0; i < 24; i++) in[i] = i != 0 && LABELS[i] != 3;
        return BrainMask.of(GRID.dims(), in);
    }

    @Test
    void meansAndPopulationStdsByHand() {
        Atlas atlas = Atlas.of(GRID, LABELS, REGIONS);
        float[] data = new float[48];
        for (int i = 0; i < 24; i++) {
            data[i] = i;
            data[24 + i] = -0.5f * i;
        }
        RegionFeatures rf = new RegionFeatures(atlas);
        double[] f = rf.of(data, 2, mask());
        assertEquals(2 * 4 * 2, f.length);
        // region A in mask: voxels 1, 4, 5, 12, 13, 16, 17 -> sum 68, sum of squares 900
        double meanA = 68.0 / 7, stdA = Math.sqrt(900.0 / 7 - meanA * meanA);
        // region B: voxels 2, 3, 6, 7, 14, 15, 18, 19 -> sum 84, sum of squares 1204
        double meanB = 10.5, stdB = Math.sqrt(1204.0 / 8 - 10.5 * 10.5);
        assertEquals(meanA, f[RegionFeatures.index(0, 0, 0, 4)], 1e-12);
        assertEquals(stdA, f[RegionFeatures.index(0, 0, 1, 4)], 1e-12);
        assertEquals(meanB, f[RegionFeatures.index(0, 1, 0, 4)], 1e-12);
        assertEquals(Math.sqrt(40.25), f[RegionFeatures.index(0, 1, 1, 4)], 1e-12);
        assertEquals(stdB, Math.sqrt(40.25), 1e-12);
        assertEquals(-meanA / 2, f[RegionFeatures.index(1, 0, 0, 4)], 1e-12);
        assertEquals(stdA / 2, f[RegionFeatures.index(1, 0, 1, 4)], 1e-12);
        assertEquals(-5.25, f[RegionFeatures.index(1, 1, 0, 4)], 1e-12);
        // C is outside the mask, D has no voxel: NaN
        for (int c = 0; c < 2; c++)
            for (int r = 2; r < 4; r++)
                for (int s = 0; s < 2; s++) assertTrue(Double.isNaN(f[RegionFeatures.index(c, r, s, 4)]));
        assertArrayEquals(new int[] {7, 8, 0, 0}, rf.voxelsInMask(mask()));
        assertEquals(List.of("dwi_c0_A_mean", "dwi_c0_A_std", "dwi_c0_B_mean"), rf.names("dwi", 2).subList(0, 3));
        assertEquals("dwi_c1_D_std", rf.names("dwi", 2).get(15));
    }

    @Test
    void regionsWithoutVoxelsInSomeMaskAreDroppedForEverySubject() {
        Atlas atlas = Atlas.of(GRID, LABELS, REGIONS);
        double[] v = new double[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        // subject a has every region but D; subject b also lacks C
        SubjectFeatures a = new SubjectFeatures("a", Diagnosis.NC, new int[] {8, 8, 4, 0}, v, v, null, null);
        SubjectFeatures b = new SubjectFeatures("b", Diagnosis.AD, new int[] {7, 8, 0, 0}, v, v, null, null);
        CohortFeatures cf = new CohortFeatures(atlas, 2, 2, List.of(a, b));
        int[] kept = cf.keptRegions(1);
        assertArrayEquals(new int[] {0, 1}, kept);
        assertEquals(List.of("C", "D"), cf.droppedRegions(kept));
        assertArrayEquals(new int[] {1}, cf.keptRegions(8));
        FeatureTable t = cf.table(false, false, kept);
        assertEquals(16, t.columns()); // 2 modalities x 2 channels x 2 regions x 2 stats
        assertEquals(List.of("fmri_c0_A_mean", "fmri_c0_A_std", "fmri_c0_B_mean", "fmri_c0_B_std", "fmri_c1_A_mean"),
                t.names().subList(0, 5));
        assertEquals("dwi_c0_A_mean", t.names().get(8));
        // fMRI channel 1, region A, mean sits at index (1 * 4 + 0) * 2 = 8 of the modality vector
        assertEquals(8.0, t.values()[0][4]);
        assertEquals(List.of(Diagnosis.NC, Diagnosis.AD), t.labels());
    }
}
