package org.pdsynth.volume;

import java.util.Locale;

/** The two MRI modalities the product converts between. */
public enum Modality {
    /** Resting-state BOLD fMRI, 4-D (x, y, z, t). */
    FMRI,
    /** Diffusion MRI, 4-D (x, y, z, g) with a gradient table. */
    DWI;

    /** The other modality. */
    public Modality other() {
        return this == FMRI ? DWI : FMRI;
    }

    /** "fmri" or "dwi" (case-insensitive; "dmri" is accepted for DWI). */
    public static Modality parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "fmri" -> FMRI;
            case "dwi", "dmri" -> DWI;
            default -> throw new IllegalArgumentException("unknown modality '" + s + "' (use fmri or dwi)");
        };
    }
}
