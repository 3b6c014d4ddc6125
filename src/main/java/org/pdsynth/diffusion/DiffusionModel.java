package org.pdsynth.diffusion;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.pdsynth.model.Engines;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.model.NoiseEstimator;
import org.pdsynth.model.PredictionType;
import org.pdsynth.model.RegionFractions;
import org.pdsynth.volume.Atlas;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Direction;

/**
 * The stage-1 network with its noise process: the {@link NoiseEstimator} U-Net in a
 * {@link NetworkHolder}, its {@link NoiseSchedule} and {@link PredictionType}, and (pattern-aware
 * models) the atlas its module was built from, on the model grid (not a trainable parameter;
 * checkpoints and model folders store it).
 *
 * <p>{@link #predict} gives the network's raw output, in the units of its prediction type;
 * {@link #denoiser} turns it into the x0 estimate a {@link Sampler} needs.
 */
public final class DiffusionModel implements AutoCloseable {
    private final ModelConfig config;
    private final NoiseEstimator net;
    private final NetworkHolder holder;
    private final NoiseSchedule schedule;
    private final Atlas atlas;
    private DiffusionModel prior;
    private boolean ownsPrior;

    private DiffusionModel(ModelConfig config, Atlas atlas, Device device) {
        this.config = config.validate();
        if (config.patternAware() && atlas == null) {
            throw new IllegalArgumentException("model config 'patternAware' is on: the model needs an atlas on its grid (or turn 'patternAware' off)");
        }
        this.atlas = config.patternAware() ? atlas : null;
        RegionFractions fractions = this.atlas == null ? null : fractions(this.atlas, config);
        net = new NoiseEstimator(config, fractions);
        holder = new NetworkHolder(net, device, net::initialize);
        schedule = NoiseSchedule.of(config.noiseSchedule(), config.timesteps());
    }

    /** A new model with freshly initialised weights (seeded by the config's seed) on the CPU; no pattern-aware module. */
    public static DiffusionModel create(ModelConfig config) {
        return new DiffusionModel(config, null, null);
    }

    /**
     * A new model whose pattern-aware module (if {@code config.patternAware()}) uses {@code atlas},
     * which must lie on the model grid (X, Y, Z) = reversed {@code gridZYX}; ignored when the
     * module is off. On the CPU.
     *
     * @throws IllegalArgumentException when the module is on and the atlas is null or off-grid
     */
    public static DiffusionModel create(ModelConfig config, Atlas atlas) {
        return new DiffusionModel(config, atlas, null);
    }

    /**
     * As {@link #create(ModelConfig, Atlas)} on the device named {@code device}: auto, cpu, gpu or
     * gpu:N ({@link Engines#device(String)}; null: the CPU).
     *
     * @throws IllegalArgumentException for an unknown device name or a GPU PyTorch does not see
     */
    public static DiffusionModel create(ModelConfig config, Atlas atlas, String device) {
        return new DiffusionModel(config, atlas, device == null ? null : Engines.device(device));
    }

    /** The atlas as area fractions for the network: region ordinals per voxel, checked against the grid. */
    static RegionFractions fractions(Atlas atlas, ModelConfig config) {
        long[] d = atlas.grid().dims();
        int[] zyx = config.grid();
        if (d[0] != zyx[2] || d[1] != zyx[1] || d[2] != zyx[0]) {
            throw new IllegalArgumentException("atlas grid (X,Y,Z) " + java.util.Arrays.toString(d)
                    + " is not the model grid (config 'gridZYX' " + config.gridZYX() + ")");
        }
        int[] ord = new int[(int) atlas.grid().size()];
        for (int i = 0; i < ord.length; i++) ord[i] = atlas.regionOf(i);
        return RegionFractions.of(ord, atlas.size(), zyx);
    }

    /** The atlas of the pattern-aware module, or null when the module is off. */
    public Atlas atlas() {
        return atlas;
    }

    /**
     * A new model of the same config, atlas, device and prior (shared, not owned), freshly
     * initialised (e.g. to hold EMA weights).
     */
    public DiffusionModel sibling() {
        DiffusionModel s = new DiffusionModel(config, atlas, holder.device());
        s.prior = prior;
        return s;
    }

    /**
     * Sets the regression prior mu(c) of a residual-mode model ({@code config.residual()}); the
     * model owns it when {@code owned} (closed with it).
     *
     * @throws IllegalArgumentException when this model is not residual or the prior is not a
     *     regression model of the same channels and grid
     */
    public void setPrior(DiffusionModel prior, boolean owned) {
        if (!config.residual()) throw new IllegalArgumentException("model config 'residual' is off: the model takes no prior");
        ModelConfig p = prior.config();
        if (!p.regression() || p.channels() != config.channels() || !p.gridZYX().equals(config.gridZYX()))
            throw new IllegalArgumentException("the prior must be a regression model with N = " + config.channels() + " and grid "
                    + config.gridZYX() + ", got regression " + p.regression() + ", N = " + p.channels() + ", grid " + p.gridZYX());
        this.prior = prior;
        this.ownsPrior = owned;
    }

    /** The regression prior of a residual-mode model, or null. */
    public DiffusionModel prior() {
        return prior;
    }

