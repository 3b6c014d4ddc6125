package org.pdsynth.fiji;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses an output path that is one of the command's own inputs ({@code --out} equal to
 * {@code --input}, {@code --mask}, ...): writing it would replace the subject's real scan. Paths
 * are compared as files ({@link Files#isSameFile}: symbolic links, {@code ./} and relative paths
 * resolve to the same file) and, for files that do not exist yet, as normalised absolute paths.
 */
public final class OutputGuard {
    private final Map<String, Path> inputs = new LinkedHashMap<>();

    /** Adds an input under its option name (e.g. "--input"); null files are ignored. */
    public OutputGuard input(String option, File file) {
        if (file != null) inputs.put(option, file.toPath());
        return this;
    }

    /** As {@link #input(String, File)} for a path. */
    public OutputGuard input(String option, Path file) {
        if (file != null) inputs.put(option, file);
        return this;
    }

    /**
     * @param option the output's option name (e.g. "--out"), named in the error
     * @param out    the output path, or null (nothing to check)
     * @throws UsageError "OUT: --out is the same file as --input; refusing to overwrite an input"
     */
    public void check(String option, Path out) {
        if (out == null) return;
        for (Map.Entry<String, Path> in : inputs.entrySet())
            if (same(out, in.getValue()))
                throw new UsageError(out + ": " + option + " is the same file as " + in.getKey() + "; refusing to overwrite an input");
    }

    /** As {@link #check(String, Path)} for a file. */
    public void check(String option, File out) {
        check(option, out == null ? null : out.toPath());
    }

    static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException e) {
            // fall back to the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
