package org.pdsynth.diffusion;

import org.pdsynth.workflow.DefaultModel;
import org.pdsynth.workflow.Synthesizer;
import org.pdsynth.workflow.TinyCohort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.VolumeArrays;

/**
 * Regression pins of behaviour (issue 11): values recorded from the code BEFORE the diffusion layer
 * was redesigned, which the redesign must reproduce. They are not goldens from an independent
 * tool: they pin that a refactoring changed nothing.
 *
 * <ul>
 *   <li>the shipped demo model synthesizing a {@link TinyCohort} subject, both directions,
 *       5 DDIM steps, seed 0, with the refiner: sum, sum of |v| and every 13th non-zero voxel of the output;</li>
 *   <li>the losses of the first 5 steps of a tiny stage-1 run (epsilon objective without the
 *       pattern-aware module, x0 objective with it) and of a tiny stage-2 run.</li>
 * </ul>
 * The values live in {@code src/test/resources/golden/behaviour-pins.txt}; run once with
 * {@code -Dpds.pins.write=DIR} to (re)write them into DIR (only for a deliberate change of behaviour).
 */
class BehaviourGoldenTest extends SingleThreadTests {
    static final String PINS = "/golden/behaviour-pins.txt";
    static final int STRIDE = 13;

    @TempDir
    Path home;

    private final Map<String, double[]> got = new LinkedHashMap<>();

    @Test
    void shippedModelSynthesisIsUnchanged() throws Exception {
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        Path folder;
        try {
            folder = DefaultModel.resolve(null);
        } finally {
            System.setProperty("user.home", before);
        }
        Path csv = TinyCohort.write(home.resolve("cohort"), 1);
        Path in = csv.getParent().resolve("sub-01");
        try (Synthesizer s = Synthesizer.load(folder)) {
            for (Modality from : Modality.values()) {
                Path input = in.resolve(from == Modality.FMRI ? "fmri.nii.gz" : "dwi.nii.gz");
                Synthesizer.Output o = s.synthesize(new Synthesizer.Request(from, input,
                        from == Modality.DWI ? in.resolve("dwi.bval") : null, from == Modality.DWI ? in.resolve("dwi.bvec") : null,
                        null, null, null, Sampling.Options.defaults().withSteps(5).withSeed(0)), null, null);
                record("shipped." + from.name().toLowerCase(Locale.ROOT), VolumeArrays.copyOf(o.mean().data()));
            }
        }
        check(1e-6);
    }

    @Test
    void firstFiveTrainingLossesAreUnchanged() throws Exception {
        ModelConfig eps = PdsStagesTest.config(false).with("objective", "epsilon");
        try (DiffusionModel m = DiffusionModel.create(eps); Trainer<DenoiserObjective> t = Trainer.denoiser(m, PdsStagesTest.pairs(3), TinySetup.settings(5))) {
            got.put("stage1.epsilon", losses(t::step));
        }
        ModelConfig x0 = PdsStagesTest.config(true).with("objective", "x0");
        try (DiffusionModel m = DiffusionModel.create(x0, PdsStagesTest.atlas());
             Trainer<DenoiserObjective> t = Trainer.denoiser(m, PdsStagesTest.pairs(3), TinySetup.settings(5))) {
            got.put("stage1.x0-pattern-aware", losses(t::step));
        }
        try (DiffusionModel m = DiffusionModel.create(x0, PdsStagesTest.atlas());
             RefinerModel r = RefinerModel.create(x0);
             Trainer<RefinerObjective> rt = Trainer.refiner(m, r, PdsStagesTest.pairs(3), TinySetup.settings(5))) {
            got.put("stage2.refiner", losses(rt::step));
        }
        check(1e-6);
    }

    private static double[] losses(java.util.function.DoubleSupplier step) {
        double[] l = new double[5];
        for (int i = 0; i < 5; i++) l[i] = step.getAsDouble();
        return l;
    }

    private void record(String key, float[] v) {
        double sum = 0, abs = 0;
        for (float x : v) {
            sum += x;
            abs += Math.abs(x);
        }
        List<Double> out = new ArrayList<>(List.of(sum, abs));
        int nonzero = 0;
        for (float x : v) if (x != 0 && nonzero++ % STRIDE == 0) out.add((double) x);
        got.put(key, out.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Compares with the pins: |got - want| <= tol * max(1, |want|) (the sums: tol * the sum of |v|). */
    private void check(double tol) throws IOException {
        String dir = System.getProperty("pds.pins.write");
        if (dir != null) {
            Path f = Path.of(dir).resolve("behaviour-pins.txt");
            List<String> lines = Files.exists(f) ? new ArrayList<>(Files.readAllLines(f)) : new ArrayList<>();
            for (Map.Entry<String, double[]> e : got.entrySet()) {
                lines.removeIf(l -> l.startsWith(e.getKey() + " "));
                StringBuilder b = new StringBuilder(e.getKey());
                for (double x : e.getValue()) b.append(' ').append(x);
                lines.add(b.toString());
            }
            Files.write(f, lines);
            return;
        }
        Map<String, double[]> want = read();
        for (Map.Entry<String, double[]> e : got.entrySet()) {
            double[] w = want.get(e.getKey());
            assertNotNull(w, "no pin for " + e.getKey());
            double[] g = e.getValue();
            assertEquals(w.length, g.length, e.getKey() + ": length");
            boolean volume = e.getKey().startsWith("shipped.");
            for (int i = 0; i < w.length; i++) {
                double scale = Math.max(1, Math.abs(w[i]));
                if (volume && i < 2) scale = Math.max(scale, Math.abs(w[1]));
                assertEquals(w[i], g[i], tol * scale, e.getKey() + "[" + i + "]");
            }
        }
    }

    private static Map<String, double[]> read() throws IOException {
        Map<String, double[]> m = new LinkedHashMap<>();
        try (InputStream in = BehaviourGoldenTest.class.getResourceAsStream(PINS)) {
            assertNotNull(in, PINS + " is missing");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] p = line.trim().split(" ");
                double[] v = new double[p.length - 1];
                for (int i = 1; i < p.length; i++) v[i - 1] = Double.parseDouble(p[i]);
                m.put(p[0], v);
            }
        }
        return m;
    }
}
