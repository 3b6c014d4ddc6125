package org.pdsynth.diagnosis;

import org.pdsynth.volume.Atlas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pdsynth.volume.AlignedSubject;
import org.pdsynth.volume.BrainMask;

/**
 * Regional features of one modality (DESIGN §4.9): for every channel and every atlas region, the
 * mean and the standard deviation of the channel's values over the region's voxels INSIDE the
 * brain mask.
 *
 * <p>Conventions.
 * <ul>
 *   <li>Input: channel-major data (C, Z, Y, X) on the atlas grid, as {@link AlignedSubject#data()}
 *       (flat voxel index x + nx (y + ny z) within a channel). The protocols feed the
 *       intensity-NORMALISED volumes (model units, [-1, 1]; see {@link FeatureExtractor} for why).
 *   <li>Voxels counted: atlas label of the region AND inside the mask. Non-finite values are
 *       skipped (the aligner's output has none).
 *   <li>mean = sum / n; std = sqrt(sum (v - mean)^2 / n), the POPULATION standard deviation
 *       (numpy's default ddof = 0); both accumulated in double, two passes.
 *   <li>A region with no counted voxel gets NaN mean and std here; the protocols drop such a
 *       region's columns for ALL subjects ({@link CohortFeatures#keptRegions}).
 *   <li>Vector layout of one modality: index {@code (c * R + r) * 2 + s}, c = channel, r =
 *       region position in {@link Atlas#regions()}, s = 0 mean, 1 std ({@link #index}).
 *   <li>Column names: {@code <prefix>_c<c>_<region name>_<mean|std>}, e.g. {@code dwi_c0_Hippocampus_L_mean}.
 * </ul>
 */
public final class RegionFeatures {
    /** The statistics per region and channel, in layout order. */
    public static final List<String> STATS = List.of("mean", "std");

    private final Atlas atlas;

    public RegionFeatures(Atlas atlas) {
        this.atlas = atlas;
    }

    public Atlas atlas() {
        return atlas;
    }

    /** Position of (channel, region, stat) in a modality's vector. */
    public static int index(int channel, int region, int stat, int regions) {
        return (channel * regions + region) * STATS.size() + stat;
    }

    /** Length of a modality's vector with {@code channels} channels. */
    public int length(int channels) {
        return channels * atlas.size() * STATS.size();
    }

    /** Voxels of each region (position in {@link Atlas#regions()}) inside the mask. */
    public int[] voxelsInMask(BrainMask mask) {
        checkMask(mask);
        int[] n = new int[atlas.size()];
        for (int i = 0; i < mask.size(); i++) {
            int r = atlas.regionOf(i);
            if (r >= 0 && mask.contains(i)) n[r]++;
        }
        return n;
    }

    /** The features of an aligned modality, inside its own mask. */
    public double[] of(AlignedSubject a) {
        return of(a.data(), a.channels(), a.mask());
    }

    /**
     * The features of channel-major data on the atlas grid.
     *
     * @param data     channels * voxels values
     * @param channels C
     * @param mask     voxels that count (on the atlas grid)
     * @return the vector in the layout of the class comment; NaN for regions without voxels
     */
    public double[] of(float[] data, int channels, BrainMask mask) {
        checkMask(mask);
        int v = mask.size();
        if ((long) data.length != (long) v * channels)
            throw new IllegalArgumentException(data.length + " values are not " + channels + " channels of " + v + " voxels");
        int regions = atlas.size();
        double[] out = new double[length(channels)];
        double[] sum = new double[regions];
        long[] n = new long[regions];
        double[] dev = new double[regions];
        for (int c = 0; c < channels; c++) {
            Arrays.fill(sum, 0);
            Arrays.fill(n, 0);
            Arrays.fill(dev, 0);
            int base = c * v;
            for (int i = 0; i < v; i++) {
                int r = atlas.regionOf(i);
                float x = data[base + i];
                if (r < 0 || !mask.contains(i) || !Float.isFinite(x)) continue;
                sum[r] += x;
                n[r]++;
            }
            for (int r = 0; r < regions; r++) sum[r] = n[r] == 0 ? Double.NaN : sum[r] / n[r]; // now the means
            for (int i = 0; i < v; i++) {
                int r = atlas.regionOf(i);
                float x = data[base + i];
                if (r < 0 || !mask.contains(i) || !Float.isFinite(x)) continue;
                double e = x - sum[r];
                dev[r] += e * e;
            }
            for (int r = 0; r < regions; r++) {
                out[index(c, r, 0, regions)] = sum[r];
                out[index(c, r, 1, regions)] = n[r] == 0 ? Double.NaN : Math.sqrt(dev[r] / n[r]);
            }
        }
        return out;
    }

    /** Column names of a modality's vector, in layout order. */
    public List<String> names(String prefix, int channels) {
        List<String> names = new ArrayList<>(length(channels));
        for (int c = 0; c < channels; c++)
            for (Atlas.Region r : atlas.regions())
                for (String s : STATS) names.add(prefix + "_c" + c + "_" + r.name() + "_" + s);
        return names;
    }

    private void checkMask(BrainMask mask) {
        if (!Arrays.equals(mask.dims(), atlas.grid().dims()))
            throw new IllegalArgumentException("mask dims " + Arrays.toString(mask.dims()) + " are not the atlas grid's "
                    + Arrays.toString(atlas.grid().dims()));
    }
}
