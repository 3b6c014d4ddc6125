package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.pdsynth.volume.Atlas;
import org.pdsynth.model.Engines;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.model.NoiseEstimator;
import org.pdsynth.model.RegionFractions;

/**
 * A noise estimator with its parameters, their manager and its schedule: what training updates
 * and sampling runs. Parameters live in {@link #manager()} until {@link #close()}; per-step work
 * goes in sub-managers of {@link #manager()} (see {@link #newStepManager()}).
 *
 * <p>The parameter order ({@link #parameterNames()}) is the order children and parameters were
 * registered in the blocks' constructors; it is the order of every {@code .params} file.
 *
 * <p>With {@code patternAware} on, the model holds the atlas its pattern-aware module was built
 * from (on the model grid; not a trainable parameter); checkpoints and model folders store it.
 */
public final class DiffusionModel implements AutoCloseable {
    private final ModelConfig config;
    private final NDManager manager;
    private final NoiseEstimator net;
    private final ParameterStore store;
    private final CosineSchedule schedule;
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    private final Atlas atlas;
    private ByteBuffer staging;

    private DiffusionModel(ModelConfig config, Atlas atlas) {
        this.config = config.validate();
        this.atlas = config.patternAware() ? atlas : null;
        RegionFractions fractions = this.atlas == null ? null : fractions(this.atlas, config);
        if (config.patternAware() && atlas == null) {
            throw new IllegalArgumentException("model config 'patternAware' is on: the model needs an atlas on its grid (or turn 'patternAware' off)");
        }
        net = new NoiseEstimator(config, fractions);
        manager = Engines.pytorch().newBaseManager();
        net.initialize(manager);
        store = new ParameterStore(manager, false);
        schedule = new CosineSchedule(config.timesteps());
        for (Pair<String, Parameter> p : net.getParameters()) {
            names.add(p.getKey());
            params.add(p.getValue());
        }
    }

    /** A new model with freshly initialised weights (seeded by the config's seed); no pattern-aware module. */
    public static DiffusionModel create(ModelConfig config) {
        return new DiffusionModel(config, null);
    }

    /**
     * A new model whose pattern-aware module (if {@code config.patternAware()}) uses {@code atlas},
     * which must lie on the model grid (X, Y, Z) = reversed {@code gridZYX}; ignored when the
     * module is off.
     */
    public static DiffusionModel create(ModelConfig config, Atlas atlas) {
        return new DiffusionModel(config, atlas);
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

    /** A new model of the same config and atlas, freshly initialised (e.g. to hold EMA weights). */
    public DiffusionModel sibling() {
        return new DiffusionModel(config, atlas);
    }

    public ModelConfig config() {
        return config;
    }

    public NoiseEstimator network() {
        return net;
    }

    public CosineSchedule schedule() {
        return schedule;
    }

    public ParameterStore parameterStore() {
        return store;
    }

    /** The manager owning the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** A sub-manager for one training or sampling step; close it at the end of the step. */
    public NDManager newStepManager() {
        return manager.newSubManager();
    }

    public List<String> parameterNames() {
        return List.copyOf(names);
    }

    public List<Parameter> parameters() {
        return List.copyOf(params);
    }

    /** The parameter arrays, in file order (live: changing them changes the model). */
    public List<NDArray> parameterArrays() {
        List<NDArray> out = new ArrayList<>(params.size());
        for (Parameter p : params) out.add(p.getArray());
        return out;
    }

    /** Number of scalar weights. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : params) n += p.getArray().size();
        return n;
    }

    /**
     * Replaces every parameter's values by a copy of {@code values} (same order and shapes);
     * the parameter arrays keep their identity, so parameter stores and optimisers stay valid.
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
            replaceValues(dst, src);
        }
    }

    /** Makes {@code dst} hold a copy of {@code src}'s values (swaps in a new native tensor). */
    static void replaceValues(NDArray dst, NDArray src) {
        boolean grad = dst.hasGradient();
        NDArray copy = src.duplicate();
        copy.attach(dst.getManager());
        dst.intern(copy);
        if (grad) dst.setRequiresGradient(true);
    }

    /**
     * One no-grad prediction for a single sample given as flat (N, Z, Y, X) arrays on the model
     * grid; returns eps_hat in the same layout. Safe on any thread.
     */
    public float[] predictNoise(float[] xt, float[] cond, int t, int direction, int label) {
        int[] g = config.grid();
        Shape shape = new Shape(1, config.channels(), g[0], g[1], g[2]);
        checkLength(xt, shape, "x_t");
        checkLength(cond, shape, "condition");
        return predictBatch(xt, cond, shape, new int[] {t}, new int[] {direction}, new int[] {label}, null);
    }

    /**
     * No-grad prediction for a batch given flat (B, N, Z, Y, X) arrays of {@code shape}, written
     * into {@code out} (allocated when null) and returned.
     */
    float[] predictBatch(float[] xt, float[] cond, Shape shape, int[] t, int[] direction, int[] label, float[] out) {
        return Engines.withoutGradients(() -> {
            try (NDManager m = newStepManager()) {
                NDArray x = upload(m, xt, shape);
                NDArray c = upload(m, cond, shape);
                return download(net.predict(store, x, c, t, direction, label, false), out);
            }
        });
    }

    /**
     * The values of {@code a} in logical (row-major) order, read straight from the tensor's memory
     * into {@code out} (allocated when null): no intermediate byte[] as in {@code toFloatArray()}.
     */
    static float[] download(NDArray a, float[] out) {
        float[] dst = out == null ? new float[Math.toIntExact(a.size())] : out;
        if (dst.length != a.size()) throw new IllegalArgumentException("output has " + dst.length + " values, the array " + a.size());
        a.toByteBuffer(true).asFloatBuffer().get(dst);
        return dst;
    }

    /**
     * A tensor in {@code m} holding a copy of {@code data}. DJL's {@code create(float[])} wraps a
     * fresh direct ByteBuffer that the tensor aliases; that native memory is only returned when
     * the Java GC runs, so volumes uploaded every step pile up (hundreds of MB in a 50-step
     * synthesis). Here the data goes through one reusable staging buffer and is cloned into
     * PyTorch-owned memory, which is freed when the array closes.
     */
    public synchronized NDArray upload(NDManager m, float[] data, Shape shape) {
        int bytes = Math.multiplyExact(data.length, 4);
        if (data.length != shape.size()) throw new IllegalArgumentException(data.length + " values for shape " + shape);
        if (staging == null || staging.capacity() < bytes) staging = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        ByteBuffer view = staging.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit(bytes);
        view.asFloatBuffer().put(data);
        try (NDArray aliased = m.create(view, shape, DataType.FLOAT32)) {
            NDArray owned = aliased.duplicate();
            owned.attach(m);
            return owned;
        }
    }

    static float[] checkLength(float[] a, Shape shape, String what) {
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
