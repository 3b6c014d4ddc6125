package org.pdsynth.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiFormatException;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;

/**
 * End to end on tiny files: a 10^3 model grid of 4 mm (LAS, world -18..18 mm), an fMRI of
 * 20^3 x 14 at 2 mm (RAS, world -19..19 mm) and a DWI of 12^3 x 10 at 3 mm (world -16.5..16.5 mm).
 */
class SubjectAlignerTest {
    static final Grid MODEL = new Grid(new long[] {10, 10, 10},
            Geometry.ofAffine(new double[] {-4, 0, 0, 18, 0, 4, 0, -18, 0, 0, 4, -18, 0, 0, 0, 1}, Geometry.XFORM_MNI, Double.NaN));
    static final Geometry FMRI_GEOM = Geometry.ofAffine(new double[] {2, 0, 0, -19, 0, 2, 0, -19, 0, 0, 2, -19, 0, 0, 0, 1},
            Geometry.XFORM_MNI, 2.0);
    static final Geometry DWI_GEOM = Geometry.ofAffine(new double[] {3, 0, 0, -16.5, 0, 3, 0, -16.5, 0, 0, 3, -16.5, 0, 0, 0, 1},
            Geometry.XFORM_MNI, Double.NaN);
    static final double[] BVALS = {1000, 0, 2000, 1000, 1000, 0, 1000, 2000, 1000, 1000};
    static final double D = 0.001;

    @TempDir
    Path dir;
    Path fmri, dwi, bval, bvec, mask;
    SubjectAligner aligner;

    /** The fMRI signal: a ramp in world mm times a slow drift in t. */
    static double fmriSignal(double[] w, double t) {
        return (200 + w[0] + 2 * w[1] + 3 * w[2]) * (1 + 0.05 * t);
    }

    /** DWI b=0 signal: 1000 + 5 x inside a 14 mm sphere, 0 outside. */
    static double s0(double[] w) {
        return w[0] * w[0] + w[1] * w[1] + w[2] * w[2] <= 14 * 14 ? 1000 + 5 * w[0] : 0;
    }

    @BeforeEach
    void write() throws Exception {
        fmri = dir.resolve("sub-01/fmri.nii.gz");
        float[] f = new float[20 * 20 * 20 * 14];
        for (int t = 0; t < 14; t++)
            for (int k = 0; k < 20; k++)
                for (int j = 0; j < 20; j++)
                    for (int i = 0; i < 20; i++)
                        f[((t * 20 + k) * 20 + j) * 20 + i] = (float) fmriSignal(FMRI_GEOM.voxelToWorld(i, j, k), t);
        NiftiWriter.write(fmri, VolumeArrays.wrap(f, 20, 20, 20, 14), FMRI_GEOM);
        // mask: a 12 mm ball on the fMRI grid
        mask = dir.resolve("sub-01/mask.nii");
        float[] m = new float[20 * 20 * 20];
        for (int k = 0; k < 20; k++)
            for (int j = 0; j < 20; j++)
                for (int i = 0; i < 20; i++) {
                    double[] w = FMRI_GEOM.voxelToWorld(i, j, k);
                    m[(k * 20 + j) * 20 + i] = w[0] * w[0] + w[1] * w[1] + w[2] * w[2] <= 144 ? 1 : 0;
                }
        NiftiWriter.write(mask, VolumeArrays.wrap(m, 20, 20, 20), FMRI_GEOM.withTr(Double.NaN));
        dwi = dir.resolve("sub-01/dwi.nii");
        bval = dir.resolve("sub-01/dwi.bval");
        bvec = dir.resolve("sub-01/dwi.bvec");
        double[][] dirs = new double[BVALS.length][];
        for (int g = 0; g < BVALS.length; g++)
            dirs[g] = BVALS[g] == 0 ? new double[3] : new double[] {Math.cos(g), Math.sin(g), 0.5};
        GradientTable.of(BVALS, dirs).write(bval, bvec);
        Random r = new Random(3);
        float[] d = new float[12 * 12 * 12 * BVALS.length];
        for (int g = 0; g < BVALS.length; g++)
            for (int k = 0; k < 12; k++)
                for (int j = 0; j < 12; j++)
                    for (int i = 0; i < 12; i++)
                        d[((g * 12 + k) * 12 + j) * 12 + i] = (float) (s0(DWI_GEOM.voxelToWorld(i, j, k)) * Math.exp(-BVALS[g] * D)
                                + (s0(DWI_GEOM.voxelToWorld(i, j, k)) > 0 ? 0 : Math.abs(r.nextGaussian()) * 5));
        NiftiWriter.write(dwi, VolumeArrays.wrap(d, 12, 12, 12, BVALS.length), DWI_GEOM);
        aligner = SubjectAligner.defaults().withGrid(MODEL).withSegmenter(new Segmenter(4, 2, Segmenter.DwiGrouping.BVALUE));
    }

