package org.pdsynth.fiji.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.pdsynth.fiji.CompleteCohortCommand;
import org.pdsynth.fiji.DemoCommand;
import org.pdsynth.fiji.DiagnoseCommand;
import org.pdsynth.fiji.InfoCommand;
import org.pdsynth.fiji.MetricsCommand;
import org.pdsynth.fiji.SimulateCommand;
import org.pdsynth.fiji.SynthesizeCommand;
import org.pdsynth.fiji.TrainCommand;
import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.event.EventService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

/**
 * The {@code pds} command line: each subcommand runs the SciJava command that Fiji's menu runs,
 * in a headless SciJava context (one implementation, two surfaces). Fiji's own form works too:
 * {@code pds --run "PDS > Synthesize dMRI from fMRI" "input='a.nii.gz',out='b.nii.gz'"}.
 * Exit codes: 0 success, 1 the command failed (one-line message on stderr), 2 bad usage. Ctrl-C
 * or SIGTERM cancels the command; if it had already finished its outputs (a signal during the
 * last write, which is let to complete) the run is a success and exits 0, otherwise it says
 * "cancelled" and the JVM exits 130/143.
 */
public final class PdsCli {
    static final Map<String, Subcommand> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        add(new Subcommand("demo", DemoCommand.class,
                "simulate a phantom cohort, synthesize a held-out subject both ways, measure PSNR/SSIM, write montages (--out DIR)"));
        add(new Subcommand("simulate", SimulateCommand.class,
                "generate a paired phantom cohort with NC/MCI/AD patterns (--out DIR [--subjects 60] [--seed 1])"));
        add(new Subcommand("info", InfoCommand.class, "dims, datatype, voxel size, affine, TR and statistics of a NIfTI file", "input"));
        add(new Subcommand("metrics", MetricsCommand.class,
                "PSNR, SSIM and MAE of --test against --reference (per channel, scaled by the reference's range)"));
        add(new Subcommand("align", org.pdsynth.fiji.AlignCommand.class,
                "average a 4-D fMRI or DWI (--bval/--bvec) into N channels on its own grid (--input FILE --out FILE)"));
        add(new Subcommand("train", TrainCommand.class, "train a PDS model on a cohort manifest (--cohort participants.csv --out MODEL_DIR)"));
        add(new Subcommand("synthesize", SynthesizeCommand.class,
                "synthesize the missing modality of one subject (--from fmri|dwi --input FILE --out FILE)"));
        add(new Subcommand("complete", CompleteCohortCommand.class,
                "synthesize every missing modality of a manifest (--cohort participants.csv --out DIR [--shard i/n])"));
        add(new Subcommand("diagnose", DiagnoseCommand.class,
                "NC/MCI/AD classification with real, hybrid or synthetic data (--cohort participants.csv [--synthetic DIR])"));
        add(new Subcommand("experiment", org.pdsynth.fiji.ExperimentCommand.class,
                "train the baselines and PDS ablations on --cohort, evaluate on --test (--out DIR [--budget small|full]); "
                        + "--validation HELDOUT.csv: clinical validation of the trained methods instead"));
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
        boolean fijiForm = args[0].equals("--run");
        Subcommand sub = fijiForm ? null : SUBCOMMANDS.get(args[0]);
        if (!fijiForm && sub == null) {
            err.println("pds: unknown subcommand '" + args[0] + "'");
            err.print(usage());
            return 2;
        }
        String name = fijiForm ? "--run" : sub.name();
        try (Context context = new Context(CommandService.class, ModuleService.class, StatusService.class, EventService.class)) {
            // the CLI prints a failure as one line itself; SciJava's stack traces only with PDS_DEBUG=1
            if (System.getenv("PDS_DEBUG") == null) context.service(LogService.class).setLevel(LogLevel.NONE);
            CommandService commands = context.service(CommandService.class);
            CommandInfo info;
            Map<String, Object> values;
            try {
                if (fijiForm) {
                    if (args.length < 2 || args.length > 3) throw new UsageException("--run takes \"MENU > PATH\" and optionally \"key='value',...\"");
                    info = FijiRunForm.find(commands, args[1]);
                    name = info.getTitle();
                    values = FijiRunForm.values(info, args.length == 3 ? args[2] : "");
                } else {
                    info = commands.getCommand(sub.command());
                    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
                    if (rest.length == 1 && (rest[0].equals("-h") || rest[0].equals("--help"))) {
                        out.print(usage(sub, inputs(info)));
                        return 0;
                    }
                    values = ArgumentParser.parse(sub, inputs(info), rest);
                }
            } catch (UsageException e) {
                err.println("pds " + name + ": " + e.getMessage());
                err.print(sub != null ? usage(sub, inputs(commands.getCommand(sub.command()))) : usage());
                return 2;
            }
            return execute(context, info, values, name, out, err);
        } catch (ExecutionException e) {
            err.println("pds " + name + ": " + rootMessage(e));
            return isUsageError(e) ? 2 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("pds " + name + ": interrupted");
            return 1;
        }
    }

    static List<ModuleItem<?>> inputs(CommandInfo info) {
        List<ModuleItem<?>> inputs = new ArrayList<>();
        info.inputs().forEach(inputs::add);
        return inputs;
    }

    /** Runs the command with progress on stderr; Ctrl-C cancels it and waits for it to stop cleanly. */
    private static int execute(Context context, CommandInfo info, Map<String, Object> values, String name, PrintStream out,
            PrintStream err) throws ExecutionException, InterruptedException {
        // SciJava's event bus holds subscribers weakly: keep the printer reachable until the end
        StatusPrinter printer = new StatusPrinter(err);
        List<?> subscription = context.service(EventService.class).subscribe(printer);
        ModuleService modules = context.service(ModuleService.class);
        Module m = modules.createModule(info);
        Future<Module> run = modules.run(m, true, values);
        java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (m.getDelegateObject() instanceof Cancelable c) c.cancel("interrupted (Ctrl-C)");
            try {
                run.get(120, TimeUnit.SECONDS);
                reported.await(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
            // the signal came while the command finished its output: the run succeeded, say so (not 130/143)
            if (code.get() == 0) {
                out.flush();
                err.flush();
                Runtime.getRuntime().halt(0);
            }
        }, "pds-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            run.get();
        } catch (ExecutionException | InterruptedException e) {
            reported.countDown();
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        java.lang.ref.Reference.reachabilityFence(printer);
        java.lang.ref.Reference.reachabilityFence(subscription);
        boolean completed = m.getDelegateObject() instanceof org.pdsynth.fiji.PdsCommand p && p.isCompleted();
        if (m.getDelegateObject() instanceof Cancelable c && c.isCanceled() && !completed) {
            err.println("pds " + name + ": cancelled");
            code.set(1);
            reported.countDown();
            return 1;
        }
        for (ModuleItem<?> o : info.outputs()) {
            Object v = m.getOutput(o.getName());
            if (v instanceof String s) out.println(s.endsWith("\n") ? s.substring(0, s.length() - 1) : s);
        }
        code.set(0);
        reported.countDown();
        return 0;
    }

    /**
     * The one-line message of a failure: the OUTERMOST exception that says something of its own.
     * Wrappers (the executor's, SciJava's, reflection's, exceptions whose message is only their
     * cause's, and any exception with a cause thrown outside org.pdsynth) are skipped; the
     * exception our code throws names the file and wraps the JDK's bare reason ("Unexpected end
     * of ZLIB input stream", "Input length = 3"), so taking the innermost cause would drop the
     * file name. A file-system exception without a reason gets one.
     */
    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c && isWrapper(c)) c = c.getCause();
        return describe(c);
    }

    private static boolean isWrapper(Throwable c) {
        if (c instanceof ExecutionException || c instanceof java.lang.reflect.InvocationTargetException
                || c instanceof org.scijava.module.ModuleException)
            return true;
        String m = c.getMessage(), inner = c.getCause().getMessage();
        if (m == null || m.equals(c.getCause().toString()) || m.equals(inner)) return true;
        // a library's generic wrapper (SciJava's "Module threw exception"): our own code names the file
        StackTraceElement[] st = c.getStackTrace();
        return st.length > 0 && !st[0].getClassName().startsWith("org.pdsynth.");
    }

    private static String describe(Throwable c) {
        if (c instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            String what = c instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : c instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : c instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : c instanceof java.nio.file.NotDirectoryException ? "not a folder"
                    : c instanceof java.nio.file.DirectoryNotEmptyException ? "folder not empty"
                    : c.getClass().getSimpleName();
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + what;
        }
        String msg = c.getMessage();
        return msg == null || msg.isBlank() ? c.toString() : msg.strip().replace('\n', ' ');
    }

    /** True when the command refused its arguments ({@link org.pdsynth.fiji.UsageError}): exit 2. */
    static boolean isUsageError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause())
            if (c instanceof org.pdsynth.fiji.UsageError) return true;
        return false;
    }

    static String usage() {
        StringBuilder b = new StringBuilder("usage: pds SUBCOMMAND [ARGS...]   (pds SUBCOMMAND --help for its options)\n"
                + "       pds --run \"PDS > MENU ITEM\" \"key='value',...\"   (Fiji's form)\n\nsubcommands:\n");
        for (Subcommand s : SUBCOMMANDS.values()) b.append(String.format("  %-12s %s%n", s.name(), s.summary()));
        return b.toString();
    }

    static String usage(Subcommand sub, List<ModuleItem<?>> inputs) {
        StringBuilder b = new StringBuilder("usage: pds " + sub.name());
        for (String p : sub.positional()) b.append(' ').append(p.toUpperCase(Locale.ROOT));
        b.append(" [options]\n  ").append(sub.summary()).append("\n\noptions:\n");
        for (ModuleItem<?> in : inputs) {
            if (ArgumentParser.isService(in)) continue;
            String flag = ArgumentParser.display(sub, in.getName());
            String desc = in.getDescription() != null && !in.getDescription().isEmpty() ? in.getDescription() : in.getLabel();
            Object def = in.getDefaultValue();
            String choices = in.getChoices() != null && !in.getChoices().isEmpty() ? " " + in.getChoices() : "";
            b.append(String.format("  %-22s %s%s%s%n", flag, desc == null ? "" : desc, choices,
                    def != null && !(def instanceof Boolean b2 && !b2) ? " (default " + def + ")" : ""));
        }
        return b.toString();
    }
}
