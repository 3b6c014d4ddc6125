package org.pdsynth.fiji;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.pdsynth.volume.Atlas;
import org.pdsynth.workflow.ModelFolder;
import org.pdsynth.diffusion.LossWeighting;
import org.pdsynth.diffusion.TrainSettings;
import org.pdsynth.workflow.TrainingRun;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.model.PredictionType;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.SubjectAligner;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Trains a PDS model on a cohort manifest (subjects with both modalities; split by subject) and
 * writes a model folder. Progress lines go to the status bar / CLI; cancelling stops after the
 * current step and leaves a usable checkpoint ({@code --resume} continues it).
 *
 * <p>PDS proper: the pattern-aware module is on by default and needs a label atlas in the cohort's
 * space ({@code --atlas}, default {@code atlas.nii.gz} beside the manifest), which the model folder
 * keeps; the same atlas gives the loss weight map W of {@code --regions} (lambda {@code --lambda}).
 * {@code --stages 1,2} also trains the stage-2 refiner; {@code --stages 2 --model DIR} adds it
 * to an existing stage-1 model.
 *
 * <p>The loss is plotted as the run goes ({@link TrainingLossPlot}: a live ImageJ plot window in
 * Fiji) and written to the model folder as {@value #LOSS_PLOT} and {@code training-loss.csv}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Train Model", headless = true,
        description = "Train the conditional diffusion model on a cohort")
public class TrainCommand extends PdsCommand {
    /** The loss plot in the model folder (PNG; its data in {@code training-loss.csv}). */
    public static final String LOSS_PLOT = "training-loss.png";

    @Parameter(label = "Cohort manifest", description = "participants.csv (subject,label,fmri,dwi,bval,bvec,mask)", persist = false)
    private File cohort;

    @Parameter(label = "Model folder", description = "where the trained model goes (default with --stages 2: the --model folder)",
            style = "directory", required = false, persist = false)
    private File out;

    @Parameter(label = "Model config JSON", description = "network config (default: built-in defaults)", required = false, persist = false)
    private File config;

    @Parameter(label = "Base width", min = "0", description = "override the config's first-level width (0 = keep)", required = false, persist = false)
    private int width = 0;

    @Parameter(label = "Steps", min = "1", required = false, persist = false)
    private int steps = 2000;

    @Parameter(label = "Batch size", min = "1", required = false, persist = false)
    private int batch = 2;

    @Parameter(label = "Learning rate", min = "0", required = false, persist = false)
    private double lr = 2e-4;

    @Parameter(label = "Warm-up steps", min = "0", required = false, persist = false)
    private int warmup = 100;

    @Parameter(label = "Checkpoint every", min = "1", description = "steps between checkpoints", required = false, persist = false)
    private int checkpointEvery = 200;

    @Parameter(label = "Validation fraction", min = "0", max = "1", description = "subjects held out (stratified by label)", required = false, persist = false)
    private double validationFraction = 0.2;

    @Parameter(label = "Validation subjects", min = "0", description = "held-out subjects synthesized at the end (0 = none)", required = false, persist = false)
    private int validationSubjects = 4;

    @Parameter(label = "Validation DDIM steps", min = "2", required = false, persist = false)
    private int validationSteps = 20;

    @Parameter(label = "Channels N", min = "1", required = false, persist = false)
    private int channels = Segmenter.DEFAULT_CHANNELS;

    @Parameter(label = "fMRI dummy volumes to skip", min = "0", required = false, persist = false)
    private int skip = 0;

    @Parameter(label = "dMRI grouping", choices = {"bvalue", "directions"}, required = false, persist = false)
    private String dwiGrouping = "bvalue";

    @Parameter(label = "Model grid", choices = {"4mm", "2mm"}, required = false, persist = false)
    private String grid = "4mm";

    @Parameter(label = "Seed", required = false, persist = false)
    private long seed = 1;

