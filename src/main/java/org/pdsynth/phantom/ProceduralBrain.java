package org.pdsynth.phantom;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pdsynth.volume.Grid;

/**
 * A brain built from geometric shapes in MNI space (mm), used when the MNI atlases are absent.
 *
 * <p>Shapes: the cerebrum is an ellipsoid (centre (0, -17, 16) mm, semi-axes 69, 88, 62 mm) with
 * a gyral wobble of its surface; a 7 mm cortical ribbon (thick, standing in for the folded cortex) of grey matter under the surface and a
 * 2.5 mm CSF layer outside it; an interhemispheric fissure (CSF, |x| &lt; 1.5 mm) lined with medial
 * cortex; lateral and third ventricles (CSF); deep grey ellipsoids (thalamus, caudate, putamen,
 * hippocampus, amygdala, parahippocampal gyrus); a cerebellum ellipsoid (grey cortex 6 mm, white
 * core) and a brain stem (white). Everything else inside is white matter. Tissue fractions are the
 * share of 3x3x3 sub-samples of each voxel in each class.
 *
 * <p>Regions use AAL names and indices (so the disease region list works for both anatomies):
 * deep structures by their ellipsoids, cortex by the nearest of 28 seed points per hemisphere
 * (approximately the AAL region centroids), the cerebellum as Cerebelum_Crus1_L/R. A voxel gets the
 * majority label of its grey-matter sub-samples when at least 20% of it is grey matter.
 *
 * <p>Tracts use JHU names and indices: corpus callosum (genu, body, splenium; left-right fibres),
 * corticospinal tracts, cingulum (cingulate gyrus and hippocampal parts), fornix (body and cres),
 * uncinate fasciculus, superior longitudinal fasciculus: tubes around polylines; a white-matter
 * voxel within a tube's radius of its centre takes the nearest tube's label and the tangent of the
 * nearest segment as fibre direction.
 */
final class ProceduralBrain {
    private ProceduralBrain() {}

    static final int OUTSIDE = 0, GM = 1, WM = 2, CSF = 3;

    private static final double[] C = {0, -17, 16}, R = {69, 88, 62};
    private static final double MEAN_RADIUS = 72;
    private static final double[] CB_C = {0, -58, -34}, CB_R = {50, 30, 22};

    /** Deep grey structures: AAL index of the left one (right = +1), centre (left side, mm), semi-axes. */
    private static final double[][] DEEP = {
        {77, -11, -18, 7, 7, 11, 7},     // Thalamus
        {71, -13, 12, 10, 5, 9, 7},      // Caudate
        {73, -25, 3, 1, 5, 13, 8},       // Putamen
        {37, -27, -23, -11, 5, 15, 5},   // Hippocampus
        {41, -23, -3, -18, 6, 6, 6},     // Amygdala
        {39, -22, -20, -26, 6, 12, 3.5}, // ParaHippocampal
    };

    /** Cortical seeds: AAL index of the left region (right = +1), left centroid (mm). */
    private static final double[][] SEEDS = {
        {1, -40, -6, 51}, {3, -19, 35, 42}, {7, -34, 33, 35}, {13, -47, 30, 14}, {15, -37, 31, -12},
        {19, -6, 5, 61}, {23, -6, 49, 31}, {25, -6, 54, -7}, {29, -36, 7, 3}, {31, -5, 35, 14},
        {33, -6, -15, 42}, {35, -6, -43, 25}, {43, -8, -79, 6}, {45, -7, -80, 27}, {47, -16, -68, -5},
        {51, -33, -81, 16}, {55, -32, -40, -20}, {57, -43, -23, 49}, {59, -24, -60, 59}, {61, -44, -46, 47},
        {63, -57, -34, 30}, {65, -45, -61, 36}, {67, -8, -56, 48}, {69, -9, -25, 70}, {81, -54, -21, 7},
        {83, -41, 15, -20}, {85, -57, -34, -2}, {89, -51, -28, -23},
    };

    private static final Map<Integer, String> AAL_NAMES = new LinkedHashMap<>();

