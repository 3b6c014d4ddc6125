package org.pdsynth.diagnosis;

/**
 * Limited-memory BFGS minimiser for smooth functions (Nocedal & Wright, Numerical Optimization,
 * algorithms 7.4-7.5), written for convex objectives such as the penalised logistic loss.
 *
 * <p>Direction: the two-loop recursion over the last {@code memory} pairs (s, y), initial Hessian
 * gamma I with gamma = s'y / y'y of the newest pair (the first step is -g / max(1, |g|_2)). A pair
 * is stored only when s'y &gt; 1e-12 |s| |y|; a direction that is not a descent direction resets the
 * memory and falls back to -g. Step: backtracking from 1 with the Armijo condition
 * f(x + a d) &lt;= f(x) + 1e-4 a g'd, the next trial at the minimiser of the quadratic through
 * f(x), g'd and f(x + a d), kept within [0.1 a, 0.5 a]; at most 60 trials. Near the optimum the
 * decrease falls below the rounding of f: a step is then also accepted when f changes by at most
 * 1e-14 max(1, |f|) and the gradient's max-abs shrinks, so the gradient test can still be met.
 *
 * <p>Stops when max |g_i| &lt;= {@code tolerance} (converged), after {@code maxIterations}
 * iterations, or when a line search finds no decrease (then converged only if the gradient
 * test holds). Deterministic: plain sequential double arithmetic.
 *
 * <p>Why our own: neither library Fiji ships has L-BFGS (Apache Commons Math 3.6.1 offers
 * nonlinear conjugate gradients, EJML no optimiser). Commons Math's Polak-Ribiere CG with its
 * Brent line search (tolerances 1e-14), tried in place of this class on the scikit-learn goldens
 * of {@code LogisticRegressionGoldenTest}, did not reach max |g_i| &lt;= 1e-10 within 10,000
 * iterations (three-class case, lambda 1), so the pinned 1e-7 agreement with scikit-learn
 * would be lost.
 */
final class Lbfgs {
    /** f and its gradient at x. */
    interface Objective {
        /** Returns f(x) and writes the gradient into {@code grad}. */
        double evaluate(double[] x, double[] grad);
    }

    /** Final point and how the run ended. */
    record Result(double[] x, double value, double gradientMaxAbs, int iterations, boolean converged) {}

    private final int memory;
    private final double tolerance;
    private final int maxIterations;

    Lbfgs(int memory, double tolerance, int maxIterations) {
        if (memory < 1 || !(tolerance > 0) || maxIterations < 1) throw new IllegalArgumentException("bad L-BFGS settings");
        this.memory = memory;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    Result minimize(Objective fn, double[] x0) {
        int n = x0.length;
        double[] x = x0.clone(), g = new double[n];
        double f = fn.evaluate(x, g);
        double[][] s = new double[memory][], y = new double[memory][];
        double[] rho = new double[memory], alpha = new double[memory];
        int stored = 0, newest = -1;
        double[] d = new double[n], xNew = new double[n], gNew = new double[n];
        int iter = 0;
        while (maxAbs(g) > tolerance && iter < maxIterations) {
            iter++;
            // two-loop recursion: d = -H g
            for (int i = 0; i < n; i++) d[i] = -g[i];
            double gamma;
            if (stored == 0) {
                gamma = 1 / Math.max(1, norm(g));
            } else {
                for (int k = 0; k < stored; k++) {
                    int m = Math.floorMod(newest - k, memory);
                    alpha[m] = rho[m] * dot(s[m], d);
                    axpy(-alpha[m], y[m], d);
                }
                gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
            }
            for (int i = 0; i < n; i++) d[i] *= gamma;
            if (stored > 0)
                for (int k = stored - 1; k >= 0; k--) {
                    int m = Math.floorMod(newest - k, memory);
                    double beta = rho[m] * dot(y[m], d);
                    axpy(alpha[m] - beta, s[m], d);
                }
            double gd = dot(g, d);
            if (!(gd < 0)) { // not a descent direction: restart from steepest descent
                stored = 0;
                newest = -1;
                double sc = 1 / Math.max(1, norm(g));
                for (int i = 0; i < n; i++) d[i] = -g[i] * sc;
                gd = dot(g, d);
            }
            // backtracking line search (Armijo)
            double a = 1, fNew = Double.NaN;
            boolean accepted = false;
            for (int trial = 0; trial < 60; trial++) {
                for (int i = 0; i < n; i++) xNew[i] = x[i] + a * d[i];
                fNew = fn.evaluate(xNew, gNew);
                if (Double.isFinite(fNew) && (fNew <= f + 1e-4 * a * gd
                        || (Math.abs(fNew - f) <= 1e-14 * Math.max(1, Math.abs(f)) && maxAbs(gNew) < maxAbs(g)))) {
                    accepted = true;
                    break;
                }
                double q = Double.isFinite(fNew) ? -gd * a * a / (2 * (fNew - f - gd * a)) : 0.1 * a;
                a = Math.min(0.5 * a, Math.max(0.1 * a, q));
            }
            if (!accepted) break;
            double[] sk = new double[n], yk = new double[n];
            for (int i = 0; i < n; i++) {
                sk[i] = xNew[i] - x[i];
                yk[i] = gNew[i] - g[i];
            }
            double sy = dot(sk, yk);
            if (sy > 1e-12 * norm(sk) * norm(yk)) {
                newest = (newest + 1) % memory;
                s[newest] = sk;
                y[newest] = yk;
                rho[newest] = 1 / sy;
                stored = Math.min(stored + 1, memory);
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            f = fNew;
        }
        double gm = maxAbs(g);
        return new Result(x, f, gm, iter, gm <= tolerance);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
