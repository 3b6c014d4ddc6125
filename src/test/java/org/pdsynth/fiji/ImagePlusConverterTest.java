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
        // voxel (x=4, y=1, z=2, t=5) in ImageJ's 1-based (c, z, t) addressing
        imp.setPosition(1, 3, 6);
        assertEquals(4 + 10 + 200 + 5000, imp.getProcessor().getf(4, 1), 0);
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
        assertEquals(3 + 20 + 100 + 6000, imp.getProcessor().getf(3, 2), 0);
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
        assertArrayEquals(g.affine(), ImagePlusConverter.geometry(imp).affine(), 1e-12);
        RandomAccess<FloatType> ra = ImagePlusConverter.toImg(imp).randomAccess();
        ra.setPosition(new long[] {3, 2, 1});
        assertEquals(3 + 20 + 100, ra.get().get(), 0);
    }

    @Test
    void refusesChannelsAndFramesTogether() {
        ImagePlus imp = ij.IJ.createHyperStack("both", 4, 4, 2, 3, 2, 32);
        assertThrows(IllegalArgumentException.class, () -> ImagePlusConverter.toImg(imp));
    }
}
