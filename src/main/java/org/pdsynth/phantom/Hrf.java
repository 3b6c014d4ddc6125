package org.pdsynth.phantom;

/**
 * The canonical double-gamma haemodynamic response function (as in SPM): a gamma density with
 * shape 6 and scale 1 s (peak at 5 s) minus one sixth of a gamma density with shape 16 (undershoot
 * near 15 s), {@code h(t) = g(t; 6, 1) - g(t; 16, 1) / 6}, t in seconds, over 0..32 s.
 */
final class Hrf {
    private Hrf() {}

    static final double LENGTH_S = 32;

    /** Gamma density with an integer shape k and unit scale at t seconds: t^(k-1) e^-t / (k-1)! (0 for t &lt;= 0). */
    static double gammaPdf(double t, int shape) {
        if (t <= 0) return 0;
        double logFact = 0;
        for (int i = 2; i < shape; i++) logFact += Math.log(i);
        return Math.exp((shape - 1) * Math.log(t) - t - logFact);
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
