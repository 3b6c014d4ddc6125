package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;

import org.pdsynth.model.Staging;

/**
 * Exponential moving average of the parameters, the weights used for sampling.
 *
 * <p>After update number n (1-based): {@code shadow = d_n * shadow + (1 - d_n) * param} with
 * {@code d_n = min(decay, (1 + n) / (10 + n))} when warm-up is on (the usual warm-up, so a short
 * run's average is not dominated by the random initial weights), else {@code d_n = decay}.
 * Default decay 0.999. Shadows start as copies of the parameters.
 */
public final class Ema implements AutoCloseable {
    /** The design's decay. */
    public static final double DEFAULT_DECAY = 0.999;

    private final double decay;
    private final boolean warmup;
    private final NDManager manager;
    private final List<NDArray> shadows = new ArrayList<>();
    private int updates;

    public Ema(List<NDArray> params, double decay, boolean warmup, NDManager parent) {
        if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + decay);
        this.decay = decay;
        this.warmup = warmup;
        manager = parent.newSubManager();
        for (NDArray p : params) {
            NDArray s = p.duplicate();
            s.attach(manager);
            shadows.add(s);
        }
    }

    /** Decay applied at update number {@code n} (1-based). */
    public double decayAt(int n) {
        return warmup ? Math.min(decay, (1.0 + n) / (10.0 + n)) : decay;
    }

    /** Moves every shadow towards its parameter. */
    public void update(List<NDArray> params) {
        if (params.size() != shadows.size()) throw new IllegalArgumentException("EMA has " + shadows.size() + " shadows, got " + params.size() + " parameters");
        updates++;
        float keep = (float) decayAt(updates);
        // s -= (1 - d) * (s - p); temporaries belong to s's manager and are closed here. The
        // factor is one float32 scalar for all parameters (what diff.muli(1 - keep) created per
        // parameter, each with its own direct buffer: see Staging)
        try (NDArray rate = Staging.scalar(manager, 1 - keep)) {
            for (int i = 0; i < shadows.size(); i++) {
                NDArray s = shadows.get(i);
                try (NDArray diff = s.sub(params.get(i))) {
                    diff.muli(rate);
                    s.subi(diff);
                }
            }
        }
    }

    /** The averaged weights in parameter order (live). */
    public List<NDArray> shadows() {
        return List.copyOf(shadows);
    }

    public int updates() {
        return updates;
    }

    /** Restores saved shadows (copied) and the update count. */
    public void restore(List<NDArray> saved, int updateCount) {
        if (saved.size() != shadows.size()) throw new IllegalArgumentException("EMA state has " + saved.size() + " arrays, expected " + shadows.size());
        for (int i = 0; i < shadows.size(); i++) replaceValues(shadows.get(i), saved.get(i));
        updates = updateCount;
    }

    /** Makes state array {@code dst} hold a copy of {@code src}'s values (a new tensor in dst's manager, on dst's device). */
    static void replaceValues(NDArray dst, NDArray src) {
        NDArray copy = dst.getDevice().equals(src.getDevice()) ? src.duplicate() : src.toDevice(dst.getDevice(), true);
        copy.attach(dst.getManager());
        dst.intern(copy);
    }

    @Override
    public void close() {
        manager.close();
    }
}
