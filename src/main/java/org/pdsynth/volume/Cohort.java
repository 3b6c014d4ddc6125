package org.pdsynth.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiFormatException;

/**
 * A cohort manifest, {@code participants.csv} (DESIGN §3): one {@link Subject} per row.
 *
 * <p>Format: a header row naming the columns, in any order, matched case-insensitively:
 * {@code subject}, {@code fmri} and {@code dwi} are required; {@code label}, {@code bval},
 * {@code bvec} and {@code mask} are optional (an absent column reads as empty cells). Any other
 * column is kept per subject in {@link Subject#extra()} under its header spelling. Paths are
 * relative to the CSV's folder (absolute paths are kept); an empty cell is a missing file; label
 * is NC, MCI, AD or empty. Quoting as in {@link Csv}.
 *
 * <p>Errors are one-line {@link NiftiFormatException}s naming the CSV and the line: missing
 * required column, duplicate column, wrong number of fields, empty or duplicate subject id,
 * unknown label, a dwi without bval or bvec, a subject with neither fmri nor dwi. Files are not
 * checked for existence here.
 */
public final class Cohort {
    /** The manifest's own columns, in the order {@link #write} puts them. */
    public static final List<String> COLUMNS = List.of("subject", "label", "fmri", "dwi", "bval", "bvec", "mask");
    /** Columns a manifest must have. */
    public static final List<String> REQUIRED = List.of("subject", "fmri", "dwi");

    private final List<Subject> subjects;

    /** A cohort of the given subjects (ids must be unique). */
    public Cohort(List<Subject> subjects) {
        Set<String> ids = new HashSet<>();
        for (Subject s : subjects)
            if (!ids.add(s.subject())) throw new IllegalArgumentException("duplicate subject '" + s.subject() + "'");
        this.subjects = List.copyOf(subjects);
    }

    public List<Subject> subjects() {
        return subjects;
    }

    public int size() {
        return subjects.size();
    }

    /** The subject with this id, or null. */
    public Subject get(String id) {
        for (Subject s : subjects) if (s.subject().equals(id)) return s;
        return null;
    }

    /** Extra column names over all subjects, in order of first appearance. */
    public List<String> extraColumns() {
        Set<String> cols = new LinkedHashSet<>();
        for (Subject s : subjects) cols.addAll(s.extra().keySet());
        return List.copyOf(cols);
    }

