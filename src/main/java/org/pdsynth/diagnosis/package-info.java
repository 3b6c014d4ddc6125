/**
 * Clinical validation (DESIGN §4.9): does a real or synthetic modality keep its diagnostic value
 * for NC / MCI / AD? Plain Java (no DJL, no ImageJ).
 *
 * <p>Flow: {@link org.pdsynth.diagnosis.Protocols#run} takes a real cohort (participants.csv), a
 * {@link org.pdsynth.diagnosis.SyntheticSet} and {@link org.pdsynth.diagnosis.DiagnosisOptions};
 * {@link org.pdsynth.diagnosis.FeatureExtractor} aligns every labelled subject with both real
 * modalities onto the model grid (N channels, intensity-normalised, one brain mask per subject)
 * and reads its synthetic N-channel files; {@link org.pdsynth.diagnosis.RegionFeatures} takes the
 * mean and population std of every channel in every {@link org.pdsynth.volume.Atlas} region
 * inside the mask; {@link org.pdsynth.diagnosis.CohortFeatures} drops regions empty in some
 * subject's mask and builds {@link org.pdsynth.diagnosis.FeatureTable}s;
 * {@link org.pdsynth.diagnosis.CrossValidation} runs stratified k-fold by subject
 * ({@link org.pdsynth.diagnosis.StratifiedFolds}) with a per-fold
 * {@link org.pdsynth.diagnosis.Standardizer} and multinomial L2
 * {@link org.pdsynth.diagnosis.LogisticRegression}; the result is a
 * {@link org.pdsynth.diagnosis.DiagnosisReport} (JSON, text, CSV).
 *
 * <p>Protocols ({@link org.pdsynth.diagnosis.Protocol}): real-real, real-hybrid (train real, test
 * with one modality synthetic), hybrid-real, synthetic-real (train with both modalities
 * synthetic, test real). Same folds for all, so their numbers compare subject for subject.
 *
 * <p>Clinical validation statistics (docs/validation.md): {@link org.pdsynth.diagnosis.RepeatedCrossValidation}
 * (R x k-fold, fold seed + repeat) gives {@link org.pdsynth.diagnosis.RepeatedOutcomes} (per-subject
 * predictions of every repeat, pooled confusion, majority votes);
 * {@link org.pdsynth.diagnosis.ValidationStatistics} adds bootstrap-over-subjects intervals and the
 * paired tests (exact McNemar, paired bootstrap of the accuracy difference).
 *
 * <p>Synthetic set layout: a folder with {@code <subject>/fmri_synth.nii.gz} and/or
 * {@code <subject>/dwi_synth.nii.gz} (N-channel 4-D NIfTI in modality units on the input's grid,
 * as the synthesizer writes them), or a CSV manifest {@code subject,fmri,dwi} (in the folder as
 * {@code synthetic.csv}, or given directly).
 */
package org.pdsynth.diagnosis;
