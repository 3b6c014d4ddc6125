package org.pdsynth.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The stage-2 refiner R of PDS (tissue and microstructure refinement, DESIGN 4.6): the
 * {@link UNet3d} over concat(x0_hat, c) (2N channels) with no time embedding and a residual
 * output, {@code R = x0_hat + net(x0_hat, c, d)}, N channels, in model units ([-1, 1] data).
 *
 * <p>Configuration ({@link ModelConfig#refiner()}): level widths baseWidth * channelMultipliers[l],
 * {@code resBlocksPerLevel}, the config's {@code groups}; one residual block in the middle (no
 * attention). The only embedding is the direction d (a learned 2 x (4 baseWidth) table; one refiner
 * serves both directions, whose channels mean different things), after SiLU, fed to every residual
 * block. Because the output convolution starts at zero, the untrained refiner is the identity
 * R = x0_hat. Parameter names and their order: see {@link UNet3d}.
 *
 * <p>Unlike the noise estimator, the refiner runs channels-first in no-grad passes too
 * ({@link UNet3d.Builder#optChannelsLastInference} off). Measured on the shipped demo model
 * (a TinyCohort subject, 5 DDIM steps, one thread): channels-last moves the refiner's output by up
 * to 4.6e-4 in model units, i.e. up to 0.16 in the synthesized dMRI's intensity units and a
 * relative change of the output's sum of 2e-5, above the 1e-6 of the behaviour pins. On random
 * inputs both layouts stay within 5e-7 of a float64 pass, so this is rounding, amplified on the
 * real input (not traced; large flat regions with small GroupNorm variances are a likely cause).
 * The refiner runs once per synthesis, so the ~10% it would save is small.
 */
public final class Refiner extends UNet3d {
    private final ModelConfig config;

    /** @throws IllegalArgumentException when the config is invalid */
    public Refiner(ModelConfig config) {
        super(configure(config));
        this.config = config;
    }

    private static UNet3d.Builder configure(ModelConfig config) {
        ModelConfig.RefinerSettings r = config.validate().refiner();
        int[] widths = r.channelMultipliers().stream().mapToInt(m -> r.baseWidth() * m).toArray();
        return UNet3d.builder().setOutputChannels(config.channels()).setLevelWidths(widths)
                .setEmbeddingWidth(4 * r.baseWidth()).optResBlocksPerLevel(r.resBlocksPerLevel())
                .optGroups(config.groups()).optDirections(ModelConfig.DIRECTIONS).optResidualOutput(true)
                .optChannelsLastInference(false);
    }

    /**
     * Refines one-step estimates: {@code x0hat} and {@code cond} (B, N, D, H, W), one direction
     * per sample (0 = fMRI to dMRI, 1 = dMRI to fMRI). Returns R (B, N, D, H, W).
     *
     * @throws IllegalArgumentException when a shape does not fit the config or a direction is out of range
     */
    public NDArray refine(ParameterStore ps, NDArray x0hat, NDArray cond, int[] direction, boolean training) {
        Shape s = x0hat.getShape();
        if (s.dimension() != 5 || s.get(1) != config.channels() || !s.equals(cond.getShape())) {
            throw new IllegalArgumentException("refiner inputs must both be (B, " + config.channels() + ", D, H, W), got "
                    + s + " and " + cond.getShape());
        }
        return predict(ps, x0hat, cond, null, direction, null, training);
    }

    /** Creates the parameters in {@code manager} (float32), seeded by the config's seed + 1. */
    public void initialize(NDManager manager) {
        int[] g = config.grid();
        Shape vol = new Shape(1, config.channels(), g[0], g[1], g[2]);
        initialize(manager, (int) config.seed() + 1, vol, vol);
    }
}
