package org.pdsynth.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.diagnosis.CohortFeatures;
import org.pdsynth.diagnosis.FeatureExtractor;
import org.pdsynth.diagnosis.FeatureTable;
import org.pdsynth.diagnosis.LogisticRegression;
import org.pdsynth.diagnosis.Protocol;
import org.pdsynth.diagnosis.RepeatedCrossValidation;
import org.pdsynth.diagnosis.RepeatedOutcomes;
import org.pdsynth.diagnosis.SubjectFeatures;
import org.pdsynth.diagnosis.SyntheticSet;
import org.pdsynth.diagnosis.ValidationStatistics;
import org.pdsynth.metrics.DiseasePattern;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Atlas;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.NativeScans;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.Volume;

/**
 * {@code pds experiment ... --validation HELDOUT.csv}: the clinical validation (issue 16, DESIGN
 * 4.9) of an experiment's trained methods on a held-out labelled cohort. Definitions and the
 * command: docs/validation.md.
 *
 * <p>Steps: (1) the experiment's networks are trained, or reused when their {@code stageN.done}
 * markers exist ({@link ExperimentRun#trainAll}); (2) the population template of the training
 * cohort is written once ({@code OUT/validation/synthetic/template/}); (3) every method
 * synthesizes both modalities of every held-out subject of this shard (null label, the
 * experiment's sampler, K and seed; the mean only, no std map) into {@code OUT/validation/synthetic/<method>/SUBJECT/
 * {fmri,dwi}_synth.nii.gz}, an existing file is reused; (4) without {@code --shard} (or with 1/1):
 * diagnosis features of every labelled held-out subject (real scans aligned once, then every
 * source's synthetic files), {@link RepeatedCrossValidation} (default 10 x 5) for real/real and,
 * per source, real-hybrid and hybrid-real for each replaced modality and synthetic-real;
 * {@link ValidationStatistics} for intervals and the paired tests (PDS against the L1 regression,
 * against PDS w/o DA and against real/real, per protocol); the disease pattern of the same
 * syntheses ({@link PatternScores}); the tables {@code validation.md}, {@code validation.csv},
 * {@code validation-paired.csv}, {@code validation-subjects.csv}, {@code pattern.csv} and the
 * plot {@code validation-accuracy.png} (+ its CSV) in {@code OUT/validation}.
 *
 * <p>All sources are classified on the same subjects with the same regions (those kept by the
 * real scans' masks) and the same fold seeds, so every comparison is paired.
 */
public final class ValidationRun {
    /** Folder (under the experiment's OUT) of everything the validation writes. */
    public static final String FOLDER = "validation";
    /** Source key of the population template. */
    public static final String TEMPLATE = "template";
    /** Source key of real/real. */
    public static final String REAL = "real";

    /**
     * @param experiment the experiment whose models are used (trained first when missing, unsharded only)
     * @param heldOut    manifest of the held-out cohort (labelled subjects with both modalities; disjoint from training)
     * @param shard      1-based shard of the synthesis
     * @param shards     number of shards; above 1 this call only synthesizes (no statistics)
     * @param repeats    R of the repeated k-fold
     * @param folds      k (reduced to the smallest class when that is smaller)
     * @param resamples  bootstrap resamples B
     */
    public record Options(ExperimentRun.Options experiment, Path heldOut, int shard, int shards, int repeats, int folds, int resamples) {
        public Options {
            if (experiment == null || heldOut == null) throw new IllegalArgumentException("experiment and heldOut are required");
            if (shards < 1 || shard < 1 || shard > shards)
                throw new IllegalArgumentException("shard must be i/n with 1 <= i <= n, got " + shard + "/" + shards);
            if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
            if (folds < 2) throw new IllegalArgumentException("folds must be >= 2, got " + folds);
            if (resamples < 1) throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }

        /** Unsharded, 10 x 5 folds, 2000 resamples. */
        public static Options of(ExperimentRun.Options experiment, Path heldOut) {
            return new Options(experiment, heldOut, 1, 1, RepeatedCrossValidation.DEFAULT_REPEATS, RepeatedCrossValidation.DEFAULT_FOLDS,
                    ValidationStatistics.DEFAULT_RESAMPLES);
        }

