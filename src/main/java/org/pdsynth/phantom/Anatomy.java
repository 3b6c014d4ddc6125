package org.pdsynth.phantom;

import org.pdsynth.volume.Grid;

/**
 * A brain on a grid: tissue fractions, region and tract labels and the fibre direction field.
 * Used for the template (MNI atlases or the procedural brain) and for each warped subject.
 *
 * <p>Conventions: arrays are indexed {@code x + nx * (y + ny * z)} (NIfTI storage order). Tissue
 * fractions (grey matter, white matter, CSF) are in [0, 1] and sum to at most 1 (the remainder is
 * outside the brain). Region labels index {@link #regionNames}, tract labels {@link #tractNames};
 * 0 = none. {@link #dir} holds 3 floats per voxel: a unit fibre direction in WORLD axes (x, y, z
 * of the grid's affine: mm, RAS+) for voxels with white matter, else (0, 0, 0).
 */
final class Anatomy {
    final Grid grid;
    final int nx, ny, nz, n;
    final float[] gm, wm, csf;
    final int[] region, tract;
    final float[] dir;
    final LabelTable regionNames, tractNames;
    /** Where the anatomy came from (for the cohort README). */
    final String description;

    Anatomy(Grid grid, float[] gm, float[] wm, float[] csf, int[] region, int[] tract, float[] dir,
            LabelTable regionNames, LabelTable tractNames, String description) {
        this.grid = grid;
        long[] d = grid.dims();
        this.nx = (int) d[0];
        this.ny = (int) d[1];
        this.nz = (int) d[2];
        this.n = nx * ny * nz;
        if (gm.length != n || wm.length != n || csf.length != n || region.length != n || tract.length != n || dir.length != 3 * n)
            throw new IllegalArgumentException("anatomy arrays do not match the grid " + grid);
        this.gm = gm;
        this.wm = wm;
        this.csf = csf;
        this.region = region;
        this.tract = tract;
        this.dir = dir;
        this.regionNames = regionNames;
        this.tractNames = tractNames;
        this.description = description;
    }

    /** Brain mask rule: tissue fractions summing to at least one half. */
    boolean inBrain(int i) {
        return gm[i] + wm[i] + csf[i] >= 0.5f;
    }
}
