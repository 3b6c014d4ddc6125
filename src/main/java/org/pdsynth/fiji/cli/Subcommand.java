package org.pdsynth.fiji.cli;

import org.scijava.command.Command;

/**
 * One {@code pds} subcommand: the SciJava command it runs (the same class Fiji's menu runs) and
 * the names of the parameters given as positional arguments.
 */
record Subcommand(String name, Class<? extends Command> command, String summary, String... positional) {}
