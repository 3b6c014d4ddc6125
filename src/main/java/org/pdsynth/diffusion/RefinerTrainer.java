package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import org.pdsynth.model.ModelConfig;
import org.pdsynth.nifti.NiftiFiles;

/**
 * Stage-2 training (DESIGN 4.6): the refiner learns to correct the frozen noise estimator's
 * one-step estimate of x0. Per sample: direction d, label y (dropped to null with the config's
 * labelDropout, as in stage 1), t uniform in 0..t_r (config {@code refiner.maxT}), eps ~ N(0, 1),
 * {@code x_t = sqrt(ab) x0 + sqrt(1 - ab) eps}, then with the frozen estimator (no gradient)
 * {@code x0_hat = clip((x_t - sqrt(1 - ab) eps_hat) / sqrt(ab), -1, 1)} (or the network's own x0
 * output, clipped, for the {@code x0} objective), and the refiner's
 * loss {@link RefinerLoss} with per-sample weight 1 - gamma_t, gamma_t = sqrt(1 - ab).
 * Adam with warm-up and an EMA of the refiner's weights (the weights saved for sampling).
 *
 * <p>Randomness: step s draws its pairs, directions, labels, t and noise from a generator
 * seeded by (config seed, s) (a different stream from stage 1); a resumed run repeats the
 * uninterrupted one. One NDManager scope per step.
 */
public final class RefinerTrainer implements AutoCloseable {
    /** Files of a stage-2 checkpoint folder. */
    static final String RAW = "refiner-model.params", EMA_FILE = "refiner-ema.params", ADAM = "refiner-adam.params",
            STATE = "refiner-state.json";
    private static final long STREAM = 0x5DEECE66DL;
    private static final Gson GSON = new Gson();

    private final DiffusionModel eps;
    private final RefinerModel refiner;
    private final PairSource data;
    private final TrainSettings settings;
    private final ModelConfig config;
    private final AdamOptimizer adam;
    private final Ema ema;
    private final List<NDArray> params;
    private final int volumeSize;
    private TrainListener listener = new TrainListener() {};
    private int step;

    /**
     * @param eps      the stage-1 noise estimator (its EMA weights); never updated here
     * @param refiner  the refiner to train (the caller keeps ownership of both models)
     * @param settings steps, batch, learning rate, warm-up, EMA, directions, logging, checkpoints
     */
    public RefinerTrainer(DiffusionModel eps, RefinerModel refiner, PairSource data, TrainSettings settings) {
        this.eps = eps;
        this.refiner = refiner;
        this.data = data;
        this.settings = settings;
        this.config = eps.config();
        if (data.size() < 1) throw new IllegalArgumentException("training data has no pairs");
        if (data.channels() != config.channels() || !java.util.Arrays.equals(data.gridZYX(), config.grid())) {
            throw new IllegalArgumentException("training data (" + data.channels() + " channels, grid " + java.util.Arrays.toString(data.gridZYX())
                    + ") does not fit the model (N = " + config.channels() + ", gridZYX " + config.gridZYX() + ")");
        }
        if (refiner.config().channels() != config.channels() || !refiner.config().gridZYX().equals(config.gridZYX())) {
            throw new IllegalArgumentException("refiner and noise estimator configs differ in channels or grid");
        }
        volumeSize = config.channels() * config.voxels();
        params = refiner.parameterArrays();
        adam = new AdamOptimizer(params, settings.learningRate(), settings.warmupSteps(), refiner.manager());
        ema = new Ema(params, settings.emaDecay(), settings.emaWarmup(), refiner.manager());
    }

    public void setListener(TrainListener listener) {
        this.listener = listener == null ? new TrainListener() {} : listener;
    }

    public int stepsDone() {
        return step;
    }

    public Ema ema() {
        return ema;
    }

    public RefinerModel refiner() {
        return refiner;
    }

    public TrainSettings settings() {
        return settings;
    }

    /** A step's draw and the pairs it came from (sample i uses pairs[i] in direction nb.direction()[i]). */
    record Draw(NoisedBatch nb, TrainingPair[] pairs) {}

