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

import org.pdsynth.volume.Direction;
import org.pdsynth.volume.Diagnosis;
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
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(1), s)) {
            float[] r = TinySetup.overfit(trainer, trainer.objective().batchFor(0), 300);
            assertTrue(r[1] <= r[0] / 10, "loss " + r[0] + " -> " + r[1] + " after " + (int) r[2] + " steps");
            System.out.printf("overfit: loss %.4f -> %.4f in %d steps%n", r[0], r[1], (int) r[2]);
        }
    }

    @Test
    void liveArrayCountStaysFlat() {
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(3), TinySetup.settings(10))) {
            trainer.step();
            trainer.step();
            int after2 = liveArrays(model.holder().manager());
            for (int i = 0; i < 5; i++) trainer.step();
            assertEquals(after2, liveArrays(model.holder().manager()), "NDArrays leaked across steps");
            // the count does see an array left in the long-lived model manager
            model.holder().manager().zeros(new ai.djl.ndarray.types.Shape(1));
            assertEquals(after2 + 1, liveArrays(model.holder().manager()));
        }
    }

    @Test
    void resumeRepeatsTheUninterruptedRunBitForBit() throws Exception {
        TrainSettings s = TinySetup.settings(6).with("warmupSteps", 3);
        List<Float> straight = new ArrayList<>();
        float[] straightWeights;
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(3), s)) {
            for (int i = 0; i < 6; i++) straight.add(trainer.step());
            straightWeights = flat(trainer.ema().shadows());
        }
        List<Float> resumed = new ArrayList<>();
        Path ckpt = tmp.resolve("ckpt");
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(3), s.with("checkpointEvery", 3))) {
            assertEquals(3, trainer.run(ckpt, () -> trainer.stepsDone() >= 3));
        }
        assertEquals("step-0000003", Files.readString(ckpt.resolve(CheckpointStore.LATEST)).trim());
        try (Trainer<DenoiserObjective> trainer = Trainer.resumeDenoiser(ckpt, TinySetup.pairs(3), null, null)) {
            assertEquals(3, trainer.stepsDone());
            assertEquals(3, trainer.optimizer().step());
            for (int i = 3; i < 6; i++) resumed.add(trainer.step());
            assertArrayEquals(straightWeights, flat(trainer.ema().shadows()), 0f, "EMA weights after resume");
        }
        assertEquals(straight.subList(3, 6), resumed, "loss curve after resume");
    }

    @Test
    void cancelBetweenCheckpointsThenResumeGivesTheUninterruptedLossCurveInBothStages() throws Exception {
        // checkpoints every 4 steps, cancelled after step 3: the run must checkpoint where it stopped
        TrainSettings s = TinySetup.settings(6).with("warmupSteps", 2).with("checkpointEvery", 4);
        ModelConfig c = PdsStagesTest.config(false).with("labelDropout", 0.0);
        PairSource data = PdsStagesTest.pairs(2);
        List<Float> straight1 = new ArrayList<>(), straight2 = new ArrayList<>(), resumed1 = new ArrayList<>(), resumed2 = new ArrayList<>();
        try (DiffusionModel model = DiffusionModel.create(c);
             Trainer<DenoiserObjective> t1 = Trainer.denoiser(model, data, s);
             RefinerModel r = RefinerModel.create(c);
             Trainer<RefinerObjective> t2 = Trainer.refiner(model, r, data, s)) {
            for (int i = 0; i < 6; i++) {
                straight1.add(t1.step());
                straight2.add(t2.step());
            }
        }
        Path c1 = tmp.resolve("stage1"), c2 = tmp.resolve("stage2");
        try (DiffusionModel model = DiffusionModel.create(c);
             Trainer<DenoiserObjective> t1 = Trainer.denoiser(model, data, s);
             RefinerModel r = RefinerModel.create(c);
             Trainer<RefinerObjective> t2 = Trainer.refiner(model, r, data, s)) {
            // stage 2 runs against the stage-1 weights of its step in the straight run: interleave as above
            for (int i = 0; i < 3; i++) {
                t1.step();
                t2.step();
            }
            assertEquals(3, t1.run(c1, () -> true), "cancelled before any further step");
            assertEquals(3, t2.run(c2, () -> true));
        }
        assertEquals("step-0000003", Files.readString(c1.resolve(CheckpointStore.LATEST)).trim());
        assertEquals("step-0000003", Files.readString(c2.resolve(CheckpointStore.LATEST)).trim());
        try (Trainer<DenoiserObjective> t1 = Trainer.resumeDenoiser(c1, data, s, null);
             RefinerModel r = RefinerModel.create(c);
             Trainer<RefinerObjective> t2 = Trainer.refiner(t1.objective().model(), r, data, s)) {
            t2.restore(c2);
            assertEquals(3, t2.stepsDone());
            for (int i = 3; i < 6; i++) {
                resumed1.add(t1.step());
                resumed2.add(t2.step());
            }
        }
        assertEquals(straight1.subList(3, 6), resumed1, "stage-1 loss curve after resume");
        assertEquals(straight2.subList(3, 6), resumed2, "stage-2 loss curve after resume");
    }

    @Test
    void trainingOnAnotherThreadGivesTheSameRun() throws Exception {
        // Fiji runs commands on worker threads, where PyTorch's grad mode starts on
        List<Float> main = new ArrayList<>();
        float[] mainEma;
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(2), TinySetup.settings(3))) {
            for (int i = 0; i < 3; i++) main.add(trainer.step());
            mainEma = flat(trainer.ema().shadows());
        }
        Object[] other = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
                 Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(2), TinySetup.settings(3))) {
                List<Float> l = new ArrayList<>();
                l.add(trainer.step());
                int live = liveArrays(model.holder().manager());
                l.add(trainer.step());
                l.add(trainer.step());
                return new Object[] {l, flat(trainer.ema().shadows()), live, liveArrays(model.holder().manager())};
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
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(2), s)) {
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
            trainer.setValidation((t, step) -> trainer.objective().validationLoss(trainer.ema(), TinySetup.pairs(1), 5));
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
                    () -> Trainer.denoiser(model, TinySetup.pairs(1, 3, new int[] {8, 8, 8}), TinySetup.settings(1)));
            assertEquals("training data has 3 channels, the model config expects N = 2", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.denoiser(model, TinySetup.pairs(1, 2, new int[] {8, 8, 6}), TinySetup.settings(1)));
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
