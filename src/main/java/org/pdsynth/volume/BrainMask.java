package org.pdsynth.volume;

import java.util.Arrays;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.Geometry;

/**
 * A binary brain mask on a 3-D grid: one boolean per voxel, x fastest (flat index
 * x + nx (y + ny z)). Immutable.
 *
 * <p>{@link #fromData} rule, in order:
 * <ol>
 *   <li>the voxelwise mean over channels (a 3-D input is its own mean);
 *   <li>Gaussian smoothing, sigma {@value #SMOOTHING_SIGMA} voxel ({@link GaussianSmoothing});
 *   <li>Otsu threshold of the smoothed volume, 256 bins ({@link Otsu}); inside = value &gt; threshold;
 *   <li>the largest 6-connected component ({@link BinaryComponents#largest});
 *   <li>holes filled: enclosed background becomes brain ({@link BinaryComponents#fillHoles}).
 * </ol>
 * {@link #fromImage} takes a given mask or label image, resamples it nearest-neighbour onto the
 * grid and keeps voxels with value &gt;= 0.5 (so 0/1 masks, labels 1..K, and probability maps
 * thresholded at one half).
 */
public final class BrainMask {
    /** Smoothing before the Otsu threshold, in voxels. */
    public static final double SMOOTHING_SIGMA = 1.0;

    private final long[] dims;
    private final boolean[] inside;
    private final int count;

    private BrainMask(long[] dims, boolean[] inside) {
        this.dims = dims;
        this.inside = inside;
        int n = 0;
        for (boolean b : inside) if (b) n++;
        this.count = n;
    }

    /** A mask over dims (nx, ny, nz) from a flat boolean array (copied). */
    public static BrainMask of(long[] dims, boolean[] inside) {
        if (dims.length != 3) throw new IllegalArgumentException("a mask has 3 dims, got " + dims.length);
        if ((long) inside.length != dims[0] * dims[1] * dims[2])
            throw new IllegalArgumentException("mask dims " + Arrays.toString(dims) + " do not match " + inside.length + " voxels");
        return new BrainMask(dims.clone(), inside.clone());
    }

    /** A mask of every voxel of the grid. */
    public static BrainMask all(Grid grid) {
        boolean[] in = new boolean[VolumeArrays.toInt(grid.size(), "grid")];
        Arrays.fill(in, true);
        return new BrainMask(grid.dims(), in);
    }

    /**
     * The brain mask of a volume (x, y, z) or (x, y, z, c), by the rule in the class comment.
     *
     * @throws IllegalArgumentException when the data are constant or not finite anywhere
     *     (nothing to separate); {@code source} names the data
     */
    public static BrainMask fromData(RandomAccessibleInterval<FloatType> volume, String source) {
        long[] d = VolumeArrays.dims(volume);
        if (d.length != 3 && d.length != 4) throw new IllegalArgumentException(source + ": mask from a 3-D or 4-D volume, got " + d.length + "-D");
        long[] d3 = {d[0], d[1], d[2]};
        int v = VolumeArrays.toInt(d[0] * d[1] * d[2], source);
        int channels = d.length == 4 ? (int) d[3] : 1;
        float[] data = VolumeArrays.shared(volume);
        float[] mean = new float[v];
        for (int i = 0; i < v; i++) {
            double s = 0;
            for (int c = 0; c < channels; c++) s += data[c * v + i];
            mean[i] = (float) (s / channels);
        }
        double[] smooth = GaussianSmoothing.smooth(mean, d3, SMOOTHING_SIGMA);
        double t = Otsu.threshold(smooth, Otsu.DEFAULT_BINS);
        boolean[] in = new boolean[v];
        for (int i = 0; i < v; i++) in[i] = smooth[i] > t;
        in = BinaryComponents.fillHoles(BinaryComponents.largest(in, d3), d3);
        BrainMask m = new BrainMask(d3, in);
        if (m.count == 0) throw new IllegalArgumentException(source + ": no brain found (the data are constant)");
        return m;
    }

    /** A given mask image (3-D, or 4-D with one volume), resampled nearest onto {@code grid}, inside where &gt;= 0.5. */
    public static BrainMask fromImage(RandomAccessibleInterval<FloatType> mask, Geometry geometry, Grid grid, String source) {
        RandomAccessibleInterval<FloatType> m3 = mask;
        if (mask.numDimensions() == 4 && mask.dimension(3) == 1) m3 = net.imglib2.view.Views.hyperSlice(mask, 3, mask.min(3));
        if (m3.numDimensions() != 3)
            throw new IllegalArgumentException(source + ": a mask must be 3-D, got dims " + Arrays.toString(VolumeArrays.dims(mask)));
        Img<FloatType> r;
        try {
            r = Resampler.nearest(m3, geometry, grid);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        float[] a = VolumeArrays.shared(r);
        boolean[] in = new boolean[a.length];
        for (int i = 0; i < a.length; i++) in[i] = a[i] >= 0.5f;
        BrainMask b = new BrainMask(grid.dims(), in);
        if (b.count == 0) throw new IllegalArgumentException(source + ": the mask is empty on the model grid");
        return b;
    }

    public long[] dims() {
        return dims.clone();
    }

    /** Number of voxels inside. */
    public int count() {
        return count;
    }

    /** Number of voxels of the grid. */
    public int size() {
        return inside.length;
    }

    /** True when flat voxel {@code index} is inside. */
    public boolean contains(int index) {
        return inside[index];
    }

    public boolean contains(int x, int y, int z) {
        return inside[(int) ((z * dims[1] + y) * dims[0] + x)];
    }

    /** The flat boolean array (a copy). */
    public boolean[] toArray() {
        return inside.clone();
    }

    /** The mask as a float image (x, y, z), 1 inside and 0 outside, e.g. to write as NIfTI. */
    public Img<FloatType> toImg() {
        float[] f = new float[inside.length];
        for (int i = 0; i < f.length; i++) f[i] = inside[i] ? 1 : 0;
        return VolumeArrays.wrap(f, dims);
    }

    /** Dice overlap 2|A and B| / (|A| + |B|) with a mask on the same dims (1 for two empty masks). */
    public double dice(BrainMask o) {
        if (!Arrays.equals(dims, o.dims)) throw new IllegalArgumentException("masks differ in dims: " + Arrays.toString(dims)
                + " vs " + Arrays.toString(o.dims));
        long both = 0;
        for (int i = 0; i < inside.length; i++) if (inside[i] && o.inside[i]) both++;
        return count + o.count == 0 ? 1 : 2.0 * both / (count + o.count);
    }
}
