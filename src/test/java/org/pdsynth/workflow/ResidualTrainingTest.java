package org.pdsynth.workflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.diffusion.Checkpoint;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.VolumeArrays;

/** Residual mode end to end: a regression prior, a diffusion model over it (both stages), its folder and synthesis. */
class ResidualTrainingTest {
    @TempDir
    Path dir;

    @Test
    void trainsOverARegressionPriorKeepsItInTheFolderAndSynthesizes() throws Exception {
        Path csv = TinyCohort.write(dir.resolve("cohort"), 4);
        TrainingRun.Options base = TrainSynthesizeEndToEndTest.options(csv, dir.resolve("prior"), 3, false);
        TrainingRun.run(new TrainingRun.Options(csv, base.out(), base.config().with("regression", true), base.settings(), 0.25, 3, false,
                0, 2, base.aligner()), l -> {}, null);
        Path model = dir.resolve("model");
        List<String> log = new ArrayList<>();
        TrainingRun.run(new TrainingRun.Options(csv, model, base.config(), base.settings(), 0.25, 3, false, 1, 2, base.aligner(),
                null, null, List.of(1, 2), 2, null, base.out()), log::add, null);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("residual mode: prior ")), String.join("\n", log));
        ModelConfig cfg = Checkpoint.readConfig(model);
        assertTrue(cfg.residual() && cfg.residualScale() > 0, cfg.toJson());
        assertTrue(Files.isRegularFile(model.resolve("prior").resolve(ModelFolder.DESCRIPTOR)), "the prior travels with the model");
        Path in = csv.getParent().resolve("sub-01").resolve("fmri.nii.gz");
        Sampling.Options o = Sampling.Options.builder().optSteps(3).optSamples(2).optSeed(5).build();
        try (Synthesizer s = Synthesizer.load(model)) {
            assertTrue(s.refines());
            Synthesizer.Output mean = s.synthesize(new Synthesizer.Request(Modality.FMRI, in, null, null, null, null, null, o), null, null);
            Synthesizer.Output one = s.synthesize(new Synthesizer.Request(Modality.FMRI, in, null, null, null, null, null,
                    o.toBuilder().optOutput(Sampling.Output.SAMPLE).build()), null, null);
            Synthesizer.Output first = s.synthesize(new Synthesizer.Request(Modality.FMRI, in, null, null, null, null, null,
                    o.withSamples(1)), null, null);
            float[] m = VolumeArrays.copyOf(mean.mean().data()), a = VolumeArrays.copyOf(one.mean().data());
            assertArrayEquals(VolumeArrays.copyOf(first.mean().data()), a, 0f, "output=sample is sample 0 of the same draw");
            assertEquals(VolumeArrays.copyOf(mean.std().data()).length, VolumeArrays.copyOf(one.std().data()).length);
            assertArrayEquals(VolumeArrays.copyOf(mean.std().data()), VolumeArrays.copyOf(one.std().data()), 0f, "the std is over all samples either way");
            for (float v : m) assertTrue(Float.isFinite(v));
        }
        // a copy of the model folder takes its prior along
        Path copy = dir.resolve("copy");
        ModelFolder.copy(model, copy);
        try (Synthesizer s = Synthesizer.load(copy)) {
            assertTrue(s.model().prior() != null);
        }
    }
}
