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
import net.imglib2.view.Views;
import org.pdsynth.volume.Atlas;
import org.pdsynth.diagnosis.DiagnosisOptions;
import org.pdsynth.diagnosis.DiagnosisReport;
import org.pdsynth.diagnosis.Protocol;
import org.pdsynth.diagnosis.Protocols;
import org.pdsynth.diagnosis.SyntheticSet;
import org.pdsynth.diffusion.AtlasWeightMap;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.diffusion.TrainSettings;
import org.pdsynth.metrics.DiseasePattern;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.Montage;
import org.pdsynth.metrics.TensorFit;
import org.pdsynth.metrics.VolumeMetrics;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.model.PredictionType;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.NativeScans;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.SubjectAligner;
import org.pdsynth.volume.Volume;

/**
 * {@code pds experiment}: trains every {@link Method} on a training cohort and evaluates them
 * on a separate test cohort (paper Tables 1-2, Figs. 4-5).
 *
 * <p>Layout of OUT: {@code models/<folder>} (three networks; the two refined methods add their
 * refiner to the folder of their unrefined neighbour), {@code synthetic/<method>/SUBJECT/
 * {dwi,fmri}_synth.nii.gz} (the {@link CohortCompletion#outputFile} layout that {@code pds
 * diagnose} reads), {@code results.md}, {@code results.csv}, {@code per-subject.csv},
 * {@code diagnosis.csv}, {@code montage-<target>.png} (all methods) and
 * {@code montages/<method>-<target>.png} (truth beside one method), {@code regions.csv},
 * {@code region-signal-<target>.png} and {@code pattern.csv} (disease-pattern effect sizes).
 *
 * <p>Conventions: test syntheses use the null label (the diagnosis protocols must not see the
 * label through the synthesis) and a fixed seed; the truth is the test subject's real scan
 * aligned to N channels on its own grid (intensity units of the modality); metrics per DESIGN 4.8
 * (per channel, scaled by the truth's range, then averaged), whole volume and inside the
 * subject's brain mask; then the metrics users need ({@link Measures}, {@link PatternScores}:
 * against the noise-free twin when {@link Options#testNoiseFree()} is given; docs/experiment.md).
 * The clinical validation on a held-out cohort reuses this run's models and training:
 * {@link ValidationRun} ({@code --validation}). The population template (voxelwise mean of the training subjects'
 * aligned scans) is reported as the trivial baseline. Restartable: a finished training (a
 * {@code stageN.done} marker) and an existing synthetic file are reused.
 */
public final class ExperimentRun {
    /**
     * @param train  training cohort manifest (subjects with both modalities are used)
     * @param test   test cohort manifest (subjects with both modalities are evaluated)
     * @param out    output folder
     * @param budget compute budget
     * @param atlas  label atlas (with its .txt), or null for atlas.nii.gz beside the training manifest
     * @param seed   seed of initialisation, training and sampling
     * @param aligner alignment to the model grid (N channels, grid, intensity map)
     * @param network network config of every method before the budget's width and the method's
     *                switches are applied; its prediction type is that of every diffusion method
     *                (the regression baseline has its own)
     * @param device  where the networks run: auto, cpu, gpu, gpu:N (null: the CPU)
     * @param testNoiseFree manifest of the test cohort's noise-free twin ({@code pds simulate --noise-free}, same
     *                seed), or null: fidelity, sharpness, FA and the disease pattern are then also measured
     *                against the noise-free truth
     * @param recipe  how the diffusion methods are trained and sampled (null: {@link Recipe#defaults()})
     */
    public record Options(Path train, Path test, Path out, Budget budget, Path atlas, long seed, SubjectAligner aligner,
            ModelConfig network, String device, Path testNoiseFree, Recipe recipe) {
        public Options {
            if (train == null || test == null || out == null || budget == null || aligner == null || network == null)
                throw new IllegalArgumentException("train, test, out, budget, aligner and network are required");
        }

        /** Without a noise-free twin. */
        public Options(Path train, Path test, Path out, Budget budget, Path atlas, long seed, SubjectAligner aligner, ModelConfig network,
                String device) {
            this(train, test, out, budget, atlas, seed, aligner, network, device, null, Recipe.defaults());
        }

        /** The same options with the noise-free twin's manifest (null: none). */
        public Options withTestNoiseFree(Path manifest) {
            return new Options(train, test, out, budget, atlas, seed, aligner, network, device, manifest, recipe);
        }

        /** The same options with another recipe. */
        public Options withRecipe(Recipe r) {
            return new Options(train, test, out, budget, atlas, seed, aligner, network, device, testNoiseFree, r);
        }

        /** The default 4 mm model grid, N = 8, the default network with the given prediction type, on the CPU. */
        public Options(Path train, Path test, Path out, Budget budget, Path atlas, long seed, PredictionType prediction) {
            this(train, test, out, budget, atlas, seed, SubjectAligner.defaults(), ModelConfig.defaults().withPrediction(prediction), null,
                    null, Recipe.defaults());
        }
    }

