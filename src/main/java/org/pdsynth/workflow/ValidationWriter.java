package org.pdsynth.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pdsynth.diagnosis.Protocol;
import org.pdsynth.diagnosis.RepeatedOutcomes;
import org.pdsynth.diagnosis.ValidationStatistics;
import org.pdsynth.metrics.DiseasePattern;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.volume.Csv;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Subject;

/**
 * Writes the tables of a {@link ValidationRun} (all atomically): {@code validation.csv} (one row
 * per source, protocol and replaced modality: accuracy and macro F1 with their 95% bootstrap
 * intervals, the chance level, per-class recall of the pooled confusion matrix), {@code validation-paired.csv} (the paired comparisons),
 * {@code validation-subjects.csv} (per row and subject: correct repeats and the majority vote) and
 * {@code validation.md} (the same as tables, the targets checked, the disease pattern).
 */
final class ValidationWriter {
    private ValidationWriter() {}

    /** Column name of a configuration, as in the tables. */
    static String column(Protocol p, Modality replaced) {
        String m = replaced == null ? "" : replaced == Modality.DWI ? "synthetic dMRI" : "synthetic fMRI";
        return switch (p) {
            case REAL_REAL -> "train real, test real";
            case REAL_HYBRID -> "train real, test hybrid (" + m + ")";
            case HYBRID_REAL -> "train hybrid (" + m + "), test real";
            case SYNTHETIC_REAL -> "train synthetic, test real";
        };
    }

    private static String mod(Modality m) {
        return m == null ? "" : m == Modality.DWI ? "dwi" : "fmri";
    }

    static void write(Path dir, ValidationRun.Options o, int folds, List<Subject> subjects, ValidationRun.Results r, double[] seconds)
            throws IOException {
        StringBuilder csv = new StringBuilder(Csv.format(List.of("source", "title", "protocol", "replaced", "subjects", "repeats", "folds",
                "accuracy", "accuracy_lo", "accuracy_hi", "macro_f1", "macro_f1_lo", "macro_f1_hi", "chance", "recall_NC", "recall_MCI", "recall_AD",
                "non_converged_fits"))).append('\n');
        StringBuilder subj = new StringBuilder("source,protocol,replaced,subject,truth,correct_repeats,repeats,majority\n");
        for (ValidationRun.Row row : r.rows()) {
            ValidationStatistics.Summary s = row.summary();
            csv.append(Csv.format(List.of(row.source(), row.title(), row.protocol().cliName(), mod(row.replaced()), Integer.toString(s.subjects()),
                    Integer.toString(s.repeats()), Integer.toString(folds), num(s.accuracy().value()), num(s.accuracy().lower()),
                    num(s.accuracy().upper()), num(s.macroF1().value()), num(s.macroF1().lower()), num(s.macroF1().upper()), num(s.chance()),
                    num(recall(row.outcomes(), 0)), num(recall(row.outcomes(), 1)), num(recall(row.outcomes(), 2)),
                    Integer.toString(row.outcomes().nonConverged())))).append('\n');
            RepeatedOutcomes oc = row.outcomes();
            for (int i = 0; i < oc.size(); i++) {
                int ok = 0;
                for (int k : oc.predicted()[i]) if (k == oc.truth()[i]) ok++;
                subj.append(Csv.format(List.of(row.source(), row.protocol().cliName(), mod(row.replaced()), oc.subjects().get(i),
                        Diagnosis.values()[oc.truth()[i]].name(), Integer.toString(ok), Integer.toString(oc.repeats()),
                        Diagnosis.values()[oc.majority(i)].name()))).append('\n');
            }
        }
        StringBuilder paired = new StringBuilder("a,b,protocol,replaced,accuracy_a,accuracy_b,difference,difference_lo,difference_hi,"
                + "bootstrap_p,only_a_correct,only_b_correct,mcnemar_p\n");
        for (ValidationRun.Comparison c : r.comparisons()) {
            ValidationStatistics.Paired p = c.paired();
            paired.append(Csv.format(List.of(c.a(), c.b(), c.protocol().cliName(), mod(c.replaced()), num(p.accuracyA()), num(p.accuracyB()),
                    num(p.difference().value()), num(p.difference().lower()), num(p.difference().upper()), num(p.bootstrapP()),
                    Integer.toString(p.onlyA()), Integer.toString(p.onlyB()), num(p.mcnemarP())))).append('\n');
        }
        save(dir.resolve("validation.csv"), csv.toString());
        save(dir.resolve("validation-subjects.csv"), subj.toString());
        save(dir.resolve("validation-paired.csv"), paired.toString());
        save(dir.resolve("validation.md"), markdown(o, folds, subjects, r, seconds));
    }

