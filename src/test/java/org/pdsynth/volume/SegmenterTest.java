package org.pdsynth.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.pdsynth.nifti.GradientTable;

class SegmenterTest {
    /** A 2x1x1 series: volume t holds (t, 100 + t), so a channel's mean is the mean of its t's. */
    private static ArrayImg<FloatType, FloatArray> series(int t) {
        float[] a = new float[2 * t];
        for (int v = 0; v < t; v++) {
            a[2 * v] = v;
            a[2 * v + 1] = 100 + v;
        }
        return VolumeArrays.wrap(a, 2, 1, 1, t);
    }

    private static double[] channelMeansX0(Img<FloatType> img) {
        float[] a = VolumeArrays.shared(img);
        double[] m = new double[(int) img.dimension(3)];
        for (int c = 0; c < m.length; c++) {
            m[c] = a[2 * c];
            assertEquals(a[2 * c] + 100, a[2 * c + 1], 1e-4, "both voxels average the same volumes");
        }
        return m;
    }

    @Test
    void segmentLengthsGiveTheExtraVolumeToTheFirstSegments() {
        assertArrayEquals(new int[] {3, 3, 2, 2}, Segmenter.segmentLengths(10, 4));
        assertArrayEquals(new int[] {2, 1, 1, 1, 1, 1, 1, 1}, Segmenter.segmentLengths(9, 8));
        assertArrayEquals(new int[] {1, 1, 1}, Segmenter.segmentLengths(3, 3));
        assertArrayEquals(new int[] {5, 4, 4}, Segmenter.segmentLengths(13, 3));
        assertThrows(IllegalArgumentException.class, () -> Segmenter.segmentLengths(7, 8));
    }

    @Test
    void fmriAveragesContiguousSegmentsAfterSkip() {
        // 11 volumes, skip 1: volumes 1..10 -> [1,2,3] [4,5,6] [7,8] [9,10]
        Segmenter s = new Segmenter(4, 1, Segmenter.DwiGrouping.BVALUE);
        Img<FloatType> out = s.fmri(series(11), "f.nii");
        assertArrayEquals(new long[] {2, 1, 1, 4}, VolumeArrays.dims(out));
        assertArrayEquals(new double[] {2, 5, 7.5, 9.5}, channelMeansX0(out), 1e-6);
        int[][] g = s.fmriGroups(11, "f");
        assertArrayEquals(new int[] {1, 2, 3}, g[0]);
        assertArrayEquals(new int[] {9, 10}, g[3]);
    }

    @Test
    void fmriOddLengthWithoutSkip() {
        // 7 volumes into 3: [0,1,2] [3,4] [5,6]
        Img<FloatType> out = new Segmenter(3, 0, Segmenter.DwiGrouping.BVALUE).fmri(series(7), "f");
        assertArrayEquals(new double[] {1, 3.5, 5.5}, channelMeansX0(out), 1e-6);
    }

