package org.pdsynth.diagnosis;

import java.util.Locale;
import org.pdsynth.volume.Modality;

/**
 * The clinical-validation protocols (DESIGN §4.9). Every protocol cross-validates by subject over
 * the same folds ({@link StratifiedFolds}); they differ in which version of a subject's features
 * is used when it is a training subject and when it is a test subject. "Hybrid" = the real
 * features with ONE modality replaced by its synthetic version (which one: the {@code replace}
 * option); "synthetic" = both modalities synthetic.
 */
public enum Protocol {
    /** Train real, test real: the reference. */
    REAL_REAL("real-real", "train real, test real"),
    /** Train real, test hybrid: does a model trained on real scans accept the synthetic modality? */
    REAL_HYBRID("real-hybrid", "train real, test hybrid"),
    /** Train hybrid, test real: does the synthetic modality teach what the real one shows? */
    HYBRID_REAL("hybrid-real", "train hybrid, test real"),
    /** Train synthetic (both modalities), test real. */
    SYNTHETIC_REAL("synthetic-real", "train synthetic (both modalities), test real");

    private final String cliName, description;

    Protocol(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /** The command-line spelling, e.g. {@code real-hybrid}. */
    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** Whether modality m is synthetic in the TRAINING features. */
    public boolean trainSynthetic(Modality m, Modality replace) {
        return switch (this) {
            case REAL_REAL, REAL_HYBRID -> false;
            case HYBRID_REAL -> m == replace;
            case SYNTHETIC_REAL -> true;
        };
    }

    /** Whether modality m is synthetic in the TEST features. */
    public boolean testSynthetic(Modality m, Modality replace) {
        return this == REAL_HYBRID && m == replace;
    }

    /** Whether the protocol uses the {@code replace} option. */
    public boolean usesReplace() {
        return this == REAL_HYBRID || this == HYBRID_REAL;
    }

    /** Whether synthetic files of modality m are needed. */
    public boolean needsSynthetic(Modality m, Modality replace) {
        return trainSynthetic(m, replace) || testSynthetic(m, replace);
    }

    /** Parses {@code real-real}, {@code real-hybrid}, {@code hybrid-real}, {@code synthetic-real} (also the enum names; case-insensitive). */
    public static Protocol parse(String s) {
        String k = s.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Protocol p : values()) if (p.cliName.equals(k)) return p;
        throw new IllegalArgumentException("unknown protocol '" + s + "' (use real-real, real-hybrid, hybrid-real or synthetic-real)");
    }
}
