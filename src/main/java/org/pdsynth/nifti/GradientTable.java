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
 * positive-determinant affine — this class does not reorient them).
 *
 * <p><b>Which volumes are what.</b> A volume is b=0 when b &lt;= {@link #B0_THRESHOLD} = 50 s/mm^2
 * (dipy's default {@code b0_threshold}), whatever its vector. A volume with b above the threshold
 * and a zero (or NaN) vector has no direction: scanners append such a trace-weighted image (the
 * mean over directions) to the series. It is neither b=0 nor a direction, so it is left out of
 * the channels ({@link #isTrace}, {@link #usable}) with a warning naming the bvec file and the
 * volume — MRtrix3's resolution; dipy refuses such a table ("The vectors in bvecs should be
 * unit"). Vectors of a diffusion-weighted volume are normalised; when one is more than 1% off
 * unit length a warning says so (MRtrix3 would instead scale that volume's b-value by the
 * squared norm).
 *
 * <p>Reading accepts bvec as 3 rows of G (FSL) or G rows of 3, any whitespace or commas; G = 3
 * is read as FSL's 3 rows. A row of NaN (some converters write it for b=0) becomes the zero
 * vector with a warning. A table without any diffusion-weighted volume (every b &lt;= 50, or every
 * weighted volume a trace image) is refused, naming the bval file.
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
        checkWeighted(bvals, directions, warn);
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
        checkWeighted(bv, d, warn);
        boolean weighted = false;
        for (int i = 0; i < g; i++) weighted |= bv[i] > B0_THRESHOLD && !isZero(unit[i]);
        if (!weighted)
            throw new NiftiFormatException(bval, "no diffusion-weighted volume: every b-value is <= " + (int) B0_THRESHOLD
                    + " s/mm^2 or has a zero vector in " + bvec.getFileName());
        List<String> named = new ArrayList<>();
        for (String w : warn) named.add(bvec.getFileName() + ": " + w);
        for (String w : named) System.err.println("warning: " + w);
        return new GradientTable(bv, unit, named);
    }

    /** Warnings for trace volumes (b &gt; threshold, no direction) and for vectors far from unit length. */
    private static void checkWeighted(double[] b, double[][] raw, List<String> warn) {
        int offUnit = 0;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] <= B0_THRESHOLD) continue;
            double[] v = raw[i];
            double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            if (!(n > 0)) {
                warn.add("volume " + i + " has b = " + fmt(b[i]) + " but no gradient direction (a scanner's trace image?): left out"
                        + " of the channels");
            } else if (Math.abs(n - 1) > 0.01) {
                offUnit++;
                lo = Math.min(lo, n);
                hi = Math.max(hi, n);
            }
        }
        if (offUnit > 0)
            warn.add(offUnit + " gradient vector(s) of b > " + (int) B0_THRESHOLD + " volumes are not unit length (norms "
                    + String.format(Locale.ROOT, "%.3g..%.3g", lo, hi) + "); normalised, b-values used as given");
    }

    private static boolean isZero(double[] v) {
        return v[0] == 0 && v[1] == 0 && v[2] == 0;
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

    /** True when volume i is a b=0 volume (b &lt;= {@value #B0_THRESHOLD} s/mm^2, whatever its vector). */
    public boolean isB0(int i) {
        return bvals[i] <= B0_THRESHOLD;
    }

    /**
     * True when volume i is diffusion-weighted (b &gt; {@value #B0_THRESHOLD}) but has no direction
     * (zero or NaN vector): a trace image, left out of the channels (see the class comment).
     */
    public boolean isTrace(int i) {
        return bvals[i] > B0_THRESHOLD && isZero(dirs[i]);
    }

    /** True when volume i is b=0 or has a direction: not a {@link #isTrace trace image}. */
    public boolean usable(int i) {
        return !isTrace(i);
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
