package org.pdsynth.phantom;

import org.pdsynth.volume.Grid;

/** The 8 mm test grid: 24 x 28 x 24 voxels, same centre and orientation (LAS) as the MNI grids. */
final class TinyGrid {
    private TinyGrid() {}

    static final Grid MM8 = Grid.mni(8, new long[] {24, 28, 24}, new double[] {92, -126, -74});
}
