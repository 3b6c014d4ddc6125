package org.pdsynth.volume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.GradientTable;

/**
 * Alignment of a 4-D series into an N-channel 3-D volume (DESIGN §4.1), one rule for both
 * modalities: order the volumes of the 4th axis, split the order into N contiguous segments,
 * average each segment into one channel.
 *
 * <ul>
 *   <li>fMRI: volumes in acquisition order after dropping the first {@code skip} (dummy scans).
 *   <li>dMRI, {@link DwiGrouping#BVALUE}: a STABLE sort by b-value with every b=0 volume
 *       ({@link GradientTable#isB0}) first; b=0 volumes keep their acquisition order, equal
 *       b-values keep theirs. {@code skip} does not apply to dMRI. Trace images (b &gt; 50 with
 *       no direction, {@link GradientTable#isTrace}) are left out in both groupings.
 *   <li>Segments: L ordered volumes into N segments of length floor(L/N) or ceil(L/N); the FIRST
 *       L mod N segments get the extra volume (as numpy's {@code array_split}). Example: L = 10,
 *       N = 4 gives lengths 3, 3, 2, 2.
 *   <li>dMRI, {@link DwiGrouping#DIRECTIONS}: channel 0 = mean of all b=0 volumes; channels 1..N-1
 *       = the diffusion-weighted volumes grouped by {@link DirectionClustering} into N-1 axis
 *       clusters (any b-value; shells are not separated), each averaged, in the clustering's order.
 * </ul>
 *
 * <p>Input: a series with axes (x, y, z, t|g) (a 3-D image is one volume; axes after the 4th
 * must have size 1). Output: a new image (x, y, z, c) with c = N; averages are accumulated in
 * double and stored as float. Errors (fewer volumes than channels, a gradient table of the wrong
 * size, no b=0 volume for direction grouping) are {@link IllegalArgumentException}s naming the
 * source.
 *
 * @param channels N &gt;= 1 (default {@value #DEFAULT_CHANNELS})
 * @param skip leading fMRI volumes to drop (&gt;= 0)
 * @param grouping how dMRI volumes become channels
 */
public record Segmenter(int channels, int skip, DwiGrouping grouping) {
    /** The paper's channel count. */
    public static final int DEFAULT_CHANNELS = 8;

    /** How diffusion volumes are grouped into channels. */
    public enum DwiGrouping {
        /** Stable sort by b-value (b=0 first), contiguous segments. */
        BVALUE,
        /** Channel 0 = mean b=0; the rest = antipodally symmetric direction clusters. */
        DIRECTIONS;

        /** "bvalue" or "directions" (any case), as commands and the CLI name them. */
        public static DwiGrouping parse(String s) {
            for (DwiGrouping g : values()) if (g.name().equalsIgnoreCase(s == null ? "" : s.trim())) return g;
            throw new IllegalArgumentException("dMRI grouping '" + s + "' is not bvalue or directions");
        }
    }

    public Segmenter {
        if (channels < 1) throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        if (skip < 0) throw new IllegalArgumentException("skip must be >= 0, got " + skip);
        if (grouping == null) throw new IllegalArgumentException("grouping must not be null");
    }

    /** N = 8, no skip, b-value grouping. */
    public static Segmenter defaults() {
        return new Segmenter(DEFAULT_CHANNELS, 0, DwiGrouping.BVALUE);
    }

    public Segmenter withChannels(int n) {
        return new Segmenter(n, skip, grouping);
    }

    public Segmenter withSkip(int s) {
        return new Segmenter(channels, s, grouping);
    }

    public Segmenter withGrouping(DwiGrouping g) {
        return new Segmenter(channels, skip, g);
    }

    /** Segments an fMRI series (x, y, z, t); {@code source} names it in errors (e.g. the file). */
    public Img<FloatType> fmri(RandomAccessibleInterval<FloatType> series, String source) {
        return average(series, fmriGroups(volumes(series, source), source), source);
    }

    /** Segments a DWI series (x, y, z, g) with its gradient table (one entry per volume). */
    public Img<FloatType> dwi(RandomAccessibleInterval<FloatType> series, GradientTable table, String source) {
        int g = volumes(series, source);
        if (table.size() != g)
            throw new IllegalArgumentException(source + ": has " + g + " volumes but the gradient table has " + table.size()
                    + " entries");
        return average(series, dwiGroups(table, source), source);
    }

    /** The fMRI volume indices (0-based, of the full series) averaged into each channel. */
    public int[][] fmriGroups(int volumes, String source) {
        int kept = volumes - skip;
        if (kept < channels)
            throw new IllegalArgumentException(source + ": has " + volumes + " volumes" + (skip > 0 ? ", " + Math.max(kept, 0)
                    + " after skipping " + skip : "") + ", fewer than the " + channels + " channels");
        int[] order = IntStream.range(skip, volumes).toArray();
        return split(order, channels);
    }

