package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.pdsynth.model.Engines;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.model.PredictionType;
import org.pdsynth.volume.Direction;

/**
 * Stage 2 (DESIGN 4.6): the refiner learns to correct the frozen denoiser's one-step estimate of
 * x0. Per sample: direction d, label y (dropped to null with the config's labelDropout, as in
 * stage 1), t uniform in 0..t_r (config {@code refiner.maxT}), eps ~ N(0, 1),
 * {@code x_t = sqrt(ab) x0 + sqrt(1 - ab) eps}, then with the frozen denoiser (no gradient)
 * {@code x0_hat = clip(a x_t + b out, -1, 1)} ({@link PredictionType#x0Coefficients}) and the
 * refiner's loss {@link RefinerLoss} against the clean target (in residual mode x0_hat is first
 * {@code clip(mu + x0_hat / s, -1, 1)}, the synthesis the refiner will see) with per-sample weight {@code 1 - gamma_t},
 * {@code gamma_t = sqrt(1 - ab)}.
 *
 * <p>With {@code refiner.inputs = sampled} the refiner instead learns to correct full syntheses
 * of the frozen denoiser (two per training pair and direction, drawn once; weight 1): what it is
 * applied to at synthesis time, rather than one-step estimates (issue 12: the one-step refiner
 * changed PSNR by less than 0.1 dB in the small experiment).
 *
 * <p>Randomness: step s draws its pairs, directions, labels, t and noise from a generator seeded
 * by (config seed, s) in a different stream from stage 1.
 */
public final class RefinerObjective implements TrainingObjective {
    private static final long STREAM = 0x5DEECE66DL;

    private final DiffusionModel denoiser;
    private final RefinerModel refiner;
    private final PairSource data;
    private final TrainSettings settings;
    private final ModelConfig config;
    private final int volumeSize;
    /** With {@code refiner.inputs = sampled}: [pair][direction code][k] syntheses of the frozen denoiser, else null. */
    private final float[][][][] sampled;
    /** Syntheses drawn per pair and direction for {@code sampled} inputs. */
    static final int SAMPLED_PER_PAIR = 2;

    /** @throws IllegalArgumentException when the data or the two configs do not fit, or the denoiser is a regression model */
    RefinerObjective(DiffusionModel denoiser, RefinerModel refiner, PairSource data, TrainSettings settings) {
        this.denoiser = denoiser;
        this.refiner = refiner;
        this.data = data;
        this.settings = settings;
        this.config = denoiser.config();
        DenoiserObjective.checkData(data, config);
        if (refiner.config().channels() != config.channels() || !refiner.config().gridZYX().equals(config.gridZYX())) {
            throw new IllegalArgumentException("refiner and denoiser configs differ in channels or grid");
        }
        volumeSize = config.channels() * config.voxels();
        sampled = ModelConfig.RefinerSettings.SAMPLED.equals(config.refiner().inputs()) ? drawSampledInputs() : null;
    }

    /**
     * The {@code sampled} inputs: for every pair, direction and k &lt; {@value #SAMPLED_PER_PAIR}, a
     * synthesis by the frozen denoiser (DDIM, {@code refiner.inputSteps} steps, null label as at
     * synthesis time, seed from (config seed, pair, direction, k)), residual prior included.
     */
    private float[][][][] drawSampledInputs() {
        float[][][][] out = new float[data.size()][2][SAMPLED_PER_PAIR][];
        for (int i = 0; i < data.size(); i++) {
            TrainingPair p = data.get(i);
            for (Direction d : Direction.values())
                for (int k = 0; k < SAMPLED_PER_PAIR; k++) {
                    Sampling.Options o = Sampling.Options.builder().optSteps(config.refiner().inputSteps())
                            .optSeed(config.seed() * 1_000_003L + ((long) i * 2 + d.code()) * SAMPLED_PER_PAIR + k).build();
                    out[i][d.code()][k] = Sampling.sample(denoiser, null, p.source(d), d, null, o, null, null).mean();
                }
        }
        return out;
    }

    @Override
    public NetworkHolder trained() {
        return refiner.holder();
    }

    /** A step's draw and the pairs it came from (sample i uses pairs[i] in direction nb.direction()[i]). */
    record Draw(NoisedBatch nb, TrainingPair[] pairs, Direction[] directions) {}

    /** One step's draw: noisy inputs for the pairs of step s (as stage 1's {@link NoisedBatch}, t in 0..t_r). */
    Draw batchFor(int s) {
        int b = settings.batchSize();
        boolean both = settings.directions() == TrainSettings.DirectionMode.BOTH;
        SplittableRandom rng = NoisedBatch.stepRandom(config.seed() ^ STREAM, s);
        NoisedBatch.Selection sel = NoisedBatch.select(data, b, both, j -> rng.nextInt(data.size()), rng);
        TrainingPair[] pairs = sel.pairs();
        Direction[] dirs = sel.directions();
        return new Draw(NoisedBatch.draw(pairs, dirs, denoiser.schedule(), denoiser.prediction(), config.labelDropout(), volumeSize, rng,
                config.refiner().maxT() + 1), pairs, dirs);
    }