    /**
     * The prior's prediction mu(c) for one source volume (flat (N, Z, Y, X)), clipped to [-1, 1].
     *
     * @throws IllegalStateException when the model is residual but has no prior
     */
    public float[] priorMean(float[] source, Direction direction, Diagnosis label) {
        if (prior == null) throw new IllegalStateException("residual-mode model without its prior (model folder 'prior/' missing?)");
        float[] mu = prior.predict(new float[source.length], source, 0, direction, label);
        for (int v = 0; v < mu.length; v++) mu[v] = mu[v] < -1 ? -1 : Math.min(mu[v], 1);
        return mu;
    }

    public ModelConfig config() {
        return config;
    }

    public NoiseEstimator network() {
        return net;
    }

    /** The parameters, their manager and device. */
    public NetworkHolder holder() {
        return holder;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** What the network outputs. */
    public PredictionType prediction() {
        return config.prediction();
    }

    /** The shape (B, N, Z, Y, X) of a batch of {@code batch} volumes on the model grid. */
    public Shape batchShape(int batch) {
        int[] g = config.grid();
        return new Shape(batch, config.channels(), g[0], g[1], g[2]);
    }

    /**
     * The network's forward pass on arrays already on the device (training and sampling share it):
     * {@code xt}, {@code cond} (B, N, D, H, W); codes t in 0..T-1, direction 0..1, label 0..3 (3 = null).
     * Returns the output (B, N, D, H, W) in units of {@link #prediction()}.
     */
    public NDArray forward(NDArray xt, NDArray cond, int[] t, int[] direction, int[] label, boolean training) {
        return net.predict(holder.parameterStore(), xt, cond, t, direction, label, training);
    }

    /**
     * One no-grad prediction for a single sample given as flat (N, Z, Y, X) arrays on the model
     * grid; returns the network's output (in units of {@link #prediction()}) in the same layout.
     * Safe on any thread.
     *
     * @param label the diagnosis to condition on; null for the null label
     * @throws IllegalArgumentException when an array does not have the model's size
     */
    public float[] predict(float[] xt, float[] cond, int t, Direction direction, Diagnosis label) {
        Shape shape = batchShape(1);
        NetworkHolder.checkLength(xt, shape, "x_t");
        NetworkHolder.checkLength(cond, shape, "condition");
        return predictBatch(xt, cond, shape, new int[] {t}, new int[] {direction.code()}, new int[] {Diagnosis.code(label)}, null);
    }

    /**
     * No-grad prediction for a batch given as flat (B, N, Z, Y, X) arrays of {@code shape}, written
     * into {@code out} (allocated when null) and returned.
     */
    float[] predictBatch(float[] xt, float[] cond, Shape shape, int[] t, int[] direction, int[] label, float[] out) {
        return Engines.withoutGradients(() -> {
            try (NDManager m = holder.newStepManager()) {
                NDArray x = holder.upload(m, xt, shape);
                NDArray c = holder.upload(m, cond, shape);
                return NetworkHolder.download(forward(x, c, t, direction, label, false), out);
            }
        });
    }

    /**
     * The conditional denoiser x_t -> x0_hat of this model for one source volume: the network's
     * output converted by its prediction type, with label guidance (Ho and Salimans 2022, arXiv
     * 2207.12598) {@code x0 = x0(null) + w (x0(y) - x0(null))} when {@code guidanceScale != 1} and
     * a label is given (both in one batch of two), clipped to [-1, 1] (DESIGN 4.7). The guidance
     * combination is the same on the raw output: every conversion is affine in it.
     */
    public Denoiser denoiser(float[] source, Direction direction, Diagnosis label, double guidanceScale) {
        Shape one = batchShape(1);
        NetworkHolder.checkLength(source, one, "source volume");
        int d = direction.code();
        int y = Diagnosis.code(label);
        boolean guided = guidanceScale != 1.0 && label != null;
        PredictionType type = prediction();
        return (xt, t, x0) -> {
            int n = xt.length;
            if (!guided) {
                predictBatch(xt, source, one, new int[] {t}, new int[] {d}, new int[] {y}, x0);
            } else {
                float[] xx = new float[2 * n], cc = new float[2 * n];
                System.arraycopy(xt, 0, xx, 0, n);
                System.arraycopy(xt, 0, xx, n, n);
                System.arraycopy(source, 0, cc, 0, n);
                System.arraycopy(source, 0, cc, n, n);
                float[] both = predictBatch(xx, cc, batchShape(2), new int[] {t, t}, new int[] {d, d},
                        new int[] {y, Diagnosis.NONE_CODE}, null);
                for (int v = 0; v < n; v++) x0[v] = (float) (both[n + v] + guidanceScale * (both[v] - both[n + v]));
            }
            double[] ab = type.x0Coefficients(schedule.alphaBar(t));
            for (int v = 0; v < n; v++) {
                double e = ab[0] * xt[v] + ab[1] * x0[v];
                x0[v] = (float) (e < -1 ? -1 : Math.min(e, 1));
            }
        };
    }

    @Override
    public void close() {
        holder.close();
        if (ownsPrior && prior != null) prior.close();
    }
}
