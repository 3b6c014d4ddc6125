package org.pdsynth.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.pdsynth.nifti.Geometry;

/**
 * Converts between our volumes (ImgLib2 float image on axes x, y, z[, t|c] plus {@link Geometry})
 * and native ImageJ hyperstacks (an ImageStack of FloatProcessors in ImageJ's XYCZT order).
 *
 * <p>The 4th axis becomes ImageJ frames ({@link FourthAxis#TIME}: fMRI, TR as frame interval) or
 * channels ({@link FourthAxis#CHANNEL}: aligned N-channel volumes, DWI volumes). Calibration holds
 * the voxel sizes and unit, the origin in voxels of world (0,0,0) for axis-aligned affines; the
 * full geometry travels as the ImagePlus property {@value #GEOMETRY_PROPERTY} (and as text in the
 * image Info), so converting back restores it exactly while the image stays in memory.
 */
public final class ImagePlusConverter {
    public static final String GEOMETRY_PROPERTY = "PDS.Geometry";

    public enum FourthAxis { TIME, CHANNEL }

    private ImagePlusConverter() {}

    /** A hyperstack of the volume (3-D or 4-D) with calibration; 1x1 planes allowed. */
    public static ImagePlus toImagePlus(RandomAccessibleInterval<FloatType> data, Geometry g, String title, FourthAxis axis) {
        int nd = data.numDimensions();
        if (nd < 2 || nd > 4) throw new IllegalArgumentException(title + ": only 2-D to 4-D images convert to a hyperstack, got " + nd + "-D");
        int w = (int) data.dimension(0), h = (int) data.dimension(1);
        int nz = nd > 2 ? (int) data.dimension(2) : 1, n4 = nd > 3 ? (int) data.dimension(3) : 1;
        int nc = axis == FourthAxis.CHANNEL ? n4 : 1, nt = axis == FourthAxis.TIME ? n4 : 1;
        float[][] planes = new float[nz * n4][w * h];
        Cursor<FloatType> c = Views.flatIterable(data).cursor();
        for (int q = 0; q < n4; q++)
            for (int z = 0; z < nz; z++) {
                float[] p = planes[q * nz + z];
                for (int i = 0; i < p.length; i++) p[i] = c.next().get();
            }
        ImageStack stack = new ImageStack(w, h);
        // ImageJ order: channel fastest, then slice, then frame
        for (int t = 0; t < nt; t++)
            for (int z = 0; z < nz; z++)
                for (int ch = 0; ch < nc; ch++) {
                    int q = axis == FourthAxis.CHANNEL ? ch : t;
                    stack.addSlice(null, new FloatProcessor(w, h, planes[q * nz + z]));
                }
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setDimensions(nc, nz, nt);
        if (nc > 1 || nt > 1) imp.setOpenAsHyperStack(true);
        imp.setCalibration(calibration(g));
        imp.setProperty(GEOMETRY_PROPERTY, g);
        imp.setProperty("Info", "PDS geometry: " + g + "\n");
        imp.resetDisplayRange();
        return imp;
    }

    private static Calibration calibration(Geometry g) {
        Calibration cal = new Calibration();
        double[] vs = g.voxelSize();
        cal.pixelWidth = vs[0];
        cal.pixelHeight = vs[1];
        cal.pixelDepth = vs[2];
        cal.setUnit(g.spatialUnit().equals("unknown") ? "pixel" : g.spatialUnit());
        double[] inv = g.inverseAffine();
        cal.xOrigin = inv[3];
        cal.yOrigin = inv[7];
        cal.zOrigin = inv[11];
        if (!Double.isNaN(g.tr())) {
            cal.frameInterval = g.tr();
            cal.setTimeUnit("s");
        }
        return cal;
    }

    /**
     * The volume of a hyperstack, axes (x, y, z[, c or t]): a 4th axis exists when the image has
     * several channels or several frames (not both). Geometry: the stored property when present,
     * else a diagonal affine from the calibration (voxel sizes and origin).
     */
    public static Img<FloatType> toImg(ImagePlus imp) {
        int w = imp.getWidth(), h = imp.getHeight(), nc = imp.getNChannels(), nz = imp.getNSlices(), nt = imp.getNFrames();
        if (nc > 1 && nt > 1)
            throw new IllegalArgumentException(imp.getTitle() + ": has both channels (" + nc + ") and frames (" + nt + "); expected one 4th axis");
        int n4 = Math.max(nc, nt);
        Img<FloatType> img = n4 > 1 ? ArrayImgs.floats(w, h, nz, n4) : ArrayImgs.floats(w, h, nz);
        Cursor<FloatType> c = Views.flatIterable(img).cursor();
        ImageStack stack = imp.getStack();
        for (int q = 0; q < n4; q++)
            for (int z = 0; z < nz; z++) {
                int ch = nc > 1 ? q + 1 : 1, t = nt > 1 ? q + 1 : 1;
                float[] p = (float[]) stack.getProcessor(imp.getStackIndex(ch, z + 1, t)).convertToFloat().getPixels();
                for (float v : p) c.next().set(v);
            }
        return img;
    }

    /** The geometry of a hyperstack (see {@link #toImg}). */
    public static Geometry geometry(ImagePlus imp) {
        if (imp.getProperty(GEOMETRY_PROPERTY) instanceof Geometry g) return g;
        Calibration cal = imp.getCalibration();
        double[] a = {cal.pixelWidth, 0, 0, -cal.xOrigin * cal.pixelWidth, 0, cal.pixelHeight, 0, -cal.yOrigin * cal.pixelHeight,
            0, 0, cal.pixelDepth, -cal.zOrigin * cal.pixelDepth, 0, 0, 0, 1};
        double tr = imp.getNFrames() > 1 && cal.frameInterval > 0 ? cal.frameInterval : Double.NaN;
        return Geometry.ofAffine(a, Geometry.XFORM_ALIGNED, tr);
    }
}
