package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.pdsynth.TestData;
import org.pdsynth.volume.Atlas;
import org.pdsynth.volume.AtlasLabels;
import org.pdsynth.volume.Grid;

class AtlasWeightMapTest {
    static final Grid GRID = Grid.mni(4, new long[] {3, 2, 1}, new double[] {0, 0, 0});

    static Atlas atlas() {
        // x fastest: y=0: 37 0 67, y=1: 38 5 37
        return Atlas.of(GRID, new int[] {37, 0, 67, 38, 5, 37}, List.of(new Atlas.Region(37, "Hippocampus_L"),
                new Atlas.Region(38, "Hippocampus_R"), new Atlas.Region(67, "Precuneus_L"), new Atlas.Region(5, "Frontal_Sup_Orb_L")));
    }

    @Test
    void weightsAreOneInTheNamedRegionsOnly() {
        assertArrayEquals(new float[] {1, 0, 1, 0, 0, 1}, AtlasWeightMap.of(atlas(), List.of("Hippocampus_L", "Precuneus_L")), 0f);
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0}, AtlasWeightMap.of(atlas(), List.of("Hippocampus_R", "Frontal_Sup_Orb_L")), 0f);
    }

    @Test
    void anUnknownNameIsAnErrorListingCloseMatches() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AtlasWeightMap.of(atlas(), List.of("Hippocampus_L", "Hippocampus")));
        assertEquals("weight-map region 'Hippocampus' is not in the atlas (4 regions); closest: Hippocampus_L, Hippocampus_R, "
                + "Precuneus_L, Frontal_Sup_Orb_L", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AtlasWeightMap.of(atlas(), List.of("precuneus_l")));
        assertTrue(e.getMessage().endsWith("closest: Precuneus_L, Hippocampus_L, Hippocampus_R, Frontal_Sup_Orb_L"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AtlasWeightMap.of(atlas(), List.of()));
        assertEquals(3, AtlasWeightMap.distance("kitten", "sitting"));
    }

    @Test
    void theDefaultRegionsAreSpelledAsInMricronsAal() throws IOException {
        Set<String> names = AtlasLabels.read(TestData.file("aal.nii.txt")).stream().map(Atlas.Region::name).collect(Collectors.toSet());
        for (String n : AtlasWeightMap.DEFAULT_REGIONS) assertTrue(names.contains(n), n + " is not an AAL region name");
        assertEquals(16, AtlasWeightMap.DEFAULT_REGIONS.size());
    }
}
