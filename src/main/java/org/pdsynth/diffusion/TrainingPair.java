package org.pdsynth.diffusion;

import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Direction;

/**
 * One subject's aligned, normalised pair of volumes, the unit the trainer draws from.
 *
 * <p>Layout: each array is (C, Z, Y, X) row-major, x fastest — the flat order of an ImgLib2
 * image with axes (x, y, z, c); as a tensor (C, D = Z, H = Y, W = X). Intensities in [-1, 1].
 *
 * <p>Residual mode (DESIGN 4.5): with a {@link Prior}, the diffusion target of a direction is
 * the scaled residual {@code s (x0 - mu(c))} over the regression prior's prediction mu(c), and
 * {@link #clean} is the volume itself.
 *
 * @param subject subject identifier (for messages and subject-level splits)
 * @param fmri    fMRI volume, N channels on the model grid
 * @param dwi     dMRI volume, N channels on the model grid
 * @param label   the diagnosis, or null when unknown (the network's null label)
 * @param prior   the regression prior's predictions of both modalities and the residual scale, or null
 */
public record TrainingPair(String subject, float[] fmri, float[] dwi, Diagnosis label, Prior prior) {
    /**
     * The prior's prediction mu(c) of each modality (from the other one) and the scale s of the residuals.
     *
     * @param fmri  mu of the fMRI from the dMRI (same layout)
     * @param dwi   mu of the dMRI from the fMRI
     * @param scale s &gt; 0
     */
    public record Prior(float[] fmri, float[] dwi, double scale) {}

    /** @throws IllegalArgumentException when a volume is missing */
    public TrainingPair {
        if (fmri == null || dwi == null) throw new IllegalArgumentException("subject " + subject + ": fmri and dwi are both needed for training");
    }

    /** A pair without a prior. */
    public TrainingPair(String subject, float[] fmri, float[] dwi, Diagnosis label) {
        this(subject, fmri, dwi, label, null);
    }

    /** The source (condition) of a direction. */
    public float[] source(Direction direction) {
        return direction == Direction.FMRI_TO_DWI ? fmri : dwi;
    }

    /** The volume synthesised in a direction (the truth). */
    public float[] clean(Direction direction) {
        return direction == Direction.FMRI_TO_DWI ? dwi : fmri;
    }

    /** The prior's prediction of the target of a direction, or null without a prior. */
    public float[] priorMean(Direction direction) {
        return prior == null ? null : direction == Direction.FMRI_TO_DWI ? prior.dwi() : prior.fmri();
    }

    /** What the diffusion model learns for a direction: the clean target, or with a prior {@code s (x0 - mu)}. */
    public float[] target(Direction direction) {
        float[] x0 = clean(direction);
        if (prior == null) return x0;
        float[] mu = priorMean(direction);
        float[] r = new float[x0.length];
        for (int v = 0; v < r.length; v++) r[v] = (float) (prior.scale() * (x0[v] - mu[v]));
        return r;
    }
}
