package org.pdsynth.workflow;

import java.util.Locale;

/**
 * How much compute an experiment spends: network width, optimiser steps per stage, batch,
 * learning rate, and the DDIM steps of the evaluation synthesis. {@link #SMALL} is sized to
 * finish within 40 minutes on 2 CPU cores for a ~20-subject training cohort at 4 mm (3 stage-1
 * trainings, 2 refiner trainings, 4 x 2 syntheses per test subject); {@link #FULL} is the
 * paper-like setting for a machine with more cores or a GPU.
 *
 * @param name         "small" or "full"
 * @param width        first-level width of every U-Net (noise estimator and regression baseline)
 * @param steps        stage-1 optimiser steps of each network
 * @param refinerSteps stage-2 optimiser steps of each refiner
 * @param batch        subjects per step (each in a random direction)
 * @param learningRate Adam learning rate (after linear warm-up)
 * @param warmup       warm-up steps
 * @param ddimSteps    DDIM steps of each evaluation synthesis
 */
public record Budget(String name, int width, int steps, int refinerSteps, int batch, double learningRate, int warmup,
        int ddimSteps) {
    public static final Budget SMALL = new Budget("small", 8, 900, 150, 2, 1e-3, 50, 20);
    public static final Budget FULL = new Budget("full", 32, 20000, 4000, 2, 2e-4, 500, 50);

    public Budget {
        if (width < 1 || steps < 1 || refinerSteps < 1 || batch < 1 || warmup < 0 || ddimSteps < 1 || !(learningRate > 0))
            throw new IllegalArgumentException("budget values must be positive, got " + this);
    }

    /** "small" or "full" (case-insensitive); anything else is a one-line error. */
    public static Budget parse(String s) {
        return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
            case "small" -> SMALL;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("unknown budget '" + s + "' (use small or full)");
        };
    }

    /** The same budget with another number of stage-1 steps (0 keeps it). */
    public Budget withSteps(int s) {
        return s <= 0 ? this : new Budget(name, width, s, refinerSteps, batch, learningRate, warmup, ddimSteps);
    }
}
