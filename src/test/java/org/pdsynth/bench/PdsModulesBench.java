package org.pdsynth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.pdsynth.volume.Atlas;
import org.pdsynth.diffusion.AtlasWeightMap;
import org.pdsynth.diffusion.DiffusionModel;
import org.pdsynth.diffusion.PairSource;
import org.pdsynth.diffusion.ParamsFile;
import org.pdsynth.diffusion.RefinerModel;
import org.pdsynth.diffusion.RefinerObjective;
import org.pdsynth.diffusion.DenoiserObjective;
import org.pdsynth.diffusion.CheckpointStore;
import org.pdsynth.diffusion.TrainSettings;
import org.pdsynth.diffusion.Trainer;
import org.pdsynth.diffusion.TrainingPair;
import org.pdsynth.model.Engines;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.volume.Grid;

/**
 * Size and speed of the PDS modules at the default config (48x56x48 grid, N = 8): parameter
 * counts and {@code .params} sizes with and without the pattern-aware module (DA) and of the
 * refiner; one training step (batch 1, one direction) of the noise estimator without DA (the
 * reference), with DA, with DA + the atlas-weighted loss, and one stage-2 refiner step (frozen
 * DA estimator forward + refiner forward/backward + the L1/SSIM/gradient/projection loss).
 * Each kind of step runs as a block: {@code warmup} untimed steps, then {@code repeats} timed
 * ones; the best (the figure least disturbed by other load on a shared machine) and the median
 * are reported, each with its ratio to the reference's of the same run.
 *
 * <p>Usage: {@code PdsModulesBench AAL.nii.gz [threads=2] [repeats=5] [warmup=2]} (the atlas is
 * resampled nearest-neighbour to the 4 mm MNI grid; its label file beside it). Run by
 * {@code bench/pds-modules.sh}.
 */
public final class PdsModulesBench {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: PdsModulesBench AAL.nii.gz [threads] [repeats] [warmup]");
            System.exit(2);
        }
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Engines.configure(threads);
        Atlas aal = Atlas.read(Path.of(args[0]), Grid.MNI_4MM);
        int present = 0;
        for (int r = 0; r < aal.size(); r++) present += aal.voxels(r) > 0 ? 1 : 0;
        System.out.printf(Locale.ROOT, "atlas %s: %d regions, %d with voxels on the 4 mm grid; threads %d%n", args[0], aal.size(), present, threads);

        ModelConfig off = ModelConfig.defaults();
        ModelConfig on = off.with("patternAware", true);
        PairSource data = pairs(off);
        TrainSettings ts = TrainSettings.defaults().with("batchSize", 1).with("warmupSteps", 0).with("steps", 1_000_000);
        Path tmp = Files.createTempDirectory("pds-bench");
        try (DiffusionModel plain = DiffusionModel.create(off);
             DiffusionModel da = DiffusionModel.create(on, aal);
             DiffusionModel daW = DiffusionModel.create(on, aal);
             RefinerModel refiner = RefinerModel.create(on);
             Trainer<DenoiserObjective> tPlain = Trainer.denoiser(plain, data, ts);
             Trainer<DenoiserObjective> tDa = Trainer.denoiser(da, data, ts);
             Trainer<DenoiserObjective> tDaW = Trainer.denoiser(daW, data, ts.with("lambdaWeight", 1.0));
             Trainer<RefinerObjective> tRef = Trainer.refiner(da, refiner, data, ts)) {
            tDaW.objective().setWeightMap(AtlasWeightMap.of(aal, AtlasWeightMap.DEFAULT_REGIONS));
            report("noise estimator, DA off", plain.holder().parameterCount(), size(tmp, plain.holder().parameterNames(), plain.holder().parameterArrays()));
            report("noise estimator, DA on", da.holder().parameterCount(), size(tmp, da.holder().parameterNames(), da.holder().parameterArrays()));
            report("refiner", refiner.holder().parameterCount(), size(tmp, refiner.holder().parameterNames(), refiner.holder().parameterArrays()));
            Runnable[] steps = {tPlain::step, tDa::step, tDaW::step, tRef::step};
            String[] names = {"train step, DA off (reference)", "train step, DA on", "train step, DA on + weighted loss",
                    "stage-2 refiner step (frozen DA estimator)"};
            double[][] t = new double[steps.length][repeats];
            for (int i = 0; i < steps.length; i++) {
                for (int k = 0; k < warmup; k++) steps[i].run();
                for (int k = 0; k < repeats; k++) {
                    long t0 = System.nanoTime();
                    steps[i].run();
                    t[i][k] = (System.nanoTime() - t0) / 1e9;
                }
            }
            double refBest = Arrays.stream(t[0]).min().orElseThrow(), refMedian = median(t[0]);
            for (int i = 0; i < steps.length; i++) {
                double best = Arrays.stream(t[i]).min().orElseThrow();
                System.out.printf(Locale.ROOT, "%-44s best %.3f s (ratio %.2f)  median %.3f s (ratio %.2f)  max %.3f s%n", names[i], best,
                        best / refBest, median(t[i]), median(t[i]) / refMedian, Arrays.stream(t[i]).max().orElseThrow());
            }
        } finally {
            try (var s = Files.list(tmp)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(tmp);
        }
    }

    private static void report(String what, long params, long bytes) {
        System.out.printf(Locale.ROOT, "%-44s %,d parameters, .params %,d bytes (%.2f MB)%n", what, params, bytes, bytes / 1e6);
    }

    private static long size(Path dir, java.util.List<String> names, java.util.List<ai.djl.ndarray.NDArray> arrays) throws Exception {
        Path f = dir.resolve("w.params");
        ParamsFile.write(f, "model", names, arrays);
        return Files.size(f);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One smooth pair on the config grid, values in [-1, 1]. */
    private static PairSource pairs(ModelConfig c) {
        int[] g = c.grid();
        int n = c.channels(), v = c.voxels();
        float[] f = new float[n * v], d = new float[n * v];
        for (int k = 0; k < f.length; k++) {
            int x = k % g[2], y = (k / g[2]) % g[1], z = (k / (g[1] * g[2])) % g[0], ch = k / v;
            f[k] = (float) (0.8 * Math.sin(0.2 * x + 0.15 * y * (ch + 1) + 0.1 * z));
            d[k] = (float) (0.9 * Math.tanh(2 * f[k] - 0.1 * ch));
        }
        TrainingPair p = new TrainingPair("bench", f, d, org.pdsynth.volume.Diagnosis.AD);
        return new PairSource() {
            public int size() {
                return 1;
            }

            public TrainingPair get(int i) {
                return p;
            }

            public int channels() {
                return n;
            }

            public int[] gridZYX() {
                return g.clone();
            }
        };
    }
}
