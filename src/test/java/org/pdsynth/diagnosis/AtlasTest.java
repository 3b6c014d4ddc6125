package org.pdsynth.diagnosis;

import org.pdsynth.volume.Atlas;
import org.pdsynth.volume.AtlasLabels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.TestData;
import org.pdsynth.nifti.NiftiFormatException;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.VolumeArrays;

class AtlasTest {
    static final Grid TINY = Grid.mni(4, new long[] {4, 3, 2}, new double[] {0, 0, 0});

    @TempDir
    Path dir;

    @Test
    void parsesMricronLabelFiles() {
        // AAL style: "index name code", CRLF, trailing blank line
        List<Atlas.Region> aal = AtlasLabels.parse("1 Precentral_L 2001\r\n2 Precentral_R 2002\r\n\r\n");
        assertEquals(List.of(new Atlas.Region(1, "Precentral_L"), new Atlas.Region(2, "Precentral_R")), aal);
        // JHU style: tabs, index 0 listed as background
        List<Atlas.Region> jhu = AtlasLabels.parse("0\tUnclassified\n1\tMiddle_cerebellar_peduncle\n# comment\n5\tFornix\n");
        assertEquals(List.of(new Atlas.Region(1, "Middle_cerebellar_peduncle"), new Atlas.Region(5, "Fornix")), jhu);
    }

    @Test
    void labelFileErrorsNameTheLine() {
        assertEquals("line 2: 'x' is not an integer label index",
                assertThrows(IllegalArgumentException.class, () -> AtlasLabels.parse("1 A\nx B\n")).getMessage());
        assertEquals("line 3: duplicate label index 1 (first on line 1)",
                assertThrows(IllegalArgumentException.class, () -> AtlasLabels.parse("1 A\n2 B\n1 C\n")).getMessage());
        assertEquals("line 1: label 4 has no name", assertThrows(IllegalArgumentException.class, () -> AtlasLabels.parse("4\n")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AtlasLabels.parse("0 Background\n"));
    }

    @Test
    void realAalFileOnTheModelGridMatchesNibabelResampling() throws Exception {
        // golden: nibabel.processing.resample_from_to(order=0) of aal.nii.gz onto the 4 mm grid (scripts/golden/diagnosis_golden.py),
        // an independent resampler, not our nearest-neighbour rule written again in numpy
        JsonObject g = TestData.golden("diagnosis-aal-4mm.json");
        Path img = TestData.file("aal.nii.gz", g.get("sha256").getAsString());
        Path txt = TestData.file("aal.nii.txt", g.get("labels_sha256").getAsString());
        assertEquals(txt, AtlasLabels.besideImage(img));
        Atlas a = Atlas.read(img, Grid.MNI_4MM);
        assertEquals(116, a.size());
        int k = 0, background = 0;
        for (JsonElement e : g.getAsJsonArray("regions")) {
            JsonObject r = e.getAsJsonObject();
            assertEquals(new Atlas.Region(r.get("index").getAsInt(), r.get("name").getAsString()), a.regions().get(k));
            assertEquals(r.get("voxels").getAsInt(), a.voxels(k), r.get("name").getAsString());
            k++;
        }
        for (int i = 0; i < Grid.MNI_4MM.size(); i++) if (a.label(i) == 0) background++;
        assertEquals(g.get("background").getAsInt(), background);
    }

    @Test
    void boxesCoverTheGridInNearEqualParts() {
        Grid g = Grid.mni(4, new long[] {5, 4, 3}, new double[] {0, 0, 0});
        Atlas a = Atlas.boxes(g, 2, 2, 1);
        assertEquals(List.of("box_0_0_0", "box_1_0_0", "box_0_1_0", "box_1_1_0"), a.regions().stream().map(Atlas.Region::name).toList());
        // x splits 5 into [0,2] -> box 0 (x*2/5 = 0 for x = 0,1,2), [3,4] -> box 1; y 4 into 2 + 2
        assertEquals(3 * 2 * 3, a.voxels(0));
        assertEquals(2 * 2 * 3, a.voxels(1));
        assertEquals(1, a.label(0));
        assertEquals(2, a.label(3));
        assertEquals(4, a.label(4 + 5 * 3));
        int total = 0;
        for (int r = 0; r < a.size(); r++) total += a.voxels(r);
        assertEquals(g.size(), total);
    }

    @Test
    void writeThenReadKeepsLabelsAndNames() throws Exception {
        Atlas a = Atlas.boxes(TINY, 2, 1, 2);
        a.write(dir.resolve("atlas.nii.gz"), dir.resolve("atlas.nii.txt"));
        Atlas b = Atlas.read(dir.resolve("atlas.nii.gz"), TINY);
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(a.regions(), b.regions());
    }

    @Test
    void unlistedOrNonIntegerLabelsAreErrors() throws Exception {
        int[] labels = new int[24];
        labels[5] = 7;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Atlas.of(TINY, labels, List.of(new Atlas.Region(1, "A"))))
                .getMessage().contains("label 7 (1 voxels on the grid) is not in the region list"));
        float[] f = new float[24];
        f[3] = 1.5f;
        Path img = dir.resolve("bad.nii");
        NiftiWriter.write(img, VolumeArrays.wrap(f, 4, 3, 2), TINY.geometry());
        Files.writeString(dir.resolve("bad.nii.txt"), "1 A\n");
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> Atlas.read(img, TINY));
        assertTrue(e.getMessage().contains("bad.nii") && e.getMessage().contains("voxel value 1.5 is not a non-negative integer"), e.getMessage());
        assertThrows(NiftiFormatException.class, () -> AtlasLabels.besideImage(dir.resolve("none.nii.gz")));
    }
}
