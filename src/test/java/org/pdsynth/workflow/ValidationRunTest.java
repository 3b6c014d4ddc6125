package org.pdsynth.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.diagnosis.DiagnosisOptions;
import org.pdsynth.diagnosis.Protocol;
import org.pdsynth.diagnosis.Protocols;
import org.pdsynth.diagnosis.SyntheticSet;
import org.pdsynth.model.ModelConfig;
import org.pdsynth.volume.Atlas;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.SubjectAligner;

/**
 * pds experiment --validation end to end on tiny cohorts (tiny grid, 3 training steps): trains,
 * synthesizes the held-out cohort with every method (sharded, restartable), cross-validates every
 * protocol 2 x 2, writes the tables and the plot; its numbers are those of pds diagnose's path.
 */
class ValidationRunTest {
    @TempDir
    Path dir;

    private ExperimentRun.Options experiment(Path train, Path test, Path out) {
        ModelConfig net = ModelConfig.defaults().with("channelMultipliers", List.of(1, 2)).with("embeddingDim", 16)
                .with("attentionHeads", 2).with("channels", 8);
        SubjectAligner aligner = SubjectAligner.defaults().withGrid(TinyCohort.MODEL).withSegmenter(ExperimentRunTest.SEG);
        return new ExperimentRun.Options(train, test, out, ExperimentRunTest.TINY, null, 3, aligner, net, null);
    }

