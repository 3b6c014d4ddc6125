package org.pdsynth.diffusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.pdsynth.volume.Atlas;

/**
 * The weight map W of the stage-1 loss {@code mean((1 + lambda W) |eps_hat - eps|)} (DESIGN 4.4,
 * 4.5): 1 in the voxels of the disease-related atlas regions, 0 elsewhere, on the model grid
 * (flat (Z, Y, X), x fastest, the order of {@link Trainer#setWeightMap}). The atlas on the model
 * grid is nearest-resampled, so W is binary.
 *
 * <p>Regions are named as in the atlas' label file. The default list is AAL's (MRIcron's
 * {@code aal.nii.txt} spelling): hippocampus, parahippocampal gyrus, amygdala, posterior
 * cingulate, precuneus, middle and inferior temporal gyri, angular gyrus, left and right.
 */
public final class AtlasWeightMap {
    /** The disease-related AAL regions (Alzheimer's pattern), left and right. */
    public static final List<String> DEFAULT_REGIONS = List.of(
            "Hippocampus_L", "Hippocampus_R", "ParaHippocampal_L", "ParaHippocampal_R", "Amygdala_L", "Amygdala_R",
            "Cingulum_Post_L", "Cingulum_Post_R", "Precuneus_L", "Precuneus_R", "Temporal_Mid_L", "Temporal_Mid_R",
            "Temporal_Inf_L", "Temporal_Inf_R", "Angular_L", "Angular_R");

    private AtlasWeightMap() {}

    /**
     * W for the named regions of {@code atlas} (its grid is the model grid).
     *
     * @throws IllegalArgumentException for an empty list or a name the atlas does not have; the
     *     message lists the atlas' closest names
     */
    public static float[] of(Atlas atlas, List<String> regionNames) {
        if (regionNames == null || regionNames.isEmpty()) throw new IllegalArgumentException("the weight-map region list is empty");
        Map<String, Integer> byName = new HashMap<>();
        for (int r = 0; r < atlas.size(); r++) byName.put(atlas.regions().get(r).name(), r);
        boolean[] chosen = new boolean[atlas.size()];
        for (String n : regionNames) {
            Integer r = byName.get(n);
            if (r == null) {
                throw new IllegalArgumentException("weight-map region '" + n + "' is not in the atlas (" + atlas.size() + " regions); closest: "
                        + String.join(", ", closest(n, byName.keySet(), 4)));
            }
            chosen[r] = true;
        }
        float[] w = new float[(int) atlas.grid().size()];
        for (int i = 0; i < w.length; i++) {
            int r = atlas.regionOf(i);
            if (r >= 0 && chosen[r]) w[i] = 1f;
        }
        return w;
    }

    /** Up to {@code k} names nearest to {@code query}: names it is a prefix of first, then by edit distance (case-insensitive). */
    static List<String> closest(String query, Iterable<String> names, int k) {
        String q = query.toLowerCase(Locale.ROOT);
        List<String> all = new ArrayList<>();
        for (String n : names) all.add(n);
        all.sort(Comparator.<String>comparingInt(n -> n.toLowerCase(Locale.ROOT).startsWith(q) ? 0 : 1)
                .thenComparingInt(n -> distance(q, n.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
        return all.subList(0, Math.min(k, all.size()));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
