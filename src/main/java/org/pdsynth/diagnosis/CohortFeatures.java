package org.pdsynth.diagnosis;

import org.pdsynth.volume.Atlas;
import java.util.ArrayList;
import java.util.List;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;

/**
 * The extracted features of a set of subjects, from which the protocols assemble train and test
 * {@link FeatureTable}s.
 *
 * <p>Column rule: a region is KEPT when every subject has at least {@code minVoxels} of its voxels
 * inside the subject's brain mask ({@link SubjectFeatures#regionVoxels}); otherwise all of its
 * columns (every channel, mean and std, both modalities) are dropped for ALL subjects, so train
 * and test tables always have the same columns. This uses geometry only, never labels. Table
 * columns: the fMRI block, then the DWI block, each in {@link RegionFeatures} order restricted to
 * kept regions (names {@code fmri_c<c>_<region>_<stat>}, {@code dwi_c<c>_<region>_<stat>}).
 *
 * @param atlas        the atlas the features were computed with
 * @param fmriChannels N of the fMRI features
 * @param dwiChannels  N of the DWI features
 * @param subjects     per-subject features (all labelled)
 */
public record CohortFeatures(Atlas atlas, int fmriChannels, int dwiChannels, List<SubjectFeatures> subjects) {

    public CohortFeatures {
        subjects = List.copyOf(subjects);
        for (SubjectFeatures s : subjects)
            if (s.label() == null) throw new IllegalArgumentException("subject '" + s.subject() + "' has no label");
    }

    /** Positions (in {@link Atlas#regions()}) of the regions kept by the rule in the class comment. */
    public int[] keptRegions(int minVoxels) {
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < atlas.size(); r++) {
            boolean ok = true;
            for (SubjectFeatures s : subjects) ok &= s.regionVoxels()[r] >= minVoxels;
            if (ok) kept.add(r);
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Names of the regions NOT in {@code kept}. */
    public List<String> droppedRegions(int[] kept) {
        boolean[] k = new boolean[atlas.size()];
        for (int r : kept) k[r] = true;
        List<String> out = new ArrayList<>();
        for (int r = 0; r < atlas.size(); r++) if (!k[r]) out.add(atlas.regions().get(r).name());
        return out;
    }

    /**
     * A table of all subjects with the given source per modality.
     *
     * @param fmriSynthetic take the synthetic fMRI features (else the real)
     * @param dwiSynthetic  take the synthetic DWI features (else the real)
     * @param kept          region positions to keep ({@link #keptRegions})
     * @throws IllegalArgumentException when a subject lacks a requested feature block
     */
    public FeatureTable table(boolean fmriSynthetic, boolean dwiSynthetic, int[] kept) {
        int regions = atlas.size();
        RegionFeatures rf = new RegionFeatures(atlas);
        List<String> fNames = rf.names("fmri", fmriChannels), dNames = rf.names("dwi", dwiChannels);
        int[] fCols = columns(kept, fmriChannels, regions), dCols = columns(kept, dwiChannels, regions);
        List<String> names = new ArrayList<>();
        for (int c : fCols) names.add(fNames.get(c));
        for (int c : dCols) names.add(dNames.get(c));
        List<String> ids = new ArrayList<>();
        List<Diagnosis> labels = new ArrayList<>();
        double[][] x = new double[subjects.size()][];
        for (int i = 0; i < subjects.size(); i++) {
            SubjectFeatures s = subjects.get(i);
            double[] f = s.of(Modality.FMRI, fmriSynthetic), d = s.of(Modality.DWI, dwiSynthetic);
            if (f == null || d == null)
                throw new IllegalArgumentException("subject '" + s.subject() + "' has no " + (f == null ? (fmriSynthetic ? "synthetic " : "") + "fmri"
                        : (dwiSynthetic ? "synthetic " : "") + "dwi") + " features");
            double[] row = new double[fCols.length + dCols.length];
            for (int k = 0; k < fCols.length; k++) row[k] = f[fCols[k]];
            for (int k = 0; k < dCols.length; k++) row[fCols.length + k] = d[dCols[k]];
            for (int k = 0; k < row.length; k++)
                if (!Double.isFinite(row[k]))
                    throw new IllegalArgumentException("subject '" + s.subject() + "': feature " + names.get(k) + " is " + row[k]);
            ids.add(s.subject());
            labels.add(s.label());
            x[i] = row;
        }
        return new FeatureTable(ids, labels, names, x);
    }

    private static int[] columns(int[] kept, int channels, int regions) {
        int stats = RegionFeatures.STATS.size();
        int[] cols = new int[channels * kept.length * stats];
        int k = 0;
        for (int c = 0; c < channels; c++)
            for (int r : kept)
                for (int s = 0; s < stats; s++) cols[k++] = RegionFeatures.index(c, r, s, regions);
        return cols;
    }
}