    @Parameter(label = "Resume", description = "continue the run saved in the model folder's checkpoints", required = false, persist = false)
    private boolean resume = false;

    @Parameter(label = "Stages", description = "1 = noise estimator, 2 = refiner (on a stage-1 model), 1,2 = both",
            required = false, persist = false)
    private String stages = "1";

    @Parameter(label = "Stage-1 model", description = "with --stages 2: the stage-1 model folder to continue (copied to --out if that differs)",
            style = "directory", required = false, persist = false)
    private File model;

    @Parameter(label = "Refiner steps", min = "0", description = "stage-2 steps (0 = the same as --steps)", required = false, persist = false)
    private int refinerSteps = 0;

    @Parameter(label = "Refiner inputs", description = "what the stage-2 refiner learns to correct: one_step (x0 estimates, "
            + "DESIGN 4.6) or sampled (full syntheses of the frozen network, 10 DDIM steps)", choices = {"one_step", "sampled"},
            required = false, persist = false)
    private String refinerInputs = "one_step";

    @Parameter(label = "Atlas", description = "label NIfTI in the cohort's space with its .txt of 'index name' lines "
            + "(default: atlas.nii.gz beside the manifest)", required = false, persist = false)
    private File atlas;

    @Parameter(label = "Pattern-aware module", description = "atlas region attention in the network (off: ablation, no atlas needed)",
            required = false, persist = false)
    private boolean patternAware = true;

    @Parameter(label = "Prediction type", description = "what the network outputs and its L1 loss compares: sample (x0, the clean "
            + "target; samples well after short CPU training), epsilon (the noise, DESIGN 4.5) or v_prediction",
            choices = {"sample", "epsilon", "v_prediction"}, required = false, persist = false)
    private String predictionType = "sample";

    @Parameter(label = "Loss weighting", description = "per-noise-level weight of the stage-1 loss: uniform, min_snr "
            + "(min(SNR, gamma), Hang et al. 2023) or min_snr_plus_one (min(1 + SNR, gamma))",
            choices = {"uniform", "min_snr", "min_snr_plus_one"}, required = false, persist = false)
    private String lossWeighting = "uniform";

    @Parameter(label = "SNR gamma", description = "truncation gamma of the Min-SNR weightings", min = "0.01", required = false, persist = false)
    private double snrGamma = 5.0;

    @Parameter(label = "Residual prior", description = "a trained regression model folder (pds train --regression): the diffusion "
            + "learns the residual over its predictions (residual mode)", style = "directory", required = false, persist = false)
    private File prior;

    @Parameter(label = "Regression", description = "train the one-step L1 regression U-Net instead of a diffusion model "
            + "(the baseline, and the prior of residual mode)", required = false, persist = false)
    private boolean regression = false;

    @Parameter(label = "Device", description = "where the network runs: auto (a CUDA GPU when PyTorch sees one, else the CPU), cpu or gpu",
            choices = {"auto", "cpu", "gpu"}, required = false, persist = false)
    private String device = "auto";


    @Parameter(label = "Loss weight lambda", min = "0", description = "weight of the disease regions in the loss (1 + lambda W); 0 = off",
            required = false, persist = false)
    private double lambda = 1.0;

    @Parameter(label = "Weighted regions", description = "comma-separated atlas region names of W (default: the AAL disease regions)",
            required = false, persist = false)
    private String regions = "";

    @Parameter(type = ItemIO.OUTPUT, label = "Training report")
    private String report;

