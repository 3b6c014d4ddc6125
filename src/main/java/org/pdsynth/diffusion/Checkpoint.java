package org.pdsynth.diffusion;

import org.pdsynth.nifti.NiftiFiles;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.pdsynth.volume.Atlas;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.volume.SubjectAligner;

/**
 * A training checkpoint: a folder holding
 * <ul>
 *   <li>{@code config.json} — the {@link ModelConfig};</li>
 *   <li>{@code model.params} — the trained weights; {@code ema.params} — their EMA (the weights
 *       to sample with); {@code optimizer.params} — Adam's moments (m for every parameter, then v);
 *       all in the {@link ParamsFile} format;</li>
 *   <li>{@code state.json} — step counter, optimiser and EMA update counts, the train settings;</li>
 *   <li>{@code atlas.nii.gz} + {@code atlas.txt} — with {@code patternAware} on: the atlas of the
 *       pattern-aware module on the model grid ({@link Atlas#write}).</li>
 * </ul>
 * A folder with only config.json and ema.params (or model.params) is enough to sample.
 *
 * <p>The folder is written atomically: everything goes to a hidden sibling folder, which then
 * replaces the target by a rename; a reader never sees a half-written checkpoint.
 */
public final class Checkpoint {
    public static final String CONFIG = "config.json";
    public static final String MODEL = "model.params";
    public static final String EMA = "ema.params";
    public static final String OPTIMIZER = "optimizer.params";
    public static final String STATE = "state.json";
    /** The pattern-aware model's atlas on the model grid (labels) and its region list. */
    public static final String ATLAS = "atlas.nii.gz";
    public static final String ATLAS_LABELS = "atlas.txt";
    /** Sub-folder of a residual-mode model folder holding its regression prior (a model folder itself). */
    public static final String PRIOR = "prior";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private Checkpoint() {}

    /**
     * Counters of a checkpoint.
     *
     * @param formatVersion  1
     * @param step           training steps done
     * @param optimizerSteps Adam updates done (bias correction and warm-up continue from here)
     * @param emaUpdates     EMA updates done
     * @param settings       the settings the run used
     */
    public record State(int formatVersion, int step, int optimizerSteps, int emaUpdates, TrainSettings settings) {}

    /** Writes extra files of a stage into a checkpoint folder being written. */
    @FunctionalInterface
    public interface Extras {
        void write(Path dir) throws IOException;
    }

