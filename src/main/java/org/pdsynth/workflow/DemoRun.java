package org.pdsynth.workflow;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.diffusion.TrainSettings;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.Montage;
import org.pdsynth.metrics.VolumeMetrics;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.phantom.PhantomCohort;
import org.pdsynth.phantom.PhantomOptions;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.NativeScans;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.SubjectAligner;
import org.pdsynth.volume.Volume;

/**
 * The demo, from nothing to figures: simulate a small phantom cohort, take a model (given, the
 * shipped demo model, or a quick one trained here on all subjects but the last), synthesize the
 * held-out subject's dMRI from its fMRI and its fMRI from its dMRI, and compare each with the
 * truth (the real scan aligned to the same N channels, on its own grid) and with the population
 * template (the mean of the training subjects' aligned scans): PSNR/SSIM/MAE inside the brain
 * mask, three-plane montages, a summary JSON. Plain Java (no ij): the command wraps it.
 */
public final class DemoRun {
    /**
     * @param out        demo folder (created; must be new or empty)
     * @param subjects   phantom subjects (the last is held out)
     * @param seed       phantom seed
     * @param model      model folder, or null for the default (shipped) model, else quick training
     * @param trainSteps steps of the quick training when no model is available
     * @param ddimSteps  DDIM steps of the synthesis
     */
    public record Options(Path out, int subjects, long seed, Path model, int trainSteps, int ddimSteps) {}

    private DemoRun() {}

    /** Runs the demo; returns the summary text. */
    public static String run(Options o, Consumer<String> log, BooleanSupplier cancel) throws Exception {
        if (o.subjects() < 3) throw new IllegalArgumentException("the demo needs at least 3 subjects, got " + o.subjects());
        Path out = o.out().toAbsolutePath();
        log.accept("simulating " + o.subjects() + " phantom subjects into " + out.resolve("cohort"));
        PhantomCohort.Result sim = PhantomCohort.simulate(PhantomOptions.defaults(out.resolve("cohort")).withSubjects(o.subjects())
                .withSeed(o.seed()).withTimepoints(64), (d, t, m) -> log.accept(m), cancel);
        Cohort cohort = Cohort.read(sim.manifest());
        List<Subject> train = new ArrayList<>(cohort.subjects().subList(0, cohort.size() - 1));
        Subject held = cohort.subjects().get(cohort.size() - 1);

        Path modelDir = chooseModel(o, out, train, log, cancel);
        ModelFolder.Descriptor desc = ModelFolder.readDescriptor(modelDir);
        Segmenter seg = desc.aligner().segmenter();

        JsonObject summary = new JsonObject();
        summary.addProperty("held_out_subject", held.subject());
        summary.addProperty("label", String.valueOf(held.label()));
        summary.addProperty("model", modelDir.toString());
        summary.addProperty("metrics", "inside the subject's brain mask, per channel scaled by the truth's range (DESIGN 4.8)");
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%nPDS demo: held-out %s (%s), model %s%n", held.subject(),
                held.label(), modelDir));
        text.append(String.format(Locale.ROOT, "%-12s %-10s %9s %8s %8s%n", "direction", "volume", "PSNR dB", "SSIM", "MAE"));
        Img<FloatType> mask = NiftiReader.read(held.mask()).data();
        try (Synthesizer synth = Synthesizer.load(modelDir)) {
            for (Modality from : Modality.values()) {
                Modality target = from.other();
                String name = target == Modality.DWI ? "dwi" : "fmri";
                Path file = CohortCompletion.outputFile(out.resolve("synthetic"), held.subject(), target);
                log.accept("synthesizing " + name + " of " + held.subject() + " from its " + (from == Modality.FMRI ? "fmri" : "dwi"));
                Synthesizer.Output res = synth.synthesize(new Synthesizer.Request(from, from == Modality.FMRI ? held.fmri() : held.dwi(),
                        held.bval(), held.bvec(), held.mask(), null, null, Sampling.Options.recommended().withSteps(o.ddimSteps())),
                        (d, t) -> {
                            if (d % 10 == 0 || d == t) log.accept("  sampling step " + d + "/" + t);
                        }, cancel);
                Synthesizer.write(res, file);
                Volume truthVolume = NativeScans.aligned(held, target, seg);
                Img<FloatType> truth = truthVolume.data();
                NiftiWriter.write(out.resolve("truth").resolve(held.subject()).resolve(name + "_aligned.nii.gz"), truth,
                        truthVolume.geometry());
                Img<FloatType> template = NativeScans.template(train, target, seg);
                MetricsReport ms = VolumeMetrics.compare(truth, res.mean().data(), mask);
                MetricsReport mt = VolumeMetrics.compare(truth, template, mask);
                String dir = (from == Modality.FMRI ? "fmri" : "dwi") + "->" + name;
                text.append(row(dir, "synthetic", ms.masked())).append(row(dir, "template", mt.masked()));
                JsonObject d = new JsonObject();
                d.add("synthetic", ms.masked().toJsonObject());
                d.add("template", mt.masked().toJsonObject());
                d.addProperty("file", file.toString());
                int c = seg.channels() / 2;
                Path png = out.resolve("montage-" + name + ".png");
                Montage.write(png, List.of(new Montage.Row("truth " + name + " channel " + c, Views.hyperSlice(truth, 3, c)),
                        new Montage.Row("PDS synthetic", Views.hyperSlice(res.mean().data(), 3, c)),
                        new Montage.Row("population template", Views.hyperSlice(template, 3, c))), 3);
                d.addProperty("montage", png.toString());
                summary.add(dir, d);
            }
        }
        String json = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(summary);
        NiftiFiles.writeAtomically(out.resolve("summary.json"), s -> s.write(json.getBytes(StandardCharsets.UTF_8)));
        text.append("outputs: ").append(out.resolve("synthetic")).append(", montages ").append(out.resolve("montage-dwi.png"))
                .append(" and ").append(out.resolve("montage-fmri.png")).append(", ").append(out.resolve("summary.json"));
        return text.toString();
    }

    private static Path chooseModel(Options o, Path out, List<Subject> train, Consumer<String> log, BooleanSupplier cancel)
            throws Exception {
        if (o.model() != null) return o.model();
        try {
            return DefaultModel.resolve(null);
        } catch (IOException none) {
            log.accept("no shipped model in this build: training a quick one (" + o.trainSteps() + " steps, small width)");
        }
        Path csv = out.resolve("train.csv");
        new Cohort(train).write(csv);
        Path dir = out.resolve("model");
        ModelConfig cfg = ModelConfig.defaults().with("baseWidth", 8);
        TrainSettings ts = TrainSettings.defaults().with("steps", o.trainSteps()).with("batchSize", 2).with("learningRate", 1e-3)
                .with("warmupSteps", Math.min(50, o.trainSteps() / 4)).with("checkpointEvery", 0).with("logEvery", 10);
        TrainingRun.run(new TrainingRun.Options(csv, dir, cfg, ts, 0.0, o.seed(), false, 0, 0, SubjectAligner.defaults()), log, cancel);
        return dir;
    }

    private static String row(String dir, String what, MetricsReport r) {
        return String.format(Locale.ROOT, "%-12s %-10s %9.2f %8.4f %8.4f%n", dir, what, r.psnr(), r.ssim(), r.mae());
    }
}
