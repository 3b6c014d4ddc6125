package org.pdsynth.diffusion;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Direction;
import org.pdsynth.volume.Modality;

/**
 * Conditional synthesis on the model grid with any {@link Sampler}: what every sampler shares,
 * written once. For each of M samples: x_T ~ N(0, I) from a generator seeded {@code seed + m}
 * (so a sample does not depend on how many are drawn), the sampler's reverse process over the
 * model's {@link DiffusionModel#denoiser} (label guidance inside), then the stage-2 refiner when
 * given ({@code clip(R(x0, c, d), -1, 1)}, DESIGN 4.6); in residual mode the sampled residual r
 * becomes {@code clip(mu(c) + r / s, -1, 1)} before the refiner; the result is the voxelwise mean and
 * standard deviation over the M samples (Welford, divisor M - 1; zeros when M = 1). A one-step
 * regression model ({@code ModelConfig.regression()}) is one forward pass at x_t = 0, t = 0.
 *
 * <p>Volumes are flat (N, Z, Y, X), x fastest, in model units [-1, 1].
 */
public final class Sampling {
    /**
     * Sampler steps of {@link Options#recommended()}, the default of every command: DDIM with 10
     * steps gives the posterior-mean PSNR of 50 at a fifth of the network evaluations
     * (bench/README.md, "Default sampling").
     */
    public static final int DEFAULT_STEPS = 10;
    /**
     * Samples averaged by {@link Options#recommended()}: the mean of K samples is 10 log10(1 + 1/K) dB below the
     * posterior mean (Blau and Michaeli; YODA, arXiv 2505.02048); at K = 4 the residual-mode model
     * matches its regression prior (bench/README.md, "Default sampling").
     */
    public static final int DEFAULT_SAMPLES = 4;
    /** Sampler of {@link Options#recommended()}. */
    public static final String DEFAULT_SAMPLER = "ddim";

    private Sampling() {}

    /**
     * How to sample. Build with {@link #builder()} (or {@link #defaults()}).
     *
     * @param sampler       registered sampler name ({@link Samplers#names()}; builder default "ddim")
     * @param steps         S, sampler steps (builder default 50)
     * @param eta           DDIM's eta (0 = deterministic)
     * @param samples       M; M &gt; 1 gives the mean and the voxelwise standard deviation (builder default 1)
     * @param seed          seed of sample 0 (sample m uses seed + m)
     * @param guidanceScale label guidance w (1 = plain conditional)
     * @param output        what {@link Result#output()} is: the mean over the M samples (best PSNR:
     *                      the posterior mean) or sample 0 alone (realistic texture); the voxelwise
     *                      std is over all M samples either way
     */
    public record Options(String sampler, int steps, double eta, int samples, long seed, double guidanceScale, Output output) {
        /** @throws IllegalArgumentException for steps or samples &lt; 1, eta &lt; 0, or an unknown sampler */
        public Options {
            if (steps < 1) throw new IllegalArgumentException("sampling steps must be >= 1, got " + steps);
            if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
            if (!(eta >= 0)) throw new IllegalArgumentException("eta must be >= 0, got " + eta);
            if (output == null) throw new IllegalArgumentException("output must be mean or sample");
            if (!Samplers.names().contains(sampler))
                throw new IllegalArgumentException("unknown sampler '" + sampler + "' (known: " + String.join(", ", Samplers.names()) + ")");
        }

        /** DDIM, 50 steps, eta 0, one sample, seed 0, no guidance: one plain draw (what tests and benchmarks vary from). */
        public static Options defaults() {
            return builder().build();
        }

        /**
         * What the commands use unless told otherwise ({@link #DEFAULT_SAMPLER}, {@link
         * #DEFAULT_STEPS} steps, the mean of {@link #DEFAULT_SAMPLES} samples with their std map),
         * seed 1.
         */
        public static Options recommended() {
            return builder().optSampler(DEFAULT_SAMPLER).optSteps(DEFAULT_STEPS).optSamples(DEFAULT_SAMPLES).optSeed(1).build();
        }

        public static Builder builder() {
            return new Builder();
        }

        /** A builder starting from these values. */
        public Builder toBuilder() {
            return new Builder().optSampler(sampler).optSteps(steps).optEta(eta).optSamples(samples).optSeed(seed).optGuidanceScale(guidanceScale).optOutput(output);
        }

        public Options withSteps(int s) {
            return toBuilder().optSteps(s).build();
        }

        public Options withSamples(int m) {
            return toBuilder().optSamples(m).build();
        }

        public Options withSeed(long s) {
            return toBuilder().optSeed(s).build();
        }

        /**
         * These options with a seed of their own for one subject and target modality: a fixed
         * function of this seed and the key "SUBJECT/TARGET" (SplitMix64's finaliser over the seed
         * and the key's UTF-8 bytes), so every subject of a cohort starts from its own noise while a rerun, a
         * shard or another order draws exactly the same. With one seed for all, every subject's
         * synthesis would start from the same x_T and the sampled texture would be shared across
         * the cohort (correlated errors in a group analysis).
         */
        public Options withSeedFor(String subject, Modality target) {
            return withSeedFor(subject + "/" + target);
        }

        /** {@link #withSeedFor(String, Modality)} for any key (the subject's is "SUBJECT/TARGET"). */
        public Options withSeedFor(String key) {
            long h = seed;
            for (byte b : key.getBytes(java.nio.charset.StandardCharsets.UTF_8)) h = mix64(h * 31 + b);
            return withSeed(mix64(h));
        }

