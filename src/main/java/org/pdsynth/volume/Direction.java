package org.pdsynth.volume;

/**
 * Which way a synthesis goes. One network serves both directions (DESIGN 4.3): the direction is
 * a conditioning input, coded {@link #code()} 0 or 1 for the network's direction embedding.
 */
public enum Direction {
    /** From resting-state fMRI to diffusion MRI (code 0). */
    FMRI_TO_DWI(Modality.FMRI),
    /** From diffusion MRI to resting-state fMRI (code 1). */
    DWI_TO_FMRI(Modality.DWI);

    private final Modality source;

    Direction(Modality source) {
        this.source = source;
    }

    /** The modality given. */
    public Modality source() {
        return source;
    }

    /** The modality synthesized. */
    public Modality target() {
        return source.other();
    }

    /** The network's direction code: 0 = fMRI to dMRI, 1 = dMRI to fMRI. */
    public int code() {
        return ordinal();
    }

    /** "fmri->dwi" or "dwi->fmri" (the key used in validation records and reports). */
    public String label() {
        return this == FMRI_TO_DWI ? "fmri->dwi" : "dwi->fmri";
    }

    /** The direction that starts from {@code source}. */
    public static Direction from(Modality source) {
        return source == Modality.FMRI ? FMRI_TO_DWI : DWI_TO_FMRI;
    }

    /**
     * The direction of a network code.
     *
     * @throws IllegalArgumentException unless code is 0 or 1
     */
    public static Direction ofCode(int code) {
        if (code < 0 || code > 1) throw new IllegalArgumentException("direction code must be 0 (fMRI->dMRI) or 1 (dMRI->fMRI), got " + code);
        return values()[code];
    }
}
