package org.pdsynth.diagnosis;

import org.pdsynth.volume.Atlas;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.IntensityMap;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.SubjectAligner;
import org.pdsynth.volume.VolumeArrays;

/**
 * The protocols end to end on a tiny generated cohort written as NIfTI files.
 *
 * <p>Grid 8 x 8 x 4 (4 mm), cut into 2 x 2 x 1 boxes of 4 x 4 x 4 voxels; brain mask file = the
 * slices z &lt; 3. Atlas: box_0_0_0 and box_0_1_0, plus a region "outside_mask" on the slice z = 3
 * (dropped: no voxel in any mask).
 * Every subject: value 100 + N(0, 3^2) per voxel and volume, box_1_0_0 at 150 (a fixed bright
 * reference, so percentile scaling keeps the contrast). Disease shows in the DWI only:
 * box_0_0_0 +20 in MCI and AD, box_0_1_0 +20 in AD. fMRI (4 volumes) and DWI (b = 0, 1000 x 3)
 * become 2 channels each, so 16 features (2 modalities x 2 channels x 2 regions x mean, std), 4 of
 * them informative (the DWI means). 36 labelled subjects (12 per class: with 6 per class and 4
 * atlas regions, the pure-noise columns rivalled the informative ones in the fit and real/real
 * accuracy was 0.78) plus one unlabelled; 4 folds.
 *
 * <p>Synthetic sets: "faithful" (disease pattern kept, new noise of the same level, DWI in other
 * units: x3 + 10), "blind" (every synthetic DWI drawn as NC). A synthetic fMRI is the fMRI pattern
 * with new noise. (The std features measure the noise level: synthetic channels smoother or
 * noisier than the real ones shift them, and the hybrid protocols see that.)
 */
class ProtocolsTest {
    static final Grid GRID = Grid.mni(4, new long[] {8, 8, 4}, new double[] {14, -14, -6});
    static final int NX = 8, NY = 8, NZ = 4, V = NX * NY * NZ;
    static final int PER_CLASS = 12, LABELLED = 3 * PER_CLASS;
    static final String UNLABELLED = "sub-36", NO_SYNTH = "sub-35"; // sub-35 is AD

    @TempDir
    static Path dir;
    static Cohort cohort;
    static SyntheticSet faithful, blind;
    static DiagnosisOptions options;

    static int box(int x, int y) {
        return 1 + (x / 4) + 2 * (y / 4);
    }

    /** One 3-D volume of a subject. */
    static float[] volume(Diagnosis d, boolean diseaseSignal, double scale, double offset, Random r) {
        float[] v = new float[V];
        for (int z = 0; z < NZ; z++)
            for (int y = 0; y < NY; y++)
                for (int x = 0; x < NX; x++) {
                    int b = box(x, y);
                    double s = b == 2 ? 150 : 100;
                    if (diseaseSignal && d != null) {
                        if (b == 1 && d != Diagnosis.NC) s += 20;
                        if (b == 3 && d == Diagnosis.AD) s += 20;
                    }
                    v[x + NX * (y + NY * z)] = (float) ((s + 3 * r.nextGaussian()) * scale + offset);
                }
        return v;
    }

    /** Volume g of a 4-volume series: fMRI all at scale 1, DWI b0 at 1 and the DWIs at 0.5. */
    static float[] seriesVolume(Diagnosis d, boolean dwi, int g, Random r) {
        return volume(d, dwi, dwi && g > 0 ? 0.5 : 1, 0, r);
    }

