package org.pdsynth.fiji.cli;

/** Bad command-line words: the CLI prints the message and the usage, and exits with code 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
