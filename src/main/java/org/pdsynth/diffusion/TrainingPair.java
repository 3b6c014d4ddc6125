package org.pdsynth.diffusion;

import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Direction;

/**
 * One subject's aligned, normalised pair of volumes, the unit the trainer draws from.
 *
 * <p>Layout: each array is (C, Z, Y, X) row-major, x fastest — the flat order of an ImgLib2
 * image with axes (x, y, z, c); as a tensor (C, D = Z, H = Y, W = X). Intensities in [-1, 1].
 *
 * @param subject subject identifier (for messages and subject-level splits)
 * @param fmri    fMRI volume, N channels on the model grid
 * @param dwi     dMRI volume, N channels on the model grid
 * @param label   the diagnosis, or null when unknown (the network's null label)
 */
public record TrainingPair(String subject, float[] fmri, float[] dwi, Diagnosis label) {
    /** @throws IllegalArgumentException when a volume is missing */
    public TrainingPair {
        if (fmri == null || dwi == null) throw new IllegalArgumentException("subject " + subject + ": fmri and dwi are both needed for training");
    }

    /** The source (condition) of a direction. */
    public float[] source(Direction direction) {
        return direction == Direction.FMRI_TO_DWI ? fmri : dwi;
    }

    /** The target (what is synthesised) of a direction. */
    public float[] target(Direction direction) {
        return direction == Direction.FMRI_TO_DWI ? dwi : fmri;
    }
}