    private static String markdown(ValidationRun.Options o, int folds, List<Subject> subjects, ValidationRun.Results r, double[] seconds) {
        int[] n = new int[3];
        for (Subject s : subjects) n[s.label().ordinal()]++;
        ValidationRun.Row rr = r.rows().get(0);
        StringBuilder b = new StringBuilder("# PDS clinical validation (NC / MCI / AD)\n\n");
        b.append(String.format(Locale.ROOT, "Held-out cohort `%s`: %d labelled subjects (NC %d, MCI %d, AD %d); models of `%s` (trained on `%s`), "
                + "seed %d. Repeated stratified k-fold by subject: %d repeats x %d folds (fold seed %d + repeat); multinomial logistic regression "
                + "(L2); 95%% percentile intervals from %d bootstrap resamples over subjects. Chance (majority class) %.3f. "
                + "Definitions: docs/validation.md.%n%n", o.heldOut(), subjects.size(), n[0], n[1], n[2], o.experiment().out().resolve("models"),
                o.experiment().train(), o.experiment().seed(), o.repeats(), folds, o.experiment().seed(), o.resamples(), rr.summary().chance()));
        b.append(String.format(Locale.ROOT, "Real/real (no synthesis): accuracy %s, macro F1 %s.%n%n", cell(rr.summary().accuracy()),
                cell(rr.summary().macroF1())));
        for (boolean acc : new boolean[] {true, false}) {
            b.append(acc ? "## Accuracy [95% interval]\n\n" : "## Macro F1 [95% interval]\n\n");
            b.append("| Method |");
            for (Object[] c : ValidationRun.configurations()) b.append(' ').append(column((Protocol) c[0], (Modality) c[1])).append(" |");
            b.append("\n|---|");
            for (int k = 0; k < ValidationRun.configurations().size(); k++) b.append("---|");
            b.append('\n');
            List<String> sources = sources(r);
            for (String s : sources) {
                if (s.equals(ValidationRun.REAL)) continue;
                b.append("| ").append(ValidationRun.title(s)).append(" |");
                for (Object[] c : ValidationRun.configurations()) {
                    ValidationRun.Row row = r.row(s, (Protocol) c[0], (Modality) c[1]);
                    b.append(' ').append(row == null ? "" : cell(acc ? row.summary().accuracy() : row.summary().macroF1())).append(" |");
                }
                b.append('\n');
            }
            b.append('\n');
        }
        b.append("## Paired comparisons (same subjects, same folds)\n\n");
        b.append("Accuracy difference A - B with its paired-bootstrap 95% interval and two-sided p; exact McNemar test on the per-subject "
                + "majority vote over repeats (n01 = subjects only A gets right, n10 = only B).\n\n");
        b.append("| A | B | protocol | acc A | acc B | A - B [95% interval] | bootstrap p | n01 / n10 | McNemar p |\n|---|---|---|---|---|---|---|---|---|\n");
        for (ValidationRun.Comparison c : r.comparisons()) {
            ValidationStatistics.Paired p = c.paired();
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %s | %s | %d / %d | %s |%n", ValidationRun.title(c.a()),
                    c.b().equals(ValidationRun.REAL) ? "real/real" : ValidationRun.title(c.b()), column(c.protocol(), c.replaced()), p.accuracyA(),
                    p.accuracyB(), signed(p.difference()), bootP(p.bootstrapP(), o.resamples()), p.onlyA(), p.onlyB(), pval(p.mcnemarP())));
        }
        b.append('\n').append(targets(r, o.resamples())).append('\n');
        b.append("## Disease pattern of the same syntheses\n\n");
        b.append("Cohen's d of AD vs NC and MCI vs NC for every channel's mean in each disease region of the held-out subjects; agreement with "
                + "the real scans' pattern: Pearson r and relative error Σ|d − d_ref| / Σ|d_ref| (effect sizes in `pattern.csv`).\n\n");
        b.append("| Method | dMRI r | dMRI relative error | fMRI r | fMRI relative error |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<Modality, DiseasePattern.Agreement>> e : r.pattern().entrySet()) {
            b.append("| ").append(e.getKey()).append(" |");
            for (Modality m : new Modality[] {Modality.DWI, Modality.FMRI}) {
                DiseasePattern.Agreement a = e.getValue().get(m);
                b.append(a == null ? " | |" : String.format(Locale.ROOT, " %.3f | %.3f |", a.correlation(), a.relativeError()));
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "%nTime: syntheses %.1f min (%d written by the final call), features %.1f min, cross-validation and "
                + "bootstrap %.1f min, total %.1f min.%n%n", seconds[0] / 60, r.written(), seconds[1] / 60, seconds[2] / 60, seconds[3] / 60));
        b.append("Files: `validation.csv` (every row), `validation-paired.csv`, `validation-subjects.csv` (per subject: correct repeats, majority "
                + "vote), `validation-accuracy.png` (ImageJ plot; its data in the `.csv` beside it), `pattern.csv`, `synthetic/<method>/`.\n");
        return b.toString();
    }

    /** The targets, each stated met or not from the numbers above. */
    private static String targets(ValidationRun.Results r, int resamples) {
        StringBuilder b = new StringBuilder("## Targets (issue 16)\n\n");
        ValidationRun.Row rr = r.rows().get(0);
        ValidationStatistics.Summary s = rr.summary();
        b.append(String.format(Locale.ROOT, "- Real/real accuracy interval excludes chance: %s (interval [%.3f, %.3f], chance %.3f).%n",
                s.accuracy().lower() > s.chance() ? "**met**" : "**not met**", s.accuracy().lower(), s.accuracy().upper(), s.chance()));
        String pds = Method.PDS.key();
        ValidationRun.Row syn = r.row(pds, Protocol.SYNTHETIC_REAL, null);
        double d = syn.summary().accuracy().value() - s.accuracy().value();
        b.append(String.format(Locale.ROOT, "- PDS, train synthetic-only + test real, within 5 points of real/real (accuracy >= real/real - 0.05): %s "
                + "(%.3f vs %.3f, %+.3f).%n", d >= -0.05 ? "**met**" : "**not met**", syn.summary().accuracy().value(), s.accuracy().value(), d));
        for (Object[] c : ValidationRun.configurations()) {
            Protocol p = (Protocol) c[0];
            if (p == Protocol.SYNTHETIC_REAL) continue;
            ValidationRun.Row h = r.row(pds, p, (Modality) c[1]);
            double dh = h.summary().accuracy().value() - s.accuracy().value();
            b.append(String.format(Locale.ROOT, "- PDS, %s, within 3 points of real/real: %s (%.3f, %+.3f).%n", column(p, (Modality) c[1]),
                    dh >= -0.03 ? "**met**" : "**not met**", h.summary().accuracy().value(), dh));
        }
        for (ValidationRun.Comparison c : r.comparisons()) {
            if (!c.b().equals(Method.L1_UNET.key()) || c.protocol() == Protocol.SYNTHETIC_REAL) continue;
            ValidationStatistics.Paired p = c.paired();
            b.append(String.format(Locale.ROOT, "- PDS >= L1 regression, %s: %s (%.3f vs %.3f; paired bootstrap p %s, McNemar p %s).%n",
                    column(c.protocol(), c.replaced()), p.accuracyA() >= p.accuracyB() ? "**met**" : "**not met**", p.accuracyA(), p.accuracyB(),
                    pval(p.bootstrapP()), pval(p.mcnemarP())));
        }
        b.append("\n(\"Met\" compares point estimates as the issue words them; the intervals and p-values say whether a difference is resolved.)\n");
        return b.toString();
    }

    /** The source keys in row order. */
    static List<String> sources(ValidationRun.Results r) {
        List<String> s = new ArrayList<>();
        for (ValidationRun.Row row : r.rows()) if (!s.contains(row.source())) s.add(row.source());
        return s;
    }

    /** The accuracy figure: categories = real/real and the five synthetic configurations, one series per source. */
    static Figures.AccuracyIntervals chart(ValidationRun.Results r, int folds) {
        List<String> cats = new ArrayList<>();
        cats.add("real/real");
        for (Object[] c : ValidationRun.configurations()) {
            Protocol p = (Protocol) c[0];
            Modality m = (Modality) c[1];
            cats.add(switch (p) {
                case REAL_HYBRID -> "real/hybrid " + (m == Modality.DWI ? "dMRI" : "fMRI");
                case HYBRID_REAL -> "hybrid " + (m == Modality.DWI ? "dMRI" : "fMRI") + "/real";
                default -> "synthetic/real";
            });
        }
        List<String> sources = sources(r), titles = new ArrayList<>();
        double[][] v = new double[sources.size()][cats.size()], lo = new double[sources.size()][cats.size()],
                hi = new double[sources.size()][cats.size()];
        for (int k = 0; k < sources.size(); k++) {
            titles.add(ValidationRun.title(sources.get(k)));
            java.util.Arrays.fill(v[k], Double.NaN);
            java.util.Arrays.fill(lo[k], Double.NaN);
            java.util.Arrays.fill(hi[k], Double.NaN);
        }
        for (ValidationRun.Row row : r.rows()) {
            int k = sources.indexOf(row.source());
            int c = 0;
            if (row.protocol() != Protocol.REAL_REAL) {
                List<Object[]> conf = ValidationRun.configurations();
                for (int j = 0; j < conf.size(); j++) if (conf.get(j)[0] == row.protocol() && conf.get(j)[1] == row.replaced()) c = j + 1;
            }
            v[k][c] = row.summary().accuracy().value();
            lo[k][c] = row.summary().accuracy().lower();
            hi[k][c] = row.summary().accuracy().upper();
        }
        ValidationRun.Row rr = r.rows().get(0);
        return new Figures.AccuracyIntervals(String.format(Locale.ROOT, "Diagnosis accuracy, %d subjects, %d x %d-fold; bars: 95%% bootstrap interval",
                rr.summary().subjects(), rr.summary().repeats(), folds), cats, titles, v, lo, hi, rr.summary().chance());
    }

    /** Recall of class k from the pooled confusion matrix (NaN without subjects of k). */
    private static double recall(RepeatedOutcomes o, int k) {
        return org.pdsynth.diagnosis.ClassificationMetrics.recall(o.confusion(), k);
    }

    private static String cell(ValidationStatistics.Estimate e) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", e.value(), e.lower(), e.upper());
    }

    private static String signed(ValidationStatistics.Estimate e) {
        return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", e.value(), e.lower(), e.upper());
    }

    private static String pval(double p) {
        return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }

    /** A bootstrap p of 0 means no resample on the other side: p &lt; 1/B. */
    private static String bootP(double p, int resamples) {
        return p == 0 ? String.format(Locale.ROOT, "< %.1e", 1.0 / resamples) : pval(p);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static void save(Path f, String text) throws IOException {
        NiftiFiles.writeAtomically(f, w -> w.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