    /** The frozen denoiser's clipped one-step x0 estimate of a draw, and the truth, on the device in {@code sm}. */
    private NDArray[] estimate(NDManager sm, Draw draw) {
        NoisedBatch nb = draw.nb();
        int b = nb.batch();
        Shape shape = denoiser.batchShape(b);
        float[] x0 = new float[b * volumeSize];
        boolean residual = denoiser.config().residual();
        float[] mu = residual ? new float[b * volumeSize] : null;
        float[] a = new float[b], c = new float[b], weight = new float[b];
        for (int i = 0; i < b; i++) {
            TrainingPair p = draw.pairs()[i];
            System.arraycopy(p.clean(draw.directions()[i]), 0, x0, i * volumeSize, volumeSize);
            if (residual) {
                if (p.prior() == null) throw new IllegalArgumentException("subject " + p.subject() + ": a residual-mode model needs the prior's predictions");
                System.arraycopy(p.priorMean(draw.directions()[i]), 0, mu, i * volumeSize, volumeSize);
            }
            double ab = denoiser.schedule().alphaBar(nb.t()[i]);
            double[] k = denoiser.prediction().x0Coefficients(ab);
            a[i] = (float) k[0];
            c[i] = (float) k[1];
            weight[i] = 1f - (float) Math.sqrt(1 - ab);
        }
        NetworkHolder h = refiner.holder();
        Shape per = new Shape(b, 1, 1, 1, 1);
        NDArray xt = h.upload(sm, nb.xt(), shape);
        NDArray cond = h.upload(sm, nb.cond(), shape);
        NDArray out = Engines.withoutGradients(() -> denoiser.forward(xt, cond, nb.t(), nb.direction(), nb.label(), false));
        NDArray x0hat = denoiser.prediction() == PredictionType.SAMPLE ? out
                : xt.mul(h.upload(sm, a, per)).add(out.mul(h.upload(sm, c, per)));
        x0hat = x0hat.clip(-1, 1);
        if (residual) x0hat = x0hat.div(denoiser.config().residualScale()).add(h.upload(sm, mu, shape)).clip(-1, 1);
        return new NDArray[] {x0hat.stopGradient(), cond, h.upload(sm, x0, shape), h.upload(sm, weight, new Shape(b))};
    }

    /**
     * A step's inputs with {@code sampled} inputs: pairs, directions and which stored synthesis, drawn
     * from (config seed, step); arrays {refiner input, condition, truth, weights = 1}.
     */
    private NDArray[] sampledInputs(NDManager sm, int step, int[][] directionsOut) {
        int b = settings.batchSize();
        boolean both = settings.directions() == TrainSettings.DirectionMode.BOTH;
        SplittableRandom rng = NoisedBatch.stepRandom(config.seed() ^ STREAM, step);
        int n = both ? 2 * b : b;
        float[] x = new float[n * volumeSize], c = new float[n * volumeSize], truth = new float[n * volumeSize], w = new float[n];
        int[] dirs = new int[n];
        for (int j = 0, row = 0; j < b; j++) {
            int i = rng.nextInt(data.size());
            TrainingPair p = data.get(i);
            for (int r = 0; r < (both ? 2 : 1); r++, row++) {
                Direction d = both ? Direction.ofCode(r) : Direction.ofCode(rng.nextInt(2));
                int k = rng.nextInt(SAMPLED_PER_PAIR);
                System.arraycopy(sampled[i][d.code()][k], 0, x, row * volumeSize, volumeSize);
                System.arraycopy(p.source(d), 0, c, row * volumeSize, volumeSize);
                System.arraycopy(p.clean(d), 0, truth, row * volumeSize, volumeSize);
                w[row] = 1f;
                dirs[row] = d.code();
            }
        }
        directionsOut[0] = dirs;
        NetworkHolder h = refiner.holder();
        Shape shape = denoiser.batchShape(n);
        return new NDArray[] {h.upload(sm, x, shape), h.upload(sm, c, shape), h.upload(sm, truth, shape), h.upload(sm, w, new Shape(n))};
    }

    @Override
    public Supplier<NDArray> prepare(NDManager sm, int step) {
        if (sampled != null) {
            int[][] dirs = new int[1][];
            NDArray[] e = sampledInputs(sm, step, dirs);
            return () -> RefinerLoss.compute(refiner.forward(e[0], e[1], dirs[0], true), e[2], e[3], config.refiner().lambdaMic());
        }
        Draw draw = batchFor(step);
        NDArray[] e = estimate(sm, draw);
        return () -> RefinerLoss.compute(refiner.forward(e[0], e[1], draw.nb().direction(), true), e[2], e[3], config.refiner().lambdaMic());
    }

    /** Mean L1 of the refiner's current weights (no grad) against the draw of step s; with {@code refine} false, of x0_hat itself (for tests). */
    float evaluate(int s, boolean refine) {
        return Engines.withoutGradients(() -> {
            try (NDManager sm = refiner.holder().newStepManager()) {
                int[][] dirs = new int[1][];
                NDArray[] e;
                if (sampled != null) {
                    e = sampledInputs(sm, s, dirs);
                } else {
                    Draw draw = batchFor(s);
                    e = estimate(sm, draw);
                    dirs[0] = draw.nb().direction();
                }
                NDArray r = refine ? refiner.forward(e[0], e[1], dirs[0], false) : e[0];
                return r.sub(e[2]).abs().mean().getFloat();
            }
        });
    }
}
