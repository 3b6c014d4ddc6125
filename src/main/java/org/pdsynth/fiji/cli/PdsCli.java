package org.pdsynth.fiji.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.pdsynth.fiji.InfoCommand;
import org.pdsynth.fiji.MetricsCommand;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import java.util.concurrent.Future;
import org.scijava.app.StatusService;
import org.scijava.event.EventService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.scijava.module.ModuleItem;

/**
 * The {@code pds} command line: each subcommand runs the SciJava command that Fiji's menu runs,
 * in a headless SciJava context (one implementation, two surfaces). Exit codes: 0 success, 1 the
 * command failed (one-line message on stderr), 2 bad usage.
 */
public final class PdsCli {
    static final Map<String, Subcommand> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        add(new Subcommand("demo", org.pdsynth.fiji.DemoCommand.class,
                "simulate a phantom cohort, synthesize a held-out subject both ways, measure PSNR/SSIM, write montages (--out DIR)"));
        add(new Subcommand("simulate", org.pdsynth.fiji.SimulateCommand.class,
                "generate a paired phantom cohort with NC/MCI/AD patterns (--out DIR [--subjects 60] [--seed 1])"));
        add(new Subcommand("info", InfoCommand.class, "dims, datatype, voxel size, affine, TR and statistics of a NIfTI file",
                "input"));
        add(new Subcommand("metrics", MetricsCommand.class,
                "PSNR, SSIM and MAE of --test against --reference (per channel, scaled by the reference's range)"));
        add(new Subcommand("train", org.pdsynth.fiji.TrainCommand.class,
                "train a PDS model on a cohort manifest (--cohort participants.csv --out MODEL_DIR)"));
        add(new Subcommand("synthesize", org.pdsynth.fiji.SynthesizeCommand.class,
                "synthesize the missing modality of one subject (--from fmri|dwi --input FILE --out FILE)"));
        add(new Subcommand("complete", org.pdsynth.fiji.CompleteCohortCommand.class,
                "synthesize every missing modality of a manifest (--cohort participants.csv --out DIR [--shard i/n])"));
        add(new Subcommand("diagnose", org.pdsynth.fiji.DiagnoseCommand.class,
                "NC/MCI/AD classification with real, hybrid or synthetic data (--cohort participants.csv [--synthetic DIR])"));
    }

    private static void add(Subcommand s) {
        SUBCOMMANDS.put(s.name(), s);
    }

    private PdsCli() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(usage());
            return args.length == 0 ? 2 : 0;
        }
        Subcommand sub = SUBCOMMANDS.get(args[0]);
        if (sub == null) {
            err.println("pds: unknown subcommand '" + args[0] + "'");
            err.print(usage());
            return 2;
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        try (Context context = new Context(CommandService.class, ModuleService.class, StatusService.class, EventService.class)) {
            CommandService commands = context.service(CommandService.class);
            // the CLI prints a failure as one line itself; SciJava's stack traces only with PDS_DEBUG=1
            if (System.getenv("PDS_DEBUG") == null)
                context.service(org.scijava.log.LogService.class).setLevel(org.scijava.log.LogLevel.NONE);
            CommandInfo info = commands.getCommand(sub.command());
            List<ModuleItem<?>> inputs = new ArrayList<>();
            info.inputs().forEach(inputs::add);
            if (rest.length == 1 && (rest[0].equals("-h") || rest[0].equals("--help"))) {
                out.print(usage(sub, inputs));
                return 0;
            }
            Map<String, Object> values;
            try {
                values = ArgumentParser.parse(sub, inputs, rest);
            } catch (UsageException e) {
                err.println("pds " + sub.name() + ": " + e.getMessage());
                err.print(usage(sub, inputs));
                return 2;
            }
            StatusPrinter printer = new StatusPrinter(err);
            context.service(EventService.class).subscribe(printer);
            ModuleService modules = context.service(ModuleService.class);
            Module m = modules.createModule(info);
            Future<Module> run = modules.run(m, true, values);
            // Ctrl-C: ask the command to stop (it finishes its step and leaves usable output), then wait
            Thread hook = new Thread(() -> {
                if (m.getDelegateObject() instanceof org.scijava.Cancelable c) c.cancel("interrupted (Ctrl-C)");
                try {
                    run.get(120, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }, "pds-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                run.get();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running
                }
            }
            if (cancelled(m)) {
                err.println("pds " + sub.name() + ": cancelled");
                return 1;
            }
            for (ModuleItem<?> o : info.outputs()) {
                Object v = m.getOutput(o.getName());
                if (v instanceof String str) out.println(str.endsWith("\n") ? str.substring(0, str.length() - 1) : str);
            }
            return 0;
        } catch (ExecutionException e) {
            err.println("pds " + sub.name() + ": " + rootMessage(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("pds " + sub.name() + ": interrupted");
            return 1;
        }
    }

    private static boolean cancelled(Module m) {
        return m.getDelegateObject() instanceof org.scijava.Cancelable c && c.isCanceled();
    }

    /** The innermost meaningful message of a failure (the one-line error our core throws). */
    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        String msg = c.getMessage();
        return msg == null ? c.toString() : msg;
    }

    static String usage() {
        StringBuilder b = new StringBuilder("usage: pds SUBCOMMAND [ARGS...]   (pds SUBCOMMAND --help for its options)\n\nsubcommands:\n");
        for (Subcommand s : SUBCOMMANDS.values()) b.append(String.format("  %-12s %s%n", s.name(), s.summary()));
        return b.toString();
    }

    static String usage(Subcommand sub, List<ModuleItem<?>> inputs) {
        StringBuilder b = new StringBuilder("usage: pds " + sub.name());
        for (String p : sub.positional()) b.append(' ').append(p.toUpperCase(java.util.Locale.ROOT));
        b.append(" [options]\n  ").append(sub.summary()).append("\n\noptions:\n");
        for (ModuleItem<?> in : inputs) {
            if (ArgumentParser.isService(in)) continue;
            String flag = ArgumentParser.display(sub, in.getName());
            String desc = in.getDescription() != null ? in.getDescription() : in.getLabel();
            Object def = in.getDefaultValue();
            String choices = in.getChoices() != null && !in.getChoices().isEmpty() ? " " + in.getChoices() : "";
            b.append(String.format("  %-22s %s%s%s%n", flag, desc == null ? "" : desc, choices,
                    def != null && !(def instanceof Boolean b2 && !b2) ? " (default " + def + ")" : ""));
        }
        return b.toString();
    }
}
