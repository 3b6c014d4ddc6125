package org.pdsynth.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdsynth.volume.Diagnosis;

class CrossValidationTest {

    /** n subjects per class (NC, MCI, AD), ids in scrambled order so sorting matters. */
    static List<String> ids(int total) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < total; i++) ids.add(String.format("sub-%03d", (i * 37) % 1000));
        return ids;
    }

    static List<Diagnosis> labels(int... perClass) {
        List<Diagnosis> l = new ArrayList<>();
        for (int k = 0; k < 3; k++) for (int i = 0; i < perClass[k]; i++) l.add(Diagnosis.values()[k]);
        return l;
    }

    @Test
    void foldsPartitionSubjectsAndKeepClassProportions() {
        List<Diagnosis> labels = labels(11, 7, 5);
        List<String> ids = ids(23);
        int k = 4;
        int[] fold = StratifiedFolds.assign(ids, labels, k, 7);
        int[] size = new int[k];
        int[][] perClass = new int[3][k];
        for (int i = 0; i < fold.length; i++) {
            assertTrue(fold[i] >= 0 && fold[i] < k);
            size[fold[i]]++;
            perClass[labels.get(i).ordinal()][fold[i]]++;
        }
        // each subject in exactly one fold (an int per subject), sizes within one of each other
        assertEquals(23, size[0] + size[1] + size[2] + size[3]);
        assertTrue(max(size) - min(size) <= 1);
        for (int c = 0; c < 3; c++) {
            assertTrue(max(perClass[c]) - min(perClass[c]) <= 1, "class " + c + " counts per fold " + java.util.Arrays.toString(perClass[c]));
            // proportion kept: count in a fold within 1 of n_c / k
            int n = c == 0 ? 11 : c == 1 ? 7 : 5;
            for (int f = 0; f < k; f++) assertTrue(Math.abs(perClass[c][f] - (double) n / k) < 1);
        }
        // deterministic, independent of row order, seed-dependent
        assertArrayEquals(fold, StratifiedFolds.assign(ids, labels, k, 7));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 23; i++) order.add(i);
        Collections.shuffle(order, new Random(3));
        List<String> ids2 = new ArrayList<>();
        List<Diagnosis> labels2 = new ArrayList<>();
        for (int i : order) {
            ids2.add(ids.get(i));
            labels2.add(labels.get(i));
        }
        int[] fold2 = StratifiedFolds.assign(ids2, labels2, k, 7);
        for (int q = 0; q < 23; q++) assertEquals(fold[order.get(q)], fold2[q]);
        int[] other = StratifiedFolds.assign(ids, labels, k, 8);
        assertTrue(!java.util.Arrays.equals(fold, other));
        assertThrows(IllegalArgumentException.class, () -> StratifiedFolds.assign(ids, labels, 24, 0));
        assertThrows(IllegalArgumentException.class, () -> StratifiedFolds.assign(ids, labels, 1, 0));
    }

    /**
     * 3 classes of m subjects; feature k (k = 0, 1, 2) = 3 [class == k] + N(0, 0.3^2), so each class
     * has a feature of its own (as a region affected in one stage only), separable by a wide margin;
     * 7 more N(0, 1) noise features.
     */
    static FeatureTable separable(int m, long seed) {
        Random r = new Random(seed);
        List<Diagnosis> labels = labels(m, m, m);
        List<String> ids = ids(3 * m);
        double[][] x = new double[3 * m][10];
        for (int i = 0; i < 3 * m; i++) {
            for (int j = 0; j < 3; j++) x[i][j] = (labels.get(i).ordinal() == j ? 3 : 0) + 0.3 * r.nextGaussian();
            for (int j = 3; j < 10; j++) x[i][j] = r.nextGaussian();
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < 10; j++) names.add("f" + j);
        return new FeatureTable(ids, labels, names, x);
    }

    @Test
    void separableFeaturesAreClassifiedPerfectly() {
        FeatureTable t = separable(20, 1);
        CrossValidation.Result r = CrossValidation.of(5, 0, LogisticRegression.DEFAULT_LAMBDA).run(t, Progress.NONE);
        assertEquals(1.0, r.accuracy());
        assertEquals(1.0, r.macroF1());
        assertArrayEquals(new int[][] {{20, 0, 0}, {0, 20, 0}, {0, 0, 20}}, r.confusion());
        assertEquals(0, r.nonConverged());
        for (double a : r.foldAccuracy()) assertEquals(1.0, a);
        for (Prediction p : r.predictions()) {
            double s = 0;
            for (double v : p.probabilities()) s += v;
            assertEquals(1.0, s, 1e-12);
        }
    }

    /**
     * The same features with the labels permuted: no information, so the out-of-fold accuracy
     * is a chance count. Null model: each of n = 150 predictions correct with p = 1/3,
     * independently (an approximation: folds share training data). The test asserts the count lies
     * in the central 1 - 1e-4 of Binomial(150, 1/3), computed here exactly.
     */
    /**
     * One ORDINAL feature (NC &lt; MCI &lt; AD, 3 units apart, noise sd 0.3): separable, but the middle
     * class needs weak regularisation: with lambda = 1 the penalty keeps the slope
     * too small for MCI to win anywhere near all of its interval (measured: 0.78); lambda = 0.001
     * classifies all.
     */
    @Test
    void ordinalFeatureNeedsAWeakPenaltyForTheMiddleClass() {
        Random r = new Random(1);
        List<Diagnosis> labels = labels(20, 20, 20);
        double[][] x = new double[60][4];
        for (int i = 0; i < 60; i++) {
            x[i][0] = 3 * labels.get(i).ordinal() + 0.3 * r.nextGaussian();
            for (int j = 1; j < 4; j++) x[i][j] = r.nextGaussian();
        }
        FeatureTable t = new FeatureTable(ids(60), labels, List.of("f0", "f1", "f2", "f3"), x);
        assertEquals(1.0, CrossValidation.of(5, 0, 0.001).run(t, Progress.NONE).accuracy());
        CrossValidation.Result strong = CrossValidation.of(5, 0, 1.0).run(t, Progress.NONE);
        assertTrue(strong.recall()[1] < strong.recall()[0] && strong.recall()[1] < strong.recall()[2], java.util.Arrays.toString(strong.recall()));
    }

    @Test
    void shuffledLabelsGiveChanceAccuracy() {
        FeatureTable t = separable(50, 2);
        List<Diagnosis> shuffled = new ArrayList<>(t.labels());
        Collections.shuffle(shuffled, new Random(11));
        FeatureTable s = new FeatureTable(t.subjects(), shuffled, t.names(), t.values());
        CrossValidation.Result r = CrossValidation.of(5, 0, LogisticRegression.DEFAULT_LAMBDA).run(s, Progress.NONE);
        int n = 150;
        int[] range = binomialCentralRange(n, 1.0 / 3, 1e-4);
        int correct = (int) Math.round(r.accuracy() * n);
        assertTrue(correct >= range[0] && correct <= range[1],
                correct + " correct of " + n + " is outside the chance range " + range[0] + ".." + range[1]);
        // the same data with true labels: far above that range
        assertTrue(CrossValidation.of(5, 0, LogisticRegression.DEFAULT_LAMBDA).run(t, Progress.NONE).accuracy() * n > range[1]);
    }

    /** Smallest lo and largest hi with P(X < lo) <= alpha/2 and P(X > hi) <= alpha/2, X ~ Binomial(n, p). */
    static int[] binomialCentralRange(int n, double p, double alpha) {
        double[] pmf = new double[n + 1];
        for (int x = 0; x <= n; x++) {
            double logC = 0;
            for (int i = 1; i <= x; i++) logC += Math.log(n - x + i) - Math.log(i);
            pmf[x] = Math.exp(logC + x * Math.log(p) + (n - x) * Math.log(1 - p));
        }
        int lo = 0;
        double tail = 0;
        while (tail + pmf[lo] <= alpha / 2) tail += pmf[lo++];
        int hi = n;
        tail = 0;
        while (tail + pmf[hi] <= alpha / 2) tail += pmf[hi--];
        return new int[] {lo, hi};
    }

    @Test
    void binomialRangeIsRight() {
        // Binomial(150, 1/3): mean 50, sd 5.77; the 1e-4 central range is about mean -+ 3.9 sd
        int[] r = binomialCentralRange(150, 1.0 / 3, 1e-4);
        assertTrue(r[0] >= 26 && r[0] <= 30 && r[1] >= 70 && r[1] <= 74, java.util.Arrays.toString(r));
    }

    @Test
    void metricsOfAHandConfusionMatrix() {
        int[][] c = {{5, 1, 0}, {2, 3, 1}, {0, 0, 0}};
        assertEquals(8.0 / 12, ClassificationMetrics.accuracy(c), 1e-15);
        assertEquals(5.0 / 6, ClassificationMetrics.recall(c, 0), 1e-15);
        assertEquals(0.5, ClassificationMetrics.recall(c, 1), 1e-15);
        assertTrue(Double.isNaN(ClassificationMetrics.recall(c, 2)));
        // F1: NC 2*5/(6+7) = 10/13, MCI 2*3/(6+4) = 0.6, AD predicted once, never true: 0
        assertEquals((10.0 / 13 + 0.6 + 0) / 3, ClassificationMetrics.macroF1(c), 1e-15);
        int[][] two = {{4, 0, 0}, {1, 3, 0}, {0, 0, 0}}; // AD neither true nor predicted: not averaged
        assertEquals((8.0 / 9 + 6.0 / 7) / 2, ClassificationMetrics.macroF1(two), 1e-15);
    }

    @Test
    void aClassMissingFromTrainingIsNeverPredicted() {
        // AD has a single subject: the fold that tests it trains on NC and MCI only
        FeatureTable t = separable(6, 5);
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < 13; i++) keep.add(i); // 6 NC, 6 MCI, 1 AD
        FeatureTable s = t.rows(keep.stream().mapToInt(Integer::intValue).toArray());
        CrossValidation.Result r = CrossValidation.of(3, 0, LogisticRegression.DEFAULT_LAMBDA).run(s, Progress.NONE);
        Prediction ad = r.predictions().get(12);
        assertEquals(Diagnosis.AD, ad.truth());
        assertEquals(0.0, ad.probabilities()[2]);
        assertTrue(ad.predicted() != Diagnosis.AD);
        assertEquals(0.0, r.recall()[2]);
    }

    private static int max(int[] a) {
        int m = Integer.MIN_VALUE;
        for (int v : a) m = Math.max(m, v);
        return m;
    }

    private static int min(int[] a) {
        int m = Integer.MAX_VALUE;
        for (int v : a) m = Math.min(m, v);
        return m;
    }
}
