package org.pdsynth.fiji;

import ij.ImagePlus;
import java.io.File;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.workflow.Synthesizer;
import org.pdsynth.fiji.ImagePlusConverter.FourthAxis;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;
import org.scijava.ItemIO;
import org.scijava.plugin.Parameter;

/**
 * Synthesizes the missing modality of one subject with a trained model: the core is
 * {@link Synthesizer}; this command reads its parameters, reports progress per DDIM step, writes
 * the NIfTI output (and {@code _std} when samples &gt; 1) and returns the volumes as hyperstacks.
 */
public abstract class AbstractSynthesizeCommand extends PdsCommand {
    @Parameter(label = "Model folder", description = "a trained PDS model folder (default: the shipped demo model)",
            style = "directory", required = false, persist = false)
    private File model;

    @Parameter(label = "Input NIfTI", description = "the subject's 4-D fMRI or DWI", persist = false)
    private File input;

    @Parameter(label = "bval", description = "FSL bval of a DWI input", required = false, persist = false)
    private File bval;

    @Parameter(label = "bvec", description = "FSL bvec of a DWI input", required = false, persist = false)
    private File bvec;

    @Parameter(label = "Brain mask", description = "optional mask NIfTI (default: from the data)", required = false, persist = false)
    private File mask;

    @Parameter(label = "Output NIfTI", description = "where to write the synthesized N-channel volume (.nii or .nii.gz)",
            style = "save", required = false, persist = false)
    private File out;

    @Parameter(label = "Output grid like", description = "a NIfTI whose grid the output takes (default: the input's)",
            required = false, persist = false)
    private File like;

    @Parameter(label = "Sampling steps", description = "DDIM steps (spaced over 0..T-1, including T-1)", min = "2", required = false, persist = false)
    private int steps = Sampling.DEFAULT_STEPS;

    @Parameter(label = "Samples", description = "M > 1 gives the mean and a voxelwise std (uncertainty) map", min = "1",
            required = false, persist = false)
    private int samples = Sampling.DEFAULT_SAMPLES;

    @Parameter(label = "Seed", description = "seed of the initial noise (same seed, same output: bit for bit with one PyTorch thread, to the last bits with several)", required = false, persist = false)
    private long seed = 1;

    @Parameter(label = "Sampler", description = "ddim (Song et al. 2021) or dpm++2m (DPM-Solver++(2M), Lu et al. 2022: as good in fewer steps)",
            choices = {"ddim", "dpm++2m"}, required = false, persist = false)
    private String sampler = Sampling.DEFAULT_SAMPLER;

    @Parameter(label = "Output", description = "mean: the mean of the samples (best PSNR); sample: one sample as drawn "
            + "(realistic texture); the std map is over all samples either way", choices = {"mean", "sample"}, required = false, persist = false)
    private String output = "mean";

    @Parameter(label = "eta", description = "DDIM stochasticity (0 = deterministic)", min = "0", required = false, persist = false)
    private double eta = 0;

    @Parameter(label = "Label", description = "diagnosis to condition on", choices = {"none", "NC", "MCI", "AD"},
            required = false, persist = false)
    private String label = "none";

    @Parameter(label = "Guidance scale", description = "label guidance (1 = plain conditional)", required = false, persist = false)
    private double guidance = 1.0;

    @Parameter(label = "Refiner", description = "apply the model's stage-2 refiner when it has one (off: DDIM output as is)",
            required = false, persist = false)
    private boolean refine = true;

    @Parameter(label = "Device", description = "where the network runs: auto (a CUDA GPU when PyTorch sees one, else the CPU), cpu or gpu",
            choices = {"auto", "cpu", "gpu"}, required = false, persist = false)
    private String device = "auto";

    @Parameter(type = ItemIO.OUTPUT, label = "Synthetic")
    private ImagePlus synthetic;

    @Parameter(type = ItemIO.OUTPUT, label = "Uncertainty (std)")
    private ImagePlus uncertainty;

    @Parameter(type = ItemIO.OUTPUT, label = "Report")
    private String report;

    /** The modality given as input. */
    protected abstract Modality from();

    @Override
    public void run() {
        try {
            OutputGuard guard = new OutputGuard().input("--input", input).input("--bval", bval).input("--bvec", bvec)
                    .input("--mask", mask).input("--like", like);
            guard.check("--out", out);
            if (out != null && samples > 1) guard.check("--out (its _std file)", Synthesizer.stdPath(out.toPath()));
            Modality src = from();
            Diagnosis dx = "none".equalsIgnoreCase(label) || label == null ? null : Diagnosis.parse(label);
            Sampling.Options opts = Sampling.Options.builder().optSteps(steps).optSamples(samples).optSeed(seed)
                    .optEta(eta).optGuidanceScale(guidance).optSampler(sampler).optOutput(Sampling.Output.parse(output)).build();
            Synthesizer.Request req = new Synthesizer.Request(src, input.toPath(), path(bval), path(bvec), path(mask), path(like), dx, opts);
            status("PDS: loading model");
            long l0 = System.nanoTime();
            try (Synthesizer s = Synthesizer.load(org.pdsynth.workflow.DefaultModel.resolve(model), refine, device)) {
                double loaded = (System.nanoTime() - l0) / 1e9;   // the PyTorch engine's start (first use) and the model
                status("PDS: aligning " + input.getName());
                Synthesizer.Output o = s.synthesize(req, (d, t) -> progress(d, t, "PDS: sampling step " + d + "/" + t), cancelled());
                // everything that can fail happens before the output is written
                String name = o.target() == Modality.DWI ? "synthetic-dwi" : "synthetic-fmri";
                ImagePlus mean = ImagePlusConverter.toImagePlus(o.mean().data(), o.mean().geometry(), name, FourthAxis.CHANNEL);
                ImagePlus std = o.std() == null ? null
                        : ImagePlusConverter.toImagePlus(o.std().data(), o.std().geometry(), name + "-std", FourthAxis.CHANNEL);
                long w0 = System.nanoTime();
                if (out != null) Synthesizer.write(o, out.toPath());
                double write = (System.nanoTime() - w0) / 1e9;
                synthetic = mean;
                uncertainty = std;
                completed();
                report = String.format(Locale.ROOT, "synthesized %s from %s (%s): %d channels on %s, %d DDIM steps, %d sample(s)%s",
                        o.target().name().toLowerCase(Locale.ROOT), src.name().toLowerCase(Locale.ROOT), input,
                        o.mean().channels(), java.util.Arrays.toString(o.mean().grid().dims()), steps, samples,
                        out == null ? "" : "; wrote " + out + (o.std() != null ? " and " + Synthesizer.stdPath(out.toPath()) : ""));
                status(String.format(Locale.ROOT, "PDS: done (engine and model load %.2f s, %s, write %.2f s)",
                        loaded, o.timings(), write));
            }
        } catch (CancellationException e) {
            cancel("cancelled");
        } catch (Exception e) {
            throw failure(e);
        }
    }

    private static java.nio.file.Path path(File f) {
        return f == null ? null : f.toPath();
    }
}
