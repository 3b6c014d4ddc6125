package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Direction;

/**
 * Nothing that a sampling, training or validation step creates outlives the step: the number of
 * live NDArrays in every manager of the process (all base managers under DJL's system manager) is
 * the same after 2 and after 2 + many steps, on every sampling path (DDIM, DPM-Solver++, label
 * guidance as a batch of two, M samples, the refiner) and across validation passes that refresh
 * the EMA model's weights (the training loop's count: {@code TrainerTest.liveArrayCountStaysFlat});
 * and no step leaves a direct buffer for the GC to free.
 *
 * <p>Why this matters: an array left in a long-lived manager each step holds its native tensor
 * for the life of the model; bench/README.md ("Memory") has what the resident size does over
 * 500-1000 steps and why it grew without any such array (the Java young generation).
 */
class FlatMemoryTest extends SingleThreadTests {

    @Test
    void samplingLeavesNoArrayBehind() {
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             RefinerModel refiner = RefinerModel.beside(TinySetup.config(), model.holder())) {
            float[] source = TinySetup.pairs(1).get(0).fmri();
            Sampling.Options[] paths = {
                Sampling.Options.builder().optSteps(2).build(),
                Sampling.Options.builder().optSampler("dpm++2m").optSteps(2).build(),
                Sampling.Options.builder().optSteps(2).optGuidanceScale(2.0).optEta(0.5).optSamples(2).build(),
            };
            for (Sampling.Options o : paths) {
                Sampling.sample(model, refiner, source, Direction.FMRI_TO_DWI, Diagnosis.AD, o, null, null);   // warm-up
                int before = TrainerTest.liveArrays(model.holder().manager());
                int[] evaluations = {0};
                Sampling.Options longer = o.withSteps(30);
                Sampling.sample(model, refiner, source, Direction.DWI_TO_FMRI, Diagnosis.AD, longer, (d, t) -> evaluations[0] = d, null);
                assertEquals(Sampling.evaluations(model, longer), evaluations[0]);
                assertTrue(evaluations[0] >= 20, o.sampler() + ": " + evaluations[0] + " evaluations");
                assertEquals(before, TrainerTest.liveArrays(model.holder().manager()),
                        "live NDArrays after " + evaluations[0] + " more evaluations (" + o + ")");
            }
        }
    }

    /**
     * No step allocates a direct buffer: DJL's {@code create(float[])}, {@code create(float)} and
     * scalar arithmetic ({@code x.mul(0.5)}) each wrap a new one, whose C memory lives until the
     * Java GC; 71 per evaluation and 213 per training step (before {@code Staging}) sat among the
     * freed tensors and kept the C heap from reusing their space (bench/README.md, "Memory").
     */
    @Test
    void stepsAllocateNoDirectBuffer() {
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(2), TinySetup.settings(10))) {
            float[] source = TinySetup.pairs(1).get(0).fmri();
            Sampling.Options guided = Sampling.Options.builder().optSteps(2).optGuidanceScale(2.0).build();
            trainer.step();
            Sampling.sample(model, null, source, Direction.FMRI_TO_DWI, Diagnosis.MCI, guided, null, null);   // warm-up
            long before = settledCount(direct);
            Sampling.sample(model, null, source, Direction.FMRI_TO_DWI, Diagnosis.MCI, guided.withSteps(20), null, null);
            long sampling = direct.getCount() - before;
            for (int i = 0; i < 5; i++) trainer.step();
            long training = direct.getCount() - before - sampling;
            assertTrue(sampling <= 0, sampling + " direct buffers left by 20 sampling evaluations");
            assertTrue(training <= 0, training + " direct buffers left by 5 training steps");
        }
    }

    /** The live direct-buffer count once the GC and its cleaner thread have freed what was garbage (so none go during the count). */
    private static long settledCount(java.lang.management.BufferPoolMXBean direct) {
        System.gc();
        long last = -1;
        for (int i = 0; i < 40 && direct.getCount() != last; i++) {
            last = direct.getCount();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return direct.getCount();
    }

    @Test
    void validationPassesLeaveNoArrayBehind() {
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, TinySetup.pairs(2), TinySetup.settings(10))) {
            PairSource val = TinySetup.pairs(1);
            trainer.step();
            trainer.objective().validationLoss(trainer.ema(), val, 3);           // creates the EMA model once
            int before = TrainerTest.liveArrays(model.holder().manager());
            for (int i = 0; i < 4; i++) {
                trainer.step();
                trainer.objective().validationLoss(trainer.ema(), val, 3);       // refreshes its weights each time
            }
            assertEquals(before, TrainerTest.liveArrays(model.holder().manager()), "live NDArrays after 4 steps with validation");
        }
    }
}
