/**
 * The phantom cohort simulator (DESIGN.md section 5): paired resting-state fMRI and diffusion MRI
 * of NC/MCI/AD subjects from one digital brain per subject, so that the mapping between the
 * modalities is learnable and the regional disease patterns are known.
 *
 * <p>Entry point: {@link org.pdsynth.phantom.PhantomCohort#simulate} with
 * {@link org.pdsynth.phantom.PhantomOptions} (what to generate) and
 * {@link org.pdsynth.phantom.PhantomModel} (tissue, signal and disease parameters). The model,
 * its parameters and units are described in {@code docs/phantom.md}.
 *
 * <p>Conventions: world coordinates in mm, MNI space, RAS+; volumes in NIfTI order (x fastest);
 * diffusivities in mm^2/s, b-values in s/mm^2, times in seconds; image intensities in arbitrary
 * units. Plain Java, deterministic for a given seed (independent of the thread count).
 */
package org.pdsynth.phantom;
