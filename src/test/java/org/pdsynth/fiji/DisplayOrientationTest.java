package org.pdsynth.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.nio.file.Path;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.fiji.ImagePlusConverter.FourthAxis;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;

/**
 * The display convention of docs/fiji.md ("Orientation"): whatever the voxel order on disk, an
 * opened volume shows world +x to the right (neurological, as MRIcron), anterior at the top, slice
 * 1 inferior; the status bar reads world millimetres; writing the image back keeps the affine and
 * the voxel order exactly.
 */
class DisplayOrientationTest {
    @TempDir
    Path dir;

    /** Affines of the same kind of head stored in different voxel orders (4x4 row-major). */
    static final double[][] AFFINES = {
        {2, 0, 0, -20, 0, 2, 0, -30, 0, 0, 2, -10, 0, 0, 0, 1},     // RAS
        {-2, 0, 0, 20, 0, 2, 0, -30, 0, 0, 2, -10, 0, 0, 0, 1},     // LAS (FSL's MNI152 order)
        {2, 0, 0, -20, 0, -2, 0, 30, 0, 0, -2, 10, 0, 0, 0, 1},     // RPI
        {0, 0, -2, 20, 2, 0, 0, -30, 0, -2, 0, 10, 0, 0, 0, 1},     // voxel axes (A, I, L): a sagittal acquisition
        // RAS rotated 10 degrees about z: oblique; shown on the nearest orthogonal grid
        {2 * Math.cos(0.1745), -2 * Math.sin(0.1745), 0, -20, 2 * Math.sin(0.1745), 2 * Math.cos(0.1745), 0, -30, 0, 0, 2, -10, 0, 0, 0, 1},
    };

    @Test
    void everyStorageOrderShowsRightwardAnteriorUpSuperiorLast() throws Exception {
        long[] dims = {5, 6, 7};
        for (double[] a : AFFINES) {
            Geometry g = Geometry.ofAffine(a, Geometry.XFORM_MNI, Double.NaN);
            // three volumes holding the world x, y and z of each voxel centre
            ImagePlus[] w = new ImagePlus[3];
            for (int axis = 0; axis < 3; axis++) {
                Img<FloatType> img = ArrayImgs.floats(dims);
                var c = img.localizingCursor();
                while (c.hasNext()) {
                    c.fwd();
                    c.get().set((float) g.voxelToWorld(c.getLongPosition(0), c.getLongPosition(1), c.getLongPosition(2))[axis]);
                }
                Path f = dir.resolve("w" + axis + ".nii.gz");
                NiftiWriter.write(f, img, g);
                NiftiImage read = NiftiReader.read(f);
                w[axis] = ImagePlusConverter.toImagePlus(read.data(), read.geometry(), "w" + axis, FourthAxis.TIME);
            }
            String name = java.util.Arrays.toString(a);
            int width = w[0].getWidth(), height = w[0].getHeight(), slices = w[0].getNSlices();
            for (int s = 1; s <= slices; s++) {
                for (ImagePlus imp : w) imp.setSlice(s);
                for (int r = 0; r < height; r++)
                    for (int col = 0; col < width; col++) {
                        float x = w[0].getProcessor().getf(col, r), y = w[1].getProcessor().getf(col, r), z = w[2].getProcessor().getf(col, r);
                        if (col + 1 < width) assertTrue(w[0].getProcessor().getf(col + 1, r) > x, name + ": x grows to the right");
                        if (r + 1 < height) assertTrue(w[1].getProcessor().getf(col, r + 1) < y, name + ": y falls downwards (anterior on top)");
                        if (s > 1) {
                            w[2].setSlice(s - 1);
                            assertTrue(w[2].getProcessor().getf(col, r) < z, name + ": z grows with the slice");
                            w[2].setSlice(s);
                        }
                        boolean oblique = a[1] != 0 && a[4] != 0;
                        double tol = oblique ? 2 * 0.18 * 12 + 1e-3 : 1e-4; // rotation error over the grid's extent
                        // the status bar: calibrated x, y, z of the pixel are its world coordinates
                        assertEquals(x, w[0].getCalibration().getX(col), tol, name + " status-bar x");
                        assertEquals(y, w[0].getCalibration().getY(r, height), tol, name + " status-bar y");
                        assertEquals(z, w[0].getCalibration().getZ(s - 1), tol, name + " status-bar z");
                    }
            }
        }
    }

    @Test
    void statusBarTextReadsMniMillimetres() {
        // FSL's MNI152 2 mm header: x = 90 - 2 i, y = 2 j - 126, z = 2 k - 72
        Geometry g = Geometry.ofAffine(new double[] {-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1}, Geometry.XFORM_MNI, Double.NaN);
        ImagePlus imp = ImagePlusConverter.toImagePlus(ArrayImgs.floats(91, 109, 91), g, "mni", FourthAxis.TIME);
        imp.setSlice(37); // k = 36: z = 0
        // voxel (45, 63, 36) is MNI (0, 0, 0): column 90 - 45 = 45, row 108 - 63 = 45
        String at = imp.getLocationAsString(45, 45);
        assertTrue(at.contains("x=0") && at.contains("y=0") && at.contains("z=0"), at);
        // the anterior commissure row moves up the screen as y grows: MNI (-20, 30, 0) is column 35, row 30
        String other = imp.getLocationAsString(35, 30);
        assertTrue(other.contains("x=-20") && other.contains("y=30") && other.contains("z=0"), other);
    }

    @Test
    void writingTheShownImageKeepsAffineAndVoxelOrder() throws Exception {
        for (double[] a : AFFINES) {
            Geometry g = Geometry.ofAffine(a, Geometry.XFORM_MNI, 2.0);
            Img<FloatType> img = ArrayImgs.floats(4, 5, 6, 3);
            float v = 0;
            for (FloatType t : Views.flatIterable(img)) t.set(v++);
            ImagePlus imp = ImagePlusConverter.toImagePlus(img, g, "t", FourthAxis.TIME);
            Path f = dir.resolve("back.nii");
            NiftiWriter.write(f, ImagePlusConverter.toImg(imp), ImagePlusConverter.geometry(imp));
            NiftiImage back = NiftiReader.read(f);
            assertArrayEquals(img.dimensionsAsLongArray(), back.data().dimensionsAsLongArray());
            float[] got = new float[(int) img.size()];
            int i = 0;
            for (FloatType t : Views.flatIterable(back.data())) got[i++] = t.get();
            float[] want = new float[got.length];
            i = 0;
            for (FloatType t : Views.flatIterable(img)) want[i++] = t.get();
            assertArrayEquals(want, got, 0f);
            // the affine as stored: float32 sform of the original, bit for bit
            for (int k = 0; k < 12; k++) assertEquals((float) a[k], (float) back.geometry().affine()[k], 0f, "affine[" + k + "]");
        }
    }
}