        private static long mix64(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }

    /** Builder of {@link Options}; every setting is optional. */
    public static final class Builder {
        private String sampler = "ddim";
        private int steps = 50;
        private double eta;
        private int samples = 1;
        private long seed;
        private double guidanceScale = 1.0;
        private Output output = Output.MEAN;

        private Builder() {}

        public Builder optOutput(Output o) {
            output = o;
            return this;
        }

        public Builder optSampler(String name) {
            sampler = name;
            return this;
        }

        public Builder optSteps(int s) {
            steps = s;
            return this;
        }

        public Builder optEta(double e) {
            eta = e;
            return this;
        }

        public Builder optSamples(int m) {
            samples = m;
            return this;
        }

        public Builder optSeed(long s) {
            seed = s;
            return this;
        }

        public Builder optGuidanceScale(double w) {
            guidanceScale = w;
            return this;
        }

        /** @throws IllegalArgumentException as {@link Options} */
        public Options build() {
            return new Options(sampler, steps, eta, samples, seed, guidanceScale, output);
        }
    }

    /** Which volume a synthesis returns. */
    public enum Output {
        /** The voxelwise mean of the M samples. */
        MEAN,
        /** Sample 0 (seed {@code seed}) as drawn. */
        SAMPLE;

        /** "mean" or "sample" (case-insensitive). @throws IllegalArgumentException otherwise */
        public static Output parse(String s) {
            return switch (s == null ? "" : s.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "mean" -> MEAN;
                case "sample" -> SAMPLE;
                default -> throw new IllegalArgumentException("output must be mean or sample, got '" + s + "'");
            };
        }
    }

    /**
     * Result: the mean over the samples, the voxelwise standard deviation (sample standard
     * deviation, divisor M - 1; all zero when M = 1) and sample 0 as drawn, all flat (N, Z, Y, X).
     */
    public record Result(float[] mean, float[] std, int samples, float[] first) {
        /** The volume {@code o} asks for: the mean or sample 0. */
        public float[] output(Options o) {
            return o.output() == Output.MEAN ? mean : first;
        }
    }

    /** Called after every network evaluation; {@code done} counts over all samples, of {@code total}. */
    @FunctionalInterface
    public interface Progress {
        void onStep(int done, int total);
    }

    /** Network evaluations of a whole synthesis with these options (M samples). */
    public static int evaluations(DiffusionModel model, Options o) {
        return model.config().regression() ? 1 : o.samples() * Samplers.create(o).evaluations(model.schedule());
    }

    /**
     * Synthesizes the target of {@code direction} from {@code source} (flat (N, Z, Y, X) on the
     * model grid, [-1, 1]).
     *
     * @param refiner the stage-2 refiner applied to every sample, or null
     * @param label   diagnosis to condition on, or null for the null label
     * @param cancel  polled before every network evaluation (may be null)
     * @throws IllegalArgumentException when the source does not have the model's size
     * @throws CancellationException    when {@code cancel} says stop
     */
    public static Result sample(DiffusionModel model, RefinerModel refiner, float[] source, Direction direction, Diagnosis label,
            Options o, Progress progress, BooleanSupplier cancel) {
        NetworkHolder.checkLength(source, model.batchShape(1), "source volume");
        int n = source.length;
        if (model.config().regression()) {
            float[] x = new float[n];
            model.predictBatch(new float[n], source, model.batchShape(1), new int[] {0}, new int[] {direction.code()},
                    new int[] {Diagnosis.code(label)}, x);
            clip(x);
            if (progress != null) progress.onStep(1, 1);
            return new Result(x, new float[n], 1, x);
        }
        Sampler sampler = Samplers.create(o);
        Denoiser denoiser = model.denoiser(source, direction, label, o.guidanceScale());
        int per = sampler.evaluations(model.schedule());
        float[] prior = model.config().residual() ? model.priorMean(source, direction, label) : null;
        int total = o.samples() * per;
        double[] mean = new double[n];
        double[] m2 = new double[n];
        float[] first = null;
        for (int m = 0; m < o.samples(); m++) {
            SplittableRandom rng = new SplittableRandom(o.seed() + m);
            float[] x = new float[n];
            for (int v = 0; v < n; v++) x[v] = (float) rng.nextGaussian();
            int offset = m * per;
            sampler.sample(denoiser, model.schedule(), x, rng, progress == null ? null : (d, t) -> progress.onStep(offset + d, total), cancel);
            if (prior != null) {                             // residual mode: x0 = mu + r / s
                double s = model.config().residualScale();
                for (int v = 0; v < n; v++) x[v] = (float) (prior[v] + x[v] / s);
                clip(x);
            }
            if (refiner != null) {
                x = refiner.refine(x, source, direction);
                clip(x);
            }
            if (m == 0) first = x;
            for (int v = 0; v < n; v++) {                    // Welford running mean and M2
                double d = x[v] - mean[v];
                mean[v] += d / (m + 1);
                m2[v] += d * (x[v] - mean[v]);
            }
        }
        float[] mu = new float[n];
        float[] sd = new float[n];
        for (int v = 0; v < n; v++) {
            mu[v] = (float) mean[v];
            sd[v] = o.samples() > 1 ? (float) Math.sqrt(m2[v] / (o.samples() - 1)) : 0f;
        }
        return new Result(mu, sd, o.samples(), first);
    }

    private static void clip(float[] x) {
        for (int v = 0; v < x.length; v++) x[v] = x[v] < -1 ? -1 : Math.min(x[v], 1);
    }
}
