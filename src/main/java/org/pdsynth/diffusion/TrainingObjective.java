package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.function.Supplier;

/**
 * What one training stage computes per step, given to the one {@link Trainer} loop: stage 1
 * ({@link DenoiserObjective}) and stage 2 ({@link RefinerObjective}) differ only here.
 */
public interface TrainingObjective {
    /** The network this objective trains (its parameters get the gradients). */
    NetworkHolder trained();

    /**
     * Prepares step {@code step}: draws its batch (from a generator seeded by the run's seed and
     * the step, so a resumed run repeats the uninterrupted one), uploads it into {@code sm} and
     * runs whatever needs no gradient (e.g. a frozen network). Called with autograd off.
     *
     * @return the loss of the step as a scalar array in {@code sm}; called once, inside the
     *     gradient collector
     */
    Supplier<NDArray> prepare(NDManager sm, int step);

    /**
     * Checks that a checkpoint folder about to be restored belongs to this stage's network.
     *
     * @throws ParamsFile.ParamsFormatException naming the file that does not fit
     */
    default void checkCheckpoint(java.nio.file.Path dir) throws java.io.IOException {}

    /** Writes what a checkpoint of this stage needs beside the weights (e.g. config, atlas) into {@code dir}. */
    default void writeCheckpointExtras(java.nio.file.Path dir) throws java.io.IOException {}
}
