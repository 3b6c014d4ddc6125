package org.pdsynth.workflow;

import org.pdsynth.diffusion.AtlasWeightMap;
import org.pdsynth.diffusion.Checkpoint;
import org.pdsynth.diffusion.CheckpointStore;
import org.pdsynth.diffusion.PairSource;
import org.pdsynth.diffusion.ResidualPairs;
import org.pdsynth.diffusion.DenoiserObjective;
import org.pdsynth.diffusion.RefinerModel;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.diffusion.DiffusionModel;
import org.pdsynth.diffusion.TrainListener;
import org.pdsynth.diffusion.TrainSettings;
import org.pdsynth.diffusion.Trainer;
import org.pdsynth.diffusion.TrainingPair;
import org.pdsynth.nifti.NiftiFiles;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.pdsynth.volume.Atlas;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.VolumeMetrics;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Direction;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.SubjectAligner;
import org.pdsynth.volume.VolumeArrays;

/**
 * {@code pds train}: a cohort manifest in, a model folder out. Subjects with both modalities are
 * split BY SUBJECT (stratified by label) into training and validation; both are aligned once;
 * the trainer runs with checkpoints under {@code OUT/checkpoints} (resumable); at the end the EMA
 * weights, the population intensity maps and the training record go into {@code OUT}
 * ({@link ModelFolder}), with the validation PSNR/SSIM of the synthesis against the truth and of
 * the population template (the mean training target), both directions, on the model grid.
 *
 * <p>Stages (DESIGN 4.5, 4.6): stage 1 trains the denoiser (DESIGN's noise estimator network) as above (with the atlas'
 * pattern-aware module when the config has {@code patternAware} on, and the atlas-weighted loss
 * when the settings' {@code lambdaWeight} &gt; 0 and an atlas is given); stage 2 trains the
 * refiner against the frozen EMA denoiser of the model folder {@code OUT} (written by
 * stage 1 of this run or an earlier one), on the training subjects recorded there, with
 * checkpoints under {@code OUT/checkpoints/stage2}, then writes {@value RefinerModel#FILE}, turns
 * {@code refiner.enabled} on in {@code config.json} and adds a {@code stage2} record (steps,
 * settings, validation with the refiner) to the descriptor.
 */
public final class TrainingRun {
    /**
     * @param cohort             participants.csv
     * @param out                model folder to write
     * @param config             network config (grid and channels are set from the aligner)
     * @param settings           training settings (steps, batch, learning rate, ...)
     * @param validationFraction fraction of subjects held out (stratified by label)
     * @param splitSeed          seed of the subject split
     * @param resume             continue from OUT/checkpoints
     * @param validationSubjects at most this many held-out subjects are synthesized at the end (0: none)
     * @param validationSteps    DDIM steps of that synthesis
     * @param aligner            alignment to the model grid
     */
    public record Options(Path cohort, Path out, ModelConfig config, TrainSettings settings, double validationFraction,
            long splitSeed, boolean resume, int validationSubjects, int validationSteps, SubjectAligner aligner,
            Atlas atlas, List<String> weightRegions, List<Integer> stages, int refinerSteps, String device, Path prior) {
        /**
         * @param atlas         label atlas on the aligner's grid (pattern-aware module and loss
         *                      weight map), or null
         * @param weightRegions region names of the weight map W ({@link AtlasWeightMap#DEFAULT_REGIONS})
         * @param stages        stages to run, from {1, 2}
         * @param refinerSteps  optimiser steps of stage 2 (0: the settings' steps)
         * @param device        where the networks run: auto, cpu, gpu, gpu:N (null: the CPU)
         * @param prior         a trained regression model folder: residual mode (the diffusion learns
         *                      x0 - mu(c) over its predictions; it is copied into OUT/prior), or null
         * @throws IllegalArgumentException for stages other than 1 and 2, or negative refiner steps
         */
        public Options {
            stages = stages == null ? List.of(1) : List.copyOf(stages);
            if (stages.isEmpty() || !stages.stream().allMatch(x -> x == 1 || x == 2))
                throw new IllegalArgumentException("stages must be 1, 2 or 1,2, got " + stages);
            weightRegions = weightRegions == null ? AtlasWeightMap.DEFAULT_REGIONS : List.copyOf(weightRegions);
            if (refinerSteps < 0) throw new IllegalArgumentException("refiner steps must be >= 0, got " + refinerSteps);
        }

        /** Stage 1 only, no atlas (the options before stages existed). */
        public Options(Path cohort, Path out, ModelConfig config, TrainSettings settings, double validationFraction,
                long splitSeed, boolean resume, int validationSubjects, int validationSteps, SubjectAligner aligner) {
            this(cohort, out, config, settings, validationFraction, splitSeed, resume, validationSubjects, validationSteps, aligner,
                    null, null, List.of(1), 0, null, null);
        }
    }

    /** Validation of one subject and direction: synthesis and template against the truth. */
    public record Validation(String subject, String direction, double psnr, double ssim, double templatePsnr, double templateSsim) {}

