package org.pdsynth.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pdsynth.diagnosis.DiagnosisReport;
import org.pdsynth.diagnosis.Protocol;
import org.pdsynth.metrics.DiseasePattern;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.volume.Modality;

/**
 * Writes an experiment's tables: {@code results.csv} (one row per method and direction: mean and
 * sample standard deviation over test subjects of PSNR dB, SSIM and MAE, whole volume and inside
 * the brain mask; then, inside the mask, PSNR/SSIM against the noise-free truth, the gradient and
 * spectrum ratios, the FA and MD errors in white matter, and the disease-pattern correlation and
 * relative error), {@code per-subject.csv}, {@code diagnosis.csv} (one row per method and
 * protocol) and {@code results.md} (the paper-shaped tables and the metrics of docs/experiment.md).
 * The population template appears as the first row, labelled "population template"; with a
 * noise-free twin the test scans themselves follow as "truth (noisy scan)" (what a perfect
 * single sample would score against the noise-free truth). Empty CSV cells: not measured.
 */
final class ResultsWriter {
    static final String TEMPLATE = "population template";

    private ResultsWriter() {}

    /** Mean and sample standard deviation (0 for one value). */
    record Stat(double mean, double std, int n) {
        static Stat of(List<Double> v) {
            double m = 0;
            for (double x : v) m += x;
            m /= v.size();
            double s = 0;
            for (double x : v) s += (x - m) * (x - m);
            return new Stat(m, v.size() > 1 ? Math.sqrt(s / (v.size() - 1)) : 0, v.size());
        }

        String pm(String fmt) {
            return String.format(Locale.ROOT, fmt + " ± " + fmt, mean, std);
        }
    }

