package org.pdsynth.diffusion;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.pdsynth.model.Engines;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.model.Refiner;
import org.pdsynth.volume.Direction;

/**
 * The stage-2 network: the {@link Refiner} U-Net in a {@link NetworkHolder}. Its weights are
 * saved as {@value #FILE} ({@link ParamsFile} kind {@value #KIND}) in a model folder.
 */
public final class RefinerModel implements AutoCloseable {
    /** File of the refiner's (EMA) weights in a model folder. */
    public static final String FILE = "refiner.params";
    /** {@link ParamsFile} kind of the refiner's weight files. */
    public static final String KIND = "refiner";

    private final ModelConfig config;
    private final Refiner net;
    private final NetworkHolder holder;

    private RefinerModel(ModelConfig config, Device device) {
        this.config = config.validate();
        net = new Refiner(config);
        holder = new NetworkHolder(net, device, net::initialize);
    }

    /** A fresh refiner (identity at initialisation) for the config's channels and refiner settings, on the CPU. */
    public static RefinerModel create(ModelConfig config) {
        return new RefinerModel(config, null);
    }

    /** As {@link #create(ModelConfig)} on {@code device} (null: the CPU). */
    public static RefinerModel create(ModelConfig config, Device device) {
        return new RefinerModel(config, device);
    }

    /** The device of a network holder, for a refiner that must sit beside its denoiser. */
    public static RefinerModel beside(ModelConfig config, NetworkHolder denoiser) {
        return new RefinerModel(config, denoiser.device());
    }

    /**
     * The refiner of a model folder ({@value #FILE}) for {@code denoiser} (its config, on its
     * device), or null when the folder has none.
     *
     * @throws ParamsFile.ParamsFormatException when the file does not fit the config (naming it)
     */
    public static RefinerModel load(Path dir, DiffusionModel denoiser) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) return null;
        RefinerModel r = beside(denoiser.config(), denoiser.holder());
        try {
            r.holder.load(f, KIND);
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public Refiner network() {
        return net;
    }

    /** The parameters, their manager and device. */
    public NetworkHolder holder() {
        return holder;
    }

    /** Forward pass on device arrays: R (B, N, D, H, W) of {@code x0hat}, {@code cond} (B, N, D, H, W), direction codes. */
    public NDArray forward(NDArray x0hat, NDArray cond, int[] direction, boolean training) {
        return net.refine(holder.parameterStore(), x0hat, cond, direction, training);
    }

    /**
     * Refines one sample, no grad: {@code x0} and {@code cond} flat (N, Z, Y, X) on the model grid
     * in [-1, 1]; returns R in the same layout (not clipped).
     *
     * @throws IllegalArgumentException when an array does not have the model's size
     */
    public float[] refine(float[] x0, float[] cond, Direction direction) {
        int[] g = config.grid();
        Shape shape = new Shape(1, config.channels(), g[0], g[1], g[2]);
        NetworkHolder.checkLength(x0, shape, "x0 estimate");
        NetworkHolder.checkLength(cond, shape, "condition");
        return Engines.withoutGradients(() -> {
            try (NDManager m = holder.newStepManager()) {
                NDArray x = holder.upload(m, x0, shape);
                NDArray c = holder.upload(m, cond, shape);
                return NetworkHolder.download(forward(x, c, new int[] {direction.code()}, false), null);
            }
        });
    }

    @Override
    public void close() {
        holder.close();
    }
}
