package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.pdsynth.model.Engines;

/**
 * The one training loop of both stages: Adam with warm-up, EMA of the weights, one NDManager
 * scope per step, progress reports, checkpoints in a {@link CheckpointStore}, a validation hook
 * and cancel. What a step computes is its {@link TrainingObjective}: {@link #denoiser} makes the
 * stage-1 trainer, {@link #refiner} the stage-2 one.
 *
 * <p>Determinism: each step's randomness comes from (seed, step) (see {@link NoisedBatch}); with
 * weights, Adam moments, EMA and the step counter restored from a checkpoint, a resumed run
 * repeats the uninterrupted run's computation step for step, also after a cancel between
 * checkpoints ({@link #run} checkpoints the step it stopped at).
 *
 * @param <O> the stage's objective, reachable through {@link #objective()}
 */
public final class Trainer<O extends TrainingObjective> implements AutoCloseable {
    private final O objective;
    private final NetworkHolder net;
    private final TrainSettings settings;
    private final AdamOptimizer adam;
    private final Ema ema;
    private final List<NDArray> params;
    private final Runnable onClose;
    private TrainListener listener = new TrainListener() {};
    private ValidationHook validation;
    private int step;

    /**
     * A trainer of {@code objective.trained()}; {@code onClose} (may be null) runs at {@link #close()}
     * (e.g. to close a model the trainer owns).
     */
    public Trainer(O objective, TrainSettings settings, Runnable onClose) {
        this.objective = objective;
        this.net = objective.trained();
        this.settings = settings;
        this.onClose = onClose;
        params = net.parameterArrays();
        adam = new AdamOptimizer(params, settings.learningRate(), settings.warmupSteps(), net.manager());
        ema = new Ema(params, settings.emaDecay(), settings.emaWarmup(), net.manager());
    }

    /**
     * Stage 1: trains {@code model} (the caller keeps ownership) on {@code data}.
     *
     * @throws IllegalArgumentException when the data does not fit the model (channels, grid, none)
     */
    public static Trainer<DenoiserObjective> denoiser(DiffusionModel model, PairSource data, TrainSettings settings) {
        return new Trainer<>(new DenoiserObjective(model, data, settings), settings, null);
    }

    /**
     * Stage 2: trains {@code refiner} against the frozen {@code denoiser} (the caller keeps ownership of both).
     *
     * @throws IllegalArgumentException when the data or the two configs do not fit
     */
    public static Trainer<RefinerObjective> refiner(DiffusionModel denoiser, RefinerModel refiner, PairSource data, TrainSettings settings) {
        return new Trainer<>(new RefinerObjective(denoiser, refiner, data, settings), settings, null);
    }

