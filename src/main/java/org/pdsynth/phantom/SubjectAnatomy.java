package org.pdsynth.phantom;

/**
 * Warps the template anatomy into one subject and applies the subject's atrophy.
 *
 * <p>Deformation (a pull-back map, defined directly from subject to template space): the subject
 * voxel at world position p (mm) shows the template at {@code q = c + (p - c) / scale + u(p)},
 * where c is the template's tissue centre of mass, {@code scale} the subject's global size and u
 * a smooth random displacement (three independent {@link SmoothField}s, 8 plane waves each, RMS
 * {@code deformationMm} per axis, wavelengths 1..2 x {@code deformationWavelengthMm}). Tissue
 * fractions are sampled trilinearly; the region label from the nearest template voxel; the tract
 * label and fibre direction from the corner of the interpolation cell with the most white matter
 * (weight x white-matter fraction). Fibre directions are not rotated by the (small, smooth)
 * deformation.
 *
 * <p>Atrophy: in voxels of the disease regions a fraction {@code atrophy} of the grey matter becomes
 * CSF; everywhere a further fraction {@code agingPerYear x max(0, age - 60)} does.
 */
final class SubjectAnatomy {
    private SubjectAnatomy() {}

    static Anatomy warp(Anatomy t, SubjectParameters p, PhantomModel model, Slices slices) {
        int nx = t.nx, ny = t.ny, nz = t.nz, n = t.n;
        double[] a = t.grid.geometry().affine(), inv = t.grid.geometry().inverseAffine();
        double[] c = centre(t);
        PhantomModel.Variability v = model.variability();
        SmoothField[] u = new SmoothField[3];
        for (int k = 0; k < 3; k++) u[k] = new SmoothField(Rng.of(p.seed(), SubjectParameters.DEFORM, k), 8,
                v.deformationWavelengthMm(), v.deformationMm());
        double s = p.scale();
        boolean[] diseased = t.regionNames.matching(model.disease().regions());
        double aging = model.disease().agingPerYear() * Math.max(0, p.age() - 60);
        float[] gm = new float[n], wm = new float[n], csf = new float[n], dir = new float[3 * n];
        int[] region = new int[n], tract = new int[n];
        slices.forEach(nz, z -> {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    double px = a[0] * x + a[1] * y + a[2] * z + a[3];
                    double py = a[4] * x + a[5] * y + a[6] * z + a[7];
                    double pz = a[8] * x + a[9] * y + a[10] * z + a[11];
                    double qx = c[0] + (px - c[0]) / s + u[0].at(px, py, pz);
                    double qy = c[1] + (py - c[1]) / s + u[1].at(px, py, pz);
                    double qz = c[2] + (pz - c[2]) / s + u[2].at(px, py, pz);
                    double fx = inv[0] * qx + inv[1] * qy + inv[2] * qz + inv[3];
                    double fy = inv[4] * qx + inv[5] * qy + inv[6] * qz + inv[7];
                    double fz = inv[8] * qx + inv[9] * qy + inv[10] * qz + inv[11];
                    int x0 = (int) Math.floor(fx), y0 = (int) Math.floor(fy), z0 = (int) Math.floor(fz);
                    double dx = fx - x0, dy = fy - y0, dz = fz - z0;
                    double sg = 0, sw = 0, sc = 0, bestW = -1, bestWm = 0;
                    int bestIdx = -1, nearIdx = -1;
                    for (int k = 0; k < 8; k++) {
                        int xx = x0 + (k & 1), yy = y0 + ((k >> 1) & 1), zz = z0 + (k >> 2);
                        if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
                        double w = ((k & 1) == 1 ? dx : 1 - dx) * (((k >> 1) & 1) == 1 ? dy : 1 - dy) * ((k >> 2) == 1 ? dz : 1 - dz);
                        int j = xx + nx * (yy + ny * zz);
                        sg += w * t.gm[j];
                        sw += w * t.wm[j];
                        sc += w * t.csf[j];
                        if (w > bestW) {
                            bestW = w;
                            nearIdx = j;
                        }
                        if (w * t.wm[j] > bestWm) {
                            bestWm = w * t.wm[j];
                            bestIdx = j;
                        }
                    }
                    if (nearIdx >= 0) region[i] = t.region[nearIdx];
                    if (bestIdx >= 0) {
                        tract[i] = t.tract[bestIdx];
                        dir[3 * i] = t.dir[3 * bestIdx];
                        dir[3 * i + 1] = t.dir[3 * bestIdx + 1];
                        dir[3 * i + 2] = t.dir[3 * bestIdx + 2];
                    }
                    double loss = (region[i] < diseased.length && diseased[region[i]] ? p.atrophy() : 0) + aging;
                    loss = Math.min(loss, 0.95);
                    gm[i] = (float) (sg * (1 - loss));
                    wm[i] = (float) sw;
                    csf[i] = (float) (sc + sg * loss);
                }
            }
        });
        return new Anatomy(t.grid, gm, wm, csf, region, tract, dir, t.regionNames, t.tractNames, t.description);
    }

    /** Tissue-weighted centre of mass of the template, world mm. */
    static double[] centre(Anatomy t) {
        double[] a = t.grid.geometry().affine();
        double sx = 0, sy = 0, sz = 0, sw = 0;
        for (int z = 0; z < t.nz; z++) for (int y = 0; y < t.ny; y++) for (int x = 0; x < t.nx; x++) {
            int i = x + t.nx * (y + t.ny * z);
            double w = t.gm[i] + t.wm[i] + t.csf[i];
            if (w == 0) continue;
            sx += w * x;
            sy += w * y;
            sz += w * z;
            sw += w;
        }
        if (sw == 0) return new double[] {0, 0, 0};
        double x = sx / sw, y = sy / sw, z = sz / sw;
        return new double[] {a[0] * x + a[1] * y + a[2] * z + a[3], a[4] * x + a[5] * y + a[6] * z + a[7],
            a[8] * x + a[9] * y + a[10] * z + a[11]};
    }
}
