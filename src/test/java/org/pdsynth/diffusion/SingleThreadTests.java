package org.pdsynth.diffusion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pdsynth.model.Engines;

/**
 * Base of the tiny-model tests: PyTorch runs with one intra-op thread while they run.
 *
 * <p>Why: (1) PyTorch's CPU kernels are bit-reproducible with one thread; with two, runs
 * occasionally differ in the last bits (measured: the same 60 tiny training steps ended at loss
 * 0.427158117 in most runs and 0.4248 or 0.4299 in some), which the exact resume and determinism
 * checks would catch as false failures. (2) Tiny tensors gain nothing from two threads, and on a
 * busy machine each OpenMP barrier can wait a whole scheduler slice, making them many times
 * slower.
 */
abstract class SingleThreadTests {
    private static int before;

    @BeforeAll
    static void oneThread() {
        Engines.pytorch();
        before = Engines.threads();
        Engines.setThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        Engines.setThreads(before);
    }
}
