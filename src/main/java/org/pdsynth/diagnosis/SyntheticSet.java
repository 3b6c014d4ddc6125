package org.pdsynth.diagnosis;

import org.pdsynth.nifti.NiftiFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pdsynth.nifti.NiftiFormatException;
import org.pdsynth.volume.Csv;
import org.pdsynth.volume.Modality;

/**
 * Synthetic volumes of a cohort's subjects, as the synthesizer writes them: per subject and
 * modality one N-channel 4-D NIfTI (x, y, z, c) in the modality's intensity units, on any grid in
 * the cohort's world space (normally the input's grid; the model grid works too). N must equal
 * the channel count of the real data's alignment (the {@code Segmenter}'s N). Subjects are matched
 * to the real cohort by id; the label comes from the real cohort.
 *
 * <p>Two ways to lay a set out ({@link #open}):
 * <ol>
 *   <li><b>Manifest</b>: a CSV file, given directly or as {@value #MANIFEST} inside the folder,
 *       header row with {@code subject} and at least one of {@code fmri}, {@code dwi} (case-insensitive;
 *       other columns ignored); paths relative to the CSV; an empty cell = no synthetic file.
 *   <li><b>Naming rule</b> (a folder without {@value #MANIFEST}): {@code DIR/<subject>/fmri_synth.nii.gz}
 *       and/or {@code DIR/<subject>/dwi_synth.nii.gz} ({@code .nii} also accepted, not both). Sub-folders
 *       with neither file are ignored.
 * </ol>
 * Every listed file must exist (checked here, so a long run does not fail late). Errors are
 * one-line {@link NiftiFormatException}s naming the file or folder.
 */
public final class SyntheticSet {
    /** Manifest file name looked for inside a folder. */
    public static final String MANIFEST = "synthetic.csv";

    /**
     * One subject's synthetic files.
     *
     * @param subject id (as in the real cohort)
     * @param fmri    synthetic fMRI channels, or null
     * @param dwi     synthetic DWI channels, or null
     */
    public record Entry(String subject, Path fmri, Path dwi) {
        /** The file of a modality, or null. */
        public Path file(Modality m) {
            return m == Modality.FMRI ? fmri : dwi;
        }
    }

    private final Path source;
    private final Map<String, Entry> entries;

    private SyntheticSet(Path source, Map<String, Entry> entries) {
        this.source = source;
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** A set with no synthetic volume (protocol real/real needs nothing else). */
    public static SyntheticSet empty() {
        return new SyntheticSet(null, Map.of());
    }

    /** A set from entries built in code (ids must be unique). */
    public static SyntheticSet of(List<Entry> entries) {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : entries)
            if (m.put(e.subject(), e) != null) throw new IllegalArgumentException("duplicate synthetic subject '" + e.subject() + "'");
        return new SyntheticSet(null, m);
    }

    /** Opens a manifest CSV, or a folder (its {@value #MANIFEST}, else the naming rule). */
    public static SyntheticSet open(Path dirOrCsv) throws IOException {
        if (Files.isRegularFile(dirOrCsv)) return readManifest(dirOrCsv);
        if (!Files.isDirectory(dirOrCsv)) throw new NiftiFormatException(dirOrCsv, "synthetic set not found (a folder or a CSV manifest)");
        Path manifest = dirOrCsv.resolve(MANIFEST);
        if (Files.isRegularFile(manifest)) return readManifest(manifest);
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dirOrCsv)) {
            for (Path p : ds) if (Files.isDirectory(p)) dirs.add(p);
        }
        Collections.sort(dirs);
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Path d : dirs) {
            Path f = named(d, "fmri_synth"), w = named(d, "dwi_synth");
            if (f != null || w != null) {
                String id = d.getFileName().toString();
                m.put(id, new Entry(id, f, w));
            }
        }
        if (m.isEmpty())
            throw new NiftiFormatException(dirOrCsv, "no synthetic volumes: expected " + MANIFEST
                    + " or <subject>/fmri_synth.nii.gz | <subject>/dwi_synth.nii.gz");
        return new SyntheticSet(dirOrCsv, m);
    }

    private static Path named(Path dir, String stem) throws NiftiFormatException {
        Path gz = dir.resolve(stem + ".nii.gz"), nii = dir.resolve(stem + ".nii");
        boolean a = Files.isRegularFile(gz), b = Files.isRegularFile(nii);
        if (a && b) throw new NiftiFormatException(dir, "has both " + stem + ".nii.gz and " + stem + ".nii; keep one");
        return a ? gz : b ? nii : null;
    }

    private static SyntheticSet readManifest(Path csv) throws IOException {
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(NiftiFiles.readUtf8(csv));
        } catch (Csv.SyntaxException e) {
            throw new NiftiFormatException(csv, "line " + e.line + ": " + e.getMessage());
        }
        if (rows.isEmpty()) throw new NiftiFormatException(csv, "is empty; expected a header row subject,fmri,dwi");
        Map<String, Integer> col = new HashMap<>();
        List<String> header = rows.get(0).fields();
        for (int k = 0; k < header.size(); k++) col.putIfAbsent(header.get(k).strip().toLowerCase(Locale.ROOT), k);
        if (!col.containsKey("subject") || !(col.containsKey("fmri") || col.containsKey("dwi")))
            throw new NiftiFormatException(csv, "line " + rows.get(0).line() + ": needs a 'subject' column and an 'fmri' and/or 'dwi' column (header: "
                    + String.join(",", header) + ")");
        Path dir = csv.toAbsolutePath().getParent();
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Csv.Row row : rows.subList(1, rows.size())) {
            List<String> f = row.fields();
            String where = "line " + row.line() + ": ";
            if (f.size() != header.size())
                throw new NiftiFormatException(csv, where + f.size() + " fields but the header has " + header.size());
            String id = f.get(col.get("subject")).strip();
            if (id.isEmpty()) throw new NiftiFormatException(csv, where + "empty subject id");
            Path fm = path(csv, dir, where, col.containsKey("fmri") ? f.get(col.get("fmri")) : "");
            Path dw = path(csv, dir, where, col.containsKey("dwi") ? f.get(col.get("dwi")) : "");
            if (m.put(id, new Entry(id, fm, dw)) != null) throw new NiftiFormatException(csv, where + "duplicate subject '" + id + "'");
        }
        return new SyntheticSet(csv, m);
    }

    private static Path path(Path csv, Path dir, String where, String cell) throws NiftiFormatException {
        String c = cell.strip();
        if (c.isEmpty()) return null;
        Path p = Path.of(c);
        p = (p.isAbsolute() ? p : dir.resolve(p)).normalize();
        if (!Files.isRegularFile(p)) throw new NiftiFormatException(csv, where + "file " + p + " does not exist");
        return p;
    }

    /** The folder or CSV the set was read from (null when built in code). */
    public Path source() {
        return source;
    }

    /** The subject's entry, or null. */
    public Entry get(String subject) {
        return entries.get(subject);
    }

    /** The subject's synthetic file of a modality, or null. */
    public Path file(String subject, Modality m) {
        Entry e = entries.get(subject);
        return e == null ? null : e.file(m);
    }

    /** All entries, in manifest or folder-name order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public int size() {
        return entries.size();
    }
}
