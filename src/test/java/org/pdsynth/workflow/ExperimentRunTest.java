package org.pdsynth.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.volume.Atlas;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.Microstructure;
import org.pdsynth.metrics.Sharpness;
import org.pdsynth.metrics.TensorFit;
import org.pdsynth.metrics.VolumeMetrics;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.GaussianSmoothing;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.NativeScans;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.SubjectAligner;
import org.pdsynth.volume.VolumeArrays;

/** pds experiment end to end on tiny cohorts: every method trained, synthesized, measured, tabulated; restartable. */
class ExperimentRunTest {
    @TempDir
    Path dir;

    static final Budget TINY = new Budget("tiny", 8, 3, 2, 1, 1e-3, 1, 2);

    /** 8 channels in direction grouping: b0 + 7 clusters of TinyCohort's 8 directions, so the tensor fit is determined. */
    static final Segmenter SEG = Segmenter.defaults().withGrouping(Segmenter.DwiGrouping.DIRECTIONS);

    private ExperimentRun.Options options(Path train, Path test, Path out) {
        ModelConfig net = ModelConfig.defaults().with("channelMultipliers", List.of(1, 2)).with("embeddingDim", 16)
                .with("attentionHeads", 2).with("channels", 8);
        SubjectAligner aligner = SubjectAligner.defaults().withGrid(TinyCohort.MODEL).withSegmenter(SEG);
        return new ExperimentRun.Options(train, test, out, TINY, null, 3, aligner, net, null);
    }

    /**
     * A stand-in for the noise-free twin: the same tiny cohort with every volume smoothed (sigma 1
     * voxel), so it differs from the test scans as a noise-free scan does (less high-frequency content).
     */
    private static Path smoothTwin(Path dir) throws Exception {
        Path csv = TinyCohort.write(dir, 6);
        for (Subject s : Cohort.read(csv).subjects())
            for (Path f : List.of(s.fmri(), s.dwi())) {
                NiftiImage img = NiftiReader.read(f);
                long[] d = img.data().dimensionsAsLongArray();
                float[] v = VolumeArrays.copyOf(img.data());
                int n = (int) (d[0] * d[1] * d[2]);
                for (int t = 0; t < d[3]; t++) {
                    double[] sm = GaussianSmoothing.smooth(java.util.Arrays.copyOfRange(v, t * n, (t + 1) * n), d, 1.0);
                    for (int i = 0; i < n; i++) v[t * n + i] = (float) sm[i];
                }
                NiftiWriter.write(f, VolumeArrays.wrap(v, d), img.geometry());
            }
        return csv;
    }

    /** Two disease-region names of the AAL list on the native grid, left and right halves. */
    private static void writeAtlas(Path trainDir) throws Exception {
        long[] d = TinyCohort.NATIVE.dims();
        int[] labels = new int[(int) (d[0] * d[1] * d[2])];
        for (int i = 0; i < labels.length; i++) labels[i] = (i % d[0]) < d[0] / 2 ? 1 : 2;
        Atlas.of(TinyCohort.NATIVE, labels, List.of(new Atlas.Region(1, "Hippocampus_L"), new Atlas.Region(2, "Precuneus_R")))
                .write(trainDir.resolve("atlas.nii.gz"), trainDir.resolve("atlas.txt"));
    }

