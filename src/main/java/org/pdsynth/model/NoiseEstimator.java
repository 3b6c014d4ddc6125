package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.util.Arrays;

/**
 * The stage-1 network of PDS, f(x_t, c, t, d, y, A) (DESIGN 4.3, 4.4): the {@link UNet3d} over
 * concat(x_t, c) (2N channels) configured from a {@link ModelConfig}, whose N-channel output is
 * the network's prediction: the noise eps, the clean target x0 or the velocity v, as the
 * prediction type ({@link ModelConfig#prediction()}, {@link PredictionType}) says. The name is the field's ("noise
 * estimator", eps_theta in Ho et al. 2020, arXiv:2006.11239); what the output means is the
 * diffusion layer's business.
 *
 * <p>Configuration: level widths baseWidth * channelMultipliers[l], {@code resBlocksPerLevel},
 * {@code groups}; embedding {@code embeddingDim} wide from the time MLP, a direction table
 * ({@link ModelConfig#DIRECTIONS}: 0 = fMRI to dMRI, 1 = dMRI to fMRI; one network serves both)
 * and a label table ({@link ModelConfig#LABELS}: NC, MCI, AD, null); self-attention with
 * {@code attentionHeads} heads in the middle; with {@code patternAware}, the pattern-aware module
 * at the {@code patternAwareLevels} coarsest levels; zero-initialised output, so the untrained
 * network predicts 0. Parameter names and their order: see {@link UNet3d}.
 */
public final class NoiseEstimator extends UNet3d {
    private final ModelConfig config;

    /** A network without the pattern-aware module; {@code config.patternAware()} must be false. */
    public NoiseEstimator(ModelConfig config) {
        this(config, null);
    }

    /**
     * A network with the pattern-aware module at the {@code patternAwareLevels} coarsest levels
     * when {@code config.patternAware()}; {@code atlas} (on the config's grid) is then required,
     * and ignored otherwise.
     *
     * @throws IllegalArgumentException when the config is invalid, or the module is on and the
     *                                  atlas is missing or on another grid
     */
    public NoiseEstimator(ModelConfig config, RegionFractions atlas) {
        super(configure(config, atlas));
        this.config = config;
    }

    private static UNet3d.Builder configure(ModelConfig config, RegionFractions atlas) {
        config.validate();
        int[] widths = new int[config.levels()];
        for (int l = 0; l < widths.length; l++) widths[l] = config.width(l);
        UNet3d.Builder b = UNet3d.builder().setOutputChannels(config.channels()).setLevelWidths(widths)
                .setEmbeddingWidth(config.embeddingDim()).optResBlocksPerLevel(config.resBlocksPerLevel())
                .optGroups(config.groups()).optTimeEmbedding(true).optDirections(ModelConfig.DIRECTIONS)
                .optLabels(ModelConfig.LABELS).optMiddleAttention(config.attentionHeads());
        if (config.patternAware()) {
            if (atlas == null) throw new IllegalArgumentException("model config 'patternAware' is on but no atlas was given");
            if (!Arrays.equals(atlas.gridZYX(), config.grid())) {
                throw new IllegalArgumentException("atlas grid (Z,Y,X) " + Arrays.toString(atlas.gridZYX())
                        + " differs from the model config 'gridZYX' " + config.gridZYX());
            }
            b.optPatternAware(atlas, config.patternAwareLevels(), config.attentionHeads());
        }
        return b;
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * The network's prediction (eps, x0 or v by the config's {@link PredictionType}). Arrays: {@code xt}
     * and {@code cond} (B, N, D, H, W); {@code t} in [0, T-1], {@code direction} in {0, 1},
     * {@code label} in {0..3} (3 = null), one per sample. The conditioning arrays are created in
     * {@code xt}'s manager. Returns (B, N, D, H, W).
     *
     * @throws IllegalArgumentException when a shape does not fit the config or a code is out of range
     */
    @Override
    public NDArray predict(ParameterStore ps, NDArray xt, NDArray cond, int[] t, int[] direction, int[] label, boolean training) {
        checkInputs(xt.getShape(), cond.getShape());
        int b = (int) xt.getShape().get(0);
        if (t.length != b || direction.length != b || label.length != b) {
            throw new IllegalArgumentException("need one t, direction and label per sample: batch " + b
                    + ", got " + t.length + ", " + direction.length + ", " + label.length);
        }
        return super.predict(ps, xt, cond, t, direction, label, training);
    }

    private void checkInputs(Shape xt, Shape cond) {
        int n = config.channels();
        if (xt.dimension() != 5) throw new IllegalArgumentException("x_t must be (B, N, D, H, W), got " + xt);
        if (xt.get(1) != n) {
            throw new IllegalArgumentException("x_t has " + xt.get(1) + " channels but the model expects N = " + n + " (config 'channels')");
        }
        if (cond.dimension() != 5 || cond.get(1) != n) {
            throw new IllegalArgumentException("condition has shape " + cond + " but the model expects N = " + n + " channels (config 'channels')");
        }
        for (int a : new int[] {0, 2, 3, 4}) {
            if (xt.get(a) != cond.get(a)) throw new IllegalArgumentException("x_t " + xt + " and condition " + cond + " differ in shape");
        }
    }

    /** Shapes of the five forward inputs (x_t, c, time code, direction, label) for a batch of {@code batch} on the config grid. */
    public Shape[] inputShapes(int batch) {
        int[] g = config.grid();
        Shape vol = new Shape(batch, config.channels(), g[0], g[1], g[2]);
        return inputShapes(vol, vol);
    }

    /**
     * Creates the parameters in {@code manager} (float32), seeding PyTorch's generator with the
     * config's {@code seed} first, so the same config gives the same initial weights.
     */
    public void initialize(NDManager manager) {
        Shape[] s = inputShapes(1);
        initialize(manager, (int) config.seed(), s[0], s[1]);
    }
}