    /** Reads a manifest (UTF-8). */
    public static Cohort read(Path csv) throws IOException {
        String text = NiftiFiles.readUtf8(csv);
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(text);
        } catch (Csv.SyntaxException e) {
            throw new NiftiFormatException(csv, "line " + e.line + ": " + e.getMessage());
        }
        if (rows.isEmpty()) throw new NiftiFormatException(csv, "is empty; expected a header row with " + String.join(",", COLUMNS));
        Csv.Row header = rows.get(0);
        Map<String, Integer> col = new HashMap<>();
        List<String> names = header.fields();
        for (int k = 0; k < names.size(); k++) {
            String name = names.get(k).strip();
            if (name.isEmpty()) throw new NiftiFormatException(csv, "line " + header.line() + ": column " + (k + 1) + " has no name");
            String key = COLUMNS.contains(name.toLowerCase(Locale.ROOT)) ? name.toLowerCase(Locale.ROOT) : name;
            if (col.put(key, k) != null) throw new NiftiFormatException(csv, "line " + header.line() + ": duplicate column '" + name + "'");
        }
        for (String r : REQUIRED)
            if (!col.containsKey(r))
                throw new NiftiFormatException(csv, "line " + header.line() + ": missing required column '" + r + "' (header: "
                        + String.join(",", names) + ")");
        Path dir = csv.toAbsolutePath().getParent();
        List<Subject> subjects = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Csv.Row row : rows.subList(1, rows.size())) {
            String where = "line " + row.line() + ": ";
            List<String> f = row.fields();
            if (f.size() != names.size())
                throw new NiftiFormatException(csv, where + f.size() + " fields but the header has " + names.size());
            String id = cell(f, col, "subject");
            if (id.isEmpty()) throw new NiftiFormatException(csv, where + "empty subject id");
            Integer first = seen.putIfAbsent(id, row.line());
            if (first != null) throw new NiftiFormatException(csv, where + "duplicate subject '" + id + "' (first on line " + first + ")");
            Diagnosis label;
            try {
                label = Diagnosis.parse(cell(f, col, "label"));
            } catch (IllegalArgumentException e) {
                throw new NiftiFormatException(csv, where + "subject '" + id + "': " + e.getMessage());
            }
            Path fmri = path(dir, cell(f, col, "fmri")), dwi = path(dir, cell(f, col, "dwi"));
            Path bval = path(dir, cell(f, col, "bval")), bvec = path(dir, cell(f, col, "bvec"));
            Path mask = path(dir, cell(f, col, "mask"));
            if (dwi != null && (bval == null || bvec == null))
                throw new NiftiFormatException(csv, where + "subject '" + id + "' has a dwi but no " + (bval == null ? "bval" : "bvec"));
            if (fmri == null && dwi == null)
                throw new NiftiFormatException(csv, where + "subject '" + id + "' has neither fmri nor dwi");
            Map<String, String> extra = new LinkedHashMap<>();
            for (int k = 0; k < names.size(); k++) {
                String name = names.get(k).strip();
                if (!COLUMNS.contains(name.toLowerCase(Locale.ROOT))) extra.put(name, f.get(k));
            }
            subjects.add(new Subject(id, label, fmri, dwi, bval, bvec, mask, extra));
        }
        return new Cohort(subjects);
    }

    private static String cell(List<String> fields, Map<String, Integer> col, String name) {
        Integer k = col.get(name);
        return k == null ? "" : fields.get(k).strip();
    }

    private static Path path(Path dir, String cell) {
        if (cell.isEmpty()) return null;
        Path p = Path.of(cell);
        return (p.isAbsolute() ? p : dir.resolve(p)).normalize();
    }

    /**
     * Writes the manifest atomically: the columns of {@link #COLUMNS}, then the extra columns
     * ({@link #extraColumns()}); paths relative to the CSV's folder with '/' separators (absolute
     * when on another root); null paths and labels as empty cells; LF line ends.
     */
    public void write(Path csv) throws IOException {
        Path dir = csv.toAbsolutePath().getParent();
        List<String> extras = extraColumns();
        for (String e : extras)
            if (COLUMNS.contains(e.toLowerCase(Locale.ROOT)))
                throw new IllegalArgumentException(csv + ": extra column '" + e + "' clashes with a manifest column");
        StringBuilder b = new StringBuilder();
        List<String> header = new ArrayList<>(COLUMNS);
        header.addAll(extras);
        b.append(Csv.format(header)).append('\n');
        for (Subject s : subjects) {
            List<String> f = new ArrayList<>();
            f.add(s.subject());
            f.add(s.label() == null ? "" : s.label().name());
            for (Path p : new Path[] {s.fmri(), s.dwi(), s.bval(), s.bvec(), s.mask()}) f.add(relative(dir, p));
            for (String e : extras) f.add(s.extra().getOrDefault(e, ""));
            b.append(Csv.format(f)).append('\n');
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        NiftiFiles.writeAtomically(csv, out -> out.write(bytes));
    }

    private static String relative(Path dir, Path p) {
        if (p == null) return "";
        Path a = p.toAbsolutePath().normalize();
        Path r = dir != null && a.getRoot() != null && a.getRoot().equals(dir.getRoot()) ? dir.relativize(a) : a;
        return r.toString().replace(r.getFileSystem().getSeparator(), "/");
    }

    /** Training and validation subjects of a split; each list sorted by subject id. */
    public record Split(List<Subject> train, List<Subject> validation) {}

    /**
     * Splits the SUBJECTS (never images) into training and validation, stratified by label.
     *
     * <p>Rule: strata NC, MCI, AD, unlabelled (in that order). The validation size is
     * round(f N) (halves up); stratum s gets floor(f n_s), and the remaining places go one each to
     * the strata with the largest fractional part f n_s - floor(f n_s) (ties: stratum order).
     * Within a stratum, subjects are sorted by id and shuffled with one {@code java.util.Random(seed)}
     * shared by the strata in order; the first ones go to validation. Deterministic for a given
     * cohort (in any row order) and seed.
     *
     * @param validationFraction f in [0, 1)
     */
    public Split splitBySubject(double validationFraction, long seed) {
        double f = validationFraction;
        if (!(f >= 0 && f < 1)) throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + f);
        List<List<Subject>> strata = new ArrayList<>();
        for (Diagnosis d : Diagnosis.values()) strata.add(withLabel(d));
        strata.add(withLabel(null));
        int n = subjects.size();
        int total = (int) Math.floor(f * n + 0.5);
        int[] take = new int[strata.size()];
        double[] frac = new double[strata.size()];
        int given = 0;
        for (int s = 0; s < strata.size(); s++) {
            double q = f * strata.get(s).size();
            take[s] = (int) Math.floor(q);
            frac[s] = q - take[s];
            given += take[s];
        }
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < strata.size(); s++) order.add(s);
        order.sort(Comparator.comparingDouble((Integer s) -> -frac[s]).thenComparingInt(s -> s));
        for (int k = 0; given < total && k < order.size(); k++) {
            int s = order.get(k);
            if (take[s] < strata.get(s).size()) {
                take[s]++;
                given++;
            }
        }
        Random rnd = new Random(seed);
        List<Subject> train = new ArrayList<>(), val = new ArrayList<>();
        for (int s = 0; s < strata.size(); s++) {
            List<Subject> st = strata.get(s);
            Collections.shuffle(st, rnd);
            val.addAll(st.subList(0, take[s]));
            train.addAll(st.subList(take[s], st.size()));
        }
        Comparator<Subject> byId = Comparator.comparing(Subject::subject);
        train.sort(byId);
        val.sort(byId);
        return new Split(List.copyOf(train), List.copyOf(val));
    }

    private List<Subject> withLabel(Diagnosis d) {
        List<Subject> l = new ArrayList<>();
        for (Subject s : subjects) if (s.label() == d) l.add(s);
        l.sort(Comparator.comparing(Subject::subject));
        return l;
    }
}