    @Test
    void defaultEightChannelsOfExactlyEightVolumesAreTheVolumes() {
        Img<FloatType> out = Segmenter.defaults().fmri(series(8), "f");
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, channelMeansX0(out), 0);
    }

    @Test
    void tooFewVolumesAfterSkipNamesTheSourceAndCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Segmenter.defaults().withSkip(2).fmri(series(9), "sub-01/fmri.nii.gz"));
        assertTrue(e.getMessage().startsWith("sub-01/fmri.nii.gz: "), e.getMessage());
        assertTrue(e.getMessage().contains("9 volumes") && e.getMessage().contains("7 after skipping 2")
                && e.getMessage().contains("8 channels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Segmenter.defaults().fmri(VolumeArrays.wrap(new float[2], 2, 1, 1), "x"));
    }

    private static GradientTable table(double[] b) {
        double[][] d = new double[b.length][];
        for (int i = 0; i < b.length; i++) d[i] = b[i] <= 50 ? new double[3] : new double[] {Math.cos(i), Math.sin(i), 0.3};
        return GradientTable.of(b, d);
    }

    @Test
    void dwiStableSortByBValueWithB0First() {
        double[] b = {1000, 0, 2000, 1000, 0, 5, 3000, 2000};
        GradientTable t = table(b);
        // b0 (<= 50): 1, 4, 5 in acquisition order; then 1000: 0, 3; 2000: 2, 7; 3000: 6
        assertArrayEquals(new int[] {1, 4, 5, 0, 3, 2, 7, 6}, Segmenter.bValueOrder(t));
        Segmenter s = new Segmenter(3, 5, Segmenter.DwiGrouping.BVALUE); // skip does not apply to dMRI
        int[][] g = s.dwiGroups(t, "d");
        assertArrayEquals(new int[] {1, 4, 5}, g[0]);
        assertArrayEquals(new int[] {0, 3, 2}, g[1]);
        assertArrayEquals(new int[] {7, 6}, g[2]);
        Img<FloatType> out = s.dwi(series(8), t, "d");
        assertArrayEquals(new double[] {10 / 3.0, 5 / 3.0, 6.5}, channelMeansX0(out), 1e-5);
    }

    @Test
    void aWeightedVolumeWithoutDirectionIsLeftOutNotCountedAsB0() {
        // a trace image (b = 1000, zero vector) is neither b=0 nor a direction (MRtrix3 drops it)
        double[] b = {1000, 1000, 0, 1000};
        GradientTable t = GradientTable.of(b, new double[][] {{1, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 1, 0}});
        assertTrue(t.isTrace(1) && !t.isB0(1) && !t.usable(1));
        assertTrue(t.isB0(2) && t.usable(2));
        assertArrayEquals(new int[] {2, 0, 3}, Segmenter.bValueOrder(t));
        assertEquals(1, t.warnings().size(), t.warnings().toString());
        assertTrue(t.warnings().get(0).contains("volume 1") && t.warnings().get(0).contains("b = 1000"), t.warnings().toString());
    }

    @Test
    void tableSizeMismatchIsAnError() {
        GradientTable t = table(new double[] {0, 1000, 1000});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Segmenter(2, 0, Segmenter.DwiGrouping.BVALUE).dwi(series(4), t, "dwi.nii"));
        assertTrue(e.getMessage().contains("dwi.nii") && e.getMessage().contains("4 volumes")
                && e.getMessage().contains("3 entries"), e.getMessage());
    }

    @Test
    void directionGroupingPutsB0InChannelZeroAndClustersAxesAntipodally() {
        // b0 at 0 and 5; DWIs around +-x (1, 4, 8), +-y (2, 6), +-z (3, 7)
        double[] b = {0, 1000, 1000, 1000, 1000, 0, 1000, 1000, 1000};
        double[][] d = {{0, 0, 0}, {1, 0.1, 0}, {0, 1, 0.05}, {0.02, 0, 1}, {-1, 0, 0.1}, {0, 0, 0}, {0.1, -1, 0},
            {0, 0.1, -1}, {0.97, -0.05, -0.05}};
        GradientTable t = GradientTable.of(b, d);
        Segmenter s = new Segmenter(4, 0, Segmenter.DwiGrouping.DIRECTIONS);
        int[][] g = s.dwiGroups(t, "d");
        assertArrayEquals(new int[] {0, 5}, g[0]);
        assertArrayEquals(new int[] {1, 4, 8}, g[1], "channel 1 is the cluster of the x-most direction");
        int[][] rest = {g[2], g[3]};
        Arrays.sort(rest, (p, q) -> Integer.compare(p[0], q[0]));
        assertArrayEquals(new int[] {2, 6}, rest[0]);
        assertArrayEquals(new int[] {3, 7}, rest[1]);
        Img<FloatType> out = s.dwi(series(9), t, "d");
        double[] m = channelMeansX0(out);
        assertEquals(2.5, m[0], 1e-6);
        assertEquals(13 / 3.0, m[1], 1e-5);
    }

    @Test
    void directionGroupingErrors() {
        Segmenter s = new Segmenter(4, 0, Segmenter.DwiGrouping.DIRECTIONS);
        GradientTable noB0 = GradientTable.of(new double[] {1000, 1000, 1000, 1000},
                new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.dwiGroups(noB0, "d")).getMessage().contains("b=0"));
        GradientTable few = GradientTable.of(new double[] {0, 1000, 1000}, new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.dwiGroups(few, "d")).getMessage()
                .contains("2 diffusion-weighted volumes"));
    }
}
