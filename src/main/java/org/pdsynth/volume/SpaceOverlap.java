package org.pdsynth.volume;

import java.util.Locale;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.Geometry;

/**
 * Is an input in the model's space? The model works on a fixed world grid (MNI); an input that is
 * not registered to it (a native-space scan, an fMRI shifted by centimetres) resamples to a
 * partly blank volume and gives a mostly blank synthesis without any error. Two fractions in world
 * space:
 * <ul>
 *   <li>{@link #insideGrid}: the share of the input's own brain (its data mask on its own grid)
 *       whose voxel centres lie inside the model grid's field of view: a warning below
 *       {@link #WARN}, refused below {@link #REFUSE} ({@link #check}), naming the input and the
 *       fraction;
 *   <li>{@link #coverage}: the share of a reference brain on the model grid (the model's atlas)
 *       that the input's brain mask covers: a warning below {@link #WARN} ({@link #warn}). Only a
 *       warning, because a partial field of view (a slab, a small test volume) is a legitimate
 *       input that covers little of the atlas while lying exactly where it should.
 * </ul>
 * Registering the input to the model's space first (FSL {@code flirt}/{@code applywarp}, ANTs
 * {@code antsApplyTransforms}) fixes both.
 *
 * <p>Measured with the shipped demo model (AAL atlas, 4 mm MNI grid) on phantom subjects
 * ({@code pds simulate --subjects 3 --seed 3}): registered fMRI and DWI inputs cover 0.79 to 0.95
 * of the atlas brain with all of their brain inside the grid; the same fMRI shifted by 40 mm
 * covers 0.51 (warned), by 70 mm 0.29 (warned; 73% of its brain inside the grid), by 120 mm
 * 0.03 (refused: 24% inside the grid); a native-space copy (origin at the corner) 0.0 (refused:
 * 18% inside).
 */
public final class SpaceOverlap {
    /** Below this fraction a warning names the input. */
    public static final double WARN = 0.7;
    /** Below this fraction the input is refused. */
    public static final double REFUSE = 0.5;

    private SpaceOverlap() {}

    /**
     * The fraction of the brain of {@code channels} (x, y, z[, c] on the grid of {@code geometry};
     * {@link BrainMask#fromData}) whose voxel centres map inside {@code grid}; 1 when no brain can
     * be found in the data (nothing to judge: later steps report it).
     */
    public static double insideGrid(RandomAccessibleInterval<FloatType> channels, Geometry geometry, Grid grid, String source) {
        BrainMask brain;
        try {
            brain = BrainMask.fromData(channels, source);
        } catch (IllegalArgumentException e) {
            return 1;
        }
        double[] inv = Geometry.invert(grid.geometry().affine());
        double[] a = geometry.affine();
        long[] d = brain.dims(), g = grid.dims();
        long in = 0;
        int i = 0;
        for (long z = 0; z < d[2]; z++)
            for (long y = 0; y < d[1]; y++)
                for (long x = 0; x < d[0]; x++, i++) {
                    if (!brain.contains(i)) continue;
                    double wx = a[0] * x + a[1] * y + a[2] * z + a[3], wy = a[4] * x + a[5] * y + a[6] * z + a[7],
                            wz = a[8] * x + a[9] * y + a[10] * z + a[11];
                    double u = inv[0] * wx + inv[1] * wy + inv[2] * wz + inv[3], v = inv[4] * wx + inv[5] * wy + inv[6] * wz + inv[7],
                            w = inv[8] * wx + inv[9] * wy + inv[10] * wz + inv[11];
                    if (u > -0.5 && u < g[0] - 0.5 && v > -0.5 && v < g[1] - 0.5 && w > -0.5 && w < g[2] - 0.5) in++;
                }
        return (double) in / brain.count();
    }

    /**
     * The fraction of the {@code reference} voxels (true = brain, on the mask's grid, same order)
     * that {@code input} contains; 1 for an empty reference.
     */
    public static double coverage(BrainMask input, boolean[] reference) {
        if (reference.length != input.size())
            throw new IllegalArgumentException("reference has " + reference.length + " voxels, the mask " + input.size());
        long ref = 0, both = 0;
        for (int i = 0; i < reference.length; i++)
            if (reference[i]) {
                ref++;
                if (input.contains(i)) both++;
            }
        return ref == 0 ? 1 : (double) both / ref;
    }

    /**
     * Refuses ({@link IllegalArgumentException}) below {@link #REFUSE}, warns on stderr below
     * {@link #WARN}.
     *
     * @param what completes "SOURCE: 42% WHAT", e.g. "of its brain lies inside the model grid"
     */
    public static void check(double fraction, String source, String what) {
        if (fraction < REFUSE) throw new IllegalArgumentException(message(fraction, source, what));
        warn(fraction, source, what);
    }

    /** Warns on stderr below {@link #WARN}. */
    public static void warn(double fraction, String source, String what) {
        if (fraction < WARN) System.err.println("warning: " + message(fraction, source, what));
    }

    private static String message(double fraction, String source, String what) {
        return String.format(Locale.ROOT, "%s: %.0f%% %s; is it registered to the model's space (MNI)? Register it first"
                + " (FSL flirt/applywarp, ANTs antsApplyTransforms)", source, 100 * fraction, what);
    }
}