    @Test
    void validatesEveryMethodOnAHeldOutCohortShardedAndRestartable() throws Exception {
        Path train = TinyCohort.write(dir.resolve("train"), 4);
        writeAtlas(dir.resolve("train"));
        Path test = TinyCohort.write(dir.resolve("test"), 3);
        Path held = TinyCohort.write(dir.resolve("held"), 6);
        Path out = dir.resolve("exp");
        // K = 2: the mean is written, the std map is not
        ExperimentRun.Options e = experiment(train, test, out).withRecipe(new ExperimentRun.Recipe(false, "uniform", "ddim", 2,
                ModelConfig.RefinerSettings.ONE_STEP));
        ValidationRun.Options o = ValidationRun.Options.of(e, held).withRepeats(2, 2).withResamples(50);

        // shards refuse to train (parallel jobs would train the same networks); the training cohort is not a held-out cohort
        assertTrue(assertThrows(IllegalStateException.class, () -> ValidationRun.run(o.withShard(1, 2), l -> {}, null, Figures.NONE))
                .getMessage().contains("without --shard"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ValidationRun.run(ValidationRun.Options.of(e, train), l -> {}, null,
                Figures.NONE)).getMessage().contains("disjoint"));

        List<String> log = new ArrayList<>();
        ValidationRun.Results r = ValidationRun.run(o, log::add, null, org.pdsynth.fiji.Plots.experimentFigures());
        Path v = out.resolve(ValidationRun.FOLDER);
        assertEquals(6 * 2 * Method.values().length, r.written(), String.join("\n", log));
        for (Method m : Method.values())
            for (Subject s : Cohort.read(held).subjects())
                for (Modality t : Modality.values())
                    assertTrue(Files.isRegularFile(CohortCompletion.outputFile(v.resolve("synthetic").resolve(m.key()), s.subject(), t)));
        assertTrue(Files.isRegularFile(v.resolve("synthetic/template/synthetic.csv")));
        Path pdsFile = CohortCompletion.outputFile(v.resolve("synthetic").resolve(Method.PDS.key()), "sub-01", Modality.DWI);
        assertFalse(Files.exists(Synthesizer.stdPath(pdsFile)), "no std map");

        // rows: real/real + (template + every method) x 5 configurations; paired: 5 configurations x 3 comparisons
        int sources = 1 + Method.values().length;
        assertEquals(1 + sources * 5, r.rows().size());
        assertEquals(5 * 3, r.comparisons().size());
        List<String> csv = Files.readAllLines(v.resolve("validation.csv"));
        assertEquals(1 + 1 + sources * 5, csv.size());
        assertTrue(csv.get(1).startsWith("real,real (no synthesis),real-real,,6,2,2,"), csv.get(1));
        for (String line : csv) assertEquals(18, line.split(",", -1).length, line);
        assertEquals(1 + 5 * 3, Files.readAllLines(v.resolve("validation-paired.csv")).size());
        assertEquals(1 + (1 + sources * 5) * 6, Files.readAllLines(v.resolve("validation-subjects.csv")).size());
        String md = Files.readString(v.resolve("validation.md"));
        assertTrue(md.contains("## Targets (issue 16)") && md.contains("| PDS (full) |") && md.contains("| population template |"), md);
        assertTrue(md.contains("Real/real accuracy interval excludes chance"), md);
        assertTrue(Files.isRegularFile(v.resolve("pattern.csv")));
        assertEquals(Method.values().length, r.pattern().size());
        BufferedImage png = ImageIO.read(v.resolve("validation-accuracy.png").toFile());
        assertTrue(png.getWidth() >= 640, "plot written");
        assertTrue(Files.isRegularFile(v.resolve("validation-accuracy.csv")));

        // every interval contains its point; chance = 2 of 6
        for (ValidationRun.Row row : r.rows()) {
            assertTrue(row.summary().accuracy().lower() <= row.summary().accuracy().value() + 1e-12
                    && row.summary().accuracy().value() <= row.summary().accuracy().upper() + 1e-12, row.toString());
            assertEquals(1.0 / 3, row.summary().chance(), 1e-12);
        }

        // the pooled accuracy over 2 repeats is the mean of pds diagnose's accuracy with fold seeds 3 and 4 (same features, same folds)
        Atlas atlas = Atlas.read(train.getParent().resolve("atlas.nii.gz"), TinyCohort.MODEL);
        DiagnosisOptions d = DiagnosisOptions.defaults(atlas).withAligner(e.aligner()).withFolds(2);
        Cohort heldCohort = Cohort.read(held);
        double rr = 0, hyb = 0;
        SyntheticSet pds = SyntheticSet.open(v.resolve("synthetic").resolve(Method.PDS.key()));
        for (long seed : new long[] {3, 4}) {
            rr += Protocols.run(Protocol.REAL_REAL, heldCohort, SyntheticSet.empty(), d.withSeed(seed), null).accuracy() / 2;
            hyb += Protocols.run(Protocol.REAL_HYBRID, heldCohort, pds, d.withSeed(seed).withReplace(Modality.FMRI), null).accuracy() / 2;
        }
        assertEquals(rr, r.row(ValidationRun.REAL, Protocol.REAL_REAL, null).summary().accuracy().value(), 1e-12);
        assertEquals(hyb, r.row(Method.PDS.key(), Protocol.REAL_HYBRID, Modality.FMRI).summary().accuracy().value(), 1e-12);

        // restart: a shard finds its files; a deleted file is synthesized again by its shard; the final call reproduces the tables
        Path gone = CohortCompletion.outputFile(v.resolve("synthetic").resolve(Method.DDPM.key()), "sub-03", Modality.DWI);
        Files.delete(gone);
        assertEquals(0, ValidationRun.run(o.withShard(2, 2), l -> {}, null, Figures.NONE).written(), "sub-03 is shard 1's");
        assertFalse(Files.exists(gone));
        ValidationRun.Results s1 = ValidationRun.run(o.withShard(1, 2), l -> {}, null, Figures.NONE);
        assertEquals(1, s1.written());
        assertEquals(null, s1.md());
        ValidationRun.Results again = ValidationRun.run(o, l -> {}, null, Figures.NONE);
        assertEquals(0, again.written());
        assertEquals(csv, Files.readAllLines(v.resolve("validation.csv")), "deterministic: same models, files, seeds");
    }

    private static void writeAtlas(Path trainDir) throws Exception {
        long[] dd = TinyCohort.NATIVE.dims();
        int[] labels = new int[(int) (dd[0] * dd[1] * dd[2])];
        for (int i = 0; i < labels.length; i++) labels[i] = (i % dd[0]) < dd[0] / 2 ? 1 : 2;
        Atlas.of(TinyCohort.NATIVE, labels, List.of(new Atlas.Region(1, "Hippocampus_L"), new Atlas.Region(2, "Precuneus_R")))
                .write(trainDir.resolve("atlas.nii.gz"), trainDir.resolve("atlas.txt"));
    }
}
