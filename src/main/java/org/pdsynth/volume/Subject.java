package org.pdsynth.volume;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a cohort manifest: a subject id, an optional label, and the files of each
 * modality. A null path means the modality (or mask) is missing. Paths read from a manifest are
 * resolved against the manifest's folder and normalised.
 *
 * @param subject id, unique in a cohort, non-blank
 * @param label NC, MCI, AD, or null for none
 * @param fmri 4-D BOLD series, or null
 * @param dwi 4-D diffusion series, or null (when set, bval and bvec are set too in a manifest)
 * @param bval FSL b-values of {@code dwi}
 * @param bvec FSL directions of {@code dwi}
 * @param mask brain mask image, or null (then it is computed from the data)
 * @param extra further manifest columns (e.g. age, stage), in column order; never null, unmodifiable
 */
public record Subject(String subject, Diagnosis label, Path fmri, Path dwi, Path bval, Path bvec, Path mask,
        Map<String, String> extra) {

    public Subject {
        if (subject == null || subject.isBlank()) throw new IllegalArgumentException("subject id must not be empty");
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** A subject without extra columns. */
    public Subject(String subject, Diagnosis label, Path fmri, Path dwi, Path bval, Path bvec, Path mask) {
        this(subject, label, fmri, dwi, bval, bvec, mask, Map.of());
    }

    public boolean hasFmri() {
        return fmri != null;
    }

    public boolean hasDwi() {
        return dwi != null;
    }

    /** This subject with another label. */
    public Subject withLabel(Diagnosis l) {
        return new Subject(subject, l, fmri, dwi, bval, bvec, mask, extra);
    }
}
