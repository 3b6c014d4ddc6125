package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.pdsynth.volume.Direction;
import org.pdsynth.volume.Diagnosis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest extends SingleThreadTests {
    @TempDir
    Path tmp;
    Path ckpt;
    float[] xt;
    float[] cond;

    @BeforeEach
    void trainTwoStepsAndSave() throws IOException {
        ckpt = tmp.resolve("ckpt");
        PairSource data = TinySetup.pairs(2);
        TrainingPair p = data.get(1);
        xt = p.dwi();
        cond = p.fmri();
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, data, TinySetup.settings(2))) {
            trainer.step();
            trainer.step();
            trainer.saveCheckpoint(ckpt);
            expectedRaw = model.predict(xt, cond, 321, Direction.FMRI_TO_DWI, Diagnosis.AD);
            expectedEma = trainer.objective().emaModel(trainer.ema()).predict(xt, cond, 321, Direction.FMRI_TO_DWI, Diagnosis.AD);
        }
    }

    float[] expectedRaw;
    float[] expectedEma;

    @Test
    void saveThenLoadGivesIdenticalOutputs() throws IOException {
        assertTrue(Arrays.stream(box(expectedRaw)).anyMatch(v -> v != 0f), "trained model predicts something");
        try (DiffusionModel raw = Checkpoint.loadModel(ckpt, false, null); DiffusionModel ema = Checkpoint.loadModel(ckpt, true, null)) {
            assertArrayEquals(expectedRaw, raw.predict(xt, cond, 321, Direction.FMRI_TO_DWI, Diagnosis.AD), 0f);
            assertArrayEquals(expectedEma, ema.predict(xt, cond, 321, Direction.FMRI_TO_DWI, Diagnosis.AD), 0f);
        }
        assertEquals(2, Checkpoint.readState(ckpt).step());
        assertEquals(TinySetup.config(), Checkpoint.readConfig(ckpt));
        // no temporary folders left beside the checkpoint
        try (var s = Files.list(tmp)) {
            assertEquals(List.of("ckpt"), s.map(q -> q.getFileName().toString()).toList());
        }
    }

    @Test
    void truncatedParamsIsAOneLineErrorNamingTheFile() throws IOException {
        Path f = ckpt.resolve(Checkpoint.MODEL);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 100));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.loadModel(ckpt, false, null));
        assertEquals(f + ": is truncated (" + (all.length - 100) + " bytes, no end marker)", e.getMessage());
        Files.write(f, Arrays.copyOf(all, 5));
        e = assertThrows(IOException.class, () -> Checkpoint.loadModel(ckpt, false, null));
        assertTrue(e.getMessage().startsWith(f + ": is not a PDS parameter file"), e.getMessage());
    }

    @Test
    void corruptOrForeignParamsAreRefused() throws IOException {
        Path f = ckpt.resolve(Checkpoint.MODEL);
        byte[] all = Files.readAllBytes(f);
        all[all.length / 2] ^= 0x55;
        Files.write(f, all);
        assertEquals(f + ": is corrupt (checksum mismatch)",
                assertThrows(IOException.class, () -> Checkpoint.loadModel(ckpt, false, null)).getMessage());
        // a DJL-style file (DJL@ magic) is not ours
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(f))) {
            out.writeBytes("DJL@");
            out.writeInt(1);
            out.writeUTF("other");
        }
        assertEquals(f + ": is not a PDS parameter file (no PDSPARAM signature; a DJL or other .params file?)",
                assertThrows(IOException.class, () -> Checkpoint.loadModel(ckpt, false, null)).getMessage());
    }

    @Test
    void paramsOfAnotherArchitectureAreRefused() throws IOException {
        Path other = tmp.resolve("other");
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config().with("baseWidth", 16));
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(1), TinySetup.settings(1))) {
            trainer.saveCheckpoint(other);
        }
        Files.copy(other.resolve(Checkpoint.EMA), ckpt.resolve(Checkpoint.EMA), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.loadModel(ckpt, true, null));
        assertTrue(e.getMessage().startsWith(ckpt.resolve(Checkpoint.EMA) + ": '"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(made for another model config)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    private static Float[] box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i];
        return b;
    }
}