    static Path write(Path out, ExperimentRun.Options o, int trainSubjects, int testSubjects, List<ExperimentRun.Score> scores,
            DiagnosisReport realReal, Map<Method, List<DiagnosisReport>> diag, Map<String, Double> seconds, double totalSeconds,
            Map<String, Map<Modality, DiseasePattern.Agreement>> pattern, boolean directions) throws IOException {
        List<String> rows = new ArrayList<>();
        rows.add(TEMPLATE);
        boolean twin = scores.stream().anyMatch(x -> x.source().equals(ExperimentRun.NOISY_TRUTH));
        if (twin) rows.add(ExperimentRun.NOISY_TRUTH);
        for (Method m : Method.values()) rows.add(m.title());
        StringBuilder csv = new StringBuilder("method,direction,subjects,psnr_mean,psnr_std,ssim_mean,ssim_std,mae_mean,mae_std,"
                + "psnr_mask_mean,psnr_mask_std,ssim_mask_mean,ssim_mask_std,mae_mask_mean,mae_mask_std,"
                + "psnr_clean_mask_mean,psnr_clean_mask_std,ssim_clean_mask_mean,ssim_clean_mask_std,gradient_ratio_mean,gradient_ratio_std,"
                + "spectrum_ratio_mean,spectrum_ratio_std,fa_error_wm_mean,fa_error_wm_std,md_error_wm_mean,md_error_wm_std,"
                + "pattern_r,pattern_rel_error\n");
        StringBuilder per = new StringBuilder("method,subject,label,direction,psnr,ssim,mae,psnr_mask,ssim_mask,mae_mask,"
                + "psnr_clean_mask,ssim_clean_mask,gradient_ratio,spectrum_ratio,fa_error_wm,md_error_wm\n");
        StringBuilder md = new StringBuilder();
        md.append("# PDS experiment results\n\n");
        ExperimentRun.Recipe rc = o.recipe() == null ? ExperimentRun.Recipe.defaults() : o.recipe();
        md.append(String.format(Locale.ROOT, "Budget `%s` (width %d, %d stage-1 steps, %d refiner steps, batch %d, lr %.3g, %d DDIM steps); "
                + "%d training subjects (`%s`), %d test subjects (`%s`); seed %d; total %.1f min.%n%n",
                o.budget().name(), o.budget().width(), o.budget().steps(), o.budget().refinerSteps(), o.budget().batch(),
                o.budget().learningRate(), o.budget().ddimSteps(), trainSubjects, o.train(), testSubjects, o.test(), o.seed(), totalSeconds / 60));
        md.append(String.format(Locale.ROOT, "Recipe: residual mode %s, loss weighting %s, refiner inputs %s; evaluation sampling: %s, "
                + "%d steps, mean of K = %d samples.%n%n", rc.residual() ? "on" : "off", rc.lossWeighting(), rc.refinerInputs(),
                rc.sampler(), rc.steps(o.budget()), rc.samples()));
        md.append("Metrics per DESIGN 4.8: per channel, scaled to [0, 1] by the truth's range, averaged over channels; "
                + "mean ± sample std over test subjects. Truth: the test subject's real scan aligned to N channels. "
                + "Syntheses use the null label. The population template is the voxelwise mean of the training subjects' scans.\n\n");
        for (boolean masked : new boolean[] {true, false}) {
            md.append(masked ? "## Fidelity inside the brain mask\n\n" : "## Fidelity over the whole volume\n\n");
            md.append("| Method | fMRI→dMRI PSNR (dB) | fMRI→dMRI SSIM | dMRI→fMRI PSNR (dB) | dMRI→fMRI SSIM |\n|---|---|---|---|---|\n");
            for (String row : rows) {
                StringBuilder line = new StringBuilder("| " + row + " |");
                for (Modality target : new Modality[] {Modality.DWI, Modality.FMRI}) {
                    List<Double> p = new ArrayList<>(), s = new ArrayList<>();
                    for (ExperimentRun.Score sc : scores) {
                        if (!name(sc).equals(row) || sc.target() != target || sc.report() == null) continue;
                        MetricsReport r = masked && sc.report().masked() != null ? sc.report().masked() : sc.report();
                        p.add(r.psnr());
                        s.add(r.ssim());
                    }
                    line.append(p.isEmpty() ? " – | – |" : " " + Stat.of(p).pm("%.2f") + " | " + Stat.of(s).pm("%.4f") + " |");
                }
                if (p0(scores, row)) md.append(line).append('\n');
            }
            md.append('\n');
        }
        UserTables.append(md, rows, scores, pattern, twin, directions);
        for (String row : rows) {
            for (Modality target : new Modality[] {Modality.DWI, Modality.FMRI}) {
                List<MetricsReport> whole = new ArrayList<>(), mask = new ArrayList<>();
                List<ExperimentRun.Score> all = new ArrayList<>();
                for (ExperimentRun.Score sc : scores) {
                    if (!name(sc).equals(row) || sc.target() != target) continue;
                    all.add(sc);
                    if (sc.report() == null) continue;
                    whole.add(sc.report());
                    if (sc.report().masked() != null) mask.add(sc.report().masked());
                }
                if (all.isEmpty()) continue;
                DiseasePattern.Agreement a = pattern.getOrDefault(row, Map.of()).get(target);
                csv.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%s,%s,%s,%s,%s%n", row, direction(target), all.size(),
                        whole.isEmpty() ? ",,,,," : stats(whole), mask.isEmpty() ? ",,,,," : stats(mask), UserTables.csvStats(all),
                        a == null ? "" : UserTables.num(a.correlation(), "%.4f"), a == null ? "" : UserTables.num(a.relativeError(), "%.4f")));
            }
        }
        for (ExperimentRun.Score sc : scores) {
            MetricsReport r = sc.report(), k = r == null ? null : r.masked();
            per.append(String.format(Locale.ROOT, "\"%s\",%s,%s,%s,%s,%s,%s%n", name(sc), sc.subject(), sc.label() == null ? "" : sc.label(),
                    direction(sc.target()), r == null ? ",," : String.format(Locale.ROOT, "%.4f,%.6f,%.6f", r.psnr(), r.ssim(), r.mae()),
                    k == null ? ",," : String.format(Locale.ROOT, "%.4f,%.6f,%.6f", k.psnr(), k.ssim(), k.mae()), UserTables.csvCells(sc.measures())));
        }

        StringBuilder dcsv = new StringBuilder("method,protocol,replaced,subjects,folds,accuracy,chance_accuracy,macro_f1\n");
        md.append("## Diagnosis (NC / MCI / AD), stratified k-fold by subject on the test cohort\n\n");
        if (realReal == null) {
            md.append("Skipped: the test cohort needs at least 2 subjects of each label present.\n\n");
        } else {
            md.append(String.format(Locale.ROOT, "Real/real (no synthesis): accuracy %.3f, macro F1 %.3f (%d folds, chance %.3f).%n%n",
                    realReal.accuracy(), realReal.macroF1(), realReal.folds(), realReal.chanceAccuracy()));
            dcsv.append(diagRow("real data", realReal));
            md.append("| Method | train real, test hybrid (synthetic dMRI) | train real, test hybrid (synthetic fMRI) "
                    + "| train hybrid (synthetic dMRI), test real | train hybrid (synthetic fMRI), test real | train synthetic, test real |\n"
                    + "|---|---|---|---|---|---|\n");
            for (Map.Entry<Method, List<DiagnosisReport>> e : diag.entrySet()) {
                List<DiagnosisReport> r = e.getValue();
                DiagnosisReport rhDwi = find(r, Protocol.REAL_HYBRID, Modality.DWI), rhFmri = find(r, Protocol.REAL_HYBRID, Modality.FMRI);
                DiagnosisReport hrDwi = find(r, Protocol.HYBRID_REAL, Modality.DWI), hrFmri = find(r, Protocol.HYBRID_REAL, Modality.FMRI);
                DiagnosisReport sr = find(r, Protocol.SYNTHETIC_REAL, null);
                md.append("| ").append(e.getKey().title()).append(" | ").append(acc(rhDwi)).append(" | ").append(acc(rhFmri)).append(" | ")
                        .append(acc(hrDwi)).append(" | ").append(acc(hrFmri)).append(" | ").append(acc(sr)).append(" |\n");
                for (DiagnosisReport d : r) dcsv.append(diagRow(e.getKey().title(), d));
            }
            md.append("\nCells: accuracy (macro F1).\n\n");
        }
        md.append("## Training time\n\n| Network / stage | seconds |\n|---|---|\n");
        for (Map.Entry<String, Double> e : seconds.entrySet()) md.append(String.format(Locale.ROOT, "| %s | %.0f |%n", e.getKey(), e.getValue()));
        md.append("\nFigures: `montage-dwi.png`, `montage-fmri.png` (all methods, first test subject), `montages/` (truth beside each "
                + "method), `region-signal-<target>-<group>.png` (ImageJ plots, their data in the `.csv` beside each; all numbers in `regions.csv`); effect sizes in `pattern.csv`.\n");

        NiftiFiles.writeAtomically(out.resolve("results.csv"), w -> w.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        NiftiFiles.writeAtomically(out.resolve("per-subject.csv"), w -> w.write(per.toString().getBytes(StandardCharsets.UTF_8)));
        NiftiFiles.writeAtomically(out.resolve("diagnosis.csv"), w -> w.write(dcsv.toString().getBytes(StandardCharsets.UTF_8)));
        Path p = out.resolve("results.md");
        NiftiFiles.writeAtomically(p, w -> w.write(md.toString().getBytes(StandardCharsets.UTF_8)));
        return p;
    }

    private static String name(ExperimentRun.Score s) {
        return s.source();
    }

    /** True when the row has scores against the truth (the noisy-truth row has none). */
    private static boolean p0(List<ExperimentRun.Score> scores, String row) {
        return scores.stream().anyMatch(x -> x.source().equals(row) && x.report() != null);
    }

    private static String direction(Modality target) {
        return target == Modality.DWI ? "fmri->dwi" : "dwi->fmri";
    }

    private static String stats(List<MetricsReport> r) {
        List<Double> p = new ArrayList<>(), s = new ArrayList<>(), a = new ArrayList<>();
        for (MetricsReport x : r) {
            p.add(x.psnr());
            s.add(x.ssim());
            a.add(x.mae());
        }
        Stat sp = Stat.of(p), ss = Stat.of(s), sa = Stat.of(a);
        return String.format(Locale.ROOT, "%.4f,%.4f,%.6f,%.6f,%.6f,%.6f", sp.mean(), sp.std(), ss.mean(), ss.std(), sa.mean(), sa.std());
    }

    /** The report of {@code p} (with {@code replaced} as its synthetic modality unless null), or null. */
    private static DiagnosisReport find(List<DiagnosisReport> r, Protocol p, Modality replaced) {
        for (DiagnosisReport d : r)
            if (d.protocol() == p && (replaced == null || d.replaced() == replaced)) return d;
        return null;
    }

    private static String acc(DiagnosisReport d) {
        return d == null ? "–" : String.format(Locale.ROOT, "%.3f (%.3f)", d.accuracy(), d.macroF1());
    }

    private static String diagRow(String method, DiagnosisReport d) {
        return String.format(Locale.ROOT, "\"%s\",%s,%s,%d,%d,%.4f,%.4f,%.4f%n", method, d.protocol().cliName(),
                d.replaced() == null ? "" : d.replaced(), d.subjects(), d.folds(), d.accuracy(), d.chanceAccuracy(), d.macroF1());
    }
}
