package org.pdsynth.volume;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.Geometry;

/**
 * Resampling of a 3-D volume (x, y, z) or a 4-D stack of them (x, y, z, c; each channel alike)
 * from its {@link Geometry} onto a target {@link Grid}, by affines only (no registration).
 *
 * <p>Conventions. Each target voxel centre (i, j, k) goes to world space by the target affine
 * and back to a continuous source voxel index p = A_src^-1 A_tgt (i, j, k, 1) (0-based, voxel
 * centres at integers). Coefficients of that 3x4 composite within 1e-9 of a multiple of 2^-16
 * are snapped to it, so an identity or a whole-voxel shift samples voxel centres exactly.
 *
 * <p>Boundary rule. A voxel is a box of side 1 around its centre, so the source covers
 * -0.5 &lt;= p &lt; n - 0.5 on each axis (a 1e-6 voxel tolerance at both ends). Target voxels
 * whose p falls outside get {@code fill}; inside, p is clamped to [0, n - 1] before
 * interpolation, i.e. the half-voxel rim repeats the edge voxels. Trilinear interpolation
 * weights the 8 neighbouring centres by (1 - f) or f per axis (f = p - floor p); nearest
 * neighbour takes index floor(p + 0.5) (halves round up) — use it for label images.
 *
 * <p>Resampling back (model grid to the subject's grid) is the same call with the roles swapped.
 * If no target voxel lands inside the source the grids do not overlap and an
 * {@link IllegalArgumentException} "mismatched grids with no affine overlap" names both.
 * Work is split over target z-slices with ImgLib2's {@link Parallelization} task executor
 * (multi-threaded by default; {@code Parallelization.runSingleThreaded} to opt out).
 */
public final class Resampler {
    /** How values between voxel centres are found. */
    public enum Interpolation { TRILINEAR, NEAREST }

    private static final double SNAP = 1 << 16;
    private static final double EDGE_TOL = 1e-6;

    private Resampler() {}

    /** Trilinear, fill 0. */
    public static Img<FloatType> trilinear(RandomAccessibleInterval<FloatType> source, Geometry sourceGeometry, Grid target) {
        return resample(source, sourceGeometry, target, Interpolation.TRILINEAR, 0f);
    }

    /** Nearest neighbour (labels, masks), fill 0. */
    public static Img<FloatType> nearest(RandomAccessibleInterval<FloatType> source, Geometry sourceGeometry, Grid target) {
        return resample(source, sourceGeometry, target, Interpolation.NEAREST, 0f);
    }