    /**
     * Synthetic channels drawn like the real ones (the 2-channel segment means of a fresh 4-volume
     * series, so the same noise level) and then put in other units: a * v + b.
     */
    static List<float[]> synthetic(Diagnosis d, boolean dwi, double a, double b, Random r) {
        List<float[]> ch = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            float[] u = seriesVolume(d, dwi, 2 * c, r), w = seriesVolume(d, dwi, 2 * c + 1, r), m = new float[V];
            for (int i = 0; i < V; i++) m[i] = (float) (a * (u[i] + w[i]) / 2 + b);
            ch.add(m);
        }
        return ch;
    }

    static void write4d(Path file, List<float[]> vols) throws IOException {
        float[] all = new float[V * vols.size()];
        for (int t = 0; t < vols.size(); t++) System.arraycopy(vols.get(t), 0, all, t * V, V);
        NiftiWriter.write(file, VolumeArrays.wrap(all, NX, NY, NZ, vols.size()), GRID.geometry());
    }

    @BeforeAll
    static void writeCohort() throws IOException {
        Random r = new Random(42);
        float[] m = new float[V];
        for (int i = 0; i < V; i++) m[i] = i / (NX * NY) < 3 ? 1 : 0;
        NiftiWriter.write(dir.resolve("mask.nii.gz"), VolumeArrays.wrap(m, NX, NY, NZ), GRID.geometry());
        Files.writeString(dir.resolve("dwi.bval"), "0 1000 1000 1000\n");
        Files.writeString(dir.resolve("dwi.bvec"), "0 1 0 0\n0 0 1 0\n0 0 0 1\n");
        List<Subject> subjects = new ArrayList<>();
        List<SyntheticSet.Entry> blindEntries = new ArrayList<>();
        int n = LABELLED + 1;
        for (int i = 0; i < n; i++) {
            Diagnosis d = i < LABELLED ? Diagnosis.values()[i % 3] : null;
            String id = String.format("sub-%02d", i);
            Path s = dir.resolve("real").resolve(id);
            Files.createDirectories(s);
            List<float[]> f = new ArrayList<>(), w = new ArrayList<>();
            for (int t = 0; t < 4; t++) f.add(seriesVolume(d, false, t, r));
            for (int g = 0; g < 4; g++) w.add(seriesVolume(d, true, g, r));
            write4d(s.resolve("fmri.nii.gz"), f);
            write4d(s.resolve("dwi.nii.gz"), w);
            subjects.add(new Subject(id, d, s.resolve("fmri.nii.gz"), s.resolve("dwi.nii.gz"), dir.resolve("dwi.bval"),
                    dir.resolve("dwi.bvec"), dir.resolve("mask.nii.gz")));
            // synthetic: 2-channel files; NO_SYNTH has none in the faithful set
            if (!id.equals(NO_SYNTH)) {
                Path fs = dir.resolve("faithful").resolve(id);
                Files.createDirectories(fs);
                write4d(fs.resolve("fmri_synth.nii.gz"), synthetic(d, false, 1, 0, r));
                write4d(fs.resolve("dwi_synth.nii.gz"), synthetic(d, true, 3, 10, r));
            }
            Path bs = dir.resolve("blind").resolve(id);
            Files.createDirectories(bs);
            write4d(bs.resolve("f.nii.gz"), synthetic(d, false, 1, 0, r));
            write4d(bs.resolve("d.nii.gz"), synthetic(Diagnosis.NC, true, 1, 0, r));
            blindEntries.add(new SyntheticSet.Entry(id, bs.resolve("f.nii.gz"), bs.resolve("d.nii.gz")));
        }
        new Cohort(subjects).write(dir.resolve("participants.csv"));
        cohort = Cohort.read(dir.resolve("participants.csv"));
        faithful = SyntheticSet.open(dir.resolve("faithful"));
        blind = SyntheticSet.of(blindEntries);
        // atlas: the two boxes where disease shows, and one region outside every mask
        Atlas boxes = Atlas.boxes(GRID, 2, 2, 1);
        int[] labels = boxes.labels();
        for (int i = 0; i < V; i++) if (labels[i] == 2 || labels[i] == 4) labels[i] = 0;
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++) labels[x + NX * (y + NY * 3)] = 5;
        List<Atlas.Region> regions = List.of(boxes.regions().get(0), boxes.regions().get(2), new Atlas.Region(5, "outside_mask"));
        Atlas atlas = Atlas.of(GRID, labels, regions);
        SubjectAligner aligner = new SubjectAligner(GRID, Segmenter.defaults().withChannels(2), IntensityMap.LOW_PERCENTILE,
                IntensityMap.HIGH_PERCENTILE, true);
        options = DiagnosisOptions.defaults(atlas).withAligner(aligner).withFolds(4).withSeed(1);
    }

    @Test
    void realRealFindsTheDiseasePattern() throws IOException {
        List<String> stages = new ArrayList<>();
        DiagnosisReport r = Protocols.run(Protocol.REAL_REAL, cohort, SyntheticSet.empty(), options,
                (stage, done, total) -> stages.add(stage + " " + done + "/" + total));
        assertTrue(r.accuracy() >= 0.9, r.toText()); // measured 1.0 (lambda 0.1), 0.972 with lambda 1
        assertEquals(LABELLED, r.subjects());
        assertArrayEquals(new int[] {PER_CLASS, PER_CLASS, PER_CLASS}, r.classCounts());
        assertEquals(List.of(UNLABELLED + ": no label"), r.skipped());
        assertEquals(List.of("outside_mask"), r.droppedRegions());
        assertEquals(2, r.regionsKept());
        assertEquals(2 * 2 * 2 * 2, r.features()); // modalities x channels x regions x (mean, std)
        assertEquals(1.0 / 3, r.chanceAccuracy(), 1e-15);
        assertTrue(stages.contains("features 37/37") && stages.contains("cross-validation 4/4"), stages.toString());
        assertEquals("real fmri + real dwi", r.train());
        assertEquals(null, r.replaced());
    }

    @Test
    void faithfulSyntheticDwiKeepsTheDiagnosis() throws IOException {
        List<DiagnosisReport> rs = Protocols.run(List.of(Protocol.REAL_HYBRID, Protocol.HYBRID_REAL, Protocol.SYNTHETIC_REAL),
                cohort, faithful, options, Progress.NONE);
        for (DiagnosisReport r : rs) {
            assertTrue(r.accuracy() >= 0.9, r.toText());
            assertEquals(LABELLED - 1, r.subjects()); // NO_SYNTH has no synthetic file, UNLABELLED no label
            assertTrue(r.skipped().contains(NO_SYNTH + ": no synthetic " + (r.protocol() == Protocol.SYNTHETIC_REAL ? "fmri" : "dwi")),
                    r.skipped().toString());
        }
        assertEquals("real fmri + synthetic dwi", rs.get(0).test());
        assertEquals(Modality.DWI, rs.get(0).replaced());
        assertEquals("real fmri + synthetic dwi", rs.get(1).train());
        assertEquals("real fmri + real dwi", rs.get(1).test());
        assertEquals("synthetic fmri + synthetic dwi", rs.get(2).train());
    }

    @Test
    void aSyntheticDwiWithoutTheDiseasePatternLosesIt() throws IOException {
        DiagnosisReport lost = Protocols.run(Protocol.REAL_HYBRID, cohort, blind, options, Progress.NONE);
        // the real-trained classifier reads every blind synthetic DWI as NC
        assertTrue(lost.accuracy() <= 0.5, lost.toText());
        assertEquals(1.0, lost.recall()[0], lost.toText());
        // replacing the fMRI instead (which never carried the pattern) keeps it
        DiagnosisReport kept = Protocols.run(Protocol.REAL_HYBRID, cohort, blind, options.withReplace(Modality.FMRI), Progress.NONE);
        assertTrue(kept.accuracy() >= 0.9, kept.toText());
        assertEquals("synthetic fmri + real dwi", kept.test());
    }

    @Test
    void reportFormats() throws IOException {
        DiagnosisReport r = Protocols.run(Protocol.REAL_HYBRID, cohort, faithful, options, Progress.NONE);
        JsonObject j = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals("real-hybrid", j.get("protocol").getAsString());
        assertEquals("dwi", j.get("replaced").getAsString());
        assertEquals(r.accuracy(), j.get("accuracy").getAsDouble());
        assertEquals(LABELLED - 1, j.getAsJsonArray("predictions").size());
        assertEquals(3, j.getAsJsonArray("confusion").size());
        int total = 0;
        for (var row : j.getAsJsonArray("confusion")) for (var v : row.getAsJsonArray()) total += v.getAsInt();
        assertEquals(LABELLED - 1, total);
        String[] csv = r.toCsv().split("\n");
        assertEquals(2, csv.length);
        assertEquals(DiagnosisReport.CSV_HEADER.size(), csv[0].split(",").length);
        assertEquals(DiagnosisReport.CSV_HEADER.size(), csv[1].split(",", -1).length);
        assertTrue(csv[1].startsWith("real-hybrid,dwi,real fmri + real dwi,real fmri + synthetic dwi,35,"), csv[1]);
        assertEquals(LABELLED, r.predictionsCsv().split("\n").length);
        assertTrue(r.toText().contains("accuracy "), r.toText());
    }

    @Test
    void severalProtocolsShareOneExtractionAndAgreeWithSingleRuns() throws IOException {
        List<DiagnosisReport> both = Protocols.run(List.of(Protocol.REAL_REAL, Protocol.REAL_HYBRID), cohort, faithful, options,
                Progress.NONE);
        DiagnosisReport single = Protocols.run(Protocol.REAL_HYBRID, cohort, faithful, options, Progress.NONE);
        assertEquals(single.toJson(), both.get(1).toJson());
        // real-real does not need synthetic files: NO_SYNTH is classified there
        assertEquals(LABELLED, both.get(0).subjects());
    }

    @Test
    void badInputsAreOneLineErrors() {
        SyntheticSet stranger = SyntheticSet.of(List.of(new SyntheticSet.Entry("nobody", null, dir.resolve("mask.nii.gz"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Protocols.run(Protocol.REAL_HYBRID, cohort, stranger, options, Progress.NONE));
        assertTrue(e.getMessage().contains("no synthetic subject id matches a cohort subject"), e.getMessage());
        // a synthetic file with the wrong channel count names the file
        SyntheticSet wrong = SyntheticSet.of(List.of(new SyntheticSet.Entry("sub-00", null, cohort.get("sub-00").dwi())));
        Exception w = assertThrows(IOException.class, () -> Protocols.run(Protocol.REAL_HYBRID, cohort, wrong, options, Progress.NONE));
        assertTrue(w.getMessage().contains("dwi.nii.gz") && w.getMessage().contains("4 channel(s)"), w.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Protocols.run(Protocol.REAL_REAL, cohort, null, options.withFolds(LABELLED + 1), Progress.NONE));
    }
    @Test
    void everyFailedSubjectIsReportedNotOnlyTheFirst() throws IOException {
        // two subjects with unreadable scans: the extraction goes on and names both with file and reason
        List<Subject> rows = new ArrayList<>(cohort.subjects());
        Path trunc = dir.resolve("broken/fmri.nii.gz"), empty = dir.resolve("broken/dwi.nii.gz");
        Files.createDirectories(trunc.getParent());
        byte[] b = Files.readAllBytes(cohort.get("sub-03").fmri());
        Files.write(trunc, java.util.Arrays.copyOf(b, b.length / 2));
        Files.write(empty, new byte[10]);
        Subject s3 = rows.get(3), s7 = rows.get(7);
        rows.set(3, new Subject(s3.subject(), s3.label(), trunc, s3.dwi(), s3.bval(), s3.bvec(), s3.mask()));
        rows.set(7, new Subject(s7.subject(), s7.label(), s7.fmri(), empty, s7.bval(), s7.bvec(), s7.mask()));
        IOException e = assertThrows(IOException.class, () -> Protocols.run(Protocol.REAL_REAL, new Cohort(rows), null, options, Progress.NONE));
        String m = e.getMessage();
        assertTrue(m.startsWith("2 of " + rows.size() + " subjects failed: sub-03: " + trunc), m);
        assertTrue(m.contains("; sub-07: " + empty), m);
        assertEquals(1, m.lines().count(), m);
    }
}