    @Test
    void trainsEveryMethodAndWritesThePaperShapedTables() throws Exception {
        Path train = TinyCohort.write(dir.resolve("train"), 4);
        writeAtlas(dir.resolve("train"));
        Path test = TinyCohort.write(dir.resolve("test"), 6);
        Path clean = smoothTwin(dir.resolve("test-clean"));
        Path out = dir.resolve("exp");
        List<String> log = new ArrayList<>();
        ExperimentRun.Results r = ExperimentRun.run(options(train, test, out).withTestNoiseFree(clean), log::add, null, org.pdsynth.fiji.Plots.experimentFigures());

        // 6 methods (PDS as mean and as one sample) + template + noisy truth, 6 test subjects, 2 directions
        assertEquals(8 * 6 * 2, r.scores().size());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 8 * 2, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).endsWith(",psnr_clean_mask_mean,psnr_clean_mask_std,ssim_clean_mask_mean,ssim_clean_mask_std,gradient_ratio_mean,"
                + "gradient_ratio_std,spectrum_ratio_mean,spectrum_ratio_std,fa_error_wm_mean,fa_error_wm_std,md_error_wm_mean,md_error_wm_std,"
                + "pattern_r,pattern_rel_error"), csv.get(0));
        assertTrue(csv.get(1).startsWith("\"population template\",fmri->dwi,6,"), csv.get(1));
        for (String line : csv) assertEquals(29, line.split(",", -1).length, line);
        String md = Files.readString(out.resolve("results.md"));
        for (Method m : Method.values()) {
            assertTrue(md.contains("| " + m.title() + " |"), m.title());
            for (Subject s : Cohort.read(test).subjects())
                for (Modality t : Modality.values())
                    assertTrue(Files.isRegularFile(CohortCompletion.outputFile(out.resolve("synthetic").resolve(m.key()), s.subject(), t)));
            assertTrue(Files.isRegularFile(out.resolve("montages").resolve(m.key() + "-dwi.png")));
        }
        assertTrue(md.contains("Real/real (no synthesis): accuracy"), md);
        assertEquals(1 + 1 + 6 * 5, Files.readAllLines(out.resolve("diagnosis.csv")).size(), "real/real + 5 protocols per method");

        // a per-subject figure is the metric of the written synthetic file against the aligned truth
        Subject s1 = Cohort.read(test).subjects().get(0);
        Img<FloatType> truth = NativeScans.aligned(s1, Modality.DWI, SEG).data();
        Img<FloatType> synth = NiftiReader.read(CohortCompletion.outputFile(out.resolve("synthetic/pds"), s1.subject(), Modality.DWI)).data();
        MetricsReport expect = VolumeMetrics.compare(truth, synth);
        ExperimentRun.Score got = r.scores().stream().filter(x -> x.method() == Method.PDS && x.subject().equals(s1.subject())
                && x.target() == Modality.DWI).findFirst().orElseThrow();
        assertEquals(expect.psnr(), got.report().psnr(), 1e-9);

        // the user metrics of that synthesis: against the (smoothed) noise-free twin, recomputed here
        Subject c1 = Cohort.read(clean).subjects().get(0);
        Img<FloatType> cleanTruth = NativeScans.aligned(c1, Modality.DWI, SEG).data();
        assertEquals(VolumeMetrics.compare(cleanTruth, synth).psnr(), got.measures().clean().psnr(), 1e-9);
        Sharpness sharp = Sharpness.compare(cleanTruth, synth, null);
        assertEquals(sharp.gradientRatio(), got.measures().sharpness().gradientRatio(), 1e-12);
        assertEquals(sharp.spectrumRatio(), got.measures().sharpness().spectrumRatio(), 1e-12);
        GradientTable table = GradientTable.read(s1.bval(), s1.bvec());
        TensorFit fit = TensorFit.ofGroups(table, SEG.dwiGroups(table, "t"), TensorFit.Method.WLS);
        Microstructure micro = Microstructure.compare(cleanTruth, synth, fit, null);
        assertTrue(micro.wmVoxels() > 0, "some tensor with FA > 0.2");
        assertEquals(micro.faErrorWm(), got.measures().micro().faErrorWm(), 1e-12);
        assertEquals(micro.mdErrorWm(), got.measures().micro().mdErrorWm(), 1e-15);
        // the test scan against its smoothed twin: sharper than it (more high-frequency content), no FA for fMRI
        ExperimentRun.Score noisy = r.scores().stream().filter(x -> x.source().equals(ExperimentRun.NOISY_TRUTH) && x.subject().equals(s1.subject())
                && x.target() == Modality.DWI).findFirst().orElseThrow();
        assertTrue(noisy.report() == null && noisy.measures().sharpness().gradientRatio() > 1 && noisy.measures().sharpness().spectrumRatio() > 1,
                noisy.measures().toString());
        assertTrue(r.scores().stream().filter(x -> x.target() == Modality.FMRI).allMatch(x -> x.measures().micro() == null));
        String mdText = Files.readString(out.resolve("results.md"));
        for (String section : List.of("## Fidelity against the noise-free truth", "## Sharpness relative to the noise-free truth",
                "## dMRI microstructure", "## Disease pattern", "| " + ExperimentRun.NOISY_TRUTH + " |"))
            assertTrue(mdText.contains(section), section);
        // disease pattern: every method and the noisy truth scored in both directions; every effect size in pattern.csv
        for (Method m : Method.values()) assertEquals(2, r.pattern().get(m.title()).size(), m.title());
        assertEquals(2, r.pattern().get(ExperimentRun.NOISY_TRUTH).size());
        // 2 targets x 8 sources (noise-free truth, noisy truth, 6 methods) x 2 contrasts x 2 regions x 8 channels
        assertEquals(1 + 2 * 8 * 2 * 2 * 8, Files.readAllLines(out.resolve("pattern.csv")).size());
        // the template row is the mean of the training scans
        List<Subject> tr = Cohort.read(train).subjects();
        float[] mean = new float[(int) VolumeArrays.copyOf(truth).length];
        for (Subject s : tr) {
            float[] v = VolumeArrays.copyOf(NativeScans.aligned(s, Modality.DWI, SEG).data());
            for (int i = 0; i < v.length; i++) mean[i] += v[i] / tr.size();
        }
        ExperimentRun.Score tpl = r.scores().stream().filter(x -> x.method() == null && x.subject().equals(s1.subject())
                && x.target() == Modality.DWI).findFirst().orElseThrow();
        assertEquals(VolumeMetrics.compare(truth, VolumeArrays.wrap(mean, truth.dimensionsAsLongArray())).psnr(), tpl.report().psnr(), 1e-3);

        // the ImageJ plot of each target and group: its image and its data table (x = region, one column per source)
        BufferedImage plot = ImageIO.read(out.resolve("region-signal-dwi-NC.png").toFile());
        assertTrue(plot.getWidth() >= 600 && plot.getHeight() >= 400, plot.getWidth() + "x" + plot.getHeight());
        List<String> plotTable = Files.readAllLines(out.resolve("region-signal-dwi-NC.csv"));
        assertEquals(1 + 2, plotTable.size(), String.join("\n", plotTable));
        assertTrue(plotTable.get(0).contains("truth"), plotTable.get(0));
        assertEquals(1 + 7 + 1, plotTable.get(0).split(",").length, plotTable.get(0)); // x, truth + 6 methods, category
        List<String> regions = Files.readAllLines(out.resolve("regions.csv"));
        // 2 targets x 3 groups x 2 regions x (truth + 6 methods)
        assertEquals(1 + 2 * 3 * 2 * 7, regions.size());
        assertTrue(regions.stream().anyMatch(l -> l.startsWith("dwi,NC,Hippocampus_L,\"truth\",")));
        // regions.csv reads back into the figures that were drawn: 2 targets x 3 groups
        List<Figures.RegionSignal> figs = Figures.RegionSignal.read(out.resolve("regions.csv"));
        assertEquals(6, figs.size());
        Figures.RegionSignal dwiNc = figs.stream().filter(f -> f.target().equals("dwi") && f.group().equals("NC")).findFirst().orElseThrow();
        List<String> sources = regions.stream().skip(1).filter(l -> l.startsWith("dwi,NC,Hippocampus_L,"))
                .map(l -> l.split(",")[3].replace("\"", "")).toList();
        assertEquals(7, sources.size());
        assertEquals(sources, dwiNc.sources());
        // the plot shows the numbers of regions.csv: truth, NC, first region
        String[] first = regions.stream().filter(l -> l.startsWith("dwi,NC,") && l.contains("\"truth\"")).findFirst().orElseThrow().split(",");
        double plotted = Double.parseDouble(plotTable.get(1).split(",")[1]);
        assertEquals(Double.parseDouble(first[4]), plotted, 1e-4 * Math.abs(plotted) + 1e-6, plotTable.get(1));

        // restart: trainings and syntheses are reused, the figures are the same
        List<String> again = new ArrayList<>();
        ExperimentRun.Results r2 = ExperimentRun.run(options(train, test, out).withTestNoiseFree(clean), again::add, null);
        assertTrue(again.stream().filter(l -> l.contains("done before, reused")).count() == 6, String.join("\n", again));
        assertEquals(got.report().psnr(), r2.scores().stream().filter(x -> x.method() == Method.PDS && x.subject().equals(s1.subject())
                && x.target() == Modality.DWI).findFirst().orElseThrow().report().psnr(), 0);
        assertTrue(again.stream().noneMatch(l -> l.contains("drawing them again")), String.join("\n", again));

        // a rerun that samples differently (K = 2) redraws the diffusion methods' syntheses instead of
        // reporting the stale ones; the regression and the one-sample method draw the same way and are kept
        List<String> other = new ArrayList<>();
        ExperimentRun.Results r3 = ExperimentRun.run(options(train, test, out).withTestNoiseFree(clean)
                .withRecipe(new ExperimentRun.Recipe(false, "uniform", "ddim", 2, "one_step")), other::add, null);
        List<String> redrawn = other.stream().filter(l -> l.contains("drawing them again")).map(l -> l.split(":")[0]).toList();
        assertEquals(List.of("ddpm", "pds-no-da", "pds-no-trmr", "pds"), redrawn, String.join("\n", other));
        assertNotEquals(got.report().psnr(), r3.scores().stream().filter(x -> x.method() == Method.PDS && x.subject().equals(s1.subject())
                && x.target() == Modality.DWI).findFirst().orElseThrow().report().psnr());
        assertTrue(Files.readString(out.resolve("synthetic/pds/" + "sampling.txt")).contains("samples=2"));
    }

    @Test
    void anInterruptedStageOneTrainingResumesFromItsCheckpoint() throws Exception {
        Path train = TinyCohort.write(dir.resolve("train"), 4);
        writeAtlas(dir.resolve("train"));
        Path test = TinyCohort.write(dir.resolve("test"), 3);
        Path out = dir.resolve("exp");
        List<String> log = new ArrayList<>();
        boolean[] stop = {false};
        // stop right after the first network's first stage-1 checkpoint (the tiny budget checkpoints every step)
        Consumer<String> watch = l -> {
            log.add(l);
            if (l.contains(": checkpoint ")) stop[0] = true;
        };
        assertThrows(java.util.concurrent.CancellationException.class, () -> ExperimentRun.run(options(train, test, out), watch, () -> stop[0]));
        String first = log.stream().filter(l -> l.contains(": checkpoint ")).findFirst().orElseThrow();
        String method = first.substring(0, first.indexOf(':'));
        assertTrue(log.stream().noneMatch(l -> l.contains("done before")), String.join("\n", log));

        List<String> again = new ArrayList<>();
        ExperimentRun.run(options(train, test, out), again::add, null);
        assertTrue(again.stream().anyMatch(l -> l.contains("training stage 1") && l.endsWith(", resuming")), String.join("\n", again));
        assertTrue(again.stream().anyMatch(l -> l.startsWith(method + ": resumed at step 1 from ")), String.join("\n", again));
    }

    @Test
    void refusesOverlappingCohortsAndAMissingAtlas() throws Exception {
        Path train = TinyCohort.write(dir.resolve("train"), 3);
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> ExperimentRun.run(options(train, train, dir.resolve("x")), l -> {}, null));
        assertTrue(same.getMessage().contains("disjoint"), same.getMessage());
        Path test = TinyCohort.write(dir.resolve("test"), 3);
        IllegalArgumentException atlas = assertThrows(IllegalArgumentException.class,
                () -> ExperimentRun.run(options(train, test, dir.resolve("y")), l -> {}, null));
        assertTrue(atlas.getMessage().contains("atlas.nii.gz") && atlas.getMessage().contains("no atlas"), atlas.getMessage());
        assertTrue(!Files.exists(dir.resolve("y/models")), "nothing trained");
        Path twin = TinyCohort.write(dir.resolve("twin"), 2);
        IllegalArgumentException noTwin = assertThrows(IllegalArgumentException.class,
                () -> ExperimentRun.run(options(train, test, dir.resolve("z")).withTestNoiseFree(twin), l -> {}, null));
        assertTrue(noTwin.getMessage().contains("no noise-free twin") && noTwin.getMessage().contains("sub-03"), noTwin.getMessage());
        assertTrue(!Files.exists(dir.resolve("z/models")), "nothing trained");
        // a twin whose subject has a brain mask the test subject lacks is not the same cohort
        Path other = TinyCohort.write(dir.resolve("twin2"), 3);
        List<Subject> rows = new ArrayList<>(Cohort.read(other).subjects());
        Subject s0 = rows.get(0);
        Path mask = dir.resolve("twin2/mask.nii.gz");
        NiftiWriter.write(mask, VolumeArrays.wrap(new float[(int) (TinyCohort.NATIVE.dims()[0] * TinyCohort.NATIVE.dims()[1] * TinyCohort.NATIVE.dims()[2])],
                TinyCohort.NATIVE.dims()), TinyCohort.NATIVE.geometry());
        rows.set(0, new Subject(s0.subject(), s0.label(), s0.fmri(), s0.dwi(), s0.bval(), s0.bvec(), mask));
        new Cohort(rows).write(other);
        IllegalArgumentException masks = assertThrows(IllegalArgumentException.class,
                () -> ExperimentRun.run(options(train, test, dir.resolve("w")).withTestNoiseFree(other), l -> {}, null));
        assertTrue(masks.getMessage().contains("brain mask differs") && masks.getMessage().contains("sub-01"), masks.getMessage());
    }

    @Test
    void budgetsParseAndMethodsDifferByOneComponent() {
        assertEquals(Budget.SMALL, Budget.parse("Small"));
        assertEquals(Budget.FULL, Budget.parse("full"));
        assertThrows(IllegalArgumentException.class, () -> Budget.parse("huge"));
        assertEquals(Method.DDPM.folder(), Method.PDS_NO_DA.folder());
        assertEquals(Method.PDS_NO_TRMR.folder(), Method.PDS.folder());
        assertTrue(Method.PDS.refined() && !Method.PDS_NO_TRMR.refined() && Method.PDS.patternAware() && !Method.PDS_NO_DA.patternAware());
    }
}
