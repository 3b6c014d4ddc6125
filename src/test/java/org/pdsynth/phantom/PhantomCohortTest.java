package org.pdsynth.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiDatatype;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;

/** Whole cohorts on the 8 mm test grid with the procedural brain (no atlas files needed). */
class PhantomCohortTest {
    @TempDir
    static Path shared;
    static Path cohort;
    static PhantomCohort.Result result;

    static PhantomOptions tiny(Path out) {
        return PhantomOptions.defaults(out).withSubjects(3).withTimepoints(10).withDirections(6).withExtraB0(1)
                .withAnatomy(AnatomySource.PROCEDURAL).withThreads(2);
    }

    @BeforeAll
    static void simulateOnce() throws IOException {
        cohort = shared.resolve("cohort");
        result = PhantomCohort.simulate(tiny(cohort), TinyGrid.MM8, null, null);
    }

    @Test
    void manifestHasTheContractColumnsAndBalancedLabels() throws IOException {
        List<String> lines = Files.readAllLines(cohort.resolve("participants.csv"), StandardCharsets.UTF_8);
        assertEquals("subject,label,fmri,dwi,bval,bvec,mask,age,stage,atrophy,fa_change,dmn_connectivity", lines.get(0));
        assertEquals(4, lines.size());
        Set<String> labels = new HashSet<>();
        for (String l : lines.subList(1, 4)) {
            String[] f = l.split(",", -1);
            assertEquals(12, f.length);
            labels.add(f[1]);
            assertEquals(List.of("NC", "MCI", "AD").indexOf(f[1]), Integer.parseInt(f[8]), "stage matches label");
            for (int c = 2; c <= 6; c++) {
                assertTrue(f[c].startsWith(f[0] + "/"), "path relative to the CSV: " + f[c]);
                assertTrue(Files.isRegularFile(cohort.resolve(f[c])), f[c]);
            }
            double age = Double.parseDouble(f[7]);
            assertTrue(age >= 55 && age <= 90);
        }
        assertEquals(Set.of("NC", "MCI", "AD"), labels);
        assertEquals(cohort.resolve("participants.csv"), result.manifest());
        List<String> atlas = Files.readAllLines(cohort.resolve("atlas.txt"));
        for (String r : PhantomModel.DISEASE_REGIONS) assertTrue(atlas.stream().anyMatch(x -> x.endsWith(" " + r + "_L")), r);
        assertTrue(Files.isRegularFile(cohort.resolve("atlas.nii.gz")) && Files.isRegularFile(cohort.resolve("tracts.txt")));
    }

    @Test
    void imagesHaveTheDeclaredShapesTypesAndTr() throws IOException {
        Path s = cohort.resolve(result.subjects().get(0).id());
        NiftiImage f = NiftiReader.read(s.resolve("fmri.nii.gz"));
        assertArrayEquals(new long[] {24, 28, 24, 10}, f.data().dimensionsAsLongArray());
        assertEquals(2.0, f.geometry().tr(), 1e-9);
        assertEquals(NiftiDatatype.INT16.code, f.header().datatype);
        assertEquals(1.0, f.header().sclSlope);
        NiftiImage d = NiftiReader.read(s.resolve("dwi.nii.gz"));
        assertArrayEquals(new long[] {24, 28, 24, 8}, d.data().dimensionsAsLongArray());
        GradientTable g = GradientTable.read(s.resolve("dwi.bval"), s.resolve("dwi.bvec"));
        assertEquals(8, g.size());
        assertEquals(2, java.util.stream.IntStream.range(0, 8).filter(g::isB0).count());
        NiftiImage m = NiftiReader.read(s.resolve("mask.nii.gz"));
        assertTrue(m.geometry().affine()[0] < 0, "LAS grid");
        // inside the mask the signals are positive, outside exactly 0
        RandomAccess<FloatType> mr = m.data().randomAccess(), fr = f.data().randomAccess(), dr = d.data().randomAccess();
        int inside = 0;
        for (int z = 0; z < 24; z++) for (int y = 0; y < 28; y++) for (int x = 0; x < 24; x++) {
            float mv = mr.setPositionAndGet(x, y, z).get();
            assertTrue(mv == 0 || mv == 1);
            float fv = fr.setPositionAndGet(x, y, z, 3).get(), dv = dr.setPositionAndGet(x, y, z, 0).get();
            if (mv == 1) {
                inside++;
                assertTrue(fv > 100 && dv > 100, "brain signal at " + x + "," + y + "," + z);
            } else {
                assertEquals(0f, fv);
                assertEquals(0f, dv);
            }
        }
        double litres = inside * 512 / 1e6;
        assertTrue(litres > 1.2 && litres < 2.4, "brain mask " + litres + " L");
    }

