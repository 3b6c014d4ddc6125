package org.pdsynth.fiji.scripts;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import org.scijava.Context;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.module.ModuleService;
import org.scijava.module.event.ModuleCanceledEvent;
import org.scijava.script.ScriptInfo;
import org.scijava.script.ScriptModule;
import org.scijava.script.ScriptService;

/**
 * Runs our example scripts (scripts/Plugins/PDS/) the way Fiji does: through scijava-common's
 * ScriptService, which parses the {@code #@} script parameters. Fiji's scripting-groovy and
 * scripting-jython plugins are not on Maven Central, so the plain JSR-223 engines on the test
 * classpath (Groovy, Jython) are registered with the service instead.
 *
 * <p>A script that throws does not fail its SciJava module (ScriptModule catches the error and
 * prints it to the module's error writer, or logs it); the harness captures that writer and
 * rethrows the error text as a {@link ScriptFailure}, so a test sees a failing script fail. A
 * script that does not run at all (a preprocessor cancelled it, e.g. "'x' is required but unset")
 * is a ScriptFailure too.
 */
final class ScriptHarness implements AutoCloseable {
    final Context context = new Context();
    final ScriptService scripts = context.service(ScriptService.class);

    private final List<String> cancelled = new ArrayList<>();

    ScriptHarness() {
        for (ScriptEngineFactory f : new ScriptEngineManager().getEngineFactories()) scripts.getIndex().add(f, true);
        context.service(EventService.class).subscribe(this);
    }

    @EventHandler
    void onCancel(ModuleCanceledEvent e) {
        cancelled.add(e.getReason());
    }

    /** Runs a script file of the repository with the given inputs; returns the finished module. */
    ScriptModule run(String repoPath, Map<String, Object> inputs) throws Exception {
        Path p = Path.of(repoPath);
        ScriptInfo info = new ScriptInfo(context, p.getFileName().toString(), new StringReader(Files.readString(p)));
        ModuleService modules = context.service(ModuleService.class);
        ScriptModule m = (ScriptModule) modules.createModule(info);
        StringWriter errors = new StringWriter();
        m.setErrorWriter(errors);
        cancelled.clear();
        modules.run(m, true, inputs).get();
        if (!cancelled.isEmpty()) throw new ScriptFailure(p.getFileName() + " did not run: " + String.join("; ", cancelled));
        if (!errors.toString().isBlank()) throw new ScriptFailure(p.getFileName() + " failed: " + errors.toString().strip());
        return m;
    }

    /** The error a script raised (its stack trace text, first line = the exception and its message). */
    static final class ScriptFailure extends Exception {
        ScriptFailure(String text) {
            super(text);
        }
    }

    @Override
    public void close() {
        context.dispose();
    }
}
