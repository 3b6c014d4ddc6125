package org.pdsynth.phantom;

/**
 * The canonical double-gamma haemodynamic response function (as in SPM): a gamma density with
 * shape 6 and scale 1 s (peak at 5 s) minus one sixth of a gamma density with shape 16 (undershoot
 * near 15 s), {@code h(t) = g(t; 6, 1) - g(t; 16, 1) / 6}, t in seconds, over 0..32 s.
 */
final class Hrf {
    private Hrf() {}

    static final double LENGTH_S = 32;

    /** Gamma density with the given shape and unit scale at t seconds (0 for t &lt;= 0). */
    static double gammaPdf(double t, double shape) {
        if (t <= 0) return 0;
        return Math.exp((shape - 1) * Math.log(t) - t - logGamma(shape));
    }

    /** log Gamma(x) for x &gt; 0.5 by the Lanczos approximation (g = 7, 9 coefficients; ~1e-15 relative). */
    static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61503916999185, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) a += c[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** h(t) at t seconds. */
    static double at(double t) {
        return gammaPdf(t, 6) - gammaPdf(t, 16) / 6;
    }

    /** h sampled every {@code dt} seconds over 0..32 s (not normalised). */
    static double[] sampled(double dt) {
        int len = (int) Math.floor(LENGTH_S / dt) + 1;
        double[] h = new double[len];
        for (int k = 0; k < len; k++) h[k] = at(k * dt);
        return h;
    }
}