        public Options withShard(int i, int n) {
            return new Options(experiment, heldOut, i, n, repeats, folds, resamples);
        }

        public Options withRepeats(int r, int k) {
            return new Options(experiment, heldOut, shard, shards, r, k, resamples);
        }

        public Options withResamples(int b) {
            return new Options(experiment, heldOut, shard, shards, repeats, folds, b);
        }

        /** Whether this call does the statistics (an unsharded call). */
        public boolean statistics() {
            return shards == 1;
        }
    }

    /**
     * One classified configuration.
     *
     * @param source   {@link #REAL}, {@link #TEMPLATE} or a {@link Method#key()}
     * @param title    its name in the tables
     * @param protocol the protocol
     * @param replaced the synthetic modality of a hybrid protocol, else null
     * @param outcomes the per-subject predictions of the R repeats
     * @param summary  accuracy and macro F1 with intervals
     */
    public record Row(String source, String title, Protocol protocol, Modality replaced, RepeatedOutcomes outcomes,
            ValidationStatistics.Summary summary) {}

    /**
     * A paired comparison on one protocol: A against B.
     *
     * @param a first source key ({@link Method#PDS})
     * @param b second source key (L1 regression, PDS w/o DA, or {@link #REAL} for real/real)
     */
    public record Comparison(String a, String b, Protocol protocol, Modality replaced, ValidationStatistics.Paired paired) {}

    /**
     * What a run produced (rows and comparisons empty for a sharded call).
     *
     * @param written syntheses written by this call (the rest existed)
     * @param md      validation.md, or null for a sharded call
     */
    public record Results(List<Row> rows, List<Comparison> comparisons, Map<String, Map<Modality, DiseasePattern.Agreement>> pattern,
            int written, Path md) {
        /** The row of a source, protocol and replaced modality, or null. */
        public Row row(String source, Protocol p, Modality replaced) {
            for (Row r : rows) if (r.source().equals(source) && r.protocol() == p && r.replaced() == replaced) return r;
            return null;
        }
    }

    private ValidationRun() {}

    /** The protocol configurations of every synthetic source, in table order: (protocol, replaced). */
    static List<Object[]> configurations() {
        List<Object[]> c = new ArrayList<>();
        for (Modality m : new Modality[] {Modality.DWI, Modality.FMRI}) c.add(new Object[] {Protocol.REAL_HYBRID, m});
        for (Modality m : new Modality[] {Modality.DWI, Modality.FMRI}) c.add(new Object[] {Protocol.HYBRID_REAL, m});
        c.add(new Object[] {Protocol.SYNTHETIC_REAL, null});
        return c;
    }

