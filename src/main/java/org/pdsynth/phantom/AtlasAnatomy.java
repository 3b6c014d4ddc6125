package org.pdsynth.phantom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.imglib2.view.Views;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.SymmetricEigen3;

/**
 * The template anatomy from MNI atlases in one folder (the layout {@code scripts/fetch-test-data}
 * produces): AAL regions ({@code aal.nii.gz} + {@code aal.nii.txt}), JHU white-matter tract labels
 * ({@code JHU-WhiteMatter-labels-2mm.nii.gz} + {@code .nii.txt}) and the Colin27 brain-extracted
 * T1 ({@code ch2bet.nii.gz}, else {@code ch2better.nii.gz}).
 *
 * <p>Tissue classes: the T1 voxels above 0 are split into CSF &lt; grey &lt; white matter by 1-D
 * k-means with 3 classes on their intensities (Lloyd iterations on a 256-bin histogram, centres
 * initialised at the 10th, 50th and 90th percentiles); a T1 sample inside a JHU tract that k-means
 * calls grey matter counts as white matter (the atlas says it is a tract).
 *
 * <p>Resampling to the grid: each output voxel is covered by n^3 sub-samples (n = round(voxel /
 * T1 voxel) + 1) looked up by nearest neighbour in world space (affines of each file). Tissue
 * fractions are the share of sub-samples in each class; the region (tract) label is the most
 * frequent non-zero label among the sub-samples when at least a third of them carry one. Fibre
 * directions: {@link TractDirections#localAxes} on the JHU grid (8 mm radius), averaged over the
 * sub-samples of the voxel's tract as the principal axis of the mean outer product, then
 * {@link TractDirections#fillWhiteMatter} for white matter outside tracts.
 */
final class AtlasAnatomy {
    private AtlasAnatomy() {}

    static final String AAL = "aal.nii.gz", AAL_TXT = "aal.nii.txt", JHU = "JHU-WhiteMatter-labels-2mm.nii.gz",
            JHU_TXT = "JHU-WhiteMatter-labels-2mm.nii.txt", T1 = "ch2bet.nii.gz", T1_ALT = "ch2better.nii.gz";

    /** The files missing from {@code dir} (empty when the atlas anatomy can be built). */
    static List<String> missing(Path dir) {
        List<String> m = new ArrayList<>();
        for (String f : new String[] {AAL, AAL_TXT, JHU, JHU_TXT})
            if (!Files.isRegularFile(dir.resolve(f))) m.add(f);
        if (!Files.isRegularFile(dir.resolve(T1)) && !Files.isRegularFile(dir.resolve(T1_ALT))) m.add(T1 + " (or " + T1_ALT + ")");
        return m;
    }

    /** A volume read into an array with its inverse affine, for nearest-neighbour lookups by world position. */
    private static final class Lookup {
        final float[] v;
        final int nx, ny, nz;
        final double[] inv, affine;

        Lookup(NiftiImage im) {
            if (im.data().numDimensions() < 3) throw new IllegalArgumentException(im.source() + ": expected a 3-D volume");
            nx = (int) im.data().dimension(0);
            ny = (int) im.data().dimension(1);
            nz = (int) im.data().dimension(2);
            v = new float[nx * ny * nz];
            int k = 0;
            var c = Views.flatIterable(Views.interval(im.data(), firstVolume(im))).cursor();
            while (c.hasNext()) v[k++] = c.next().get();
            Geometry g = im.geometry();
            affine = g.affine();
            inv = g.inverseAffine();
        }

        private static net.imglib2.Interval firstVolume(NiftiImage im) {
            int nd = im.data().numDimensions();
            long[] min = new long[nd], max = new long[nd];
            for (int d = 0; d < nd; d++) max[d] = d < 3 ? im.data().dimension(d) - 1 : 0;
            return new net.imglib2.FinalInterval(min, max);
        }

        /** Flat index of the voxel nearest to world (x, y, z), or -1 outside. */
        int index(double x, double y, double z) {
            int i = (int) Math.floor(inv[0] * x + inv[1] * y + inv[2] * z + inv[3] + 0.5);
            int j = (int) Math.floor(inv[4] * x + inv[5] * y + inv[6] * z + inv[7] + 0.5);
            int k = (int) Math.floor(inv[8] * x + inv[9] * y + inv[10] * z + inv[11] + 0.5);
            if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return -1;
            return i + nx * (j + ny * k);
        }

