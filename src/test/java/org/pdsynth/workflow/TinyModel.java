package org.pdsynth.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One tiny trained model folder shared by the tests of a JVM (Fiji script tests): trained once,
 * on first use, with {@link TrainSynthesizeEndToEndTest#options} on a {@link TinyCohort} of 4
 * subjects for 2 steps (N = 4 channels, 16^3 model grid), in a temporary folder removed when the
 * JVM exits. Its outputs are meaningless as images; it exercises the real load/sample/write path.
 */
public final class TinyModel {
    private static Path folder;

    private TinyModel() {}

    /** The model folder (pds-model.json, config.json, ema.params). */
    public static synchronized Path folder() {
        if (folder == null) {
            try {
                Path dir = Files.createTempDirectory("pds-tiny-model");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "pds-tiny-model-cleanup"));
                Path csv = TinyCohort.write(dir.resolve("cohort"), 4);
                Path model = dir.resolve("model");
                TrainingRun.run(TrainSynthesizeEndToEndTest.options(csv, model, 2, false), line -> {}, null);
                folder = model;
            } catch (Exception e) {
                throw new IllegalStateException("training the tiny test model failed: " + e.getMessage(), e);
            }
        }
        return folder;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
