package org.pdsynth.fiji.scripts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import org.scijava.Context;
import org.scijava.script.ScriptModule;
import org.scijava.script.ScriptService;

/**
 * Runs our example scripts (scripts/Plugins/PDS/) the way Fiji does: through scijava-common's
 * ScriptService, which parses the {@code #@} script parameters. Fiji's scripting-groovy and
 * scripting-jython plugins are not on Maven Central, so the plain JSR-223 engines on the test
 * classpath (Groovy, Jython) are registered with the service instead.
 */
final class ScriptHarness implements AutoCloseable {
    final Context context = new Context();
    final ScriptService scripts = context.service(ScriptService.class);

    ScriptHarness() {
        for (ScriptEngineFactory f : new ScriptEngineManager().getEngineFactories()) scripts.getIndex().add(f, true);
    }

    /** Runs a script file of the repository with the given inputs; returns the finished module. */
    ScriptModule run(String repoPath, Map<String, Object> inputs) throws Exception {
        Path p = Path.of(repoPath);
        return scripts.run(p.getFileName().toString(), Files.readString(p), true, inputs).get();
    }

    @Override
    public void close() {
        context.dispose();
    }
}
