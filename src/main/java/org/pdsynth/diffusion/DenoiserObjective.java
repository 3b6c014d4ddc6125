package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.pdsynth.model.ModelConfig;
import org.pdsynth.model.PredictionType;
import org.pdsynth.volume.Direction;

/**
 * Stage 1 (DESIGN 4.5): the denoiser learns its prediction type's target from x_t,
 * {@code L = mean((1 + lambda W) |out - target|)} ({@link DenoisingLoss}), both directions, label
 * dropout, t uniform in 0..T-1; the regression baseline ({@code ModelConfig.regression()}) learns
 * x0 from x_t = 0, t = 0.
 *
 * <p>Randomness: the pair order is a permutation per epoch seeded by (config seed, epoch); each
 * step's directions, label dropout, t and noise come from a generator seeded by (config seed,
 * step). The split into training and validation subjects is the caller's.
 */
public final class DenoiserObjective implements TrainingObjective, AutoCloseable {
    private final DiffusionModel model;
    private final PairSource data;
    private final TrainSettings settings;
    private final ModelConfig config;
    private final int volumeSize;
    private float[] weightMap;
    private long permutationEpoch = -1;
    private int[] permutation;
    private DiffusionModel emaModel;

    /** @throws IllegalArgumentException when the data does not fit the model (channels, grid) or is empty */
    DenoiserObjective(DiffusionModel model, PairSource data, TrainSettings settings) {
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.config = model.config();
        checkData(data, config);
        volumeSize = config.channels() * config.voxels();
    }

    static void checkData(PairSource data, ModelConfig config) {
        if (data.size() < 1) throw new IllegalArgumentException("training data has no pairs");
        if (data.channels() != config.channels()) {
            throw new IllegalArgumentException("training data has " + data.channels() + " channels, the model config expects N = " + config.channels());
        }
        if (!Arrays.equals(data.gridZYX(), config.grid())) {
            throw new IllegalArgumentException("training data grid (Z,Y,X) " + Arrays.toString(data.gridZYX())
                    + " differs from the model config 'gridZYX' " + config.gridZYX());
        }
    }

    @Override
    public NetworkHolder trained() {
        return model.holder();
    }

    public DiffusionModel model() {
        return model;
    }

    /**
     * Per-voxel weight map W (Z, Y, X), x fastest, for the loss (1 + lambdaWeight W); null = none.
     *
     * @throws IllegalArgumentException when its size is not the model grid's
     */
    public void setWeightMap(float[] zyx) {
        if (zyx != null && zyx.length != config.voxels()) {
            throw new IllegalArgumentException("weight map has " + zyx.length + " voxels, the model grid has " + config.voxels());
        }
        weightMap = zyx == null ? null : zyx.clone();
    }

    /** The inputs step {@code s} (0-based) draws; depends only on the config seed, s and the data. */
    public NoisedBatch batchFor(int s) {
        int b = settings.batchSize();
        boolean both = settings.directions() == TrainSettings.DirectionMode.BOTH;
        SplittableRandom rng = NoisedBatch.stepRandom(config.seed(), s);
        NoisedBatch.Selection sel = NoisedBatch.select(data, b, both, j -> pairIndex((long) s * b + j), rng);
        TrainingPair[] pairs = sel.pairs();
        Direction[] dirs = sel.directions();
        if (config.regression()) return NoisedBatch.regression(pairs, dirs, config.labelDropout(), volumeSize, rng);
        return NoisedBatch.draw(pairs, dirs, model.schedule(), model.prediction(), config.labelDropout(), volumeSize, rng,
                model.schedule().timesteps());
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

    @Override
    public Supplier<NDArray> prepare(NDManager sm, int step) {
        return prepare(sm, batchFor(step));
    }

    /** As {@link #prepare(NDManager, int)} for a given batch (tests overfit one batch with it). */
    public Supplier<NDArray> prepare(NDManager sm, NoisedBatch b) {
        NetworkHolder h = model.holder();
        int[] g = config.grid();
        Shape shape = model.batchShape(b.batch());
        NDArray xt = h.upload(sm, b.xt(), shape);
        NDArray cond = h.upload(sm, b.cond(), shape);
        NDArray target = h.upload(sm, b.target(), shape);
        NDArray w = weightMap == null ? null : h.upload(sm, weightMap, new Shape(1, 1, g[0], g[1], g[2]));
        NDArray perSample = null;
        LossWeighting lw = settings.weighting();
        if (lw != LossWeighting.UNIFORM && !config.regression()) {
            float[] ws = new float[b.batch()];
            for (int i = 0; i < ws.length; i++) ws[i] = (float) lw.weight(model.schedule().snr(b.t()[i]), model.prediction(), settings.snrGamma());
            perSample = h.upload(sm, ws, new Shape(b.batch(), 1, 1, 1, 1));
        }
        NDArray sw = perSample;
        return () -> DenoisingLoss.compute(model.forward(xt, cond, b.t(), b.direction(), b.label(), true), target, w, settings.lambdaWeight(), sw);
    }

    @Override
    public void writeCheckpointExtras(Path dir) throws IOException {
        Files.writeString(dir.resolve(Checkpoint.CONFIG), config.toJson(), StandardCharsets.UTF_8);
        Checkpoint.writeAtlas(dir, model);
    }

    @Override
    public void checkCheckpoint(Path dir) throws IOException {
        if (!Checkpoint.readConfig(dir).toJson().equals(config.toJson())) {
            throw new ParamsFile.ParamsFormatException(dir.resolve(Checkpoint.CONFIG), "differs from the config of the model being resumed");
        }
    }

    /** A model holding {@code ema}'s weights (one instance, refreshed at each call, closed with this objective). */
    public DiffusionModel emaModel(Ema ema) {
        if (emaModel == null) emaModel = model.sibling();
        emaModel.holder().setWeights(ema.shadows());
        return emaModel;
    }

    /**
     * Mean |out - target| of the {@code ema} weights over {@code val}: each pair in both directions
     * at t = T/10, T/2 and 9T/10, with noise from {@code seed} (the same every call, so values
     * are comparable across steps). Labels as given (no dropout).
     */
    public double validationLoss(Ema ema, PairSource val, long seed) {
        DiffusionModel m = emaModel(ema);
        int tt = config.timesteps();
        int[] ts = {tt / 10, tt / 2, 9 * tt / 10};
        PredictionType type = m.prediction();
        double sum = 0;
        int count = 0;
        for (int i = 0; i < val.size(); i++) {
            TrainingPair p = val.get(i);
            for (Direction d : Direction.values()) {
                for (int t : ts) {
                    SplittableRandom r = NoisedBatch.stepRandom(seed, ((long) i * 2 + d.code()) * 3 + t);
                    float[] x0 = p.target(d);
                    NetworkHolder.checkLength(x0, m.batchShape(1), "subject " + p.subject());
                    double ab = m.schedule().alphaBar(t);
                    double[] k = type.targetCoefficients(ab);
                    float[] want = new float[x0.length];
                    float[] xt = new float[x0.length];
                    for (int v = 0; v < x0.length; v++) {
                        float e = (float) r.nextGaussian();
                        xt[v] = (float) (Math.sqrt(ab) * x0[v] + Math.sqrt(1 - ab) * e);
                        want[v] = (float) (k[0] * x0[v] + k[1] * e);
                    }
                    float[] hat = m.predict(xt, p.source(d), t, d, p.label());
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
        if (emaModel != null) emaModel.close();
    }
}