    @Test
    void fmriChannelsOnTheModelGridAreTheSegmentMeans() throws Exception {
        SubjectAligner.Prepared p = aligner.prepareFmri(fmri);
        assertArrayEquals(new long[] {20, 20, 20}, p.sourceGrid().dims());
        assertEquals(FMRI_GEOM.withTr(2.0), p.sourceGrid().geometry().withTr(2.0));
        float[] a = VolumeArrays.shared(p.onGrid().data());
        // skip 2 of 14: t = 2..13 in 4 segments of 3, mean t = 3, 6, 9, 12
        double[] meanT = {3, 6, 9, 12};
        for (int c = 0; c < 4; c++)
            for (int k = 0; k < 10; k++)
                for (int j = 0; j < 10; j++)
                    for (int i = 0; i < 10; i++) {
                        double e = fmriSignal(MODEL.geometry().voxelToWorld(i, j, k), meanT[c]);
                        assertEquals(e, a[((c * 10 + k) * 10 + j) * 10 + i], 1e-4 * e);
                    }
    }

    @Test
    void alignedFmriIsInRangeMaskedAndScaledByThePercentiles() throws Exception {
        AlignedSubject s = aligner.alignFmri(fmri, mask);
        assertEquals(4, s.channels());
        assertEquals(4 * 1000, s.data().length);
        assertArrayEquals(new int[] {10, 10, 10}, s.gridZYX());
        // mask: the 12 mm ball, nearest-resampled to 4 mm voxels
        int inside = 0;
        for (int k = 0; k < 10; k++)
            for (int j = 0; j < 10; j++)
                for (int i = 0; i < 10; i++) {
                    double[] w = MODEL.geometry().voxelToWorld(i, j, k);
                    // model centres are at +-2, +-6, ... mm = exactly on 2 mm voxel centres +-1: nearest picks
                    // the next fMRI voxel up, whose centre is at w + 1 mm
                    double r2 = Math.pow(w[0] + 1, 2) + Math.pow(w[1] + 1, 2) + Math.pow(w[2] + 1, 2);
                    assertEquals(r2 <= 144, s.mask().contains(i, j, k), "voxel " + i + "," + j + "," + k);
                    if (r2 <= 144) inside++;
                }
        assertEquals(inside, s.mask().count());
        float[] onGrid = VolumeArrays.shared(aligner.prepareFmri(fmri).onGrid().data());
        for (int c = 0; c < 4; c++) {
            double[] vals = new double[inside];
            int n = 0;
            for (int i = 0; i < 1000; i++) if (s.mask().contains(i)) vals[n++] = onGrid[c * 1000 + i];
            assertEquals(Percentiles.of(vals, 0.5), s.intensityMap().lo(c), 0);
            assertEquals(Percentiles.of(vals, 99.5), s.intensityMap().hi(c), 0);
            for (int i = 0; i < 1000; i++) {
                float y = s.data()[c * 1000 + i];
                assertTrue(y >= -1 && y <= 1);
                if (!s.mask().contains(i)) assertEquals(-1f, y, 0f);
                else assertEquals(Math.max(-1, Math.min(1, s.intensityMap().forward(c, onGrid[c * 1000 + i]))), y, 1e-6);
            }
        }
        // the image view shares the array
        assertEquals(s.data()[1234], s.img().getAt(4, 3, 2, 1).get(), 0f);
    }

    @Test
    void restoreInvertsTheMapAndResamplesToTheInputGrid() throws Exception {
        SubjectAligner.Prepared p = aligner.prepareFmri(fmri);
        IntensityMap map = IntensityMap.fit(p.onGrid().data(), BrainMask.all(MODEL));
        float[] model = VolumeArrays.copyOf(p.onGrid().data());
        map.applyInPlace(model); // not clipped: exact inverse expected
        Volume out = aligner.restore(model, map, p.sourceGrid(), null);
        assertArrayEquals(new long[] {20, 20, 20, 4}, VolumeArrays.dims(out.data()));
        assertTrue(Double.isNaN(out.geometry().tr()));
        // native channels: the segment means at 2 mm
        float[] nat = VolumeArrays.shared(new Segmenter(4, 2, Segmenter.DwiGrouping.BVALUE)
                .fmri(NiftiReader.read(fmri).data(), "f"));
        float[] got = VolumeArrays.shared(out.data());
        int checked = 0;
        for (int c = 0; c < 4; c++)
            for (int k = 1; k < 19; k++)
                for (int j = 1; j < 19; j++)
                    for (int i = 1; i < 19; i++) {
                        int o = ((c * 20 + k) * 20 + j) * 20 + i;
                        assertEquals(nat[o], got[o], 2e-4 * Math.abs(nat[o]));
                        checked++;
                    }
        assertEquals(4 * 18 * 18 * 18, checked);
        // written and read back: the input's grid
        Path written = dir.resolve("out/synth.nii.gz");
        NiftiWriter.write(written, out.data(), out.geometry());
        NiftiImage back = NiftiReader.read(written);
        assertArrayEquals(FMRI_GEOM.affine(), back.geometry().affine(), 1e-6);
        assertArrayEquals(got, VolumeArrays.shared(back.data()), 0f);
        // a --like file gives the same grid
        assertTrue(SubjectAligner.gridOf(fmri).sameAs(p.sourceGrid(), 1e-9));
        // with a mask: outside it the output is 0 where all 8 model neighbours are outside
        Volume masked = aligner.restore(model, map, p.sourceGrid(), BrainMask.of(MODEL.dims(), new boolean[1000]));
        for (float v : VolumeArrays.shared(masked.data())) assertEquals(0f, v, 0f);
    }

