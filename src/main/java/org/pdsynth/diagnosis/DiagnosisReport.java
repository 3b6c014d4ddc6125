package org.pdsynth.diagnosis;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdsynth.volume.Csv;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;

/**
 * The result of one protocol: pooled out-of-fold metrics, the confusion matrix and every
 * subject's prediction.
 *
 * <p>Classes are always NC, MCI, AD in that order. Metrics as in {@link ClassificationMetrics},
 * from the confusion matrix pooled over folds (rows = truth, columns = prediction). A recall of a
 * class with no subject is NaN, written {@code null} in JSON and empty in CSV.
 * {@code chanceAccuracy} is the majority-class rate (the accuracy of always predicting the
 * largest class): the floor a useful classifier must beat.
 *
 * <p>JSON ({@link #toJson()}), keys in this order: {@code protocol, description, replaced, train,
 * test, folds, seed, lambda, subjects, class_counts{NC,MCI,AD}, features, regions_kept,
 * dropped_regions[], accuracy, chance_accuracy, macro_f1, recall{NC,MCI,AD}, confusion (3 rows),
 * fold_accuracy[], non_converged_fits, skipped[], predictions[{subject, fold, truth, predicted,
 * p_NC, p_MCI, p_AD}]}. CSV ({@link #toCsv()}): {@link #CSV_HEADER} and one row, so reports of
 * several protocols stack into one table ({@link #csvRow()}); {@link #predictionsCsv()} has one
 * row per subject.
 *
 * @param protocol         which protocol
 * @param replaced         the synthetic modality of a hybrid protocol, else null
 * @param train            the training features, e.g. "real fmri + synthetic dwi"
 * @param test             the test features
 * @param folds            k
 * @param seed             fold seed
 * @param lambda           L2 penalty
 * @param classCounts      subjects per class (NC, MCI, AD)
 * @param features         feature columns
 * @param regionsKept      atlas regions with columns
 * @param droppedRegions   regions dropped (too few voxels in some subject's mask), by name
 * @param accuracy         pooled accuracy
 * @param chanceAccuracy   majority-class rate
 * @param macroF1          pooled macro F1
 * @param recall           pooled recall of NC, MCI, AD
 * @param confusion        3 x 3 pooled counts
 * @param foldAccuracy     per-fold accuracy
 * @param nonConvergedFits folds whose fit did not reach the gradient tolerance
 * @param skipped          subjects of the cohort not used, "id: reason"
 * @param predictions      per subject, in cohort order
 */
