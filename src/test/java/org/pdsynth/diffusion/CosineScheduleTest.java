package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The schedule against numpy's values (src/test/resources/golden/cosine_schedule_T1000.csv, made
 * by cosine_schedule.py beside it from the paper's definition, arXiv:2102.09672 eq. 17 — the
 * paper's formula evaluated independently, not our code path) and against the closed form
 * f(t+1)/f(0).
 */
class CosineScheduleTest {

    @Test
    void matchesNumpyGolden() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("src/test/resources/golden/cosine_schedule_T1000.csv")).stream()
                .filter(l -> !l.startsWith("#") && !l.startsWith("t,")).toList();
        CosineSchedule s = new CosineSchedule(1000);
        assertEquals(1000, rows.size());
        for (String row : rows) {
            String[] f = row.split(",");
            int t = Integer.parseInt(f[0]);
            assertEquals(Double.parseDouble(f[1]), s.beta(t), 1e-12, "beta at " + t);
            double ab = Double.parseDouble(f[2]);
            assertEquals(ab, s.alphaBar(t), 1e-12 * Math.max(ab, 1e-9), "cumprod alpha_bar at " + t);
        }
    }

    @Test
    void cumulativeProductEqualsClosedFormWhereNotClipped() {
        CosineSchedule s = new CosineSchedule(1000);
        int clipped = 0;
        for (int t = 0; t < 1000; t++) {
            if (s.beta(t) == CosineSchedule.MAX_BETA) {
                clipped++;
                continue;
            }
            double closed = CosineSchedule.closedFormAlphaBar(t + 1, 1000);
            assertEquals(closed, s.alphaBar(t), 1e-9 * closed, "alpha_bar at " + t);
        }
        assertEquals(1, clipped, "only the last step reaches the 0.999 clip at T = 1000");
        assertEquals(CosineSchedule.MAX_BETA, s.beta(999));
        assertTrue(s.alphaBar(999) > 0 && s.alphaBar(999) < 1e-8, "alpha_bar(T-1) near 0: " + s.alphaBar(999));
        assertEquals(0, CosineSchedule.closedFormAlphaBar(1000, 1000), 1e-30);
        assertEquals(1, CosineSchedule.closedFormAlphaBar(0, 1000), 0);
        for (int t = 1; t < 1000; t++) assertTrue(s.alphaBar(t) < s.alphaBar(t - 1));
    }
}