    static {
        String[] base = {"Precentral", "Frontal_Sup", "Frontal_Mid", "Frontal_Inf_Tri", "Frontal_Inf_Orb",
            "Supp_Motor_Area", "Frontal_Sup_Medial", "Frontal_Med_Orb", "Insula", "Cingulum_Ant", "Cingulum_Mid",
            "Cingulum_Post", "Calcarine", "Cuneus", "Lingual", "Occipital_Mid", "Fusiform", "Postcentral",
            "Parietal_Sup", "Parietal_Inf", "SupraMarginal", "Angular", "Precuneus", "Paracentral_Lobule",
            "Temporal_Sup", "Temporal_Pole_Sup", "Temporal_Mid", "Temporal_Inf"};
        for (int s = 0; s < SEEDS.length; s++) {
            AAL_NAMES.put((int) SEEDS[s][0], base[s] + "_L");
            AAL_NAMES.put((int) SEEDS[s][0] + 1, base[s] + "_R");
        }
        String[] deep = {"Thalamus", "Caudate", "Putamen", "Hippocampus", "Amygdala", "ParaHippocampal"};
        for (int d = 0; d < DEEP.length; d++) {
            AAL_NAMES.put((int) DEEP[d][0], deep[d] + "_L");
            AAL_NAMES.put((int) DEEP[d][0] + 1, deep[d] + "_R");
        }
        AAL_NAMES.put(91, "Cerebelum_Crus1_L");
        AAL_NAMES.put(92, "Cerebelum_Crus1_R");
    }

    /** A tract: JHU label, radius (mm), centre line; leftRight = fixed x direction, distance in (y, z) only. */
    private record Tube(int label, double radius, double[][] pts, boolean leftRight, double halfWidth) {}

    private static final Tube[] TUBES;
    private static final Map<Integer, String> JHU_NAMES = new LinkedHashMap<>();

    static {
        JHU_NAMES.put(3, "Genu_of_corpus_callosum");
        JHU_NAMES.put(4, "Body_of_corpus_callosum");
        JHU_NAMES.put(5, "Splenium_of_corpus_callosum");
        JHU_NAMES.put(6, "Fornix_(column_and_body_of_fornix)");
        JHU_NAMES.put(7, "Corticospinal_tract_R");
        JHU_NAMES.put(8, "Corticospinal_tract_L");
        JHU_NAMES.put(35, "Cingulum_(cingulate_gyrus)_R");
        JHU_NAMES.put(36, "Cingulum_(cingulate_gyrus)_L");
        JHU_NAMES.put(37, "Cingulum_(hippocampus)_R");
        JHU_NAMES.put(38, "Cingulum_(hippocampus)_L");
        JHU_NAMES.put(39, "Fornix_(cres)_/_Stria_terminalis_(can_not_be_resolved_with_current_resolution)_R");
        JHU_NAMES.put(40, "Fornix_(cres)_/_Stria_terminalis_(can_not_be_resolved_with_current_resolution)_L");
        JHU_NAMES.put(41, "Superior_longitudinal_fasciculus_R");
        JHU_NAMES.put(42, "Superior_longitudinal_fasciculus_L");
        JHU_NAMES.put(45, "Uncinate_fasciculus_R");
        JHU_NAMES.put(46, "Uncinate_fasciculus_L");
        java.util.List<Tube> t = new java.util.ArrayList<>();
        // corpus callosum: midline curve in (y, z), labelled by y below
        t.add(new Tube(4, 4, new double[][] {{0, 30, 2}, {0, 33, 12}, {0, 25, 20}, {0, 10, 23}, {0, -10, 23},
            {0, -28, 20}, {0, -38, 12}, {0, -36, 4}}, true, 28));
        t.add(new Tube(6, 2.5, new double[][] {{0, -32, 16}, {0, -20, 20}, {0, -5, 16}, {0, 2, 6}, {0, 2, -4}}, false, 0));
        double[][][] paired = {
            {{8}, {3.5}, {-6, -25, -40}, {-14, -20, -10}, {-20, -20, 10}, {-24, -22, 40}, {-28, -22, 56}},
            {{36}, {3}, {-9, 32, 8}, {-9, 28, 22}, {-9, 10, 32}, {-9, -15, 36}, {-9, -40, 30}, {-9, -52, 16}, {-9, -48, 4}},
            {{38}, {2.5}, {-24, -42, 0}, {-25, -32, -12}, {-25, -20, -19}, {-24, -8, -22}},
            {{40}, {2.5}, {-26, -34, -4}, {-22, -38, 8}, {-12, -36, 16}, {-4, -32, 17}},
            {{42}, {4}, {-36, 26, 28}, {-37, 0, 32}, {-37, -30, 32}, {-36, -48, 26}},
            {{46}, {3}, {-38, 4, -26}, {-32, 10, -16}, {-27, 20, -8}, {-24, 34, -8}},
        };
        for (double[][] p : paired) {
            int left = (int) p[0][0];
            double rad = p[1][0];
            double[][] l = new double[p.length - 2][], r = new double[p.length - 2][];
            for (int k = 2; k < p.length; k++) {
                l[k - 2] = p[k].clone();
                r[k - 2] = new double[] {-p[k][0], p[k][1], p[k][2]};
            }
            t.add(new Tube(left, rad, l, false, 0));
            t.add(new Tube(left - 1, rad, r, false, 0));
        }
        TUBES = t.toArray(new Tube[0]);
    }

