package org.pdsynth.fiji;

import java.io.File;
import org.pdsynth.experiment.Budget;
import org.pdsynth.experiment.ExperimentRun;
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

    @Parameter(label = "Network output", description = "of the diffusion methods: x0 (as pds train's default) or epsilon (DESIGN 4.5)",
            choices = {"x0", "epsilon"}, required = false, persist = false)
    private String objective = "x0";

    @Parameter(label = "Seed", required = false, persist = false)
    private long seed = 1;

    @Parameter(type = ItemIO.OUTPUT, label = "Results")
    private String results;

    @Override
    public void run() {
        try {
            ExperimentRun.Results r = ExperimentRun.run(new ExperimentRun.Options(cohort.toPath(), test.toPath(), out.toPath(),
                    Budget.parse(budget).withSteps(steps), atlas == null ? null : atlas.toPath(), seed, objective),
                    line -> status("PDS experiment: " + line), cancelled());
            results = "results written to " + r.resultsMd();
        } catch (Exception e) {
            throw failure(e);
        }
    }
}
