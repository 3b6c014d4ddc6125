package org.pdsynth.diffusion;

import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.pdsynth.model.ModelConfig;

/**
 * DDIM sampling of the target modality given the source (Song et al. 2021), in plain Java
 * arithmetic around one no-grad network call per step (each in its own NDManager).
 *
 * <p>Steps: tau_i = round(i (T-1) / (S-1)), i = 0..S-1 (so t = T-1 and t = 0 are both visited),
 * walked from T-1 down. At step t with predecessor t' (alpha_bar(t') = 1 after the last step):
 * <pre>
 *   x0_hat = clip((x - sqrt(1 - ab_t) eps_hat) / sqrt(ab_t), -1, 1)
 *   eps'   = (x - sqrt(ab_t) x0_hat) / sqrt(1 - ab_t)           (noise consistent with the clip)
 *   sigma  = eta sqrt((1 - ab_t') / (1 - ab_t)) sqrt(1 - ab_t / ab_t')
 *   x'     = sqrt(ab_t') x0_hat + sqrt(1 - ab_t' - sigma^2) eps' + sigma z
 * </pre>
 * eta = 0 is deterministic given the seed of x_T. Guidance scale w != 1 (and a non-null label)
 * uses eps_hat = eps(null) + w (eps(y) - eps(null)), both in one batch of two.
 *
 * <p>Stage 2: with a {@link RefinerModel}, each sample's final x0 is replaced by
 * {@code clip(R(x0, c, d), -1, 1)} before the mean and standard deviation are taken.
 *
 * <p>Randomness: sample m (0-based) draws x_T and every z from a generator seeded
 * {@code seed + m}, so a sample does not depend on how many are drawn. Volumes are flat
 * (N, Z, Y, X), x fastest, in [-1, 1].
 */
public final class DdimSampler {
    private final DiffusionModel model;
    private final RefinerModel refiner;

    /**
     * @param steps         S, DDIM steps (default 50, at most T)
     * @param eta           0 = deterministic DDIM, 1 = DDPM-like noise
     * @param samples       M; M > 1 gives the mean and the voxelwise standard deviation
     * @param seed          seed of sample 0 (sample m uses seed + m)
     * @param guidanceScale label guidance w (1 = plain conditional)
     */
    public record Options(int steps, double eta, int samples, long seed, double guidanceScale) {
        public Options {
            if (steps < 1) throw new IllegalArgumentException("DDIM steps must be >= 1, got " + steps);
            if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
            if (!(eta >= 0)) throw new IllegalArgumentException("eta must be >= 0, got " + eta);
        }

        public static Options defaults() {
            return new Options(50, 0.0, 1, 0L, 1.0);
        }

        public Options withSteps(int s) {
            return new Options(s, eta, samples, seed, guidanceScale);
        }

        public Options withEta(double e) {
            return new Options(steps, e, samples, seed, guidanceScale);
        }

        public Options withSamples(int m) {
            return new Options(steps, eta, m, seed, guidanceScale);
        }

        public Options withSeed(long s) {
            return new Options(steps, eta, samples, s, guidanceScale);
        }

        public Options withGuidance(double w) {
            return new Options(steps, eta, samples, seed, w);
        }
    }

    /**
     * Result: the mean over the samples and the voxelwise standard deviation (sample standard
     * deviation, divisor M - 1; all zero when M = 1), both (N, Z, Y, X).
     */
    public record Result(float[] mean, float[] std, int samples) {}

    /** Called after every network step; {@code done} counts over all samples, of {@code total}. */
    @FunctionalInterface
    public interface Progress {
        void onStep(int done, int total);
    }

    public DdimSampler(DiffusionModel model) {
        this(model, null);
    }

    /** A sampler that applies {@code refiner} (null: none) to every sample's result. */
    public DdimSampler(DiffusionModel model, RefinerModel refiner) {
        this.model = model;
        this.refiner = refiner;
    }

    /** The refiner applied after DDIM, or null. */
    public RefinerModel refiner() {
        return refiner;
    }

    /** The S time steps in increasing order, spaced over 0..T-1 and including both ends (S > 1). */
    public static int[] timesteps(int timesteps, int steps) {
        int s = Math.min(steps, timesteps);
        int[] tau = new int[s];
        if (s == 1) {
            tau[0] = timesteps - 1;
            return tau;
        }
        for (int i = 0; i < s; i++) tau[i] = (int) Math.round((double) i * (timesteps - 1) / (s - 1));
        return tau;
    }

