package org.pdsynth.workflow;

import org.pdsynth.diffusion.Checkpoint;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.diffusion.TrainSettings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.SubjectAligner;

/**
 * pds train then pds synthesize, on a tiny generated cohort: the whole path from files to files.
 * Single-threaded (as diffusion's SingleThreadTests: PyTorch's CPU kernels are bit-reproducible
 * with one thread, with two runs occasionally differ in the last bits): its exact resume and
 * same-seed checks hold bit for bit only with one PyTorch thread.
 */
class TrainSynthesizeEndToEndTest {
    @TempDir
    Path dir;

    private static int threadsBefore;

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        org.pdsynth.model.Engines.pytorch();
        threadsBefore = org.pdsynth.model.Engines.threads();
        org.pdsynth.model.Engines.setThreads(1);
    }

    @org.junit.jupiter.api.AfterAll
    static void restoreThreads() {
        org.pdsynth.model.Engines.setThreads(threadsBefore);
    }

    static TrainingRun.Options options(Path csv, Path out, int steps, boolean resume) {
        ModelConfig cfg = ModelConfig.defaults().with("baseWidth", 8).with("channelMultipliers", List.of(1, 2))
                .with("embeddingDim", 16).with("attentionHeads", 2).with("channels", 4);
        TrainSettings ts = TrainSettings.defaults().with("steps", steps).with("batchSize", 1).with("warmupSteps", 1)
                .with("checkpointEvery", 2).with("logEvery", 1);
        SubjectAligner aligner = SubjectAligner.defaults().withGrid(TinyCohort.MODEL).withSegmenter(Segmenter.defaults().withChannels(4));
        return new TrainingRun.Options(csv, out, cfg, ts, 0.25, 3, resume, 1, 2, aligner);
    }

    @Test
    void trainThenSynthesizeBothDirectionsOnTheInputGrid() throws Exception {
        Path csv = TinyCohort.write(dir.resolve("cohort"), 4);
        Path model = dir.resolve("model");
        StringBuilder log = new StringBuilder();
        List<TrainingRun.Validation> v = TrainingRun.run(options(csv, model, 3, false), l -> log.append(l).append('\n'), null);
        assertEquals(2, v.size(), "one held-out subject, both directions");
        assertTrue(log.toString().contains("step 3/3"), log.toString());
        for (String f : ModelFolder.samplingFiles()) assertTrue(Files.isRegularFile(model.resolve(f)), f);
        ModelFolder.Descriptor d = ModelFolder.readDescriptor(model);
        JsonObject training = d.training();
        assertEquals(3, training.get("steps_done").getAsInt());
        assertEquals(1, training.getAsJsonArray("validation_subjects").size());
        assertTrue(training.getAsJsonObject("validation").has("fmri->dwi"));

        // resume continues the saved run to more steps
        TrainingRun.run(options(csv, model, 5, true), l -> {}, null);
        assertEquals(5, ModelFolder.readDescriptor(model).training().get("steps_done").getAsInt());

        Path in = dir.resolve("cohort/sub-01");
        try (Synthesizer s = Synthesizer.load(model)) {
            Sampling.Options o = Sampling.Options.defaults().withSteps(3).withSamples(2).withSeed(5);
            Synthesizer.Output dwi = s.synthesize(new Synthesizer.Request(Modality.FMRI, in.resolve("fmri.nii.gz"), null, null, null, null,
                    null, o), null, null);
            Path out = dir.resolve("out/dwi_synth.nii.gz");
            Synthesizer.write(dwi, out);
            NiftiImage back = NiftiReader.read(out);
            assertArrayEquals(new long[] {20, 18, 16, 4}, back.header().shape(), "N channels on the input's grid");
            assertArrayEquals(TinyCohort.NATIVE.geometry().affine(), back.geometry().affine(), 1e-4);
            assertTrue(Files.isRegularFile(dir.resolve("out/dwi_synth_std.nii.gz")), "std beside the mean when samples > 1");
            // the other direction, on a --like grid
            Synthesizer.Output fmri = s.synthesize(new Synthesizer.Request(Modality.DWI, in.resolve("dwi.nii.gz"), in.resolve("dwi.bval"),
                    in.resolve("dwi.bvec"), null, in.resolve("fmri.nii.gz"), null, o.withSamples(1)), null, null);
            assertEquals(Modality.FMRI, fmri.target());
            assertEquals(null, fmri.std());
            assertArrayEquals(new long[] {20, 18, 16, 4}, fmri.mean().data().dimensionsAsLongArray());
            // eta = 0: the same seed gives the same volume
            Synthesizer.Output again = s.synthesize(new Synthesizer.Request(Modality.FMRI, in.resolve("fmri.nii.gz"), null, null, null, null,
                    null, o), null, null);
            assertArrayEquals(org.pdsynth.volume.VolumeArrays.copyOf(dwi.mean().data()), org.pdsynth.volume.VolumeArrays.copyOf(again.mean().data()));
        }
    }

    @Test
    void badModelFoldersAndRequestsFailClearlyAndWriteNothing() throws Exception {
        Path csv = TinyCohort.write(dir.resolve("cohort"), 4);
        Path model = dir.resolve("model");
        TrainingRun.run(options(csv, model, 1, false), l -> {}, null);
        Path in = dir.resolve("cohort/sub-01");
        assertThrows(IllegalArgumentException.class, () -> new Synthesizer.Request(Modality.DWI, in.resolve("dwi.nii.gz"), null, null,
                null, null, null, Sampling.Options.defaults()), "a DWI input without bval/bvec");
        IOException notModel = assertThrows(IOException.class, () -> Synthesizer.load(dir.resolve("cohort")));
        assertTrue(notModel.getMessage().contains(ModelFolder.DESCRIPTOR), notModel.getMessage());
        // a truncated weights file
        Path ema = model.resolve(Checkpoint.EMA);
        byte[] b = Files.readAllBytes(ema);
        Files.write(ema, java.util.Arrays.copyOf(b, b.length / 2));
        IOException trunc = assertThrows(IOException.class, () -> Synthesizer.load(model));
        assertTrue(trunc.getMessage().contains("ema.params"), trunc.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void cohortCompletionFillsMissingModalitiesByShardAndRestarts() throws Exception {
        Path csv = TinyCohort.write(dir.resolve("cohort"), 4);
        Path model = dir.resolve("model");
        TrainingRun.run(options(csv, model, 1, false), l -> {}, null);
        // a manifest where sub-02 lacks its dwi and sub-03 its fmri
        java.util.List<org.pdsynth.volume.Subject> rows = new java.util.ArrayList<>();
        for (org.pdsynth.volume.Subject s : org.pdsynth.volume.Cohort.read(csv).subjects()) {
            if (s.subject().equals("sub-02")) s = new org.pdsynth.volume.Subject(s.subject(), s.label(), s.fmri(), null, null, null, null);
            if (s.subject().equals("sub-03")) s = new org.pdsynth.volume.Subject(s.subject(), s.label(), null, s.dwi(), s.bval(), s.bvec(), null);
            rows.add(s);
        }
        Path partial = dir.resolve("cohort/partial.csv");
        new org.pdsynth.volume.Cohort(rows).write(partial);
        Path out = dir.resolve("completed");
        Sampling.Options o = Sampling.Options.defaults().withSteps(2);
        try (Synthesizer s = Synthesizer.load(model)) {
            java.util.List<CohortCompletion.Item> first = new java.util.ArrayList<>();
            for (int shard = 1; shard <= 2; shard++)
                first.addAll(CohortCompletion.run(new CohortCompletion.Options(partial, out, shard, 2, false, false, o), s, l -> {}, null));
            assertEquals(2, first.size(), first.toString());
            assertTrue(Files.isRegularFile(CohortCompletion.outputFile(out, "sub-02", Modality.DWI)));
            assertTrue(Files.isRegularFile(CohortCompletion.outputFile(out, "sub-03", Modality.FMRI)));
            assertFalse(Files.exists(out.resolve("sub-01")), "complete subjects are left alone");
            // the rerun finds both outputs and writes nothing
            java.util.List<CohortCompletion.Item> again = CohortCompletion.run(new CohortCompletion.Options(partial, out, 1, 1, false, false, o), s,
                    l -> {}, null);
            assertEquals(2, again.size());
            assertTrue(again.stream().allMatch(i -> i.status().startsWith("exists")), again.toString());

            // every subject starts from its own noise: two rows with the same fMRI get different syntheses
            // (one seed for all would give them the same x_T and identical outputs), reproducibly
            org.pdsynth.volume.Subject a = rows.get(1);
            org.pdsynth.volume.Subject twin = new org.pdsynth.volume.Subject("sub-02-twin", a.label(), a.fmri(), null, null, null, null);
            Path twins = dir.resolve("cohort/twins.csv");
            new org.pdsynth.volume.Cohort(java.util.List.of(a, twin)).write(twins);
            for (String run : new String[] {"twins1", "twins2"})
                CohortCompletion.run(new CohortCompletion.Options(twins, dir.resolve(run), 1, 1, false, false, o), s, l -> {}, null);
            Path f1 = CohortCompletion.outputFile(dir.resolve("twins1"), "sub-02", Modality.DWI);
            Path f2 = CohortCompletion.outputFile(dir.resolve("twins1"), "sub-02-twin", Modality.DWI);
            assertNotEquals(-1L, Files.mismatch(f1, f2), "two subjects, the same noise");
            assertEquals(-1L, Files.mismatch(f1, CohortCompletion.outputFile(dir.resolve("twins2"), "sub-02", Modality.DWI)), "not reproducible");
            assertEquals(-1L, Files.mismatch(f1, CohortCompletion.outputFile(out, "sub-02", Modality.DWI)),
                    "the sharded run and a run of another manifest draw the same noise for the same subject");

            // a batch run goes on past a bad subject and reports each failure with its file and reason
            Path broken = dir.resolve("cohort/sub-02/fmri_broken.nii.gz");
            byte[] good = Files.readAllBytes(rows.get(1).fmri());
            Files.write(broken, java.util.Arrays.copyOf(good, good.length / 2));
            java.util.List<org.pdsynth.volume.Subject> bad = new java.util.ArrayList<>(rows);
            org.pdsynth.volume.Subject s2 = rows.get(1);
            bad.set(1, new org.pdsynth.volume.Subject(s2.subject(), s2.label(), broken, null, null, null, null));
            Path badCsv = dir.resolve("cohort/bad.csv");
            new org.pdsynth.volume.Cohort(bad).write(badCsv);
            Path out2 = dir.resolve("completed2");
            java.util.List<CohortCompletion.Item> items = CohortCompletion.run(new CohortCompletion.Options(badCsv, out2, 1, 1, false, false, o),
                    s, l -> {}, null);
            assertEquals(2, items.size(), items.toString());
            assertTrue(items.get(0).failed() && items.get(0).subject().equals("sub-02"), items.toString());
            assertTrue(items.get(0).status().contains("fmri_broken.nii.gz") && items.get(0).status().contains("gzip"), items.toString());
            assertFalse(Files.exists(CohortCompletion.outputFile(out2, "sub-02", Modality.DWI)), "no output for the failed subject");
            assertTrue(Files.isRegularFile(CohortCompletion.outputFile(out2, "sub-03", Modality.FMRI)), "the next subject still ran");
            String summary = CohortCompletion.failures(items);
            assertTrue(summary.startsWith("1 of 2 syntheses (2 subjects) failed: sub-02 (dwi): ") && summary.contains("fmri_broken.nii.gz"),
                    summary);
        }
        assertThrows(IllegalArgumentException.class, () -> CohortCompletion.parseShard("3"));
        assertThrows(IllegalArgumentException.class, () -> new CohortCompletion.Options(partial, out, 3, 2, false, false, o));
    }
}
