package org.pdsynth.diffusion;

/** Called by the trainer every {@code validateEvery} steps; returns the value to report. */
@FunctionalInterface
public interface ValidationHook {
    double validate(Trainer<?> trainer, int step) throws Exception;
}
