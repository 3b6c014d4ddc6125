package org.pdsynth.nifti;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A diffusion gradient table from FSL {@code bval}/{@code bvec} files.
 *
 * <p>Conventions: b-values in s/mm^2, one per volume (4th axis of the DWI, in order). Directions
 * are unit vectors in the bvec file's frame (FSL: the image's voxel axes, x flipped for a
 * positive-determinant affine — this class does not reorient them). A b=0 volume has direction
 * (0, 0, 0). A volume counts as b=0 when b &lt;= {@link #B0_THRESHOLD} or its vector is zero (as
 * dipy's gradient_table does).
 *
 * <p>Reading accepts bvec as 3 rows of G (FSL) or G rows of 3, any whitespace or commas; G = 3
 * is read as FSL's 3 rows. A row of NaN (some converters write it for b=0) becomes the zero
 * vector with a warning.
 */
public final class GradientTable {
    /** b-values at or below this (s/mm^2) count as b=0, as in dipy. */
    public static final double B0_THRESHOLD = 50;

    private final double[] bvals;
    private final double[][] dirs;
    private final List<String> warnings;

    private GradientTable(double[] bvals, double[][] dirs, List<String> warnings) {
        this.bvals = bvals;
        this.dirs = dirs;
        this.warnings = Collections.unmodifiableList(warnings);
    }

    /**
     * A table from values in memory: b-values and directions (normalised here; a zero or NaN
     * vector means b=0 direction).
     */
    public static GradientTable of(double[] bvals, double[][] directions) {
        if (bvals.length != directions.length)
            throw new IllegalArgumentException(bvals.length + " b-values but " + directions.length + " directions");
        List<String> warn = new ArrayList<>();
        double[][] d = new double[bvals.length][];
        for (int i = 0; i < bvals.length; i++) {
            if (!(bvals[i] >= 0) || !Double.isFinite(bvals[i]))
                throw new IllegalArgumentException("b-value " + i + " is " + bvals[i] + ", must be finite and >= 0");
            d[i] = normalise(directions[i], i, warn);
        }
        return new GradientTable(bvals.clone(), d, warn);
    }

    /** Reads FSL bval and bvec files; the count of each must agree. */
    public static GradientTable read(Path bval, Path bvec) throws IOException {
        List<double[]> bRows = numbers(bval);
        List<Double> b = new ArrayList<>();
        for (double[] r : bRows) for (double v : r) b.add(v);
        if (b.isEmpty()) throw new NiftiFormatException(bval, "no b-values");
        double[] bv = new double[b.size()];
        for (int i = 0; i < bv.length; i++) {
            bv[i] = b.get(i);
            if (!(bv[i] >= 0) || !Double.isFinite(bv[i]))
                throw new NiftiFormatException(bval, "b-value " + i + " is " + bv[i] + ", must be finite and >= 0");
        }
        int g = bv.length;
        List<double[]> rows = numbers(bvec);
        double[][] d = new double[g][3];
        if (rows.size() == 3 && rows.stream().allMatch(r -> r.length == g)) {
            for (int i = 0; i < g; i++) for (int c = 0; c < 3; c++) d[i][c] = rows.get(c)[i];
        } else if (rows.size() == g && rows.stream().allMatch(r -> r.length == 3)) {
            for (int i = 0; i < g; i++) d[i] = rows.get(i).clone();
        } else {
            StringBuilder shape = new StringBuilder();
            for (double[] r : rows) shape.append(shape.length() == 0 ? "" : ",").append(r.length);
            throw new NiftiFormatException(bvec, "expected 3 rows of " + g + " or " + g + " rows of 3 (to match "
                    + bval.getFileName() + "), found " + rows.size() + " rows of lengths [" + shape + "]");
        }
        List<String> warn = new ArrayList<>();
        double[][] unit = new double[g][];
        for (int i = 0; i < g; i++) {
            try {
                unit[i] = normalise(d[i], i, warn);
            } catch (IllegalArgumentException e) {
                throw new NiftiFormatException(bvec, e.getMessage());
            }
        }
        List<String> named = new ArrayList<>();
        for (String w : warn) named.add(bvec.getFileName() + ": " + w);
        for (String w : named) System.err.println("warning: " + w);
        return new GradientTable(bv, unit, named);
    }

    private static double[] normalise(double[] v, int i, List<String> warn) {
        if (Double.isNaN(v[0]) || Double.isNaN(v[1]) || Double.isNaN(v[2])) {
            warn.add("direction " + i + " is NaN; treated as a b=0 direction");
            return new double[3];
        }
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (!Double.isFinite(n)) throw new IllegalArgumentException("direction " + i + " is not finite");
        if (n == 0) return new double[3];
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    /** Whitespace- or comma-separated numbers, one array per non-empty line. */
    private static List<double[]> numbers(Path p) throws IOException {
        if (!Files.isRegularFile(p)) throw new java.nio.file.NoSuchFileException(p.toString(), null, "no such file");
        List<double[]> rows = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(p, StandardCharsets.ISO_8859_1)) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            String[] parts = t.split("[\\s,]+");
            double[] r = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    r[i] = parseNumber(parts[i]);
                } catch (NumberFormatException e) {
                    throw new NiftiFormatException(p, "line " + lineNo + ": '" + parts[i] + "' is not a number");
                }
            }
            rows.add(r);
        }
        return rows;
    }

    /**
     * A number as numpy's loadtxt reads it: Java syntax plus "nan"/"inf"/"infinity" in any case
     * with an optional sign (dipy's own small_64D.bvec has a row "nan nan nan").
     */
    private static double parseNumber(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        String u = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        if (u.equals("nan")) return Double.NaN;
        if (u.equals("inf") || u.equals("infinity"))
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        return Double.parseDouble(s);
    }

    /** Writes FSL files: bval on one line, bvec as 3 rows of G (atomically). */
    public void write(Path bval, Path bvec) throws IOException {
        NiftiFiles.writeAtomically(bval, out -> {
            PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.US_ASCII));
            for (int i = 0; i < size(); i++) w.print((i == 0 ? "" : " ") + fmt(bvals[i]));
            w.println();
            w.flush();
        });
        NiftiFiles.writeAtomically(bvec, out -> {
            PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.US_ASCII));
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < size(); i++) w.print((i == 0 ? "" : " ") + fmt(dirs[i][c]));
                w.println();
            }
            w.flush();
        });
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.8f", v);
    }

    /** Number of volumes. */
    public int size() {
        return bvals.length;
    }

    /** b-value of volume i in s/mm^2. */
    public double bvalue(int i) {
        return bvals[i];
    }

    public double[] bvalues() {
        return bvals.clone();
    }

    /** Unit direction of volume i; (0, 0, 0) for a b=0 direction. */
    public double[] direction(int i) {
        return dirs[i].clone();
    }

    /** True when volume i is a b=0 volume (b &lt;= 50 s/mm^2 or no direction). */
    public boolean isB0(int i) {
        return bvals[i] <= B0_THRESHOLD || (dirs[i][0] == 0 && dirs[i][1] == 0 && dirs[i][2] == 0);
    }

    /** Warnings raised while reading (e.g. NaN directions), each naming the file. */
    public List<String> warnings() {
        return warnings;
    }

    /** Checks the table has one entry per volume of {@code image} (its 4th axis). */
    public void checkVolumes(long volumes, Path image) throws NiftiFormatException {
        if (volumes != size())
            throw new NiftiFormatException(image, "has " + volumes + " volumes but the gradient table has " + size() + " entries");
    }
}
