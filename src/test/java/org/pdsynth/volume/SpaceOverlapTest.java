package org.pdsynth.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.pdsynth.nifti.Geometry;

/** Issue 13 kind 6: an input not in the model's space is warned about or refused, naming the fraction. */
class SpaceOverlapTest {
    static final Grid GRID = Grid.mni(2, new long[] {20, 20, 20}, new double[] {19, -19, -19});

    /** A bright cube (voxels 6..13 on each axis) in a 20^3 volume on the grid's own geometry, shifted by dx mm. */
    static double inside(double dxMm) {
        Img<FloatType> img = ArrayImgs.floats(20, 20, 20);
        var c = img.cursor();
        while (c.hasNext()) {
            c.fwd();
            boolean in = true;
            for (int d = 0; d < 3; d++) in &= c.getIntPosition(d) >= 6 && c.getIntPosition(d) <= 13;
            c.get().set(in ? 500 : 10);
        }
        double[] a = GRID.geometry().affine();
        a[3] += dxMm;
        return SpaceOverlap.insideGrid(img, Geometry.ofAffine(a, Geometry.XFORM_MNI, Double.NaN), GRID, "f.nii");
    }

    @Test
    void theShareOfTheBrainInsideTheGridFollowsTheShift() {
        assertEquals(1.0, inside(0), 0.0);
        assertEquals(0.0, inside(-60), 0.0, "60 mm to the right of a 40 mm grid: nothing inside");
        double half = inside(-20); // the grid's x axis runs -x: 10 voxels of shift, the cube spans x 6..13 -> 16..23
        assertTrue(half > 0.3 && half < 0.7, "half of the cube leaves the grid: " + half);
    }

    @Test
    void coverageAndThresholds() {
        boolean[] ref = new boolean[8], in = new boolean[8];
        for (int i = 0; i < 4; i++) ref[i] = true;
        in[0] = in[1] = in[2] = in[7] = true;
        assertEquals(0.75, SpaceOverlap.coverage(BrainMask.of(new long[] {2, 2, 2}, in), ref), 0.0);
        SpaceOverlap.check(0.75, "f.nii", "covered"); // fine
        SpaceOverlap.check(0.6, "f.nii", "covered"); // warned on stderr
        SpaceOverlap.warn(0.1, "f.nii", "covered"); // coverage only ever warns
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpaceOverlap.check(0.24, "f.nii", "of its brain"));
        assertTrue(e.getMessage().startsWith("f.nii: 24% of its brain") && e.getMessage().contains("MNI"), e.getMessage());
    }
}
