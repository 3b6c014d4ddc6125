package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.model.ModelConfig;

class TrainerTest extends SingleThreadTests {
    @TempDir
    Path tmp;

    @Test
    void overfitsOneFixedBatch() {
        // one pair, both directions, fixed t and noise: the loss must fall at least 10x
        TrainSettings s = TinySetup.settings(1000).with("directions", "BOTH");
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer trainer = new Trainer(model, TinySetup.pairs(1), s)) {
            float[] r = TinySetup.overfit(trainer, trainer.batchFor(0), 300);
            assertTrue(r[1] <= r[0] / 10, "loss " + r[0] + " -> " + r[1] + " after " + (int) r[2] + " steps");
            System.out.printf("overfit: loss %.4f -> %.4f in %d steps%n", r[0], r[1], (int) r[2]);
        }
    }

    @Test
    void liveArrayCountStaysFlat() {
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer trainer = new Trainer(model, TinySetup.pairs(3), TinySetup.settings(10))) {
            trainer.step();
            trainer.step();
            int after2 = liveArrays(model.manager());
            for (int i = 0; i < 5; i++) trainer.step();
            assertEquals(after2, liveArrays(model.manager()), "NDArrays leaked across steps");
            // the count does see an array left in the long-lived model manager
            model.manager().zeros(new ai.djl.ndarray.types.Shape(1));
            assertEquals(after2 + 1, liveArrays(model.manager()));
        }
    }

    @Test
    void resumeRepeatsTheUninterruptedRunBitForBit() throws Exception {
        TrainSettings s = TinySetup.settings(6).with("warmupSteps", 3);
        List<Float> straight = new ArrayList<>();
        float[] straightWeights;
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer trainer = new Trainer(model, TinySetup.pairs(3), s)) {
            for (int i = 0; i < 6; i++) straight.add(trainer.step());
            straightWeights = flat(trainer.ema().shadows());
        }
        List<Float> resumed = new ArrayList<>();
        Path ckpt = tmp.resolve("ckpt");
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer trainer = new Trainer(model, TinySetup.pairs(3), s.with("checkpointEvery", 3))) {
            assertEquals(3, trainer.run(ckpt, () -> trainer.stepsDone() >= 3));
        }
        assertEquals("step-0000003", Files.readString(ckpt.resolve(Trainer.LATEST)).trim());
        try (Trainer trainer = Trainer.resume(ckpt, TinySetup.pairs(3), null)) {
            assertEquals(3, trainer.stepsDone());
            assertEquals(3, trainer.optimizer().step());
            for (int i = 3; i < 6; i++) resumed.add(trainer.step());
            assertArrayEquals(straightWeights, flat(trainer.ema().shadows()), 0f, "EMA weights after resume");
        }
        assertEquals(straight.subList(3, 6), resumed, "loss curve after resume");
    }

    @Test
    void trainingOnAnotherThreadGivesTheSameRun() throws Exception {
        // Fiji runs commands on worker threads, where PyTorch's grad mode starts on
        List<Float> main = new ArrayList<>();
        float[] mainEma;
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer trainer = new Trainer(model, TinySetup.pairs(2), TinySetup.settings(3))) {
            for (int i = 0; i < 3; i++) main.add(trainer.step());
            mainEma = flat(trainer.ema().shadows());
        }
        Object[] other = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
                 Trainer trainer = new Trainer(model, TinySetup.pairs(2), TinySetup.settings(3))) {
                List<Float> l = new ArrayList<>();
                l.add(trainer.step());
                int live = liveArrays(model.manager());
                l.add(trainer.step());
                l.add(trainer.step());
                return new Object[] {l, flat(trainer.ema().shadows()), live, liveArrays(model.manager())};
            }
        }).get();
        assertEquals(main, other[0]);
        assertArrayEquals(mainEma, (float[]) other[1], 0f);
        assertEquals(other[2], other[3], "live arrays on the worker thread");
    }

    @Test
    void runReportsProgressAndCheckpoints() throws Exception {
        List<String> lines = new ArrayList<>();
        List<Integer> checkpoints = new ArrayList<>();
        List<Double> validations = new ArrayList<>();
        TrainSettings s = TinySetup.settings(4).with("checkpointEvery", 2).with("keepCheckpoints", 1).with("validateEvery", 4).with("logEvery", 2);
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer trainer = new Trainer(model, TinySetup.pairs(2), s)) {
            trainer.setListener(new TrainListener() {
                public void onProgress(Progress p) {
                    lines.add(p.line());
                }

                public void onCheckpoint(int step, Path dir) {
                    checkpoints.add(step);
                }

                public void onValidation(int step, double v) {
                    validations.add(v);
                }
            });
            trainer.setValidation((t, step) -> t.validationLoss(TinySetup.pairs(1), 5));
            assertEquals(4, trainer.run(tmp.resolve("run"), null));
        }
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).matches("step 4/4  loss \\d+\\.\\d{4} \\(mean \\d+\\.\\d{4}\\)  \\d+\\.\\d{2} it/s  ETA 0s"), lines.get(1));
        assertEquals(List.of(2, 4), checkpoints);
        assertEquals(1, validations.size());
        assertTrue(validations.get(0) > 0 && validations.get(0) < 2, "validation loss " + validations.get(0));
        assertTrue(Files.isDirectory(tmp.resolve("run/step-0000004")));
        assertTrue(Files.notExists(tmp.resolve("run/step-0000002")), "older checkpoints beyond keepCheckpoints are deleted");
    }

    @Test
    void dataOfTheWrongShapeIsAClearError() {
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Trainer(model, TinySetup.pairs(1, 3, new int[] {8, 8, 8}), TinySetup.settings(1)));
            assertEquals("training data has 3 channels, the model config expects N = 2", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> new Trainer(model, TinySetup.pairs(1, 2, new int[] {8, 8, 6}), TinySetup.settings(1)));
            assertEquals("training data grid (Z,Y,X) [8, 8, 6] differs from the model config 'gridZYX' [8, 8, 8]", e.getMessage());
        }
    }

    static int liveArrays(NDManager m) {
        NDManager root = m;
        while (root.getParentManager() != null && root.getParentManager() != root) root = root.getParentManager();
        return root.getManagedArrays().size();
    }

    static float[] flat(List<NDArray> arrays) {
        int n = 0;
        for (NDArray a : arrays) n += (int) a.size();
        float[] out = new float[n];
        int off = 0;
        for (NDArray a : arrays) {
            float[] f = a.toFloatArray();
            System.arraycopy(f, 0, out, off, f.length);
            off += f.length;
        }
        return out;
    }
}
