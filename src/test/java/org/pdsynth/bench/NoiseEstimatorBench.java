package org.pdsynth.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.pdsynth.volume.Direction;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.diffusion.DiffusionModel;
import org.pdsynth.diffusion.PairSource;
import org.pdsynth.diffusion.TrainSettings;
import org.pdsynth.diffusion.Trainer;
import org.pdsynth.diffusion.DenoiserObjective;
import org.pdsynth.diffusion.TrainingPair;
import org.pdsynth.model.Engines;
import org.pdsynth.model.ModelConfig;

/**
 * Speed of the DJL noise estimator, the Java half of bench/model-speed.sh (the other half is
 * bench/torch_twin.py, the same network in PyTorch 1.13).
 *
 * <pre>
 *   java -cp ... org.pdsynth.bench.NoiseEstimatorBench [--grid 48,56,48] [--channels 8] [--threads 2]
 *        [--batch 2] [--warmup 2] [--iters 5] [--mode all|speed|synthesis|memory|memory-train]
 *        [--width 32] [--steps S] [--json out.json]
 * </pre>
 * Measures (median after warm-up): one no-grad forward pass, batch 1 ({@code
 * DiffusionModel#predict}, what one sampling step calls, upload and download included); one {@link Trainer#step()} (batch --batch, default 2: noise draw and x_t in Java,
 * forward, L1 loss, backward, Adam, EMA), each as wall time and as process CPU time (the steadier
 * measure on a busy machine); peak RSS (VmHWM) after each phase; then one synthesis
 * (DDIM, 50 steps, one subject) and the peak RSS after it ({@code --mode synthesis} runs only
 * that, so its peak RSS is the synthesis's own). {@code --mode memory} prints VmRSS and the
 * resident Java heap every 50 steps of one --steps (500) step DDIM synthesis, {@code --mode
 * memory-train} every 50 of --steps (1000) training steps: flat means nothing is kept per step.
 */