    /**
     * The training and sampling recipe of the diffusion methods (issue 12's options).
     *
     * @param residual      residual mode over the L1 regression U-Net of the same run
     * @param lossWeighting per-noise-level loss weight (uniform, min_snr, min_snr_plus_one)
     * @param sampler       sampler name (ddim, dpm++2m)
     * @param samples       K, samples averaged for the mean (the one-sample method uses sample 0)
     * @param refinerInputs what the refiner learns to correct: one_step (DESIGN 4.6) or sampled
     * @param samplingSteps sampler steps of the evaluation syntheses; 0 = the budget's DDIM steps
     *                      (a sampled-input refiner is trained on the budget's, whatever this is)
     */
    public record Recipe(boolean residual, String lossWeighting, String sampler, int samples, String refinerInputs,
            int samplingSteps) {
        /** @throws IllegalArgumentException for an unknown weighting or sampler, K &lt; 1 or negative steps */
        public Recipe {
            org.pdsynth.diffusion.LossWeighting.parse(lossWeighting);
            Sampling.Options.builder().optSampler(sampler).optSamples(samples).build();
            if (samplingSteps < 0) throw new IllegalArgumentException("sampling steps must be >= 0 (0 = the budget's), got " + samplingSteps);
        }

        /** The same recipe with the budget's sampling steps. */
        public Recipe(boolean residual, String lossWeighting, String sampler, int samples, String refinerInputs) {
            this(residual, lossWeighting, sampler, samples, refinerInputs, 0);
        }

        /** No residual, uniform weighting, DDIM, one sample (the recipe before issue 12). */
        public static Recipe defaults() {
            return new Recipe(false, "uniform", "ddim", 1, ModelConfig.RefinerSettings.ONE_STEP);
        }

        /** Steps of the evaluation syntheses under {@code budget}. */
        public int steps(Budget budget) {
            return samplingSteps > 0 ? samplingSteps : budget.ddimSteps();
        }
    }

    /** Row name of the test subjects' own (noisy) scans judged against their noise-free twins. */
    public static final String NOISY_TRUTH = "truth (noisy scan)";

    /**
     * Metrics of one source, subject and direction.
     *
     * @param method   the method, or null for a baseline
     * @param source   the row name: the method's title, {@link ResultsWriter#TEMPLATE} or {@link #NOISY_TRUTH}
     * @param report   against the truth (the test scan); null for {@link #NOISY_TRUTH}
     * @param measures against the noise-free truth when a twin is given (else the truth): fidelity, sharpness, FA
     */
    public record Score(Method method, String source, String subject, Diagnosis label, Modality target, MetricsReport report,
            Measures measures) {}

