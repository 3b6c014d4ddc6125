package org.pdsynth.diagnosis;

/**
 * Multinomial (softmax) logistic regression with an L2 penalty, fitted by {@link Lbfgs}.
 *
 * <p><b>Model.</b> K classes, d features; coefficients W (K x d), intercepts b (K);
 * P(class k | x) = softmax_k(W x + b).
 *
 * <p><b>Objective</b> (minimised):
 * <pre>
 *   J(W, b) = (1/n) sum_i -log P(y_i | x_i)  +  (lambda / 2) sum_kj W_kj^2
 * </pre>
 * the MEAN cross-entropy plus lambda/2 times the squared Frobenius norm of W; the intercepts are
 * not penalised. This is scikit-learn's {@code LogisticRegression(penalty="l2",
 * multi_class="multinomial", C=C, fit_intercept=True)} objective (sum CE + ||W||^2 / (2C)) divided
 * by n, so the minimisers agree exactly when {@code C = 1 / (n lambda)} ({@link #sklearnC}).
 *
 * <p><b>Canonical form.</b> Softmax is unchanged by adding one constant to every intercept; the
 * fitted intercepts are shifted to sum to 0 (W needs no such step: at the optimum each column
 * of W sums to 0). With two classes the rows satisfy W_0 = -W_1, and scikit-learn's single
 * {@code coef_} row is W_1.
 *
 * <p><b>Fit.</b> L-BFGS (memory 10) from W = 0, b = 0 until max |dJ/dtheta| &lt;= tolerance
 * (default {@value #DEFAULT_TOLERANCE}) or {@value #DEFAULT_MAX_ITERATIONS} iterations;
 * deterministic. Log-sum-exp with the row maximum subtracted. Every class 0..K-1 must occur in
 * the training labels (an absent class has no finite optimum: its intercept would go to -inf).
 *
 * @param lambda        penalty strength (&gt;= 0; 0 only when the data are not separable)
 * @param tolerance     gradient max-abs stopping threshold
 * @param maxIterations L-BFGS iteration cap
 */
public record LogisticRegression(double lambda, double tolerance, int maxIterations) {
    /**
     * Default penalty, for standardised features. Not tuned on real cohorts; chosen from the
     * tests' synthetic cases, where 1.0 under-fitted (an ordinal NC &lt; MCI &lt; AD feature: accuracy
     * 0.78 at 1.0, 0.83 at 0.1, 0.93 at 0.01; the generated protocol cohort: 0.97 at 1.0, 1.0 at 0.1).
     */
    public static final double DEFAULT_LAMBDA = 0.1;
    public static final double DEFAULT_TOLERANCE = 1e-8;
    public static final int DEFAULT_MAX_ITERATIONS = 10_000;

    public LogisticRegression {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        if (!(tolerance > 0)) throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }

    /** Default tolerance and iteration cap. */
    public LogisticRegression(double lambda) {
        this(lambda, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS);
    }

    /** scikit-learn's C for the same minimiser on n training rows: 1 / (n lambda). */
    public static double sklearnC(double lambda, int n) {
        return 1 / (n * lambda);
    }

    /**
     * A fitted model.
     *
     * @param coef        W, K rows of d coefficients
     * @param intercept   b, K values summing to 0
     * @param objective   J at the solution
     * @param gradientMaxAbs max |dJ/dtheta| at the solution
     * @param iterations  L-BFGS iterations used
     * @param converged   whether the gradient test was met
     */
    public record Model(double[][] coef, double[] intercept, double objective, double gradientMaxAbs, int iterations,
            boolean converged) {
        public int classes() {
            return intercept.length;
        }

        public int features() {
            return coef[0].length;
        }

        /** P(k | x) for k = 0..K-1. */
        public double[] probabilities(double[] x) {
            if (x.length != features()) throw new IllegalArgumentException("row has " + x.length + " features, the model " + features());
            double[] z = new double[classes()];
            for (int k = 0; k < z.length; k++) z[k] = intercept[k] + Lbfgs.dot(coef[k], x);
            softmaxInPlace(z);
            return z;
        }

        /** The most probable class (the lowest index on a tie). */
        public int predict(double[] x) {
            double[] p = probabilities(x);
            int best = 0;
            for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
            return best;
        }
    }

    /**
     * Fits the model.
     *
     * @param x       n rows of d features (standardise them first; see {@link Standardizer})
     * @param y       class per row, in 0..classes-1, every class present
     * @param classes K &gt;= 2
     */
    public Model fit(double[][] x, int[] y, int classes) {
        int n = x.length;
        if (n == 0 || y.length != n) throw new IllegalArgumentException(n + " rows and " + y.length + " labels: need as many, at least one");
        if (classes < 2) throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        int d = x[0].length;
        int[] count = new int[classes];
        for (int i = 0; i < n; i++) {
            if (x[i].length != d) throw new IllegalArgumentException("row " + i + " has " + x[i].length + " features, row 0 has " + d);
            if (y[i] < 0 || y[i] >= classes) throw new IllegalArgumentException("label " + y[i] + " of row " + i + " is not in 0.." + (classes - 1));
            count[y[i]]++;
        }
        for (int k = 0; k < classes; k++)
            if (count[k] == 0) throw new IllegalArgumentException("class " + k + " has no training row");
        int p = classes * (d + 1);
        Lbfgs.Objective fn = (theta, grad) -> objective(theta, grad, x, y, classes, d);
        Lbfgs.Result r = new Lbfgs(10, tolerance, maxIterations).minimize(fn, new double[p]);
        double[][] w = new double[classes][d];
        double[] b = new double[classes];
        double bMean = 0;
        for (int k = 0; k < classes; k++) {
            System.arraycopy(r.x(), k * d, w[k], 0, d);
            b[k] = r.x()[classes * d + k];
            bMean += b[k] / classes;
        }
        for (int k = 0; k < classes; k++) b[k] -= bMean;
        return new Model(w, b, r.value(), r.gradientMaxAbs(), r.iterations(), r.converged());
    }

    /** J(theta) and its gradient; theta = [W row-major (K x d), b (K)]. */
    private double objective(double[] theta, double[] grad, double[][] x, int[] y, int classes, int d) {
        int n = x.length;
        java.util.Arrays.fill(grad, 0);
        double loss = 0;
        double[] z = new double[classes];
        int bOff = classes * d;
        for (int i = 0; i < n; i++) {
            double[] xi = x[i];
            for (int k = 0; k < classes; k++) {
                double s = theta[bOff + k];
                int off = k * d;
                for (int j = 0; j < d; j++) s += theta[off + j] * xi[j];
                z[k] = s;
            }
            double lse = logSumExp(z);
            loss += lse - z[y[i]];
            for (int k = 0; k < classes; k++) {
                double r = (Math.exp(z[k] - lse) - (k == y[i] ? 1 : 0)) / n; // (p_ik - y_ik) / n
                int off = k * d;
                for (int j = 0; j < d; j++) grad[off + j] += r * xi[j];
                grad[bOff + k] += r;
            }
        }
        double pen = 0;
        for (int q = 0; q < bOff; q++) {
            pen += theta[q] * theta[q];
            grad[q] += lambda * theta[q];
        }
        return loss / n + 0.5 * lambda * pen;
    }

    static double logSumExp(double[] z) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : z) m = Math.max(m, v);
        double s = 0;
        for (double v : z) s += Math.exp(v - m);
        return m + Math.log(s);
    }

    static void softmaxInPlace(double[] z) {
        double lse = logSumExp(z);
        for (int k = 0; k < z.length; k++) z[k] = Math.exp(z[k] - lse);
    }
}
