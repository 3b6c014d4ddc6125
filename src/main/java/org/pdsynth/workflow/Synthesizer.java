package org.pdsynth.workflow;

import org.pdsynth.diffusion.Sampling;
import org.pdsynth.diffusion.DiffusionModel;
import org.pdsynth.diffusion.ParamsFile;
import org.pdsynth.diffusion.RefinerModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.AlignedSubject;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Direction;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.IntensityMap;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.SpaceOverlap;
import org.pdsynth.volume.SubjectAligner;
import org.pdsynth.volume.Volume;

/**
 * Synthesizes the missing modality of one subject with a trained model folder: align the given
 * modality to N channels on the model grid, run DDIM conditioned on it, bring the result back to
 * the target modality's units (the model's population intensity map) and onto the output grid.
 *
 * <p>Output: an N-channel volume (x, y, z, c) in the target modality's intensity units on the
 * input's grid (or a {@code like} file's); with M &gt; 1 samples the voxelwise mean and standard
 * deviation (same units) across samples. Voxels outside the source's brain mask are 0. An input that is
 * not in the model's space is refused or warned about ({@link SpaceOverlap}: its brain inside the model
 * grid, refused below 50%; its coverage of the model's atlas brain, warned below 70%).
 */
public final class Synthesizer implements AutoCloseable {
    private final Path folder;
    private final ModelFolder.Descriptor descriptor;
    private final DiffusionModel model;
    private final RefinerModel refiner;

    /**
     * What to synthesize.
     *
     * @param from     the modality given (the other one is synthesized)
     * @param input    its 4-D NIfTI file
     * @param bval     FSL bval (needed when {@code from} is DWI)
     * @param bvec     FSL bvec (needed when {@code from} is DWI)
     * @param mask     brain mask file, or null to compute one from the data
     * @param like     a NIfTI whose grid the output takes, or null for the input's grid
     * @param label    diagnosis to condition on, or null for the unconditional (null) label
     * @param sampling sampler, steps, eta, samples M, seed, guidance scale
     */
    public record Request(Modality from, Path input, Path bval, Path bvec, Path mask, Path like, Diagnosis label,
            Sampling.Options sampling) {
        public Request {
            if (from == null || input == null || sampling == null) throw new IllegalArgumentException("from, input and sampling options are required");
            if (from == Modality.DWI && (bval == null || bvec == null))
                throw new IllegalArgumentException(input + ": a DWI input needs --bval and --bvec");
        }
    }

    /**
     * The synthesized volume ({@code mean}: the mean of the M samples, or sample 0 when the request
     * asks for {@code Sampling.Output.SAMPLE}) and, with several samples, the voxelwise standard
     * deviation over all of them (else null).
     */
    public record Output(Volume mean, Volume std, Modality target, AlignedSubject source, Timings timings) {}