    /** Runs the validation (class comment); {@code figures} draws the accuracy plot. */
    public static Results run(Options o, Consumer<String> log, BooleanSupplier cancel, Figures figures) throws Exception {
        long start = System.nanoTime();
        ExperimentRun.Options e = o.experiment();
        Path out = e.out().toAbsolutePath();
        Path dir = out.resolve(FOLDER);
        List<Subject> held = ExperimentRun.both(Cohort.read(o.heldOut()));
        List<Subject> train = ExperimentRun.both(Cohort.read(e.train()));
        if (held.isEmpty()) throw new IllegalArgumentException(o.heldOut() + ": no subject has both fmri and dwi, nothing to validate");
        for (Subject s : held)
            for (Subject t : train)
                if (s.fmri().toAbsolutePath().normalize().equals(t.fmri().toAbsolutePath().normalize()))
                    throw new IllegalArgumentException(o.heldOut() + ": subject " + s.subject() + " uses the same fmri file as training subject "
                            + t.subject() + "; the held-out cohort must be disjoint from the training cohort");
        Path atlasFile = ExperimentRun.atlasFile(e);
        Atlas atlas = Atlas.read(atlasFile, e.aligner().grid());
        if (o.shards() > 1 && !ExperimentRun.trained(out))
            throw new IllegalStateException(out + ": the experiment's models are not all trained; run the command once without --shard "
                    + "(it trains, or reuses finished stages) before the sharded syntheses");
        log.accept(String.format(Locale.ROOT, "validation: %d held-out subjects (%s), shard %d/%d; models in %s", held.size(), o.heldOut(),
                o.shard(), o.shards(), out.resolve("models")));
        ExperimentRun.trainAll(e, atlas, log, cancel);

        Segmenter seg = e.aligner().segmenter();
        Path synthRoot = dir.resolve("synthetic");
        SyntheticSet templateSet = template(synthRoot.resolve(TEMPLATE), train, held, seg, log);
        List<Subject> mine = new ArrayList<>();
        for (int p = 0; p < held.size(); p++) if (p % o.shards() == o.shard() - 1) mine.add(held.get(p));
        int written = 0;
        long t0 = System.nanoTime();
        for (Method m : Method.values()) {
            Path mdir = synthRoot.resolve(m.key());
            ExperimentRun.reuseOnlyIfSameSampling(mdir, ExperimentRun.samplingRecord(e, m), log);
            if (allExist(mdir, mine)) {
                log.accept(m.key() + ": all " + mine.size() + " subjects synthesized before, reused");
                continue;
            }
            try (Synthesizer synth = Synthesizer.load(ExperimentRun.modelFolder(out, m), m.refined(), e.device())) {
                if (m.refined() != synth.refines())
                    throw new IllegalStateException(ExperimentRun.modelFolder(out, m) + ": refiner " + (synth.refines() ? "present" : "missing")
                            + " for " + m.title());
                int k = 0;
                for (Subject s : mine) {
                    k++;
                    for (Modality from : Modality.values()) {
                        checkCancel(cancel);
                        Modality target = from.other();
                        Path file = CohortCompletion.outputFile(mdir, s.subject(), target);
                        if (Files.isRegularFile(file)) continue;
                        Synthesizer.Output res = synth.synthesize(new Synthesizer.Request(from, from == Modality.FMRI ? s.fmri() : s.dwi(), s.bval(),
                                s.bvec(), s.mask(), from == Modality.FMRI ? s.dwi() : s.fmri(), null, ExperimentRun.sampling(e, m).withSeedFor(s.subject(), target)), null, cancel);
                        // the voxelwise std of the K samples is not needed here: not written (saves a compressed volume per file)
                        Synthesizer.write(new Synthesizer.Output(res.mean(), null, res.target(), res.source(), res.timings()), file);
                        written++;
                    }
                    log.accept(String.format(Locale.ROOT, "%s: %d/%d %s synthesized", m.key(), k, mine.size(), s.subject()));
                }
            }
        }
        double synthSeconds = (System.nanoTime() - t0) / 1e9;
        if (!o.statistics()) {
            log.accept(String.format(Locale.ROOT, "shard %d/%d: %d syntheses written in %.1f min; run without --shard for the statistics",
                    o.shard(), o.shards(), written, synthSeconds / 60));
            return new Results(List.of(), List.of(), Map.of(), written, null);
        }

        // statistics on the labelled held-out subjects
        List<Subject> labelled = new ArrayList<>();
        for (Subject s : held) if (s.label() != null) labelled.add(s);
        if (labelled.size() < held.size()) log.accept((held.size() - labelled.size()) + " held-out subject(s) without a label left out of the statistics");
        int folds = folds(labelled, o.folds());
        if (folds < 2)
            throw new IllegalArgumentException(o.heldOut() + ": the statistics need at least 2 labelled subjects of each label present and two labels");
        List<String> keys = new ArrayList<>();
        keys.add(TEMPLATE);
        for (Method m : Method.values()) keys.add(m.key());
        long t1 = System.nanoTime();
        Map<String, List<SubjectFeatures>> feats = features(e, atlas, labelled, keys, templateSet, synthRoot, log, cancel);
        double featureSeconds = (System.nanoTime() - t1) / 1e9;

        long t2 = System.nanoTime();
        RepeatedCrossValidation rcv = new RepeatedCrossValidation(o.repeats(), folds, e.seed(), new LogisticRegression(LogisticRegression.DEFAULT_LAMBDA));
        CohortFeatures real = new CohortFeatures(atlas, seg.channels(), seg.channels(), feats.get(TEMPLATE));
        int[] kept = real.keptRegions(1);
        if (kept.length == 0) throw new IllegalArgumentException(o.heldOut() + ": no atlas region has a voxel inside every subject's brain mask");
        List<Row> rows = new ArrayList<>();
        RepeatedOutcomes rr = rcv.run(real.table(false, false, kept), null);
        rows.add(new Row(REAL, "real (no synthesis)", Protocol.REAL_REAL, null, rr, ValidationStatistics.summarize(rr, o.resamples(), e.seed())));
        for (String key : keys) {
            checkCancel(cancel);
            CohortFeatures cf = new CohortFeatures(atlas, seg.channels(), seg.channels(), feats.get(key));
            for (Object[] c : configurations()) {
                Protocol p = (Protocol) c[0];
                Modality rep = (Modality) c[1];
                Modality r = rep == null ? Modality.DWI : rep;
                FeatureTable trainT = cf.table(p.trainSynthetic(Modality.FMRI, r), p.trainSynthetic(Modality.DWI, r), kept);
                FeatureTable testT = cf.table(p.testSynthetic(Modality.FMRI, r), p.testSynthetic(Modality.DWI, r), kept);
                RepeatedOutcomes ro = rcv.run(trainT, testT, null);
                rows.add(new Row(key, title(key), p, rep, ro, ValidationStatistics.summarize(ro, o.resamples(), e.seed())));
            }
            log.accept(key + ": " + configurations().size() + " protocols cross-validated (" + o.repeats() + " x " + folds + " folds)");
        }
        List<Comparison> comparisons = new ArrayList<>();
        Results partial = new Results(rows, comparisons, Map.of(), written, null);
        for (Object[] c : configurations()) {
            Protocol p = (Protocol) c[0];
            Modality rep = (Modality) c[1];
            Row pds = partial.row(Method.PDS.key(), p, rep);
            for (String b : List.of(Method.L1_UNET.key(), Method.PDS_NO_DA.key(), REAL)) {
                Row other = b.equals(REAL) ? rows.get(0) : partial.row(b, p, rep);
                comparisons.add(new Comparison(Method.PDS.key(), b, p, rep,
                        ValidationStatistics.compare(pds.outcomes(), other.outcomes(), o.resamples(), e.seed())));
            }
        }
        double statSeconds = (System.nanoTime() - t2) / 1e9;

        // the disease pattern of the same syntheses (the template has no group difference: not scored)
        Map<String, Volume> truth = new LinkedHashMap<>();
        for (Subject s : labelled) for (Modality m : Modality.values()) truth.put(s.subject() + "/" + m, NativeScans.aligned(s, m, seg));
        Map<String, Map<Modality, DiseasePattern.Agreement>> pattern = PatternScores.write(dir, atlasFile, labelled, truth, Map.of(),
                List.of(Method.values()), synthRoot);
        truth.clear();

        Files.createDirectories(dir);
        double total = (System.nanoTime() - start) / 1e9;
        Results res = new Results(rows, comparisons, pattern, written, dir.resolve("validation.md"));
        ValidationWriter.write(dir, o, folds, labelled, res, new double[] {synthSeconds, featureSeconds, statSeconds, total});
        figures.accuracyIntervals(dir.resolve("validation-accuracy.png"), ValidationWriter.chart(res, folds));
        log.accept("validation: " + res.md() + String.format(Locale.ROOT, " (%.1f min)", total / 60));
        return res;
    }

