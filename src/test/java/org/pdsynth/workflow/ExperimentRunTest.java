package org.pdsynth.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.volume.Atlas;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.VolumeMetrics;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Cohort;
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

    private ExperimentRun.Options options(Path train, Path test, Path out) {
        ModelConfig net = ModelConfig.defaults().with("channelMultipliers", List.of(1, 2)).with("embeddingDim", 16)
                .with("attentionHeads", 2).with("channels", 4);
        SubjectAligner aligner = SubjectAligner.defaults().withGrid(TinyCohort.MODEL).withSegmenter(Segmenter.defaults().withChannels(4));
        return new ExperimentRun.Options(train, test, out, TINY, null, 3, aligner, net, null);
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
        Path out = dir.resolve("exp");
        List<String> log = new ArrayList<>();
        ExperimentRun.Results r = ExperimentRun.run(options(train, test, out), log::add, null);

        // 5 methods + template, 6 test subjects, 2 directions
        assertEquals(6 * 6 * 2, r.scores().size());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 6 * 2, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("\"population template\",fmri->dwi,6,"), csv.get(1));
        String md = Files.readString(out.resolve("results.md"));
        for (Method m : Method.values()) {
            assertTrue(md.contains("| " + m.title() + " |"), m.title());
            for (Subject s : Cohort.read(test).subjects())
                for (Modality t : Modality.values())
                    assertTrue(Files.isRegularFile(CohortCompletion.outputFile(out.resolve("synthetic").resolve(m.key()), s.subject(), t)));
            assertTrue(Files.isRegularFile(out.resolve("montages").resolve(m.key() + "-dwi.png")));
        }
        assertTrue(md.contains("Real/real (no synthesis): accuracy"), md);
        assertEquals(1 + 1 + 5 * 5, Files.readAllLines(out.resolve("diagnosis.csv")).size(), "real/real + 5 protocols per method");

        // a per-subject figure is the metric of the written synthetic file against the aligned truth
        Subject s1 = Cohort.read(test).subjects().get(0);
        Img<FloatType> truth = NativeScans.aligned(s1, Modality.DWI, Segmenter.defaults().withChannels(4)).data();
        Img<FloatType> synth = NiftiReader.read(CohortCompletion.outputFile(out.resolve("synthetic/pds"), s1.subject(), Modality.DWI)).data();
        MetricsReport expect = VolumeMetrics.compare(truth, synth);
        ExperimentRun.Score got = r.scores().stream().filter(x -> x.method() == Method.PDS && x.subject().equals(s1.subject())
                && x.target() == Modality.DWI).findFirst().orElseThrow();
        assertEquals(expect.psnr(), got.report().psnr(), 1e-9);
        // the template row is the mean of the training scans
        List<Subject> tr = Cohort.read(train).subjects();
        float[] mean = new float[(int) VolumeArrays.copyOf(truth).length];
        for (Subject s : tr) {
            float[] v = VolumeArrays.copyOf(NativeScans.aligned(s, Modality.DWI, Segmenter.defaults().withChannels(4)).data());
            for (int i = 0; i < v.length; i++) mean[i] += v[i] / tr.size();
        }
        ExperimentRun.Score tpl = r.scores().stream().filter(x -> x.method() == null && x.subject().equals(s1.subject())
                && x.target() == Modality.DWI).findFirst().orElseThrow();
        assertEquals(VolumeMetrics.compare(truth, VolumeArrays.wrap(mean, truth.dimensionsAsLongArray())).psnr(), tpl.report().psnr(), 1e-3);

        BufferedImage plot = ImageIO.read(out.resolve("region-signal-dwi.png").toFile());
        assertTrue(plot.getWidth() > 400 && plot.getHeight() > 300);
        List<String> regions = Files.readAllLines(out.resolve("regions.csv"));
        // 2 targets x 3 groups x 2 regions x (truth + 5 methods)
        assertEquals(1 + 2 * 3 * 2 * 6, regions.size());
        assertTrue(regions.stream().anyMatch(l -> l.startsWith("dwi,NC,Hippocampus_L,\"truth\",")));

        // restart: trainings and syntheses are reused, the figures are the same
        List<String> again = new ArrayList<>();
        ExperimentRun.Results r2 = ExperimentRun.run(options(train, test, out), again::add, null);
        assertTrue(again.stream().filter(l -> l.contains("done before, reused")).count() == 5, String.join("\n", again));
        assertEquals(got.report().psnr(), r2.scores().stream().filter(x -> x.method() == Method.PDS && x.subject().equals(s1.subject())
                && x.target() == Modality.DWI).findFirst().orElseThrow().report().psnr(), 0);
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
