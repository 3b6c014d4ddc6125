package org.pdsynth.diffusion;

/**
 * One subject's aligned, normalised pair of volumes, the unit the trainer draws from.
 *
 * <p>Layout: each array is (C, Z, Y, X) row-major, x fastest — the flat order of an ImgLib2
 * image with axes (x, y, z, c); as a tensor (C, D = Z, H = Y, W = X). Intensities in [-1, 1].
 *
 * @param subject subject identifier (for messages and subject-level splits)
 * @param fmri    fMRI volume, N channels on the model grid
 * @param dwi     dMRI volume, N channels on the model grid
 * @param label   0 = NC, 1 = MCI, 2 = AD, 3 = null/unknown
 */
public record TrainingPair(String subject, float[] fmri, float[] dwi, int label) {
    public TrainingPair {
        if (fmri == null || dwi == null) throw new IllegalArgumentException("subject " + subject + ": fmri and dwi are both needed for training");
        if (label < 0 || label > 3) throw new IllegalArgumentException("subject " + subject + ": label must be 0..3 (NC, MCI, AD, null), got " + label);
    }

    /** The source (condition) of a direction: 0 = fMRI to dMRI gives fmri, 1 gives dwi. */
    public float[] source(int direction) {
        return switch (direction) {
            case 0 -> fmri;
            case 1 -> dwi;
            default -> throw new IllegalArgumentException("direction must be 0 (fMRI->dMRI) or 1 (dMRI->fMRI), got " + direction);
        };
    }

    /** The target (what is synthesised) of a direction. */
    public float[] target(int direction) {
        return source(1 - direction);
    }
}
