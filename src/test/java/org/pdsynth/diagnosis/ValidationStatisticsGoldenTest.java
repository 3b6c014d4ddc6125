package org.pdsynth.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pdsynth.TestData;

/**
 * {@link ValidationStatistics} against numpy/scipy: goldens from
 * {@code /usr/bin/python3 scripts/golden/validation_golden.py} (validation-golden.json; the
 * script re-implements java.util.Random's nextInt so both sides draw the same resamples).
 */
class ValidationStatisticsGoldenTest {
    static final JsonObject G = TestData.golden("validation-golden.json");

    private static int[] ints(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsInt();
        return v;
    }

    private static double[] doubles(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsDouble();
        return v;
    }

    private static RepeatedOutcomes outcomes(String which) {
        int[] truth = ints(G.getAsJsonArray("truth"));
        JsonArray p = G.getAsJsonArray("predicted_" + which), q = G.getAsJsonArray("probability_" + which);
        int[][] pred = new int[truth.length][];
        double[][] prob = new double[truth.length][];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            pred[i] = ints(p.get(i).getAsJsonArray());
            prob[i] = doubles(q.get(i).getAsJsonArray());
            ids.add("s" + i);
        }
        return new RepeatedOutcomes(ids, truth, pred, prob, 0);
    }

    @Test
    void javaRandomDrawsAreThoseOfTheScript() {
        Random r = new Random(G.get("seed").getAsLong());
        int n = G.getAsJsonArray("truth").size();
        int[] first = new int[10];
        for (int i = 0; i < 10; i++) first[i] = r.nextInt(n);
        assertArrayEquals(ints(G.getAsJsonArray("first_draws")), first);
    }

    @Test
    void accuracyAndMacroF1WithBootstrapIntervals() {
        RepeatedOutcomes a = outcomes("a");
        ValidationStatistics.Summary s = ValidationStatistics.summarize(a, G.get("resamples").getAsInt(), G.get("seed").getAsLong());
        assertEquals(G.get("accuracy_a").getAsDouble(), s.accuracy().value(), 1e-12);
        assertEquals(G.get("macro_f1_a").getAsDouble(), s.macroF1().value(), 1e-12);
        double[] ai = doubles(G.getAsJsonArray("accuracy_a_interval")), fi = doubles(G.getAsJsonArray("macro_f1_a_interval"));
        assertEquals(ai[0], s.accuracy().lower(), 1e-12);
        assertEquals(ai[1], s.accuracy().upper(), 1e-12);
        assertEquals(fi[0], s.macroF1().lower(), 1e-12);
        assertEquals(fi[1], s.macroF1().upper(), 1e-12);
        assertEquals(23, s.subjects());
        assertEquals(4, s.repeats());
        // the mean of the repeats' accuracies is the pooled accuracy
        double m = 0;
        for (double v : a.repeatAccuracy()) m += v / a.repeats();
        assertEquals(s.accuracy().value(), m, 1e-12);
    }

    @Test
    void majorityVotesWithTheTieRule() {
        RepeatedOutcomes a = outcomes("a");
        int[] expect = ints(G.getAsJsonArray("majority_a"));
        for (int i = 0; i < expect.length; i++) assertEquals(expect[i], a.majority(i), "subject " + i);
    }

    @Test
    void pairedBootstrapAndExactMcNemar() {
        ValidationStatistics.Paired p = ValidationStatistics.compare(outcomes("a"), outcomes("b"), G.get("resamples").getAsInt(),
                G.get("seed").getAsLong());
        assertEquals(G.get("difference").getAsDouble(), p.difference().value(), 1e-12);
        double[] di = doubles(G.getAsJsonArray("difference_interval"));
        assertEquals(di[0], p.difference().lower(), 1e-12);
        assertEquals(di[1], p.difference().upper(), 1e-12);
        assertEquals(G.get("bootstrap_p").getAsDouble(), p.bootstrapP(), 1e-12);
        assertEquals(G.get("only_a").getAsInt(), p.onlyA());
        assertEquals(G.get("only_b").getAsInt(), p.onlyB());
        assertEquals(G.get("mcnemar_p").getAsDouble(), p.mcnemarP(), 1e-12);
        // a method against itself: no difference, p = 1 both ways
        ValidationStatistics.Paired same = ValidationStatistics.compare(outcomes("a"), outcomes("a"), 200, 1);
        assertEquals(0, same.difference().value());
        assertEquals(0, same.difference().lower());
        assertEquals(1.0, same.bootstrapP());
        assertEquals(1.0, same.mcnemarP());
    }

    @Test
    void exactMcNemarIsScipysBinomtest() {
        for (JsonElement e : G.getAsJsonArray("binomtest")) {
            JsonArray c = e.getAsJsonArray();
            assertEquals(c.get(2).getAsDouble(), ValidationStatistics.mcnemarExact(c.get(0).getAsInt(), c.get(1).getAsInt()), 1e-12, c.toString());
        }
        assertEquals(1.0, ValidationStatistics.mcnemarExact(0, 0));
        assertThrows(IllegalArgumentException.class, () -> ValidationStatistics.mcnemarExact(-1, 2));
    }

    @Test
    void percentileIsNumpysLinearRule() {
        JsonObject p = G.getAsJsonObject("percentile");
        double[] v = doubles(p.getAsJsonArray("values")), q = doubles(p.getAsJsonArray("q")), e = doubles(p.getAsJsonArray("expected"));
        for (int k = 0; k < q.length; k++) assertEquals(e[k], ValidationStatistics.percentile(v, q[k]), 1e-12, "q " + q[k]);
    }

    @Test
    void pairsMustShareSubjects() {
        RepeatedOutcomes a = outcomes("a");
        List<String> ids = new ArrayList<>(a.subjects());
        ids.set(0, "other");
        RepeatedOutcomes b = new RepeatedOutcomes(ids, a.truth(), a.predicted(), a.meanProbability(), 0);
        assertThrows(IllegalArgumentException.class, () -> ValidationStatistics.compare(a, b, 10, 1));
    }

    @Test
    void repeatedCrossValidationUsesOneFoldSeedPerRepeat() {
        // three separable classes in 2-D, 4 subjects each
        List<String> ids = new ArrayList<>();
        List<org.pdsynth.volume.Diagnosis> labels = new ArrayList<>();
        double[][] x = new double[12][];
        Random rnd = new Random(5);
        for (int i = 0; i < 12; i++) {
            ids.add(String.format("sub-%02d", i));
            int c = i % 3;
            labels.add(org.pdsynth.volume.Diagnosis.values()[c]);
            x[i] = new double[] {3 * c + 0.3 * rnd.nextGaussian(), -2 * c + 0.3 * rnd.nextGaussian()};
        }
        FeatureTable t = new FeatureTable(ids, labels, List.of("a", "b"), x);
        RepeatedCrossValidation rcv = new RepeatedCrossValidation(3, 4, 11, new LogisticRegression(0.1));
        RepeatedOutcomes o = rcv.run(t, null);
        assertEquals(3, o.repeats());
        assertEquals(1.0, o.accuracy(), "separable classes");
        // repeat r is exactly CrossValidation with seed 11 + r
        for (int r = 0; r < 3; r++) {
            CrossValidation.Result one = CrossValidation.of(4, 11 + r, 0.1).run(t, Progress.NONE);
            for (int i = 0; i < 12; i++) assertEquals(one.predictions().get(i).predicted().ordinal(), o.predicted()[i][r]);
        }
        assertTrue(o.chanceAccuracy() > 0.33 && o.chanceAccuracy() < 0.34);
    }
}
