package org.pdsynth.workflow;

import org.pdsynth.diffusion.Checkpoint;
import org.pdsynth.diffusion.PdsStagesTest;
import org.pdsynth.diffusion.RefinerModel;
import org.pdsynth.diffusion.RefinerObjective;
import org.pdsynth.diffusion.DenoiserObjective;
import org.pdsynth.diffusion.CheckpointStore;
import org.pdsynth.diffusion.TinySetup;
import org.pdsynth.diffusion.TrainSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.volume.Atlas;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.SubjectAligner;
import org.pdsynth.volume.VolumeArrays;

/** {@code pds train} stages 1 and 2 end to end on a 4-subject NIfTI cohort on a 12^3 grid (2 steps each). */
class TrainingStagesTest {
    static final int S = 12, V = S * S * S;
    static final Grid GRID = Grid.mni(4, new long[] {S, S, S}, new double[] {20, -20, -20});

    @TempDir
    Path dir;

    Path writeCohort() throws IOException {
        Random r = new Random(3);
        float[] mask = new float[V];
        java.util.Arrays.fill(mask, 1f);
        NiftiWriter.write(dir.resolve("mask.nii.gz"), VolumeArrays.wrap(mask, S, S, S), GRID.geometry());
        Files.writeString(dir.resolve("dwi.bval"), "0 1000 1000 1000\n");
        Files.writeString(dir.resolve("dwi.bvec"), "0 1 0 0\n0 0 1 0\n0 0 0 1\n");
        List<Subject> subjects = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = "sub-" + i;
            float[] f = new float[V * 4], w = new float[V * 4];
            for (int k = 0; k < f.length; k++) {
                int x = k % S, y = (k / S) % S, z = (k / V) % S;
                f[k] = (float) (100 + 20 * Math.sin(0.5 * x + 0.3 * y + 0.2 * z + i) + r.nextGaussian());
                w[k] = (float) (500 + 80 * Math.cos(0.4 * x - 0.2 * z + i) + 5 * r.nextGaussian());
            }
            Path s = Files.createDirectories(dir.resolve(id));
            NiftiWriter.write(s.resolve("fmri.nii.gz"), VolumeArrays.wrap(f, S, S, S, 4), GRID.geometry());
            NiftiWriter.write(s.resolve("dwi.nii.gz"), VolumeArrays.wrap(w, S, S, S, 4), GRID.geometry());
            subjects.add(new Subject(id, Diagnosis.values()[i % 3], s.resolve("fmri.nii.gz"), s.resolve("dwi.nii.gz"),
                    dir.resolve("dwi.bval"), dir.resolve("dwi.bvec"), dir.resolve("mask.nii.gz")));
        }
        Path csv = dir.resolve("participants.csv");
        new Cohort(subjects).write(csv);
        return csv;
    }

    @Test
    void stagesOneAndTwoWriteAPatternAwareModelWithARefiner() throws Exception {
        Path csv = writeCohort();
        Path out = dir.resolve("model");
        ModelConfig cfg = PdsStagesTest.config(true);
        TrainSettings ts = TinySetup.settings(2).with("checkpointEvery", 1).with("lambdaWeight", 1.0);
        SubjectAligner aligner = SubjectAligner.defaults().withGrid(GRID).withSegmenter(Segmenter.defaults().withChannels(2));
        Atlas atlas = Atlas.boxes(GRID, 2, 2, 2);
        List<String> log = new ArrayList<>();
        TrainingRun.Options o = new TrainingRun.Options(csv, out, cfg, ts, 0.25, 5, false, 1, 2, aligner, atlas,
                List.of("box_0_0_0", "box_1_1_1"), List.of(1, 2), 3, null, null);
        List<TrainingRun.Validation> v = TrainingRun.run(o, log::add, null);
        assertEquals(2, v.size(), "one validation subject, both directions, with the refiner");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("loss weight map: 2 regions, 432 of 1728 voxels")), String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("pattern-aware module: 8 atlas regions")));
        assertTrue(Files.isRegularFile(out.resolve(Checkpoint.ATLAS)) && Files.isRegularFile(out.resolve(RefinerModel.FILE)));
        assertTrue(CheckpointStore.exists(out.resolve(ModelFolder.CHECKPOINTS).resolve(RefinerRun.CHECKPOINTS)));
        assertTrue(Checkpoint.readConfig(out).refiner().enabled());
        JsonObject stage2 = ModelFolder.readDescriptor(out).training().getAsJsonObject("stage2");
        assertEquals(3, stage2.get("steps_done").getAsInt());
        try (Synthesizer s = Synthesizer.load(out)) {
            assertTrue(s.refines());
            assertEquals(8, s.model().atlas().size());
        }

        // stage 2 again on the saved model, resumed from its stage-2 checkpoint: nothing left to do at 3 steps
        log.clear();
        TrainingRun.Options again = new TrainingRun.Options(csv, out, cfg, ts, 0.25, 5, true, 0, 2, aligner, null, null, List.of(2), 3, null, null);
        TrainingRun.run(again, log::add, null);
        assertTrue(log.stream().anyMatch(l -> l.equals("stage 2 resumed at step 3 from " + out.resolve("checkpoints").resolve("stage2"))),
                String.join("\n", log));

        // stage 1 of a pattern-aware config without an atlas is a clear error
        TrainingRun.Options noAtlas = new TrainingRun.Options(csv, dir.resolve("m2"), cfg, ts, 0.25, 5, false, 0, 2, aligner, null, null,
                List.of(1), 0, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.run(noAtlas, log::add, null));
        assertEquals("model config 'patternAware' is on: give an atlas (--atlas) or turn it off", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainingRun.Options(csv, out, cfg, ts, 0.25, 5, false, 0, 2, aligner,
                null, null, List.of(3), 0, null, null));
        assertFalse(Files.exists(dir.resolve("m2").resolve(RefinerModel.FILE)));
    }
}
