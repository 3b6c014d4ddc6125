package org.pdsynth.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.nifti.NiftiFormatException;

class CohortTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws Exception {
        Path p = dir.resolve("participants.csv");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsColumnsInAnyOrderWithQuotesExtrasAndEmptyCells() throws Exception {
        Path p = csv("\uFEFFlabel,Subject,dwi,bval,bvec,fmri,age,note,mask\r\n"
                + "NC,sub-01,sub-01/dwi.nii.gz,sub-01/dwi.bval,sub-01/dwi.bvec,sub-01/fmri.nii.gz,71,\"likes, commas\",\n"
                + "\n"
                + "mci , sub-02 ,,,,/abs/fmri.nii,65,\"said \"\"hi\"\"\",masks/m.nii\n"
                + ",sub-03,d3.nii,d3.bval,d3.bvec,,80,\"two\nlines\",\n");
        Cohort c = Cohort.read(p);
        assertEquals(3, c.size());
        Subject s1 = c.get("sub-01");
        assertEquals(Diagnosis.NC, s1.label());
        assertEquals(dir.resolve("sub-01/fmri.nii.gz"), s1.fmri());
        assertEquals(dir.resolve("sub-01/dwi.bvec"), s1.bvec());
        assertNull(s1.mask());
        assertEquals(List.of("age", "note"), List.copyOf(s1.extra().keySet()));
        assertEquals("likes, commas", s1.extra().get("note"));
        Subject s2 = c.get("sub-02");
        assertEquals(Diagnosis.MCI, s2.label());
        assertNull(s2.dwi());
        assertEquals(Path.of("/abs/fmri.nii"), s2.fmri());
        assertEquals(dir.resolve("masks/m.nii"), s2.mask());
        assertEquals("said \"hi\"", s2.extra().get("note"));
        Subject s3 = c.get("sub-03");
        assertNull(s3.label());
        assertNull(s3.fmri());
        assertEquals("two\nlines", s3.extra().get("note"));
        assertEquals(List.of("age", "note"), c.extraColumns());
    }

    private void assertError(String text, String... parts) throws Exception {
        Path p = csv(text);
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> Cohort.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        for (String part : parts) assertTrue(e.getMessage().contains(part), e.getMessage() + " lacks " + part);
    }

    @Test
    void errorsNameTheFileAndLine() throws Exception {
        String h = "subject,label,fmri,dwi,bval,bvec,mask\n";
        assertError(h + "a,NC,f.nii,,,,\nb,XX,f.nii,,,,\n", "line 3", "unknown label 'XX'");
        assertError("subject,label,dwi,bval,bvec\na,NC,d.nii,b,v\n", "line 1", "missing required column 'fmri'");
        assertError(h + "a,NC,f.nii,,,,\nb,AD,g.nii,,,,\na,MCI,h.nii,,,,\n", "line 4", "duplicate subject 'a'", "first on line 2");
        assertError(h + "a,NC,f.nii,d.nii,d.bval,,\n", "line 2", "has a dwi but no bvec");
        assertError("subject,label,fmri,dwi\na,NC,,d.nii\n", "line 2", "has a dwi but no bval");
        assertError(h + "a,NC,f.nii,,,\n", "line 2", "6 fields but the header has 7");
        assertError(h + "a,NC,\"f.nii,,,,\n", "line 2", "quoted field is not closed");
        assertError(h + "a,NC,,,,,\n", "line 2", "neither fmri nor dwi");
        assertError("subject,fmri,dwi,FMRI\n", "duplicate column 'FMRI'");
        assertError(h + ",NC,f.nii,,,,\n", "line 2", "empty subject id");
    }