    /**
     * Resamples {@code source} (3-D, or 4-D with channels on axis 3) onto {@code target}.
     *
     * @return a new image with the target's (x, y, z) dims and the source's channel count
     */
    public static Img<FloatType> resample(RandomAccessibleInterval<FloatType> source, Geometry sourceGeometry, Grid target,
            Interpolation mode, float fill) {
        int nd = source.numDimensions();
        if (nd != 3 && nd != 4) throw new IllegalArgumentException("can resample 3-D or 4-D volumes, got " + nd + "-D");
        long[] sd = VolumeArrays.dims(source);
        Grid src = new Grid(new long[] {sd[0], sd[1], sd[2]}, sourceGeometry);
        int channels = nd == 4 ? VolumeArrays.toInt(sd[3], "source") : 1;
        long[] td = target.dims();
        int nx = (int) sd[0], ny = (int) sd[1], nz = (int) sd[2];
        int sv = VolumeArrays.toInt(sd[0] * sd[1] * sd[2], "source");
        int tx = VolumeArrays.toInt(td[0], "target"), ty = VolumeArrays.toInt(td[1], "target");
        int tz = VolumeArrays.toInt(td[2], "target");
        int tv = VolumeArrays.toInt(target.size(), "target");
        float[] in = VolumeArrays.shared(source);
        float[] out = new float[VolumeArrays.toInt((long) tv * channels, "target")];
        double[] m = composite(sourceGeometry, target.geometry());
        AtomicLong inside = new AtomicLong();
        List<Integer> slices = IntStream.range(0, tz).boxed().collect(Collectors.toList());
        Parallelization.getTaskExecutor().forEach(slices, k -> {
            long count = 0;
            for (int j = 0; j < ty; j++) {
                for (int i = 0; i < tx; i++) {
                    double px = m[0] * i + m[1] * j + m[2] * k + m[3];
                    double py = m[4] * i + m[5] * j + m[6] * k + m[7];
                    double pz = m[8] * i + m[9] * j + m[10] * k + m[11];
                    int o = (k * ty + j) * tx + i;
                    if (!inBox(px, nx) || !inBox(py, ny) || !inBox(pz, nz)) {
                        for (int c = 0; c < channels; c++) out[c * tv + o] = fill;
                        continue;
                    }
                    count++;
                    px = clamp(px, nx);
                    py = clamp(py, ny);
                    pz = clamp(pz, nz);
                    if (mode == Interpolation.NEAREST) {
                        int s = ((int) Math.min(Math.floor(pz + 0.5), nz - 1) * ny + (int) Math.min(Math.floor(py + 0.5), ny - 1)) * nx
                                + (int) Math.min(Math.floor(px + 0.5), nx - 1);
                        for (int c = 0; c < channels; c++) out[c * tv + o] = in[c * sv + s];
                        continue;
                    }
                    int x0 = (int) Math.floor(px), y0 = (int) Math.floor(py), z0 = (int) Math.floor(pz);
                    double fx = px - x0, fy = py - y0, fz = pz - z0;
                    int x1 = Math.min(x0 + 1, nx - 1), y1 = Math.min(y0 + 1, ny - 1), z1 = Math.min(z0 + 1, nz - 1);
                    int s000 = (z0 * ny + y0) * nx + x0, s100 = (z0 * ny + y0) * nx + x1;
                    int s010 = (z0 * ny + y1) * nx + x0, s110 = (z0 * ny + y1) * nx + x1;
                    int s001 = (z1 * ny + y0) * nx + x0, s101 = (z1 * ny + y0) * nx + x1;
                    int s011 = (z1 * ny + y1) * nx + x0, s111 = (z1 * ny + y1) * nx + x1;
                    double gx = 1 - fx, gy = 1 - fy, gz = 1 - fz;
                    for (int c = 0; c < channels; c++) {
                        int b = c * sv;
                        double v00 = in[b + s000] * gx + in[b + s100] * fx;
                        double v10 = in[b + s010] * gx + in[b + s110] * fx;
                        double v01 = in[b + s001] * gx + in[b + s101] * fx;
                        double v11 = in[b + s011] * gx + in[b + s111] * fx;
                        double v0 = v00 * gy + v10 * fy, v1 = v01 * gy + v11 * fy;
                        out[c * tv + o] = (float) (v0 * gz + v1 * fz);
                    }
                }
            }
            inside.addAndGet(count);
        });
        if (inside.get() == 0)
            throw new IllegalArgumentException("mismatched grids with no affine overlap: source " + src + " and target " + target
                    + " share no voxel in world space");
        return nd == 4 ? VolumeArrays.wrap(out, td[0], td[1], td[2], channels) : VolumeArrays.wrap(out, td[0], td[1], td[2]);
    }

    /**
     * The 3x4 map (row-major, 12 values) from target voxel indices to source voxel indices,
     * A_src^-1 A_tgt, with near-dyadic coefficients snapped (see the class comment).
     */
    public static double[] composite(Geometry source, Geometry target) {
        double[] inv = source.inverseAffine(), t = target.affine();
        double[] m = new double[12];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++) {
                double s = 0;
                for (int q = 0; q < 4; q++) s += inv[4 * r + q] * t[4 * q + c];
                double snapped = Math.rint(s * SNAP) / SNAP;
                m[4 * r + c] = Math.abs(s - snapped) <= 1e-9 ? snapped : s;
            }
        return m;
    }

    private static boolean inBox(double p, int n) {
        return p >= -0.5 - EDGE_TOL && p < n - 0.5 + EDGE_TOL;
    }

    private static double clamp(double p, int n) {
        return p < 0 ? 0 : p > n - 1 ? n - 1 : p;
    }
}
