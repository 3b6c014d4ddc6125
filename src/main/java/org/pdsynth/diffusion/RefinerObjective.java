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

    @Override
    public Supplier<NDArray> prepare(NDManager sm, int step) {
        Draw draw = batchFor(step);
        NDArray[] e = estimate(sm, draw);
        return () -> RefinerLoss.compute(refiner.forward(e[0], e[1], draw.nb().direction(), true), e[2], e[3], config.refiner().lambdaMic());
    }

    /** Mean L1 of the refiner's current weights (no grad) against the draw of step s; with {@code refine} false, of x0_hat itself (for tests). */
    float evaluate(int s, boolean refine) {
        Draw draw = batchFor(s);
        return Engines.withoutGradients(() -> {
            try (NDManager sm = refiner.holder().newStepManager()) {
                NDArray[] e = estimate(sm, draw);
                NDArray r = refine ? refiner.forward(e[0], e[1], draw.nb().direction(), false) : e[0];
                return r.sub(e[2]).abs().mean().getFloat();
            }
        });
    }
}