    /**
     * Everything measured. {@code pattern}: disease-pattern agreement with the (noise-free) truth's per source and
     * target ({@link PatternScores}).
     */
    public record Results(List<Score> scores, Map<Method, List<DiagnosisReport>> diagnosis, DiagnosisReport realReal,
            Map<String, Double> trainingSeconds, Path resultsMd, Map<String, Map<Modality, DiseasePattern.Agreement>> pattern) {}

    private ExperimentRun() {}

    /** {@link #run(Options, Consumer, BooleanSupplier, Figures)} without figures (their numbers are still written). */
    public static Results run(Options o, Consumer<String> log, BooleanSupplier cancel) throws Exception {
        return run(o, log, cancel, Figures.NONE);
    }

    /** Runs the experiment; {@code figures} draws the plots (the Fiji layer passes ImageJ plots). */
    public static Results run(Options o, Consumer<String> log, BooleanSupplier cancel, Figures figures) throws Exception {
        long start = System.nanoTime();
        Path out = o.out().toAbsolutePath();
        List<Subject> train = both(Cohort.read(o.train()));
        List<Subject> test = both(Cohort.read(o.test()));
        if (train.size() < 2) throw new IllegalArgumentException(o.train() + ": needs at least 2 subjects with both fmri and dwi, has " + train.size());
        if (test.isEmpty()) throw new IllegalArgumentException(o.test() + ": no subject has both fmri and dwi, nothing to evaluate");
        for (Subject s : test)
            for (Subject t : train)
                if (s.fmri().toAbsolutePath().normalize().equals(t.fmri().toAbsolutePath().normalize()))
                    throw new IllegalArgumentException(o.test() + ": subject " + s.subject() + " uses the same fmri file as training subject "
                            + t.subject() + "; the test cohort must be disjoint from the training cohort");
        if (o.testNoiseFree() != null) NoiseFreeTwin.check(o.testNoiseFree(), test);
        Path atlasFile = atlasFile(o);
        SubjectAligner aligner = o.aligner();
        Atlas atlas = Atlas.read(atlasFile, aligner.grid());
        log.accept(String.format(Locale.ROOT, "experiment: %d training, %d test subjects; budget %s; atlas %s (%d regions)",
                train.size(), test.size(), o.budget().name(), atlasFile, atlas.size()));

        Map<String, Double> seconds = trainAll(o, atlas, log, cancel);

        Segmenter seg = aligner.segmenter();
        Map<String, Volume> truth = new LinkedHashMap<>();
        for (Subject s : test) for (Modality m : Modality.values()) truth.put(s.subject() + "/" + m, NativeScans.aligned(s, m, seg));
        Map<Modality, Img<FloatType>> template = new LinkedHashMap<>();
        for (Modality m : Modality.values()) {
            try {
                template.put(m, NativeScans.template(train, m, seg));
            } catch (IllegalArgumentException e) {
                log.accept("no voxelwise template for " + m + ": " + e.getMessage());
            }
        }
        Map<String, Img<FloatType>> masks = new LinkedHashMap<>();
        for (Subject s : test) if (s.mask() != null) masks.put(s.subject(), NiftiReader.read(s.mask()).data());
        Map<String, Volume> clean = o.testNoiseFree() == null ? Map.of() : NoiseFreeTwin.aligned(o.testNoiseFree(), test, truth, seg);
        Map<String, TensorFit> fits = tensorFits(test, seg, log);
        List<Score> scores = new ArrayList<>();
        Map<Method, Map<String, Img<FloatType>>> shown = new LinkedHashMap<>();
        for (Subject s : test) {
            Img<FloatType> mask = masks.get(s.subject());
            for (Modality target : Modality.values()) {
                String key = s.subject() + "/" + target;
                Img<FloatType> t = truth.get(key).data(), c = clean.containsKey(key) ? clean.get(key).data() : null;
                TensorFit fit = target == Modality.DWI ? fits.get(s.subject()) : null;
                Img<FloatType> tpl = template.get(target);
                if (tpl != null)
                    scores.add(new Score(null, ResultsWriter.TEMPLATE, s.subject(), s.label(), target, compare(t, tpl, mask), Measures.of(t, c, tpl, mask, fit)));
                if (c != null) scores.add(new Score(null, NOISY_TRUTH, s.subject(), s.label(), target, null, Measures.of(t, c, t, mask, fit)));
            }
        }
        for (Method m : Method.values()) {
            Path dir = out.resolve("synthetic").resolve(m.key());
            reuseOnlyIfSameSampling(dir, samplingRecord(o, m), log);
            try (Synthesizer synth = Synthesizer.load(modelFolder(out, m), m.refined(), o.device())) {
                if (m.refined() != synth.refines())
                    throw new IllegalStateException(modelFolder(out, m) + ": refiner " + (synth.refines() ? "present" : "missing") + " for " + m.title());
                int k = 0;
                for (Subject s : test) {
                    k++;
                    Img<FloatType> mask = masks.get(s.subject());
                    for (Modality from : Modality.values()) {
                        checkCancel(cancel);
                        Modality target = from.other();
                        Path file = CohortCompletion.outputFile(dir, s.subject(), target);
                        if (!Files.isRegularFile(file)) {
                            Synthesizer.Output res = synth.synthesize(new Synthesizer.Request(from, from == Modality.FMRI ? s.fmri() : s.dwi(),
                                    s.bval(), s.bvec(), s.mask(), from == Modality.FMRI ? s.dwi() : s.fmri(), null,
                                    sampling(o, m).withSeedFor(s.subject(), target)), null, cancel);
                            Synthesizer.write(res, file);
                        }
                        Img<FloatType> synthetic = NiftiReader.read(file).data();
                        String key = s.subject() + "/" + target;
                        MetricsReport r = compare(truth.get(key).data(), synthetic, mask);
                        scores.add(new Score(m, m.title(), s.subject(), s.label(), target, r, Measures.of(truth.get(key).data(),
                                clean.containsKey(key) ? clean.get(key).data() : null, synthetic, mask, target == Modality.DWI ? fits.get(s.subject()) : null)));
                        if (k == 1) shown.computeIfAbsent(m, x -> new LinkedHashMap<>()).put(target.toString(), synthetic);
                    }
                    log.accept(String.format(Locale.ROOT, "%s: %d/%d %s synthesized and measured", m.key(), k, test.size(), s.subject()));
                }
            }
        }

        Files.createDirectories(out);
        montages(out, test.get(0), truth, template, shown, seg.channels() / 2);
        RegionSignals.write(out, atlasFile, test, truth, shown.keySet().stream().toList(), out.resolve("synthetic"), seg.channels() / 2, figures);
        Map<String, Map<Modality, DiseasePattern.Agreement>> pattern = PatternScores.write(out, atlasFile, test, truth, clean,
                shown.keySet().stream().toList(), out.resolve("synthetic"));

        // diagnosis: real/real once, then each method's synthetic set in the other protocols
        int folds = folds(test);
        Map<Method, List<DiagnosisReport>> diag = new LinkedHashMap<>();
        DiagnosisReport realReal = null;
        if (folds < 2) {
            log.accept("diagnosis skipped: the test cohort needs at least 2 subjects of each label present");
        } else {
            DiagnosisOptions d0 = DiagnosisOptions.defaults(atlas).withAligner(aligner).withFolds(folds).withSeed(o.seed());
            Cohort testCohort = new Cohort(test);
            realReal = Protocols.run(Protocol.REAL_REAL, testCohort, SyntheticSet.empty(), d0, null);
            for (Method m : Method.values()) {
                checkCancel(cancel);
                SyntheticSet set = SyntheticSet.open(out.resolve("synthetic").resolve(m.key()));
                List<DiagnosisReport> reports = new ArrayList<>();
                for (Modality replaced : Modality.values()) {
                    DiagnosisOptions d = d0.withReplace(replaced);
                    reports.addAll(Protocols.run(List.of(Protocol.REAL_HYBRID, Protocol.HYBRID_REAL), testCohort, set, d, null));
                }
                reports.add(Protocols.run(Protocol.SYNTHETIC_REAL, testCohort, set, d0, null));
                diag.put(m, reports);
                log.accept(String.format(Locale.ROOT, "%s: diagnosis done (%d protocols)", m.key(), reports.size()));
            }
        }
        double total = (System.nanoTime() - start) / 1e9;
        Path md = ResultsWriter.write(out, o, train.size(), test.size(), scores, realReal, diag, seconds, total, pattern,
                seg.grouping() == Segmenter.DwiGrouping.DIRECTIONS);
        log.accept("results: " + md + String.format(Locale.ROOT, " (%.1f min)", total / 60));
        return new Results(scores, diag, realReal, seconds, md, pattern);
    }