    /** The DWI volume indices averaged into each channel, by this segmenter's grouping. */
    public int[][] dwiGroups(GradientTable table, String source) {
        int g = table.size();
        if (grouping == DwiGrouping.BVALUE) {
            int[] order = bValueOrder(table);
            if (order.length < channels)
                throw new IllegalArgumentException(source + ": has " + g + " volumes" + (order.length < g ? ", " + order.length
                        + " without trace images," : "") + " fewer than the " + channels + " channels");
            return split(order, channels);
        }
        List<Integer> b0 = new ArrayList<>(), dw = new ArrayList<>();
        for (int i = 0; i < g; i++) if (table.usable(i)) (table.isB0(i) ? b0 : dw).add(i);
        if (channels < 2)
            throw new IllegalArgumentException(source + ": direction grouping needs >= 2 channels (b=0 + directions), got " + channels);
        if (b0.isEmpty()) throw new IllegalArgumentException(source + ": direction grouping needs a b=0 volume, the table has none");
        if (dw.size() < channels - 1)
            throw new IllegalArgumentException(source + ": has " + dw.size() + " diffusion-weighted volumes, fewer than the "
                    + (channels - 1) + " direction channels");
        double[][] dirs = new double[dw.size()][];
        for (int i = 0; i < dirs.length; i++) dirs[i] = table.direction(dw.get(i));
        int[][] clusters = DirectionClustering.cluster(dirs, channels - 1);
        int[][] groups = new int[channels][];
        groups[0] = b0.stream().mapToInt(Integer::intValue).toArray();
        for (int c = 0; c < clusters.length; c++) {
            groups[c + 1] = new int[clusters[c].length];
            for (int j = 0; j < clusters[c].length; j++) groups[c + 1][j] = dw.get(clusters[c][j]);
        }
        return groups;
    }

    /**
     * Volume indices sorted stably: b=0 volumes first (acquisition order), then by b-value; trace
     * images ({@link GradientTable#isTrace}) are left out.
     */
    public static int[] bValueOrder(GradientTable table) {
        Integer[] idx = IntStream.range(0, table.size()).filter(table::usable).boxed().toArray(Integer[]::new);
        // Arrays.sort on objects is a stable merge sort
        Arrays.sort(idx, Comparator.comparingDouble(i -> table.isB0(i) ? Double.NEGATIVE_INFINITY : table.bvalue(i)));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** Lengths of N contiguous segments of L items: the first L mod N are one longer. */
    public static int[] segmentLengths(int length, int n) {
        if (n < 1 || length < n) throw new IllegalArgumentException("cannot split " + length + " volumes into " + n + " segments");
        int[] len = new int[n];
        for (int s = 0; s < n; s++) len[s] = length / n + (s < length % n ? 1 : 0);
        return len;
    }

    private static int[][] split(int[] order, int n) {
        int[] len = segmentLengths(order.length, n);
        int[][] groups = new int[n][];
        int at = 0;
        for (int s = 0; s < n; s++) {
            groups[s] = Arrays.copyOfRange(order, at, at + len[s]);
            at += len[s];
        }
        return groups;
    }

    /**
     * Channel c of the result is the voxelwise mean of the volumes {@code groups[c]} of
     * {@code series} (x, y, z, t). Every group must be non-empty.
     *
     * <p>Non-finite voxels (NaN, +-Inf: brain-masked BOLD often stores NaN outside the brain) are
     * "no data": a voxel's mean is over its finite values only, and a voxel with none in a group
     * is 0 (as nilearn and FSL treat masked-out voxels). The result is therefore always finite, so
     * masks, intensity maps and resampling downstream never see NaN. When the input has any, a
     * warning naming {@code source} and the count goes to stderr.
     *
     * @throws IllegalArgumentException naming {@code source} when the averaged volumes hold no
     *     finite value at all (an all-NaN series would give a blank synthesis)
     */
    public static Img<FloatType> average(RandomAccessibleInterval<FloatType> series, int[][] groups, String source) {
        int t = volumes(series, source);
        long[] d = VolumeArrays.dims(series);
        int v = VolumeArrays.toInt(d[0] * d[1] * d[2], source);
        float[] in = VolumeArrays.shared(series);
        float[] out = new float[VolumeArrays.toInt((long) v * groups.length, source)];
        double[] acc = new double[v];
        int[] count = new int[v];
        long nonFinite = 0, finite = 0;
        for (int c = 0; c < groups.length; c++) {
            if (groups[c].length == 0) throw new IllegalArgumentException(source + ": channel " + c + " has no volumes");
            Arrays.fill(acc, 0);
            Arrays.fill(count, 0);
            for (int vol : groups[c]) {
                if (vol < 0 || vol >= t) throw new IllegalArgumentException(source + ": volume " + vol + " out of 0.." + (t - 1));
                int off = vol * v;
                for (int i = 0; i < v; i++) {
                    float x = in[off + i];
                    if (Float.isFinite(x)) {
                        acc[i] += x;
                        count[i]++;
                    } else {
                        nonFinite++;
                    }
                }
            }
            int off = c * v;
            for (int i = 0; i < v; i++) {
                out[off + i] = count[i] == 0 ? 0f : (float) (acc[i] / count[i]);
                finite += count[i];
            }
        }
        if (finite == 0)
            throw new IllegalArgumentException(source + ": no finite voxel (all " + nonFinite + " values are NaN or infinite)");
        if (nonFinite > 0)
            System.err.println("warning: " + source + ": " + nonFinite + " NaN/infinite voxel values treated as no data (excluded from"
                    + " the channel means; 0 where a voxel has no finite value)");
        return VolumeArrays.wrap(out, d[0], d[1], d[2], groups.length);
    }

    /** Volumes along axis 3 (1 for a 3-D image); later axes must be of size 1. */
    static int volumes(RandomAccessibleInterval<FloatType> series, String source) {
        int nd = series.numDimensions();
        if (nd < 3) throw new IllegalArgumentException(source + ": is " + nd + "-D, expected a 4-D series (x, y, z, t)");
        for (int a = 4; a < nd; a++)
            if (series.dimension(a) != 1)
                throw new IllegalArgumentException(source + ": has " + nd + " axes with axis " + a + " of size "
                        + series.dimension(a) + "; expected a 4-D series (x, y, z, t)");
        return nd == 3 ? 1 : VolumeArrays.toInt(series.dimension(3), source);
    }
}
