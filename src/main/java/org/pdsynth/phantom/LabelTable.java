package org.pdsynth.phantom;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiFormatException;

/**
 * Names of the labels of an atlas: index (&gt; 0) to name. Files hold one {@code index name} line
 * per label (whitespace-separated; further columns, as in AAL's {@code aal.nii.txt}, are ignored;
 * index 0 is background and skipped).
 */
public final class LabelTable {
    private final TreeMap<Integer, String> names;

    LabelTable(Map<Integer, String> names) {
        this.names = new TreeMap<>(names);
        this.names.remove(0);
    }

    /** Reads an {@code index name ...} text file. */
    static LabelTable read(Path file) throws IOException {
        TreeMap<Integer, String> m = new TreeMap<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            String[] parts = t.split("\\s+");
            if (parts.length < 2) throw new NiftiFormatException(file, "line " + lineNo + ": expected 'index name', got '" + t + "'");
            int idx;
            try {
                idx = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw new NiftiFormatException(file, "line " + lineNo + ": '" + parts[0] + "' is not a label index");
            }
            if (idx < 0 || idx > 32767) throw new NiftiFormatException(file, "line " + lineNo + ": label index " + idx + " out of 0..32767");
            if (idx > 0) m.put(idx, parts[1]);
        }
        if (m.isEmpty()) throw new NiftiFormatException(file, "no labels");
        return new LabelTable(m);
    }

    /** Writes {@code index name} lines, in index order (atomically). */
    void write(Path file) throws IOException {
        NiftiFiles.writeAtomically(file, out -> {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            for (Map.Entry<Integer, String> e : names.entrySet()) w.print(e.getKey() + " " + e.getValue() + "\n");
            w.flush();
        });
    }

    /** The name of label {@code index}, or null. */
    public String name(int index) {
        return names.get(index);
    }

    /** Largest label index. */
    public int maxIndex() {
        return names.isEmpty() ? 0 : names.lastKey();
    }

    /** Index to name, in index order. */
    public Map<Integer, String> names() {
        return Collections.unmodifiableMap(names);
    }

    /** A lookup table over 0..maxIndex: true for labels whose name matches {@code entries} (see {@link PhantomModel}). */
    boolean[] matching(List<String> entries) {
        boolean[] m = new boolean[maxIndex() + 1];
        for (Map.Entry<Integer, String> e : names.entrySet()) m[e.getKey()] = PhantomModel.matches(e.getValue(), entries);
        return m;
    }
}
