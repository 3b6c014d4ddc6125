package org.pdsynth.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

/** The annotation processor's plugin index lists our commands, so Fiji finds them in its menus. */
class PluginIndexTest {
    @Test
    void indexListsOurCommandsAndSciJavaFindsThemInTheMenu() throws IOException {
        StringBuilder index = new StringBuilder();
        for (URL u : Collections.list(getClass().getClassLoader().getResources("META-INF/json/org.scijava.plugin.Plugin"))) {
            if (!u.toString().contains("scijava-common")) {
                try (InputStream in = u.openStream()) {
                    index.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertTrue(index.toString().contains("\"org.pdsynth.fiji.InfoCommand\""), index.toString());
        try (Context ctx = new Context(CommandService.class)) {
            CommandInfo info = ctx.service(CommandService.class).getCommand(MetricsCommand.class);
            assertNotNull(info);
            assertEquals("Plugins > PDS > Measure PSNR/SSIM", info.getMenuPath().getMenuString());
            assertTrue(info.canRunHeadless());
        }
    }
}
