package org.pdsynth.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class EnginesTest {

    @Test
    void gradModeIsPerThreadAndWithoutGradientsTurnsItOff() throws Exception {
        Engines.pytorch(2);
        // PyTorch's grad mode is thread-local and on by default: DJL turned it off only on the
        // thread that started the engine. withoutGradients turns it off, then restores it.
        List<Boolean> seen = CompletableFuture.supplyAsync(() -> {
            boolean before = JniUtils.isGradMode();
            boolean inside = Engines.withoutGradients(JniUtils::isGradMode);
            return List.of(before, inside, JniUtils.isGradMode());
        }).get();
        assertEquals(List.of(true, false, true), seen);
        assertFalse(Engines.withoutGradients(JniUtils::isGradMode));
    }

    @Test
    void threadsSettingIsApplied() {
        Engines.pytorch(2);
        int before = Engines.threads();
        Engines.setThreads(1);
        assertEquals(1, Engines.threads());
        Engines.setThreads(before);
        assertEquals(before, Engines.threads());
        assertTrue(before >= 1);
    }

    @Test
    void openMpThreadsSleepAtBarriersUnlessTheUserChoseAPolicy() {
        Engines.pytorch(2);
        // set in the C environment (what libgomp reads when libtorch loads), not only in Java's copy
        String user = System.getenv(Engines.OMP_WAIT_POLICY);
        String expected = user == null ? Engines.WAIT_POLICY : user;
        assertEquals(expected, Engines.cEnvironment(Engines.OMP_WAIT_POLICY));
    }
}
