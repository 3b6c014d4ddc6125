package org.pdsynth.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.pdsynth.metrics.DiseasePattern;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.volume.Modality;

/**
 * The results.md sections and CSV cells of the metrics users need ({@link Measures},
 * {@link PatternScores}; definitions in docs/experiment.md): fidelity against the noise-free
 * truth, sharpness, dMRI microstructure and the disease pattern. Mean ± sample std over test
 * subjects; "–" where not measured.
 */
final class UserTables {
    private static final Modality[] TARGETS = {Modality.DWI, Modality.FMRI};

    private UserTables() {}

    static void append(StringBuilder md, List<String> rows, List<ExperimentRun.Score> scores,
            Map<String, Map<Modality, DiseasePattern.Agreement>> pattern, boolean twin, boolean directions) {
        String against = twin ? "the noise-free truth" : "the truth (no noise-free twin given)";
        if (twin) {
            md.append("## Fidelity against the noise-free truth, inside the brain mask\n\n(Whole volume for test subjects without a mask.) ")
                    .append("The test cohort's noise-free twin (`pds simulate --noise-free`, same seed) is the reference. "
                            + "\"" + ExperimentRun.NOISY_TRUTH + "\" is the test scan itself: what a perfect single sample scores.\n\n")
                    .append("| Method | fMRI→dMRI PSNR (dB) | fMRI→dMRI SSIM | dMRI→fMRI PSNR (dB) | dMRI→fMRI SSIM |\n|---|---|---|---|---|\n");
            for (String row : rows)
                md.append(line(row, scores, m -> m.cleanInMask() == null ? null : m.cleanInMask().psnr(), "%.2f",
                        m -> m.cleanInMask() == null ? null : m.cleanInMask().ssim(), "%.4f"));
            md.append('\n');
        }
        md.append("## Sharpness relative to ").append(against).append(", inside the brain mask\n\n")
                .append("(Whole volume for test subjects without a mask.) Gradient-magnitude ratio and power-spectrum ratio over the upper half of spatial frequencies: "
                        + "1 = as detailed, < 1 blurrier, > 1 more high-frequency content (detail or noise).\n\n")
                .append("| Method | fMRI→dMRI gradient ratio | fMRI→dMRI spectrum ratio | dMRI→fMRI gradient ratio | dMRI→fMRI spectrum ratio |\n"
                        + "|---|---|---|---|---|\n");
        for (String row : rows)
            md.append(line(row, scores, m -> m.sharpness().gradientRatio(), "%.3f", m -> m.sharpness().spectrumRatio(), "%.3f"));
        md.append('\n');
        md.append("## dMRI microstructure (fMRI→dMRI): tensor fit against ").append(against).append("\n\n");
        if (!directions) {
            md.append("Not measured: the DWI channels are b-value segments; a tensor fit needs dMRI grouping `directions`.\n\n");
        } else {
            md.append("WLS tensor fit of the N channels (b0 + direction clusters with their mean b-matrices); white matter = "
                    + "reference FA > 0.2 inside the mask.\n\n| Method | FA error in WM | MD error in WM (10⁻³ mm²/s) | mean FA in WM |\n|---|---|---|---|\n");
            for (String row : rows) {
                List<Double> fe = values(scores, row, Modality.DWI, m -> m.micro() == null ? null : m.micro().faErrorWm());
                List<Double> me = values(scores, row, Modality.DWI, m -> m.micro() == null ? null : 1e3 * m.micro().mdErrorWm());
                List<Double> fa = values(scores, row, Modality.DWI, m -> m.micro() == null ? null : m.micro().faTestWm());
                List<Double> ref = values(scores, row, Modality.DWI, m -> m.micro() == null ? null : m.micro().faReferenceWm());
                if (fe.isEmpty()) continue;
                md.append("| ").append(row).append(" | ").append(pm(fe, "%.4f")).append(" | ").append(pm(me, "%.4f")).append(" | ")
                        .append(pm(fa, "%.3f")).append(" (reference ").append(pm(ref, "%.3f")).append(") |\n");
            }
            md.append('\n');
        }
        md.append("## Disease pattern (paper Fig. 5 as numbers)\n\n")
                .append("Cohen's d of AD vs NC and MCI vs NC for every channel's mean in each disease region; agreement with ")
                .append(twin ? "the noise-free truth's" : "the truth's")
                .append(" pattern: Pearson r and relative error Σ|d − d_ref| / Σ|d_ref|.\n\n")
                .append("| Method | dMRI r | dMRI relative error | fMRI r | fMRI relative error |\n|---|---|---|---|---|\n");
        for (String row : rows) {
            Map<Modality, DiseasePattern.Agreement> a = pattern.get(row);
            if (a == null) continue;
            md.append("| ").append(row).append(" |");
            for (Modality t : TARGETS) {
                DiseasePattern.Agreement x = a.get(t);
                md.append(' ').append(x == null ? "–" : num(x.correlation(), "%.3f")).append(" | ")
                        .append(x == null ? "–" : num(x.relativeError(), "%.3f")).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /** The 12 results.csv cells of one row and direction: clean PSNR/SSIM, gradient/spectrum ratio, FA/MD error (mean, std). */
    static String csvStats(List<ExperimentRun.Score> s) {
        List<Function<Measures, Double>> f = List.of(m -> m.cleanInMask() == null ? null : m.cleanInMask().psnr(),
                m -> m.cleanInMask() == null ? null : m.cleanInMask().ssim(), m -> m.sharpness().gradientRatio(), m -> m.sharpness().spectrumRatio(),
                m -> m.micro() == null ? null : m.micro().faErrorWm(), m -> m.micro() == null ? null : m.micro().mdErrorWm());
        String[] fmt = {"%.4f", "%.6f", "%.5f", "%.5f", "%.6f", "%.4e"};
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < f.size(); k++) {
            List<Double> v = new ArrayList<>();
            for (ExperimentRun.Score x : s) add(v, f.get(k).apply(x.measures()));
            if (k > 0) b.append(',');
            if (v.isEmpty()) b.append(',');
            else {
                ResultsWriter.Stat st = ResultsWriter.Stat.of(v);
                b.append(String.format(Locale.ROOT, fmt[k] + "," + fmt[k], st.mean(), st.std()));
            }
        }
        return b.toString();
    }

    /** The 6 per-subject.csv cells: clean PSNR/SSIM in the mask, gradient/spectrum ratio, FA/MD error. */
    static String csvCells(Measures m) {
        MetricsReport c = m.cleanInMask();
        return String.join(",", c == null ? "" : num(c.psnr(), "%.4f"), c == null ? "" : num(c.ssim(), "%.6f"),
                num(m.sharpness().gradientRatio(), "%.5f"), num(m.sharpness().spectrumRatio(), "%.5f"),
                m.micro() == null ? "" : num(m.micro().faErrorWm(), "%.6f"), m.micro() == null ? "" : num(m.micro().mdErrorWm(), "%.4e"));
    }

    static String num(double v, String fmt) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, fmt, v) : "";
    }

    private static String line(String row, List<ExperimentRun.Score> scores, Function<Measures, Double> a, String fa,
            Function<Measures, Double> b, String fb) {
        StringBuilder l = new StringBuilder("| " + row + " |");
        boolean any = false;
        for (Modality t : TARGETS) {
            List<Double> x = values(scores, row, t, a), y = values(scores, row, t, b);
            any |= !x.isEmpty();
            l.append(' ').append(pm(x, fa)).append(" | ").append(pm(y, fb)).append(" |");
        }
        return any ? l.append('\n').toString() : "";
    }

    private static List<Double> values(List<ExperimentRun.Score> scores, String row, Modality target, Function<Measures, Double> f) {
        List<Double> v = new ArrayList<>();
        for (ExperimentRun.Score s : scores) if (s.source().equals(row) && s.target() == target) add(v, f.apply(s.measures()));
        return v;
    }

    private static void add(List<Double> v, Double x) {
        if (x != null && Double.isFinite(x)) v.add(x);
    }

    private static String pm(List<Double> v, String fmt) {
        return v.isEmpty() ? "–" : ResultsWriter.Stat.of(v).pm(fmt);
    }
}
