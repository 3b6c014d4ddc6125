package org.pdsynth.diagnosis;

import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;

/**
 * The regional features of one subject ({@link RegionFeatures} layout per modality), real and,
 * when a synthetic volume was given, synthetic.
 *
 * @param subject      id
 * @param label        diagnosis (null when unlabelled)
 * @param regionVoxels voxels of each atlas region inside the subject's brain mask (the mask used
 *                     for every modality of the subject, real and synthetic)
 * @param fmri         real fMRI features, or null
 * @param dwi          real DWI features, or null
 * @param fmriSynth    synthetic fMRI features, or null
 * @param dwiSynth     synthetic DWI features, or null
 */
public record SubjectFeatures(String subject, Diagnosis label, int[] regionVoxels, double[] fmri, double[] dwi,
        double[] fmriSynth, double[] dwiSynth) {

    /** The features of a modality, real or synthetic (null when absent). */
    public double[] of(Modality m, boolean synthetic) {
        if (m == Modality.FMRI) return synthetic ? fmriSynth : fmri;
        return synthetic ? dwiSynth : dwi;
    }
}
