package org.pdsynth.diagnosis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.volume.Csv;
import org.pdsynth.volume.Diagnosis;

/**
 * A subjects x features matrix with the subjects' labels: what the classifier sees.
 *
 * @param subjects ids, one per row
 * @param labels   diagnosis per row (never null here: unlabelled subjects are not classified)
 * @param names    column names
 * @param values   rows (subjects) x columns (features); not copied, do not modify
 */
public record FeatureTable(List<String> subjects, List<Diagnosis> labels, List<String> names, double[][] values) {

    public FeatureTable {
        subjects = List.copyOf(subjects);
        labels = List.copyOf(labels); // rejects nulls
        names = List.copyOf(names);
        if (subjects.size() != labels.size() || subjects.size() != values.length)
            throw new IllegalArgumentException(subjects.size() + " subjects, " + labels.size() + " labels and " + values.length
                    + " rows must agree");
        for (int i = 0; i < values.length; i++)
            if (values[i].length != names.size())
                throw new IllegalArgumentException("row " + i + " (" + subjects.get(i) + ") has " + values[i].length + " values for "
                        + names.size() + " columns");
    }

    public int rows() {
        return values.length;
    }

    public int columns() {
        return names.size();
    }

    /** Label codes ({@link Diagnosis#ordinal()}: NC 0, MCI 1, AD 2) per row. */
    public int[] labelCodes() {
        int[] y = new int[labels.size()];
        for (int i = 0; i < y.length; i++) y[i] = labels.get(i).ordinal();
        return y;
    }

    /** The given rows, in the given order (rows shared, not copied). */
    public FeatureTable rows(int[] which) {
        List<String> s = new ArrayList<>();
        List<Diagnosis> l = new ArrayList<>();
        double[][] v = new double[which.length][];
        for (int k = 0; k < which.length; k++) {
            s.add(subjects.get(which[k]));
            l.add(labels.get(which[k]));
            v[k] = values[which[k]];
        }
        return new FeatureTable(s, l, names, v);
    }

    /** True when both tables list the same subjects in the same order and the same columns. */
    public boolean alignedWith(FeatureTable o) {
        return subjects.equals(o.subjects) && labels.equals(o.labels) && names.equals(o.names);
    }

    /** CSV: {@code subject,label,<names...>}, one row per subject, values with full double precision. */
    public String toCsv() {
        StringBuilder b = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("subject", "label"));
        header.addAll(names);
        b.append(Csv.format(header)).append('\n');
        for (int i = 0; i < values.length; i++) {
            List<String> f = new ArrayList<>(names.size() + 2);
            f.add(subjects.get(i));
            f.add(labels.get(i).name());
            for (double x : values[i]) f.add(Double.toString(x));
            b.append(Csv.format(f)).append('\n');
        }
        return b.toString();
    }

    /** Writes {@link #toCsv()} atomically. */
    public void writeCsv(Path csv) throws IOException {
        byte[] bytes = toCsv().getBytes(StandardCharsets.UTF_8);
        NiftiFiles.writeAtomically(csv, out -> out.write(bytes));
    }
}
