package org.pdsynth.diagnosis;

/**
 * Metrics of a confusion matrix C (rows = true class, columns = predicted class).
 *
 * <ul>
 *   <li>accuracy = trace C / sum C;
 *   <li>recall_k = C_kk / (row k sum), NaN when class k never occurs in the truth;
 *   <li>precision_k = C_kk / (column k sum), NaN when class k is never predicted;
 *   <li>F1_k = 2 C_kk / (row k sum + column k sum) (the harmonic mean of precision and recall,
 *       0 when C_kk = 0);
 *   <li>macro F1 = mean of F1_k over the classes that occur in the truth OR the predictions
 *       (scikit-learn's {@code f1_score(average="macro", zero_division=0)} with its default labels).
 * </ul>
 */
public final class ClassificationMetrics {
    private ClassificationMetrics() {}

    public static double accuracy(int[][] c) {
        long t = 0, s = 0;
        for (int i = 0; i < c.length; i++)
            for (int j = 0; j < c.length; j++) {
                s += c[i][j];
                if (i == j) t += c[i][j];
            }
        return s == 0 ? Double.NaN : (double) t / s;
    }

    public static double recall(int[][] c, int k) {
        long row = 0;
        for (int j = 0; j < c.length; j++) row += c[k][j];
        return row == 0 ? Double.NaN : (double) c[k][k] / row;
    }

    public static double precision(int[][] c, int k) {
        long col = 0;
        for (int[] r : c) col += r[k];
        return col == 0 ? Double.NaN : (double) c[k][k] / col;
    }

    public static double f1(int[][] c, int k) {
        long row = 0, col = 0;
        for (int j = 0; j < c.length; j++) {
            row += c[k][j];
            col += c[j][k];
        }
        return row + col == 0 ? Double.NaN : 2.0 * c[k][k] / (row + col);
    }

    public static double macroF1(int[][] c) {
        double s = 0;
        int m = 0;
        for (int k = 0; k < c.length; k++) {
            double f = f1(c, k);
            if (!Double.isNaN(f)) {
                s += f;
                m++;
            }
        }
        return m == 0 ? Double.NaN : s / m;
    }
}
