package org.pdsynth.workflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job in miniature: the demo with the shipped model on a freshly simulated
 * phantom cohort of another seed than the model's training data (7), with few sampling steps.
 * Asserts the outputs exist and that the shipped model beats the population template on the
 * held-out subject in both directions (inside its brain mask): the shipped model's quality, not
 * just its loading.
 */
class DemoSmokeTest {
    @TempDir
    Path dir;

    @Test
    void shippedModelBeatsTheTemplateOnAFreshHeldOutSubjectAndTheDemoWritesItsOutputs() throws Exception {
        String before = System.getProperty("user.home");
        System.setProperty("user.home", dir.resolve("home").toString());
        List<String> log = new ArrayList<>();
        String text;
        try {
            text = DemoRun.run(new DemoRun.Options(dir.resolve("demo"), 5, 4242, null, 0, 10), log::add, null);
        } finally {
            System.setProperty("user.home", before);
        }
        Path out = dir.resolve("demo");
        for (String f : List.of("summary.json", "montage-dwi.png", "montage-fmri.png"))
            assertTrue(Files.size(out.resolve(f)) > 0, f + "\n" + String.join("\n", log));
        JsonObject s = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        for (String d : List.of("fmri->dwi", "dwi->fmri")) {
            JsonObject r = s.getAsJsonObject(d);
            double synth = r.getAsJsonObject("synthetic").get("psnr").getAsDouble();
            double tpl = r.getAsJsonObject("template").get("psnr").getAsDouble();
            assertTrue(synth > tpl, d + ": synthesis " + synth + " dB is not above the template's " + tpl + " dB\n" + text);
            assertTrue(Files.isRegularFile(Path.of(r.get("file").getAsString())));
        }
    }
}
