package org.pdsynth.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.nifti.NiftiFormatException;
import org.pdsynth.volume.Modality;

class SyntheticSetTest {
    @TempDir
    Path dir;

    private Path touch(String rel) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {0});
        return p;
    }

    @Test
    void namingRuleFindsPerSubjectFiles() throws Exception {
        Path a = touch("synth/sub-02/dwi_synth.nii.gz");
        Path b = touch("synth/sub-01/fmri_synth.nii");
        Path c = touch("synth/sub-01/dwi_synth.nii.gz");
        touch("synth/sub-03/notes.txt"); // neither file: ignored
        SyntheticSet s = SyntheticSet.open(dir.resolve("synth"));
        assertEquals(List.of("sub-01", "sub-02"), s.entries().stream().map(SyntheticSet.Entry::subject).toList());
        assertEquals(b, s.file("sub-01", Modality.FMRI));
        assertEquals(c, s.file("sub-01", Modality.DWI));
        assertEquals(a, s.file("sub-02", Modality.DWI));
        assertNull(s.file("sub-02", Modality.FMRI));
        assertNull(s.get("sub-03"));
    }

    @Test
    void manifestInTheFolderWinsAndPathsAreRelativeToIt() throws Exception {
        touch("synth/sub-01/dwi_synth.nii.gz"); // would match the naming rule
        Path x = touch("synth/out/a_dwi.nii.gz");
        Path y = touch("synth/out/b_fmri.nii.gz");
        Files.writeString(dir.resolve("synth/synthetic.csv"), "Subject,DWI,fmri,note\nA,out/a_dwi.nii.gz,,x\nB,,out/b_fmri.nii.gz,\n");
        SyntheticSet s = SyntheticSet.open(dir.resolve("synth"));
        assertEquals(2, s.size());
        assertEquals(x, s.file("A", Modality.DWI));
        assertNull(s.file("A", Modality.FMRI));
        assertEquals(y, s.file("B", Modality.FMRI));
        assertNull(s.get("sub-01"));
        // the CSV given directly: the same
        assertEquals(s.entries(), SyntheticSet.open(dir.resolve("synth/synthetic.csv")).entries());
    }

    @Test
    void errorsNameTheFileAndLine() throws Exception {
        Files.createDirectories(dir.resolve("m"));
        Files.writeString(dir.resolve("m/synthetic.csv"), "subject,dwi\nA,missing.nii.gz\n");
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> SyntheticSet.open(dir.resolve("m")));
        assertTrue(e.getMessage().contains("synthetic.csv") && e.getMessage().contains("line 2") && e.getMessage().contains("does not exist"),
                e.getMessage());
        Files.writeString(dir.resolve("m/synthetic.csv"), "id,dwi\n");
        assertTrue(assertThrows(NiftiFormatException.class, () -> SyntheticSet.open(dir.resolve("m"))).getMessage()
                .contains("needs a 'subject' column"));
        touch("m/x.nii.gz");
        Files.writeString(dir.resolve("m/synthetic.csv"), "subject,dwi\nA,x.nii.gz\nA,x.nii.gz\n");
        assertTrue(assertThrows(NiftiFormatException.class, () -> SyntheticSet.open(dir.resolve("m"))).getMessage()
                .contains("line 3: duplicate subject 'A'"));
        touch("both/sub-01/dwi_synth.nii.gz");
        touch("both/sub-01/dwi_synth.nii");
        assertTrue(assertThrows(NiftiFormatException.class, () -> SyntheticSet.open(dir.resolve("both"))).getMessage()
                .contains("keep one"));
        Files.createDirectories(dir.resolve("empty/sub-01"));
        assertTrue(assertThrows(NiftiFormatException.class, () -> SyntheticSet.open(dir.resolve("empty"))).getMessage()
                .contains("no synthetic volumes"));
        assertThrows(NiftiFormatException.class, () -> SyntheticSet.open(dir.resolve("nowhere")));
    }
}
