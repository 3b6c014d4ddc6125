package org.pdsynth.diffusion;

/**
 * Random-access set of training pairs on one grid (the data side implements it). The split into
 * training and validation subjects is the caller's: give the trainer one source per split.
 */
public interface PairSource {
    /** Number of pairs. */
    int size();

    /** Pair {@code i}, 0 <= i < size(); may load lazily, must return the same values each call. */
    TrainingPair get(int i);

    /** N, channels of each modality. */
    int channels();

    /** Grid (Z, Y, X) of every volume; each array holds channels() * Z * Y * X floats. */
    int[] gridZYX();
}