    /**
     * Writes a full training checkpoint of {@code net} to {@code dir} (replacing it atomically if
     * it exists): weights, EMA, Adam moments, state, and the stage's {@code extras}.
     */
    public static void save(Path dir, NetworkHolder net, AdamOptimizer adam, Ema ema, State state, Extras extras) throws IOException {
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            List<String> names = net.parameterNames();
            net.write(tmp.resolve(MODEL), "model", net.parameterArrays());
            net.write(tmp.resolve(EMA), "ema", ema.shadows());
            List<String> optNames = new ArrayList<>();
            List<NDArray> optArrays = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                optNames.add("m/" + names.get(i));
                optArrays.add(adam.means().get(i));
            }
            for (int i = 0; i < names.size(); i++) {
                optNames.add("v/" + names.get(i));
                optArrays.add(adam.variances().get(i));
            }
            ParamsFile.write(tmp.resolve(OPTIMIZER), "adam", optNames, optArrays);
            if (extras != null) extras.write(tmp);
            Files.writeString(tmp.resolve(STATE), GSON.toJson(state), StandardCharsets.UTF_8);
            replaceFolder(tmp, target);
        } finally {
            deleteTree(tmp);
        }
    }

    /** The model config stored in a checkpoint or model folder. */
    public static ModelConfig readConfig(Path dir) throws IOException {
        Path f = dir.resolve(CONFIG);
        try {
            return ModelConfig.fromJson(NiftiFiles.readUtf8(f));
        } catch (NoSuchFileException e) {
            throw new ParamsFile.ParamsFormatException(f, "is missing (not a model or checkpoint folder?)");
        } catch (IllegalArgumentException e) {
            throw new ParamsFile.ParamsFormatException(f, e.getMessage());
        }
    }

    /** Writes the model's atlas into {@code dir} (nothing when the model has none). */
    public static void writeAtlas(Path dir, DiffusionModel model) throws IOException {
        if (model.atlas() != null) model.atlas().write(dir.resolve(ATLAS), dir.resolve(ATLAS_LABELS));
    }

    /**
     * The atlas stored in a checkpoint or model folder when its config has {@code patternAware}
     * on (read on its own grid, so no resampling happens), else null.
     */
    public static Atlas readAtlas(Path dir) throws IOException {
        if (!readConfig(dir).patternAware()) return null;
        Path image = dir.resolve(ATLAS);
        if (!Files.isRegularFile(image)) {
            throw new ParamsFile.ParamsFormatException(image, "is missing: the model is pattern-aware ('patternAware' in "
                    + CONFIG + ") and keeps its atlas here");
        }
        return Atlas.read(image, dir.resolve(ATLAS_LABELS), SubjectAligner.gridOf(image));
    }

    /** The counters of a checkpoint. */
    public static State readState(Path dir) throws IOException {
        Path f = dir.resolve(STATE);
        try {
            State s = GSON.fromJson(NiftiFiles.readUtf8(f), State.class);
            if (s == null || s.formatVersion() != 1 || s.settings() == null) throw new ParamsFile.ParamsFormatException(f, "is not a PDS checkpoint state (formatVersion 1)");
            return s;
        } catch (NoSuchFileException e) {
            throw new ParamsFile.ParamsFormatException(f, "is missing (a model folder, not a training checkpoint?)");
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new ParamsFile.ParamsFormatException(f, "is not valid: " + e.getMessage());
        }
    }

    /**
     * A model for sampling from a checkpoint or model folder on the device named {@code device}
     * ({@link DiffusionModel#create(ModelConfig, Atlas, String)}), with its regression prior from
     * {@value #PRIOR}/ when it is a residual-mode model that has one: the EMA weights if
     * {@code ema} (falling back to model.params only if ema.params is absent), else the raw weights.
     *
     * @throws ParamsFile.ParamsFormatException when a file is missing or does not fit (naming it)
     */
    public static DiffusionModel loadModel(Path dir, boolean ema, String device) throws IOException {
        ModelConfig config = readConfig(dir);
        Path file = dir.resolve(ema && Files.exists(dir.resolve(EMA)) ? EMA : MODEL);
        DiffusionModel model = DiffusionModel.create(config, readAtlas(dir), device);
        try {
            model.holder().load(file, file.getFileName().toString().equals(EMA) ? "ema" : "model");
            if (config.residual() && Files.isDirectory(dir.resolve(PRIOR))) model.setPrior(loadModel(dir.resolve(PRIOR), true, device), true);
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Restores weights, EMA and optimiser state of {@code net} from {@code dir}; returns its counters.
     *
     * @throws ParamsFile.ParamsFormatException when a file is missing or does not fit the network
     */
    public static State restore(Path dir, NetworkHolder net, AdamOptimizer adam, Ema ema) throws IOException {
        State state = readState(dir);
        List<Shape> shapes = net.shapes();
        try (NDManager tmp = net.manager().newSubManager()) {
            net.setWeights(net.read(dir.resolve(MODEL), "model", tmp));
            ema.restore(net.read(dir.resolve(EMA), "ema", tmp), state.emaUpdates());
            List<String> optNames = new ArrayList<>();
            List<Shape> optShapes = new ArrayList<>(shapes);
            optShapes.addAll(shapes);
            for (String n : net.parameterNames()) optNames.add("m/" + n);
            for (String n : net.parameterNames()) optNames.add("v/" + n);
            List<NDArray> o = ParamsFile.read(dir.resolve(OPTIMIZER), "adam", optNames, optShapes, tmp);
            int n = shapes.size();
            adam.restore(o.subList(0, n), o.subList(n, 2 * n), state.optimizerSteps());
        }
        return state;
    }

    private static void replaceFolder(Path tmp, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
        if (old != null) deleteTree(old);
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
