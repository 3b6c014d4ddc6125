package org.pdsynth.fiji;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.pdsynth.workflow.CohortCompletion;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.workflow.DefaultModel;
import org.pdsynth.workflow.Synthesizer;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Fills every missing modality of a cohort manifest ({@link CohortCompletion}); restartable, shardable. */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Complete Cohort", headless = true,
        description = "Synthesize the missing modality of every subject of a manifest")
public class CompleteCohortCommand extends PdsCommand {
    @Parameter(label = "Cohort manifest", description = "participants.csv; an empty fmri or dwi cell is a missing modality", persist = false)
    private File cohort;

    @Parameter(label = "Output folder", description = "SUBJECT/dwi_synth.nii.gz or fmri_synth.nii.gz go here", style = "directory", persist = false)
    private File out;

    @Parameter(label = "Model folder", description = "default: the shipped demo model", style = "directory", required = false, persist = false)
    private File model;

    @Parameter(label = "Shard", description = "i/n: this job's share of the subjects (cluster array jobs)", required = false, persist = false)
    private String shard = "1/1";

    @Parameter(label = "Every subject", description = "also synthesize modalities that exist (for evaluation)", required = false, persist = false)
    private boolean all = false;

    @Parameter(label = "Condition on labels", description = "use the manifest's NC/MCI/AD labels (not for diagnosis evaluation)",
            required = false, persist = false)
    private boolean useLabels = false;

    @Parameter(label = "Sampling steps", min = "2", required = false, persist = false)
    private int steps = Sampling.DEFAULT_STEPS;

    @Parameter(label = "Sampler", choices = {"ddim", "dpm++2m"}, required = false, persist = false)
    private String sampler = Sampling.DEFAULT_SAMPLER;

    @Parameter(label = "Samples", description = "M > 1: each output is the mean of M samples (best PSNR), with its std map beside it",
            min = "1", required = false, persist = false)
    private int samples = Sampling.DEFAULT_SAMPLES;

    @Parameter(label = "Output", description = "mean of the samples, or one sample as drawn (realistic texture)",
            choices = {"mean", "sample"}, required = false, persist = false)
    private String output = "mean";

    @Parameter(label = "Seed", required = false, persist = false)
    private long seed = 1;

    @Parameter(label = "Device", description = "where the network runs: auto (a CUDA GPU when PyTorch sees one, else the CPU), cpu or gpu",
            choices = {"auto", "cpu", "gpu"}, required = false, persist = false)
    private String device = "auto";

    @Parameter(type = ItemIO.OUTPUT, label = "Completion")
    private String report;

    @Override
    public void run() {
        try {
            int[] sh = CohortCompletion.parseShard(shard);
            CohortCompletion.Options o = new CohortCompletion.Options(cohort.toPath(), out.toPath(), sh[0], sh[1], all, useLabels,
                    Sampling.Options.builder().optSampler(sampler).optSteps(steps).optSamples(samples)
                            .optOutput(Sampling.Output.parse(output)).optSeed(seed).build());
            org.pdsynth.volume.Cohort.read(cohort.toPath()); // a bad manifest fails before the model loads
            try (Synthesizer s = Synthesizer.load(DefaultModel.resolve(model), true, device)) {
                List<CohortCompletion.Item> items = CohortCompletion.run(o, s, line -> status("PDS complete: " + line), cancelled());
                long written = items.stream().filter(i -> i.status().equals("written")).count();
                long failed = items.stream().filter(CohortCompletion.Item::failed).count();
                String failures = CohortCompletion.failures(items);
                // every subject was tried; any failure makes the run fail, naming each subject and reason
                if (failures != null) throw new IllegalStateException("shard " + shard + ": " + written + " volumes written; " + failures);
                report = String.format(Locale.ROOT, "shard %s: %d volumes written, %d already there; outputs in %s", shard, written,
                        items.size() - written - failed, out);
            }
        } catch (CancellationException e) {
            cancel("cancelled");
        } catch (Exception e) {
            throw failure(e);
        }
    }
}