    @Test
    void truthMatchesTheManifestAndTheModel() throws IOException {
        PhantomModel model = PhantomModel.defaults();
        for (SubjectParameters p : result.subjects()) {
            Path t = cohort.resolve(p.id()).resolve("truth");
            float[] fa = floats(NiftiReader.read(t.resolve("wm_fa.nii.gz")));
            float[] tr = floats(NiftiReader.read(t.resolve("tracts.nii.gz")));
            boolean[] sick = ProceduralBrain.build(TinyGrid.MM8).tractNames.matching(model.disease().tracts());
            int sickSeen = 0;
            for (int i = 0; i < fa.length; i++) {
                int l = Math.round(tr[i]);
                if (l == 0 || fa[i] == 0) continue;
                if (sick[l]) {
                    sickSeen++;
                    assertEquals(0.7 * (1 + p.faChange()), fa[i], 1e-6, "disease tract FA");
                } else assertEquals(0.7, fa[i], 1e-6, "healthy tract FA");
            }
            assertTrue(sickSeen > 0);
            String json = Files.readString(t.resolve("params.json"));
            assertTrue(json.contains("\"label\": \"" + p.label() + "\""), json);
        }
    }

    @Test
    void diseaseRegionsLoseGreyMatterWithStage() throws IOException {
        Anatomy template = ProceduralBrain.build(TinyGrid.MM8);
        boolean[] dis = template.regionNames.matching(PhantomModel.DISEASE_REGIONS);
        Map<String, Double> ratio = new HashMap<>();
        for (SubjectParameters p : result.subjects()) {
            Path t = cohort.resolve(p.id()).resolve("truth");
            NiftiImage tissue = NiftiReader.read(t.resolve("tissue.nii.gz"));
            float[] tis = floats(tissue), reg = floats(NiftiReader.read(t.resolve("regions.nii.gz")));
            int n = reg.length;
            double gmD = 0, csfD = 0;
            for (int i = 0; i < n; i++) {
                int l = Math.round(reg[i]);
                if (l > 0 && dis[l]) {
                    gmD += tis[i];
                    csfD += tis[2 * n + i];
                }
            }
            ratio.put(p.label(), gmD / (gmD + csfD));
            // the latent atrophy is what the simulation applied: GM share in disease regions drops by it
        }
        assertTrue(ratio.get("NC") > ratio.get("MCI") && ratio.get("MCI") > ratio.get("AD"), ratio.toString());
    }

    @Test
    void sameSeedGivesTheSameBytesForAnyThreadCountAndOtherSeedsDiffer(@TempDir Path dir) throws Exception {
        PhantomCohort.simulate(tiny(dir.resolve("again")).withThreads(1), TinyGrid.MM8, null, null);
        Map<String, String> a = hashes(cohort), b = hashes(dir.resolve("again"));
        assertEquals(a.keySet(), b.keySet());
        assertEquals(List.of(), a.keySet().stream().filter(k -> !a.get(k).equals(b.get(k))).toList(), "files that differ");
        PhantomCohort.Result other = PhantomCohort.simulate(tiny(dir.resolve("seed2")).withSeed(2), TinyGrid.MM8, null, null);
        Map<String, String> c = hashes(dir.resolve("seed2"));
        for (String f : List.of("sub-001/fmri.nii.gz", "sub-001/dwi.nii.gz", "sub-002/fmri.nii.gz", "sub-001/truth/tissue.nii.gz"))
            assertNotEquals(a.get(f), c.get(f), f);
        assertEquals(a.get("atlas.nii.gz"), c.get("atlas.nii.gz"), "the template does not depend on the seed");
        assertNotEquals(result.subjects().get(0).age(), other.subjects().get(0).age());
    }

