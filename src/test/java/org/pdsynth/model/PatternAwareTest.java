package org.pdsynth.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PatternAwareTest {

    @Test
    void fractionsFollowTheUNetBlocksIncludingOddSizes() {
        // grid (Z, Y, X) = (1, 2, 3); K = 2; ordinals (x fastest): y=0: 0 0 1, y=1: -1 1 1
        RegionFractions f = RegionFractions.of(new int[] {0, 0, 1, -1, 1, 1}, 2, new int[] {1, 2, 3});
        assertArrayEquals(new int[] {1, 1, 2}, f.levelGrid(1));
        // level 1: block 0 = x {0,1} x y {0,1} (labels 0 0 -1 1), block 1 = x {2} x y {0,1} (1 1)
        assertArrayEquals(new float[] {0.5f, 0f, 0.25f, 1f}, f.fractions(1), 0f);
        // level 0: one-hot
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1}, f.fractions(0), 0f);
        // level 2 on (Z,Y,X) = (3, 7, 5): ceil-halving twice like Downsample3d
        RegionFractions g = RegionFractions.of(new int[3 * 7 * 5], 1, new int[] {3, 7, 5});
        assertArrayEquals(new int[] {(int) Downsample3d.outSize(Downsample3d.outSize(3)),
                (int) Downsample3d.outSize(Downsample3d.outSize(7)), (int) Downsample3d.outSize(Downsample3d.outSize(5))}, g.levelGrid(2));
        float[] m = g.fractions(2);
        for (float v : m) assertEquals(1f, v, 0f);     // every block fully inside region 0
        assertThrows(IllegalArgumentException.class, () -> RegionFractions.of(new int[] {2}, 2, new int[] {1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> RegionFractions.of(new int[] {0, 0}, 2, new int[] {1, 1, 1}));
    }

    @Test
    void poolingAttentionFilmAndScatterMatchAHandComputedExample() {
        // K = 2 regions over V = 3 voxels: M = [[1, .5, 0], [0, .5, 1]]; C = 2 channels
        float[] m = {1f, 0.5f, 0f, 0f, 0.5f, 1f};
        try (NDManager mgr = Engines.pytorch(2).newBaseManager()) {
            PatternAware3d pa = new PatternAware3d(2, 1, m, 2);
            pa.initialize(mgr, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 2, 1, 1, 3), new Shape(1, 4));
            ParameterStore ps = new ParameterStore(mgr, false);
            // attention output projection, region embeddings and FiLM at zero: R' = R; gate 1
            for (Pair<String, Parameter> p : pa.getParameters()) {
                String n = p.getKey();
                if (n.contains("proj") || n.contains("regionEmbedding") || n.contains("film")) p.getValue().getArray().muli(0);
            }
            pa.gate().getArray().set(new float[] {1f});
            NDArray x = mgr.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 2, 1, 1, 3));
            NDArray y = mgr.zeros(new Shape(1, 4));
            float[] out = pa.forward(ps, new ai.djl.ndarray.NDList(x, y), false).head().toFloatArray();
            // R_0 = (1*F0 + .5*F1) / 1.5, R_1 = (.5*F1 + 1*F2) / 1.5 per channel; scatter M^T R
            float r00 = (1 + 1f) / 1.5f, r10 = (1 + 3f) / 1.5f, r01 = (4 + 2.5f) / 1.5f, r11 = (2.5f + 6) / 1.5f;
            float[] expected = {1 + r00, 2 + 0.5f * (r00 + r10), 3 + r10, 4 + r01, 5 + 0.5f * (r01 + r11), 6 + r11};
            assertArrayEquals(expected, out, 1e-5f);

            // FiLM from the label embedding: bias = (scale 0.5, 0.5, shift 1, -1) -> R' = 1.5 R + (1, -1)
            for (Pair<String, Parameter> p : pa.getParameters()) {
                if (p.getKey().contains("film") && p.getKey().endsWith("bias")) p.getValue().getArray().set(new float[] {0.5f, 0.5f, 1f, -1f});
            }
            out = pa.forward(ps, new ai.djl.ndarray.NDList(x, y), false).head().toFloatArray();
            float[] filmed = {1 + 1.5f * r00 + 1, 2 + 0.5f * 1.5f * (r00 + r10) + 1, 3 + 1.5f * r10 + 1,
                    4 + 1.5f * r01 - 1, 5 + 0.5f * 1.5f * (r01 + r11) - 1, 6 + 1.5f * r11 - 1};
            assertArrayEquals(filmed, out, 1e-5f);
            // a FiLM weight makes the label embedding matter
            for (Pair<String, Parameter> p : pa.getParameters()) {
                if (p.getKey().contains("film") && p.getKey().endsWith("weight")) p.getValue().getArray().addi(0.3f);
            }
            float[] a = pa.forward(ps, new ai.djl.ndarray.NDList(x, y), false).head().toFloatArray();
            float[] b = pa.forward(ps, new ai.djl.ndarray.NDList(x, mgr.ones(new Shape(1, 4))), false).head().toFloatArray();
            assertFalse(Arrays.equals(a, b));
        }
    }

    static ModelConfig tiny(boolean patternAware) {
        return ModelConfig.defaults().with("channels", 2).with("baseWidth", 8).with("channelMultipliers", List.of(1, 2, 2))
                .with("attentionHeads", 2).with("groups", 4).with("embeddingDim", 16)
                .with("gridZYX", List.of(7, 9, 5)).with("patternAware", patternAware).with("seed", 3);
    }

    static RegionFractions boxes(int[] zyx) {
        int[] ord = new int[zyx[0] * zyx[1] * zyx[2]];
        for (int z = 0; z < zyx[0]; z++)
            for (int y = 0; y < zyx[1]; y++)
                for (int x = 0; x < zyx[2]; x++) ord[(z * zyx[1] + y) * zyx[2] + x] = x == 0 ? -1 : (y < zyx[1] / 2 ? 0 : 1) + (z < 3 ? 0 : 2);
        return RegionFractions.of(ord, 5, zyx);   // region 4 has no voxel
    }

    @Test
    void zeroInitialisedModuleLeavesTheNetworkExactlyUnchanged() {
        ModelConfig off = tiny(false), on = tiny(true);
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            NoiseEstimator plain = new NoiseEstimator(off);
            plain.initialize(m);
            NoiseEstimator da = new NoiseEstimator(on, boxes(on.grid()));
            da.initialize(m);
            assertNull(plain.patternAware(2));
            assertNull(da.patternAware(0));
            assertTrue(da.patternAware(1) != null && da.patternAware(2) != null);
            Map<String, NDArray> daParams = new HashMap<>();
            for (Pair<String, Parameter> p : da.getParameters()) daParams.put(p.getKey(), p.getValue().getArray());
            // same names and, for the same seed, the same initial values for every shared parameter
            NDArray rnd = null;
            for (Pair<String, Parameter> p : plain.getParameters()) {
                NDArray a = p.getValue().getArray();
                NDArray b = daParams.get(p.getKey());
                assertTrue(b != null, p.getKey());
                assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f, p.getKey());
                if (p.getKey().contains("outConv")) {        // make the output non-trivial, identically in both
                    rnd = m.randomNormal(0, 0.1f, a.getShape(), a.getDataType());
                    a.set(rnd.toFloatArray());
                    b.set(rnd.toFloatArray());
                }
            }
            ParameterStore ps = new ParameterStore(m, false);
            Shape s = new Shape(2, 2, 7, 9, 5);
            NDArray x = m.randomNormal(s), c = m.randomNormal(s);
            int[] t = {5, 700}, d = {0, 1}, y = {2, 3};
            float[] p0 = plain.predict(ps, x, c, t, d, y, false).toFloatArray();
            float[] p1 = da.predict(ps, x, c, t, d, y, false).toFloatArray();
            float max = 0;
            for (float v : p0) max = Math.max(max, Math.abs(v));
            assertTrue(max > 1e-3f, "non-trivial output " + max);
            assertArrayEquals(p0, p1, 0f);
            // the module is wired in: a non-zero gate changes the output
            da.patternAware(2).gate().getArray().set(new float[] {0.5f});
            float[] p2 = da.predict(ps, x, c, t, d, y, false).toFloatArray();
            assertFalse(Arrays.equals(p0, p2));
        }
    }

    @Test
    void aPatternAwareConfigNeedsAnAtlasOnItsGrid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NoiseEstimator(tiny(true)));
        assertEquals("model config 'patternAware' is on but no atlas was given", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NoiseEstimator(tiny(true), boxes(new int[] {7, 9, 6})));
        assertTrue(e.getMessage().startsWith("atlas grid (Z,Y,X) [7, 9, 6] differs"), e.getMessage());
        // switched off, no atlas is needed and none is used
        assertNull(new NoiseEstimator(tiny(false), boxes(new int[] {7, 9, 5})).atlas());
        assertEquals(0, new NoiseEstimator(tiny(false)).getChildren().keys().stream().filter(k -> k.contains("patternAware")).count());
        ModelConfig wide = tiny(false).with("channelMultipliers", List.of(1, 2, 4)).with("attentionHeads", 32);
        wide.with("patternAwareLevels", 1).with("patternAware", true);   // level 2 (width 32): fine
        e = assertThrows(IllegalArgumentException.class, () -> wide.with("patternAware", true));
        assertEquals("model config 'attentionHeads' must divide the width 16 of pattern-aware level 1, got 32", e.getMessage());
    }
}
