package org.pdsynth.volume;

import java.util.Locale;

/** A subject's diagnostic label: normal control, mild cognitive impairment, Alzheimer's disease. */
public enum Diagnosis {
    NC, MCI, AD;

    /** Integer code of "no label" in {@link #code}. */
    public static final int NONE_CODE = 3;

    /** 0 = NC, 1 = MCI, 2 = AD, {@value #NONE_CODE} = null (the model's label embedding index). */
    public static int code(Diagnosis d) {
        return d == null ? NONE_CODE : d.ordinal();
    }

    /**
     * Parses a manifest cell: "NC", "MCI" or "AD" (case-insensitive, surrounding blanks ignored);
     * an empty or blank cell is null (no label).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Diagnosis parse(String cell) {
        if (cell == null || cell.isBlank()) return null;
        try {
            return valueOf(cell.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown label '" + cell + "' (use NC, MCI, AD or leave empty)");
        }
    }
}
