package org.pdsynth.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdsynth.nifti.Geometry;

class BrainMaskTest {
    static final long[] DIMS = {32, 30, 28};

    /** True sphere of radius 9 voxels centred at (15.3, 14.6, 13.8). */
    static boolean[] sphere() {
        boolean[] s = new boolean[32 * 30 * 28];
        for (int z = 0; z < 28; z++)
            for (int y = 0; y < 30; y++)
                for (int x = 0; x < 32; x++) {
                    double dx = x - 15.3, dy = y - 14.6, dz = z - 13.8;
                    s[(z * 30 + y) * 32 + x] = dx * dx + dy * dy + dz * dz <= 81;
                }
        return s;
    }

    @Test
    void sphereInNoiseWithADarkCoreAndAStrayBlob() {
        boolean[] truth = sphere();
        Random r = new Random(42);
        int v = truth.length, channels = 3;
        float[] data = new float[v * channels];
        for (int c = 0; c < channels; c++)
            for (int z = 0; z < 28; z++)
                for (int y = 0; y < 30; y++)
                    for (int x = 0; x < 32; x++) {
                        int i = (z * 30 + y) * 32 + x;
                        double dx = x - 15.3, dy = y - 14.6, dz = z - 13.8;
                        double signal = truth[i] ? 100 + 20 * c : 0;
                        if (dx * dx + dy * dy + dz * dz <= 4) signal = 10; // dark "ventricle" inside
                        if (x >= 1 && x <= 3 && y >= 1 && y <= 3 && z >= 1 && z <= 3) signal = 150; // stray blob
                        data[c * v + i] = (float) (signal + r.nextGaussian() * 30);
                    }
        BrainMask m = BrainMask.fromData(VolumeArrays.wrap(data, 32, 30, 28, channels), "sphere");
        BrainMask t = BrainMask.of(DIMS, truth);
        double dice = m.dice(t);
        assertTrue(dice > 0.95, "Dice " + dice);
        assertTrue(m.contains(15, 15, 14), "the dark core is filled");
        assertFalse(m.contains(2, 2, 2), "the stray blob is not the largest component");
    }

    @Test
    void constantDataHaveNoBrain() {
        float[] a = new float[4 * 4 * 4];
        java.util.Arrays.fill(a, 5);
        assertThrows(IllegalArgumentException.class, () -> BrainMask.fromData(VolumeArrays.wrap(a, 4, 4, 4), "flat"));
    }

    @Test
    void givenMaskIsResampledNearestAndThresholdedAtOneHalf() {
        // 2 mm mask 2x2x1 with values 0, 1, 0.4, 7 -> on a 1 mm grid each becomes a 2x2 block
        float[] mask = {0, 1, 0.4f, 7};
        Grid fine = new Grid(new long[] {4, 4, 1}, Geometry.ofAffine(new double[] {1, 0, 0, -0.5, 0, 1, 0, -0.5, 0, 0, 1, 0, 0, 0, 0, 1},
                Geometry.XFORM_ALIGNED, Double.NaN));
        BrainMask m = BrainMask.fromImage(VolumeArrays.wrap(mask, 2, 2, 1), Geometry.ofVoxelSize(2, 2, 2), fine, "mask.nii");
        boolean[] expected = {
            false, false, true, true,
            false, false, true, true,
            false, false, true, true,
            false, false, true, true};
        assertArrayEquals(expected, m.toArray());
        assertEquals(8, m.count());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1}, VolumeArrays.shared(m.toImg()), 0f);
    }

    @Test
    void otsuMatchesScikitImage() throws Exception {
        JsonObject g = Golden.load("volume-otsu.json");
        for (JsonElement e : g.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            double t = Otsu.threshold(Golden.doubles(c.getAsJsonArray("values")), c.get("nbins").getAsInt());
            assertEquals(c.get("expected").getAsDouble(), t, 1e-9 * Math.abs(t), c.get("name").getAsString());
        }
    }

    @Test
    void componentsAndHoles() {
        long[] d = {5, 5, 3};
        boolean[] m = new boolean[75];
        // a 3x3x3 shell around (2, 2, 1) with its centre empty, and a single voxel at (0, 0, 0)
        for (int z = 0; z < 3; z++)
            for (int y = 1; y <= 3; y++)
                for (int x = 1; x <= 3; x++) m[(z * 5 + y) * 5 + x] = !(x == 2 && y == 2 && z == 1);
        m[0] = true;
        boolean[] big = BinaryComponents.largest(m, d);
        assertFalse(big[0]);
        assertEquals(26, count(big));
        boolean[] filled = BinaryComponents.fillHoles(big, d);
        assertTrue(filled[(1 * 5 + 2) * 5 + 2], "enclosed centre is filled");
        assertEquals(27, count(filled));
        // a hole open to the border is not filled
        boolean[] open = big.clone();
        open[(0 * 5 + 2) * 5 + 2] = false;
        assertFalse(BinaryComponents.fillHoles(open, d)[(1 * 5 + 2) * 5 + 2]);
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) if (x) n++;
        return n;
    }
}
