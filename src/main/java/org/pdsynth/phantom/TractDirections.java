package org.pdsynth.phantom;

import org.pdsynth.volume.SymmetricEigen3;

/**
 * Fibre directions from tract labels.
 *
 * <p>{@link #localAxes}: each labelled voxel's direction is the principal axis (largest-eigenvalue
 * eigenvector of the position covariance) of the voxels carrying the same label within a sphere
 * of the given radius: a tract is elongated along its fibres, so locally its label geometry points
 * along them. Labels whose geometry is a sheet rather than a tube (the corpus callosum parts, the
 * pontine crossing tract) get the fixed left-right direction instead.
 *
 * <p>{@link #fillWhiteMatter}: white matter outside every tract takes the direction of the nearest
 * tract voxel (breadth-first over 6-connected white-matter voxels, in index order, so the result
 * is deterministic).
 */
final class TractDirections {
    private TractDirections() {}

    /** True for tract names that get the fixed left-right (world x) direction. */
    static boolean leftRight(String name) {
        String n = name.toLowerCase();
        return n.contains("corpus_callosum") || n.contains("pontine_crossing");
    }

    /**
     * Principal axes of a label image.
     *
     * @param labels label per voxel, x fastest
     * @param dims voxel counts (x, y, z)
     * @param affine row-major 4x4 voxel-to-world of the label image (mm)
     * @param radiusMm neighbourhood radius in mm
     * @param names label names (for the left-right rule)
     * @return 3 floats per voxel: unit world-frame direction, (0, 0, 0) where the label is 0
     */
    static float[] localAxes(int[] labels, int[] dims, double[] affine, double radiusMm, LabelTable names) {
        int nx = dims[0], ny = dims[1], nz = dims[2];
        float[] out = new float[3 * labels.length];
        double[] vs = new double[3];
        for (int c = 0; c < 3; c++) vs[c] = Math.sqrt(affine[c] * affine[c] + affine[4 + c] * affine[4 + c] + affine[8 + c] * affine[8 + c]);
        int[] r = new int[3];
        for (int c = 0; c < 3; c++) r[c] = (int) Math.ceil(radiusMm / vs[c]);
        double r2 = radiusMm * radiusMm;
        boolean[] lr = new boolean[maxLabel(labels) + 1];
        for (int l = 1; l < lr.length; l++) {
            String nm = names.name(l);
            lr[l] = nm != null && leftRight(nm);
        }
        double[] lone = {1, 0, 0};
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    int l = labels[i];
                    if (l == 0) continue;
                    if (lr[l]) {
                        out[3 * i] = 1;
                        continue;
                    }
                    double sx = 0, sy = 0, sz = 0, sxx = 0, sxy = 0, sxz = 0, syy = 0, syz = 0, szz = 0;
                    int cnt = 0;
                    for (int dz = -r[2]; dz <= r[2]; dz++) {
                        int zz = z + dz;
                        if (zz < 0 || zz >= nz) continue;
                        for (int dy = -r[1]; dy <= r[1]; dy++) {
                            int yy = y + dy;
                            if (yy < 0 || yy >= ny) continue;
                            for (int dx = -r[0]; dx <= r[0]; dx++) {
                                int xx = x + dx;
                                if (xx < 0 || xx >= nx || labels[xx + nx * (yy + ny * zz)] != l) continue;
                                double wx = affine[0] * dx + affine[1] * dy + affine[2] * dz;
                                double wy = affine[4] * dx + affine[5] * dy + affine[6] * dz;
                                double wz = affine[8] * dx + affine[9] * dy + affine[10] * dz;
                                if (wx * wx + wy * wy + wz * wz > r2) continue;
                                sx += wx; sy += wy; sz += wz;
                                sxx += wx * wx; sxy += wx * wy; sxz += wx * wz;
                                syy += wy * wy; syz += wy * wz; szz += wz * wz;
                                cnt++;
                            }
                        }
                    }
                    double mx = sx / cnt, my = sy / cnt, mz = sz / cnt;
                    double[] e = SymmetricEigen3.principal(sxx / cnt - mx * mx, sxy / cnt - mx * my, sxz / cnt - mx * mz,
                            syy / cnt - my * my, syz / cnt - my * mz, szz / cnt - mz * mz);
                    if (e[0] == 0 && e[1] == 0 && e[2] == 0) e = lone; // a lone voxel: no geometry, any direction
                    out[3 * i] = (float) e[0];
                    out[3 * i + 1] = (float) e[1];
                    out[3 * i + 2] = (float) e[2];
                }
            }
        }
        return out;
    }

    private static int maxLabel(int[] labels) {
        int m = 0;
        for (int l : labels) m = Math.max(m, l);
        return m;
    }

    /**
     * Gives every voxel with white matter ({@code wm > 0}) and no direction the direction of the
     * nearest (in 6-connected steps through white matter) voxel that has one. Voxels that cannot be
     * reached keep (0, 0, 0) and are treated as isotropic white matter.
     */
    static void fillWhiteMatter(float[] wm, float[] dir, int nx, int ny, int nz) {
        int n = nx * ny * nz;
        int[] queue = new int[n];
        int head = 0, tail = 0;
        boolean[] has = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (dir[3 * i] != 0 || dir[3 * i + 1] != 0 || dir[3 * i + 2] != 0) {
                has[i] = true;
                queue[tail++] = i;
            }
        }
        int[] step = {1, -1, nx, -nx, nx * ny, -nx * ny};
        while (head < tail) {
            int i = queue[head++];
            int x = i % nx, y = (i / nx) % ny, z = i / (nx * ny);
            for (int s = 0; s < 6; s++) {
                boolean ok = switch (s) {
                    case 0 -> x + 1 < nx;
                    case 1 -> x > 0;
                    case 2 -> y + 1 < ny;
                    case 3 -> y > 0;
                    case 4 -> z + 1 < nz;
                    default -> z > 0;
                };
                if (!ok) continue;
                int j = i + step[s];
                if (has[j] || wm[j] <= 0) continue;
                has[j] = true;
                dir[3 * j] = dir[3 * i];
                dir[3 * j + 1] = dir[3 * i + 1];
                dir[3 * j + 2] = dir[3 * i + 2];
                queue[tail++] = j;
            }
        }
    }
}
