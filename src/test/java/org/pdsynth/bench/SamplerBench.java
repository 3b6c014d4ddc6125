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
import org.pdsynth.metrics.Sharpness;
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
 * training validation measures): PSNR/SSIM of the synthesis against the truth and its sharpness
 * relative to the truth (inside the truth's brain: first channel above the background), both directions,
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
                // sampler:steps[:K[:output]], or "prior": the residual model's regression prior alone
                String[] p = c.split(":");
                boolean priorOnly = p[0].equals("prior");
                // "template": the population template, the voxelwise mean of the other subjects of this cohort (leave one out)
                boolean template = p[0].equals("template");
                priorOnly |= template;
                Sampling.Options o = priorOnly ? Sampling.Options.defaults() : Sampling.Options.builder().optSampler(p[0])
                        .optSteps(Integer.parseInt(p[1])).optSamples(p.length > 2 ? Integer.parseInt(p[2]) : samples)
                        .optOutput(p.length > 3 ? Sampling.Output.parse(p[3]) : Sampling.Output.MEAN).optSeed(1).build();
                for (Direction dir : Direction.values()) {
                    double psnr = 0, psnrBrain = 0, ssim = 0, secs = 0, grad = 0, spec = 0;
                    for (int i = 0; i < pairs.size(); i++) {
                        TrainingPair tp = pairs.get(i);
                        long t0 = System.nanoTime();
                        float[] out = template ? leaveOneOutTemplate(pairs, i, dir) : priorOnly ? model.priorMean(tp.source(dir), dir, null)
                                : Sampling.sample(model, refiner, tp.source(dir), dir, null, o, null, null).output(o);
                        secs += (System.nanoTime() - t0) / 1e9;
                        var truth = VolumeArrays.wrap(tp.clean(dir), g[0], g[1], g[2], pairs.channels());
                        var synth = VolumeArrays.wrap(out, g[0], g[1], g[2], pairs.channels());
                        // brain: where the truth's first channel is above the background (-1 in model units)
                        float[] m = new float[(int) (g[0] * g[1] * g[2])];
                        float[] c0 = tp.clean(dir);
                        for (int v = 0; v < m.length; v++) m[v] = c0[v] > -0.98f ? 1f : 0f;
                        var brain = VolumeArrays.wrap(m, g[0], g[1], g[2]);
                        MetricsReport r = VolumeMetrics.compare(truth, synth, brain);
                        psnr += r.psnr();
                        psnrBrain += r.masked().psnr();
                        ssim += r.ssim();
                        Sharpness sh = Sharpness.compare(truth, synth, brain);
                        grad += sh.gradientRatio();
                        spec += sh.spectrumRatio();
                    }
                    int n = pairs.size();
                    rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %.2f | %.2f | %.4f | %.3f | %.3f | %.2f |", p[0], dir.label(),
                            priorOnly ? "-" : o.steps(), priorOnly ? "-" : o.samples(), priorOnly ? "-" : o.output().name().toLowerCase(Locale.ROOT),
                            template ? 0 : priorOnly ? 1 : Sampling.evaluations(model, o), psnrBrain / n, psnr / n, ssim / n, grad / n, spec / n, secs / n));
                    System.err.println(rows.get(rows.size() - 1));
                }
            }
        }
        System.out.println("| sampler | direction | steps | K | output | network evaluations | PSNR in brain (dB) | PSNR (dB) | SSIM | gradient ratio | spectrum ratio | s / synthesis |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static float[] leaveOneOutTemplate(CohortPairs pairs, int skip, Direction dir) {
        float[] t = null;
        for (int j = 0; j < pairs.size(); j++) {
            if (j == skip) continue;
            float[] v = pairs.get(j).clean(dir);
            if (t == null) t = new float[v.length];
            for (int k = 0; k < v.length; k++) t[k] += v[k] / (pairs.size() - 1);
        }
        return t;
    }

    private static String arg(String[] a, String name, String def) {
        for (int i = 0; i + 1 < a.length; i++) if (a[i].equals(name)) return a[i + 1];
        if (def == null) throw new IllegalArgumentException(name + " is required");
        return def;
    }
}
