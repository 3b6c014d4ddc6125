package org.pdsynth.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdsynth.nifti.NiftiFormatException;
import org.pdsynth.volume.Csv;

/**
 * Draws the experiment's figures. The experiment computes the numbers (and writes them as CSV
 * itself); the Fiji layer draws them as ImageJ plots ({@code org.pdsynth.fiji.Plots}), shown in
 * Fiji and written as PNG + CSV headless. {@link #NONE} draws nothing (numbers only).
 */
@FunctionalInterface
public interface Figures {
    /** Draws nothing. */
    Figures NONE = (png, f) -> {};

    /**
     * The per-region signal of one target modality and diagnostic group (paper Fig. 5).
     *
     * @param target   "dwi" or "fmri"
     * @param channel  the channel shown (0-based; -1 when not known)
     * @param group    the diagnostic group (NC, MCI, AD)
     * @param subjects test subjects in the group
     * @param regions  atlas region names (x categories)
     * @param sources  "truth", then each method's title
     * @param means    [source][region] mean of the channel inside the region, averaged over the
     *                 group's subjects, in the modality's intensity units
     */
    record RegionSignal(String target, int channel, String group, int subjects, List<String> regions, List<String> sources,
            double[][] means) {
        public RegionSignal {
            regions = List.copyOf(regions);
            sources = List.copyOf(sources);
            if (means.length != sources.size()) throw new IllegalArgumentException(means.length + " rows of means for " + sources.size() + " sources");
        }

        /**
         * The figures of an experiment's {@code regions.csv} (columns
         * {@code target,group,region,source,mean,subjects}, as {@link ExperimentRun} writes it),
         * in file order: one per target and group. The channel is not in the file: -1.
         *
         * @throws IOException when the file cannot be read or is not such a table (the message names it)
         */
        public static List<RegionSignal> read(Path regionsCsv) throws IOException {
            List<Csv.Row> rows;
            try {
                rows = Csv.parse(Files.readString(regionsCsv));
            } catch (Csv.SyntaxException e) {
                throw new NiftiFormatException(regionsCsv, "line " + e.line + ": " + e.getMessage());
            }
            if (rows.isEmpty() || !rows.get(0).fields().equals(List.of("target", "group", "region", "source", "mean", "subjects")))
                throw new NiftiFormatException(regionsCsv, "expected the header target,group,region,source,mean,subjects");
            Map<String, Map<String, Map<String, Double>>> byFigure = new LinkedHashMap<>(); // figure -> source -> region -> mean
            Map<String, List<String>> regions = new LinkedHashMap<>();
            Map<String, Integer> subjects = new LinkedHashMap<>();
            for (Csv.Row r : rows.subList(1, rows.size())) {
                List<String> f = r.fields();
                if (f.size() != 6) throw new NiftiFormatException(regionsCsv, "line " + r.line() + ": " + f.size() + " fields, expected 6");
                String key = f.get(0) + "\t" + f.get(1);
                try {
                    byFigure.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(f.get(3), k -> new LinkedHashMap<>())
                            .put(f.get(2), Double.parseDouble(f.get(4)));
                    subjects.put(key, Integer.parseInt(f.get(5)));
                } catch (NumberFormatException e) {
                    throw new NiftiFormatException(regionsCsv, "line " + r.line() + ": mean or subjects is not a number");
                }
                List<String> rs = regions.computeIfAbsent(key, k -> new ArrayList<>());
                if (!rs.contains(f.get(2))) rs.add(f.get(2));
            }
            List<RegionSignal> out = new ArrayList<>();
            for (Map.Entry<String, Map<String, Map<String, Double>>> e : byFigure.entrySet()) {
                String[] tg = e.getKey().split("\t");
                List<String> rs = regions.get(e.getKey()), sources = new ArrayList<>(e.getValue().keySet());
                double[][] m = new double[sources.size()][rs.size()];
                for (int k = 0; k < sources.size(); k++)
                    for (int j = 0; j < rs.size(); j++) m[k][j] = e.getValue().get(sources.get(k)).getOrDefault(rs.get(j), Double.NaN);
                out.add(new RegionSignal(tg[0], -1, tg[1], subjects.get(e.getKey()), rs, sources, m));
            }
            return out;
        }
    }

    /**
     * Accuracy with its 95% interval per method and protocol (the clinical validation's figure).
     *
     * @param title      one line above the plot
     * @param categories x categories (protocol and replaced modality), in order
     * @param series     one per source (e.g. "real (no synthesis)", then each method)
     * @param value      [series][category] accuracy, NaN where the series has no value
     * @param lower      [series][category] lower interval bound
     * @param upper      [series][category] upper interval bound
     * @param chance     the majority-class rate (a horizontal reference line)
     */
    record AccuracyIntervals(String title, List<String> categories, List<String> series, double[][] value, double[][] lower,
            double[][] upper, double chance) {
        public AccuracyIntervals {
            categories = List.copyOf(categories);
            series = List.copyOf(series);
            for (double[][] a : new double[][][] {value, lower, upper}) {
                if (a.length != series.size()) throw new IllegalArgumentException(a.length + " rows for " + series.size() + " series");
                for (double[] r : a)
                    if (r.length != categories.size()) throw new IllegalArgumentException(r.length + " values for " + categories.size() + " categories");
            }
        }
    }

    /** Draws {@code f} into {@code png} (and whatever else the implementation writes beside it). */
    void regionSignal(Path png, RegionSignal f) throws IOException;

    /** Draws the accuracy intervals into {@code png}; the default draws nothing (the numbers are in the run's CSV). */
    default void accuracyIntervals(Path png, AccuracyIntervals f) throws IOException {}
}
