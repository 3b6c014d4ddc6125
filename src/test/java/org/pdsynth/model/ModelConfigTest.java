package org.pdsynth.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class ModelConfigTest {

    @Test
    void jsonRoundTripAndDefaults() {
        ModelConfig c = ModelConfig.defaults();
        assertEquals(c, ModelConfig.fromJson(c.toJson()));
        assertEquals(List.of(48, 56, 48), c.gridZYX());
        assertEquals(8, c.channels());
        assertEquals(1000, c.timesteps());
        assertEquals(0.2, c.labelDropout());
        assertFalse(c.patternAware());
        // a file from before a field existed: missing keys take the defaults
        ModelConfig partial = ModelConfig.fromJson("{\"baseWidth\": 16, \"refiner\": {\"maxT\": 100}}");
        assertEquals(16, partial.baseWidth());
        assertEquals(100, partial.refiner().maxT());
        assertEquals(c.refiner().lambdaMic(), partial.refiner().lambdaMic());
        assertEquals(c.channelMultipliers(), partial.channelMultipliers());
    }

    @Test
    void clearErrors() {
        assertEquals("model config has unknown key 'chanels'",
                assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson("{\"chanels\": 4}")).getMessage());
        assertEquals("model config has unknown key 'refiner.foo'",
                assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson("{\"refiner\": {\"foo\": 1}}")).getMessage());
        assertEquals("model config 'channelMultipliers' level 0 width 10 is not divisible by groups = 8",
                assertThrows(IllegalArgumentException.class, () -> ModelConfig.defaults().with("baseWidth", 10)).getMessage());
        assertEquals("model config 'attentionHeads' must divide the lowest level width 128, got 3",
                assertThrows(IllegalArgumentException.class, () -> ModelConfig.defaults().with("attentionHeads", 3)).getMessage());
    }
}
