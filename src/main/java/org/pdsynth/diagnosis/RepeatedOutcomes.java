package org.pdsynth.diagnosis;

import java.util.List;

/**
 * The out-of-fold predictions of R repeats of a cross-validation, per subject: what the
 * validation statistics ({@link ValidationStatistics}) work on.
 *
 * <p>Definitions (classes coded NC = 0, MCI = 1, AD = 2):
 * <ul>
 *   <li>the POOLED confusion matrix sums, over every subject i and repeat r, one count at
 *       (truth_i, predicted_ir); accuracy and macro F1 come from it ({@link ClassificationMetrics}),
 *       so the accuracy is the fraction of correct predictions among all n R, i.e. the mean of
 *       the R repeats' accuracies;
 *   <li>a subject's MAJORITY VOTE is the class predicted in the most repeats; a tie goes to the
 *       tied class with the larger mean probability over the repeats, then to the lower class
 *       code. The subject is majority-correct when its vote equals its truth.
 * </ul>
 *
 * @param subjects        ids, in table row order
 * @param truth           class code per subject
 * @param predicted       [subject][repeat] predicted class code
 * @param meanProbability [subject][class] mean over repeats of the predicted probability
 * @param nonConverged    fits (over all repeats and folds) that stopped before the gradient tolerance
 */
public record RepeatedOutcomes(List<String> subjects, int[] truth, int[][] predicted, double[][] meanProbability, int nonConverged) {

    public RepeatedOutcomes {
        subjects = List.copyOf(subjects);
        int n = subjects.size();
        if (truth.length != n || predicted.length != n || meanProbability.length != n)
            throw new IllegalArgumentException(n + " subjects but " + truth.length + " truths, " + predicted.length + " prediction rows, "
                    + meanProbability.length + " probability rows");
        if (n == 0) throw new IllegalArgumentException("no subject");
        int r = predicted[0].length;
        if (r < 1) throw new IllegalArgumentException("no repeat");
        truth = truth.clone();
        int[][] p = new int[n][];
        double[][] q = new double[n][];
        for (int i = 0; i < n; i++) {
            if (predicted[i].length != r) throw new IllegalArgumentException("subject " + subjects.get(i) + " has " + predicted[i].length + " repeats, not " + r);
            if (truth[i] < 0 || truth[i] > 2) throw new IllegalArgumentException("class code " + truth[i] + " not in 0..2");
            for (int c : predicted[i]) if (c < 0 || c > 2) throw new IllegalArgumentException("class code " + c + " not in 0..2");
            p[i] = predicted[i].clone();
            q[i] = meanProbability[i].clone();
        }
        predicted = p;
        meanProbability = q;
    }

    /** n, the subjects. */
    public int size() {
        return subjects.size();
    }

    /** R, the repeats. */
    public int repeats() {
        return predicted[0].length;
    }

    /** counts[i][k] = repeats in which subject i was predicted class k. */
    public int[][] predictionCounts() {
        int[][] c = new int[size()][3];
        for (int i = 0; i < size(); i++) for (int k : predicted[i]) c[i][k]++;
        return c;
    }

    /** The pooled 3 x 3 confusion matrix (rows truth, columns prediction) over all subjects and repeats. */
    public int[][] confusion() {
        int[][] m = new int[3][3];
        for (int i = 0; i < size(); i++) for (int k : predicted[i]) m[truth[i]][k]++;
        return m;
    }

    /** Pooled accuracy (mean of the repeats' accuracies). */
    public double accuracy() {
        return ClassificationMetrics.accuracy(confusion());
    }

    /** Macro F1 of the pooled confusion matrix. */
    public double macroF1() {
        return ClassificationMetrics.macroF1(confusion());
    }

    /** Accuracy of each repeat. */
    public double[] repeatAccuracy() {
        double[] a = new double[repeats()];
        for (int r = 0; r < a.length; r++) {
            int ok = 0;
            for (int i = 0; i < size(); i++) if (predicted[i][r] == truth[i]) ok++;
            a[r] = (double) ok / size();
        }
        return a;
    }

    /** The majority-vote class of subject i (tie rule in the class comment). */
    public int majority(int i) {
        int[] c = new int[3];
        for (int k : predicted[i]) c[k]++;
        int best = 0;
        for (int k = 1; k < 3; k++)
            if (c[k] > c[best] || (c[k] == c[best] && meanProbability[i][k] > meanProbability[i][best])) best = k;
        return best;
    }

    /** Whether each subject's majority vote is its truth. */
    public boolean[] majorityCorrect() {
        boolean[] ok = new boolean[size()];
        for (int i = 0; i < ok.length; i++) ok[i] = majority(i) == truth[i];
        return ok;
    }

    /** Majority-class rate: the accuracy of always predicting the most frequent true class. */
    public double chanceAccuracy() {
        int[] c = new int[3];
        for (int t : truth) c[t]++;
        return (double) Math.max(c[0], Math.max(c[1], c[2])) / size();
    }
}
