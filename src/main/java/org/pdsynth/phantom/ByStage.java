package org.pdsynth.phantom;

/**
 * A value per disease stage: NC (stage 0), MCI (stage 1), AD (stage 2).
 *
 * @param nc cognitively normal
 * @param mci mild cognitive impairment
 * @param ad Alzheimer's disease
 */
public record ByStage(double nc, double mci, double ad) {
    /** The value for stage 0, 1 or 2. */
    public double at(int stage) {
        return switch (stage) {
            case 0 -> nc;
            case 1 -> mci;
            case 2 -> ad;
            default -> throw new IllegalArgumentException("stage must be 0, 1 or 2, got " + stage);
        };
    }
}
