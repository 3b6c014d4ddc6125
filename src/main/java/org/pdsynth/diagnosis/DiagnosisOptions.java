package org.pdsynth.diagnosis;

import org.pdsynth.volume.Atlas;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.SubjectAligner;

/**
 * Settings of a diagnosis run.
 *
 * @param atlas           regions on the model grid (its grid must be the aligner's)
 * @param aligner         how real scans become N channels on the model grid (N must match the synthetic files)
 * @param folds           k of the stratified k-fold (default {@value #DEFAULT_FOLDS})
 * @param seed            fold assignment seed (default 0)
 * @param lambda          L2 penalty of {@link LogisticRegression} (default {@value LogisticRegression#DEFAULT_LAMBDA})
 * @param replace         the synthetic modality of the hybrid protocols (default DWI)
 * @param minRegionVoxels a region is kept when every subject has at least this many of its voxels
 *                        inside the brain mask (default 1; {@link CohortFeatures#keptRegions})
 */
public record DiagnosisOptions(Atlas atlas, SubjectAligner aligner, int folds, long seed, double lambda, Modality replace,
        int minRegionVoxels) {
    public static final int DEFAULT_FOLDS = 5;

    public DiagnosisOptions {
        if (atlas == null || aligner == null || replace == null) throw new IllegalArgumentException("atlas, aligner and replace must not be null");
        if (!atlas.grid().sameAs(aligner.grid(), 1e-6))
            throw new IllegalArgumentException("the atlas is on " + atlas.grid() + ", not the model grid " + aligner.grid());
        if (folds < 2) throw new IllegalArgumentException("folds must be >= 2, got " + folds);
        if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        if (minRegionVoxels < 1) throw new IllegalArgumentException("minRegionVoxels must be >= 1, got " + minRegionVoxels);
    }

    /** Defaults with the given atlas: {@link SubjectAligner#defaults()} on the atlas' grid, 5 folds, seed 0, lambda {@value LogisticRegression#DEFAULT_LAMBDA}, replace DWI. */
    public static DiagnosisOptions defaults(Atlas atlas) {
        return new DiagnosisOptions(atlas, SubjectAligner.defaults().withGrid(atlas.grid()), DEFAULT_FOLDS, 0, LogisticRegression.DEFAULT_LAMBDA, Modality.DWI, 1);
    }

    public DiagnosisOptions withAligner(SubjectAligner a) {
        return new DiagnosisOptions(atlas, a, folds, seed, lambda, replace, minRegionVoxels);
    }

    public DiagnosisOptions withFolds(int k) {
        return new DiagnosisOptions(atlas, aligner, k, seed, lambda, replace, minRegionVoxels);
    }

    public DiagnosisOptions withSeed(long s) {
        return new DiagnosisOptions(atlas, aligner, folds, s, lambda, replace, minRegionVoxels);
    }

    public DiagnosisOptions withLambda(double l) {
        return new DiagnosisOptions(atlas, aligner, folds, seed, l, replace, minRegionVoxels);
    }

    public DiagnosisOptions withReplace(Modality m) {
        return new DiagnosisOptions(atlas, aligner, folds, seed, lambda, m, minRegionVoxels);
    }

    public DiagnosisOptions withMinRegionVoxels(int v) {
        return new DiagnosisOptions(atlas, aligner, folds, seed, lambda, replace, v);
    }
}
