package org.pdsynth.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.pdsynth.nifti.Geometry;

class ResamplerTest {
    /** An oblique affine: rotation about z and x, anisotropic scale, a shear and an offset. */
    static Geometry oblique() {
        double c = Math.cos(0.3), s = Math.sin(0.3), c2 = Math.cos(-0.2), s2 = Math.sin(-0.2);
        // R = Rz(0.3) Rx(-0.2); A = R * diag(1.5, 2, 2.5) + shear
        double[][] rz = {{c, -s, 0}, {s, c, 0}, {0, 0, 1}}, rx = {{1, 0, 0}, {0, c2, -s2}, {0, s2, c2}};
        double[] sc = {1.5, 2, 2.5};
        double[] a = new double[16];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double r = 0;
                for (int k = 0; k < 3; k++) r += rz[i][k] * rx[k][j];
                a[4 * i + j] = r * sc[j];
            }
        a[1] += 0.2;
        a[3] = -7.25;
        a[7] = 3.5;
        a[11] = -12;
        a[15] = 1;
        return Geometry.ofAffine(a, Geometry.XFORM_MNI, Double.NaN);
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * 10);
        return a;
    }

    @Test
    void identityResampleIsExact() {
        Geometry g = oblique();
        float[] a = random(5 * 4 * 3 * 2, 1);
        Grid grid = new Grid(new long[] {5, 4, 3}, g);
        Img<FloatType> out = Resampler.trilinear(VolumeArrays.wrap(a, 5, 4, 3, 2), g, grid);
        assertArrayEquals(new long[] {5, 4, 3, 2}, VolumeArrays.dims(out));
        assertArrayEquals(a, VolumeArrays.shared(out), 0f);
        assertArrayEquals(a, VolumeArrays.shared(Resampler.nearest(VolumeArrays.wrap(a, 5, 4, 3, 2), g, grid)), 0f);
    }

    @Test
    void wholeVoxelShiftMovesValuesAndFillsTheRest() {
        Geometry g = oblique();
        double[] t = g.affine();
        // target voxel (i, j, k) = source voxel (i + 1, j, k): origin moves by the first column
        for (int r = 0; r < 3; r++) t[4 * r + 3] += t[4 * r];
        Grid shifted = new Grid(new long[] {4, 3, 2}, Geometry.ofAffine(t, Geometry.XFORM_MNI, Double.NaN));
        float[] a = random(4 * 3 * 2, 2);
        float[] out = VolumeArrays.shared(Resampler.resample(VolumeArrays.wrap(a, 4, 3, 2), g, shifted,
                Resampler.Interpolation.TRILINEAR, -7f));
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 4; i++) {
                    int o = (k * 3 + j) * 4 + i;
                    if (i < 3) assertEquals(a[o + 1], out[o], 0f);
                    else assertEquals(-7f, out[o], 0f, "voxel past the source edge gets the fill");
                }
    }

    @Test
    void trilinearReproducesALinearRampUnderAnArbitraryAffine() {
        int nx = 9, ny = 8, nz = 7;
        Geometry src = oblique();
        float[] a = new float[nx * ny * nz];
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++) a[(k * ny + j) * nx + i] = 1 + 2 * i - 3 * j + 0.5f * k;
        // a target grid with a different rotation, 1.1 mm voxels, placed over the source
        double c = Math.cos(1.0), s = Math.sin(1.0);
        double[] ta = {1.1 * c, -1.1 * s, 0, -8, 1.1 * s, 1.1 * c, 0, 2, 0, 0, 1.1, -10, 0, 0, 0, 1};
        Grid target = new Grid(new long[] {14, 13, 12}, Geometry.ofAffine(ta, Geometry.XFORM_ALIGNED, Double.NaN));
        float[] out = VolumeArrays.shared(Resampler.trilinear(VolumeArrays.wrap(a, nx, ny, nz), src, target));
        double[] inv = src.inverseAffine();
        int checked = 0;
        for (int k = 0; k < 12; k++)
            for (int j = 0; j < 13; j++)
                for (int i = 0; i < 14; i++) {
                    double[] w = target.geometry().voxelToWorld(i, j, k);
                    double[] p = new double[3];
                    for (int r = 0; r < 3; r++) p[r] = inv[4 * r] * w[0] + inv[4 * r + 1] * w[1] + inv[4 * r + 2] * w[2] + inv[4 * r + 3];
                    if (p[0] < 0 || p[0] > nx - 1 || p[1] < 0 || p[1] > ny - 1 || p[2] < 0 || p[2] > nz - 1) continue;
                    double expected = 1 + 2 * p[0] - 3 * p[1] + 0.5 * p[2];
                    assertEquals(expected, out[(k * 13 + j) * 14 + i], 2e-5 * (1 + Math.abs(expected)), "voxel " + i + "," + j + "," + k);
                    checked++;
                }
        assertTrue(checked > 150, "only " + checked + " target voxels fell inside the source");
    }

    @Test
    void downsamplingAConstantByTwoKeepsItConstant() {
        Geometry fine = Geometry.ofVoxelSize(1, 1, 1);
        // 2 mm voxels whose centres sit between pairs of 1 mm centres (world 0.5, 2.5, ...)
        Grid coarse = new Grid(new long[] {4, 4, 4}, Geometry.ofAffine(new double[] {2, 0, 0, 0.5, 0, 2, 0, 0.5, 0, 0, 2, 0.5,
            0, 0, 0, 1}, Geometry.XFORM_ALIGNED, Double.NaN));
        float[] a = new float[8 * 8 * 8];
        java.util.Arrays.fill(a, 3.25f);
        float[] out = VolumeArrays.shared(Resampler.trilinear(VolumeArrays.wrap(a, 8, 8, 8), fine, coarse));
        for (float v : out) assertEquals(3.25f, v, 0f);
    }

    @Test
    void upsamplingRepeatsEdgeVoxelsInTheHalfVoxelRim() {
        Geometry coarse = Geometry.ofVoxelSize(2, 2, 2);
        // 1 mm grid covering the same field of view: centres at -0.5, 0.5, ..., 3.5 mm
        Grid fine = new Grid(new long[] {4, 1, 1}, Geometry.ofAffine(new double[] {1, 0, 0, -0.5, 0, 1, 0, 0, 0, 0, 1, 0,
            0, 0, 0, 1}, Geometry.XFORM_ALIGNED, Double.NaN));
        float[] out = VolumeArrays.shared(Resampler.trilinear(VolumeArrays.wrap(new float[] {10, 20}, 2, 1, 1), coarse, fine));
        // source voxel positions p = -0.25, 0.25, 0.75, 1.25: rim clamps to the edge values
        assertArrayEquals(new float[] {10, 12.5f, 17.5f, 20}, out, 1e-6f);
    }

    @Test
    void nearestKeepsLabels() {
        Geometry coarse = Geometry.ofVoxelSize(2, 2, 2);
        Grid fine = new Grid(new long[] {4, 2, 1}, Geometry.ofAffine(new double[] {1, 0, 0, -0.5, 0, 1, 0, -0.5, 0, 0, 1, 0,
            0, 0, 0, 1}, Geometry.XFORM_ALIGNED, Double.NaN));
        float[] labels = {3, 7};
        float[] out = VolumeArrays.shared(Resampler.nearest(VolumeArrays.wrap(labels, 2, 1, 1), coarse, fine));
        // p = -0.25 -> 0, 0.25 -> 0, 0.75 -> 1 (rounds up past the half), 1.25 -> 1
        assertArrayEquals(new float[] {3, 3, 7, 7, 3, 3, 7, 7}, out, 0f);
    }

    @Test
    void resamplingBackWithGridsSwappedRestoresTheOverlap() {
        Geometry g = Geometry.ofVoxelSize(2, 2, 2);
        Grid moved = new Grid(new long[] {6, 5, 4}, Geometry.ofAffine(new double[] {2, 0, 0, 4, 0, 2, 0, -2, 0, 0, 2, 0, 0, 0, 0, 1},
                Geometry.XFORM_ALIGNED, Double.NaN));
        float[] a = random(6 * 5 * 4, 3);
        Img<FloatType> there = Resampler.trilinear(VolumeArrays.wrap(a, 6, 5, 4), g, moved);
        float[] back = VolumeArrays.shared(Resampler.trilinear(there, moved.geometry(), new Grid(new long[] {6, 5, 4}, g)));
        // moved voxel (i, j, k) = source (i + 2, j - 1, k): the overlap is i >= 2, j <= 3
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < 5; j++)
                for (int i = 0; i < 6; i++) {
                    int o = (k * 5 + j) * 6 + i;
                    if (i >= 2 && j <= 3) assertEquals(a[o], back[o], 0f);
                    else assertEquals(0f, back[o], 0f);
                }
    }

    @Test
    void gridsWithoutOverlapAreAnErrorNamingBoth() {
        Grid far = new Grid(new long[] {3, 3, 3}, Geometry.ofAffine(new double[] {1, 0, 0, 1000, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1},
                Geometry.XFORM_ALIGNED, Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Resampler.trilinear(VolumeArrays.wrap(new float[8], 2, 2, 2), Geometry.ofVoxelSize(1, 1, 1), far));
        assertTrue(e.getMessage().startsWith("mismatched grids with no affine overlap"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 2, 2]") && e.getMessage().contains("[3, 3, 3]")
                && e.getMessage().contains("1000.0"), e.getMessage());
    }

    @Test
    void singleThreadedAndMultiThreadedAgree() {
        Geometry g = oblique();
        float[] a = random(10 * 9 * 8, 4);
        Grid t = Grid.mni(1.7, new long[] {12, 11, 10}, new double[] {5, -9, -12});
        float[] multi = VolumeArrays.copyOf(Resampler.trilinear(VolumeArrays.wrap(a, 10, 9, 8), g, t));
        float[] single = net.imglib2.parallel.Parallelization.runSingleThreaded(
                () -> VolumeArrays.copyOf(Resampler.trilinear(VolumeArrays.wrap(a, 10, 9, 8), g, t)));
        assertArrayEquals(single, multi, 0f);
    }
}