    /** The procedural brain on {@code grid}. */
    static Anatomy build(Grid grid) {
        long[] d = grid.dims();
        int nx = (int) d[0], ny = (int) d[1], nz = (int) d[2], n = nx * ny * nz;
        double[] a = grid.geometry().affine();
        float[] gm = new float[n], wm = new float[n], csf = new float[n], dir = new float[3 * n];
        int[] region = new int[n], tract = new int[n];
        final int sub = 3;
        final int subs = sub * sub * sub;
        int[] votes = new int[128];
        double[] best = new double[4];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    int cg = 0, cw = 0, cc = 0;
                    java.util.Arrays.fill(votes, 0);
                    for (int s = 0; s < subs; s++) {
                        double ox = ((s % sub) + 0.5) / sub - 0.5, oy = ((s / sub % sub) + 0.5) / sub - 0.5,
                                oz = ((s / (sub * sub)) + 0.5) / sub - 0.5;
                        double vx = x + ox, vy = y + oy, vz = z + oz;
                        double px = a[0] * vx + a[1] * vy + a[2] * vz + a[3];
                        double py = a[4] * vx + a[5] * vy + a[6] * vz + a[7];
                        double pz = a[8] * vx + a[9] * vy + a[10] * vz + a[11];
                        int cls = classify(px, py, pz);
                        if (cls == GM) {
                            cg++;
                            votes[label(px, py, pz)]++;
                        } else if (cls == WM) cw++;
                        else if (cls == CSF) cc++;
                    }
                    gm[i] = (float) cg / subs;
                    wm[i] = (float) cw / subs;
                    csf[i] = (float) cc / subs;
                    if (gm[i] >= 0.2f) {
                        int bl = 0;
                        for (int l = 1; l < votes.length; l++) if (votes[l] > votes[bl]) bl = l;
                        region[i] = bl;
                    }
                    if (wm[i] > 0) {
                        double px = a[0] * x + a[1] * y + a[2] * z + a[3];
                        double py = a[4] * x + a[5] * y + a[6] * z + a[7];
                        double pz = a[8] * x + a[9] * y + a[10] * z + a[11];
                        int lab = nearestTube(px, py, pz, best);
                        if (lab > 0) {
                            tract[i] = lab;
                            dir[3 * i] = (float) best[1];
                            dir[3 * i + 1] = (float) best[2];
                            dir[3 * i + 2] = (float) best[3];
                        }
                    }
                }
            }
        }
        TractDirections.fillWhiteMatter(wm, dir, nx, ny, nz);
        return new Anatomy(grid, gm, wm, csf, region, tract, dir, new LabelTable(AAL_NAMES), new LabelTable(JHU_NAMES),
                "procedural brain (ellipsoid cerebrum, cortical ribbon, ventricles, deep grey nuclei, cerebellum, "
                        + "16 tubular tracts)");
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Tissue class of the world point (mm). */
    static int classify(double x, double y, double z) {
        double ex = (x - C[0]) / R[0], ey = (y - C[1]) / R[1], ez = (z - C[2]) / R[2];
        double wobble = 0.035 * (Math.sin(0.20 * x + 0.3 * y) + Math.sin(0.18 * y - 0.25 * z + 1)
                + Math.sin(0.22 * z + 0.15 * x + 2)) / 3;
        double rho = Math.sqrt(ex * ex + ey * ey + ez * ez) / (1 + wobble);
        double depth = (1 - rho) * MEAN_RADIUS;
        double cx = (x - CB_C[0]) / CB_R[0], cy = (y - CB_C[1]) / CB_R[1], cz = (z - CB_C[2]) / CB_R[2];
        double cbDepth = (1 - Math.sqrt(cx * cx + cy * cy + cz * cz)) * 28;
        if (cbDepth >= 0 && (z < -20 || depth < 0)) return cbDepth < 6 ? GM : WM;
        boolean stem = z < -5 && z > -70 && sq(x) + sq((y + 25) * 1.3) < 81;
        if (stem && depth < 0) return WM;
        if (depth < -2.5) return cbDepth >= -2.5 ? CSF : OUTSIDE;
        if (depth < 0) return CSF;
        double ax = Math.abs(x);
        // ventricles
        if (sq((ax - 12) / 6) + sq((y + 8) / 26) + sq((z - 16) / 8) <= 1) return CSF;
        if (sq(x / 2) + sq((y + 15) / 12) + sq((z - 5) / 8) <= 1) return CSF;
        for (double[] e : DEEP) if (sq((ax + e[1]) / e[4]) + sq((y - e[2]) / e[5]) + sq((z - e[3]) / e[6]) <= 1) return GM;
        boolean medialWall = z > 24 || y < -50 || y > 35;
        if (medialWall && ax < 1.5) return CSF;
        if (medialWall && ax < 5) return GM;
        if (depth < 7) return GM;
        return WM;
    }

    /** AAL label of a grey-matter point (mm). */
    static int label(double x, double y, double z) {
        double ax = Math.abs(x);
        int side = x < 0 ? 0 : 1;
        for (double[] e : DEEP)
            if (sq((ax + e[1]) / e[4]) + sq((y - e[2]) / e[5]) + sq((z - e[3]) / e[6]) <= 1) return (int) e[0] + side;
        double cx = (x - CB_C[0]) / CB_R[0], cy = (y - CB_C[1]) / CB_R[1], cz = (z - CB_C[2]) / CB_R[2];
        if (cx * cx + cy * cy + cz * cz <= 1 && z < -20) return 91 + side;
        int best = 0;
        double bd = Double.POSITIVE_INFINITY;
        for (double[] s : SEEDS) {
            double dd = sq(ax + s[1]) + sq(y - s[2]) + sq(z - s[3]);
            if (dd < bd) {
                bd = dd;
                best = (int) s[0];
            }
        }
        return best + side;
    }

    /** Label of the nearest tube containing the point, or 0; best[0] = distance, best[1..3] = direction. */
    private static int nearestTube(double x, double y, double z, double[] best) {
        int lab = 0;
        best[0] = Double.POSITIVE_INFINITY;
        for (Tube t : TUBES) {
            if (t.leftRight && Math.abs(x) > t.halfWidth) continue;
            for (int k = 0; k + 1 < t.pts.length; k++) {
                double[] p = t.pts[k], q = t.pts[k + 1];
                double ux = t.leftRight ? 0 : q[0] - p[0], uy = q[1] - p[1], uz = q[2] - p[2];
                double wx = t.leftRight ? 0 : x - p[0], wy = y - p[1], wz = z - p[2];
                double len2 = ux * ux + uy * uy + uz * uz;
                double s = Math.max(0, Math.min(1, (wx * ux + wy * uy + wz * uz) / len2));
                double dist = Math.sqrt(sq(wx - s * ux) + sq(wy - s * uy) + sq(wz - s * uz));
                if (dist <= t.radius && dist < best[0]) {
                    best[0] = dist;
                    if (t.leftRight) {
                        lab = y > 18 ? 3 : y < -26 ? 5 : 4;
                        best[1] = 1;
                        best[2] = 0;
                        best[3] = 0;
                    } else {
                        double len = Math.sqrt(len2);
                        lab = t.label;
                        best[1] = ux / len;
                        best[2] = uy / len;
                        best[3] = uz / len;
                    }
                }
            }
        }
        return lab;
    }
}
