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

/** The U-Net builder's switches, its initial function, its two layouts and its memory release. */
class UNet3dTest {
    static final Shape X = new Shape(2, 2, 6, 7, 5);

    /** A refiner-like network: direction table only, no middle attention. */
    static UNet3d.Builder small(int... widths) {
        return UNet3d.builder().setOutputChannels(2).setLevelWidths(widths).setEmbeddingWidth(8).optGroups(4).optDirections(2);
    }

    @Test
    void theBuilderNamesTheSettingThatDoesNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UNet3d.builder().setOutputChannels(2).setLevelWidths(8).setEmbeddingWidth(8).optGroups(4).build());
        assertEquals("UNet3d needs a time embedding, a direction table or a label table", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small(8, 10).build());
        assertEquals("UNet3d level width 10 must be >= 1 and divisible by groups = 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small(8).setOutputChannels(0).build());
        assertEquals("UNet3d output channels must be >= 1, got 0", e.getMessage());
        RegionFractions atlas = PatternAwareTest.boxes(new int[] {6, 7, 5});
        e = assertThrows(IllegalArgumentException.class, () -> small(8, 16).optPatternAware(atlas, 1, 2).build());
        assertEquals("UNet3d the pattern-aware module needs the label table", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small(8).optTimeEmbedding(true).setEmbeddingWidth(7).build());
        assertEquals("UNet3d embedding width must be >= 2 (and even with the time embedding), got 7", e.getMessage());
    }

    @Test
    void theSwitchesDecideTheChildren() {
        assertEquals(List.of("01direction", "02inConv", "03enc0_0", "04down0", "05enc1_0", "06mid", "07dec1_0", "08up1",
                "09dec0_0", "10outNorm", "11outConv"), small(8, 16).build().getChildren().keys());
        UNet3d full = small(8, 16).optTimeEmbedding(true).optLabels(4).optMiddleAttention(2)
                .optPatternAware(PatternAwareTest.boxes(new int[] {6, 7, 5}), 1, 2).build();
        assertEquals(List.of("01time1", "02time2", "03direction", "04label", "05inConv", "06enc0_0", "07down0", "08enc1_0",
                "09mid1", "10attention", "11mid2", "12dec1_0", "13up1", "14dec0_0", "15outNorm", "16outConv", "17patternAware1"),
                full.getChildren().keys());
    }

    @Test
    void theUntrainedNetworkOutputsZeroOrWithTheResidualOutputItsImage() {
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            for (boolean residual : new boolean[] {false, true}) {
                UNet3d net = small(8, 16).optResidualOutput(residual).build();
                net.initialize(m, 1, X, X);
                NDArray x = m.randomNormal(X);
                NDArray out = net.predict(new ParameterStore(m, false), x, m.randomNormal(X), null, new int[] {0, 1}, null, false);
                assertArrayEquals((residual ? x : x.zerosLike()).toFloatArray(), out.toFloatArray(), 0f);
            }
        }
    }

    @Test
    void bothLayoutsGiveTheSameFunction() {
        // no-grad passes run channels-last unless switched off, training passes channels-first
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            for (boolean channelsLast : new boolean[] {true, false}) {
                UNet3d net = small(8, 16).optTimeEmbedding(true).optLabels(4).optMiddleAttention(2).optResidualOutput(true)
                        .optChannelsLastInference(channelsLast).build();
                net.initialize(m, 3, X, X);
                Engines.withoutGradients(() -> {
                    for (var p : net.getParameters().values()) p.getArray().addi(m.randomNormal(p.getArray().getShape()).mul(0.2));
                    return null;
                });
                ParameterStore ps = new ParameterStore(m, false);
                NDArray x = m.randomNormal(X);
                NDArray c = m.randomNormal(X);
                int[] t = {3, 700}, d = {1, 0}, y = {0, 3};
                float[] inference = Engines.withoutGradients(() -> net.predict(ps, x, c, t, d, y, false).sub(x).toFloatArray());
                float[] training = Engines.withoutGradients(() -> net.predict(ps, x, c, t, d, y, true).sub(x).toFloatArray());
                float max = 0;
                for (float v : training) max = Math.max(max, Math.abs(v));
                assertTrue(max > 0.1, "perturbed network gives non-trivial output: " + max);
                assertArrayEquals(training, inference, 1e-4f * max);
            }
        }
    }

    @Test
    void activationsAreReleasedDuringThePassWhateverTheDepth() {
        // left in the step manager after a pass: the inputs, the codes, the embedding and the
        // output; every activation of the levels is closed, so the count does not grow with depth
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            int[] left = new int[2];
            int k = 0;
            for (int[] widths : new int[][] {{8, 16}, {8, 16, 16, 16}}) {
                UNet3d net = small(widths).optResBlocksPerLevel(2).optResidualOutput(true).build();
                net.initialize(m, 1, X, X);
                for (boolean training : new boolean[] {false, true}) {
                    try (NDManager step = m.newSubManager()) {
                        NDArray x = step.randomNormal(X);
                        Engines.withoutGradients(() -> net.predict(new ParameterStore(m, false), x, step.randomNormal(X), null, new int[] {0, 1}, null, training));
                        if (!training) left[k] = step.getManagedArrays().size();
                        else assertEquals(left[k], step.getManagedArrays().size(), "training pass");
                    }
                }
                k++;
            }
            assertEquals(left[0], left[1], "arrays left after a pass of a 2-level and a 4-level U-Net");
            assertTrue(left[0] <= 8, "arrays left after a pass: " + left[0]);
        }
    }

    @Test
    void missingCodesAndAResidualOfAnotherWidthAreClearErrors() {
        try (NDManager m = Engines.pytorch(2).newBaseManager()) {
            UNet3d net = small(8).optTimeEmbedding(true).build();
            net.initialize(m, 1, X, X);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    net.predict(new ParameterStore(m, false), m.zeros(X), m.zeros(X), null, new int[] {0, 0}, null, false));
            assertEquals("need one time step per sample: batch 2, got none", e.getMessage());
            UNet3d residual = small(8).setOutputChannels(3).optResidualOutput(true).build();
            e = assertThrows(IllegalArgumentException.class, () -> residual.initialize(m, 1, X, X));
            assertEquals("UNet3d with residual output needs an image of 3 channels, got (2, 2, 6, 7, 5)", e.getMessage());
        }
    }
}