public final class NoiseEstimatorBench {
    public static void main(String[] args) throws Exception {
        String grid = arg(args, "--grid", "48,56,48");
        int channels = Integer.parseInt(arg(args, "--channels", "8"));
        int threads = Integer.parseInt(arg(args, "--threads", "2"));
        int batch = Integer.parseInt(arg(args, "--batch", "2"));
        int fb = 1;                                 // forward = one DDIM step: batch 1
        int warmup = Integer.parseInt(arg(args, "--warmup", "2"));
        int iters = Integer.parseInt(arg(args, "--iters", "5"));
        String mode = arg(args, "--mode", "all");   // all | speed | synthesis | memory
        boolean synthesis = !mode.equals("speed");
        boolean speed = !mode.equals("synthesis");
        String json = arg(args, "--json", null);

        Engines.pytorch(threads);
        int[] zyx = Arrays.stream(grid.split(",")).mapToInt(Integer::parseInt).toArray();
        ModelConfig config = ModelConfig.defaults().with("channels", channels).with("gridZYX", List.of(zyx[0], zyx[1], zyx[2]));
        int width = Integer.parseInt(arg(args, "--width", "0"));
        if (width > 0) config = config.with("baseWidth", width);
        if (mode.equals("memory") || mode.equals("memory-train")) {
            // resident memory every 50 steps of one long synthesis (--steps, default 500 DDIM steps) or
            // training (--mode memory-train, default 1000 Trainer steps): flat means no per-step leak.
            // Each entry is step:VmRSS/resident Java heap (MiB): what of RSS the Java heap explains.
            boolean train = mode.equals("memory-train");
            int total = Integer.parseInt(arg(args, "--steps", train ? "1000" : "500"));
            List<String> rows = new ArrayList<>();
            try (DiffusionModel model = DiffusionModel.create(config)) {
                if (train) {
                    try (Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, randomPairs(4, channels, zyx),
                            TrainSettings.defaults().with("batchSize", batch))) {
                        for (int i = 1; i <= total; i++) {
                            trainer.step();
                            if (i % 50 == 0) rows.add(memoryRow(i));
                        }
                    }
                } else {
                    float[] src = randomPairs(1, channels, zyx).get(0).fmri();
                    Sampling.sample(model, null, src, Direction.FMRI_TO_DWI, null, Sampling.Options.defaults().withSteps(total), (d, t) -> {
                        if (d % 50 == 0) rows.add(memoryRow(d));
                    }, null);
                }
            }
            System.out.println((train ? "training, batch " + batch + ", " : "DDIM synthesis, ") + "width " + config.baseWidth() + ", grid " + grid
                    + ", N " + channels + ", threads " + threads + "; step:VmRSS/Java heap resident MiB " + String.join(" ", rows)
                    + String.format(Locale.ROOT, "; process CPU %.1f s", cpuNanos() / 1e9));
            return;
        }
        List<Double> fwd = new ArrayList<>();
        List<Double> train = new ArrayList<>();
        List<Double> fwdCpu = new ArrayList<>();
        List<Double> trainCpu = new ArrayList<>();
        double rssForward = Double.NaN, rssTrain = Double.NaN, synthSeconds = Double.NaN, rssSynth = Double.NaN;
        long params;
        try (DiffusionModel model = DiffusionModel.create(config)) {
            params = model.holder().parameterCount();
            TrainingPair sample = randomPairs(1, channels, zyx).get(0);
            for (int i = 0; speed && i < warmup + iters; i++) {
                long t0 = System.nanoTime(), c0 = cpuNanos();
                model.predict(sample.dwi(), sample.fmri(), 100 + 300 * i, Direction.ofCode(i % 2), i % 4 == 3 ? null : org.pdsynth.volume.Diagnosis.values()[i % 4]);
                if (i >= warmup) {
                    fwd.add((System.nanoTime() - t0) / 1e9);
                    fwdCpu.add((cpuNanos() - c0) / 1e9);
                }
            }
            if (speed) rssForward = peakRssMiB();
            if (speed) try (Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, randomPairs(4, channels, zyx), TrainSettings.defaults().with("batchSize", batch))) {
                for (int i = 0; i < warmup + iters; i++) {
                    long t0 = System.nanoTime(), c0 = cpuNanos();
                    trainer.step();
                    if (i >= warmup) {
                        train.add((System.nanoTime() - t0) / 1e9);
                        trainCpu.add((cpuNanos() - c0) / 1e9);
                    }
                }
            }
            if (speed) rssTrain = peakRssMiB();
            if (synthesis) {
                float[] src = randomPairs(1, channels, zyx).get(0).fmri();
                long t0 = System.nanoTime();
                Sampling.sample(model, null, src, Direction.FMRI_TO_DWI, null, Sampling.Options.defaults().withSteps(50), null, null);
                synthSeconds = (System.nanoTime() - t0) / 1e9;
                rssSynth = peakRssMiB();
            }
        }
        String out = String.format(Locale.ROOT, """
                {
                 "impl": "%s",
                 "threads": %d,
                 "grid_zyx": [%d, %d, %d],
                 "channels": %d,
                 "parameters": %d,
                 "forward_batch": %d,
                 "train_batch": %d,
                 "forward_s": %.4f,
                 "train_step_s": %.4f,
                 "forward_all_s": %s,
                 "train_all_s": %s,
                 "forward_cpu_all_s": %s,
                 "train_cpu_all_s": %s,
                 "peak_rss_forward_mib": %.1f,
                 "peak_rss_train_mib": %.1f,
                 "synthesis_50_steps_s": %.3f,
                 "peak_rss_synthesis_mib": %.1f
                }""", Engines.versions(), Engines.threads(),
                zyx[0], zyx[1], zyx[2], channels, params, fb, batch, median(fwd), median(train), list(fwd), list(train), list(fwdCpu), list(trainCpu),
                rssForward, rssTrain, synthSeconds, rssSynth);
        System.out.println(out);
        if (json != null) Files.writeString(Path.of(json), out + "\n", StandardCharsets.UTF_8);
    }

    /** Pairs of uniform noise in [-1, 1] (content does not change the speed). */
    static PairSource randomPairs(int n, int channels, int[] zyx) {
        int size = channels * zyx[0] * zyx[1] * zyx[2];
        return new PairSource() {
            public int size() {
                return n;
            }

            public TrainingPair get(int i) {
                SplittableRandom r = new SplittableRandom(i);
                float[] f = new float[size], w = new float[size];
                for (int v = 0; v < size; v++) {
                    f[v] = (float) (r.nextDouble() * 2 - 1);
                    w[v] = (float) (r.nextDouble() * 2 - 1);
                }
                return new TrainingPair("bench-" + i, f, w, org.pdsynth.volume.Diagnosis.values()[i % 3]);
            }

            public int channels() {
                return channels;
            }

            public int[] gridZYX() {
                return zyx.clone();
            }
        };
    }

    /** CPU time of the whole process (all threads, user + system), ns. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Peak resident set size of this process (VmHWM), MiB. */
    static double rssMiB() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
        return Double.NaN;
    }

    /** "step:VmRSS/resident Java heap" in MiB ({@link #heapRssMiB}). */
    static String memoryRow(int step) {
        try {
            return String.format(Locale.ROOT, "%d:%.0f/%.0f", step, rssMiB(), heapRssMiB());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Resident size of the Java heap, MiB: the summed Rss of a run of adjacent mappings in
     * /proc/self/smaps that spans exactly the reserved heap (MaxHeapSize bytes; with CDS the
     * archived heap regions at its top are file mappings inside it); NaN when not found. The rest
     * of VmRSS is native memory (libtorch, malloc, JVM internals, code).
     */
    static double heapRssMiB() throws java.io.IOException {
        long max = Long.parseLong(java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .getVMOption("MaxHeapSize").getValue());
        List<long[]> maps = new ArrayList<>();                     // {start, end, rss kB}
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] r = line.substring(0, line.indexOf(' ')).split("-");
                maps.add(new long[] {Long.parseUnsignedLong(r[0], 16), Long.parseUnsignedLong(r[1], 16), 0});
            } else if (line.startsWith("Rss:") && !maps.isEmpty()) {
                maps.get(maps.size() - 1)[2] = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        for (int i = 0; i < maps.size(); i++) {
            long rss = 0;
            for (int j = i; j < maps.size() && (j == i || maps.get(j)[0] == maps.get(j - 1)[1]); j++) {
                rss += maps.get(j)[2];
                long span = maps.get(j)[1] - maps.get(i)[0];
                if (span == max) return rss / 1024.0;
                if (span > max) break;
            }
        }
        return Double.NaN;
    }

    static double peakRssMiB() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
        return Double.NaN;
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) return Double.NaN;
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static String list(List<Double> v) {
        return v.stream().map(x -> String.format(Locale.ROOT, "%.4f", x)).toList().toString();
    }

    static String arg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return def;
    }
}
