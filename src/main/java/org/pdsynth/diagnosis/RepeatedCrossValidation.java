package org.pdsynth.diagnosis;

import java.util.stream.IntStream;

/**
 * Repeated stratified k-fold cross-validation by subject: R runs of {@link CrossValidation}, run r
 * with fold seed {@code seed + r} (so each repeat draws its own {@link StratifiedFolds}
 * assignment), all else identical. The default 10 x 5 is the usual choice for a small cohort:
 * repeating averages out the luck of one fold split. The repeats run in parallel on the common
 * fork-join pool (plain-Java fits, deterministic: each repeat's result is stored by its index).
 *
 * @param repeats    R &gt;= 1
 * @param folds      k (2..subjects)
 * @param seed       fold seed of the first repeat
 * @param classifier the regression (its lambda)
 */
public record RepeatedCrossValidation(int repeats, int folds, long seed, LogisticRegression classifier) {
    public static final int DEFAULT_REPEATS = 10;
    public static final int DEFAULT_FOLDS = 5;

    public RepeatedCrossValidation {
        if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        new CrossValidation(folds, seed, classifier); // validates folds and classifier
    }

    /** Train and test on the same table. */
    public RepeatedOutcomes run(FeatureTable table, Progress progress) {
        return run(table, table, progress);
    }

    /**
     * Runs the R cross-validations.
     *
     * @param train the version of each subject's features used when it is a training subject
     * @param test  the version used when it is a test subject (same subjects, order, labels, columns)
     * @throws IllegalArgumentException as {@link CrossValidation#run(FeatureTable, FeatureTable, Progress)}
     */
    public RepeatedOutcomes run(FeatureTable train, FeatureTable test, Progress progress) {
        if (progress == null) progress = Progress.NONE;
        int n = train.rows();
        int[][] pred = new int[n][repeats];
        double[][] prob = new double[n][3];
        int nonConverged = 0;
        progress.update("repeated cross-validation", 0, repeats);
        // the repeats are independent: run them on the common pool (results by index, so the order of execution does not matter)
        CrossValidation.Result[] results = new CrossValidation.Result[repeats];
        IntStream.range(0, repeats).parallel()
                .forEach(r -> results[r] = new CrossValidation(folds, seed + r, classifier).run(train, test, Progress.NONE));
        for (int r = 0; r < repeats; r++) {
            CrossValidation.Result res = results[r];
            nonConverged += res.nonConverged();
            for (int i = 0; i < n; i++) {
                Prediction p = res.predictions().get(i);
                pred[i][r] = p.predicted().ordinal();
                double[] q = p.probabilities();
                for (int k = 0; k < 3; k++) prob[i][k] += q[k] / repeats;
            }
        }
        progress.update("repeated cross-validation", repeats, repeats);
        return new RepeatedOutcomes(test.subjects(), test.labelCodes(), pred, prob, nonConverged);
    }
}
