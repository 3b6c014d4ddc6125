package org.pdsynth.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirectionClusteringTest {
    /** n directions on a Fibonacci spiral over the upper hemisphere, some flipped to the lower one. */
    static double[][] spiral(int n) {
        double[][] d = new double[n][];
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int i = 0; i < n; i++) {
            double z = 1 - (i + 0.5) / n;
            double r = Math.sqrt(1 - z * z);
            double s = i % 3 == 0 ? -1 : 1;
            d[i] = new double[] {s * r * Math.cos(i * golden), s * r * Math.sin(i * golden), s * z};
        }
        return d;
    }

    private static double absDot(double[] a, double[] b) {
        return Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
    }

    @Test
    void everyDirectionIsInTheClusterOfItsNearestCentre() {
        double[][] d = spiral(32);
        int[][] c = DirectionClustering.cluster(d, 7);
        assertEquals(7, c.length);
        int total = 0;
        double[][] centres = new double[7][];
        for (int k = 0; k < 7; k++) {
            assertTrue(c[k].length > 0, "cluster " + k + " is empty");
            total += c[k].length;
            // centre: sign-aligned mean as the algorithm defines it (aligned to the first member
            // works too when members lie within 90 degrees of each other)
            double[] ref = d[c[k][0]], s = new double[3];
            for (int i : c[k]) {
                double sg = d[i][0] * ref[0] + d[i][1] * ref[1] + d[i][2] * ref[2] >= 0 ? 1 : -1;
                for (int a = 0; a < 3; a++) s[a] += sg * d[i][a];
            }
            double n = Math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
            centres[k] = new double[] {s[0] / n, s[1] / n, s[2] / n};
        }
        assertEquals(32, total);
        for (int k = 0; k < 7; k++)
            for (int i : c[k])
                for (int j = 0; j < 7; j++)
                    assertTrue(absDot(d[i], centres[k]) >= absDot(d[i], centres[j]) - 1e-9,
                            "direction " + i + " in cluster " + k + " is nearer centre " + j);
    }

    @Test
    void antipodalFlipsDoNotChangeTheClusters() {
        double[][] d = spiral(20);
        double[][] flipped = new double[d.length][];
        for (int i = 0; i < d.length; i++)
            flipped[i] = i % 2 == 0 ? new double[] {-d[i][0], -d[i][1], -d[i][2]} : d[i].clone();
        int[][] a = DirectionClustering.cluster(d, 5), b = DirectionClustering.cluster(flipped, 5);
        for (int k = 0; k < 5; k++) assertArrayEquals(a[k], b[k]);
    }

    @Test
    void inputOrderDoesNotChangeTheGrouping() {
        double[][] d = spiral(24);
        int[] perm = new int[24];
        for (int i = 0; i < 24; i++) perm[i] = (i * 7 + 3) % 24;
        double[][] p = new double[24][];
        for (int i = 0; i < 24; i++) p[i] = d[perm[i]];
        int[][] a = DirectionClustering.cluster(d, 6), b = DirectionClustering.cluster(p, 6);
        for (int k = 0; k < 6; k++) {
            Set<Integer> sa = new HashSet<>(), sb = new HashSet<>();
            for (int i : a[k]) sa.add(i);
            for (int i : b[k]) sb.add(perm[i]);
            assertEquals(sa, sb, "cluster " + k);
        }
    }

    @Test
    void repeatedDirectionsStillGiveNonEmptyClusters() {
        double[][] d = {{1, 0, 0}, {1, 0, 0}, {1, 0, 0}, {0, 1, 0}};
        int[][] c = DirectionClustering.cluster(d, 3);
        for (int[] k : c) assertTrue(k.length > 0, Arrays.deepToString(c));
        assertEquals(4, Arrays.stream(c).mapToInt(k -> k.length).sum());
    }
}
