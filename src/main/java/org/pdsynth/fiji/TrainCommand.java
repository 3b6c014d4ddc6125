package org.pdsynth.fiji;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.pdsynth.diffusion.TrainSettings;
import org.pdsynth.diffusion.TrainingRun;
import org.pdsynth.model.ModelConfig;
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
 */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Train Model", headless = true,
        description = "Train the conditional diffusion model on a cohort")
public class TrainCommand extends PdsCommand {
    @Parameter(label = "Cohort manifest", description = "participants.csv (subject,label,fmri,dwi,bval,bvec,mask)", persist = false)
    private File cohort;

    @Parameter(label = "Model folder", description = "where the trained model goes", style = "directory", persist = false)
    private File out;

    @Parameter(label = "Model config JSON", description = "network config (default: built-in defaults)", required = false, persist = false)
    private File config;

    @Parameter(label = "Base width", description = "override the config's first-level width (0 = keep)", required = false, persist = false)
    private int width = 0;

    @Parameter(label = "Steps", min = "1", required = false, persist = false)
    private int steps = 2000;

    @Parameter(label = "Batch size", min = "1", required = false, persist = false)
    private int batch = 2;

    @Parameter(label = "Learning rate", required = false, persist = false)
    private double lr = 2e-4;

    @Parameter(label = "Warm-up steps", required = false, persist = false)
    private int warmup = 100;

    @Parameter(label = "Checkpoint every", description = "steps between checkpoints", required = false, persist = false)
    private int checkpointEvery = 200;

    @Parameter(label = "Validation fraction", description = "subjects held out (stratified by label)", required = false, persist = false)
    private double validationFraction = 0.2;

    @Parameter(label = "Validation subjects", description = "held-out subjects synthesized at the end (0 = none)", required = false, persist = false)
    private int validationSubjects = 4;

    @Parameter(label = "Validation DDIM steps", required = false, persist = false)
    private int validationSteps = 20;

    @Parameter(label = "Channels N", min = "1", required = false, persist = false)
    private int channels = Segmenter.DEFAULT_CHANNELS;

    @Parameter(label = "fMRI dummy volumes to skip", required = false, persist = false)
    private int skip = 0;

    @Parameter(label = "dMRI grouping", choices = {"bvalue", "directions"}, required = false, persist = false)
    private String dwiGrouping = "bvalue";

    @Parameter(label = "Model grid", choices = {"4mm", "2mm"}, required = false, persist = false)
    private String grid = "4mm";

    @Parameter(label = "Seed", required = false, persist = false)
    private long seed = 1;

    @Parameter(label = "Resume", description = "continue the run saved in the model folder's checkpoints", required = false, persist = false)
    private boolean resume = false;

    @Parameter(type = ItemIO.OUTPUT, label = "Training report")
    private String report;

    @Override
    public void run() {
        try {
            ModelConfig cfg = config == null ? ModelConfig.defaults() : ModelConfig.fromJson(Files.readString(config.toPath()));
            cfg = cfg.with("seed", seed);
            if (width > 0) cfg = cfg.with("baseWidth", width);
            TrainSettings ts = TrainSettings.defaults().with("steps", steps).with("batchSize", batch).with("learningRate", lr)
                    .with("warmupSteps", warmup).with("checkpointEvery", checkpointEvery).with("logEvery", Math.max(1, Math.min(10, steps / 20)));
            Segmenter seg = new Segmenter(channels, skip, Segmenter.DwiGrouping.parse(dwiGrouping));
            SubjectAligner aligner = SubjectAligner.defaults().withGrid(Grid.named(grid)).withSegmenter(seg);
            StringBuilder log = new StringBuilder();
            List<TrainingRun.Validation> v = TrainingRun.run(new TrainingRun.Options(cohort.toPath(), out.toPath(), cfg, ts,
                    validationFraction, seed, resume, validationSubjects, validationSteps, aligner), line -> {
                        status("PDS train: " + line);
                        log.append(line).append('\n');
                    }, cancelled());
            report = String.format(Locale.ROOT, "model folder %s (%d validation results)%s", out, v.size(),
                    isCanceled() ? "; stopped early: resume with --resume" : "");
        } catch (Exception e) {
            throw failure(e);
        }
    }
}