        /** Edge of a cube with the voxel's volume, mm. */
        double voxelSize() {
            return Math.cbrt(Math.abs(det3(affine)));
        }

        private static double det3(double[] a) {
            return a[0] * (a[5] * a[10] - a[6] * a[9]) - a[1] * (a[4] * a[10] - a[6] * a[8]) + a[2] * (a[4] * a[9] - a[5] * a[8]);
        }
    }

    /** Builds the template on {@code grid} from the files in {@code dir}. */
    static Anatomy load(Path folder, Grid grid, Slices slices) throws IOException {
        List<String> miss = missing(folder);
        if (!miss.isEmpty()) throw new IllegalArgumentException("atlas folder " + folder + " lacks " + String.join(", ", miss));
        Path t1Path = Files.isRegularFile(folder.resolve(T1)) ? folder.resolve(T1) : folder.resolve(T1_ALT);
        Lookup aal = new Lookup(NiftiReader.read(folder.resolve(AAL)));
        Lookup jhu = new Lookup(NiftiReader.read(folder.resolve(JHU)));
        Lookup t1 = new Lookup(NiftiReader.read(t1Path));
        LabelTable aalNames = LabelTable.read(folder.resolve(AAL_TXT));
        LabelTable jhuNames = LabelTable.read(folder.resolve(JHU_TXT));
        byte[] cls = kmeansClasses(t1.v);

        int[] jhuLabels = new int[jhu.v.length];
        for (int i = 0; i < jhuLabels.length; i++) jhuLabels[i] = Math.round(jhu.v[i]);
        float[] jhuDir = TractDirections.localAxes(jhuLabels, new int[] {jhu.nx, jhu.ny, jhu.nz}, jhu.affine, 8, jhuNames);

        long[] d = grid.dims();
        int nx = (int) d[0], ny = (int) d[1], nz = (int) d[2], n = nx * ny * nz;
        double[] a = grid.geometry().affine();
        double voxel = grid.geometry().voxelSize()[0];
        int sub = (int) Math.round(voxel / t1.voxelSize()) + 1;
        int subs = sub * sub * sub;
        float[] gm = new float[n], wm = new float[n], csf = new float[n], dir = new float[3 * n];
        int[] region = new int[n], tract = new int[n];
        int maxAal = aalNames.maxIndex() + 1, maxJhu = Math.max(jhuNames.maxIndex(), max(jhuLabels)) + 1;
        for (float v : aal.v) maxAal = Math.max(maxAal, Math.round(v) + 1);
        final int aalSize = maxAal, jhuSize = maxJhu;
        slices.forEach(nz, z -> {
            int[] aalVotes = new int[aalSize], jhuVotes = new int[jhuSize], jhuAt = new int[subs];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    int cg = 0, cw = 0, cc = 0, na = 0, nj = 0;
                    java.util.Arrays.fill(aalVotes, 0);
                    java.util.Arrays.fill(jhuVotes, 0);
                    for (int s = 0; s < subs; s++) {
                        double vx = x + ((s % sub) + 0.5) / sub - 0.5, vy = y + ((s / sub % sub) + 0.5) / sub - 0.5,
                                vz = z + ((s / (sub * sub)) + 0.5) / sub - 0.5;
                        double px = a[0] * vx + a[1] * vy + a[2] * vz + a[3];
                        double py = a[4] * vx + a[5] * vy + a[6] * vz + a[7];
                        double pz = a[8] * vx + a[9] * vy + a[10] * vz + a[11];
                        int ji = jhu.index(px, py, pz);
                        int jl = ji < 0 ? 0 : jhuLabels[ji];
                        jhuAt[s] = jl > 0 ? ji : -1;
                        if (jl > 0) {
                            jhuVotes[jl]++;
                            nj++;
                        }
                        int ti = t1.index(px, py, pz);
                        int c = ti < 0 ? 0 : cls[ti];
                        if (c == 2 && jl > 0) c = 3;
                        if (c == 1) cc++;
                        else if (c == 2) cg++;
                        else if (c == 3) cw++;
                        int ai = aal.index(px, py, pz);
                        int al = ai < 0 ? 0 : Math.round(aal.v[ai]);
                        if (al > 0) {
                            aalVotes[al]++;
                            na++;
                        }
                    }
                    gm[i] = (float) cg / subs;
                    wm[i] = (float) cw / subs;
                    csf[i] = (float) cc / subs;
                    if (3 * na >= subs) region[i] = argmax(aalVotes);
                    if (3 * nj >= subs && wm[i] > 0) {
                        int l = argmax(jhuVotes);
                        tract[i] = l;
                        double sxx = 0, sxy = 0, sxz = 0, syy = 0, syz = 0, szz = 0;
                        for (int s = 0; s < subs; s++) {
                            int ji = jhuAt[s];
                            if (ji < 0 || jhuLabels[ji] != l) continue;
                            double ex = jhuDir[3 * ji], ey = jhuDir[3 * ji + 1], ez = jhuDir[3 * ji + 2];
                            sxx += ex * ex; sxy += ex * ey; sxz += ex * ez; syy += ey * ey; syz += ey * ez; szz += ez * ez;
                        }
                        double[] e = SymmetricEigen3.principal(sxx, sxy, sxz, syy, syz, szz);
                        dir[3 * i] = (float) e[0];
                        dir[3 * i + 1] = (float) e[1];
                        dir[3 * i + 2] = (float) e[2];
                    }
                }
            }
        });
        TractDirections.fillWhiteMatter(wm, dir, nx, ny, nz);
        return new Anatomy(grid, gm, wm, csf, region, tract, dir, aalNames, jhuNames,
                "MNI atlases from " + folder + ": AAL (" + aalNames.names().size() + " regions), JHU white-matter labels ("
                        + jhuNames.names().size() + " tracts), tissue by 3-class k-means of " + t1Path.getFileName());
    }

    private static int max(int[] v) {
        int m = 0;
        for (int x : v) m = Math.max(m, x);
        return m;
    }

    private static int argmax(int[] votes) {
        int b = 0;
        for (int l = 1; l < votes.length; l++) if (votes[l] > votes[b]) b = l;
        return b;
    }

    /**
     * Tissue class per T1 voxel: 0 outside (value &lt;= 0), 1 CSF, 2 grey matter, 3 white matter,
     * by 1-D k-means (see the class comment).
     */
    static byte[] kmeansClasses(float[] t1) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : t1) if (v > 0) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        byte[] out = new byte[t1.length];
        if (!(hi > lo)) return out;
        int bins = 256;
        long[] hist = new long[bins];
        double w = (hi - lo) / bins;
        long total = 0;
        for (float v : t1) if (v > 0) {
            hist[Math.min(bins - 1, (int) ((v - lo) / w))]++;
            total++;
        }
        double[] c = {percentile(hist, total, 0.10), percentile(hist, total, 0.50), percentile(hist, total, 0.90)};
        for (int k = 0; k < 3; k++) c[k] = lo + (c[k] + 0.5) * w;
        for (int it = 0; it < 100; it++) {
            double[] s = new double[3], m = new double[3];
            for (int b = 0; b < bins; b++) {
                double v = lo + (b + 0.5) * w;
                int k = nearest(c, v);
                s[k] += hist[b] * v;
                m[k] += hist[b];
            }
            boolean moved = false;
            for (int k = 0; k < 3; k++) {
                double nc = m[k] > 0 ? s[k] / m[k] : c[k];
                if (nc != c[k]) moved = true;
                c[k] = nc;
            }
            if (!moved) break;
        }
        java.util.Arrays.sort(c);
        for (int i = 0; i < t1.length; i++) if (t1[i] > 0) out[i] = (byte) (nearest(c, t1[i]) + 1);
        return out;
    }

    private static int nearest(double[] c, double v) {
        int b = 0;
        for (int k = 1; k < c.length; k++) if (Math.abs(v - c[k]) < Math.abs(v - c[b])) b = k;
        return b;
    }

    /** Histogram bin at quantile q. */
    private static double percentile(long[] hist, long total, double q) {
        long target = (long) Math.ceil(q * total), acc = 0;
        for (int b = 0; b < hist.length; b++) {
            acc += hist[b];
            if (acc >= target) return b;
        }
        return hist.length - 1;
    }
}
