package org.pdsynth.volume;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Loads golden JSON files from src/test/resources/golden (made by scripts/golden/volume_golden.py). */
final class Golden {
    private Golden() {}

    static JsonObject load(String name) throws IOException {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) throw new IOException("missing golden file " + name + "; run /usr/bin/python3 scripts/golden/volume_golden.py");
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    static double[] doubles(com.google.gson.JsonArray a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).getAsDouble();
        return d;
    }
}
