package org.pdsynth.fiji.cli;

import java.io.PrintStream;
import org.scijava.app.event.StatusEvent;
import org.scijava.event.EventHandler;

/** Prints SciJava status messages (a command's progress) as lines on the CLI's stderr, without repeats. */
final class StatusPrinter {
    private final PrintStream err;
    private String last = "";

    StatusPrinter(PrintStream err) {
        this.err = err;
    }

    @EventHandler
    void onStatus(StatusEvent e) {
        String msg = e.getStatusMessage();
        // SciJava's module runner announces every command; the CLI user typed it already
        if (msg == null || msg.isBlank() || msg.equals(last) || msg.startsWith("Running command:") || msg.startsWith("Command finished:")) return;
        last = msg;
        err.println(msg);
    }
}
