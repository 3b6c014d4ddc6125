package org.pdsynth.phantom;

/**
 * A smooth random scalar field over world space: a sum of K plane waves
 * {@code f(p) = sum_k a_k sin(w_k . p + phi_k)} with random directions, wavelengths uniform in
 * [lambda, 2 lambda] (mm) and phases, and amplitudes scaled so that the field's standard deviation
 * is {@code sd} (each wave has mean square a^2/2). Deterministic for a given random stream.
 */
final class SmoothField {
    private final double[][] w;
    private final double[] phase, amp;

    SmoothField(Rng rng, int waves, double wavelengthMm, double sd) {
        w = new double[waves][3];
        phase = new double[waves];
        amp = new double[waves];
        double norm = 0;
        for (int k = 0; k < waves; k++) {
            double z = rng.uniform(-1, 1), t = rng.uniform(0, 2 * Math.PI), r = Math.sqrt(1 - z * z);
            double lambda = wavelengthMm * (1 + rng.uniform());
            double f = 2 * Math.PI / lambda;
            w[k][0] = f * r * Math.cos(t);
            w[k][1] = f * r * Math.sin(t);
            w[k][2] = f * z;
            phase[k] = rng.uniform(0, 2 * Math.PI);
            amp[k] = rng.gaussian();
            norm += amp[k] * amp[k] / 2;
        }
        double s = norm > 0 ? sd / Math.sqrt(norm) : 0;
        for (int k = 0; k < waves; k++) amp[k] *= s;
    }

    /** The field at world point (x, y, z) in mm. */
    double at(double x, double y, double z) {
        double v = 0;
        for (int k = 0; k < amp.length; k++) v += amp[k] * Math.sin(w[k][0] * x + w[k][1] * y + w[k][2] * z + phase[k]);
        return v;
    }
}
