package org.pdsynth.phantom;

/**
 * Diffusion-weighted images of one subject from a per-voxel tensor model with partial volumes.
 *
 * <p>Voxel with tissue fractions (gm, wm, csf), gradient g (unit, voxel axes), b-value b (s/mm^2):
 * <pre>
 *   S = bias (gm S0gm cGM exp(-b MDgm) + wm S0wm cWM exp(-b g^T D g) + csf S0csf cCSF exp(-b MDcsf))
 * </pre>
 * with D the white-matter tensor: axially symmetric, principal direction e (the fibre direction
 * converted from world to voxel axes), eigenvalues {@code l1 = MD (1 + 2k)}, {@code l2 = l3 = MD (1 - k)},
 * {@code k = FA / sqrt(3 - 2 FA^2)} — exactly the given FA and mean diffusivity MD. Tract voxels use
 * the model's tract FA/MD, other white matter the model's white-matter FA/MD (isotropic when no fibre
 * direction could be given); in the disease tracts FA is multiplied by (1 + faChange) and MD by
 * (1 + mdChange). c are the subject's contrast multipliers and bias a smooth multiplicative field
 * (exp of a {@link SmoothField}). Diffusivities in mm^2/s.
 *
 * <p>Noise (Rician, magnitude of complex Gaussian noise): {@code sqrt((S + sigma n1)^2 + (sigma n2)^2)}
 * with n1, n2 standard normal and sigma = S0wm / dwiSnr. Outside the brain mask the image is 0.
 * Output: float array in NIfTI order (x, y, z, volume).
 */
final class DwiSimulator {
    private DwiSimulator() {}

    /** {l1, l2} of an axially symmetric tensor with the given FA (in [0, 1)) and MD. */
    static double[] eigenvalues(double fa, double md) {
        double k = fa / Math.sqrt(3 - 2 * fa * fa);
        return new double[] {md * (1 + 2 * k), md * (1 - k)};
    }

    /**
     * Signal attenuation exp(-b g^T D g) of an axially symmetric tensor with eigenvalues l1 (along
     * e) and l2 = l3, for a unit gradient g with {@code cosine = g . e}.
     */
    static double attenuation(double b, double cosine, double l1, double l2) {
        return Math.exp(-b * (l2 + (l1 - l2) * cosine * cosine));
    }

    /**
     * World-to-voxel direction map of a grid: the 3x3 matrix taking a world (mm) direction to
     * voxel-axis components (inverse of the affine's linear part, columns scaled to unit voxel size),
     * row-major.
     */
    static double[] worldToVoxel(double[] affine) {
        double[] lin = new double[16];
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) {
            double norm = Math.sqrt(affine[c] * affine[c] + affine[4 + c] * affine[4 + c] + affine[8 + c] * affine[8 + c]);
            lin[4 * r + c] = affine[4 * r + c] / norm;
        }
        lin[15] = 1;
        double[] inv = org.pdsynth.nifti.Geometry.invert(lin);
        return new double[] {inv[0], inv[1], inv[2], inv[4], inv[5], inv[6], inv[8], inv[9], inv[10]};
    }

    static float[] simulate(Anatomy s, SubjectParameters p, PhantomOptions o, GradientScheme scheme, Slices slices) {
        PhantomModel model = o.model();
        PhantomModel.Diffusion d = model.diffusion();
        boolean[] sick = s.tractNames.matching(model.disease().tracts());
        int V = scheme.volumes();
        double[] bv = scheme.bvals;
        double[][] g = scheme.dirs;
        double[] egm = new double[V], ecsf = new double[V];
        for (int v = 0; v < V; v++) {
            egm[v] = Math.exp(-bv[v] * d.gmMd());
            ecsf[v] = Math.exp(-bv[v] * d.csfMd());
        }
        double[] tractL = eigenvalues(d.tractFa(), d.tractMd());
        double[] sickL = eigenvalues(SubjectParameters.clip(d.tractFa() * (1 + p.faChange()), 0, 0.95), d.tractMd() * (1 + p.mdChange()));
        double[] wmL = eigenvalues(d.wmFa(), d.wmMd());
        double[] isoL = {d.wmMd(), d.wmMd()};
        double[] w2v = worldToVoxel(s.grid.geometry().affine());
        double[] cd = p.contrastDwi();
        double s0g = d.s0Gm() * cd[0], s0w = d.s0Wm() * cd[1], s0c = d.s0Csf() * cd[2];
        double sigma = Double.isInfinite(o.dwiSnr()) ? 0 : d.s0Wm() / o.dwiSnr();
        SmoothField bias = new SmoothField(Rng.of(p.seed(), SubjectParameters.BIAS_DWI), 6, 120, model.variability().biasPercent() / 100);
        double[] a = s.grid.geometry().affine();
        int nx = s.nx, ny = s.ny, nz = s.nz;
        long vol = s.n;
        if (vol * V > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("DWI of " + vol + " voxels x " + V + " volumes is too large for one array");
        float[] out = new float[(int) (vol * V)];
        slices.forEach(nz, z -> {
            Rng noise = Rng.of(p.seed(), SubjectParameters.DWI_NOISE, z);
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    if (!s.inBrain(i)) continue;
                    double px = a[0] * x + a[1] * y + a[2] * z + a[3];
                    double py = a[4] * x + a[5] * y + a[6] * z + a[7];
                    double pz = a[8] * x + a[9] * y + a[10] * z + a[11];
                    double f = Math.exp(bias.at(px, py, pz));
                    double wg = f * s.gm[i] * s0g, ww = f * s.wm[i] * s0w, wc = f * s.csf[i] * s0c;
                    double ewx = s.dir[3 * i], ewy = s.dir[3 * i + 1], ewz = s.dir[3 * i + 2];
                    double ex = w2v[0] * ewx + w2v[1] * ewy + w2v[2] * ewz;
                    double ey = w2v[3] * ewx + w2v[4] * ewy + w2v[5] * ewz;
                    double ez = w2v[6] * ewx + w2v[7] * ewy + w2v[8] * ewz;
                    double en = Math.sqrt(ex * ex + ey * ey + ez * ez);
                    double[] lam;
                    if (en == 0) lam = isoL;
                    else {
                        ex /= en;
                        ey /= en;
                        ez /= en;
                        int t = s.tract[i];
                        lam = t == 0 ? wmL : (t < sick.length && sick[t]) ? sickL : tractL;
                    }
                    double l1 = lam[0], l2 = lam[1];
                    for (int v = 0; v < V; v++) {
                        double c = g[v][0] * ex + g[v][1] * ey + g[v][2] * ez;
                        double sig = wg * egm[v] + wc * ecsf[v];
                        if (ww != 0) sig += ww * attenuation(bv[v], c, l1, l2);
                        if (sigma > 0) {
                            double n1 = sigma * noise.gaussian(), n2 = sigma * noise.gaussian();
                            sig = Math.sqrt((sig + n1) * (sig + n1) + n2 * n2);
                        }
                        out[(int) (i + vol * v)] = (float) sig;
                    }
                }
            }
        });
        return out;
    }
}