    /** File in a method's synthetic folder recording how its syntheses were drawn. */
    static final String SAMPLING_RECORD = "sampling.txt";

    /**
     * Keeps the syntheses of an earlier run in {@code dir} only when they were drawn the same way
     * ({@value #SAMPLING_RECORD} equal to {@code recipe}); otherwise removes them (a rerun with
     * other --samples, --sampler or --sampling-steps would else report stale files), then records
     * {@code recipe}.
     */
    static void reuseOnlyIfSameSampling(Path dir, String recipe, Consumer<String> log) throws IOException {
        Path record = dir.resolve(SAMPLING_RECORD);
        if (Files.isDirectory(dir)) {
            String before = Files.isRegularFile(record) ? Files.readString(record, StandardCharsets.UTF_8).strip() : null;
            if (recipe.equals(before)) return;
            log.accept(dir.getFileName() + ": earlier syntheses were drawn " + (before == null ? "with unrecorded settings" : "with " + before)
                    + "; drawing them again with " + recipe);
            org.pdsynth.diffusion.Checkpoint.deleteTree(dir);
        }
        Files.createDirectories(dir);
        Files.writeString(record, recipe + "\n", StandardCharsets.UTF_8);
    }

    /** What {@value #SAMPLING_RECORD} records for a method: its sampling options and refiner, or one pass for the regression. */
    static String samplingRecord(Options o, Method m) {
        return m.regression() ? "one network evaluation (regression)" : sampling(o, m) + ", refiner " + m.refined() + ", seed per subject";
    }