    /**
     * Continues the stage-1 run saved in {@code checkpoint} (a step folder, or a folder with a
     * {@value CheckpointStore#LATEST} file): the model is rebuilt from the checkpoint's config and
     * atlas on the device named {@code device} (null: the CPU) and owned by the trainer. {@code settings} null keeps the saved ones.
     *
     * @throws ParamsFile.ParamsFormatException when the folder is not a checkpoint (naming the file)
     */
    public static Trainer<DenoiserObjective> resumeDenoiser(Path checkpoint, PairSource data, TrainSettings settings,
            String device) throws IOException {
        Path dir = CheckpointStore.resolveLatest(checkpoint);
        Checkpoint.State state = Checkpoint.readState(dir);
        DiffusionModel model = DiffusionModel.create(Checkpoint.readConfig(dir), Checkpoint.readAtlas(dir), device);
        try {
            TrainSettings s = settings == null ? state.settings() : settings;
            Trainer<DenoiserObjective> t = new Trainer<>(new DenoiserObjective(model, data, s), s, model::close);
            t.restore(dir);
            return t;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public O objective() {
        return objective;
    }

    public void setListener(TrainListener listener) {
        this.listener = listener == null ? new TrainListener() {} : listener;
    }

    public void setValidation(ValidationHook hook) {
        this.validation = hook;
    }

    public TrainSettings settings() {
        return settings;
    }

    public AdamOptimizer optimizer() {
        return adam;
    }

    public Ema ema() {
        return ema;
    }

    /** Steps done. */
    public int stepsDone() {
        return step;
    }

    /** One optimiser step (forward, loss, backward, Adam, EMA) on the next batch of the run; returns the loss before the update. */
    public float step() {
        int s = step;
        return step(sm -> objective.prepare(sm, s));
    }

    /**
     * One optimiser step on what {@code prepared} uploads into the step's manager (e.g. a fixed
     * batch, to overfit it in a test); counts as a step of the run. Returns the loss before the update.
     */
    public float step(java.util.function.Function<NDManager, Supplier<NDArray>> prepared) {
        // grad mode off around the step (it is per thread); the collector turns it on inside
        float loss = Engines.withoutGradients(() -> {
            try (NDManager sm = net.newStepManager()) {
                Supplier<NDArray> lossOf = prepared.apply(sm);
                float l;
                try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
                    NDArray value = lossOf.get();
                    gc.backward(value);
                    l = value.getFloat();
                }
                adam.update(params);
                ema.update(params);
                return l;
            }
        });
        step++;
        return loss;
    }

    /**
     * Trains until {@code settings.steps()} steps are done or {@code cancel} says stop (checked
     * before each step). With a checkpoint folder, writes a checkpoint every {@code checkpointEvery}
     * steps and one of the step it stopped at. Returns the steps done.
     *
     * @throws Exception from the validation hook, or an {@link IOException} writing a checkpoint
     */
    public int run(Path checkpointDir, BooleanSupplier cancel) throws Exception {
        CheckpointStore store = checkpointDir == null ? null : new CheckpointStore(checkpointDir, settings.keepCheckpoints());
        long since = System.nanoTime();
        int sinceStep = step;
        double lossSum = 0;
        int lastCheckpoint = -1;
        while (step < settings.steps() && (cancel == null || !cancel.getAsBoolean())) {
            float loss = step();
            lossSum += loss;
            if (step % settings.logEvery() == 0 || step == settings.steps()) {
                long now = System.nanoTime();
                int n = step - sinceStep;
                double itPerSec = n / Math.max(1e-9, (now - since) / 1e9);
                long etaSec = Math.round((settings.steps() - step) / Math.max(itPerSec, 1e-9));
                listener.onProgress(new TrainListener.Progress(step, settings.steps(), loss, lossSum / n, itPerSec, Duration.ofSeconds(etaSec)));
                since = now;
                sinceStep = step;
                lossSum = 0;
            }
            if (store != null && settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0) {
                checkpoint(store);
                lastCheckpoint = step;
            }
            if (validation != null && settings.validateEvery() > 0 && step % settings.validateEvery() == 0) {
                listener.onValidation(step, validation.validate(this, step));
            }
        }
        if (store != null && lastCheckpoint != step) checkpoint(store);
        return step;
    }

    /** Writes a step checkpoint into {@code store} and reports it; returns its folder. */
    public Path checkpoint(CheckpointStore store) throws IOException {
        Path dir = store.save(step, this::saveCheckpoint);
        listener.onCheckpoint(step, dir);
        return dir;
    }

    /** Writes a checkpoint of the current state to exactly {@code dir} (atomically). */
    public void saveCheckpoint(Path dir) throws IOException {
        Checkpoint.save(dir, net, adam, ema, new Checkpoint.State(1, step, adam.step(), ema.updates(), settings),
                objective::writeCheckpointExtras);
    }

    /**
     * Restores weights, EMA, Adam moments and the step counter from {@code dir} (a step folder or
     * a folder with a {@value CheckpointStore#LATEST} file).
     *
     * @throws ParamsFile.ParamsFormatException when the checkpoint does not fit this network
     */
    public void restore(Path dir) throws IOException {
        Path d = CheckpointStore.resolveLatest(dir);
        objective.checkCheckpoint(d);
        step = Checkpoint.restore(d, net, adam, ema).step();
    }

    @Override
    public void close() {
        adam.close();
        ema.close();
        if (objective instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (onClose != null) onClose.run();
    }
}
