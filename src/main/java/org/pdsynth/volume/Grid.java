package org.pdsynth.volume;

import java.util.Arrays;
import org.pdsynth.nifti.Geometry;

/**
 * A 3-D sampling grid in world space: voxel counts along ImgLib2 axes (x, y, z) and the
 * voxel-to-world geometry. Images "on the same grid" have equal dims and affine.
 *
 * <p>The MNI grids share the centre of the MNI152 2 mm box (world (0, -18, 18) mm) and its
 * orientation (x runs right to left, LAS voxel order, as FSL's MNI templates): voxel (0, 0, 0) is
 * at (90, -126, -72) mm on the 2 mm grid and (94, -128, -76) mm on the 4 mm grid.
 */
public record Grid(long[] dims, Geometry geometry) {
    /** FSL's MNI152 2 mm grid, 91 x 109 x 91. */
    public static final Grid MNI_2MM = mni(2, new long[] {91, 109, 91}, new double[] {90, -126, -72});
    /** The default model grid: 4 mm, 48 x 56 x 48, same centre as {@link #MNI_2MM}. */
    public static final Grid MNI_4MM = mni(4, new long[] {48, 56, 48}, new double[] {94, -128, -76});

    public Grid {
        if (dims.length != 3) throw new IllegalArgumentException("a grid has 3 dims, got " + dims.length);
        for (long d : dims) if (d < 1) throw new IllegalArgumentException("grid dims must be >= 1: " + Arrays.toString(dims));
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Number of voxels. */
    public long size() {
        return dims[0] * dims[1] * dims[2];
    }

    /** An axis-aligned MNI grid with isotropic voxels of {@code mm} and voxel 0 at {@code origin} (mm). */
    public static Grid mni(double mm, long[] dims, double[] origin) {
        double[] a = {-mm, 0, 0, origin[0], 0, mm, 0, origin[1], 0, 0, mm, origin[2], 0, 0, 0, 1};
        return new Grid(dims, Geometry.ofAffine(a, Geometry.XFORM_MNI, Double.NaN));
    }

    /** Grid by name: "2mm" or "4mm" (the MNI grids above). */
    public static Grid named(String name) {
        return switch (name) {
            case "2mm" -> MNI_2MM;
            case "4mm" -> MNI_4MM;
            default -> throw new IllegalArgumentException("unknown grid '" + name + "'; use 2mm or 4mm");
        };
    }

    /** True when dims are equal and affines agree within {@code tol} (mm). */
    public boolean sameAs(Grid o, double tol) {
        if (!Arrays.equals(dims, o.dims)) return false;
        double[] a = geometry.affine(), b = o.geometry.affine();
        for (int i = 0; i < 12; i++) if (Math.abs(a[i] - b[i]) > tol) return false;
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid g && Arrays.equals(g.dims, dims) && g.geometry.equals(geometry);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims) * 31 + geometry.hashCode();
    }

    @Override
    public String toString() {
        return "Grid" + Arrays.toString(dims) + " " + geometry;
    }
}