    @Override
    public void run() {
        try {
            List<Integer> stageList = parseStages(stages);
            if (out == null && model == null) throw new IllegalArgumentException("give --out (the model folder to write), or --model with --stages 2");
            File dest = out != null ? out : model;
            if (model != null && !stageList.contains(2)) throw new IllegalArgumentException("--model names a stage-1 model to continue with --stages 2");
            if (model != null && !model.getCanonicalFile().equals(dest.getCanonicalFile())) ModelFolder.copy(model.toPath(), dest.toPath());
            ModelConfig cfg = config == null ? ModelConfig.defaults() : ModelConfig.fromJson(org.pdsynth.nifti.NiftiFiles.readUtf8(config.toPath()));
            cfg = cfg.with("seed", seed).with("patternAware", patternAware).with("predictionType", PredictionType.parse(predictionType).fieldName())
                    .with("regression", regression);
            if (width > 0) cfg = cfg.with("baseWidth", width);
            ModelConfig.RefinerSettings rs = cfg.refiner();
            cfg = cfg.with("refiner", new ModelConfig.RefinerSettings(rs.enabled(), rs.baseWidth(), rs.channelMultipliers(),
                    rs.resBlocksPerLevel(), rs.maxT(), rs.lambdaMic(), refinerInputs, rs.inputSteps()));
            TrainSettings ts = TrainSettings.defaults().with("steps", steps).with("batchSize", batch).with("learningRate", lr)
                    .with("warmupSteps", warmup).with("checkpointEvery", checkpointEvery).with("logEvery", Math.max(1, Math.min(10, steps / 20)));
            Segmenter seg = new Segmenter(channels, skip, Segmenter.DwiGrouping.parse(dwiGrouping));
            SubjectAligner aligner = SubjectAligner.defaults().withGrid(Grid.named(grid)).withSegmenter(seg);
            Atlas a = null;
            if (stageList.contains(1) && (patternAware || lambda > 0)) {
                Path f = atlas != null ? atlas.toPath() : cohort.toPath().toAbsolutePath().getParent().resolve("atlas.nii.gz");
                if (Files.isRegularFile(f)) a = Atlas.read(f, aligner.grid());
                else if (patternAware || atlas != null)
                    throw new IllegalArgumentException(f + ": no atlas; give --atlas (a label NIfTI with its .txt of region names) "
                            + "or turn the pattern-aware module off with --pattern-aware false");
            }
            ts = ts.with("lambdaWeight", a == null ? 0.0 : lambda).with("lossWeighting", LossWeighting.parse(lossWeighting).fieldName())
                    .with("snrGamma", snrGamma);
            List<String> weighted = regions == null || regions.isBlank() ? null
                    : Arrays.stream(regions.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
            StringBuilder log = new StringBuilder();
            TrainingLossPlot lossPlot = new TrainingLossPlot(dest.getName(), true);
            List<TrainingRun.Validation> v;
            try {
                v = TrainingRun.run(new TrainingRun.Options(cohort.toPath(), dest.toPath(), cfg, ts,
                        validationFraction, seed, resume, validationSubjects, validationSteps, aligner, a, weighted, stageList, refinerSteps, device,
                        prior == null ? null : prior.toPath()),
                        line -> {
                            status("PDS train: " + line);
                            log.append(line).append('\n');
                            lossPlot.line(line);
                        }, cancelled());
            } finally {
                if (dest.isDirectory() && !lossPlot.points().stream().allMatch(List::isEmpty))
                    lossPlot.save(dest.toPath().resolve(LOSS_PLOT));
            }
            report = String.format(Locale.ROOT, "model folder %s (%d validation results; loss plot %s)%s", dest, v.size(), LOSS_PLOT,
                    isCanceled() ? "; stopped early: resume with --resume" : "");
        } catch (Exception e) {
            throw failure(e);
        }
    }

    /** "1", "2", "1,2" (blanks allowed) to a list; anything else is a one-line error. */
    static List<Integer> parseStages(String s) {
        List<Integer> out = new ArrayList<>();
        for (String p : (s == null ? "1" : s).split(",")) {
            String t = p.trim();
            if (!t.equals("1") && !t.equals("2")) throw new IllegalArgumentException("--stages must be 1, 2 or 1,2, got '" + s + "'");
            if (!out.contains(Integer.parseInt(t))) out.add(Integer.parseInt(t));
        }
        return out;
    }
}
