package org.pdsynth.diffusion;

import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Direction;
import org.pdsynth.workflow.ModelFolder;
import org.pdsynth.workflow.Synthesizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.volume.Atlas;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.IntensityMap;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.SubjectAligner;

/** Pattern-aware model + stage-2 refiner through training, model folder and sampling, on a 12^3 grid. */
public class PdsStagesTest {
    static final int S = 12;
    static final Grid GRID = Grid.mni(4, new long[] {S, S, S}, new double[] {0, 0, 0});

    @TempDir
    Path tmp;

    public static ModelConfig config(boolean patternAware) {
        return TinySetup.config().with("gridZYX", List.of(S, S, S)).with("patternAware", patternAware)
                .with("refiner", new ModelConfig.RefinerSettings(false, 8, List.of(1, 2), 1, 250, 1.0));
    }

    public static Atlas atlas() {
        return Atlas.boxes(GRID, 2, 3, 2);
    }

    public static PairSource pairs(int n) {
        return TinySetup.pairs(n, 2, new int[] {S, S, S});
    }

    @Test
    void theRefinerStartsAsTheIdentityAndLearnsToReduceL1() {
        ModelConfig c = config(false).with("labelDropout", 0.0);
        TrainSettings ts = TinySetup.settings(150).with("learningRate", 1e-3).with("emaDecay", 0.0);
        try (DiffusionModel eps = DiffusionModel.create(c);
             RefinerModel r = RefinerModel.create(c);
             Trainer<RefinerObjective> rt = Trainer.refiner(eps, r, pairs(1), ts)) {
            // untrained: R = x0_hat exactly (zero output convolution)
            float[] before = new float[4], ident = new float[4];
            for (int k = 0; k < 4; k++) {
                before[k] = rt.objective().evaluate(1000 + k, false);
                ident[k] = rt.objective().evaluate(1000 + k, true);
            }
            assertArrayEquals(before, ident, 0f);
            while (rt.stepsDone() < ts.steps()) rt.step();
            double b = 0, a = 0;
            for (int k = 0; k < 4; k++) {
                b += before[k];
                a += rt.objective().evaluate(1000 + k, true);
            }
            // the one-step estimate of an untrained estimator is x_t / sqrt(ab): the refiner must denoise it
            // (measured: 0.164 -> about 0.13 after 150 steps; the zero-initialised output layer makes the first ~70 flat)
            assertTrue(a < 0.9 * b, "L1 of x0_hat " + b / 4 + ", refined " + a / 4);
        }
    }

    @Test
    void refinerLossWeightsEachSampleAndAddsTheMicrostructureTerms() {
        try (RefinerModel r = RefinerModel.create(config(false));
             ai.djl.ndarray.NDManager m = r.holder().manager().newSubManager()) {
            ai.djl.ndarray.types.Shape sh = new ai.djl.ndarray.types.Shape(2, 1, S, S, S);
            float[] x0 = new float[2 * S * S * S], rr = new float[x0.length];
            for (int i = 0; i < x0.length; i++) {
                x0[i] = (float) Math.sin(0.3 * i);
                rr[i] = x0[i] + (i < x0.length / 2 ? 0.1f : 0f);    // sample 0 off by a constant 0.1, sample 1 exact
            }
            RefinerLoss.Terms t = RefinerLoss.terms(m.create(rr, sh), m.create(x0, sh), true);
            assertArrayEquals(new float[] {0.1f, 0f}, t.l1().toFloatArray(), 1e-6f);
            // a constant offset: no gradient difference, every projection off by 0.1, SSIM (on [0, 1] data) below 1
            float[] mic = t.mic().toFloatArray();
            int v = S * S * S;
            float[] a01 = new float[v], b01 = new float[v];
            for (int i = 0; i < v; i++) {
                a01[i] = (rr[i] + 1) / 2;
                b01[i] = (x0[i] + 1) / 2;
            }
            double ssim = org.pdsynth.metrics.Ssim.ssim3d(org.pdsynth.volume.VolumeArrays.wrap(a01, S, S, S),
                    org.pdsynth.volume.VolumeArrays.wrap(b01, S, S, S), 1.0);
            assertTrue(ssim < 0.999, "ssim " + ssim);
            assertEquals(1 - ssim + 0 + 0.1, mic[0], 1e-4);
            assertEquals(0f, mic[1], 1e-5f);
            float l = RefinerLoss.compute(m.create(rr, sh), m.create(x0, sh), m.create(new float[] {0.5f, 1f}), 2.0).getFloat();
            assertEquals(0.5f * (0.1f + 2 * mic[0]) / 2, l, 1e-6f);
        }
    }

