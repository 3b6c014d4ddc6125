package org.pdsynth.diagnosis;

import java.util.ArrayList;
import java.util.List;
import org.pdsynth.volume.Diagnosis;

/**
 * Stratified k-fold cross-validation by subject with a train and a test VERSION of every
 * subject's features (real and hybrid, say): fold f trains on the TRAIN table's rows of the
 * subjects outside fold f and tests on the TEST table's rows of the subjects in fold f, so no
 * subject is ever in both (in any version).
 *
 * <p>Per fold: {@link Standardizer} fitted on the training rows only; {@link LogisticRegression}
 * over the classes present in the training rows (a class absent there gets probability 0 and is
 * never predicted); predictions for the test rows. Folds by {@link StratifiedFolds}. Metrics are
 * POOLED: one confusion matrix (rows = truth NC, MCI, AD; columns = prediction) summed over the
 * folds' out-of-fold predictions, and accuracy / macro F1 / recall from it
 * ({@link ClassificationMetrics}); per-fold accuracies are kept as well.
 *
 * @param folds      k (2..subjects)
 * @param seed       fold assignment seed
 * @param classifier the regression (its lambda)
 */
public record CrossValidation(int folds, long seed, LogisticRegression classifier) {

    public CrossValidation {
        if (folds < 2) throw new IllegalArgumentException("folds must be >= 2, got " + folds);
        if (classifier == null) throw new IllegalArgumentException("classifier must not be null");
    }

    /** k folds, the given seed and penalty, default solver settings. */
    public static CrossValidation of(int folds, long seed, double lambda) {
        return new CrossValidation(folds, seed, new LogisticRegression(lambda));
    }

    /**
     * What a run produced.
     *
     * @param predictions   one per subject, in table row order
     * @param confusion     3 x 3 pooled counts, rows = truth, columns = prediction (NC, MCI, AD)
     * @param foldAccuracy  accuracy of each fold's test subjects
     * @param nonConverged  folds whose fit stopped before the gradient tolerance
     * @param maxConstantFeatures the largest number of constant (zeroed) features in a fold's training set
     */
    public record Result(List<Prediction> predictions, int[][] confusion, double[] foldAccuracy, int nonConverged,
            int maxConstantFeatures) {
        public double accuracy() {
            return ClassificationMetrics.accuracy(confusion);
        }

        public double macroF1() {
            return ClassificationMetrics.macroF1(confusion);
        }

        /** Recall of NC, MCI, AD (NaN for a class with no subject). */
        public double[] recall() {
            double[] r = new double[3];
            for (int k = 0; k < 3; k++) r[k] = ClassificationMetrics.recall(confusion, k);
            return r;
        }
    }

    /** Train and test on the same table (e.g. real/real). */
    public Result run(FeatureTable table, Progress progress) {
        return run(table, table, progress);
    }

    /**
     * Runs the folds.
     *
     * @param train the version of each subject's features used when it is a training subject
     * @param test  the version used when it is a test subject; same subjects, order, labels and columns
     */
    public Result run(FeatureTable train, FeatureTable test, Progress progress) {
        if (!train.alignedWith(test))
            throw new IllegalArgumentException("train and test tables must list the same subjects, labels and columns in the same order");
        int n = train.rows();
        if (folds > n) throw new IllegalArgumentException(folds + " folds but only " + n + " subjects");
        int[] fold = StratifiedFolds.assign(train.subjects(), train.labels(), folds, seed);
        int[] y = train.labelCodes();
        Prediction[] out = new Prediction[n];
        int[][] confusion = new int[3][3];
        double[] foldAcc = new double[folds];
        int nonConverged = 0, maxConstant = 0;
        for (int f = 0; f < folds; f++) {
            progress.update("cross-validation", f, folds);
            List<Integer> tr = new ArrayList<>(), te = new ArrayList<>();
            for (int i = 0; i < n; i++) (fold[i] == f ? te : tr).add(i);
            int[] trIdx = tr.stream().mapToInt(Integer::intValue).toArray();
            int[] teIdx = te.stream().mapToInt(Integer::intValue).toArray();
            // classes present in training -> compact indices
            boolean[] present = new boolean[3];
            for (int i : trIdx) present[y[i]] = true;
            int[] toCompact = new int[3], fromCompact = new int[3];
            int classes = 0;
            for (int k = 0; k < 3; k++) {
                toCompact[k] = present[k] ? classes : -1;
                if (present[k]) fromCompact[classes++] = k;
            }
            if (classes < 2)
                throw new IllegalArgumentException("fold " + f + ": the training subjects all have label " + Diagnosis.values()[fromCompact[0]]
                        + "; need at least two classes (fewer folds or more subjects)");
            double[][] xTrain = new double[trIdx.length][];
            int[] yTrain = new int[trIdx.length];
            for (int q = 0; q < trIdx.length; q++) {
                xTrain[q] = train.values()[trIdx[q]];
                yTrain[q] = toCompact[y[trIdx[q]]];
            }
            Standardizer st = Standardizer.fit(xTrain);
            maxConstant = Math.max(maxConstant, st.constantCount());
            LogisticRegression.Model model = classifier.fit(st.transform(xTrain), yTrain, classes);
            if (!model.converged()) nonConverged++;
            int correct = 0;
            for (int i : teIdx) {
                double[] p = model.probabilities(st.transform(test.values()[i]));
                double[] full = new double[3];
                int best = -1;
                for (int c = 0; c < classes; c++) {
                    full[fromCompact[c]] = p[c];
                    if (best < 0 || p[c] > p[best]) best = c;
                }
                int pred = fromCompact[best];
                confusion[y[i]][pred]++;
                if (pred == y[i]) correct++;
                out[i] = new Prediction(test.subjects().get(i), f, Diagnosis.values()[y[i]], Diagnosis.values()[pred], full);
            }
            foldAcc[f] = teIdx.length == 0 ? Double.NaN : (double) correct / teIdx.length;
        }
        progress.update("cross-validation", folds, folds);
        return new Result(List.of(out), confusion, foldAcc, nonConverged, maxConstant);
    }
}
