package org.pdsynth.diffusion;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

/**
 * How to train (the model itself is {@link org.pdsynth.model.ModelConfig}).
 *
 * @param steps           total optimiser steps of the run
 * @param batchSize       subject pairs per step (with {@link DirectionMode#BOTH} each pair is used
 *                        in both directions, so the network sees 2 x batchSize samples)
 * @param learningRate    peak Adam learning rate (default 2e-4)
 * @param warmupSteps     linear warm-up of the learning rate from 0 (default 500)
 * @param directions      direction per sample: RANDOM (one random direction per sample) or BOTH
 * @param emaDecay        EMA decay (default 0.999)
 * @param emaWarmup       EMA warm-up min(decay, (1 + n) / (10 + n)) on (default true)
 * @param checkpointEvery write a checkpoint every K steps (0 = only at the end)
 * @param keepCheckpoints number of step checkpoints kept in the checkpoint folder (default 2)
 * @param logEvery        report progress every K steps (default 10)
 * @param validateEvery   run the validation hook every K steps (0 = never)
 * @param lambdaWeight    lambda of the per-voxel loss weight (1 + lambda W) (default 0)
 * @param lossWeighting   per-noise-level weight w(t) of the stage-1 loss ({@link LossWeighting} name:
 *                        uniform (default), min_snr, min_snr_plus_one)
 * @param snrGamma        gamma of the Min-SNR weightings (default 5)
 */
public record TrainSettings(int steps, int batchSize, double learningRate, int warmupSteps, DirectionMode directions,
                            double emaDecay, boolean emaWarmup, int checkpointEvery, int keepCheckpoints,
                            int logEvery, int validateEvery, double lambdaWeight, String lossWeighting, double snrGamma) {

    /** How directions are assigned to the samples of a step. */
    public enum DirectionMode { RANDOM, BOTH }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * Settings saved before {@code lossWeighting}/{@code snrGamma} existed load as uniform, gamma 5.
     *
     * @throws IllegalArgumentException for a value out of range, naming the field
     */
    public TrainSettings {
        if (lossWeighting == null) lossWeighting = LossWeighting.UNIFORM.fieldName();
        if (snrGamma == 0) snrGamma = 5.0;
        LossWeighting.parse(lossWeighting);
        if (!(snrGamma > 0)) throw new IllegalArgumentException("snrGamma must be > 0, got " + snrGamma);
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        if (directions == null) throw new IllegalArgumentException("directions must be RANDOM or BOTH");
        if (!(emaDecay >= 0 && emaDecay < 1)) throw new IllegalArgumentException("emaDecay must be in [0, 1), got " + emaDecay);
        if (checkpointEvery < 0 || keepCheckpoints < 1 || logEvery < 1 || validateEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery/validateEvery must be >= 0, keepCheckpoints/logEvery >= 1");
        }
    }

    public static TrainSettings defaults() {
        return new TrainSettings(100_000, 2, 2e-4, 500, DirectionMode.RANDOM, Ema.DEFAULT_DECAY, true, 1000, 2, 10, 0, 0,
                LossWeighting.UNIFORM.fieldName(), 5.0);
    }

    /** A copy with one field changed, by its name (e.g. {@code with("steps", 200)}). */
    public TrainSettings with(String key, Object value) {
        JsonObject o = GSON.toJsonTree(this).getAsJsonObject();
        if (!o.has(key)) throw new IllegalArgumentException("train settings have no key '" + key + "'");
        o.add(key, GSON.toJsonTree(value));
        return GSON.fromJson(o, TrainSettings.class);
    }

    /** The typed loss weighting. */
    public LossWeighting weighting() {
        return LossWeighting.parse(lossWeighting);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static TrainSettings fromJson(String json) {
        return GSON.fromJson(json, TrainSettings.class);
    }
}
