package org.pdsynth.model;

import java.util.Arrays;

/**
 * An atlas of K regions on the model grid, as the area-fraction matrices M (K x V_l) the
 * pattern-aware module uses at each U-Net level l. Plain Java, no DJL.
 *
 * <p>Input: one region ordinal per voxel of the model grid (Z, Y, X) in flat order, x fastest
 * ({@code x + X (y + Y z)}), in 0..K-1, or -1 for background.
 *
 * <p>Level l has the grid the U-Net has after l downsamplings: every axis ceil-halved l times,
 * n_l = ceil(n / 2^l) ({@link Downsample3d#outSize}). Coarse voxel i of an axis covers the fine
 * voxels j with floor(j / 2^l) = i, exactly the voxels {@link Upsample3d}'s nearest x2 (repeated
 * l times, cropped at the high end) copies coarse voxel i to; the last block of an axis whose size
 * is not a multiple of 2^l is cut short (e.g. 7 voxels at level 1: blocks {0,1} {2,3} {4,5} {6}).
 * {@code M[k][v]} = (fine voxels of block v in region k) / (fine voxels in block v), so each
 * column sums to the block's non-background fraction (1 inside the brain, less at its edge).
 * Immutable.
 */
public final class RegionFractions {
    private final int regions;
    private final int[] gridZYX;
    private final int[] regionOf;

    private RegionFractions(int[] regionOf, int regions, int[] gridZYX) {
        this.regionOf = regionOf;
        this.regions = regions;
        this.gridZYX = gridZYX;
    }

    /**
     * @param regionOf one ordinal per voxel (copied): 0..regions-1, or -1 for background
     * @param regions  K, the number of regions (some may have no voxel)
     * @param gridZYX  the model grid (Z, Y, X)
     * @throws IllegalArgumentException on a size mismatch or an ordinal out of range
     */
    public static RegionFractions of(int[] regionOf, int regions, int[] gridZYX) {
        if (regions < 1) throw new IllegalArgumentException("an atlas needs at least one region, got " + regions);
        if (gridZYX.length != 3) throw new IllegalArgumentException("grid must be (Z, Y, X), got " + Arrays.toString(gridZYX));
        long v = (long) gridZYX[0] * gridZYX[1] * gridZYX[2];
        if (regionOf.length != v) {
            throw new IllegalArgumentException("atlas has " + regionOf.length + " voxels, the model grid (Z,Y,X) "
                    + Arrays.toString(gridZYX) + " has " + v);
        }
        for (int r : regionOf) {
            if (r < -1 || r >= regions) throw new IllegalArgumentException("region ordinal " + r + " is not in -1.." + (regions - 1));
        }
        return new RegionFractions(regionOf.clone(), regions, gridZYX.clone());
    }

    /** K. */
    public int regions() {
        return regions;
    }

    /** The fine (level 0) grid (Z, Y, X). */
    public int[] gridZYX() {
        return gridZYX.clone();
    }

    /** Region ordinal of every fine voxel (a copy). */
    public int[] regionOf() {
        return regionOf.clone();
    }

    /** Grid (Z, Y, X) of level l: every axis ceil-halved l times. */
    public int[] levelGrid(int level) {
        int[] g = gridZYX.clone();
        for (int l = 0; l < level; l++) for (int a = 0; a < 3; a++) g[a] = (int) Downsample3d.outSize(g[a]);
        return g;
    }

    /** Voxels V_l of level l. */
    public int levelVoxels(int level) {
        int[] g = levelGrid(level);
        return g[0] * g[1] * g[2];
    }

    /** M of level l: K x V_l, row-major (region k's fractions are {@code [k * V_l, (k+1) * V_l)}). */
    public float[] fractions(int level) {
        if (level < 0 || level > 30) throw new IllegalArgumentException("level must be >= 0, got " + level);
        int[] c = levelGrid(level);
        int cv = c[0] * c[1] * c[2];
        int nz = gridZYX[0], ny = gridZYX[1], nx = gridZYX[2];
        int[] count = new int[regions * cv];
        int[] block = new int[cv];
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++) {
                    int v = ((z >> level) * c[1] + (y >> level)) * c[2] + (x >> level);
                    block[v]++;
                    int k = regionOf[(z * ny + y) * nx + x];
                    if (k >= 0) count[k * cv + v]++;
                }
        float[] m = new float[regions * cv];
        for (int k = 0; k < regions; k++)
            for (int v = 0; v < cv; v++) m[k * cv + v] = (float) count[k * cv + v] / block[v];
        return m;
    }
}
