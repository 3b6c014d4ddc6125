package org.pdsynth.diagnosis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Subject;

/**
 * Runs the clinical-validation protocols on a real cohort and a set of synthetic volumes.
 *
 * <p>Steps: (1) features of every usable cohort subject ({@link FeatureExtractor}: labelled, with
 * real fMRI and DWI; synthetic features for the modalities the protocols need, when the
 * {@link SyntheticSet} has the subject's file); (2) per protocol, the subjects that have every
 * feature version it needs (the others are listed in {@link DiagnosisReport#skipped()} with the
 * reason); (3) region columns kept by {@link CohortFeatures#keptRegions} over those subjects;
 * (4) {@link CrossValidation} with the protocol's train and test versions.
 *
 * <p>A subject's synthetic volume should come from a model that did not train on that subject;
 * the protocols cannot check this.
 */
public final class Protocols {
    private Protocols() {}

    /** One protocol: the call {@code pds diagnose} makes. */
    public static DiagnosisReport run(Protocol p, Cohort real, SyntheticSet synth, DiagnosisOptions options, Progress progress)
            throws IOException {
        return run(List.of(p), real, synth, options, progress).get(0);
    }

    /** Several protocols over ONE feature extraction (each scan is read once), reports in the given order. */
    public static List<DiagnosisReport> run(List<Protocol> protocols, Cohort real, SyntheticSet synth, DiagnosisOptions options,
            Progress progress) throws IOException {
        if (protocols.isEmpty()) throw new IllegalArgumentException("no protocol given");
        if (synth == null) synth = SyntheticSet.empty();
        if (progress == null) progress = Progress.NONE;
        Set<Modality> needed = EnumSet.noneOf(Modality.class);
        for (Protocol p : protocols)
            for (Modality m : Modality.values()) if (p.needsSynthetic(m, options.replace())) needed.add(m);
        List<String> skipped = new ArrayList<>();
        CohortFeatures all = extract(real, synth, needed, options, skipped, progress);
        List<DiagnosisReport> out = new ArrayList<>();
        for (Protocol p : protocols) out.add(evaluate(p, all, options, skipped, progress));
        return out;
    }

    /**
     * Features of every labelled cohort subject with both real modalities, with synthetic
     * features for the modalities in {@code synthetic} where the set has the subject's file.
     *
     * @param skipped receives "id: reason" for subjects left out
     * @throws IOException after trying every subject, when any subject's files could not be read
     *     or used: one line naming each failed subject with its file and reason (a classification
     *     without them would silently change the cohort)
     */
    public static CohortFeatures extract(Cohort real, SyntheticSet synth, Set<Modality> synthetic, DiagnosisOptions options,
            List<String> skipped, Progress progress) throws IOException {
        FeatureExtractor fx = new FeatureExtractor(options.aligner(), options.atlas());
        if (!synthetic.isEmpty()) {
            boolean any = false;
            for (Subject s : real.subjects()) any |= synth.get(s.subject()) != null;
            if (!any)
                throw new IllegalArgumentException((synth.source() == null ? "the synthetic set" : synth.source().toString())
                        + ": no synthetic subject id matches a cohort subject");
        }
        List<SubjectFeatures> feats = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int n = real.size(), done = 0;
        for (Subject s : real.subjects()) {
            progress.update("features", done++, n);
            if (s.label() == null) {
                skipped.add(s.subject() + ": no label");
                continue;
            }
            if (!s.hasFmri() || !s.hasDwi()) {
                skipped.add(s.subject() + ": no real " + (s.hasFmri() ? "dwi" : "fmri"));
                continue;
            }
            Path fs = synthetic.contains(Modality.FMRI) ? synth.file(s.subject(), Modality.FMRI) : null;
            Path ds = synthetic.contains(Modality.DWI) ? synth.file(s.subject(), Modality.DWI) : null;
            try {
                feats.add(fx.extract(s, fs, ds));
            } catch (IOException | RuntimeException e) {
                failed.add(s.subject() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage().strip().replace('\n', ' ')));
            }
        }
        progress.update("features", n, n);
        if (!failed.isEmpty())
            throw new IOException(failed.size() + " of " + n + " subjects failed: " + String.join("; ", failed));
        int c = options.aligner().segmenter().channels();
        return new CohortFeatures(options.atlas(), c, c, feats);
    }

    /**
     * One protocol on extracted features.
     *
     * @param skipped subjects already left out at extraction (copied into the report)
     */
    public static DiagnosisReport evaluate(Protocol p, CohortFeatures all, DiagnosisOptions options, List<String> skipped,
            Progress progress) {
        Modality replace = options.replace();
        boolean trF = p.trainSynthetic(Modality.FMRI, replace), trD = p.trainSynthetic(Modality.DWI, replace);
        boolean teF = p.testSynthetic(Modality.FMRI, replace), teD = p.testSynthetic(Modality.DWI, replace);
        List<String> skip = new ArrayList<>(skipped);
        List<SubjectFeatures> use = new ArrayList<>();
        for (SubjectFeatures s : all.subjects()) {
            boolean needF = trF || teF, needD = trD || teD;
            if (needF && s.fmriSynth() == null) skip.add(s.subject() + ": no synthetic fmri");
            else if (needD && s.dwiSynth() == null) skip.add(s.subject() + ": no synthetic dwi");
            else use.add(s);
        }
        CohortFeatures cf = new CohortFeatures(all.atlas(), all.fmriChannels(), all.dwiChannels(), use);
        if (use.size() < options.folds())
            throw new IllegalArgumentException("protocol " + p.cliName() + ": " + use.size() + " usable subject(s) for " + options.folds()
                    + " folds" + (skip.isEmpty() ? "" : " (skipped: " + String.join("; ", skip) + ")"));
        int[] kept = cf.keptRegions(options.minRegionVoxels());
        if (kept.length == 0)
            throw new IllegalArgumentException("protocol " + p.cliName() + ": no atlas region has " + options.minRegionVoxels()
                    + " voxel(s) inside every subject's brain mask");
        FeatureTable train = cf.table(trF, trD, kept), test = cf.table(teF, teD, kept);
        CrossValidation cv = CrossValidation.of(options.folds(), options.seed(), options.lambda());
        CrossValidation.Result r = cv.run(train, test, progress);
        return DiagnosisReport.of(p, p.usesReplace() ? replace : null, describe(trF, trD), describe(teF, teD), cv, train.columns(),
                kept.length, cf.droppedRegions(kept), r, skip);
    }

    private static String describe(boolean fmriSynthetic, boolean dwiSynthetic) {
        return (fmriSynthetic ? "synthetic" : "real") + " fmri + " + (dwiSynthetic ? "synthetic" : "real") + " dwi";
    }
}
