package org.pdsynth.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrainCommandStagesTest {
    @Test
    void stagesParseAsOneTwoOrBoth() {
        assertEquals(List.of(1), TrainCommand.parseStages("1"));
        assertEquals(List.of(2), TrainCommand.parseStages(" 2 "));
        assertEquals(List.of(1, 2), TrainCommand.parseStages("1,2"));
        assertEquals(List.of(1), TrainCommand.parseStages(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainCommand.parseStages("1,3"));
        assertEquals("--stages must be 1, 2 or 1,2, got '1,3'", e.getMessage());
    }
}
