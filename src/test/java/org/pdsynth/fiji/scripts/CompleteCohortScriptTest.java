package org.pdsynth.fiji.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.diffusion.Sampling;
import org.pdsynth.workflow.Synthesizer;
import org.pdsynth.workflow.TinyCohort;
import org.pdsynth.workflow.TinyModel;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.VolumeArrays;

/** scripts/Plugins/PDS/Complete_Cohort_Script.py (Jython) through SciJava's ScriptService, on a tiny trained model. */
class CompleteCohortScriptTest {
    static final String SCRIPT = "scripts/Plugins/PDS/Complete_Cohort_Script.py";

    @TempDir
    Path dir;

    @Test
    void fillsMissingModalitiesSkipsDoneSubjectsAndReportsFailures() throws Exception {
        Path model = TinyModel.folder();
        Path csv = TinyCohort.write(dir.resolve("cohort"), 4);
        // sub-01 complete, sub-02 lacks its dwi, sub-03 its fmri, sub-04 names an fmri that is not there
        List<Subject> rows = new ArrayList<>();
        for (Subject s : Cohort.read(csv).subjects()) {
            switch (s.subject()) {
                case "sub-02" -> s = new Subject(s.subject(), s.label(), s.fmri(), null, null, null, null);
                case "sub-03" -> s = new Subject(s.subject(), s.label(), null, s.dwi(), s.bval(), s.bvec(), null);
                case "sub-04" -> s = new Subject(s.subject(), s.label(), dir.resolve("cohort/sub-04/gone.nii.gz"), null, null, null, null);
                default -> { }
            }
            rows.add(s);
        }
        Path partial = dir.resolve("cohort/partial.csv");
        new Cohort(rows).write(partial);
        Path out = dir.resolve("completed");
        Map<String, Object> in = Map.of("manifest", partial.toFile(), "output_dir", out.toFile(), "model", model.toFile(), "steps", 2);

        String report;
        try (ScriptHarness h = new ScriptHarness()) {
            report = (String) h.run(SCRIPT, in).getOutput("report");
        }
        Path dwi = out.resolve("sub-02/dwi_synth.nii.gz"), fmri = out.resolve("sub-03/fmri_synth.nii.gz");
        assertArrayEquals(new long[] {20, 18, 16, 4}, NiftiReader.read(dwi).header().shape());
        assertArrayEquals(new long[] {20, 18, 16, 4}, NiftiReader.read(fmri).header().shape());
        assertFalse(Files.exists(out.resolve("sub-01")), "a complete subject is left alone");
        assertFalse(Files.exists(out.resolve("sub-04")), "a failed subject leaves nothing behind");
        String[] lines = report.split("\n");
        assertEquals(5, lines.length, report);
        assertEquals("synthesized 2: sub-02/dwi_synth.nii.gz, sub-03/fmri_synth.nii.gz", lines[1]);
        assertEquals("already there 0: ", lines[2]);
        assertEquals("complete already 1: sub-01", lines[3]);
        assertTrue(lines[4].startsWith("failed 1: sub-04 (") && lines[4].contains("gone.nii.gz"), lines[4]);

        // the script's sub-02 equals the core API's synthesis with the same steps and seed (default 1)
        try (Synthesizer s = Synthesizer.load(model)) {
            Synthesizer.Output o = s.synthesize(new Synthesizer.Request(Modality.FMRI, dir.resolve("cohort/sub-02/fmri.nii.gz"), null, null,
                    null, null, null, Sampling.Options.defaults().withSteps(2).withSeed(1)), null, null);
            assertArrayEquals(VolumeArrays.copyOf(o.mean().data()), VolumeArrays.copyOf(NiftiReader.read(dwi).data()), 1e-6f);
        }

        // a rerun finds both outputs and rewrites nothing
        FileTime t1 = Files.getLastModifiedTime(dwi), t2 = Files.getLastModifiedTime(fmri);
        try (ScriptHarness h = new ScriptHarness()) {
            report = (String) h.run(SCRIPT, in).getOutput("report");
        }
        lines = report.split("\n");
        assertEquals("synthesized 0: ", lines[1]);
        assertEquals("already there 2: sub-02, sub-03", lines[2]);
        assertTrue(lines[4].startsWith("failed 1: sub-04"), lines[4]);
        assertEquals(t1, Files.getLastModifiedTime(dwi));
        assertEquals(t2, Files.getLastModifiedTime(fmri));
    }

    @Test
    void aBadManifestFailsTheScriptWithItsOneLineMessage() throws Exception {
        Path bad = dir.resolve("participants.csv");
        Files.writeString(bad, "subject,fmri\nsub-01,a.nii.gz\n");
        try (ScriptHarness h = new ScriptHarness()) {
            ScriptHarness.ScriptFailure e = org.junit.jupiter.api.Assertions.assertThrows(ScriptHarness.ScriptFailure.class,
                    () -> h.run(SCRIPT, Map.of("manifest", bad.toFile(), "output_dir", dir.resolve("out").toFile(), "model",
                            TinyModel.folder().toFile())));
            assertTrue(e.getMessage().contains("missing required column 'dwi'"), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
