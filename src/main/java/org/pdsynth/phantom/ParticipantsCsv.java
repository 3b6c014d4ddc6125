package org.pdsynth.phantom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Subject;

/**
 * The cohort manifest {@code participants.csv} (DESIGN.md section 3), written by the project's
 * one manifest writer ({@link Cohort#write}), with the phantom's latent parameters as extra
 * columns {@code age,stage,atrophy,fa_change,dmn_connectivity}: age in years (1 decimal); stage
 * 0/1/2; atrophy, fa_change and dmn_connectivity as in {@link SubjectParameters} (4 decimals, the
 * exact values the simulation used).
 */
final class ParticipantsCsv {
    private ParticipantsCsv() {}

    static final String FMRI = "fmri.nii.gz", DWI = "dwi.nii.gz", BVAL = "dwi.bval", BVEC = "dwi.bvec", MASK = "mask.nii.gz";

    static void write(Path csv, List<SubjectParameters> subjects) throws IOException {
        Path dir = csv.toAbsolutePath().getParent();
        List<Subject> rows = new ArrayList<>();
        for (SubjectParameters p : subjects) {
            Path d = dir.resolve(p.id());
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("age", String.format(Locale.ROOT, "%.1f", p.age()));
            extra.put("stage", String.valueOf(p.stage()));
            extra.put("atrophy", String.format(Locale.ROOT, "%.4f", p.atrophy()));
            extra.put("fa_change", String.format(Locale.ROOT, "%.4f", p.faChange()));
            extra.put("dmn_connectivity", String.format(Locale.ROOT, "%.4f", p.dmnConnectivity()));
            rows.add(new Subject(p.id(), Diagnosis.parse(p.label()), d.resolve(FMRI), d.resolve(DWI), d.resolve(BVAL), d.resolve(BVEC),
                    d.resolve(MASK), extra));
        }
        new Cohort(rows).write(csv);
    }
}