    /** The table name of a source key. */
    static String title(String key) {
        if (key.equals(REAL)) return "real (no synthesis)";
        if (key.equals(TEMPLATE)) return ResultsWriter.TEMPLATE;
        for (Method m : Method.values()) if (m.key().equals(key)) return m.title();
        throw new IllegalArgumentException("unknown source " + key);
    }

    /**
     * The training cohort's voxelwise template of both modalities, written once (atomically) into
     * {@code dir} as {@code fmri_synth.nii.gz} / {@code dwi_synth.nii.gz} on the first training
     * subject's grid, with a {@code synthetic.csv} manifest giving every held-out subject those files.
     */
    private static SyntheticSet template(Path dir, List<Subject> train, List<Subject> held, Segmenter seg, Consumer<String> log) throws IOException {
        Path manifest = dir.resolve(SyntheticSet.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            for (Modality m : Modality.values()) {
                Path f = dir.resolve((m == Modality.DWI ? "dwi" : "fmri") + "_synth.nii.gz");
                if (Files.isRegularFile(f)) continue;
                Img<FloatType> tpl = NativeScans.template(train, m, seg);
                Volume first = NativeScans.aligned(train.get(0), m, seg);
                Files.createDirectories(dir);
                NiftiWriter.write(f, tpl, first.geometry());
            }
            StringBuilder b = new StringBuilder("subject,fmri,dwi\n");
            for (Subject s : held) b.append(s.subject()).append(",fmri_synth.nii.gz,dwi_synth.nii.gz\n");
            NiftiFiles.writeAtomically(manifest, w -> w.write(b.toString().getBytes(StandardCharsets.UTF_8)));
            log.accept("template: written to " + dir);
        }
        return SyntheticSet.open(manifest);
    }