    /**
     * Synthesises the target of {@code direction} from {@code source} (flat (N, Z, Y, X) on the
     * model grid). {@code cancel} is checked before every step ({@link CancellationException}).
     */
    public Result sample(float[] source, int direction, int label, Options o, Progress progress, BooleanSupplier cancel) {
        ModelConfig c = model.config();
        int[] g = c.grid();
        Shape one = new Shape(1, c.channels(), g[0], g[1], g[2]);
        DiffusionModel.checkLength(source, one, "source volume");
        if (direction != 0 && direction != 1) throw new IllegalArgumentException("direction must be 0 (fMRI->dMRI) or 1 (dMRI->fMRI), got " + direction);
        if (label < 0 || label > ModelConfig.NULL_LABEL) throw new IllegalArgumentException("label must be 0..3 (NC, MCI, AD, null), got " + label);
        if (c.regression()) return regress(source, direction, label, progress);
        int[] tau = timesteps(c.timesteps(), o.steps());
        int total = o.samples() * tau.length;
        int n = source.length;
        double[] mean = new double[n];
        double[] m2 = new double[n];
        float[] eps = new float[n];
        int done = 0;
        for (int m = 0; m < o.samples(); m++) {
            SplittableRandom rng = new SplittableRandom(o.seed() + m);
            float[] x = new float[n];
            for (int v = 0; v < n; v++) x[v] = (float) rng.nextGaussian();
            for (int i = tau.length - 1; i >= 0; i--) {
                if (cancel != null && cancel.getAsBoolean()) throw new CancellationException("sampling cancelled");
                step(x, eps, source, tau, i, direction, label, o, rng);
                done++;
                if (progress != null) progress.onStep(done, total);
            }
            if (refiner != null) {
                x = refiner.refine(x, source, direction);
                for (int v = 0; v < n; v++) x[v] = x[v] < -1 ? -1 : Math.min(x[v], 1);
            }
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
        return new Result(mu, sd, o.samples());
    }

    /** The regression baseline: one forward pass at x_t = 0, t = 0, clipped to [-1, 1]; std 0. */
    private Result regress(float[] source, int direction, int label, Progress progress) {
        int n = source.length;
        float[] x = new float[n];
        predict(new float[n], source, 0, direction, label, 1.0, x);
        for (int v = 0; v < n; v++) x[v] = x[v] < -1 ? -1 : Math.min(x[v], 1);
        if (progress != null) progress.onStep(1, 1);
        return new Result(x, new float[n], 1);
    }

    /** One DDIM update of x, in place, from tau[i] to tau[i-1] (or to x0 when i = 0); eps is scratch. */
    private void step(float[] x, float[] eps, float[] source, int[] tau, int i, int direction, int label, Options o, SplittableRandom rng) {
        CosineSchedule sch = model.schedule();
        int t = tau[i];
        double ab = sch.alphaBar(t);
        double abPrev = i > 0 ? sch.alphaBar(tau[i - 1]) : 1.0;
        predict(x, source, t, direction, label, o.guidanceScale(), eps);
        double sa = Math.sqrt(ab), sb = Math.sqrt(1 - ab);
        double sigma = o.eta() * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(1 - ab / abPrev);
        double dirCoef = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
        double sp = Math.sqrt(abPrev);
        boolean direct = model.config().predictsX0();
        for (int v = 0; v < x.length; v++) {
            double x0 = direct ? eps[v] : (x[v] - sb * eps[v]) / sa;   // the network's x0, or x0 from its eps
            x0 = x0 < -1 ? -1 : Math.min(x0, 1);
            double e = (x[v] - sa * x0) / sb;
            double nx = sp * x0 + dirCoef * e;
            if (sigma > 0) nx += sigma * rng.nextGaussian();
            x[v] = (float) nx;
        }
    }

    private void predict(float[] x, float[] source, int t, int direction, int label, double w, float[] eps) {
        ModelConfig c = model.config();
        int[] g = c.grid();
        if (w == 1.0 || label == ModelConfig.NULL_LABEL) {
            model.predictBatch(x, source, new Shape(1, c.channels(), g[0], g[1], g[2]), new int[] {t}, new int[] {direction}, new int[] {label}, eps);
            return;
        }
        int n = x.length;
        Shape two = new Shape(2, c.channels(), g[0], g[1], g[2]);
        float[] xx = new float[2 * n];
        float[] cc = new float[2 * n];
        System.arraycopy(x, 0, xx, 0, n);
        System.arraycopy(x, 0, xx, n, n);
        System.arraycopy(source, 0, cc, 0, n);
        System.arraycopy(source, 0, cc, n, n);
        float[] both = model.predictBatch(xx, cc, two, new int[] {t, t}, new int[] {direction, direction},
                new int[] {label, ModelConfig.NULL_LABEL}, null);
        for (int v = 0; v < n; v++) eps[v] = (float) (both[n + v] + w * (both[v] - both[n + v]));
    }
}