    @Test
    void writeThenReadGivesTheSameCohort() throws Exception {
        Path out = dir.resolve("cohort/participants.csv");
        Path d = out.getParent();
        List<Subject> subjects = new ArrayList<>();
        Map<String, String> e1 = new LinkedHashMap<>();
        e1.put("age", "70");
        e1.put("stage", "AD, mild");
        subjects.add(new Subject("s1", Diagnosis.AD, d.resolve("s1/fmri.nii.gz"), d.resolve("s1/dwi.nii.gz"), d.resolve("s1/dwi.bval"),
                d.resolve("s1/dwi.bvec"), null, e1));
        subjects.add(new Subject("s2", null, null, d.resolve("s2/dwi.nii.gz"), d.resolve("s2/b"), d.resolve("s2/v"), dir.resolve("m.nii"),
                Map.of("seed", "9")));
        Cohort c = new Cohort(subjects);
        c.write(out);
        String text = Files.readString(out);
        assertTrue(text.startsWith("subject,label,fmri,dwi,bval,bvec,mask,age,stage,seed\n"), text);
        assertTrue(text.contains("s1,AD,s1/fmri.nii.gz,s1/dwi.nii.gz,s1/dwi.bval,s1/dwi.bvec,,70,\"AD, mild\",\n"), text);
        assertTrue(text.contains("s2,,,s2/dwi.nii.gz,s2/b,s2/v,../m.nii,,,9\n"), text);
        Cohort back = Cohort.read(out);
        assertEquals(2, back.size());
        for (int i = 0; i < 2; i++) {
            Subject a = subjects.get(i), b = back.subjects().get(i);
            assertEquals(a.subject(), b.subject());
            assertEquals(a.label(), b.label());
            assertEquals(a.fmri(), b.fmri());
            assertEquals(a.dwi(), b.dwi());
            assertEquals(a.mask(), b.mask());
            for (var en : a.extra().entrySet()) assertEquals(en.getValue(), b.extra().get(en.getKey()));
        }
        assertEquals("", back.get("s2").extra().get("age"));
        try (var files = Files.list(d)) {
            assertEquals(1, files.count(), "no temporary file is left");
        }
    }

    private static Cohort cohort(int nc, int mci, int ad, int none) {
        List<Subject> s = new ArrayList<>();
        int[] n = {nc, mci, ad, none};
        Diagnosis[] l = {Diagnosis.NC, Diagnosis.MCI, Diagnosis.AD, null};
        for (int k = 0; k < 4; k++)
            for (int i = 0; i < n[k]; i++)
                s.add(new Subject(String.format("sub-%s-%02d", l[k], i), l[k], Path.of("/f" + k + i + ".nii"), null, null, null, null));
        return new Cohort(s);
    }

    @Test
    void splitIsBySubjectStratifiedAndDeterministic() {
        Cohort c = cohort(10, 7, 5, 3);
        Cohort.Split s = c.splitBySubject(0.2, 11);
        // round(0.2 * 25) = 5: floor quotas 2 NC, 1 MCI, 1 AD, 0 none = 4; largest remainder
        // (MCI 0.4, none 0.6) gives the 5th to the unlabelled stratum
        assertEquals(5, s.validation().size());
        assertEquals(20, s.train().size());
        assertEquals(2, s.validation().stream().filter(x -> x.label() == Diagnosis.NC).count());
        assertEquals(1, s.validation().stream().filter(x -> x.label() == Diagnosis.MCI).count());
        assertEquals(1, s.validation().stream().filter(x -> x.label() == Diagnosis.AD).count());
        assertEquals(1, s.validation().stream().filter(x -> x.label() == null).count());
        Set<String> ids = new HashSet<>();
        for (Subject x : s.train()) ids.add(x.subject());
        for (Subject x : s.validation()) assertTrue(ids.add(x.subject()), "subject in both lists: " + x.subject());
        assertEquals(25, ids.size());
        // same seed, rows in another order -> same split; another seed -> another split
        List<Subject> rev = new ArrayList<>(c.subjects());
        java.util.Collections.reverse(rev);
        assertEquals(s, new Cohort(rev).splitBySubject(0.2, 11));
        boolean differs = false;
        for (long seed = 12; seed < 20 && !differs; seed++) differs = !c.splitBySubject(0.2, seed).equals(s);
        assertTrue(differs);
        assertNotEquals(0, c.splitBySubject(0.5, 1).validation().size());
        assertEquals(0, c.splitBySubject(0, 1).validation().size());
        assertThrows(IllegalArgumentException.class, () -> c.splitBySubject(1, 1));
    }
}