    @Test
    void noiseFreeTwinHasTheSameAnatomyWithoutTheNoise(@TempDir Path dir) throws Exception {
        PhantomCohort.simulate(tiny(dir.resolve("clean")).noiseFree(), TinyGrid.MM8, null, null);
        Map<String, String> a = hashes(cohort), b = hashes(dir.resolve("clean"));
        for (String f : a.keySet()) {
            if (f.endsWith("fmri.nii.gz") || f.endsWith("dwi.nii.gz") || f.equals("phantom.json")) assertNotEquals(a.get(f), b.get(f), f);
            else assertEquals(a.get(f), b.get(f), f + ": masks, truth maps, labels and manifest are identical");
        }
        for (String m : List.of("fmri", "dwi")) {
            float[] noisy = org.pdsynth.volume.VolumeArrays.copyOf(NiftiReader.read(cohort.resolve("sub-001/" + m + ".nii.gz")).data());
            float[] clean = org.pdsynth.volume.VolumeArrays.copyOf(NiftiReader.read(dir.resolve("clean/sub-001/" + m + ".nii.gz")).data());
            double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            for (int i = 0; i < clean.length; i++) {
                sx += clean[i];
                sy += noisy[i];
                sxx += (double) clean[i] * clean[i];
                syy += (double) noisy[i] * noisy[i];
                sxy += (double) clean[i] * noisy[i];
            }
            int n = clean.length;
            double r = (sxy - sx * sy / n) / Math.sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
            assertTrue(r > 0.97 && r < 1, m + ": the noisy scan is the clean one plus noise, r = " + r);
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("c");
        assertMessage("subjects must be >= 1, got 0", () -> PhantomCohort.simulate(tiny(out).withSubjects(0), null, null));
        assertMessage("unknown grid '3mm'; use 2mm or 4mm", () -> PhantomCohort.simulate(tiny(out).withGrid("3mm"), null, null));
        assertMessage("timepoints must be >= 8, got 7", () -> PhantomCohort.simulate(tiny(out).withTimepoints(7), null, null));
        assertMessage("directions must be >= 6, got 5", () -> PhantomCohort.simulate(tiny(out).withDirections(5), null, null));
        assertMessage("DWI SNR must be > 0", () -> PhantomCohort.simulate(tiny(out).withDwiSnr(0), null, null));
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertMessage("is not a writable directory", () -> PhantomCohort.simulate(tiny(file.resolve("c")), null, null));
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "keep");
        assertMessage("exists and is not empty", () -> PhantomCohort.simulate(tiny(full), null, null));
        Path noAtlas = Files.createDirectories(dir.resolve("no-atlas"));
        assertMessage("lacks aal.nii.gz", () -> PhantomCohort.simulate(tiny(out).withAnatomy(AnatomySource.ATLAS).withAtlasDir(noAtlas), null, null));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(Set.of("a-file", "full", "no-atlas"), s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        assertEquals(List.of("keep.txt"), Files.list(full).map(p -> p.getFileName().toString()).toList());
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void cancelOrFailureLeavesNoPartialCohort(@TempDir Path dir) throws IOException {
        AtomicInteger steps = new AtomicInteger();
        assertThrows(CancellationException.class, () -> PhantomCohort.simulate(tiny(dir.resolve("cancelled")), TinyGrid.MM8,
                (done, total, msg) -> steps.incrementAndGet(), () -> steps.get() >= 3));
        assertThrows(IllegalStateException.class, () -> PhantomCohort.simulate(tiny(dir.resolve("failed")), TinyGrid.MM8,
                (done, total, msg) -> {
                    if (msg.startsWith("sub-002")) throw new IllegalStateException("listener failed");
                }, null));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThrows(CancellationException.class, () -> PhantomCohort.simulate(tiny(empty), TinyGrid.MM8, null, () -> true));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("empty"), s.map(p -> p.getFileName().toString()).toList(), "no cohort and no .partial folder left");
        }
        assertEquals(0, Files.list(empty).count());
    }

    @Test
    void anExistingEmptyFolderBecomesTheCohort(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("ready"));
        PhantomCohort.simulate(tiny(out).withSubjects(1).withWriteTruth(false), TinyGrid.MM8, null, null);
        assertTrue(Files.isRegularFile(out.resolve("participants.csv")));
        assertTrue(Files.isRegularFile(out.resolve("sub-001").resolve("fmri.nii.gz")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("ready"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void progressCountsEveryStep(@TempDir Path dir) throws IOException {
        List<String> msgs = new java.util.ArrayList<>();
        List<Integer> done = new java.util.ArrayList<>();
        PhantomCohort.simulate(tiny(dir.resolve("p")).withSubjects(2).withWriteTruth(false), TinyGrid.MM8, (d, t, m) -> {
            done.add(d);
            msgs.add(m);
            assertEquals(4, t);
        }, null);
        assertEquals(List.of(0, 1, 2, 3, 4), done);
        assertTrue(msgs.get(2).startsWith("sub-001"));
        assertFalse(Files.exists(dir.resolve("p").resolve("sub-001").resolve("truth")));
    }

    static float[] floats(NiftiImage im) {
        long n = 1;
        for (long d : im.data().dimensionsAsLongArray()) n *= d;
        float[] out = new float[(int) n];
        int k = 0;
        for (FloatType t : net.imglib2.view.Views.flatIterable(im.data())) out[k++] = t.get();
        return out;
    }

    static Map<String, String> hashes(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                out.put(root.relativize(p).toString().replace('\\', '/'), java.util.HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }
}
