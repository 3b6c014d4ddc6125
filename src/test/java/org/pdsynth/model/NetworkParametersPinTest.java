package org.pdsynth.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.pdsynth.volume.Atlas;
import org.pdsynth.volume.Grid;

/**
 * Regression pins of the two networks' parameters (issue 11): names, order and shapes (the
 * {@code .params} file layout: the shipped demo model and every saved model must keep loading)
 * and a checksum of the initial weights for the config's seed (the same seed must give the same
 * network). Recorded from the code BEFORE the U-Net skeleton was shared between the noise
 * estimator and the refiner; not goldens from an independent tool.
 *
 * <p>Networks: the noise estimator of {@link ModelConfig#defaults()}; a pattern-aware noise
 * estimator of the tiny stage-2 test config (as {@code diffusion.PdsStagesTest.config(true)} with
 * its box atlas, 12^3 grid, 2 x 3 x 2 regions); the refiner of both configs.
 * The values live in {@code src/test/resources/golden/network-parameters.txt}; run once with
 * {@code -Dpds.pins.write=DIR} to (re)write the file into DIR (only for a deliberate change).
 */
class NetworkParametersPinTest {
    static final String PINS = "/golden/network-parameters.txt";
    static final int S = 12;

    /** The tiny pattern-aware config of the stage tests (TinySetup.config() + PdsStagesTest.config(true)). */
    static ModelConfig patternAwareConfig() {
        return ModelConfig.defaults().with("channels", 2).with("baseWidth", 8).with("channelMultipliers", List.of(1, 2))
                .with("attentionHeads", 2).with("groups", 4).with("embeddingDim", 16).with("seed", 7)
                .with("gridZYX", List.of(S, S, S)).with("patternAware", true)
                .with("refiner", new ModelConfig.RefinerSettings(false, 8, List.of(1, 2), 1, 250, 1.0));
    }

    static RegionFractions boxAtlas() {
        Atlas a = Atlas.boxes(Grid.mni(4, new long[] {S, S, S}, new double[] {0, 0, 0}), 2, 3, 2);
        int[] ord = new int[(int) a.grid().size()];
        for (int i = 0; i < ord.length; i++) ord[i] = a.regionOf(i);
        return RegionFractions.of(ord, a.size(), new int[] {S, S, S});
    }

    @Test
    void parameterNamesOrderShapesAndInitialValuesAreUnchanged() throws IOException {
        Map<String, List<String>> got = new LinkedHashMap<>();
        record(got, "noise-estimator.defaults", new NoiseEstimator(ModelConfig.defaults()), n -> ((NoiseEstimator) n).initialize(mgr(n)));
        record(got, "noise-estimator.pattern-aware", new NoiseEstimator(patternAwareConfig(), boxAtlas()), n -> ((NoiseEstimator) n).initialize(mgr(n)));
        record(got, "refiner.defaults", new Refiner(ModelConfig.defaults()), n -> ((Refiner) n).initialize(mgr(n)));
        record(got, "refiner.pattern-aware", new Refiner(patternAwareConfig()), n -> ((Refiner) n).initialize(mgr(n)));
        managers.values().forEach(NDManager::close);

        String dir = System.getProperty("pds.pins.write");
        if (dir != null) {
            List<String> lines = new ArrayList<>(List.of(
                    "# Parameter names, order and shapes of the networks, then 'checksum' lines: for the",
                    "# initial weights, sum, sum of squares and sum of v * (1 + i mod 101) over all",
                    "# parameters in order (i = index within the array). Written by NetworkParametersPinTest",
                    "# with -Dpds.pins.write=DIR; a regression pin of the code, not an independent golden."));
            for (Map.Entry<String, List<String>> e : got.entrySet()) {
                lines.add("[" + e.getKey() + "]");
                lines.addAll(e.getValue());
            }
            Files.write(Path.of(dir).resolve("network-parameters.txt"), lines);
            return;
        }
        Map<String, List<String>> want = read();
        assertEquals(want.keySet(), got.keySet());
        for (String net : want.keySet()) {
            List<String> w = want.get(net);
            List<String> g = got.get(net);
            assertEquals(w.size(), g.size(), net + ": lines");
            for (int i = 0; i < w.size(); i++) {
                if (w.get(i).startsWith("checksum ")) {
                    String[] a = w.get(i).split(" "), b = g.get(i).split(" ");
                    for (int k = 1; k < a.length; k++) {
                        double x = Double.parseDouble(a[k]);
                        assertEquals(x, Double.parseDouble(b[k]), 1e-9 * Math.max(1, Math.abs(x)), net + " " + w.get(i));
                    }
                } else {
                    assertEquals(w.get(i), g.get(i), net + ": parameter " + i);
                }
            }
        }
    }

    private final Map<AbstractBlock, NDManager> managers = new LinkedHashMap<>();

    private NDManager mgr(AbstractBlock net) {
        return managers.computeIfAbsent(net, k -> Engines.pytorch(2).newBaseManager());
    }

    private static void record(Map<String, List<String>> out, String key, AbstractBlock net, Consumer<AbstractBlock> init) {
        init.accept(net);
        List<String> lines = new ArrayList<>();
        double sum = 0, squares = 0, weighted = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            NDArray a = p.getValue().getArray();
            lines.add(p.getKey() + " " + a.getShape());
            float[] v = a.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                sum += v[i];
                squares += (double) v[i] * v[i];
                weighted += v[i] * (1.0 + i % 101);
            }
        }
        lines.add("checksum " + sum + " " + squares + " " + weighted);
        out.put(key, lines);
    }

    private static Map<String, List<String>> read() throws IOException {
        Map<String, List<String>> m = new LinkedHashMap<>();
        try (InputStream in = NetworkParametersPinTest.class.getResourceAsStream(PINS)) {
            assertNotNull(in, PINS + " is missing");
            List<String> current = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                if (line.startsWith("[")) {
                    current = new ArrayList<>();
                    m.put(line.substring(1, line.length() - 1), current);
                } else {
                    current.add(line.trim());
                }
            }
        }
        return m;
    }
}
