package org.pdsynth.model;

import java.util.Locale;

/**
 * What a diffusion network outputs, in the field's names (diffusers' and MONAI's
 * {@code prediction_type}). With the forward process
 * {@code x_t = sqrt(ab) x0 + sqrt(1 - ab) eps} (ab = alpha_bar_t):
 * <ul>
 *   <li>{@link #EPSILON}: the noise eps (Ho et al. 2020, arXiv 2006.11239);</li>
 *   <li>{@link #SAMPLE}: the clean sample x0;</li>
 *   <li>{@link #V_PREDICTION}: the velocity {@code v = sqrt(ab) eps - sqrt(1 - ab) x0}
 *       (Salimans and Ho 2022, arXiv 2202.00512).</li>
 * </ul>
 * Every conversion is affine in the network output, so it is written once, as coefficients:
 * {@code x0 = a x_t + b out} ({@link #x0Coefficients}) and the training target
 * {@code target = c x0 + d eps} ({@link #targetCoefficients}). Why the product's default is
 * {@link #SAMPLE}: with the cosine schedule ab(T-1) ~ 2.4e-9, so an epsilon network's x0 divides
 * its error by sqrt(ab) ~ 5e-5 in the first sampling step (measured: 6.4 dB against a 20 dB
 * template; issue 4 note).
 */
public enum PredictionType {
    EPSILON("epsilon"), SAMPLE("sample"), V_PREDICTION("v_prediction");

    private final String fieldName;

    PredictionType(String fieldName) {
        this.fieldName = fieldName;
    }

    /** The name in config files and on the command line: epsilon, sample, v_prediction. */
    public String fieldName() {
        return fieldName;
    }

    /**
     * Parses a field name (case-insensitive; "x0" is accepted for {@link #SAMPLE}, "v" for
     * {@link #V_PREDICTION}).
     *
     * @throws IllegalArgumentException for any other value, naming the accepted ones
     */
    public static PredictionType parse(String s) {
        String k = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        for (PredictionType p : values()) if (p.fieldName.equals(k)) return p;
        if (k.equals("x0")) return SAMPLE;
        if (k.equals("v")) return V_PREDICTION;
        throw new IllegalArgumentException("unknown prediction type '" + s + "' (use epsilon, sample or v_prediction)");
    }

    /** {a, b} with {@code x0 = a x_t + b out} at alpha_bar {@code ab} in (0, 1]. */
    public double[] x0Coefficients(double ab) {
        double sa = Math.sqrt(ab), sb = Math.sqrt(1 - ab);
        return switch (this) {
            case EPSILON -> new double[] {1 / sa, -sb / sa};
            case SAMPLE -> new double[] {0, 1};
            case V_PREDICTION -> new double[] {sa, -sb};
        };
    }

    /** {c, d} with {@code target = c x0 + d eps}: what the network learns to output at alpha_bar {@code ab}. */
    public double[] targetCoefficients(double ab) {
        double sa = Math.sqrt(ab), sb = Math.sqrt(1 - ab);
        return switch (this) {
            case EPSILON -> new double[] {0, 1};
            case SAMPLE -> new double[] {1, 0};
            case V_PREDICTION -> new double[] {-sb, sa};
        };
    }

    /** The noise consistent with x_t and an x0 estimate: {@code eps = (x_t - sqrt(ab) x0) / sqrt(1 - ab)}. */
    public static double epsilon(double xt, double x0, double ab) {
        return (xt - Math.sqrt(ab) * x0) / Math.sqrt(1 - ab);
    }
}