    /** One step's draw: noisy inputs for the pairs of step s (as stage 1's {@link NoisedBatch}, t in 0..t_r). */
    Draw batchFor(int s) {
        int b = settings.batchSize();
        boolean both = settings.directions() == TrainSettings.DirectionMode.BOTH;
        SplittableRandom rng = NoisedBatch.stepRandom(config.seed() ^ STREAM, s);
        int n = both ? 2 * b : b;
        TrainingPair[] pairs = new TrainingPair[n];
        int[] dirs = new int[n];
        for (int j = 0; j < b; j++) {
            TrainingPair p = data.get(rng.nextInt(data.size()));
            if (both) {
                pairs[2 * j] = p;
                pairs[2 * j + 1] = p;
                dirs[2 * j + 1] = 1;
            } else {
                pairs[j] = p;
                dirs[j] = rng.nextInt(2);
            }
        }
        return new Draw(NoisedBatch.draw(pairs, dirs, eps.schedule(), config.labelDropout(), volumeSize, rng, config.refiner().maxT() + 1), pairs);
    }

    /** One optimiser step on the next batch; returns the loss before the update. */
    public float step() {
        Draw draw = batchFor(step);
        NoisedBatch nb = draw.nb();
        int b = nb.batch();
        int[] g = config.grid();
        Shape shape = new Shape(b, config.channels(), g[0], g[1], g[2]);
        float[] x0 = new float[b * volumeSize];
        float[] sqrtAb = new float[b], sqrt1mAb = new float[b], weight = new float[b];
        TrainingPair[] pairs = draw.pairs();
        for (int i = 0; i < b; i++) {
            System.arraycopy(pairs[i].target(nb.direction()[i]), 0, x0, i * volumeSize, volumeSize);
            double ab = eps.schedule().alphaBar(nb.t()[i]);
            sqrtAb[i] = (float) Math.sqrt(ab);
            sqrt1mAb[i] = (float) Math.sqrt(1 - ab);
            weight[i] = 1f - sqrt1mAb[i];
        }
        float loss;
        try (NDManager sm = refiner.manager().newSubManager()) {
            NDArray xt = sm.create(nb.xt(), shape);
            NDArray cond = sm.create(nb.cond(), shape);
            Shape per = new Shape(b, 1, 1, 1, 1);
            NDArray epsHat = eps.network().predict(eps.parameterStore(), xt, cond, nb.t(), nb.direction(), nb.label(), false);
            NDArray x0hat = (eps.config().predictsX0() ? epsHat : xt.sub(epsHat.mul(sm.create(sqrt1mAb, per))).div(sm.create(sqrtAb, per)))
                    .clip(-1, 1).stopGradient();
            NDArray truth = sm.create(x0, shape);
            NDArray w = sm.create(weight, new Shape(b));
            try (GradientCollector gc = sm.getEngine().newGradientCollector()) {
                NDArray r = refiner.network().refine(refiner.parameterStore(), x0hat, cond, nb.direction(), true);
                NDArray l = RefinerLoss.compute(r, truth, w, config.refiner().lambdaMic());
                gc.backward(l);
                loss = l.getFloat();
            }
            adam.update(params);
            ema.update(params);
        }
        step++;
        return loss;
    }

