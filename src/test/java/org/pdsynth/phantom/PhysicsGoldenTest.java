package org.pdsynth.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdsynth.volume.SymmetricEigen3;

/**
 * The HRF and the tensor signal against values computed by scipy and dipy
 * (src/test/resources/golden/phantom/, made by bench/phantom/make_golden.py).
 */
class PhysicsGoldenTest {
    private static List<double[]> rows(String name) throws IOException {
        try (InputStream in = PhysicsGoldenTest.class.getResourceAsStream("/golden/phantom/" + name)) {
            List<double[]> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] p = line.trim().split("\\s+");
                double[] r = new double[p.length];
                for (int i = 0; i < p.length; i++) r[i] = Double.parseDouble(p[i]);
                out.add(r);
            }
            return out;
        }
    }

    @Test
    void hrfMatchesScipyDoubleGamma() throws IOException {
        List<double[]> g = rows("hrf.txt");
        assertEquals(65, g.size());
        for (double[] r : g) assertEquals(r[1], Hrf.at(r[0]), 1e-12, "h(" + r[0] + ")");
        double[] h = Hrf.sampled(0.5);
        assertEquals(65, h.length);
        int peak = 0;
        for (int k = 1; k < h.length; k++) if (h[k] > h[peak]) peak = k;
        assertEquals(5.0, peak * 0.5, 1e-9, "peak at 5 s");
    }

    @Test
    void tensorEigenvaluesAndSignalMatchDipy() throws IOException {
        List<double[]> g = rows("dwi_signal.txt");
        assertEquals(72, g.size());
        for (double[] r : g) {
            double fa = r[0], md = r[1];
            double[] l = DwiSimulator.eigenvalues(fa, md);
            assertEquals(r[2], l[0], 1e-12 * md + 1e-18, "l1 for FA " + fa);
            assertEquals(r[3], l[1], 1e-12 * md + 1e-18, "l2 for FA " + fa);
            double cos = r[4] * r[8] + r[5] * r[9] + r[6] * r[10];
            double s = DwiSimulator.attenuation(r[7], cos, l[0], l[1]);
            assertEquals(r[11], s, 1e-9, "signal FA " + fa + " b " + r[7]);
        }
    }

    @Test
    void principalEigenvectorSolvesTheEigenproblem() {
        Rng r = Rng.of(7);
        for (int k = 0; k < 200; k++) {
            double[] m = new double[6];
            for (int i = 0; i < 6; i++) m[i] = r.gaussian();
            double[] e = SymmetricEigen3.principal(m[0], m[1], m[2], m[3], m[4], m[5]);
            double[][] a = {{m[0], m[1], m[2]}, {m[1], m[3], m[4]}, {m[2], m[4], m[5]}};
            double[] ae = new double[3];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) ae[i] += a[i][j] * e[j];
            double lambda = ae[0] * e[0] + ae[1] * e[1] + ae[2] * e[2];
            for (int i = 0; i < 3; i++) assertEquals(lambda * e[i], ae[i], 1e-9);
            assertEquals(1, e[0] * e[0] + e[1] * e[1] + e[2] * e[2], 1e-12);
            // largest: no unit vector has a larger Rayleigh quotient (checked on random directions)
            for (int t = 0; t < 20; t++) {
                double[] v = {r.gaussian(), r.gaussian(), r.gaussian()};
                double n2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2], q = 0;
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) q += v[i] * a[i][j] * v[j];
                assertTrue(q / n2 <= lambda + 1e-9);
            }
        }
    }
}