    @Test
    void dwiSortedByBValueAndMaskFromData() throws Exception {
        SubjectAligner.Prepared p = aligner.prepareDwi(dwi, bval, bvec);
        float[] a = VolumeArrays.shared(p.onGrid().data());
        // order: b0 (1, 5), b1000 (0, 3, 4, 6, 8, 9), b2000 (2, 7); 10 into 4: [3, 3, 2, 2]
        double e1 = Math.exp(-1000 * D), e2 = Math.exp(-2000 * D);
        double[] factor = {(2 + e1) / 3, e1, e1, e2}; // [1, 5, 0] [3, 4, 6] [8, 9] [2, 7]
        // model voxel (5, 4, 5) is at world (-2, -2, 2): inside the sphere, trilinear of a ramp
        double[] w = MODEL.geometry().voxelToWorld(5, 4, 5);
        for (int c = 0; c < 4; c++) assertEquals(s0(w) * factor[c], a[((c * 10 + 5) * 10 + 4) * 10 + 5], 1e-3);
        AlignedSubject s = aligner.alignDwi(dwi, bval, bvec, null);
        assertEquals(Modality.DWI, s.modality());
        // the mask from data is close to the 14 mm sphere on the model grid
        boolean[] ball = new boolean[1000];
        for (int k = 0; k < 10; k++)
            for (int j = 0; j < 10; j++)
                for (int i = 0; i < 10; i++) ball[(k * 10 + j) * 10 + i] = s0(MODEL.geometry().voxelToWorld(i, j, k)) > 0;
        double dice = s.mask().dice(BrainMask.of(MODEL.dims(), ball));
        assertTrue(dice > 0.85, "Dice " + dice);
    }

    @Test
    void gradientTableOfTheWrongSizeNamesTheDwi() throws Exception {
        GradientTable.of(new double[] {0, 1000, 1000}, new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}}).write(bval, bvec);
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> aligner.alignDwi(dwi, bval, bvec, null));
        assertTrue(e.getMessage().startsWith(dwi.toString()) && e.getMessage().contains("10 volumes"), e.getMessage());
    }

    @Test
    void pairFromAManifestSharesOneMask() throws Exception {
        Path csv = dir.resolve("participants.csv");
        new Cohort(List.of(new Subject("sub-01", Diagnosis.MCI, fmri, dwi, bval, bvec, null))).write(csv);
        Subject s = Cohort.read(csv).subjects().get(0);
        SubjectAligner.AlignedPair pair = aligner.alignPair(s);
        assertArrayEquals(pair.fmri().mask().toArray(), pair.dwi().mask().toArray());
        assertEquals(Modality.FMRI, pair.fmri().modality());
        assertEquals("sub-01", pair.dwi().id());
        // with the manifest's mask column the given mask is used for both
        Subject withMask = new Subject("sub-01", Diagnosis.MCI, fmri, dwi, bval, bvec, mask);
        SubjectAligner.AlignedPair masked = aligner.alignPair(withMask);
        assertArrayEquals(aligner.maskFromFile(mask).toArray(), masked.dwi().mask().toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> aligner.align(new Subject("x", null, fmri, null, null, null, null), Modality.DWI));
        assertTrue(e.getMessage().contains("has no dwi"), e.getMessage());
    }

    @Test
    void seriesOutsideTheModelGridIsAnErrorNamingTheFile() throws Exception {
        Path far = dir.resolve("far.nii");
        Geometry g = Geometry.ofAffine(new double[] {2, 0, 0, 500, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1}, Geometry.XFORM_MNI, Double.NaN);
        NiftiWriter.write(far, VolumeArrays.wrap(new float[4 * 4 * 4 * 8], 4, 4, 4, 8), g);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> aligner.alignFmri(far, null));
        assertTrue(e.getMessage().startsWith(far + ": mismatched grids with no affine overlap"), e.getMessage());
    }
}