    private TrainingRun() {}

    /**
     * Runs the stages of {@code o}; {@code log} gets one line per event (progress, checkpoints,
     * validation). Returns the validation of the last stage run.
     */
    public static List<Validation> run(Options o, Consumer<String> log, BooleanSupplier cancel) throws Exception {
        List<Validation> v = List.of();
        if (o.stages().contains(1)) {
            v = runStage1(o, log, cancel);
            if (cancel != null && cancel.getAsBoolean()) return v;
        }
        if (o.stages().contains(2)) v = RefinerRun.run(o, log, cancel);
        return v;
    }

    /** Stage 1: the denoiser. */
    static List<Validation> runStage1(Options o, Consumer<String> log, BooleanSupplier cancel) throws Exception {
        long start = System.nanoTime();
        Cohort all = Cohort.read(o.cohort());
        List<Subject> both = new ArrayList<>();
        for (Subject s : all.subjects()) if (s.hasFmri() && s.hasDwi()) both.add(s);
        if (both.size() < 2)
            throw new IllegalArgumentException(o.cohort() + ": " + both.size() + " subjects have both fmri and dwi; training needs at least 2");
        Cohort.Split split = new Cohort(both).splitBySubject(o.validationFraction(), o.splitSeed());
        log.accept(String.format(Locale.ROOT, "subjects: %d with both modalities (of %d); %d train, %d validation (split by subject, seed %d)",
                both.size(), all.size(), split.train().size(), split.validation().size(), o.splitSeed()));
        CohortPairs train = CohortPairs.align(split.train(), o.aligner(),
                (d, n, s) -> log.accept("aligned " + d + "/" + n + " " + s), cancel);
        CohortPairs val = split.validation().isEmpty() ? null : CohortPairs.align(split.validation(), o.aligner(), null, cancel);
        int[] zyx = train.gridZYX();
        ModelConfig cfg = o.config().with("channels", train.channels()).with("gridZYX", List.of(zyx[0], zyx[1], zyx[2]));
        Path ckpt = o.out().resolve(ModelFolder.CHECKPOINTS);
        Files.createDirectories(o.out());
        DiffusionModel prior = o.prior() == null ? null : ModelFolder.loadModel(o.prior(), o.device());
        PairSource data = train;
        if (prior != null) {
            ModelConfig saved = o.resume() ? Checkpoint.readConfig(CheckpointStore.resolveLatest(ckpt)) : null;
            ResidualPairs rp = ResidualPairs.of(train, prior, saved != null && saved.residual() ? saved.residualScale() : 0);
            data = rp;
            cfg = cfg.with("residual", true).with("residualScale", rp.scale());
            log.accept(String.format(Locale.ROOT, "residual mode: prior %s, residual scale s = %.3g", o.prior(), rp.scale()));
        }
        DiffusionModel fresh = null;
        Trainer<DenoiserObjective> trainer;
        if (o.resume()) {
            trainer = Trainer.resumeDenoiser(ckpt, data, o.settings(), o.device());
            log.accept("resumed at step " + trainer.stepsDone() + " from " + CheckpointStore.resolveLatest(ckpt));
        } else {
            if (cfg.patternAware() && o.atlas() == null)
                throw new IllegalArgumentException("model config 'patternAware' is on: give an atlas (--atlas) or turn it off");
            fresh = DiffusionModel.create(cfg, o.atlas(), o.device());
            trainer = Trainer.denoiser(fresh, data, o.settings());
            log.accept(String.format(Locale.ROOT, "model: %,d parameters, grid (Z,Y,X) %s, N = %d; %d steps, batch %d; %s",
                    fresh.holder().parameterCount(), cfg.gridZYX(), cfg.channels(), o.settings().steps(), o.settings().batchSize(),
                    fresh.holder().device()));
        }
        DiffusionModel model = trainer.objective().model();
        if (prior != null) model.setPrior(prior, true);
        try {
            if (o.atlas() != null && trainer.settings().lambdaWeight() > 0) {
                float[] w = AtlasWeightMap.of(o.atlas(), o.weightRegions());
                trainer.objective().setWeightMap(w);
                int on = 0;
                for (float x : w) on += x > 0 ? 1 : 0;
                log.accept(String.format(Locale.ROOT, "loss weight map: %d regions, %d of %d voxels, lambda %.3g",
                        o.weightRegions().size(), on, w.length, trainer.settings().lambdaWeight()));
            }
            if (model.atlas() != null)
                log.accept("pattern-aware module: " + model.atlas().size() + " atlas regions at the "
                        + model.config().patternAwareLevels() + " coarsest levels");
            trainer.setListener(new TrainListener() {
                @Override
                public void onProgress(Progress p) {
                    log.accept(p.line());
                }

                @Override
                public void onCheckpoint(int step, Path dir) {
                    log.accept("checkpoint " + dir);
                }
            });
            int done = trainer.run(ckpt, cancel);
            List<Validation> results = new ArrayList<>();
            if (val != null && o.validationSubjects() > 0 && (cancel == null || !cancel.getAsBoolean()))
                results = validate(trainer.objective().emaModel(trainer.ema()), null, train, val, o, log, cancel);
            JsonObject rec = new JsonObject();
            rec.addProperty("cohort", o.cohort().toAbsolutePath().toString());
            rec.add("train_subjects", ids(split.train()));
            rec.add("validation_subjects", ids(split.validation()));
            rec.addProperty("split_seed", o.splitSeed());
            JsonObject phantom = phantomRecord(o.cohort());
            if (phantom != null) rec.add("data", phantom);
            rec.addProperty("steps_done", done);
            rec.add("settings", JsonParser.parseString(trainer.settings().toJson()));
            rec.addProperty("seconds", (System.nanoTime() - start) / 1e9);
            rec.addProperty("finished", Instant.now().toString());
            rec.add("validation", summary(results));
            if (o.prior() != null) ModelFolder.copy(o.prior(), o.out().resolve(Checkpoint.PRIOR));
            ModelFolder.save(o.out(), model, trainer.ema(), new ModelFolder.Descriptor(o.aligner().grid(), o.aligner(),
                    train.populationMap(Modality.FMRI), train.populationMap(Modality.DWI), rec));
            log.accept("model written to " + o.out() + (done < o.settings().steps() ? " (stopped early at step " + done + ")" : ""));
            return results;
        } finally {
            trainer.close();
            if (fresh != null) fresh.close();
        }
    }

