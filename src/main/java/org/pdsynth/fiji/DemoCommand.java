package org.pdsynth.fiji;

import org.pdsynth.workflow.DemoRun;
import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** The README demo: phantom cohort, synthesis both ways for a held-out subject, PSNR/SSIM, montages ({@link DemoRun}). */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Demo", headless = true,
        description = "Simulate, synthesize and measure on a small phantom cohort")
public class DemoCommand extends PdsCommand {
    @Parameter(label = "Demo folder", description = "new or empty folder for every output", style = "directory", persist = false)
    private File out;

    @Parameter(label = "Subjects", description = "phantom subjects (the last one is held out)", min = "3", required = false, persist = false)
    private int subjects = 8;

    @Parameter(label = "Seed", required = false, persist = false)
    private long seed = 1;

    @Parameter(label = "Model folder", description = "default: the shipped demo model, else a quick model trained here",
            style = "directory", required = false, persist = false)
    private File model;

    @Parameter(label = "Quick training steps", min = "1", description = "when no model is available", required = false, persist = false)
    private int trainSteps = 150;

    @Parameter(label = "DDIM steps", min = "2", required = false, persist = false)
    private int steps = org.pdsynth.diffusion.Sampling.DEFAULT_STEPS;

    @Parameter(type = ItemIO.OUTPUT, label = "Demo summary")
    private String summary;

    @Override
    public void run() {
        try {
            summary = DemoRun.run(new DemoRun.Options(out.toPath(), subjects, seed, model == null ? null : model.toPath(), trainSteps, steps),
                    line -> status("PDS demo: " + line), cancelled());
        } catch (Exception e) {
            throw failure(e);
        }
    }
}
