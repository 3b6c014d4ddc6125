package org.pdsynth.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Subject;

/** {@link CohortCompletion#shardOf}: shards split the subjects with work to do, evenly, once each. */
class CohortShardsTest {
    private static Subject subject(String id, boolean fmri, boolean dwi) {
        Path d = Path.of("/data", id);
        return new Subject(id, null, fmri ? d.resolve("fmri.nii.gz") : null, dwi ? d.resolve("dwi.nii.gz") : null,
                dwi ? d.resolve("dwi.bval") : null, dwi ? d.resolve("dwi.bvec") : null, null);
    }

    private static List<String> ids(List<Subject> s) {
        return s.stream().map(Subject::subject).toList();
    }

    @Test
    void shardsNumberOnlyTheSubjectsWithWorkToDo() {
        // the missing modalities sit at the even manifest positions: by position, shard 1/2 would get all three
        List<Subject> rows = new ArrayList<>();
        for (int p = 0; p < 6; p++) rows.add(subject("s" + p, true, p % 2 == 1));
        Cohort c = new Cohort(rows);
        assertEquals(List.of("s0", "s4"), ids(CohortCompletion.shardOf(c, 1, 2, false)));
        assertEquals(List.of("s2"), ids(CohortCompletion.shardOf(c, 2, 2, false)));
        // with --all every subject has work: round robin over the whole manifest
        assertEquals(List.of("s0", "s3"), ids(CohortCompletion.shardOf(c, 1, 3, true)));
        assertEquals(List.of("s2", "s5"), ids(CohortCompletion.shardOf(c, 3, 3, true)));
        // more shards than work: the extra shards are empty, none is taken twice
        List<String> union = new ArrayList<>();
        for (int i = 1; i <= 5; i++) union.addAll(ids(CohortCompletion.shardOf(c, i, 5, false)));
        assertEquals(List.of("s0", "s2", "s4"), union);
        assertEquals(List.of(), ids(CohortCompletion.shardOf(c, 5, 5, false)));
        // a subject missing its fmri counts as well
        Cohort d = new Cohort(List.of(subject("a", true, true), subject("b", false, true), subject("c", true, false)));
        assertEquals(List.of("b"), ids(CohortCompletion.shardOf(d, 1, 2, false)));
        assertEquals(List.of("c"), ids(CohortCompletion.shardOf(d, 2, 2, false)));
    }
}
