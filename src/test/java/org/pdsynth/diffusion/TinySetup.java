package org.pdsynth.diffusion;

import java.util.List;

import org.pdsynth.model.ModelConfig;
import org.pdsynth.volume.Diagnosis;

/** Tiny model configs and synthetic pairs for fast tests. */
public final class TinySetup {
    private TinySetup() {}

    /** N = 2, width 8, two levels (8 and 16), grid 8x8x8 (Z, Y, X), embedding 16. */
    public static ModelConfig config() {
        return ModelConfig.defaults()
                .with("channels", 2)
                .with("baseWidth", 8)
                .with("channelMultipliers", List.of(1, 2))
                .with("attentionHeads", 2)
                .with("groups", 4)
                .with("embeddingDim", 16)
                .with("gridZYX", List.of(8, 8, 8))
                .with("seed", 7);
    }

    public static TrainSettings settings(int steps) {
        return TrainSettings.defaults().with("steps", steps).with("batchSize", 1).with("learningRate", 1e-3)
                .with("warmupSteps", 0).with("logEvery", 1);
    }

    /** Smooth synthetic pairs in [-1, 1]: dwi is a fixed function of fmri, so the mapping is learnable. */
    public static PairSource pairs(int count, int channels, int[] zyx) {
        return new PairSource() {
            public int size() {
                return count;
            }

            public TrainingPair get(int i) {
                int vox = zyx[0] * zyx[1] * zyx[2];
                float[] f = new float[channels * vox];
                float[] d = new float[channels * vox];
                for (int c = 0; c < channels; c++)
                    for (int z = 0; z < zyx[0]; z++)
                        for (int y = 0; y < zyx[1]; y++)
                            for (int x = 0; x < zyx[2]; x++) {
                                int k = ((c * zyx[0] + z) * zyx[1] + y) * zyx[2] + x;
                                f[k] = (float) (0.8 * Math.sin(0.7 * x + 0.3 * y * (c + 1) + 0.5 * z + i));
                                d[k] = (float) (0.9 * Math.tanh(2 * f[k] - 0.2 * c) * Math.cos(0.2 * z));
                            }
                return new TrainingPair("sub-" + i, f, d, label(i % 3));
            }

            public int channels() {
                return channels;
            }

            public int[] gridZYX() {
                return zyx.clone();
            }
        };
    }

    /** The diagnosis of a label code: 0 NC, 1 MCI, 2 AD, 3 null. */
    public static Diagnosis label(int code) {
        return code == Diagnosis.NONE_CODE ? null : Diagnosis.values()[code];
    }

    public static PairSource pairs(int count) {
        return pairs(count, 2, new int[] {8, 8, 8});
    }

    /**
     * Steps {@code trainer} on one fixed batch until the loss is a tenth of the first or {@code
     * maxSteps} steps are done; returns {first loss, last loss, steps}.
     */
    static float[] overfit(Trainer<DenoiserObjective> trainer, NoisedBatch batch, int maxSteps) {
        float first = trainer.step(sm -> trainer.objective().prepare(sm, batch));
        float last = first;
        int steps = 1;
        while (steps < maxSteps && last > first / 10) {
            last = trainer.step(sm -> trainer.objective().prepare(sm, batch));
            steps++;
        }
        return new float[] {first, last, steps};
    }
}