    /**
     * Where the time of one {@link #synthesize} call went, in seconds of wall time.
     *
     * @param align       reading the input and aligning it to the model grid (resampling, intensity map)
     * @param sampling    the sampler's network evaluations (all samples), the refiner and the prior
     * @param restore     mapping the result from model units back to the modality's intensities and onto the output grid
     * @param evaluations network evaluations of the sampler
     */
    public record Timings(double align, double sampling, double restore, int evaluations) {
        /** "align 0.4 s, sampling 5.2 s (40 network evaluations), restore 0.3 s". */
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "align %.2f s, sampling %.2f s (%d network evaluations), restore %.2f s",
                    align, sampling, evaluations, restore);
        }
    }

    private Synthesizer(Path folder, ModelFolder.Descriptor d, DiffusionModel model, RefinerModel refiner) {
        this.folder = folder;
        this.descriptor = d;
        this.model = model;
        this.refiner = refiner;
    }

    /** {@link #load(Path, boolean, String)} on the CPU with the refiner applied when the model has one. */
    public static Synthesizer load(Path folder) throws IOException {
        return load(folder, true, null);
    }

    /** {@link #load(Path, boolean, String)} on the CPU. */
    public static Synthesizer load(Path folder, boolean refine) throws IOException {
        return load(folder, refine, null);
    }

    /**
     * Loads a model folder (descriptor + EMA weights, its atlas when pattern-aware); checks it is
     * consistent. The stage-2 refiner is applied when {@code refine} is true, the config's
     * {@code refiner.enabled} is on and the folder has {@value RefinerModel#FILE}. Both networks
     * live on the device named {@code device}: auto, cpu, gpu, gpu:N (null: the CPU).
     *
     * @throws ParamsFile.ParamsFormatException when the folder is not a consistent model folder (naming the file)
     */
    public static Synthesizer load(Path folder, boolean refine, String device) throws IOException {
        ModelFolder.Descriptor d = ModelFolder.readDescriptor(folder);
        DiffusionModel m = ModelFolder.loadModel(folder, device);
        int[] zyx = m.config().grid();
        long[] g = d.grid().dims();
        if (m.config().channels() != d.aligner().segmenter().channels() || zyx[0] != g[2] || zyx[1] != g[1] || zyx[2] != g[0]) {
            m.close();
            throw new ParamsFile.ParamsFormatException(folder.resolve(ModelFolder.DESCRIPTOR), "grid " + Arrays.toString(g)
                    + " / channels do not match config.json (gridZYX " + Arrays.toString(zyx) + ", N " + m.config().channels() + ")");
        }
        RefinerModel r = null;
        try {
            if (refine && m.config().refiner().enabled()) r = RefinerModel.load(folder, m);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return new Synthesizer(folder, d, m, r);
    }

    /** True when syntheses go through the stage-2 refiner. */
    public boolean refines() {
        return refiner != null;
    }

    /** The denoiser (EMA weights, with its residual prior if any) this synthesizer samples with. */
    public DiffusionModel model() {
        return model;
    }

    public ModelFolder.Descriptor descriptor() {
        return descriptor;
    }

    public Path folder() {
        return folder;
    }

    /**
     * Runs one synthesis; {@code progress} gets (done, total) network evaluations; {@code cancel} is
     * polled before each.
     *
     * @throws IOException when an input file cannot be read (naming it)
     * @throws java.util.concurrent.CancellationException when cancelled
     */
    public Output synthesize(Request r, Sampling.Progress progress, BooleanSupplier cancel) throws IOException {
        long t0 = System.nanoTime();
        SubjectAligner aligner = descriptor.aligner();
        Grid out = r.like() != null ? SubjectAligner.gridOf(r.like()) : null;
        AlignedSubject src = r.from() == Modality.FMRI ? aligner.alignFmri(r.input(), r.mask())
                : aligner.alignDwi(r.input(), r.bval(), r.bvec(), r.mask());
        if (out == null) out = src.sourceGrid();
        if (model.atlas() != null) { // is the input in the model's space? (issue 13: else a mostly blank synthesis)
            int[] labels = model.atlas().labels();
            boolean[] brain = new boolean[labels.length];
            for (int i = 0; i < labels.length; i++) brain[i] = labels[i] != 0;
            SpaceOverlap.warn(SpaceOverlap.coverage(src.mask(), brain), r.input().toString(),
                    "of the model's atlas brain is covered by the input's brain");
        }
        Direction direction = Direction.from(r.from());
        Modality target = direction.target();
        long t1 = System.nanoTime();
        Sampling.Result res = Sampling.sample(model, refiner, src.data(), direction, r.label(), r.sampling(), progress, cancel);
        long t2 = System.nanoTime();
        IntensityMap map = descriptor.intensity(target);
        Volume mean = aligner.restore(res.output(r.sampling()), map, out, src.mask());
        Volume std = null;
        if (res.samples() > 1) {
            double[] lo = new double[map.channels()], hi = new double[map.channels()];
            for (int c = 0; c < lo.length; c++) {
                double half = (map.hi(c) - map.lo(c)) / 2;
                lo[c] = -half;
                hi[c] = half;
            }
            // std scales by the map's slope only: inverse(y) = y (hi - lo) / 2 with this map
            std = aligner.restore(res.std(), IntensityMap.of(lo, hi, map.lowPercentile(), map.highPercentile()), out, src.mask());
        }
        Timings timings = new Timings((t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9,
                Sampling.evaluations(model, r.sampling()));
        return new Output(mean, std, target, src, timings);
    }

    /**
     * Writes the mean to {@code file} and, when present, the std beside it as {@code NAME_std.nii[.gz]}:
     * the std first, so that a failure leaves neither new file (the std is removed when the mean fails).
     */
    public static void write(Output o, Path file) throws IOException {
        if (o.std() == null) {
            NiftiWriter.write(file, o.mean().data(), o.mean().geometry());
            return;
        }
        Path std = stdPath(file);
        NiftiWriter.write(std, o.std().data(), o.std().geometry());
        try {
            NiftiWriter.write(file, o.mean().data(), o.mean().geometry());
        } catch (IOException | RuntimeException e) {
            java.nio.file.Files.deleteIfExists(std);
            throw e;
        }
    }

    /** {@code x.nii.gz} -> {@code x_std.nii.gz}. */
    public static Path stdPath(Path file) {
        String n = file.getFileName().toString();
        String ext = n.toLowerCase().endsWith(".nii.gz") ? ".nii.gz" : ".nii";
        return file.resolveSibling(NiftiFiles.baseName(file) + "_std" + ext);
    }

    @Override
    public void close() {
        if (refiner != null) refiner.close();
        model.close();
    }
}
