package org.pdsynth.diffusion;

import java.util.Locale;

import org.pdsynth.model.PredictionType;

/**
 * A per-noise-level weight w(t) of the stage-1 loss (DESIGN 4.5), in the field's names. Defined on
 * the x0 error and carried to the network's output space by its prediction type, as in Min-SNR
 * weighting (Hang et al. 2023, arXiv 2303.09556): an x0 error equals the epsilon error divided by
 * sqrt(SNR) and the v error times sigma = 1 / sqrt(1 + SNR), so for squared errors
 * <pre>
 *   w_sample = w_x0,   w_epsilon = w_x0 / SNR,   w_v_prediction = w_x0 / (1 + SNR)
 * </pre>
 * with {@code w_x0 = 1} ({@link #UNIFORM} on the sample prediction: every t alike),
 * {@code min(SNR, gamma)} ({@link #MIN_SNR}) or {@code min(1 + SNR, gamma)} ({@link #MIN_SNR_PLUS_ONE}).
 * Our loss is L1 rather than squared, so these are the paper's weights applied to an L1 loss, not
 * its derivation. {@link #UNIFORM} is w = 1 in the network's own output space whatever the
 * prediction type (the loss before this option existed).
 */
public enum LossWeighting {
    UNIFORM("uniform"), MIN_SNR("min_snr"), MIN_SNR_PLUS_ONE("min_snr_plus_one");

    private final String fieldName;

    LossWeighting(String fieldName) {
        this.fieldName = fieldName;
    }

    public String fieldName() {
        return fieldName;
    }

    /** @throws IllegalArgumentException for a name other than uniform, min_snr, min_snr_plus_one */
    public static LossWeighting parse(String s) {
        String k = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        for (LossWeighting w : values()) if (w.fieldName.equals(k)) return w;
        throw new IllegalArgumentException("unknown loss weighting '" + s + "' (use uniform, min_snr or min_snr_plus_one)");
    }

    /** w(t) for a network of prediction type {@code type} at signal-to-noise ratio {@code snr}, truncation {@code gamma}. */
    public double weight(double snr, PredictionType type, double gamma) {
        if (this == UNIFORM) return 1.0;
        double wx0 = this == MIN_SNR ? Math.min(snr, gamma) : Math.min(1 + snr, gamma);
        return switch (type) {
            case SAMPLE -> wx0;
            case EPSILON -> wx0 / snr;
            case V_PREDICTION -> wx0 / (1 + snr);
        };
    }
}
