package org.pdsynth.volume;

/**
 * 3-D binary image operations with 6-connectivity (voxels sharing a face). Masks are boolean
 * arrays with x fastest and dims (nx, ny, nz).
 */
public final class BinaryComponents {
    private BinaryComponents() {}

    /**
     * The largest 6-connected component of {@code mask} (a new array; all false when the mask is
     * empty). Of equally large components, the one reached first in flat order wins.
     */
    public static boolean[] largest(boolean[] mask, long[] dims) {
        int[] label = new int[mask.length];
        int[] queue = new int[mask.length];
        int best = 0, bestSize = 0, next = 0;
        for (int i = 0; i < mask.length; i++) {
            if (!mask[i] || label[i] != 0) continue;
            int size = flood(mask, true, label, ++next, i, queue, dims);
            if (size > bestSize) {
                bestSize = size;
                best = next;
            }
        }
        boolean[] out = new boolean[mask.length];
        if (best == 0) return out;
        for (int i = 0; i < mask.length; i++) out[i] = label[i] == best;
        return out;
    }

    /**
     * {@code mask} with its holes filled: background voxels not 6-connected to the volume's
     * border through background become foreground (a new array).
     */
    public static boolean[] fillHoles(boolean[] mask, long[] dims) {
        int nx = (int) dims[0], ny = (int) dims[1], nz = (int) dims[2];
        int[] label = new int[mask.length];
        int[] queue = new int[mask.length];
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++) {
                    if (x != 0 && y != 0 && z != 0 && x != nx - 1 && y != ny - 1 && z != nz - 1) continue;
                    int i = (z * ny + y) * nx + x;
                    if (!mask[i] && label[i] == 0) flood(mask, false, label, 1, i, queue, dims);
                }
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) out[i] = mask[i] || label[i] == 0;
        return out;
    }

    /** Labels the 6-connected region of voxels equal to {@code value} around {@code seed}; returns its size. */
    private static int flood(boolean[] mask, boolean value, int[] label, int id, int seed, int[] queue, long[] dims) {
        int nx = (int) dims[0], ny = (int) dims[1], nz = (int) dims[2];
        int nxy = nx * ny;
        int head = 0, tail = 0;
        queue[tail++] = seed;
        label[seed] = id;
        while (head < tail) {
            int i = queue[head++];
            int x = i % nx, y = (i / nx) % ny, z = i / nxy;
            if (x > 0) tail = visit(mask, value, label, id, i - 1, queue, tail);
            if (x < nx - 1) tail = visit(mask, value, label, id, i + 1, queue, tail);
            if (y > 0) tail = visit(mask, value, label, id, i - nx, queue, tail);
            if (y < ny - 1) tail = visit(mask, value, label, id, i + nx, queue, tail);
            if (z > 0) tail = visit(mask, value, label, id, i - nxy, queue, tail);
            if (z < nz - 1) tail = visit(mask, value, label, id, i + nxy, queue, tail);
        }
        return tail;
    }

    private static int visit(boolean[] mask, boolean value, int[] label, int id, int j, int[] queue, int tail) {
        if (mask[j] == value && label[j] == 0) {
            label[j] = id;
            queue[tail++] = j;
        }
        return tail;
    }
}
