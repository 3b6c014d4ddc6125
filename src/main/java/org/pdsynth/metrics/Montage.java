package org.pdsynth.metrics;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.pdsynth.nifti.NiftiFiles;

/**
 * A three-plane montage PNG (paper Fig. 4): one row per volume (e.g. truth, then each method),
 * columns axial, coronal and sagittal slices through the volume centre. Conventions: volumes are
 * 3-D (x, y, z) in voxel order on one grid; slices are shown with the y axis up in the axial and
 * the z axis up in the coronal and sagittal views; every panel uses the grey window of the FIRST
 * row (its 1st..99th percentile), so differences in intensity show. Each voxel becomes
 * {@code zoom x zoom} pixels.
 */
public final class Montage {
    /** One row: a label and a volume. */
    public record Row(String label, RandomAccessibleInterval<? extends RealType<?>> volume) {}

    private Montage() {}

    /** Renders the montage. */
    public static BufferedImage render(List<Row> rows, int zoom) {
        if (rows.isEmpty()) throw new IllegalArgumentException("a montage needs at least one row");
        long[] d = rows.get(0).volume().dimensionsAsLongArray();
        if (d.length != 3) throw new IllegalArgumentException("montage rows must be 3-D volumes, got " + Arrays.toString(d));
        for (Row r : rows)
            if (!Arrays.equals(r.volume().dimensionsAsLongArray(), d))
                throw new IllegalArgumentException(r.label() + " is " + Arrays.toString(r.volume().dimensionsAsLongArray())
                        + ", the first row is " + Arrays.toString(d));
        int nx = (int) d[0], ny = (int) d[1], nz = (int) d[2];
        double[] window = window(rows.get(0).volume());
        int label = 18;
        int w = (nx + nx + ny) * zoom + 4 * 2, h = rows.size() * (Math.max(ny, nz) * zoom + label + 2);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, w, h);
        int y0 = 0;
        for (Row r : rows) {
            label(g, r.label(), 4, y0 + 14);
            int top = y0 + label;
            RandomAccess<? extends RealType<?>> ra = r.volume().randomAccess();
            long[] p = new long[3];
            // axial: x horizontal, y up, at z = nz/2
            panel(img, 0, top, nx, ny, zoom, window, (i, j) -> value(ra, p, i, ny - 1 - j, nz / 2));
            // coronal: x horizontal, z up, at y = ny/2
            panel(img, nx * zoom + 4, top, nx, nz, zoom, window, (i, j) -> value(ra, p, i, ny / 2, nz - 1 - j));
            // sagittal: y horizontal, z up, at x = nx/2
            panel(img, 2 * nx * zoom + 8, top, ny, nz, zoom, window, (i, j) -> value(ra, p, nx / 2, i, nz - 1 - j));
            y0 += Math.max(ny, nz) * zoom + label + 2;
        }
        g.dispose();
        return img;
    }

    /** Renders and writes a PNG atomically. */
    public static void write(Path png, List<Row> rows, int zoom) throws IOException {
        BufferedImage img = render(rows, zoom);
        NiftiFiles.writeAtomically(png, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException(png + ": no PNG writer available");
        });
    }

    private interface Sampler {
        double at(int i, int j);
    }

    private static double value(RandomAccess<? extends RealType<?>> ra, long[] p, long x, long y, long z) {
        p[0] = x;
        p[1] = y;
        p[2] = z;
        ra.setPosition(p);
        return ra.get().getRealDouble();
    }

    private static void panel(BufferedImage img, int left, int top, int w, int h, int zoom, double[] win, Sampler s) {
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++) {
                double v = (s.at(i, j) - win[0]) / (win[1] - win[0]);
                int grey = (int) Math.round(255 * Math.max(0, Math.min(1, Double.isNaN(v) ? 0 : v)));
                int rgb = grey * 0x010101;
                for (int a = 0; a < zoom; a++)
                    for (int b = 0; b < zoom; b++) img.setRGB(left + i * zoom + a, top + j * zoom + b, rgb);
            }
    }

    /** 1st and 99th percentile of the finite values (nearest rank); a flat volume gets a unit window. */
    static double[] window(RandomAccessibleInterval<? extends RealType<?>> v) {
        double[] a = new double[(int) v.size()];
        int n = 0;
        for (RealType<?> t : net.imglib2.view.Views.flatIterable(v)) {
            double x = t.getRealDouble();
            if (Double.isFinite(x)) a[n++] = x;
        }
        if (n == 0) return new double[] {0, 1};
        Arrays.sort(a, 0, n);
        double lo = a[(int) Math.floor(0.01 * (n - 1))], hi = a[(int) Math.ceil(0.99 * (n - 1))];
        return hi > lo ? new double[] {lo, hi} : new double[] {lo, lo + 1};
    }

    /** Text needs fonts; a headless machine without any keeps the montage, just unlabelled. */
    private static void label(Graphics2D g, String s, int x, int y) {
        try {
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(s, x, y);
        } catch (RuntimeException | Error noFonts) {
            // no fonts on this machine
        }
    }
}
