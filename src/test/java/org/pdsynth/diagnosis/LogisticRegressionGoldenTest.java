package org.pdsynth.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.pdsynth.TestData;

/**
 * {@link LogisticRegression} and {@link Standardizer} against scikit-learn 1.2.1: goldens from
 * {@code /usr/bin/python3 scripts/golden/diagnosis_golden.py} (sklearn's solution has
 * |grad J| &lt;= 4e-10 on every case, recorded in the file).
 */
class LogisticRegressionGoldenTest {
    static final double COEF_TOL = 1e-7, PROBA_TOL = 1e-7; // measured max differences: 3.8e-9, 4.3e-9

    static double[][] matrix(JsonArray a) {
        double[][] m = new double[a.size()][];
        for (int i = 0; i < m.length; i++) m[i] = vector(a.get(i).getAsJsonArray());
        return m;
    }

    static double[] vector(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsDouble();
        return v;
    }

    static int[] ints(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsInt();
        return v;
    }

    @Test
    void coefficientsAndProbabilitiesMatchScikitLearn() {
        JsonObject g = TestData.golden("diagnosis-logreg.json");
        int cases = 0;
        for (JsonElement e : g.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            String name = c.get("name").getAsString();
            double[][] x = matrix(c.getAsJsonArray("x"));
            int[] y = ints(c.getAsJsonArray("y"));
            int k = c.get("classes").getAsInt();
            double lambda = c.get("lambda").getAsDouble();
            assertEquals(c.get("C").getAsDouble(), LogisticRegression.sklearnC(lambda, x.length), 1e-12 * c.get("C").getAsDouble());
            LogisticRegression.Model m = new LogisticRegression(lambda, 1e-10, 10_000).fit(x, y, k);
            assertTrue(m.converged(), name + ": not converged, |grad| " + m.gradientMaxAbs());
            double[][] w = matrix(c.getAsJsonArray("coef"));
            double[] b = vector(c.getAsJsonArray("intercept"));
            for (int q = 0; q < k; q++) {
                for (int j = 0; j < w[q].length; j++) assertEquals(w[q][j], m.coef()[q][j], COEF_TOL, name + " W[" + q + "][" + j + "]");
                assertEquals(b[q], m.intercept()[q], COEF_TOL, name + " b[" + q + "]");
            }
            assertEquals(c.get("objective").getAsDouble(), m.objective(), 1e-12, name + " objective");
            checkProba(name, m, x, matrix(c.getAsJsonArray("proba")));
            checkProba(name + " extra", m, matrix(c.getAsJsonArray("x_extra")), matrix(c.getAsJsonArray("proba_extra")));
            if (k == 2) { // sklearn's single row is class 1
                double[] row = vector(c.getAsJsonArray("sklearn_coef").get(0).getAsJsonArray());
                for (int j = 0; j < row.length; j++) assertEquals(row[j], m.coef()[1][j], COEF_TOL);
            }
            cases++;
        }
        assertEquals(5, cases);
    }

    @Test
    void standardizedPipelineMatchesScikitLearn() {
        JsonObject p = TestData.golden("diagnosis-logreg.json").getAsJsonObject("pipeline");
        double[][] x = matrix(p.getAsJsonArray("x"));
        Standardizer st = Standardizer.fit(x);
        double[] mean = vector(p.getAsJsonArray("scaler_mean")), scale = vector(p.getAsJsonArray("scaler_scale"));
        for (int j = 0; j < mean.length; j++) {
            assertEquals(mean[j], st.mean(j), 1e-12 * Math.max(1, Math.abs(mean[j])));
            assertEquals(scale[j], st.std(j), 1e-12 * scale[j]);
        }
        LogisticRegression.Model m = new LogisticRegression(p.get("lambda").getAsDouble(), 1e-10, 10_000)
                .fit(st.transform(x), ints(p.getAsJsonArray("y")), 3);
        double[][] w = matrix(p.getAsJsonArray("coef"));
        for (int q = 0; q < 3; q++)
            for (int j = 0; j < w[q].length; j++) assertEquals(w[q][j], m.coef()[q][j], COEF_TOL);
        checkProba("pipeline", m, st.transform(matrix(p.getAsJsonArray("x_test"))), matrix(p.getAsJsonArray("proba_test")));
    }

    @Test
    /** Default tolerance 1e-8 on the gradient: probabilities within 1e-6 of sklearn's (measured 1.1e-7). */
    void defaultToleranceIsCloseEnoughForClassification() {
        JsonObject c = TestData.golden("diagnosis-logreg.json").getAsJsonArray("cases").get(2).getAsJsonObject(); // d > n
        LogisticRegression.Model m = new LogisticRegression(c.get("lambda").getAsDouble())
                .fit(matrix(c.getAsJsonArray("x")), ints(c.getAsJsonArray("y")), 3);
        assertTrue(m.converged());
        double[][] x = matrix(c.getAsJsonArray("x_extra")), expected = matrix(c.getAsJsonArray("proba_extra"));
        for (int i = 0; i < x.length; i++) {
            double[] p = m.probabilities(x[i]);
            for (int q = 0; q < 3; q++) assertEquals(expected[i][q], p[q], 1e-6);
        }
    }

    @Test
    void constantColumnsAreZeroedAndGetZeroCoefficients() {
        double[][] x = {{1, 5, 0}, {2, 5, 1}, {3, 5, 0}, {4, 5, 1}};
        Standardizer st = Standardizer.fit(x);
        assertTrue(st.isConstant(1));
        assertEquals(1, st.constantCount());
        assertEquals(2.5, st.mean(0), 0);
        assertEquals(Math.sqrt(1.25), st.std(0), 1e-15);
        double[] z = st.transform(new double[] {2.5 + Math.sqrt(1.25), 99, 1});
        assertEquals(1.0, z[0], 1e-15);
        assertEquals(0.0, z[1], 0); // constant in training: 0 whatever the test value
        assertEquals(1.0, z[2], 1e-15);
        LogisticRegression.Model m = new LogisticRegression(0.1).fit(st.transform(x), new int[] {0, 0, 1, 1}, 2);
        assertEquals(0.0, m.coef()[0][1], 0);
        assertEquals(0.0, m.coef()[1][1], 0);
        assertEquals(0.0, m.intercept()[0] + m.intercept()[1], 1e-15);
    }

    private static void checkProba(String name, LogisticRegression.Model m, double[][] x, double[][] expected) {
        for (int i = 0; i < x.length; i++) {
            double[] p = m.probabilities(x[i]);
            for (int q = 0; q < p.length; q++) assertEquals(expected[i][q], p[q], PROBA_TOL, name + " row " + i + " class " + q);
        }
    }
}
