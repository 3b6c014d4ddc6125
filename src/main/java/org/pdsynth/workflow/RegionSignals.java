package org.pdsynth.workflow;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.pdsynth.volume.Atlas;
import org.pdsynth.diffusion.AtlasWeightMap;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.Volume;
import org.pdsynth.volume.VolumeArrays;

/**
 * Per-region signal by diagnostic group (paper Fig. 5): for each target modality, the mean of
 * one channel inside each disease-related atlas region ({@link AtlasWeightMap#DEFAULT_REGIONS}
 * present in the atlas; else the atlas' first 12 regions), averaged over the test subjects of
 * each group, for the truth and for every method's synthesis. Units: the modality's intensity
 * units. Writes {@code regions.csv} (the numbers) and {@code region-signal-<target>.png}
 * (one panel per group, one line per source).
 */
final class RegionSignals {
    private static final Color[] COLORS = {new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 158, 115),
        new Color(213, 94, 0), new Color(204, 121, 167), new Color(0, 114, 178)};

    private RegionSignals() {}

    static void write(Path out, Path atlasFile, List<Subject> test, Map<String, Volume> truth, List<Method> methods, Path synthRoot,
            int channel) throws IOException {
        StringBuilder csv = new StringBuilder("target,group,region,source,mean,subjects\n");
        for (Modality target : Modality.values()) {
            String name = target == Modality.DWI ? "dwi" : "fmri";
            Volume first = truth.get(test.get(0).subject() + "/" + target);
            Atlas atlas = Atlas.read(atlasFile, first.grid());
            List<Integer> regions = regions(atlas);
            List<String> sources = new ArrayList<>();
            sources.add("truth");
            for (Method m : methods) sources.add(m.title());
            // sums[group][source][region], counts[group]
            Map<Diagnosis, double[][]> sums = new LinkedHashMap<>();
            Map<Diagnosis, Integer> counts = new LinkedHashMap<>();
            for (Subject s : test) {
                if (s.label() == null) continue;
                Volume t = truth.get(s.subject() + "/" + target);
                if (!t.grid().sameAs(first.grid(), 1e-6)) atlas = Atlas.read(atlasFile, t.grid());
                double[][] acc = sums.computeIfAbsent(s.label(), d -> new double[sources.size()][regions.size()]);
                counts.merge(s.label(), 1, Integer::sum);
                add(acc[0], means(t.data(), atlas, regions, channel));
                for (int k = 0; k < methods.size(); k++) {
                    Img<FloatType> v = NiftiReader.read(CohortCompletion.outputFile(synthRoot.resolve(methods.get(k).key()), s.subject(), target)).data();
                    add(acc[k + 1], means(v, atlas, regions, channel));
                }
            }
            List<String> regionNames = new ArrayList<>();
            for (int r : regions) regionNames.add(atlas.regions().get(r).name());
            Map<Diagnosis, double[][]> means = new LinkedHashMap<>();
            for (Diagnosis d : Diagnosis.values()) {
                if (!sums.containsKey(d)) continue;
                double[][] m = sums.get(d);
                int n = counts.get(d);
                for (double[] row : m) for (int r = 0; r < row.length; r++) row[r] /= n;
                means.put(d, m);
                for (int k = 0; k < sources.size(); k++)
                    for (int r = 0; r < regions.size(); r++)
                        csv.append(String.format(Locale.ROOT, "%s,%s,%s,\"%s\",%.6g,%d%n", name, d, regionNames.get(r), sources.get(k), m[k][r], n));
            }
            BufferedImage img = plot(name + " channel " + channel + ": mean signal per region and group", regionNames, sources, means);
            NiftiFiles.writeAtomically(out.resolve("region-signal-" + name + ".png"), o -> ImageIO.write(img, "png", o));
        }
        NiftiFiles.writeAtomically(out.resolve("regions.csv"), o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Positions (in the atlas' region list) of the disease regions with voxels on the grid. */
    static List<Integer> regions(Atlas atlas) {
        List<Integer> out = new ArrayList<>();
        for (String want : AtlasWeightMap.DEFAULT_REGIONS)
            for (int r = 0; r < atlas.size(); r++)
                if (atlas.regions().get(r).name().equals(want) && atlas.voxels(r) > 0) out.add(r);
        for (int r = 0; out.isEmpty() && r < atlas.size(); r++) if (atlas.voxels(r) > 0 && r < 12) out.add(r);
        return out;
    }

    /** Mean of one channel of an (x, y, z, channel) volume inside each region. */
    static double[] means(Img<FloatType> v, Atlas atlas, List<Integer> regions, int channel) {
        float[] x = VolumeArrays.copyOf(Views.hyperSlice(v, 3, channel));
        double[] sum = new double[atlas.size()];
        for (int i = 0; i < x.length; i++) {
            int r = atlas.regionOf(i);
            if (r >= 0) sum[r] += x[i];
        }
        double[] out = new double[regions.size()];
        for (int k = 0; k < out.length; k++) out[k] = sum[regions.get(k)] / atlas.voxels(regions.get(k));
        return out;
    }

    private static void add(double[] acc, double[] v) {
        for (int i = 0; i < acc.length; i++) acc[i] += v[i];
    }

    private static BufferedImage plot(String title, List<String> regions, List<String> sources, Map<Diagnosis, double[][]> means) {
        int panelW = 360, panelH = 300, left = 60, top = 40, bottom = 110, legendH = 18 * sources.size() + 10;
        int w = left + means.size() * (panelW + 20) + 10, h = top + panelH + bottom + legendH;
        BufferedImage img = new BufferedImage(Math.max(w, 400), h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 20);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[][] m : means.values()) for (double[] row : m) for (double v : row) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(hi > lo)) hi = lo + 1;
        double pad = 0.05 * (hi - lo);
        lo -= pad;
        hi += pad;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int x0 = left;
        for (Map.Entry<Diagnosis, double[][]> e : means.entrySet()) {
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(x0, top, panelW, panelH);
            g.drawString(e.getKey().toString(), x0 + panelW / 2 - 10, top - 5);
            if (x0 == left)
                for (int k = 0; k <= 4; k++) {
                    double v = lo + k * (hi - lo) / 4;
                    int y = top + panelH - (int) Math.round(k * panelH / 4.0);
                    g.drawString(String.format(Locale.ROOT, "%.4g", v), 2, y + 4);
                }
            int n = regions.size();
            for (int r = 0; r < n; r++) {
                int x = x0 + (int) Math.round((r + 0.5) * panelW / n);
                AffineTransform keep = g.getTransform();
                g.translate(x + 4, top + panelH + 6);
                g.rotate(Math.PI / 2);
                g.setColor(Color.DARK_GRAY);
                g.drawString(regions.get(r), 0, 0);
                g.setTransform(keep);
            }
            double[][] m = e.getValue();
            for (int k = m.length - 1; k >= 0; k--) {
                g.setColor(k == 0 ? Color.BLACK : COLORS[(k - 1) % COLORS.length]);
                g.setStroke(new BasicStroke(k == 0 ? 3f : 1.5f));
                int px = -1, py = -1;
                for (int r = 0; r < n; r++) {
                    int x = x0 + (int) Math.round((r + 0.5) * panelW / n);
                    int y = top + panelH - (int) Math.round((m[k][r] - lo) / (hi - lo) * panelH);
                    if (px >= 0) g.drawLine(px, py, x, y);
                    g.fillOval(x - 3, y - 3, 6, 6);
                    px = x;
                    py = y;
                }
            }
            x0 += panelW + 20;
        }
        int ly = top + panelH + bottom;
        for (int k = 0; k < sources.size(); k++) {
            g.setColor(k == 0 ? Color.BLACK : COLORS[(k - 1) % COLORS.length]);
            g.fillRect(left, ly + 18 * k, 24, 4);
            g.setColor(Color.BLACK);
            g.drawString(sources.get(k), left + 32, ly + 18 * k + 6);
        }
        g.dispose();
        return img;
    }
}
