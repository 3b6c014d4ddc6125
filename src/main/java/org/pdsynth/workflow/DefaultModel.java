package org.pdsynth.workflow;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The model used when the user names none: {@code PDS_MODEL} (environment) or {@code pds.model}
 * (system property) if set, else the demo model shipped inside the jar (resources under
 * {@value #RESOURCE}), extracted once to {@code ~/.pds/models/demo-<size>} on first use.
 */
public final class DefaultModel {
    static final String RESOURCE = "/org/pdsynth/models/demo/";

    private DefaultModel() {}

    /** {@code given} if not null, else the default model folder. */
    public static Path resolve(File given) throws IOException {
        if (given != null) return given.toPath();
        String p = System.getProperty("pds.model");
        if (p == null || p.isBlank()) p = System.getenv("PDS_MODEL");
        if (p != null && !p.isBlank()) return Path.of(p);
        return extractShipped();
    }

    /** True when every optional file the jar ships is in {@code dir} (an older build may have extracted fewer). */
    private static boolean shippedOptionalFilesPresent(Path dir) {
        for (String f : ModelFolder.optionalSamplingFiles())
            if (DefaultModel.class.getResource(RESOURCE + f) != null && !Files.isRegularFile(dir.resolve(f))) return false;
        return true;
    }

    private static Path extractShipped() throws IOException {
        long size = 0;
        for (String f : ModelFolder.samplingFiles()) {
            try (InputStream in = DefaultModel.class.getResourceAsStream(RESOURCE + f)) {
                if (in == null)
                    throw new IOException("no model given (--model) and this build ships no demo model (" + RESOURCE + f
                            + " missing); train one with 'pds train' or set PDS_MODEL");
                size += in.transferTo(OutputStreamSink.INSTANCE);
            }
        }
        Path dir = Path.of(System.getProperty("user.home"), ".pds", "models", "demo-" + size);
        if (Files.isRegularFile(dir.resolve(ModelFolder.DESCRIPTOR)) && shippedOptionalFilesPresent(dir)) return dir;
        Files.createDirectories(dir);
        // optional files first: the descriptor (a required file, written last) marks a complete folder
        for (String f : ModelFolder.optionalSamplingFiles()) {
            try (InputStream in = DefaultModel.class.getResourceAsStream(RESOURCE + f)) {
                if (in == null) continue;
                Path target = dir.resolve(f);
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                publish(tmp, target);
            }
        }
        for (String f : ModelFolder.samplingFiles()) {
            try (InputStream in = DefaultModel.class.getResourceAsStream(RESOURCE + f)) {
                Path tmp = Files.createTempFile(dir, "." + f, ".part");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                publish(tmp, dir.resolve(f));
            }
        }
        return dir;
    }

    /**
     * Moves a complete temporary file to {@code target} unless a file is there already, which is
     * then kept (the temporary is deleted). Several processes extract the demo model at once when
     * an array job's tasks start together on a shared home: replacing a file that another node
     * has open gives that reader a stale NFS file handle, so the first copy published wins. The
     * hard link publishes atomically and fails when the target exists; a file system without
     * hard links falls back to an atomic move (which replaces).
     */
    static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // another process published it first: same bytes, keep it
        } catch (UnsupportedOperationException | IOException e) {
            if (!Files.exists(target)) Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Counts bytes without keeping them. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
