package org.pdsynth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdsynth.TestData;
import org.pdsynth.volume.Diagnosis;

/** Cohen's d and pattern agreement against numpy/scipy: {@code /usr/bin/python3 scripts/golden/pattern_golden.py}. */
class DiseasePatternGoldenTest {
    private static List<double[]> rows(JsonArray a) {
        List<double[]> out = new ArrayList<>();
        for (JsonElement r : a) {
            JsonArray x = r.getAsJsonArray();
            double[] v = new double[x.size()];
            for (int j = 0; j < v.length; j++) v[j] = x.get(j).getAsDouble();
            out.add(v);
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void effectSizesAndAgreementEqualNumpy() {
        JsonObject g = TestData.golden("pattern-golden.json");
        List<Diagnosis> labels = new ArrayList<>();
        for (JsonElement l : g.getAsJsonArray("labels")) labels.add(l.getAsString().isEmpty() ? null : Diagnosis.valueOf(l.getAsString()));
        List<double[]> truth = rows(g.getAsJsonArray("truth")), test = rows(g.getAsJsonArray("test"));
        double[] dt = concat(DiseasePattern.effectSizes(truth, labels, Diagnosis.AD, Diagnosis.NC),
                DiseasePattern.effectSizes(truth, labels, Diagnosis.MCI, Diagnosis.NC));
        double[] ds = concat(DiseasePattern.effectSizes(test, labels, Diagnosis.AD, Diagnosis.NC),
                DiseasePattern.effectSizes(test, labels, Diagnosis.MCI, Diagnosis.NC));
        JsonArray et = g.getAsJsonArray("d_truth"), es = g.getAsJsonArray("d_test");
        for (int j = 0; j < dt.length; j++) {
            assertEquals(et.get(j).getAsDouble(), dt[j], 1e-12, "truth d " + j);
            assertEquals(es.get(j).getAsDouble(), ds[j], 1e-12, "test d " + j);
        }
        DiseasePattern.Agreement a = DiseasePattern.agreement(dt, ds);
        assertEquals(g.get("correlation").getAsDouble(), a.correlation(), 1e-12);
        assertEquals(g.get("relative_error").getAsDouble(), a.relativeError(), 1e-12);
        assertEquals(g.get("effects").getAsInt(), a.effects());
    }

    @Test
    void undefinedEffectsAreSkipped() {
        // one MCI subject: MCI-NC is undefined; a constant feature in both groups: undefined too
        List<double[]> f = List.of(new double[] {1, 5}, new double[] {2, 5}, new double[] {3, 5}, new double[] {5, 5}, new double[] {7, 5},
                new double[] {4, 5});
        List<Diagnosis> l = List.of(Diagnosis.NC, Diagnosis.NC, Diagnosis.NC, Diagnosis.AD, Diagnosis.AD, Diagnosis.MCI);
        double[] ad = DiseasePattern.effectSizes(f, l, Diagnosis.AD, Diagnosis.NC);
        // NC 1,2,3 (mean 2, var 1), AD 5,7 (mean 6, var 2): s_p = sqrt((2*1 + 1*2) / 3)
        assertEquals(4 / Math.sqrt(4.0 / 3), ad[0], 1e-12);
        assertTrue(Double.isNaN(ad[1]));
        assertTrue(Double.isNaN(DiseasePattern.effectSizes(f, l, Diagnosis.MCI, Diagnosis.NC)[0]));
        DiseasePattern.Agreement same = DiseasePattern.agreement(new double[] {1, -2, Double.NaN, 3}, new double[] {1, -2, 9, 3});
        assertEquals(1, same.correlation(), 1e-12);
        assertEquals(0, same.relativeError(), 0);
        assertEquals(3, same.effects());
    }
}
