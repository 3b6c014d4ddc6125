package org.pdsynth.fiji;

/**
 * A command's arguments contradict each other (e.g. {@code --out} names one of the inputs): the
 * command refuses before it reads or writes anything. In Fiji it is an error like any other;
 * the {@code pds} command line exits 2 (bad usage) instead of 1.
 */
public class UsageError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
        super(message);
    }
}