    /**
     * Trains until {@code settings.steps()} steps or {@code cancel}; checkpoints every
     * {@code checkpointEvery} steps and at the end into {@code checkpointDir} (null: none).
     */
    public int run(Path checkpointDir, BooleanSupplier cancel) throws IOException {
        long since = System.nanoTime();
        int sinceStep = step;
        double lossSum = 0;
        int last = -1;
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
                saveCheckpoint(checkpointDir);
                last = step;
            }
        }
        if (checkpointDir != null && last != step) saveCheckpoint(checkpointDir);
        return step;
    }

    /** Writes raw weights, EMA, Adam moments and the step counter into {@code dir} (state file last). */
    public void saveCheckpoint(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> names = refiner.parameterNames();
        ParamsFile.write(dir.resolve(RAW), RefinerModel.KIND, names, params);
        ParamsFile.write(dir.resolve(EMA_FILE), RefinerModel.KIND, names, ema.shadows());
        List<String> optNames = new ArrayList<>();
        List<NDArray> opt = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            optNames.add("m/" + names.get(i));
            opt.add(adam.means().get(i));
        }
        for (int i = 0; i < names.size(); i++) {
            optNames.add("v/" + names.get(i));
            opt.add(adam.variances().get(i));
        }
        ParamsFile.write(dir.resolve(ADAM), "adam", optNames, opt);
        JsonObject o = new JsonObject();
        o.addProperty("step", step);
        o.addProperty("optimizerSteps", adam.step());
        o.addProperty("emaUpdates", ema.updates());
        byte[] bytes = GSON.toJson(o).getBytes(StandardCharsets.UTF_8);
        NiftiFiles.writeAtomically(dir.resolve(STATE), out -> out.write(bytes));
        listener.onCheckpoint(step, dir);
    }

    /** True when {@code dir} holds a stage-2 checkpoint. */
    public static boolean hasCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(STATE));
    }

    /** Restores a checkpoint written by {@link #saveCheckpoint} (same refiner config). */
    public void restore(Path dir) throws IOException {
        JsonObject o;
        try {
            o = GSON.fromJson(Files.readString(dir.resolve(STATE), StandardCharsets.UTF_8), JsonObject.class);
        } catch (RuntimeException e) {
            throw new ParamsFile.ParamsFormatException(dir.resolve(STATE), "is not a stage-2 checkpoint state: " + e.getMessage());
        }
        List<String> names = refiner.parameterNames();
        List<Shape> shapes = refiner.shapes();
        try (NDManager tmp = refiner.manager().newSubManager()) {
            refiner.setWeights(ParamsFile.read(dir.resolve(RAW), RefinerModel.KIND, names, shapes, tmp));
            ema.restore(ParamsFile.read(dir.resolve(EMA_FILE), RefinerModel.KIND, names, shapes, tmp), o.get("emaUpdates").getAsInt());
            List<String> optNames = new ArrayList<>();
            for (String n : names) optNames.add("m/" + n);
            for (String n : names) optNames.add("v/" + n);
            List<Shape> optShapes = new ArrayList<>(shapes);
            optShapes.addAll(shapes);
            List<NDArray> a = ParamsFile.read(dir.resolve(ADAM), "adam", optNames, optShapes, tmp);
            adam.restore(a.subList(0, names.size()), a.subList(names.size(), 2 * names.size()), o.get("optimizerSteps").getAsInt());
        }
        step = o.get("step").getAsInt();
    }

    /** Writes the refiner's EMA weights as the model folder's {@value RefinerModel#FILE}. */
    public void writeWeights(Path modelFolder) throws IOException {
        ParamsFile.write(modelFolder.resolve(RefinerModel.FILE), RefinerModel.KIND, refiner.parameterNames(), ema.shadows());
    }

    /** Mean per-sample loss of the refiner's current weights (no grad) against the batch of step s; for tests. */
    float evaluate(int s, boolean refine) {
        Draw draw = batchFor(s);
        NoisedBatch nb = draw.nb();
        int b = nb.batch();
        int[] g = config.grid();
        Shape shape = new Shape(b, config.channels(), g[0], g[1], g[2]);
        try (NDManager sm = refiner.manager().newSubManager()) {
            float[] x0 = new float[b * volumeSize];
            float[] sa = new float[b], sb = new float[b];
            for (int i = 0; i < b; i++) {
                System.arraycopy(draw.pairs()[i].target(nb.direction()[i]), 0, x0, i * volumeSize, volumeSize);
                double ab = eps.schedule().alphaBar(nb.t()[i]);
                sa[i] = (float) Math.sqrt(ab);
                sb[i] = (float) Math.sqrt(1 - ab);
            }
            Shape per = new Shape(b, 1, 1, 1, 1);
            NDArray xt = sm.create(nb.xt(), shape);
            NDArray cond = sm.create(nb.cond(), shape);
            NDArray epsHat = eps.network().predict(eps.parameterStore(), xt, cond, nb.t(), nb.direction(), nb.label(), false);
            NDArray x0hat = (eps.config().predictsX0() ? epsHat : xt.sub(epsHat.mul(sm.create(sb, per))).div(sm.create(sa, per))).clip(-1, 1);
            NDArray r = refine ? refiner.network().refine(refiner.parameterStore(), x0hat, cond, nb.direction(), false) : x0hat;
            return r.sub(sm.create(x0, shape)).abs().mean().getFloat();
        }
    }

    @Override
    public void close() {
        adam.close();
        ema.close();
    }
}
