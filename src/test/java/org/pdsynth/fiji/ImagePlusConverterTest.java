package org.pdsynth.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;
import org.pdsynth.fiji.ImagePlusConverter.FourthAxis;
import org.pdsynth.nifti.Geometry;

class ImagePlusConverterTest {
    /** value = x + 10 y + 100 z + 1000 q: every voxel says where it is. */
    private static Img<FloatType> coded(long... dims) {
        Img<FloatType> img = ArrayImgs.floats(dims);
        var c = img.localizingCursor();
        while (c.hasNext()) {
            c.fwd();
            float v = 0, f = 1;
            for (int d = 0; d < dims.length; d++, f *= 10) v += c.getLongPosition(d) * f;
            c.get().set(v);
        }
        return img;
    }

    private static float[] flat(Img<FloatType> img) {
        float[] v = new float[(int) img.size()];
        int i = 0;
        for (FloatType t : Views.flatIterable(img)) v[i++] = t.get();
        return v;
    }

    @Test
    void timeSeriesBecomeFramesWithCalibration() {
        Geometry g = Geometry.ofAffine(new double[] {-2, 0, 0, 90, 0, 2.5, 0, -126, 0, 0, 3, -72, 0, 0, 0, 1}, Geometry.XFORM_MNI, 2.0);
        Img<FloatType> img = coded(5, 4, 3, 6);
        ImagePlus imp = ImagePlusConverter.toImagePlus(img, g, "fmri", FourthAxis.TIME);
        assertEquals(1, imp.getNChannels());
        assertEquals(3, imp.getNSlices());
        assertEquals(6, imp.getNFrames());
        assertTrue(imp.isHyperStack());
        // voxel (i=4, j=1, k=2, t=5): the affine is LAS, so i = 4 is column 0 (world x grows to the right)
        // and j = 1 is row 4 - 1 - 1 = 2 (anterior at the top); ImageJ's (c, z, t) are 1-based
        imp.setPosition(1, 3, 6);
        assertEquals(4 + 10 + 200 + 5000, imp.getProcessor().getf(0, 2), 0);
        // the status bar reads world millimetres of that voxel: x = -2*4 + 90, y = 2.5*1 - 126, z = 3*2 - 72
        assertEquals(82, imp.getCalibration().getX(0), 1e-9);
        assertEquals(-123.5, imp.getCalibration().getY(2, imp.getHeight()), 1e-9);
        assertEquals(-66, imp.getCalibration().getZ(2), 1e-9);
        assertEquals(2.0, imp.getCalibration().pixelWidth);
        assertEquals(2.5, imp.getCalibration().pixelHeight);
        assertEquals(3.0, imp.getCalibration().pixelDepth);
        assertEquals("mm", imp.getCalibration().getUnit());
        assertEquals(2.0, imp.getCalibration().frameInterval);
        assertArrayEquals(flat(img), flat(ImagePlusConverter.toImg(imp)));
        assertEquals(g, ImagePlusConverter.geometry(imp));
    }

    @Test
    void alignedVolumesBecomeChannels() {
        Img<FloatType> img = coded(4, 3, 2, 8);
        ImagePlus imp = ImagePlusConverter.toImagePlus(img, Geometry.ofVoxelSize(4, 4, 4), "aligned", FourthAxis.CHANNEL);
        assertEquals(8, imp.getNChannels());
        assertEquals(2, imp.getNSlices());
        assertEquals(1, imp.getNFrames());
        imp.setPosition(7, 2, 1);
        // RAS: column 3 is i = 3, row 2 is j = 3 - 1 - 2 = 0, slice 2 is k = 1, channel 7 is q = 6
        assertEquals(3 + 0 + 100 + 6000, imp.getProcessor().getf(3, 2), 0);
        Img<FloatType> back = ImagePlusConverter.toImg(imp);
        assertArrayEquals(img.dimensionsAsLongArray(), back.dimensionsAsLongArray());
        assertArrayEquals(flat(img), flat(back));
    }

    @Test
    void geometryFromCalibrationWhenThePropertyIsGone() {
        Img<FloatType> img = coded(4, 3, 2);
        Geometry g = Geometry.ofAffine(new double[] {1.5, 0, 0, -3, 0, 2, 0, 4, 0, 0, 2.5, 5, 0, 0, 0, 1}, Geometry.XFORM_ALIGNED, Double.NaN);
        ImagePlus imp = ImagePlusConverter.toImagePlus(img, g, "v", FourthAxis.TIME);
        imp.setProperty(ImagePlusConverter.GEOMETRY_PROPERTY, null);
        // without the property the image is taken as displayed (row 0 = j = 2, the most anterior row) and
        // the calibration gives an affine that puts every displayed voxel at its original world position
        Geometry back = ImagePlusConverter.geometry(imp);
        for (int c = 0; c < 4; c++)
            for (int r = 0; r < 3; r++)
                for (int z = 0; z < 2; z++) assertArrayEquals(g.voxelToWorld(c, 2 - r, z), back.voxelToWorld(c, r, z), 1e-9);
        RandomAccess<FloatType> ra = ImagePlusConverter.toImg(imp).randomAccess();
        ra.setPosition(new long[] {3, 0, 1});
        assertEquals(3 + 20 + 100, ra.get().get(), 0);
    }

    @Test
    void refusesChannelsAndFramesTogether() {
        ImagePlus imp = ij.IJ.createHyperStack("both", 4, 4, 2, 3, 2, 32);
        assertThrows(IllegalArgumentException.class, () -> ImagePlusConverter.toImg(imp));
    }
}
