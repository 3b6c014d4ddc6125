package org.pdsynth.fiji.cli;

/** Test access to the CLI's one-line failure message from other packages. */
public final class PdsCliAccess {
    private PdsCliAccess() {}

    /** The line {@code pds} would print for this failure (without the "pds NAME: " prefix). */
    public static String message(Throwable t) {
        return PdsCli.rootMessage(t);
    }
}
