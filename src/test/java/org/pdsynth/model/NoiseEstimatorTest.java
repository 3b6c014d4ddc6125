package org.pdsynth.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.util.List;

import org.junit.jupiter.api.Test;

class NoiseEstimatorTest {

    static ModelConfig tiny(int... zyx) {
        return ModelConfig.defaults().with("channels", 2).with("baseWidth", 8).with("channelMultipliers", List.of(1, 2, 2))
                .with("attentionHeads", 2).with("groups", 4).with("embeddingDim", 16)
                .with("gridZYX", List.of(zyx[0], zyx[1], zyx[2]));
    }

    @Test
    void anyGridSizeGivesOutputOnTheInputGrid() {
        // 7 -> 4 -> 2, 9 -> 5 -> 3, 5 -> 3 -> 2: odd sizes at every level
        ModelConfig c = tiny(7, 9, 5);
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            NoiseEstimator net = new NoiseEstimator(c);
            net.initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            Shape s = new Shape(2, 2, 7, 9, 5);
            NDArray x = m.randomNormal(s);
            NDArray out = net.predict(ps, x, m.randomNormal(s), new int[] {0, 999}, new int[] {0, 1}, new int[] {3, 2}, false);
            assertEquals(s, out.getShape());
            // zero-initialised output convolution: the untrained network predicts 0
            assertEquals(0f, out.abs().max().getFloat());
        }
    }

    @Test
    void inferenceLayoutGivesTheTrainingLayoutsValues() {
        // no-grad passes run channels-last, training passes channels-first: same function
        ModelConfig c = tiny(6, 7, 5);
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            NoiseEstimator net = new NoiseEstimator(c);
            net.initialize(m);
            Engines.withoutGradients(() -> {
                for (var p : net.getParameters().values()) p.getArray().addi(m.randomNormal(p.getArray().getShape()).mul(0.2));
                return null;
            });
            ParameterStore ps = new ParameterStore(m, false);
            Shape s = new Shape(2, 2, 6, 7, 5);
            NDArray x = m.randomNormal(s);
            NDArray cond = m.randomNormal(s);
            int[] t = {3, 700}, d = {1, 0}, y = {0, 3};
            float[] inference = Engines.withoutGradients(() -> net.predict(ps, x, cond, t, d, y, false).toFloatArray());
            float[] training = Engines.withoutGradients(() -> net.predict(ps, x, cond, t, d, y, true).toFloatArray());
            float max = 0;
            for (float v : training) max = Math.max(max, Math.abs(v));
            assertTrue(max > 0.1, "perturbed network gives non-trivial output: " + max);
            assertArrayEquals(training, inference, 1e-4f * max);
        }
    }

    @Test
    void nearestUpsamplingRepeatsAndCropsTheHighEnd() {
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            NDArray x = m.arange(8f).reshape(1, 1, 2, 2, 2);
            float[] up = org.pdsynth.model.Upsample3d.nearest2x(x, 3, 4, 3).toFloatArray();
            float[] expected = new float[3 * 4 * 3];
            for (int z = 0; z < 3; z++)
                for (int y = 0; y < 4; y++)
                    for (int xx = 0; xx < 3; xx++) expected[(z * 4 + y) * 3 + xx] = ((z / 2) * 2 + y / 2) * 2 + xx / 2;
            assertArrayEquals(expected, up, 0f);
            assertEquals(4, Downsample3d.outSize(7));
            assertEquals(28, Downsample3d.outSize(56));
            assertThrows(IllegalArgumentException.class, () -> Upsample3d.nearest2x(x, 5, 4, 4));
        }
    }

    @Test
    void wrongChannelCountIsAClearError() {
        ModelConfig c = tiny(4, 4, 4);
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            NoiseEstimator net = new NoiseEstimator(c);
            net.initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray three = m.zeros(new Shape(1, 3, 4, 4, 4));
            NDArray two = m.zeros(new Shape(1, 2, 4, 4, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.predict(ps, three, two, new int[] {1}, new int[] {0}, new int[] {0}, false));
            assertEquals("x_t has 3 channels but the model expects N = 2 (config 'channels')", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> net.predict(ps, two, three, new int[] {1}, new int[] {0}, new int[] {0}, false));
            assertEquals("condition has shape (1, 3, 4, 4, 4) but the model expects N = 2 channels (config 'channels')", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> net.predict(ps, two, two, new int[] {1}, new int[] {2}, new int[] {0}, false));
            assertEquals("direction must be in 0..1, got 2", e.getMessage());
        }
    }

    @Test
    void sinusoidHasSinThenCos() {
        float[] s = NoiseEstimator.timeSinusoid(new int[] {0, 3}, 4);
        assertArrayEquals(new float[] {0, 0, 1, 1, (float) Math.sin(3), (float) Math.sin(0.03), (float) Math.cos(3), (float) Math.cos(0.03)}, s, 1e-7f);
        assertTrue(NoiseEstimator.timeSinusoid(new int[] {999}, 128).length == 128);
    }
}
