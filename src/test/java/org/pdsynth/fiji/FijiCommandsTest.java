package org.pdsynth.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.model.Engines;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Subject;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * Every Fiji command run as Fiji runs it (CommandService in a SciJava context, the inputs given
 * by name as a headless {@code --run} gives them), on one small phantom cohort: Simulate, Open
 * NIfTI, NIfTI Info, Align, Synthesize dMRI/fMRI, Complete Cohort, Train Model, Diagnose. Each test
 * checks the command's outputs (hyperstack dimensions and calibration, files written, report), not
 * only that it ran. Measure PSNR/SSIM: HeadlessFileInputTest; Demo and Experiment run their core in
 * DemoRun/ExperimentRunTest (minutes of training).
 */
class FijiCommandsTest {
    @TempDir
    static Path dir;
    static Context ctx;
    static Path cohort;
    static int threadsBefore;

    @BeforeAll
    static void simulate() throws Exception {
        Engines.pytorch();
        threadsBefore = Engines.threads();
        Engines.setThreads(1);
        ctx = new Context();
        CommandModule m = run(SimulateCommand.class, "out", dir.resolve("cohort").toFile(), "subjects", 6, "seed", 5L, "timepoints", 16,
                "directions", 6);
        assertTrue(((String) m.getOutput("cohort")).startsWith("6 subjects"), (String) m.getOutput("cohort"));
        cohort = dir.resolve("cohort/participants.csv");
        assertTrue(Files.isRegularFile(cohort));
    }

    @AfterAll
    static void close() {
        if (ctx != null) ctx.dispose();
        Engines.setThreads(threadsBefore);
    }

    static CommandModule run(Class<? extends org.scijava.command.Command> c, Object... inputs) throws Exception {
        CommandModule m = ctx.service(CommandService.class).run(c, true, inputs).get();
        assertFalse(m.isCanceled(), c.getSimpleName() + " cancelled: " + m.getCancelReason());
        return m;
    }

    static Subject subject(int i) throws Exception {
        return Cohort.read(cohort).subjects().get(i);
    }

    @Test
    void openNiftiGivesACalibratedHyperstackWithFrames() throws Exception {
        Subject s = subject(0);
        ImagePlus imp = (ImagePlus) run(OpenNiftiCommand.class, "input", s.fmri().toFile()).getOutput("image");
        long[] dims = NiftiReader.readHeader(s.fmri()).shape();
        assertEquals(dims[0], imp.getWidth());
        assertEquals(dims[2], imp.getNSlices());
        assertEquals(16, imp.getNFrames(), "time points as frames");
        assertEquals(4.0, imp.getCalibration().pixelWidth, 1e-9);
        assertEquals(NiftiReader.readHeader(s.fmri()).pixdim[4], imp.getCalibration().frameInterval, 1e-6);
    }

    @Test
    void infoReportsTheFile() throws Exception {
        String info = (String) run(InfoCommand.class, "input", subject(0).dwi().toFile(), "json", true).getOutput("info");
        assertTrue(info.contains("\"dims\":[48,56,48,9]"), info); // the phantom's b0 volumes + 6 directions
    }

