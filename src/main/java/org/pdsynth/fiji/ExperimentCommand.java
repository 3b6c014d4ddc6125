package org.pdsynth.fiji;

import java.io.File;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.model.PredictionType;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.SubjectAligner;
import org.pdsynth.workflow.Budget;
import org.pdsynth.workflow.CohortCompletion;
import org.pdsynth.workflow.ExperimentRun;
import org.pdsynth.workflow.ValidationRun;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Trains the L1 regression U-Net, the conditional DDPM and the PDS ablations on one cohort and
 * compares them on another: fidelity tables, montages, per-region signal plot, diagnosis.
 */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Run Experiment", headless = true,
        description = "Baselines and ablations: train on one cohort, evaluate on another (results.md)")
public class ExperimentCommand extends PdsCommand {
    @Parameter(label = "Training cohort", description = "participants.csv of the training subjects", persist = false)
    private File cohort;

    @Parameter(label = "Test cohort", description = "participants.csv of the test subjects (disjoint from training)", persist = false)
    private File test;

    @Parameter(label = "Noise-free test twin", description = "participants.csv of the test cohort simulated again with --noise-free "
            + "(same seed): also measure against the noise-free truth", required = false, persist = false)
    private File testNoiseFree;

    @Parameter(label = "Output folder", style = "directory", persist = false)
    private File out;

    @Parameter(label = "Budget", description = "small: <= 40 min on 2 cores; full: the paper-like setting",
            choices = {"small", "full"}, required = false, persist = false)
    private String budget = "small";

    @Parameter(label = "Steps", min = "0", description = "override the budget's stage-1 steps per network (0 = keep)", required = false, persist = false)
    private int steps = 0;

    @Parameter(label = "Atlas", description = "label NIfTI with its .txt (default: atlas.nii.gz beside the training manifest)",
            required = false, persist = false)
    private File atlas;

    @Parameter(label = "Prediction type", description = "of the diffusion methods: sample (x0, as pds train's default), epsilon "
            + "(DESIGN 4.5) or v_prediction", choices = {"sample", "epsilon", "v_prediction"}, required = false, persist = false)
    private String predictionType = "sample";

    @Parameter(label = "Residual mode", description = "the diffusion methods learn the residual over the L1 regression U-Net",
            required = false, persist = false)
    private boolean residual = false;

    @Parameter(label = "Loss weighting", description = "per-noise-level loss weight of the diffusion methods",
            choices = {"uniform", "min_snr", "min_snr_plus_one"}, required = false, persist = false)
    private String lossWeighting = "uniform";

    @Parameter(label = "Sampler", choices = {"ddim", "dpm++2m"}, required = false, persist = false)
    private String sampler = "ddim";

    @Parameter(label = "Samples K", description = "samples averaged into the PDS mean (PDS (one sample) uses the first)",
            min = "1", required = false, persist = false)
    private int samples = 1;

    @Parameter(label = "Sampling steps", min = "0", description = "sampler steps of the evaluation syntheses (0 = the budget's DDIM steps)",
            required = false, persist = false)
    private int samplingSteps = 0;

    @Parameter(label = "Refiner inputs", description = "what the refiner learns to correct: one_step (x0 estimates, DESIGN 4.6) "
            + "or sampled (full syntheses of the frozen network)", choices = {"one_step", "sampled"}, required = false, persist = false)
    private String refinerInputs = "one_step";

    @Parameter(label = "Device", description = "where the network runs: auto (a CUDA GPU when PyTorch sees one, else the CPU), cpu or gpu",
            choices = {"auto", "cpu", "gpu"}, required = false, persist = false)
    private String device = "auto";

    @Parameter(label = "dMRI grouping", description = "bvalue segments, or directions (b0 + direction clusters: needed for the FA/MD metrics)",
            choices = {"bvalue", "directions"}, required = false, persist = false)
    private String dwiGrouping = "bvalue";

    @Parameter(label = "Seed", required = false, persist = false)
    private long seed = 1;

    @Parameter(label = "Validation cohort", description = "participants.csv of a labelled held-out cohort: instead of the test-cohort "
            + "evaluation, synthesize it with every method and run the clinical validation into OUT/validation (docs/validation.md)",
            required = false, persist = false)
    private File validation;

    @Parameter(label = "Shard", description = "i/n: with --validation, synthesize only this share of the held-out subjects "
            + "(no statistics unless 1/1); the final unsharded call does the statistics", required = false, persist = false)
    private String shard = "1/1";

    @Parameter(label = "Repeats", min = "1", description = "with --validation: repeats of the stratified k-fold", required = false, persist = false)
    private int repeats = 10;

    @Parameter(label = "Folds", min = "2", description = "with --validation: k of the stratified k-fold (at most the smallest class)",
            required = false, persist = false)
    private int folds = 5;

    @Parameter(label = "Bootstrap resamples", min = "1", description = "with --validation: resamples of the bootstrap over subjects",
            required = false, persist = false)
    private int resamples = 2000;

    @Parameter(type = ItemIO.OUTPUT, label = "Results")
    private String results;

    @Override
    public void run() {
        try {
            SubjectAligner aligner = SubjectAligner.defaults();
            aligner = aligner.withSegmenter(aligner.segmenter().withGrouping(Segmenter.DwiGrouping.parse(dwiGrouping)));
            ExperimentRun.Options o = new ExperimentRun.Options(cohort.toPath(), test.toPath(), out.toPath(),
                    Budget.parse(budget).withSteps(steps), atlas == null ? null : atlas.toPath(), seed, aligner,
                    ModelConfig.defaults().withPrediction(PredictionType.parse(predictionType)), device,
                    testNoiseFree == null ? null : testNoiseFree.toPath(), new ExperimentRun.Recipe(residual, lossWeighting, sampler, samples, refinerInputs, samplingSteps));
            int[] sh = CohortCompletion.parseShard(shard);
            if (validation == null) {
                if (sh[0] != 1 || sh[1] != 1) throw new UsageError("--shard applies to --validation only");
                ExperimentRun.Results r = ExperimentRun.run(o, line -> status("PDS experiment: " + line), cancelled(), Plots.experimentFigures());
                results = "results written to " + r.resultsMd();
            } else {
                ValidationRun.Results r = ValidationRun.run(new ValidationRun.Options(o, validation.toPath(), sh[0], sh[1], repeats, folds, resamples),
                        line -> status("PDS validation: " + line), cancelled(), Plots.experimentFigures());
                results = r.md() == null ? "shard " + shard + ": " + r.written() + " syntheses written" : "validation written to " + r.md();
            }
        } catch (Exception e) {
            throw failure(e);
        }
    }
}
