package org.pdsynth.fiji;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import org.scijava.ItemVisibility;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;

/**
 * What our long-running commands share: progress through SciJava's StatusService (Fiji's status
 * bar; the {@code pds} CLI prints it on stderr) and cancellation ({@link #isCanceled()}, polled
 * by the core between steps).
 */
public abstract class PdsCommand extends ContextCommand {
    @Parameter(required = false)
    private StatusService status;

    /**
     * A message line in the dialog. It also keeps SciJava's FilePreprocessor from replacing the
     * inputs by a file chooser when a single File input is left unset, which headless (Fiji
     * --headless --run) would cancel without a word.
     */
    @Parameter(visibility = ItemVisibility.MESSAGE, required = false, persist = false)
    private String about = "PDS for Fiji: pattern-aware diffusion synthesis of fMRI / dMRI";

    /** A status line (Fiji status bar, CLI stderr). */
    protected void status(String message) {
        if (status != null) status.showStatus(message);
    }

    /** Progress {@code done} of {@code total} with a message. */
    protected void progress(int done, int total, String message) {
        if (status != null) status.showStatus(done, total, message);
    }

    private volatile boolean completed;

    /**
     * Marks the command's work as done (its outputs written): a cancel request that arrives after
     * this (Ctrl-C or SIGTERM while the last write finishes) no longer makes the run "cancelled".
     */
    protected void completed() {
        completed = true;
    }

    /** True once {@link #completed()} was called. */
    public boolean isCompleted() {
        return completed;
    }

    /** Polled by the core: true once the user cancelled. */
    protected BooleanSupplier cancelled() {
        return this::isCanceled;
    }

    /** Checked exceptions leave a command unchecked, keeping their one-line message. */
    protected static RuntimeException failure(Exception e) {
        if (e instanceof RuntimeException r) return r;
        if (e instanceof IOException io) return new UncheckedIOException(io.getMessage(), io);
        return new IllegalStateException(e.getMessage(), e);
    }
}
