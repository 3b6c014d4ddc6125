package org.pdsynth.workflow;

import org.pdsynth.diffusion.PairSource;
import org.pdsynth.diffusion.TrainingPair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.IntensityMap;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.SubjectAligner;

/**
 * Training pairs of a cohort: each subject with both modalities aligned once (N channels on the
 * model grid, intensities in [-1, 1]) and kept in memory (about 2 x N x 4 bytes per grid voxel
 * per subject: 1.7 MB at N = 8 on the 48x56x48 grid), with the subjects' intensity maps.
 */
public final class CohortPairs implements PairSource {
    /** Reports alignment progress: subjects done of total. */
    @FunctionalInterface
    public interface Progress {
        void onSubject(int done, int total, String subject);
    }

    private final List<TrainingPair> pairs;
    private final List<IntensityMap> fmriMaps, dwiMaps;
    private final int channels;
    private final int[] gridZYX;

    private CohortPairs(List<TrainingPair> pairs, List<IntensityMap> fmriMaps, List<IntensityMap> dwiMaps, int channels, int[] zyx) {
        this.pairs = pairs;
        this.fmriMaps = fmriMaps;
        this.dwiMaps = dwiMaps;
        this.channels = channels;
        this.gridZYX = zyx;
    }

    /**
     * Aligns every subject that has both modalities (others are an error: the caller chooses
     * which subjects train). Labels become codes 0..2, unknown 3.
     */
    public static CohortPairs align(List<Subject> subjects, SubjectAligner aligner, Progress progress, BooleanSupplier cancel)
            throws IOException {
        if (subjects.isEmpty()) throw new IllegalArgumentException("no subjects to align");
        List<TrainingPair> pairs = new ArrayList<>();
        List<IntensityMap> fm = new ArrayList<>(), dm = new ArrayList<>();
        int[] zyx = null;
        int n = 0;
        for (Subject s : subjects) {
            if (cancel != null && cancel.getAsBoolean()) throw new CancellationException("alignment cancelled");
            if (!s.hasFmri() || !s.hasDwi())
                throw new IllegalArgumentException("subject " + s.subject() + " lacks " + (s.hasFmri() ? "dwi" : "fmri")
                        + "; training needs both modalities");
            SubjectAligner.AlignedPair p = aligner.alignPair(s);
            pairs.add(new TrainingPair(s.subject(), p.fmri().data(), p.dwi().data(), s.label()));
            fm.add(p.fmri().intensityMap());
            dm.add(p.dwi().intensityMap());
            zyx = p.fmri().gridZYX();
            n = p.fmri().channels();
            if (progress != null) progress.onSubject(pairs.size(), subjects.size(), s.subject());
        }
        return new CohortPairs(pairs, fm, dm, n, zyx);
    }

    /**
     * The population intensity map of a modality: per channel, the mean of the subjects' low and
     * high percentiles. A synthesized volume has no map of its own (its modality was missing), so
     * this map brings it back to the modality's typical units.
     */
    public IntensityMap populationMap(Modality m) {
        List<IntensityMap> maps = m == Modality.FMRI ? fmriMaps : dwiMaps;
        double[] lo = new double[channels], hi = new double[channels];
        for (IntensityMap im : maps)
            for (int c = 0; c < channels; c++) {
                lo[c] += im.lo(c) / maps.size();
                hi[c] += im.hi(c) / maps.size();
            }
        IntensityMap first = maps.get(0);
        return IntensityMap.of(lo, hi, first.lowPercentile(), first.highPercentile());
    }

    /**
     * The population template of a modality: the voxelwise mean of the subjects' aligned volumes
     * (model units). The trivial baseline a synthesis must beat.
     */
    public float[] template(Modality m) {
        float[] t = new float[pairs.get(0).fmri().length];
        for (TrainingPair p : pairs) {
            float[] v = m == Modality.FMRI ? p.fmri() : p.dwi();
            for (int i = 0; i < t.length; i++) t[i] += v[i] / pairs.size();
        }
        return t;
    }

    @Override
    public int size() {
        return pairs.size();
    }

    @Override
    public TrainingPair get(int i) {
        return pairs.get(i);
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int[] gridZYX() {
        return gridZYX.clone();
    }
}