    /**
     * The simulator's record ({@code phantom.json}: seed, subjects, grid, SNRs) when the manifest
     * sits in a phantom cohort folder, so a model names the data it was trained on; else null.
     */
    static JsonObject phantomRecord(Path manifest) {
        Path f = manifest.toAbsolutePath().getParent().resolve("phantom.json");
        if (!Files.isRegularFile(f)) return null;
        try {
            JsonElement e = JsonParser.parseString(NiftiFiles.readUtf8(f));
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Synthesizes held-out subjects on the model grid and compares with the truth and the template. */
    static List<Validation> validate(DiffusionModel model, RefinerModel refiner, CohortPairs train, CohortPairs val, Options o,
            Consumer<String> log, BooleanSupplier cancel) {
        List<Validation> out = new ArrayList<>();
        long[] g = o.aligner().grid().dims();
        int n = Math.min(val.size(), o.validationSubjects());
        for (int i = 0; i < n; i++) {
            TrainingPair p = val.get(i);
            for (Direction d : Direction.values()) {
                if (cancel != null && cancel.getAsBoolean()) return out;
                float[] truth = p.clean(d);
                float[] synth = Sampling.sample(model, refiner, p.source(d), d, p.label(), Sampling.Options.builder()
                        .optSteps(o.validationSteps()).optSeed(o.splitSeed() + i).build(), null, cancel).mean();
                float[] template = train.template(d.target());
                MetricsReport s = compare(truth, synth, g, train.channels());
                MetricsReport t = compare(truth, template, g, train.channels());
                Validation v = new Validation(p.subject(), d.label(), s.psnr(), s.ssim(), t.psnr(), t.ssim());
                log.accept(String.format(Locale.ROOT, "validation %s %s: PSNR %.2f dB SSIM %.4f (template %.2f dB / %.4f)",
                        v.subject(), v.direction(), v.psnr(), v.ssim(), v.templatePsnr(), v.templateSsim()));
                out.add(v);
            }
        }
        return out;
    }

    private static MetricsReport compare(float[] truth, float[] test, long[] g, int channels) {
        return VolumeMetrics.compare(VolumeArrays.wrap(truth, g[0], g[1], g[2], channels), VolumeArrays.wrap(test, g[0], g[1], g[2], channels));
    }

    static JsonArray ids(List<Subject> s) {
        JsonArray a = new JsonArray();
        for (Subject x : s) a.add(x.subject());
        return a;
    }

    static JsonObject summary(List<Validation> v) {
        JsonObject o = new JsonObject();
        o.addProperty("space", "model grid, model units; metrics per DESIGN 4.8 (scaled by the truth's range)");
        for (String dir : new String[] {"fmri->dwi", "dwi->fmri"}) {
            double ps = 0, ss = 0, pt = 0, st = 0;
            int k = 0;
            for (Validation x : v)
                if (x.direction().equals(dir)) {
                    ps += x.psnr();
                    ss += x.ssim();
                    pt += x.templatePsnr();
                    st += x.templateSsim();
                    k++;
                }
            if (k == 0) continue;
            JsonObject d = new JsonObject();
            d.addProperty("subjects", k);
            d.addProperty("psnr", ps / k);
            d.addProperty("ssim", ss / k);
            d.addProperty("template_psnr", pt / k);
            d.addProperty("template_ssim", st / k);
            o.add(dir, d);
        }
        return o;
    }
}