    /** Per source key, the features of every labelled subject (real scans aligned once per subject). */
    private static Map<String, List<SubjectFeatures>> features(ExperimentRun.Options e, Atlas atlas, List<Subject> subjects, List<String> keys,
            SyntheticSet templateSet, Path synthRoot, Consumer<String> log, BooleanSupplier cancel) throws IOException {
        FeatureExtractor fx = new FeatureExtractor(e.aligner(), atlas);
        Map<String, List<SubjectFeatures>> out = new LinkedHashMap<>();
        for (String k : keys) out.put(k, new ArrayList<>());
        int done = 0;
        for (Subject s : subjects) {
            checkCancel(cancel);
            List<SyntheticSet.Entry> entries = new ArrayList<>();
            for (String k : keys) {
                SyntheticSet.Entry en = k.equals(TEMPLATE) ? templateSet.get(s.subject())
                        : new SyntheticSet.Entry(s.subject(), CohortCompletion.outputFile(synthRoot.resolve(k), s.subject(), Modality.FMRI),
                                CohortCompletion.outputFile(synthRoot.resolve(k), s.subject(), Modality.DWI));
                for (Modality m : Modality.values())
                    if (en == null || !Files.isRegularFile(en.file(m)))
                        throw new IllegalStateException((en == null ? synthRoot.resolve(k) : en.file(m)) + ": missing synthesis of " + s.subject()
                                + "; rerun the same command to complete it");
                entries.add(en);
            }
            List<SubjectFeatures> f = fx.extract(s, entries);
            for (int i = 0; i < keys.size(); i++) out.get(keys.get(i)).add(f.get(i));
            if (++done % 10 == 0 || done == subjects.size()) log.accept("features: " + done + "/" + subjects.size() + " subjects");
        }
        return out;
    }

    private static boolean allExist(Path mdir, List<Subject> subjects) {
        for (Subject s : subjects)
            for (Modality m : Modality.values()) if (!Files.isRegularFile(CohortCompletion.outputFile(mdir, s.subject(), m))) return false;
        return true;
    }

    /** k: the requested folds, at most the smallest class present; 0 when fewer than two classes. */
    static int folds(List<Subject> subjects, int requested) {
        int min = Integer.MAX_VALUE, classes = 0;
        for (Diagnosis d : Diagnosis.values()) {
            int n = 0;
            for (Subject s : subjects) if (s.label() == d) n++;
            if (n > 0) {
                min = Math.min(min, n);
                classes++;
            }
        }
        return classes < 2 ? 0 : Math.min(requested, min);
    }

    private static void checkCancel(BooleanSupplier cancel) {
        if (cancel != null && cancel.getAsBoolean()) throw new CancellationException("validation cancelled");
    }
}
