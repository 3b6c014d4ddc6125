package org.pdsynth.fiji.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.workflow.TinyCohort;
import org.pdsynth.workflow.TinyModel;
import org.pdsynth.nifti.NiftiReader;

/** The Groovy example of docs/fiji.md runs as printed (first ```groovy block), through ScriptService. */
class DocsScriptExampleTest {
    @TempDir
    Path dir;

    @Test
    void theGroovyExampleInFijiMdSynthesizesAndReturnsAHyperstack() throws Exception {
        String md = Files.readString(Path.of("docs/fiji.md"));
        int start = md.indexOf("```groovy\n");
        assertTrue(start >= 0, "docs/fiji.md has a groovy example");
        String code = md.substring(start + 10, md.indexOf("```", start + 10));
        Path script = dir.resolve("Example.groovy");
        Files.writeString(script, code);
        TinyCohort.write(dir.resolve("cohort"), 1);
        Path fmri = dir.resolve("cohort/sub-01/fmri.nii.gz");
        ImagePlus dwi;
        try (ScriptHarness h = new ScriptHarness()) {
            dwi = (ImagePlus) h.run(script.toString(), Map.of("fmri", fmri.toFile(), "model", TinyModel.folder().toFile())).getOutput("dwi");
        }
        assertEquals(4, dwi.getNChannels());
        assertEquals(16, dwi.getNSlices());
        assertArrayEquals(new long[] {20, 18, 16, 4}, NiftiReader.read(dir.resolve("cohort/sub-01/dwi_synth.nii.gz")).header().shape());
    }
}