public record DiagnosisReport(Protocol protocol, Modality replaced, String train, String test, int folds, long seed,
        double lambda, int[] classCounts, int features, int regionsKept, List<String> droppedRegions, double accuracy,
        double chanceAccuracy, double macroF1, double[] recall, int[][] confusion, double[] foldAccuracy,
        int nonConvergedFits, List<String> skipped, List<Prediction> predictions) {

    /** Columns of {@link #toCsv()}. */
    public static final List<String> CSV_HEADER = List.of("protocol", "replaced", "train", "test", "subjects", "n_NC", "n_MCI",
            "n_AD", "features", "regions_kept", "folds", "seed", "lambda", "accuracy", "chance_accuracy", "macro_f1", "recall_NC",
            "recall_MCI", "recall_AD", "cm_NC_NC", "cm_NC_MCI", "cm_NC_AD", "cm_MCI_NC", "cm_MCI_MCI", "cm_MCI_AD", "cm_AD_NC",
            "cm_AD_MCI", "cm_AD_AD", "non_converged_fits", "skipped");

    public DiagnosisReport {
        classCounts = classCounts.clone();
        droppedRegions = List.copyOf(droppedRegions);
        recall = recall.clone();
        int[][] c = new int[3][];
        for (int i = 0; i < 3; i++) c[i] = confusion[i].clone();
        confusion = c;
        foldAccuracy = foldAccuracy.clone();
        skipped = List.copyOf(skipped);
        predictions = List.copyOf(predictions);
    }

    /** Builds a report from a cross-validation result. */
    static DiagnosisReport of(Protocol p, Modality replaced, String train, String test, CrossValidation cv, int features,
            int regionsKept, List<String> droppedRegions, CrossValidation.Result r, List<String> skipped) {
        int[] counts = new int[3];
        for (Prediction q : r.predictions()) counts[q.truth().ordinal()]++;
        int n = r.predictions().size(), max = Math.max(counts[0], Math.max(counts[1], counts[2]));
        return new DiagnosisReport(p, replaced, train, test, cv.folds(), cv.seed(), cv.classifier().lambda(), counts, features,
                regionsKept, droppedRegions, r.accuracy(), n == 0 ? Double.NaN : (double) max / n, r.macroF1(), r.recall(),
                r.confusion(), r.foldAccuracy(), r.nonConverged(), skipped, r.predictions());
    }

    /** Subjects classified. */
    public int subjects() {
        return classCounts[0] + classCounts[1] + classCounts[2];
    }

    @Override
    public int[] classCounts() {
        return classCounts.clone();
    }

    @Override
    public double[] recall() {
        return recall.clone();
    }

    @Override
    public int[][] confusion() {
        int[][] c = new int[3][];
        for (int i = 0; i < 3; i++) c[i] = confusion[i].clone();
        return c;
    }

    @Override
    public double[] foldAccuracy() {
        return foldAccuracy.clone();
    }

    /** Pretty-printed JSON (keys in the order of the class comment). */
    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(toJsonObject());
    }

    /** The JSON tree, for embedding in a larger document. */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("protocol", protocol.cliName());
        o.addProperty("description", protocol.description());
        if (replaced == null) o.add("replaced", JsonNull.INSTANCE);
        else o.addProperty("replaced", replaced.name().toLowerCase(Locale.ROOT));
        o.addProperty("train", train);
        o.addProperty("test", test);
        o.addProperty("folds", folds);
        o.addProperty("seed", seed);
        o.addProperty("lambda", lambda);
        o.addProperty("subjects", subjects());
        o.add("class_counts", perClass(new double[] {classCounts[0], classCounts[1], classCounts[2]}, true));
        o.addProperty("features", features);
        o.addProperty("regions_kept", regionsKept);
        JsonArray dr = new JsonArray();
        droppedRegions.forEach(dr::add);
        o.add("dropped_regions", dr);
        num(o, "accuracy", accuracy);
        num(o, "chance_accuracy", chanceAccuracy);
        num(o, "macro_f1", macroF1);
        o.add("recall", perClass(recall, false));
        JsonArray cm = new JsonArray();
        for (int[] row : confusion) {
            JsonArray a = new JsonArray();
            for (int v : row) a.add(v);
            cm.add(a);
        }
        o.add("confusion", cm);
        JsonArray fa = new JsonArray();
        for (double v : foldAccuracy) {
            if (Double.isFinite(v)) fa.add(v);
            else fa.add(JsonNull.INSTANCE);
        }
        o.add("fold_accuracy", fa);
        o.addProperty("non_converged_fits", nonConvergedFits);
        JsonArray sk = new JsonArray();
        skipped.forEach(sk::add);
        o.add("skipped", sk);
        JsonArray pr = new JsonArray();
        for (Prediction p : predictions) {
            JsonObject q = new JsonObject();
            q.addProperty("subject", p.subject());
            q.addProperty("fold", p.fold());
            q.addProperty("truth", p.truth().name());
            q.addProperty("predicted", p.predicted().name());
            double[] pp = p.probabilities();
            for (Diagnosis d : Diagnosis.values()) q.addProperty("p_" + d.name(), pp[d.ordinal()]);
            pr.add(q);
        }
        o.add("predictions", pr);
        return o;
    }

    private static JsonObject perClass(double[] v, boolean integer) {
        JsonObject o = new JsonObject();
        for (Diagnosis d : Diagnosis.values()) {
            double x = v[d.ordinal()];
            if (integer) o.addProperty(d.name(), (int) x);
            else num(o, d.name(), x);
        }
        return o;
    }

    private static void num(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) o.addProperty(key, v);
        else o.add(key, JsonNull.INSTANCE);
    }

    /** A few human-readable lines. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "protocol %s (%s)%n", protocol.cliName(), protocol.description()));
        b.append(String.format(Locale.ROOT, "train: %s; test: %s%n", train, test));
        b.append(String.format(Locale.ROOT, "subjects %d (NC %d, MCI %d, AD %d); %d features from %d regions%s%n", subjects(),
                classCounts[0], classCounts[1], classCounts[2], features, regionsKept,
                droppedRegions.isEmpty() ? "" : " (" + droppedRegions.size() + " dropped: " + String.join(", ", droppedRegions) + ")"));
        b.append(String.format(Locale.ROOT, "%d-fold stratified by subject, seed %d; multinomial logistic regression, L2 lambda %s%n", folds,
                seed, fmt(lambda)));
        b.append(String.format(Locale.ROOT, "accuracy %s (majority class %s); macro F1 %s%n", fmt(accuracy), fmt(chanceAccuracy),
                fmt(macroF1)));
        b.append(String.format(Locale.ROOT, "recall  NC %s  MCI %s  AD %s%n", fmt(recall[0]), fmt(recall[1]), fmt(recall[2])));
        b.append("confusion (rows truth, columns predicted):\n");
        b.append(String.format(Locale.ROOT, "%6s %6s %6s %6s%n", "", "NC", "MCI", "AD"));
        for (Diagnosis d : Diagnosis.values()) {
            int[] r = confusion[d.ordinal()];
            b.append(String.format(Locale.ROOT, "%6s %6d %6d %6d%n", d.name(), r[0], r[1], r[2]));
        }
        StringBuilder fa = new StringBuilder();
        for (double v : foldAccuracy) fa.append(' ').append(fmt(v));
        b.append("fold accuracy:").append(fa).append('\n');
        if (nonConvergedFits > 0) b.append(nonConvergedFits).append(" fold fit(s) stopped before the gradient tolerance\n");
        if (!skipped.isEmpty()) b.append("skipped ").append(skipped.size()).append(": ").append(String.join("; ", skipped)).append('\n');
        return b.toString();
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }

    /** {@link #CSV_HEADER} and {@link #csvRow()}, LF-terminated. */
    public String toCsv() {
        return Csv.format(CSV_HEADER) + "\n" + csvRow() + "\n";
    }

    /** This report as one CSV record (no line end), columns of {@link #CSV_HEADER}. */
    public String csvRow() {
        List<String> f = new ArrayList<>();
        f.add(protocol.cliName());
        f.add(replaced == null ? "" : replaced.name().toLowerCase(Locale.ROOT));
        f.add(train);
        f.add(test);
        f.add(Integer.toString(subjects()));
        for (int c : classCounts) f.add(Integer.toString(c));
        f.add(Integer.toString(features));
        f.add(Integer.toString(regionsKept));
        f.add(Integer.toString(folds));
        f.add(Long.toString(seed));
        f.add(Double.toString(lambda));
        f.add(csvNum(accuracy));
        f.add(csvNum(chanceAccuracy));
        f.add(csvNum(macroF1));
        for (double r : recall) f.add(csvNum(r));
        for (int[] row : confusion) for (int v : row) f.add(Integer.toString(v));
        f.add(Integer.toString(nonConvergedFits));
        f.add(Integer.toString(skipped.size()));
        return Csv.format(f);
    }

    /** One row per subject: {@code subject,fold,truth,predicted,p_NC,p_MCI,p_AD}. */
    public String predictionsCsv() {
        StringBuilder b = new StringBuilder("subject,fold,truth,predicted,p_NC,p_MCI,p_AD\n");
        for (Prediction p : predictions) {
            double[] pp = p.probabilities();
            b.append(Csv.format(List.of(p.subject(), Integer.toString(p.fold()), p.truth().name(), p.predicted().name(),
                    Double.toString(pp[0]), Double.toString(pp[1]), Double.toString(pp[2])))).append('\n');
        }
        return b.toString();
    }

    private static String csvNum(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }
}
