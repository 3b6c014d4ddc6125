package org.pdsynth.diffusion;

import java.nio.file.Path;
import java.time.Duration;

/** Receives training progress; every method has an empty default. Called on the training thread. */
public interface TrainListener {
    /**
     * Progress after a step.
     *
     * @param step       steps done (1-based count)
     * @param totalSteps steps of the run
     * @param loss       loss of this step
     * @param meanLoss   mean loss since the previous report
     * @param itPerSec   steps per second over the steps since the previous report
     * @param eta        estimated time to the end of the run
     */
    record Progress(int step, int totalSteps, double loss, double meanLoss, double itPerSec, Duration eta) {
        /** One line: {@code step 120/5000  loss 0.0812 (mean 0.0850)  0.52 it/s  ETA 2h36m}. */
        public String line() {
            long s = eta.getSeconds();
            String etaText = s >= 3600 ? (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60)
                    : s >= 60 ? (s / 60) + "m" + String.format("%02ds", s % 60) : s + "s";
            return String.format(java.util.Locale.ROOT, "step %d/%d  loss %.4f (mean %.4f)  %.2f it/s  ETA %s",
                    step, totalSteps, loss, meanLoss, itPerSec, etaText);
        }
    }

    default void onProgress(Progress p) {}

    default void onCheckpoint(int step, Path dir) {}

    default void onValidation(int step, double value) {}
}
