package org.pdsynth.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdsynth.nifti.GradientTable;

class GradientSchemeTest {
    @Test
    void directionsAreUnitOnTheUpperHemisphereAndBetterSpreadThanTheSpiral() {
        for (int g : new int[] {6, 12, 32, 64}) {
            double[][] d = GradientScheme.repulsion(g);
            assertEquals(g, d.length);
            for (double[] v : d) {
                assertEquals(1, v[0] * v[0] + v[1] * v[1] + v[2] * v[2], 1e-12);
                assertTrue(v[2] >= 0);
            }
            double[][] start = GradientScheme.spiral(g);
            assertTrue(GradientScheme.energy(d) < GradientScheme.energy(start), "energy falls for G=" + g);
            assertTrue(GradientScheme.minAngleDeg(d) > GradientScheme.minAngleDeg(start), "spread improves for G=" + g);
        }
        // 6 antipodal pairs can reach the icosahedron's 63.4 degrees; 32 directions spread to > 15 degrees
        assertEquals(63.43, GradientScheme.minAngleDeg(GradientScheme.repulsion(6)), 0.5);
        assertTrue(GradientScheme.minAngleDeg(GradientScheme.repulsion(32)) > 15);
    }

    @Test
    void b0sAreInterleavedAndTheTableIsDeterministic() {
        GradientScheme s = new GradientScheme(32, 2, 1000);
        assertEquals(35, s.volumes());
        int[] b0 = java.util.stream.IntStream.range(0, 35).filter(i -> s.bvals[i] == 0).toArray();
        assertArrayEquals(new int[] {0, 12, 24}, b0);
        GradientTable t = s.bvecs(-1);
        assertEquals(35, t.size());
        for (int i = 0; i < 35; i++) {
            assertEquals(s.bvals[i] == 0, t.isB0(i));
            if (!t.isB0(i)) assertArrayEquals(s.dirs[i], t.direction(i), 1e-12);
        }
        GradientTable pos = s.bvecs(+1);
        assertEquals(-s.dirs[1][0], pos.direction(1)[0], 1e-12, "x flipped for a positive-determinant affine");
        assertArrayEquals(new GradientScheme(32, 2, 1000).dirs[5], s.dirs[5], 0);
    }
}
