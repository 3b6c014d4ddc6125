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
 * Converts between our volumes (ImgLib2 float image on axes x, y, z[, t|c] in NIfTI voxel order
 * plus {@link Geometry}) and native ImageJ hyperstacks (an ImageStack of FloatProcessors in
 * ImageJ's XYCZT order), shown the way neuroimaging viewers show the file.
 *
 * <p><b>Display convention</b> (nibabel's closest-canonical RAS drawn with y up, MRIcron's
 * nearest-orthogonal view without its left-right mirror; FSLeyes shows the same picture mirrored
 * left-right, as its {@code radioOrientation} defaults to true): the voxel
 * axes are permuted and flipped, never resampled, so that image columns run along world +x
 * (subject left on the left of the screen, "neurological"), image rows run from anterior (top) to
 * posterior (world -y), and slices run from inferior (slice 1) to superior (world +z). Each world
 * axis takes the voxel axis closest to it (the permutation maximising the summed |cosines| of the
 * affine's columns), as MRIcron's nearest-orthogonal reorientation does. Fiji's own NIfTI openers
 * (Nifti_Reader of nifti_io, Bio-Formats' NiftiReader) show the voxel order as stored instead
 * (row 0 = j = 0 at the top, so posterior at the top for the usual RAS/LAS files) and leave the
 * calibration origin at 0: see docs/fiji.md, "Orientation".
 *
 * <p><b>Coordinates.</b> The calibration holds the voxel sizes and unit, and an origin with
 * {@link Calibration#setInvertY inverted y} chosen so that ImageJ's status bar reads world
 * millimetres: x = world x, y = world y, z = world z of the voxel centre. Exact for affines
 * without rotation (as MNI-registered data, DESIGN 3); for oblique affines they are the
 * coordinates of the nearest orthogonal grid. The full geometry travels as the ImagePlus property
 * {@value #GEOMETRY_PROPERTY} (and as text in the image Info), so converting back restores the
 * voxel order and the affine exactly, bit for bit.
 */
public final class ImagePlusConverter {
    public static final String GEOMETRY_PROPERTY = "PDS.Geometry";

    public enum FourthAxis { TIME, CHANNEL }

    private ImagePlusConverter() {}

    /**
     * How voxel axes map to display axes: display axis d (0 columns, 1 rows, 2 slices) is voxel
     * axis {@code axis[d]}, read backwards when {@code flip[d]}.
     */
    record Display(int[] axis, boolean[] flip) {
        static final Display IDENTITY = new Display(new int[] {0, 1, 2}, new boolean[3]);

        /** The display of an affine (4x4 row-major): columns +x, rows -y, slices +z. */
        static Display of(double[] a) {
            double[][] cos = new double[3][3];
            for (int v = 0; v < 3; v++) {
                double n = Math.sqrt(a[v] * a[v] + a[4 + v] * a[4 + v] + a[8 + v] * a[8 + v]);
                for (int w = 0; w < 3; w++) cos[w][v] = n > 0 ? a[4 * w + v] / n : (w == v ? 1 : 0);
            }
            int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
            int[] best = perms[0];
            double bestScore = -1;
            for (int[] p : perms) {
                double s = Math.abs(cos[0][p[0]]) + Math.abs(cos[1][p[1]]) + Math.abs(cos[2][p[2]]);
                if (s > bestScore + 1e-12) {
                    bestScore = s;
                    best = p;
                }
            }
            return new Display(best.clone(), new boolean[] {cos[0][best[0]] < 0, cos[1][best[1]] > 0, cos[2][best[2]] < 0});
        }

        /** Display coordinate d of voxel index {@code idx} on a grid of {@code dims}. */
        long coord(int d, long[] idx, long[] dims) {
            long i = idx[axis[d]];
            return flip[d] ? dims[axis[d]] - 1 - i : i;
        }
    }

    /** A hyperstack of the volume (3-D or 4-D) with calibration; 1x1 planes allowed. */
    public static ImagePlus toImagePlus(RandomAccessibleInterval<FloatType> data, Geometry g, String title, FourthAxis axis) {
        int nd = data.numDimensions();
        if (nd < 2 || nd > 4) throw new IllegalArgumentException(title + ": only 2-D to 4-D images convert to a hyperstack, got " + nd + "-D");
        long[] dims = {data.dimension(0), data.dimension(1), nd > 2 ? data.dimension(2) : 1};
        int n4 = nd > 3 ? (int) data.dimension(3) : 1;
        Display disp = Display.of(g.affine());
        int w = (int) dims[disp.axis()[0]], h = (int) dims[disp.axis()[1]], nz = (int) dims[disp.axis()[2]];
        int nc = axis == FourthAxis.CHANNEL ? n4 : 1, nt = axis == FourthAxis.TIME ? n4 : 1;
        float[][] planes = new float[nz * n4][w * h];
        Cursor<FloatType> c = Views.flatIterable(data).cursor();
        long[] idx = new long[3];
        for (int q = 0; q < n4; q++)
            for (idx[2] = 0; idx[2] < dims[2]; idx[2]++)
                for (idx[1] = 0; idx[1] < dims[1]; idx[1]++)
                    for (idx[0] = 0; idx[0] < dims[0]; idx[0]++) {
                        int col = (int) disp.coord(0, idx, dims), row = (int) disp.coord(1, idx, dims), s = (int) disp.coord(2, idx, dims);
                        planes[q * nz + s][row * w + col] = c.next().get();
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
        imp.setCalibration(calibration(g, disp, dims));
        imp.setProperty(GEOMETRY_PROPERTY, g);
        imp.setProperty(GEOMETRY_PROPERTY + ".dims", new long[] {w, h, nz});
        imp.setProperty("Info", "PDS geometry: " + g + "\nDisplay: columns +x (left to right), rows anterior to posterior, "
                + "slices inferior to superior; status bar x, y, z in world " + g.spatialUnit() + "\n");
        imp.resetDisplayRange();
        return imp;
    }

    /** Voxel sizes and an origin (y inverted) that make ImageJ's x, y, z read world coordinates. */
    private static Calibration calibration(Geometry g, Display disp, long[] dims) {
        Calibration cal = new Calibration();
        double[] vs = g.voxelSize();
        cal.pixelWidth = vs[disp.axis()[0]];
        cal.pixelHeight = vs[disp.axis()[1]];
        cal.pixelDepth = vs[disp.axis()[2]];
        cal.setUnit(g.spatialUnit().equals("unknown") ? "pixel" : g.spatialUnit());
        // world position of the display voxel (0, 0, 0): column 0, top row, first slice
        double[] first = new double[3];
        for (int d = 0; d < 3; d++) first[disp.axis()[d]] = disp.flip()[d] ? dims[disp.axis()[d]] - 1 : 0;
        double[] p = g.voxelToWorld(first[0], first[1], first[2]);
        cal.setInvertY(true);
        cal.xOrigin = -p[0] / cal.pixelWidth;
        // ImageJ reads yOrigin == 0 as "no origin" (y = height - 1 - row); a top row at world y = 0
        // gets an origin one ulp away from 0, which reads the same to the printed digits
        cal.yOrigin = p[1] == 0 ? Double.MIN_NORMAL : p[1] / cal.pixelHeight;
        cal.zOrigin = -p[2] / cal.pixelDepth;
        if (!Double.isNaN(g.tr())) {
            cal.frameInterval = g.tr();
            cal.setTimeUnit("s");
        }
        return cal;
    }

    /**
     * The volume of a hyperstack, axes (x, y, z[, c or t]) in the voxel order of
     * {@link #geometry(ImagePlus)}: a 4th axis exists when the image has several channels or
     * several frames (not both). With the stored geometry property (and the size it describes) the
     * display permutation is undone, giving back the NIfTI voxel order; without it the image is
     * taken as displayed.
     */
    public static Img<FloatType> toImg(ImagePlus imp) {
        int w = imp.getWidth(), h = imp.getHeight(), nc = imp.getNChannels(), nz = imp.getNSlices(), nt = imp.getNFrames();
        if (nc > 1 && nt > 1)
            throw new IllegalArgumentException(imp.getTitle() + ": has both channels (" + nc + ") and frames (" + nt + "); expected one 4th axis");
        int n4 = Math.max(nc, nt);
        Display disp = storedGeometry(imp) != null ? Display.of(storedGeometry(imp).affine()) : Display.IDENTITY;
        long[] dims = new long[3];
        dims[disp.axis()[0]] = w;
        dims[disp.axis()[1]] = h;
        dims[disp.axis()[2]] = nz;
        Img<FloatType> img = n4 > 1 ? ArrayImgs.floats(dims[0], dims[1], dims[2], n4) : ArrayImgs.floats(dims[0], dims[1], dims[2]);
        Cursor<FloatType> c = Views.flatIterable(img).cursor();
        ImageStack stack = imp.getStack();
        long[] idx = new long[3];
        for (int q = 0; q < n4; q++) {
            float[][] planes = new float[nz][];
            for (int z = 0; z < nz; z++) {
                int ch = nc > 1 ? q + 1 : 1, t = nt > 1 ? q + 1 : 1;
                planes[z] = (float[]) stack.getProcessor(imp.getStackIndex(ch, z + 1, t)).convertToFloat().getPixels();
            }
            for (idx[2] = 0; idx[2] < dims[2]; idx[2]++)
                for (idx[1] = 0; idx[1] < dims[1]; idx[1]++)
                    for (idx[0] = 0; idx[0] < dims[0]; idx[0]++) {
                        int col = (int) disp.coord(0, idx, dims), row = (int) disp.coord(1, idx, dims), s = (int) disp.coord(2, idx, dims);
                        c.next().set(planes[s][row * w + col]);
                    }
        }
        return img;
    }

    /**
     * The geometry of a hyperstack (see {@link #toImg}): the stored property when present and its
     * grid matches the image's size; else an axis-aligned affine from the calibration in display
     * order (voxel sizes and origin; y pointing up the screen when the calibration inverts y, as
     * ours does).
     */
    public static Geometry geometry(ImagePlus imp) {
        Geometry stored = storedGeometry(imp);
        if (stored != null) return stored;
        Calibration cal = imp.getCalibration();
        double ySign = cal.getInvertY() ? -1 : 1;
        double yOff = cal.getInvertY() ? cal.yOrigin * cal.pixelHeight : -cal.yOrigin * cal.pixelHeight;
        double[] a = {cal.pixelWidth, 0, 0, -cal.xOrigin * cal.pixelWidth, 0, ySign * cal.pixelHeight, 0, yOff,
            0, 0, cal.pixelDepth, -cal.zOrigin * cal.pixelDepth, 0, 0, 0, 1};
        double tr = imp.getNFrames() > 1 && cal.frameInterval > 0 ? cal.frameInterval : Double.NaN;
        return Geometry.ofAffine(a, Geometry.XFORM_ALIGNED, tr);
    }

    /** The {@value #GEOMETRY_PROPERTY} of the image when its displayed size fits it, else null. */
    private static Geometry storedGeometry(ImagePlus imp) {
        if (!(imp.getProperty(GEOMETRY_PROPERTY) instanceof Geometry g)) return null;
        Object dims = imp.getProperty(GEOMETRY_PROPERTY + ".dims");
        long[] shown = {imp.getWidth(), imp.getHeight(), imp.getNSlices()};
        if (dims instanceof long[] d && !java.util.Arrays.equals(d, shown)) return null;
        return g;
    }
}
