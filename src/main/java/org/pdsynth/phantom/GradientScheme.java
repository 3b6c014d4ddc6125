package org.pdsynth.phantom;

import org.pdsynth.nifti.GradientTable;

/**
 * The diffusion acquisition scheme: a b=0 volume, {@code G} directions at one b-value and extra
 * b=0 volumes interleaved (b0, G/(E+1) directions, b0, ...: the direction runs differ in length by at
 * most one).
 *
 * <p>Directions: electrostatic repulsion of G antipodally symmetric charge pairs on the unit sphere
 * (energy sum over pairs i &lt; j of 1/|d_i - d_j| + 1/|d_i + d_j|), started from a golden-angle
 * spiral on the upper hemisphere and improved by 400 normalised gradient steps with a shrinking step;
 * each direction is then put on the z &gt;= 0 hemisphere. Deterministic for a given G.
 *
 * <p>Frame: the directions are unit vectors in the image's VOXEL axes (i, j, k) — the frame in which
 * the DWI is simulated. {@link #bvecs(double)} converts them to FSL's bvec convention: FSL reads
 * bvecs in voxel axes with the first axis flipped when the voxel-to-world affine has a positive
 * determinant; our MNI grids have a negative determinant (LAS), so there bvec = voxel-axis vector.
 */
final class GradientScheme {
    final int directions, extraB0;
    final double bvalue;
    /** Per volume: b-value (s/mm^2) and unit direction in voxel axes ((0, 0, 0) for b = 0). */
    final double[] bvals;
    final double[][] dirs;

    GradientScheme(int directions, int extraB0, double bvalue) {
        this.directions = directions;
        this.extraB0 = extraB0;
        this.bvalue = bvalue;
        double[][] d = repulsion(directions);
        int v = 1 + directions + extraB0;
        bvals = new double[v];
        dirs = new double[v][3];
        int runs = extraB0 + 1, k = 0, idx = 1;
        for (int run = 0; run < runs; run++) {
            if (run > 0) idx++; // b0 at idx-1
            int len = directions / runs + (run < directions % runs ? 1 : 0);
            for (int j = 0; j < len; j++) {
                bvals[idx] = bvalue;
                dirs[idx] = d[k++].clone();
                idx++;
            }
        }
    }

    int volumes() {
        return bvals.length;
    }

    /**
     * The FSL table to write next to an image whose voxel-to-world affine has determinant sign
     * {@code detSign}: voxel-axis vectors, with the first component negated when detSign &gt; 0.
     */
    GradientTable bvecs(double detSign) {
        double[][] out = new double[dirs.length][];
        for (int i = 0; i < dirs.length; i++) out[i] = new double[] {detSign > 0 ? -dirs[i][0] : dirs[i][0], dirs[i][1], dirs[i][2]};
        for (double[] o : out) if (o[0] == -0.0) o[0] = 0.0;
        return GradientTable.of(bvals, out);
    }

    /** Electrostatic energy of the antipodal pairs (see class comment). */
    static double energy(double[][] d) {
        double e = 0;
        for (int i = 0; i < d.length; i++) {
            for (int j = i + 1; j < d.length; j++) {
                double m = 0, p = 0;
                for (int c = 0; c < 3; c++) {
                    m += (d[i][c] - d[j][c]) * (d[i][c] - d[j][c]);
                    p += (d[i][c] + d[j][c]) * (d[i][c] + d[j][c]);
                }
                e += 1 / Math.sqrt(m) + 1 / Math.sqrt(p);
            }
        }
        return e;
    }

    /** The golden-angle spiral on the upper hemisphere used as a start. */
    static double[][] spiral(int g) {
        double[][] d = new double[g][3];
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int i = 0; i < g; i++) {
            double z = 1 - (i + 0.5) / g;
            double r = Math.sqrt(1 - z * z);
            d[i][0] = r * Math.cos(i * golden);
            d[i][1] = r * Math.sin(i * golden);
            d[i][2] = z;
        }
        return d;
    }

    /** G well-spread unit directions on the z &gt;= 0 hemisphere. */
    static double[][] repulsion(int g) {
        double[][] d = spiral(g);
        double[][] f = new double[g][3];
        double step = 0.1;
        for (int it = 0; it < 400; it++) {
            for (double[] r : f) java.util.Arrays.fill(r, 0);
            for (int i = 0; i < g; i++) {
                for (int j = 0; j < g; j++) {
                    if (i == j) continue;
                    double[] m = new double[3], p = new double[3];
                    double mm = 0, pp = 0;
                    for (int c = 0; c < 3; c++) {
                        m[c] = d[i][c] - d[j][c];
                        p[c] = d[i][c] + d[j][c];
                        mm += m[c] * m[c];
                        pp += p[c] * p[c];
                    }
                    double km = 1 / (mm * Math.sqrt(mm)), kp = 1 / (pp * Math.sqrt(pp));
                    for (int c = 0; c < 3; c++) f[i][c] += km * m[c] + kp * p[c];
                }
            }
            double fmax = 0;
            for (int i = 0; i < g; i++) {
                double dot = f[i][0] * d[i][0] + f[i][1] * d[i][1] + f[i][2] * d[i][2];
                for (int c = 0; c < 3; c++) f[i][c] -= dot * d[i][c];
                fmax = Math.max(fmax, Math.sqrt(f[i][0] * f[i][0] + f[i][1] * f[i][1] + f[i][2] * f[i][2]));
            }
            if (fmax == 0) break;
            double s = step / fmax;
            for (int i = 0; i < g; i++) {
                double n = 0;
                for (int c = 0; c < 3; c++) {
                    d[i][c] += s * f[i][c];
                    n += d[i][c] * d[i][c];
                }
                n = Math.sqrt(n);
                for (int c = 0; c < 3; c++) d[i][c] /= n;
            }
            step *= 0.99;
        }
        for (double[] v : d) {
            if (v[2] < 0 || (v[2] == 0 && (v[1] < 0 || (v[1] == 0 && v[0] < 0)))) for (int c = 0; c < 3; c++) v[c] = -v[c];
        }
        return d;
    }

    /** Smallest angle in degrees between two directions, antipodes identified. */
    static double minAngleDeg(double[][] d) {
        double best = 180;
        for (int i = 0; i < d.length; i++) {
            for (int j = i + 1; j < d.length; j++) {
                double c = Math.abs(d[i][0] * d[j][0] + d[i][1] * d[j][1] + d[i][2] * d[j][2]);
                best = Math.min(best, Math.toDegrees(Math.acos(Math.min(1, c))));
            }
        }
        return best;
    }
}
