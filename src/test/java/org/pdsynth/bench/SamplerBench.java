package org.pdsynth.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.pdsynth.diffusion.DiffusionModel;
import org.pdsynth.diffusion.RefinerModel;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.diffusion.TrainingPair;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.VolumeMetrics;
import org.pdsynth.model.Engines;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Direction;
import org.pdsynth.volume.VolumeArrays;
import org.pdsynth.workflow.CohortPairs;
import org.pdsynth.workflow.DefaultModel;
import org.pdsynth.workflow.ModelFolder;

/**
 * Samplers and step counts on one model and held-out subjects, on the model grid (as the
 * training validation measures): PSNR/SSIM of the synthesis against the truth, both directions,
 * network evaluations and wall time per synthesis. Arguments: {@code --cohort participants.csv
 * [--model DIR] [--configs ddim:50,dpm++2m:10,...] [--samples K] [--threads 2]}; prints a
 * Markdown table. Used by {@code bench/sampler-compare.sh}.
 */
public final class SamplerBench {
    public static void main(String[] args) throws Exception {
        Path cohort = Path.of(arg(args, "--cohort", null));
        String modelArg = arg(args, "--model", "");
        String[] configs = arg(args, "--configs", "ddim:50,dpm++2m:10,dpm++2m:15,dpm++2m:20").split(",");
        int samples = Integer.parseInt(arg(args, "--samples", "1"));
        Engines.pytorch(Integer.parseInt(arg(args, "--threads", "2")));
        Path folder = DefaultModel.resolve(modelArg.isEmpty() ? null : new java.io.File(modelArg));
        ModelFolder.Descriptor d = ModelFolder.readDescriptor(folder);
        CohortPairs pairs = CohortPairs.align(Cohort.read(cohort).subjects(), d.aligner(), null, null);
        long[] g = d.grid().dims();
        List<String> rows = new ArrayList<>();
        try (DiffusionModel model = ModelFolder.loadModel(folder); RefinerModel refiner = RefinerModel.load(folder, model)) {
            for (String c : configs) {
                String[] p = c.split(":");
                Sampling.Options o = Sampling.Options.builder().optSampler(p[0]).optSteps(Integer.parseInt(p[1])).optSamples(samples).optSeed(1).build();
                for (Direction dir : Direction.values()) {
                    double psnr = 0, ssim = 0, secs = 0;
                    for (int i = 0; i < pairs.size(); i++) {
                        TrainingPair tp = pairs.get(i);
                        long t0 = System.nanoTime();
                        float[] out = Sampling.sample(model, refiner, tp.source(dir), dir, null, o, null, null).mean();
                        secs += (System.nanoTime() - t0) / 1e9;
                        MetricsReport r = VolumeMetrics.compare(VolumeArrays.wrap(tp.clean(dir), g[0], g[1], g[2], pairs.channels()),
                                VolumeArrays.wrap(out, g[0], g[1], g[2], pairs.channels()));
                        psnr += r.psnr();
                        ssim += r.ssim();
                    }
                    int n = pairs.size();
                    rows.add(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.2f | %.4f | %.1f |", p[0], dir.label(), o.steps(),
                            Sampling.evaluations(model, o), psnr / n, ssim / n, secs / n));
                    System.err.println(rows.get(rows.size() - 1));
                }
            }
        }
        System.out.println("| sampler | direction | steps | network evaluations | PSNR (dB) | SSIM | s / synthesis |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String arg(String[] a, String name, String def) {
        for (int i = 0; i + 1 < a.length; i++) if (a[i].equals(name)) return a[i + 1];
        if (def == null) throw new IllegalArgumentException(name + " is required");
        return def;
    }
}
