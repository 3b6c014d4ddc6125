package org.pdsynth.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiFormatException;

/**
 * The region list of a label atlas: a text file with one region per line, {@code index name [more]}.
 *
 * <p>Format (that of MRIcron's {@code aal.nii.txt} and {@code JHU-WhiteMatter-labels-2mm.nii.txt}):
 * fields separated by blanks or tabs; the first is the integer label value in the image, the
 * second the region name (no blanks inside), anything after it is ignored (AAL has a numeric code
 * there). Blank lines and lines starting with {@code #} are skipped; LF, CRLF or CR line ends; a
 * UTF-8 byte order mark is ignored. Index 0 is background (JHU lists {@code 0 Unclassified}): it is
 * skipped and is never a region. Errors (one line, naming the file and line): a first field that is
 * not an integer, a negative index, a line without a name, a duplicate index, no region at all.
 */
public final class AtlasLabels {
    private AtlasLabels() {}

    /** Reads a label file; regions in file order. */
    public static List<Atlas.Region> read(Path txt) throws IOException {
        String text = NiftiFiles.readUtf8(txt);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new NiftiFormatException(txt, e.getMessage());
        }
    }

    /** Parses label text; errors are IllegalArgumentExceptions "line N: what". */
    public static List<Atlas.Region> parse(String text) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<Atlas.Region> regions = new ArrayList<>();
        Map<Integer, Integer> seen = new HashMap<>();
        for (int k = 0; k < lines.length; k++) {
            String line = lines[k].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("[ \t]+");
            int index;
            try {
                index = Integer.parseInt(f[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + (k + 1) + ": '" + f[0] + "' is not an integer label index");
            }
            if (index < 0) throw new IllegalArgumentException("line " + (k + 1) + ": negative label index " + index);
            if (f.length < 2) throw new IllegalArgumentException("line " + (k + 1) + ": label " + index + " has no name");
            Integer first = seen.putIfAbsent(index, k + 1);
            if (first != null)
                throw new IllegalArgumentException("line " + (k + 1) + ": duplicate label index " + index + " (first on line " + first + ")");
            if (index == 0) continue;
            regions.add(new Atlas.Region(index, f[1]));
        }
        if (regions.isEmpty()) throw new IllegalArgumentException("no region (expected lines 'index name')");
        return regions;
    }

    /** Writes {@code index name} lines (LF), atomically. */
    public static void write(Path txt, List<Atlas.Region> regions) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Atlas.Region r : regions) b.append(r.index()).append(' ').append(r.name()).append('\n');
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        NiftiFiles.writeAtomically(txt, out -> out.write(bytes));
    }

    /**
     * The label file of an atlas image, by MRIcron's naming: for {@code aal.nii.gz} the first
     * existing of {@code aal.nii.txt}, {@code aal.txt}, {@code aal.nii.gz.txt}.
     *
     * @throws NiftiFormatException when none exists
     */
    public static Path besideImage(Path image) throws NiftiFormatException {
        String base = NiftiFiles.baseName(image);
        String name = image.getFileName().toString();
        for (String candidate : new String[] {base + ".nii.txt", base + ".txt", name + ".txt"}) {
            Path p = image.resolveSibling(candidate);
            if (Files.isRegularFile(p)) return p;
        }
        throw new NiftiFormatException(image, "no label file beside it (looked for " + base + ".nii.txt, " + base + ".txt, "
                + name + ".txt)");
    }
}
