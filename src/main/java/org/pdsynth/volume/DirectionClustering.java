package org.pdsynth.volume;

import java.util.Arrays;

/**
 * Deterministic clustering of diffusion directions into k groups, antipodally symmetric: d and
 * -d are the same axis. Similarity of two unit vectors is |cos| = |a . b|; distance is
 * 1 - |a . b|.
 *
 * <p>Algorithm (no randomness; every tie goes to the lowest index):
 * <ol>
 *   <li>Seeding, farthest point: seed 0 is the direction most aligned with the x axis (largest
 *       |d_x|). Each next seed is the direction farthest from all seeds so far (largest minimum
 *       distance). Cluster c starts as {seed c}.
 *   <li>k-means on |cos|: assign every direction to the centre with the largest |cos| (a
 *       direction tied between its current cluster and another stays); a cluster left empty takes
 *       the direction farthest from its own centre among clusters with two or more members.
 *       Each centre becomes the normalised sum of its members, each flipped to the centre's
 *       hemisphere (sign of d . centre, + when 0). Repeat until no assignment changes (at most
 *       {@value #MAX_ITERATIONS} rounds).
 * </ol>
 * Clusters keep the seed order, so cluster 0 is the one around the x-most direction.
 */
public final class DirectionClustering {
    /** Upper bound on k-means rounds. */
    public static final int MAX_ITERATIONS = 100;

    private DirectionClustering() {}

    /**
     * Groups unit vectors (rows of {@code dirs}, length 3, non-zero) into {@code k} non-empty
     * clusters.
     *
     * @return for each cluster, the indices into {@code dirs} of its members, ascending
     */
    public static int[][] cluster(double[][] dirs, int k) {
        int n = dirs.length;
        if (k < 1 || k > n) throw new IllegalArgumentException("cannot make " + k + " direction groups from " + n + " directions");
        double[][] d = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] v = dirs[i];
            double norm = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            if (!(norm > 0) || !Double.isFinite(norm)) throw new IllegalArgumentException("direction " + i + " is not a non-zero vector");
            d[i] = new double[] {v[0] / norm, v[1] / norm, v[2] / norm};
        }
        double[][] centres = new double[k][];
        int[] assign = new int[n];
        Arrays.fill(assign, -1);
        seed(d, k, centres, assign);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            boolean changed = assignStep(d, centres, assign);
            changed |= fillEmpty(d, centres, assign);
            updateCentres(d, centres, assign);
            if (!changed && iter > 0) break;
        }
        int[] counts = new int[k];
        for (int a : assign) counts[a]++;
        int[][] out = new int[k][];
        for (int c = 0; c < k; c++) out[c] = new int[counts[c]];
        int[] fill = new int[k];
        for (int i = 0; i < n; i++) out[assign[i]][fill[assign[i]]++] = i;
        return out;
    }

    private static void seed(double[][] d, int k, double[][] centres, int[] assign) {
        int n = d.length;
        int first = 0;
        for (int i = 1; i < n; i++) if (Math.abs(d[i][0]) > Math.abs(d[first][0])) first = i;
        boolean[] chosen = new boolean[n];
        double[] minDist = new double[n];
        Arrays.fill(minDist, Double.POSITIVE_INFINITY);
        int s = first;
        for (int c = 0; c < k; c++) {
            if (c > 0) {
                s = -1;
                for (int i = 0; i < n; i++)
                    if (!chosen[i] && (s < 0 || minDist[i] > minDist[s])) s = i;
            }
            chosen[s] = true;
            assign[s] = c;
            centres[c] = d[s].clone();
            for (int i = 0; i < n; i++) minDist[i] = Math.min(minDist[i], 1 - Math.abs(dot(d[i], d[s])));
        }
    }

    private static boolean assignStep(double[][] d, double[][] centres, int[] assign) {
        boolean changed = false;
        for (int i = 0; i < d.length; i++) {
            int best = -1;
            double bestSim = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < centres.length; c++) {
                double sim = Math.abs(dot(d[i], centres[c]));
                if (sim > bestSim) {
                    bestSim = sim;
                    best = c;
                }
            }
            int cur = assign[i];
            if (cur >= 0 && Math.abs(dot(d[i], centres[cur])) >= bestSim) best = cur;
            if (best != cur) {
                assign[i] = best;
                changed = true;
            }
        }
        return changed;
    }

    private static boolean fillEmpty(double[][] d, double[][] centres, int[] assign) {
        boolean changed = false;
        int k = centres.length;
        int[] counts = new int[k];
        for (int a : assign) counts[a]++;
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) continue;
            int far = -1;
            double farDist = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < d.length; i++) {
                if (counts[assign[i]] < 2) continue;
                double dist = 1 - Math.abs(dot(d[i], centres[assign[i]]));
                if (dist > farDist) {
                    farDist = dist;
                    far = i;
                }
            }
            counts[assign[far]]--;
            assign[far] = c;
            counts[c] = 1;
            centres[c] = d[far].clone();
            changed = true;
        }
        return changed;
    }

    private static void updateCentres(double[][] d, double[][] centres, int[] assign) {
        int k = centres.length;
        double[][] sum = new double[k][3];
        for (int i = 0; i < d.length; i++) {
            double[] ref = centres[assign[i]];
            double sign = dot(d[i], ref) >= 0 ? 1 : -1;
            for (int a = 0; a < 3; a++) sum[assign[i]][a] += sign * d[i][a];
        }
        for (int c = 0; c < k; c++) {
            double norm = Math.sqrt(dot(sum[c], sum[c]));
            if (norm > 0) centres[c] = new double[] {sum[c][0] / norm, sum[c][1] / norm, sum[c][2] / norm};
        }
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