    @Test
    void alignWritesAndReturnsNChannels() throws Exception {
        Subject s = subject(1);
        File out = dir.resolve("aligned.nii.gz").toFile();
        CommandModule m = run(AlignCommand.class, "input", s.dwi().toFile(), "bval", s.bval().toFile(), "bvec", s.bvec().toFile(),
                "channels", 4, "out", out);
        ImagePlus imp = (ImagePlus) m.getOutput("aligned");
        assertEquals(4, imp.getNChannels());
        assertEquals(48, imp.getNSlices());
        assertEquals(4, NiftiReader.readHeader(out.toPath()).shape()[3]);
        assertTrue(((String) m.getOutput("report")).contains("(dwi, 9 volumes) -> 4 channels"), (String) m.getOutput("report"));
        // a value the dialog's min forbids fails in the core too, naming the problem
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> ctx.service(CommandService.class).run(AlignCommand.class, true, "input", s.fmri().toFile(), "channels", 0).get());
        assertTrue(org.pdsynth.fiji.cli.PdsCliAccess.message(e).contains("channels must be >= 1"), String.valueOf(e.getCause()));
    }

    @Test
    void synthesizeBothWaysWithTheShippedModel() throws Exception {
        Subject s = subject(2);
        File dwiOut = dir.resolve("dwi_synth.nii.gz").toFile();
        CommandModule d = run(SynthesizeDwiCommand.class, "input", s.fmri().toFile(), "out", dwiOut, "steps", 2, "samples", 2);
        ImagePlus syn = (ImagePlus) d.getOutput("synthetic");
        assertEquals(8, syn.getNChannels());
        assertNotNull(d.getOutput("uncertainty"), "std map with 2 samples");
        assertTrue(Files.isRegularFile(dwiOut.toPath()) && Files.isRegularFile(dir.resolve("dwi_synth_std.nii.gz")));
        File fmriOut = dir.resolve("fmri_synth.nii").toFile();
        CommandModule f = run(SynthesizeFmriCommand.class, "input", s.dwi().toFile(), "bval", s.bval().toFile(), "bvec",
                s.bvec().toFile(), "out", fmriOut, "steps", 2);
        assertEquals(8, ((ImagePlus) f.getOutput("synthetic")).getNChannels());
        assertEquals(8, NiftiReader.readHeader(fmriOut.toPath()).shape()[3]);
    }

    @Test
    void completeCohortFillsTheMissingModality() throws Exception {
        // subject 3 without its dwi: the command writes OUT/sub/dwi_synth.nii.gz
        java.util.List<Subject> rows = new java.util.ArrayList<>();
        Subject s = subject(3);
        rows.add(new Subject(s.subject(), s.label(), s.fmri(), null, null, null, null));
        Path csv = dir.resolve("cohort/partial.csv");
        new Cohort(rows).write(csv);
        Path out = dir.resolve("completed");
        CommandModule m = run(CompleteCohortCommand.class, "cohort", csv.toFile(), "out", out.toFile(), "steps", 2);
        assertTrue(Files.isRegularFile(out.resolve(s.subject()).resolve("dwi_synth.nii.gz")));
        assertTrue(((String) m.getOutput("report")).contains("1 volumes written"), (String) m.getOutput("report"));
    }

    @Test
    void trainWritesAModelFolderThatSynthesizes() throws Exception {
        Path model = dir.resolve("model");
        CommandModule m = run(TrainCommand.class, "cohort", cohort.toFile(), "out", model.toFile(), "width", 8, "steps", 1, "batch", 1,
                "warmup", 1, "checkpointEvery", 1, "validationSubjects", 0, "channels", 4, "patternAware", false);
        assertTrue(Files.isRegularFile(model.resolve("pds-model.json")), (String) m.getOutput("report"));
        File out = dir.resolve("from-trained.nii.gz").toFile();
        run(SynthesizeDwiCommand.class, "model", model.toFile(), "input", subject(4).fmri().toFile(), "out", out, "steps", 2);
        assertEquals(4, NiftiReader.readHeader(out.toPath()).shape()[3], "the trained model's N = 4 channels");
    }

    @Test
    void diagnoseClassifiesTheCohort() throws Exception {
        File csv = dir.resolve("diagnosis.csv").toFile();
        CommandModule m = run(DiagnoseCommand.class, "cohort", cohort.toFile(), "folds", 2, "json", true, "csv", csv);
        String json = (String) m.getOutput("results");
        // strict RFC 8259 parse: no NaN/Infinity literals in the report
        com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new java.io.StringReader(json));
        reader.setStrictness(com.google.gson.Strictness.STRICT);
        com.google.gson.JsonArray a = com.google.gson.JsonParser.parseReader(reader).getAsJsonArray();
        assertEquals(1, a.size());
        assertEquals("real-real", a.get(0).getAsJsonObject().get("protocol").getAsString());
        assertEquals(6, a.get(0).getAsJsonObject().get("subjects").getAsInt());
        assertEquals(2, Files.readAllLines(csv.toPath()).size(), "header + one protocol row");
    }
}
