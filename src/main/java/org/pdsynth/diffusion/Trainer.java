package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.pdsynth.model.Engines;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.nifti.NiftiFiles;

/**
 * Stage-1 training of the noise estimator: Adam with warm-up, EMA, label dropout, both
 * directions, one NDManager scope per step, progress lines, checkpoints, a validation hook.
 *
 * <p>Randomness: the pair order is a permutation per epoch seeded by (config seed, epoch); each
 * step's directions, label dropout, t and noise come from a generator seeded by (config seed,
 * step) (see {@link NoisedBatch}). With weights, Adam moments, EMA and the step counter restored
 * from a checkpoint, a resumed run repeats the uninterrupted run's computation step for step.
 *
 * <p>The split into training and validation subjects is the caller's: pass only training
 * subjects here, and validation subjects to {@link #validationLoss(PairSource, long)}.
 */
public final class Trainer implements AutoCloseable {
    /** Name of the file in a checkpoint folder that names the newest step checkpoint. */
    public static final String LATEST = "latest";

    private final DiffusionModel model;
    private final PairSource data;
    private final TrainSettings settings;
    private final AdamOptimizer adam;
    private final Ema ema;
    private final List<NDArray> params;
    private final ModelConfig config;
    private final int volumeSize;
    private TrainListener listener = new TrainListener() {};
    private ValidationHook validation;
    private float[] weightMap;
    private int step;
    private long permutationEpoch = -1;
    private int[] permutation;
    private DiffusionModel emaModel;
    private boolean ownsModel;

    /** A trainer for {@code model} (the caller keeps ownership of the model and closes it). */
    public Trainer(DiffusionModel model, PairSource data, TrainSettings settings) {
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.config = model.config();
        if (data.size() < 1) throw new IllegalArgumentException("training data has no pairs");
        if (data.channels() != config.channels()) {
            throw new IllegalArgumentException("training data has " + data.channels() + " channels, the model config expects N = " + config.channels());
        }
        if (!Arrays.equals(data.gridZYX(), config.grid())) {
            throw new IllegalArgumentException("training data grid (Z,Y,X) " + Arrays.toString(data.gridZYX())
                    + " differs from the model config 'gridZYX' " + config.gridZYX());
        }
        volumeSize = config.channels() * config.voxels();
        params = model.parameterArrays();
        adam = new AdamOptimizer(params, settings.learningRate(), settings.warmupSteps(), model.manager());
        ema = new Ema(params, settings.emaDecay(), settings.emaWarmup(), model.manager());
    }