    /** How a method's test syntheses are drawn: the recipe's sampler and K samples (one for the single-sample method). */
    static Sampling.Options sampling(Options o, Method m) {
        Recipe rc = o.recipe() == null ? Recipe.defaults() : o.recipe();
        return Sampling.Options.builder().optSteps(rc.steps(o.budget())).optSeed(o.seed()).optSampler(rc.sampler())
                .optSamples(m.singleSample() ? 1 : rc.samples()).optOutput(m.singleSample() ? Sampling.Output.SAMPLE : Sampling.Output.MEAN).build();
    }

    /**
     * The label atlas of the run: {@link Options#atlas()}, else atlas.nii.gz beside the training manifest.
     *
     * @throws IllegalArgumentException when the file does not exist
     */
    static Path atlasFile(Options o) {
        Path atlasFile = o.atlas() != null ? o.atlas() : o.train().toAbsolutePath().getParent().resolve("atlas.nii.gz");
        if (!Files.isRegularFile(atlasFile))
            throw new IllegalArgumentException(atlasFile + ": no atlas; the pattern-aware methods need one (--atlas, a label NIfTI with its .txt)");
        return atlasFile;
    }

    /**
     * Trains every method's network and refiner into OUT/models, reusing each stage finished
     * before (its {@code stageN.done} marker). Returns the seconds of each stage (read from the
     * markers of reused stages).
     */
    static Map<String, Double> trainAll(Options o, Atlas atlas, Consumer<String> log, BooleanSupplier cancel) throws Exception {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Method m : Method.values()) train(m, o, atlas, seconds, log, cancel);
        return seconds;
    }

    /** Whether every method's training stage has finished (its marker exists) in OUT. */
    static boolean trained(Path out) {
        for (Method m : Method.values())
            if (!Files.isRegularFile(doneMarker(out, m))) return false;
        return true;
    }

    /** The model folder a method samples with. */
    public static Path modelFolder(Path out, Method m) {
        return out.toAbsolutePath().resolve("models").resolve(m.folder());
    }

    /** The training stage a method needs: 2 (the refiner) for a refined method, else 1. */
    private static int stage(Method m) {
        return m.refined() ? 2 : 1;
    }

    /** The marker of a method's finished stage in OUT (it holds the stage's seconds). */
    private static Path doneMarker(Path out, Method m) {
        return modelFolder(out, m).resolve("stage" + stage(m) + ".done");
    }

    /** Trains the network (stage 1) or the refiner (stage 2) a method needs, unless done before. */
    private static void train(Method m, Options o, Atlas atlas, Map<String, Double> seconds, Consumer<String> log,
            BooleanSupplier cancel) throws Exception {
        Path dir = modelFolder(o.out(), m);
        int stage = stage(m);
        Path done = doneMarker(o.out(), m);
        if (Files.isRegularFile(done)) {
            log.accept(m.key() + ": stage " + stage + " of " + dir.getFileName() + " done before, reused");
            seconds.put(m.folder() + "/stage" + stage, Double.parseDouble(Files.readString(done).trim()));
            return;
        }
        checkCancel(cancel);
        Budget b = o.budget();
        ModelConfig cfg = o.network().with("baseWidth", b.width()).with("seed", o.seed())
                .with("patternAware", m.patternAware()).with("regression", m.regression());
        Recipe rc = o.recipe() == null ? Recipe.defaults() : o.recipe();
        ModelConfig.RefinerSettings rs = cfg.refiner();
        cfg = cfg.with("refiner", new ModelConfig.RefinerSettings(rs.enabled(), rs.baseWidth(), rs.channelMultipliers(), rs.resBlocksPerLevel(),
                rs.maxT(), rs.lambdaMic(), rc.refinerInputs(), o.budget().ddimSteps()));
        TrainSettings ts = TrainSettings.defaults().with("steps", b.steps()).with("batchSize", b.batch()).with("learningRate", b.learningRate())
                .with("warmupSteps", b.warmup()).with("checkpointEvery", Math.max(1, b.steps() / 4))
                .with("logEvery", Math.max(1, b.steps() / 10)).with("lossWeighting", m.regression() ? "uniform" : rc.lossWeighting());
        // the atlas-weighted loss comes with DA: the design's disease regions this atlas has
        List<String> weighted = new ArrayList<>();
        for (String r : AtlasWeightMap.DEFAULT_REGIONS)
            if (atlas.regions().stream().anyMatch(x -> x.name().equals(r))) weighted.add(r);
        ts = ts.with("lambdaWeight", m.patternAware() && !weighted.isEmpty() ? 1.0 : 0.0);
        boolean resume = stage == 1 && Files.isDirectory(dir.resolve(ModelFolder.CHECKPOINTS));
        log.accept(m.key() + ": training " + (stage == 1 ? "stage 1 (" + (m.regression() ? "L1 regression" : "denoiser")
                + (m.patternAware() ? ", DA + weighted loss" : "") + ")" : "stage 2 (refiner)") + " into " + dir + (resume ? ", resuming" : ""));
        long t0 = System.nanoTime();
        TrainingRun.run(new TrainingRun.Options(o.train(), dir, cfg, ts, 0.0, o.seed(), resume, 0, 0, o.aligner(),
                m.patternAware() ? atlas : null, weighted.isEmpty() ? null : weighted, List.of(stage), b.refinerSteps(), o.device(),
                rc.residual() && !m.regression() ? modelFolder(o.out(), Method.L1_UNET) : null), line -> log.accept(m.folder() + ": " + line), cancel);
        checkCancel(cancel);
        double s = (System.nanoTime() - t0) / 1e9;
        seconds.put(m.folder() + "/stage" + stage, s);
        NiftiFiles.writeAtomically(done, w -> w.write(String.format(Locale.ROOT, "%.1f%n", s).getBytes(StandardCharsets.UTF_8)));
    }

    private static void montages(Path out, Subject s, Map<String, Volume> truth, Map<Modality, Img<FloatType>> template,
            Map<Method, Map<String, Img<FloatType>>> shown, int c) throws IOException {
        for (Modality target : Modality.values()) {
            String name = target == Modality.DWI ? "dwi" : "fmri";
            Img<FloatType> t = truth.get(s.subject() + "/" + target).data();
            List<Montage.Row> all = new ArrayList<>();
            all.add(new Montage.Row("truth " + name + " " + s.subject() + " channel " + c, Views.hyperSlice(t, 3, c)));
            if (template.get(target) != null) all.add(new Montage.Row("population template", Views.hyperSlice(template.get(target), 3, c)));
            for (Map.Entry<Method, Map<String, Img<FloatType>>> e : shown.entrySet()) {
                Img<FloatType> v = e.getValue().get(target.toString());
                all.add(new Montage.Row(e.getKey().title(), Views.hyperSlice(v, 3, c)));
                Montage.write(out.resolve("montages").resolve(e.getKey().key() + "-" + name + ".png"),
                        List.of(all.get(0), new Montage.Row(e.getKey().title(), Views.hyperSlice(v, 3, c))), 3);
            }
            Montage.write(out.resolve("montage-" + name + ".png"), all, 2);
        }
    }

    private static MetricsReport compare(Img<FloatType> truth, Img<FloatType> test, Img<FloatType> mask) {
        return mask == null ? VolumeMetrics.compare(truth, test) : VolumeMetrics.compare(truth, test, mask);
    }

    /**
     * The tensor fit of each test subject's DWI channels (WLS, mean b-matrix per channel) when the
     * DWI is aligned in direction grouping; empty otherwise (b-value segments mix b=0 and
     * diffusion-weighted volumes: no tensor to fit).
     */
    private static Map<String, TensorFit> tensorFits(List<Subject> test, Segmenter seg, Consumer<String> log) throws IOException {
        Map<String, TensorFit> fits = new LinkedHashMap<>();
        if (seg.grouping() != Segmenter.DwiGrouping.DIRECTIONS) {
            log.accept("FA/MD not measured: the DWI channels are b-value segments (align with dMRI grouping 'directions' for a tensor fit)");
            return fits;
        }
        for (Subject s : test) {
            GradientTable table = GradientTable.read(s.bval(), s.bvec());
            try {
                fits.put(s.subject(), TensorFit.ofGroups(table, seg.dwiGroups(table, s.dwi().toString()), TensorFit.Method.WLS));
            } catch (IllegalArgumentException e) {
                log.accept("FA/MD not measured for " + s.subject() + ": " + e.getMessage());
            }
        }
        return fits;
    }

    /** Folds of the stratified cross-validation: at most 5, at most the smallest class present. */
    static int folds(List<Subject> test) {
        int min = Integer.MAX_VALUE;
        for (Diagnosis d : Diagnosis.values()) {
            int n = 0;
            for (Subject s : test) if (s.label() == d) n++;
            if (n > 0) min = Math.min(min, n);
        }
        return min == Integer.MAX_VALUE ? 0 : Math.min(5, min);
    }

    /** The subjects of {@code c} with both modalities (what the experiment and the validation compare). */
    static List<Subject> both(Cohort c) {
        List<Subject> out = new ArrayList<>();
        for (Subject s : c.subjects()) if (s.hasFmri() && s.hasDwi()) out.add(s);
        return out;
    }

    private static void checkCancel(BooleanSupplier cancel) {
        if (cancel != null && cancel.getAsBoolean()) throw new CancellationException("experiment cancelled");
    }
}
