package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.pdsynth.model.Engines;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.model.Refiner;

/**
 * The stage-2 refiner with its parameters and their manager (the {@link DiffusionModel} of the
 * refiner). Parameters live in {@link #manager()} until {@link #close()}. Its weights are saved as
 * {@value #FILE} ({@link ParamsFile} kind "refiner") in a model folder.
 */
public final class RefinerModel implements AutoCloseable {
    /** File of the refiner's (EMA) weights in a model folder. */
    public static final String FILE = "refiner.params";
    static final String KIND = "refiner";

    private final ModelConfig config;
    private final NDManager manager;
    private final Refiner net;
    private final ParameterStore store;
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();

    private RefinerModel(ModelConfig config) {
        this.config = config.validate();
        net = new Refiner(config);
        manager = Engines.pytorch().newBaseManager();
        net.initialize(manager);
        store = new ParameterStore(manager, false);
        for (Pair<String, Parameter> p : net.getParameters()) {
            names.add(p.getKey());
            params.add(p.getValue());
        }
    }

    /** A fresh refiner (identity at initialisation) for the config's channels and refiner settings. */
    public static RefinerModel create(ModelConfig config) {
        return new RefinerModel(config);
    }

    /** The refiner of a model folder ({@value #FILE}), or null when it has none. */
    public static RefinerModel load(Path dir, ModelConfig config) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) return null;
        RefinerModel r = create(config);
        try {
            r.read(f);
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** Writes the current weights to {@code file}. */
    public void write(Path file) throws IOException {
        ParamsFile.write(file, KIND, names, parameterArrays());
    }

    /** Replaces the weights by those in {@code file}. */
    public void read(Path file) throws IOException {
        try (NDManager tmp = manager.newSubManager()) {
            setWeights(ParamsFile.read(file, KIND, names, shapes(), tmp));
        }
    }

    List<Shape> shapes() {
        List<Shape> s = new ArrayList<>();
        for (Parameter p : params) s.add(p.getArray().getShape());
        return s;
    }

    public ModelConfig config() {
        return config;
    }

    public Refiner network() {
        return net;
    }

    public ParameterStore parameterStore() {
        return store;
    }

    public NDManager manager() {
        return manager;
    }

    public List<String> parameterNames() {
        return List.copyOf(names);
    }

    /** The parameter arrays, in file order (live). */
    public List<NDArray> parameterArrays() {
        List<NDArray> out = new ArrayList<>(params.size());
        for (Parameter p : params) out.add(p.getArray());
        return out;
    }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : params) n += p.getArray().size();
        return n;
    }

    /** Copies {@code values} (same order and shapes) into the parameters. */
    public void setWeights(List<NDArray> values) {
        if (values.size() != params.size()) throw new IllegalArgumentException("got " + values.size() + " arrays for " + params.size() + " refiner parameters");
        for (int i = 0; i < params.size(); i++) {
            NDArray dst = params.get(i).getArray();
            if (!dst.getShape().equals(values.get(i).getShape())) {
                throw new IllegalArgumentException("refiner parameter " + names.get(i) + " has shape " + dst.getShape() + ", got " + values.get(i).getShape());
            }
            DiffusionModel.replaceValues(dst, values.get(i));
        }
    }

    /**
     * Refines one sample, no grad: {@code x0} and {@code cond} flat (N, Z, Y, X) on the model grid
     * in [-1, 1]; returns R in the same layout (not clipped).
     */
    public float[] refine(float[] x0, float[] cond, int direction) {
        int[] g = config.grid();
        Shape shape = new Shape(1, config.channels(), g[0], g[1], g[2]);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(DiffusionModel.checkLength(x0, shape, "x0 estimate"), shape);
            NDArray c = m.create(DiffusionModel.checkLength(cond, shape, "condition"), shape);
            return net.refine(store, x, c, new int[] {direction}, false).toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
