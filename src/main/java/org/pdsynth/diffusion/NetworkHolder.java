package org.pdsynth.diffusion;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.pdsynth.model.Engines;
import org.pdsynth.model.Staging;

/**
 * One network with everything that lives as long as it does: the block, the NDManager that owns
 * its parameters on a {@link Device}, the parameter store, the parameters in file order, and the
 * staged transfer of Java arrays to and from the device. Both stages' networks (the denoiser and
 * the refiner) are held by one of these.
 *
 * <p>Memory: parameters live in {@link #manager()} until {@link #close()}; per-step work goes in
 * {@link #newStepManager()} scopes (one per training or sampling step). Arrays are uploaded through
 * {@link Staging} (one reused direct buffer, cloned into PyTorch-owned memory): DJL's
 * {@code create(float[])} wraps a fresh direct buffer whose native memory only returns when the
 * Java GC runs, which piled up hundreds of MB in a 50-step synthesis.
 *
 * <p>The parameter order ({@link #parameterNames()}) is the order children and parameters were
 * registered in the blocks' constructors; it is the order of every {@link ParamsFile}.
 */
public final class NetworkHolder implements AutoCloseable {
    private final Block block;
    private final Device device;
    private final NDManager manager;
    private final ParameterStore store;
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();

    /**
     * Creates the parameters of {@code block} on {@code device} by calling {@code initialize} with
     * the holder's manager (the block's own seeded initialisation).
     *
     * @param device the device every array of this network lives on (null: the CPU)
     */
    public NetworkHolder(Block block, Device device, Consumer<NDManager> initialize) {
        this.block = block;
        this.device = device == null ? Device.cpu() : device;
        manager = Engines.pytorch().newBaseManager(this.device);
        try {
            initialize.accept(manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        store = new ParameterStore(manager, false);
        for (Pair<String, Parameter> p : block.getParameters()) {
            names.add(p.getKey());
            params.add(p.getValue());
        }
    }

    public Block block() {
        return block;
    }

    /** The device the parameters and every per-step array live on. */
    public Device device() {
        return device;
    }

    /** The manager owning the parameters. */
    public NDManager manager() {
        return manager;
    }

    public ParameterStore parameterStore() {
        return store;
    }

    /** A sub-manager for one training or sampling step (same device); close it at the end of the step. */
    public NDManager newStepManager() {
        return manager.newSubManager();
    }

    public List<String> parameterNames() {
        return List.copyOf(names);
    }

    /** The parameter arrays, in file order (live: changing them changes the network). */
    public List<NDArray> parameterArrays() {
        List<NDArray> out = new ArrayList<>(params.size());
        for (Parameter p : params) out.add(p.getArray());
        return out;
    }

    /** The parameter shapes, in file order. */
    public List<Shape> shapes() {
        List<Shape> s = new ArrayList<>(params.size());
        for (Parameter p : params) s.add(p.getArray().getShape());
        return s;
    }

    /** Number of scalar weights. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : params) n += p.getArray().size();
        return n;
    }

    /**
     * Replaces every parameter's values by a copy of {@code values} (same order and shapes); the
     * parameter arrays keep their identity, so parameter stores and optimisers stay valid.
     *
     * @throws IllegalArgumentException for a wrong count or shape (naming the parameter)
     */
    public void setWeights(List<NDArray> values) {
        if (values.size() != params.size()) {
            throw new IllegalArgumentException("got " + values.size() + " arrays for " + params.size() + " parameters");
        }
        for (int i = 0; i < params.size(); i++) {
            NDArray dst = params.get(i).getArray();
            NDArray src = values.get(i);
            if (!dst.getShape().equals(src.getShape())) {
                throw new IllegalArgumentException("parameter " + names.get(i) + " has shape " + dst.getShape() + ", got " + src.getShape());
            }
            boolean grad = dst.hasGradient();
            NDArray copy = device.equals(src.getDevice()) ? src.duplicate() : src.toDevice(device, true);
            copy.attach(dst.getManager());
            dst.intern(copy);
            if (grad) dst.setRequiresGradient(true);
        }
    }

    /** Writes {@code values} (this network's names and order; e.g. the weights or their EMA) as a {@link ParamsFile} of {@code kind}. */
    public void write(Path file, String kind, List<NDArray> values) throws IOException {
        ParamsFile.write(file, kind, names, values);
    }

    /**
     * Reads a {@link ParamsFile} of {@code kind} with this network's names and shapes.
     *
     * @throws ParamsFile.ParamsFormatException when the file is not such a file (naming it)
     */
    public List<NDArray> read(Path file, String kind, NDManager into) throws IOException {
        return ParamsFile.read(file, kind, names, shapes(), into);
    }

    /** Replaces the weights by those in {@code file} ({@link #read}, then {@link #setWeights}). */
    public void load(Path file, String kind) throws IOException {
        try (NDManager tmp = manager.newSubManager()) {
            setWeights(read(file, kind, tmp));
        }
    }

    /**
     * A tensor on this network's device in {@code m} holding a copy of {@code data} (row-major
     * values of {@code shape}), through {@link Staging} (see the class description).
     *
     * @throws IllegalArgumentException when the length does not match the shape
     */
    public NDArray upload(NDManager m, float[] data, Shape shape) {
        return Staging.upload(m, data, shape, device);
    }

    /**
     * The values of {@code a} in logical (row-major) order, read straight from the tensor's memory
     * (copied to the host first when it lives on a GPU) into {@code out} (allocated when null).
     */
    public static float[] download(NDArray a, float[] out) {
        float[] dst = out == null ? new float[Math.toIntExact(a.size())] : out;
        if (dst.length != a.size()) throw new IllegalArgumentException("output has " + dst.length + " values, the array " + a.size());
        a.toByteBuffer(true).asFloatBuffer().get(dst);
        return dst;
    }

    /**
     * Checks that a flat volume has the length of {@code shape} (B, N, Z, Y, X).
     *
     * @throws IllegalArgumentException naming {@code what} and the expected layout
     */
    public static float[] checkLength(float[] a, Shape shape, String what) {
        long need = shape.size();
        if (a.length != need) {
            throw new IllegalArgumentException(what + " has " + a.length + " values, the model needs " + need
                    + " = " + shape.get(1) + " channels x " + shape.get(2) + "x" + shape.get(3) + "x" + shape.get(4) + " (Z, Y, X)");
        }
        return a;
    }

    @Override
    public void close() {
        manager.close();
    }
}
