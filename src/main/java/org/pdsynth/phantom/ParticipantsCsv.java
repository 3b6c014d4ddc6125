package org.pdsynth.phantom;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.pdsynth.nifti.NiftiFiles;

/**
 * Writes the cohort manifest {@code participants.csv} (DESIGN.md section 3) with the phantom's
 * latent parameters as extra columns:
 * {@code subject,label,fmri,dwi,bval,bvec,mask,age,stage,atrophy,fa_change,dmn_connectivity}.
 * Paths are relative to the CSV (forward slashes); age in years (1 decimal); stage 0/1/2; atrophy,
 * fa_change and dmn_connectivity as in {@link SubjectParameters} (4 decimals, the exact values the
 * simulation used). UTF-8, LF line ends, no quoting (no field contains a comma).
 */
final class ParticipantsCsv {
    private ParticipantsCsv() {}

    static final String HEADER = "subject,label,fmri,dwi,bval,bvec,mask,age,stage,atrophy,fa_change,dmn_connectivity";
    static final String FMRI = "fmri.nii.gz", DWI = "dwi.nii.gz", BVAL = "dwi.bval", BVEC = "dwi.bvec", MASK = "mask.nii.gz";

    static String row(SubjectParameters p) {
        String d = p.id() + "/";
        return String.join(",", p.id(), p.label(), d + FMRI, d + DWI, d + BVAL, d + BVEC, d + MASK,
                String.format(Locale.ROOT, "%.1f", p.age()), String.valueOf(p.stage()),
                String.format(Locale.ROOT, "%.4f", p.atrophy()), String.format(Locale.ROOT, "%.4f", p.faChange()),
                String.format(Locale.ROOT, "%.4f", p.dmnConnectivity()));
    }

    static void write(Path csv, List<SubjectParameters> subjects) throws IOException {
        NiftiFiles.writeAtomically(csv, out -> {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.print(HEADER + "\n");
            for (SubjectParameters p : subjects) w.print(row(p) + "\n");
            w.flush();
        });
    }
}