    /**
     * Continues the run saved in {@code checkpoint} (a step folder, or a folder with a {@value
     * #LATEST} file). {@code settings} null keeps the saved settings; otherwise they replace them
     * (e.g. more steps). The trainer owns the model it loads and closes it in {@link #close()}.
     */
    public static Trainer resume(Path checkpoint, PairSource data, TrainSettings settings) throws IOException {
        Path dir = resolveLatest(checkpoint);
        Checkpoint.State state = Checkpoint.readState(dir);
        DiffusionModel model = DiffusionModel.create(Checkpoint.readConfig(dir), Checkpoint.readAtlas(dir));
        try {
            Trainer t = new Trainer(model, data, settings == null ? state.settings() : settings);
            Checkpoint.restore(dir, model, t.adam, t.ema);
            t.step = state.step();
            t.ownsModel = true;
            return t;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public void setListener(TrainListener listener) {
        this.listener = listener == null ? new TrainListener() {} : listener;
    }

    public void setValidation(ValidationHook hook) {
        this.validation = hook;
    }

    /** Per-voxel weight map W (Z, Y, X), x fastest, for the loss (1 + lambdaWeight W); null = none. */
    public void setWeightMap(float[] zyx) {
        if (zyx != null && zyx.length != config.voxels()) {
            throw new IllegalArgumentException("weight map has " + zyx.length + " voxels, the model grid has " + config.voxels());
        }
        weightMap = zyx == null ? null : zyx.clone();
    }

    public DiffusionModel model() {
        return model;
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

    /** The inputs step {@code s} (0-based) draws; depends only on the config seed, s and the data. */
    public NoisedBatch batchFor(int s) {
        int b = settings.batchSize();
        boolean both = settings.directions() == TrainSettings.DirectionMode.BOTH;
        SplittableRandom rng = NoisedBatch.stepRandom(config.seed(), s);
        TrainingPair[] pairs = new TrainingPair[both ? 2 * b : b];
        int[] dirs = new int[pairs.length];
        for (int j = 0; j < b; j++) {
            TrainingPair p = data.get(pairIndex((long) s * b + j));
            if (both) {
                pairs[2 * j] = p;
                pairs[2 * j + 1] = p;
                dirs[2 * j + 1] = 1;
            } else {
                pairs[j] = p;
                dirs[j] = rng.nextInt(2);
            }
        }
        if (config.regression()) return NoisedBatch.regression(pairs, dirs, config.labelDropout(), volumeSize, rng);
        NoisedBatch nb = NoisedBatch.draw(pairs, dirs, model.schedule(), config.labelDropout(), volumeSize, rng);
        return config.predictsX0() ? nb.targetingX0(pairs) : nb;
    }

    private int pairIndex(long k) {
        int n = data.size();
        long epoch = k / n;
        if (epoch != permutationEpoch) {
            permutation = new int[n];
            for (int i = 0; i < n; i++) permutation[i] = i;
            SplittableRandom r = new SplittableRandom(config.seed() * 0xD1B54A32D192ED03L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int tmp = permutation[i];
                permutation[i] = permutation[j];
                permutation[j] = tmp;
            }
            permutationEpoch = epoch;
        }
        return permutation[(int) (k % n)];
    }

    /** One optimiser step on the next batch of the run ({@link #batchFor}(stepsDone())); returns the loss. */
    public float step() {
        return step(batchFor(step));
    }

    /**
     * One optimiser step (forward, loss, backward, Adam, EMA) on the given batch, in its own
     * NDManager; counts as a step of the run. Returns the loss before the update.
     */
    public float step(NoisedBatch b) {
        // grad mode off around the step (it is per thread); the collector turns it on inside
        float loss = Engines.withoutGradients(() -> trainStep(b));
        step++;
        return loss;
    }

    private float trainStep(NoisedBatch b) {
        int[] g = config.grid();
        Shape shape = new Shape(b.batch(), config.channels(), g[0], g[1], g[2]);
        try (NDManager sm = model.newStepManager()) {
            NDArray xt = model.upload(sm, b.xt(), shape);
            NDArray cond = model.upload(sm, b.cond(), shape);
            NDArray eps = model.upload(sm, b.eps(), shape);
            NDArray w = weightMap == null ? null : model.upload(sm, weightMap, new Shape(1, 1, g[0], g[1], g[2]));
            float loss;
            try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
                NDArray epsHat = model.network().predict(model.parameterStore(), xt, cond, b.t(), b.direction(), b.label(), true);
                NDArray l = EpsilonLoss.compute(epsHat, eps, w, settings.lambdaWeight());
                gc.backward(l);
                loss = l.getFloat();
            }
            adam.update(params);
            ema.update(params);
            return loss;
        }
    }

    /**
     * Trains until {@code settings.steps()} steps are done or {@code cancel} says stop (checked
     * before each step). Writes a checkpoint every {@code checkpointEvery} steps and at the end
     * under {@code checkpointDir} (null: none). Returns the steps done.
     */
    public int run(Path checkpointDir, BooleanSupplier cancel) throws Exception {
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
            if (checkpointDir != null && settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0) {
                checkpoint(checkpointDir);
                lastCheckpoint = step;
            }
            if (validation != null && settings.validateEvery() > 0 && step % settings.validateEvery() == 0) {
                listener.onValidation(step, validation.validate(this, step));
            }
        }
        if (checkpointDir != null && lastCheckpoint != step) checkpoint(checkpointDir);
        return step;
    }

    /**
     * Writes {@code dir/step-NNNNNNN} (atomically), points {@code dir/latest} at it and deletes
     * step folders beyond {@code keepCheckpoints}. Returns the step folder.
     */
    public Path checkpoint(Path dir) throws IOException {
        String name = String.format("step-%07d", step);
        Path target = dir.resolve(name);
        saveCheckpoint(target);
        NiftiFiles.writeAtomically(dir.resolve(LATEST), out -> out.write((name + "\n").getBytes(StandardCharsets.UTF_8)));
        List<Path> steps = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("step-\\d{7}") && Files.isDirectory(p)).sorted().forEach(steps::add);
        }
        for (int i = 0; i < steps.size() - settings.keepCheckpoints(); i++) Checkpoint.deleteTree(steps.get(i));
        listener.onCheckpoint(step, target);
        return target;
    }

    /** Writes a checkpoint of the current state to exactly {@code dir}. */
    public void saveCheckpoint(Path dir) throws IOException {
        Checkpoint.save(dir, model, adam, ema, new Checkpoint.State(1, step, adam.step(), ema.updates(), settings));
    }

    /** {@code dir} itself if it is a checkpoint, else the folder its {@value #LATEST} file names. */
    public static Path resolveLatest(Path dir) throws IOException {
        if (Files.exists(dir.resolve(Checkpoint.STATE))) return dir;
        Path latest = dir.resolve(LATEST);
        if (!Files.exists(latest)) throw new ParamsFile.ParamsFormatException(dir, "is not a checkpoint folder (no state.json and no 'latest' file)");
        return dir.resolve(Files.readString(latest, StandardCharsets.UTF_8).trim());
    }

    /** A model holding the current EMA weights (one instance, refreshed at each call). */
    public DiffusionModel emaModel() {
        if (emaModel == null) emaModel = model.sibling();
        emaModel.setWeights(ema.shadows());
        return emaModel;
    }

    /**
     * Mean |eps_hat - eps| of the EMA weights over {@code val}: each pair in both directions at
     * t = T/10, T/2 and 9T/10, with noise from {@code seed} (the same every call, so values
     * are comparable across steps). Labels as given (no dropout).
     */
    public double validationLoss(PairSource val, long seed) {
        DiffusionModel m = emaModel();
        int tt = config.timesteps();
        int[] ts = {tt / 10, tt / 2, 9 * tt / 10};
        double sum = 0;
        int count = 0;
        for (int i = 0; i < val.size(); i++) {
            TrainingPair p = val.get(i);
            for (int d = 0; d < 2; d++) {
                for (int t : ts) {
                    SplittableRandom r = NoisedBatch.stepRandom(seed, ((long) i * 2 + d) * 3 + t);
                    float[] x0 = p.target(d);
                    DiffusionModel.checkLength(x0, new Shape(1, config.channels(), config.grid()[0], config.grid()[1], config.grid()[2]), "subject " + p.subject());
                    double ab = m.schedule().alphaBar(t);
                    float[] eps = new float[x0.length];
                    float[] xt = new float[x0.length];
                    for (int v = 0; v < x0.length; v++) {
                        eps[v] = (float) r.nextGaussian();
                        xt[v] = (float) (Math.sqrt(ab) * x0[v] + Math.sqrt(1 - ab) * eps[v]);
                    }
                    float[] hat = m.predictNoise(xt, p.source(d), t, d, p.label());
                    float[] want = config.predictsX0() ? x0 : eps;
                    double s = 0;
                    for (int v = 0; v < hat.length; v++) s += Math.abs(hat[v] - want[v]);
                    sum += s / hat.length;
                    count++;
                }
            }
        }
        return sum / count;
    }

    @Override
    public void close() {
        adam.close();
        ema.close();
        if (emaModel != null) emaModel.close();
        if (ownsModel) model.close();
    }
}