    @Test
    void modelFolderRoundTripWithAtlasAndRefiner() throws IOException {
        Path dir = tmp.resolve("model");
        ModelConfig c = config(true);
        SubjectAligner aligner = SubjectAligner.defaults().withGrid(GRID).withSegmenter(Segmenter.defaults().withChannels(2));
        IntensityMap im = IntensityMap.of(new double[] {0, 1}, new double[] {10, 20}, 0.5, 99.5);
        PairSource data = pairs(2);
        TrainingPair p = data.get(1);
        float[] epsExpected, refinedExpected, sampleExpected;
        try (DiffusionModel model = DiffusionModel.create(c, atlas());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, data, TinySetup.settings(3).with("lambdaWeight", 1.0))) {
            trainer.objective().setWeightMap(AtlasWeightMap.of(atlas(), List.of("box_0_0_0", "box_1_2_1")));
            for (int i = 0; i < 3; i++) trainer.step();
            float gate = model.network().patternAware(1).gate().getArray().getFloat();
            assertTrue(gate != 0f, "training moved the DA gate");
            ModelFolder.save(dir, model, trainer.ema(), new ModelFolder.Descriptor(GRID, aligner, im, im, null));
            DiffusionModel ema = trainer.objective().emaModel(trainer.ema());
            epsExpected = ema.predict(p.dwi(), p.fmri(), 400, Direction.FMRI_TO_DWI, Diagnosis.MCI);
            try (RefinerModel r = RefinerModel.create(ema.config());
                 Trainer<RefinerObjective> rt = Trainer.refiner(ema, r, data, TinySetup.settings(2))) {
                rt.step();
                rt.step();
                r.holder().write(dir.resolve(RefinerModel.FILE), RefinerModel.KIND, rt.ema().shadows());
                r.holder().setWeights(rt.ema().shadows());
                refinedExpected = r.refine(p.dwi(), p.fmri(), Direction.DWI_TO_FMRI);
                sampleExpected = Sampling.sample(ema, r, p.fmri(), Direction.FMRI_TO_DWI, Diagnosis.AD, Sampling.Options.defaults().withSteps(3), null, null).mean();
            }
        }
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoint.ATLAS)) && Files.isRegularFile(dir.resolve(Checkpoint.ATLAS_LABELS)));
        // the config's switch: refiner weights present but not enabled -> not applied
        try (Synthesizer s = Synthesizer.load(dir)) {
            assertFalse(s.refines());
        }
        ModelConfig enabled = Checkpoint.readConfig(dir).with("refiner", new ModelConfig.RefinerSettings(true, 8, List.of(1, 2), 1, 250, 1.0));
        Files.writeString(dir.resolve(Checkpoint.CONFIG), enabled.toJson(), StandardCharsets.UTF_8);
        try (Synthesizer s = Synthesizer.load(dir)) {
            assertTrue(s.refines());
            DiffusionModel m = s.model();
            assertArrayEquals(atlas().labels(), m.atlas().labels());
            assertEquals(atlas().regions(), m.atlas().regions());
            assertArrayEquals(epsExpected, m.predict(p.dwi(), p.fmri(), 400, Direction.FMRI_TO_DWI, Diagnosis.MCI), 0f);
            try (RefinerModel r = RefinerModel.load(dir, m)) {
                assertArrayEquals(refinedExpected, r.refine(p.dwi(), p.fmri(), Direction.DWI_TO_FMRI), 0f);
                float[] got = Sampling.sample(m, r, p.fmri(), Direction.FMRI_TO_DWI, Diagnosis.AD, Sampling.Options.defaults().withSteps(3), null, null).mean();
                assertArrayEquals(sampleExpected, got, 0f);
                float[] plain = Sampling.sample(m, null, p.fmri(), Direction.FMRI_TO_DWI, Diagnosis.AD, Sampling.Options.defaults().withSteps(3), null, null).mean();
                assertFalse(Arrays.equals(plain, got), "the refiner changes the samples");
            }
        }
        try (Synthesizer s = Synthesizer.load(dir, false)) {
            assertFalse(s.refines());
        }
        // a pattern-aware folder without its atlas is a one-line error naming the file
        Files.delete(dir.resolve(Checkpoint.ATLAS));
        IOException e = assertThrows(IOException.class, () -> ModelFolder.loadModel(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve(Checkpoint.ATLAS) + ": is missing"), e.getMessage());
    }

    @Test
    void liveArrayCountStaysFlatWithThePatternAwareModuleAndTheRefiner() {
        try (DiffusionModel model = DiffusionModel.create(config(true), atlas());
             Trainer<DenoiserObjective> trainer = Trainer.denoiser(model, pairs(2), TinySetup.settings(10).with("lambdaWeight", 1.0));
             RefinerModel r = RefinerModel.create(config(true));
             Trainer<RefinerObjective> rt = Trainer.refiner(model, r, pairs(2), TinySetup.settings(10))) {
            trainer.objective().setWeightMap(AtlasWeightMap.of(atlas(), List.of("box_0_0_0")));
            trainer.step();
            trainer.step();
            rt.step();
            rt.step();
            int after = TrainerTest.liveArrays(model.holder().manager());
            for (int i = 0; i < 3; i++) {
                trainer.step();
                rt.step();
            }
            Sampling.sample(model, r, pairs(1).get(0).fmri(), Direction.DWI_TO_FMRI, Diagnosis.NC, Sampling.Options.defaults().withSteps(2).toBuilder().optGuidanceScale(2).build(), null, null);
            assertEquals(after, TrainerTest.liveArrays(model.holder().manager()), "NDArrays leaked across steps");
        }
    }

    @Test
    void switchingThePatternAwareModuleOffDropsItsParametersAndTheAtlas() {
        try (DiffusionModel off = DiffusionModel.create(config(false), atlas());
             DiffusionModel on = DiffusionModel.create(config(true), atlas())) {
            assertNull(off.atlas());
            assertTrue(on.holder().parameterCount() > off.holder().parameterCount());
            assertTrue(on.holder().parameterNames().containsAll(off.holder().parameterNames()));
            assertTrue(off.holder().parameterNames().stream().noneMatch(n -> n.contains("patternAware")));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiffusionModel.create(config(true)));
        assertTrue(e.getMessage().contains("needs an atlas"), e.getMessage());
    }

    @Test
    void guidanceAndTheNullLabelWorkWithThePatternAwareModule() {
        try (DiffusionModel m = DiffusionModel.create(config(true), atlas())) {
            // make the network and the FiLM path non-trivial
            for (int i = 0; i < m.holder().parameterNames().size(); i++) {
                String n = m.holder().parameterNames().get(i);
                if (n.contains("outConv") || n.contains("film") || n.contains("gate")) m.holder().parameterArrays().get(i).addi(0.05f);
            }
            TrainingPair p = pairs(1).get(0);
            Sampling.Options o = Sampling.Options.defaults().withSteps(3);
            float[] nc = Sampling.sample(m, null, p.fmri(), Direction.FMRI_TO_DWI, Diagnosis.NC, o, null, null).mean();
            float[] ad = Sampling.sample(m, null, p.fmri(), Direction.FMRI_TO_DWI, Diagnosis.AD, o, null, null).mean();
            float[] none = Sampling.sample(m, null, p.fmri(), Direction.FMRI_TO_DWI, null, o, null, null).mean();
            float[] guided = Sampling.sample(m, null, p.fmri(), Direction.FMRI_TO_DWI, Diagnosis.AD, o.toBuilder().optGuidanceScale(3.0).build(), null, null).mean();
            assertFalse(Arrays.equals(nc, ad), "the label reaches the output");
            assertFalse(Arrays.equals(ad, none));
            assertFalse(Arrays.equals(ad, guided), "guidance changes the output");
            // guidance ignores the scale for the null label
            assertArrayEquals(none, Sampling.sample(m, null, p.fmri(), Direction.FMRI_TO_DWI, null, o.toBuilder().optGuidanceScale(3.0).build(), null, null).mean(), 0f);
        }
    }
}
