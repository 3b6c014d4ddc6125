package org.pdsynth.fiji;

import ij.IJ;
import ij.gui.Plot;
import ij.gui.PlotWindow;
import ij.measure.ResultsTable;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.pdsynth.workflow.Figures;
import org.pdsynth.metrics.ChannelMetrics;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.nifti.NiftiFiles;

/**
 * The project's figures as ImageJ plots ({@link Plot}, in ij.jar): in Fiji they open as live plot
 * windows (List, Save As CSV, zoom, Edit); headless the same plot objects are written as a PNG
 * (the plot's image) and a CSV beside it (the plot's own data table, what List &gt; Save As
 * writes). Colours: the Okabe-Ito palette (colour-blind safe); the reference (truth) is black.
 */
public final class Plots {
    /** Series colours after black: Okabe-Ito orange, sky blue, bluish green, vermillion, reddish purple, blue. */
    static final Color[] COLORS = {new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 158, 115),
        new Color(213, 94, 0), new Color(204, 121, 167), new Color(0, 114, 178), new Color(120, 80, 30)};

    private Plots() {}

    /** True in a Fiji / ImageJ session with windows (not the CLI, not headless Fiji). */
    public static boolean interactive() {
        return !GraphicsEnvironment.isHeadless() && IJ.getInstance() != null;
    }

    /** Shows the plot as a window when {@link #interactive()}; returns it, or null. */
    public static PlotWindow show(Plot plot) {
        return interactive() ? plot.show() : null;
    }

    /**
     * Writes {@code png} (the plot's image) and the CSV of the same stem beside it (the plot's
     * data, as its List window shows it: the x column, one column per series named by the series
     * label, and for a category axis a last column {@code category} with the names), each atomically.
     * Returns the CSV path.
     */
    public static Path save(Plot plot, Path png) throws IOException {
        Path dir = png.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        java.awt.image.BufferedImage img = plot.getImagePlus().getBufferedImage();
        NiftiFiles.writeAtomically(png, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException(png + ": no PNG writer available");
        });
        String name = png.getFileName().toString();
        Path csv = dir.resolve((name.toLowerCase(Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name) + ".csv");
        ResultsTable rt = plot.getResultsTableWithLabels();
        String xLabel = plot.getLabel('x');
        if (xLabel != null && xLabel.startsWith("{") && xLabel.endsWith("}")) {
            // a category axis: name the x column and give each row its category
            String[] cats = xLabel.substring(1, xLabel.length() - 1).split(",");
            rt.renameColumn(rt.getColumnHeading(0), "x");
            for (int r = 0; r < rt.size(); r++) {
                int k = (int) Math.round(rt.getValueAsDouble(0, r));
                rt.setValue("category", r, k >= 0 && k < cats.length ? cats[k] : "");
            }
        }
        Path tmp = Files.createTempFile(dir, "." + csv.getFileName(), ".partial.csv");
        try {
            rt.saveAs(tmp.toString());
            Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return csv;
    }

    /** A plot with the series style the project uses: black thick reference first, then {@link #COLORS}. */
    static void addSeries(Plot p, int index, String label, double[] x, double[] y, String shape) {
        Color c = index == 0 ? Color.BLACK : COLORS[(index - 1) % COLORS.length];
        p.setColor(c, c);
        p.setLineWidth(index == 0 ? 2 : 1);
        p.add(shape, x, y);
        p.setLabel(-1, label);
    }

    /** A title line inside the frame (ImageJ draws a plot's title only in its window bar). */
    static void title(Plot p, String title) {
        p.setColor(Color.BLACK);
        p.addLabel(0, 0, title);
    }

    /**
     * The per-region signal of one target modality and diagnostic group (paper Fig. 5): x = the
     * disease-related atlas regions (categories), y = the mean of one channel inside each region,
     * averaged over the group's test subjects, one line per source (truth first, then each method).
     */
    public static Plot regionSignal(Figures.RegionSignal f) {
        List<String> regions = f.regions();
        Plot p = new Plot("Region signal " + f.target() + " " + f.group(), "{" + String.join(",", regions) + "}",
                f.target() + (f.channel() >= 0 ? " channel " + f.channel() : "") + " (mean in region)");
        p.setSize(Math.min(1100, Math.max(600, 105 * regions.size())), 420);
        double[] x = new double[regions.size()];
        for (int r = 0; r < x.length; r++) x[r] = r;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : f.means())
            for (double v : row) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        double pad = hi > lo ? 0.08 * (hi - lo) : 1;
        p.setLimits(-0.5, regions.size() - 0.5, lo - pad, hi + pad);
        for (int k = 0; k < f.sources().size(); k++) addSeries(p, k, f.sources().get(k), x, f.means()[k], "connected circle");
        title(p, String.format(Locale.ROOT, "%s, group %s (%d subjects): mean signal per region", f.target(), f.group(), f.subjects()));
        p.addLegend(null, "auto");
        return p;
    }

    /**
     * Per-channel PSNR (dB) or SSIM of a metrics report: x = channel (0-based), one series for
     * the whole volume and one inside the mask when the report has one.
     *
     * @param metric "psnr" or "ssim"
     */
    public static Plot perChannel(String title, MetricsReport r, String metric) {
        boolean psnr = switch (metric) {
            case "psnr" -> true;
            case "ssim" -> false;
            default -> throw new IllegalArgumentException("metric must be psnr or ssim, got '" + metric + "'");
        };
        Plot p = new Plot(title + " " + metric.toUpperCase(Locale.ROOT) + " per channel", "channel", psnr ? "PSNR (dB)" : "SSIM");
        p.setSize(480, 320);
        int n = r.channels().size();
        double[] x = new double[n];
        for (int c = 0; c < n; c++) x[c] = c;
        addSeries(p, 0, "whole volume", x, values(r.channels(), psnr), "connected circle");
        if (r.masked() != null) addSeries(p, 1, "inside mask", x, values(r.masked().channels(), psnr), "connected circle");
        p.setLimitsToFit(false);
        double[] lim = p.getLimits();
        p.setLimits(-0.5, n - 0.5, lim[2], lim[3]);
        title(p, String.format(Locale.ROOT, "%s: %s per channel (mean %s)", title, psnr ? "PSNR" : "SSIM",
                psnr ? String.format(Locale.ROOT, "%.2f dB", r.psnr()) : String.format(Locale.ROOT, "%.4f", r.ssim())));
        p.addLegend(null, "auto");
        return p;
    }

    private static double[] values(List<ChannelMetrics> ch, boolean psnr) {
        double[] v = new double[ch.size()];
        for (int c = 0; c < v.length; c++) {
            double x = psnr ? ch.get(c).psnr() : ch.get(c).ssim();
            v[c] = Double.isFinite(x) ? x : Double.NaN;
        }
        return v;
    }

    /**
     * Accuracy with interval bars (the clinical validation): x = protocol categories, one series of
     * points per source, shifted sideways within a category so the bars do not overlap; each bar
     * spans the 95% interval; a dotted line at the chance level. ({@link #experimentFigures()} writes
     * the CSV beside the PNG as {@code category,series,accuracy,lower,upper}.)
     */
    public static Plot accuracyIntervals(Figures.AccuracyIntervals f) {
        List<String> cats = f.categories();
        Plot p = new Plot("Validation accuracy", "{" + String.join(",", cats) + "}", "accuracy");
        p.setSize(Math.min(1200, Math.max(640, 150 * cats.size())), 560);
        p.setLimits(-0.5, cats.size() - 0.5, 0, 1.4); // room above 1 for the legend
        int series = f.series().size();
        double width = 0.7 / Math.max(1, series);
        for (int k = 0; k < series; k++) {
            double off = -0.35 + width * (k + 0.5);
            java.util.List<Double> xs = new java.util.ArrayList<>(), ys = new java.util.ArrayList<>();
            for (int c = 0; c < cats.size(); c++) {
                double v = f.value()[k][c];
                if (!Double.isFinite(v)) continue;
                xs.add(c + off);
                ys.add(v);
            }
            if (xs.isEmpty()) continue;
            double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray(), y = ys.stream().mapToDouble(Double::doubleValue).toArray();
            // the palette repeats after black + 6 colours: the repeats get another marker
            addSeries(p, k, f.series().get(k), x, y, k <= COLORS.length ? "circle" : "diamond");
            Color col = k == 0 ? Color.BLACK : COLORS[(k - 1) % COLORS.length];
            p.setColor(col);
            p.setLineWidth(k == 0 ? 2 : 1);
            for (int c = 0; c < cats.size(); c++) {
                double lo = f.lower()[k][c], hi = f.upper()[k][c];
                if (!Double.isFinite(f.value()[k][c]) || !Double.isFinite(lo) || !Double.isFinite(hi)) continue;
                double xc = c + off, cap = Math.min(0.03, width / 3);
                p.drawLine(xc, lo, xc, hi);
                p.drawLine(xc - cap, lo, xc + cap, lo);
                p.drawLine(xc - cap, hi, xc + cap, hi);
            }
        }
        p.setColor(Color.GRAY);
        p.setLineWidth(1);
        p.drawDottedLine(-0.5, f.chance(), cats.size() - 0.5, f.chance(), 4);
        title(p, f.title() + String.format(Locale.ROOT, "; dotted: chance %.3f", f.chance()));
        p.addLegend(null, "auto");
        return p;
    }

    /** The experiment's figures drawn by this class: shown in Fiji, always written as PNG + CSV. */
    public static Figures experimentFigures() {
        return new Figures() {
            @Override
            public void regionSignal(Path png, Figures.RegionSignal f) throws IOException {
                Plot p = Plots.regionSignal(f);
                save(p, png);
                show(p);
            }

            @Override
            public void accuracyIntervals(Path png, Figures.AccuracyIntervals f) throws IOException {
                Plot p = Plots.accuracyIntervals(f);
                Path csv = save(p, png);
                // the plot's own table cannot hold the bars (drawn lines): a tidy table of what is drawn instead
                StringBuilder b = new StringBuilder("category,series,accuracy,lower,upper\n");
                for (int k = 0; k < f.series().size(); k++)
                    for (int c = 0; c < f.categories().size(); c++)
                        if (Double.isFinite(f.value()[k][c]))
                            b.append(org.pdsynth.volume.Csv.format(List.of(f.categories().get(c), f.series().get(k), Double.toString(f.value()[k][c]),
                                    Double.toString(f.lower()[k][c]), Double.toString(f.upper()[k][c])))).append('\n');
                NiftiFiles.writeAtomically(csv, out -> out.write(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                show(p);
            }
        };
    }
}
