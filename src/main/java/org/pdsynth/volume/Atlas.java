package org.pdsynth.volume;

import org.pdsynth.diagnosis.RegionFeatures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.pdsynth.nifti.NiftiFormatException;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;

/**
 * A label atlas on a {@link Grid}: one integer label per voxel (0 = background) and the list of
 * regions (label value, name), e.g. AAL's 116 regions on the model grid.
 *
 * <p>Voxel order is the grid's flat order, x fastest: index {@code x + nx (y + ny z)}, the order
 * of {@code BrainMask} and of each channel of an {@code AlignedSubject}. A file atlas is resampled
 * NEAREST-neighbour onto the grid ({@link Resampler#nearest}, fill 0 outside the atlas' field of
 * view), so labels are never mixed; a small region can vanish on a coarse grid ({@link #voxels}
 * is then 0 — the features drop it, see {@link RegionFeatures}). Immutable.
 */
public final class Atlas {
    /**
     * One region.
     *
     * @param index the label value in the image (&gt; 0)
     * @param name  the region name (e.g. {@code Hippocampus_L})
     */
    public record Region(int index, String name) {
        public Region {
            if (index <= 0) throw new IllegalArgumentException("region index must be > 0, got " + index);
            if (name == null || name.isBlank()) throw new IllegalArgumentException("region " + index + " has no name");
        }
    }

    private final Grid grid;
    private final int[] labels;
    private final List<Region> regions;
    private final int[] ordinal; // per voxel: position in regions, or -1
    private final int[] voxels;  // per region ordinal: voxel count on the grid

    private Atlas(Grid grid, int[] labels, List<Region> regions, String source) {
        if ((long) labels.length != grid.size())
            throw new IllegalArgumentException(source + ": " + labels.length + " labels do not fill the grid " + Arrays.toString(grid.dims()));
        if (regions.isEmpty()) throw new IllegalArgumentException(source + ": an atlas needs at least one region");
        Map<Integer, Integer> pos = new HashMap<>();
        for (int r = 0; r < regions.size(); r++)
            if (pos.put(regions.get(r).index(), r) != null)
                throw new IllegalArgumentException(source + ": duplicate region index " + regions.get(r).index());
        this.grid = grid;
        this.labels = labels;
        this.regions = List.copyOf(regions);
        this.ordinal = new int[labels.length];
        this.voxels = new int[regions.size()];
        TreeMap<Integer, Integer> unlisted = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l == 0) {
                ordinal[i] = -1;
                continue;
            }
            Integer r = pos.get(l);
            if (r == null) {
                unlisted.merge(l, 1, Integer::sum);
                ordinal[i] = -1;
                continue;
            }
            ordinal[i] = r;
            voxels[r]++;
        }
        if (!unlisted.isEmpty())
            throw new IllegalArgumentException(source + ": label " + unlisted.firstKey() + " (" + unlisted.firstEntry().getValue()
                    + " voxels on the grid) is not in the region list" + (unlisted.size() > 1 ? " (" + unlisted.size() + " unlisted labels)" : ""));
    }

    /**
     * An atlas from labels already on {@code grid}.
     *
     * @param labels one label per voxel in flat order (copied); 0 = background, every other value
     *     must be the index of a region
     * @throws IllegalArgumentException on a size mismatch, duplicate indices, or a label not listed
     */
    public static Atlas of(Grid grid, int[] labels, List<Region> regions) {
        return new Atlas(grid, labels.clone(), regions, "atlas");
    }

    /**
     * Reads a label image (3-D, or 4-D with one volume) and its region list ({@link AtlasLabels})
     * and resamples the labels nearest-neighbour onto {@code grid}.
     *
     * @throws NiftiFormatException (one line naming the file) when a voxel value is not a
     *     non-negative integer, or a label that lands on the grid is not in the list
     */
    public static Atlas read(Path image, Path labelsTxt, Grid grid) throws IOException {
        List<Region> regions = AtlasLabels.read(labelsTxt);
        NiftiImage img = NiftiReader.read(image);
        RandomAccessibleInterval<FloatType> data = img.data();
        long[] d = VolumeArrays.dims(data);
        for (int k = 3; k < d.length; k++)
            if (d[k] != 1) throw new NiftiFormatException(image, "a label atlas must be 3-D, got dims " + Arrays.toString(d));
        if (d.length < 3) throw new NiftiFormatException(image, "a label atlas must be 3-D, got dims " + Arrays.toString(d));
        while (data.numDimensions() > 3) data = Views.hyperSlice(data, data.numDimensions() - 1, 0);
        Img<FloatType> onGrid = Resampler.nearest(data, img.geometry().requireUsable(image), grid);
        float[] v = VolumeArrays.shared(onGrid);
        int[] labels = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            long r = Math.round(x);
            if (!Float.isFinite(x) || Math.abs(x - r) > 1e-3 || r < 0 || r > Integer.MAX_VALUE)
                throw new NiftiFormatException(image, "is not a label image: voxel value " + x + " is not a non-negative integer");
            labels[i] = (int) r;
        }
        try {
            return new Atlas(grid, labels, regions, image.getFileName().toString());
        } catch (IllegalArgumentException e) {
            throw new NiftiFormatException(image, e.getMessage().substring(e.getMessage().indexOf(": ") + 2)
                    + " (" + labelsTxt.getFileName() + ")");
        }
    }

    /** {@link #read(Path, Path, Grid)} with the label file found beside the image ({@link AtlasLabels#besideImage}). */
    public static Atlas read(Path image, Grid grid) throws IOException {
        return read(image, AtlasLabels.besideImage(image), grid);
    }

    /**
     * A procedural atlas for tests and demos: the grid cut into {@code bx * by * bz} boxes of
     * near-equal size (axis n split at floor(i * n / b)), labelled 1.. in x-fastest box order
     * and named {@code box_X_Y_Z} (box coordinates).
     */
    public static Atlas boxes(Grid grid, int bx, int by, int bz) {
        long[] d = grid.dims();
        if (bx < 1 || by < 1 || bz < 1 || bx > d[0] || by > d[1] || bz > d[2])
            throw new IllegalArgumentException("box counts " + bx + "x" + by + "x" + bz + " must be in 1..grid dims " + Arrays.toString(d));
        int nx = (int) d[0], ny = (int) d[1], nz = (int) d[2];
        int[] labels = new int[nx * ny * nz];
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++) {
                    int ix = x * bx / nx, iy = y * by / ny, iz = z * bz / nz;
                    labels[x + nx * (y + ny * z)] = 1 + ix + bx * (iy + by * iz);
                }
        List<Region> regions = new ArrayList<>();
        for (int iz = 0; iz < bz; iz++)
            for (int iy = 0; iy < by; iy++)
                for (int ix = 0; ix < bx; ix++)
                    regions.add(new Region(1 + ix + bx * (iy + by * iz), "box_" + ix + "_" + iy + "_" + iz));
        return new Atlas(grid, labels, regions, "boxes");
    }

    /** Writes the labels on the grid (float32 NIfTI) and the region list beside it, e.g. into a model folder. */
    public void write(Path image, Path labelsTxt) throws IOException {
        float[] f = new float[labels.length];
        for (int i = 0; i < f.length; i++) f[i] = labels[i];
        long[] d = grid.dims();
        NiftiWriter.write(image, VolumeArrays.wrap(f, d[0], d[1], d[2]), grid.geometry());
        AtlasLabels.write(labelsTxt, regions);
    }

    public Grid grid() {
        return grid;
    }

    /** The regions, in list order (the order of feature columns). */
    public List<Region> regions() {
        return regions;
    }

    /** Number of regions in the list (some may have no voxel on the grid). */
    public int size() {
        return regions.size();
    }

    /** Label value of voxel i (flat index), 0 for background. */
    public int label(int voxel) {
        return labels[voxel];
    }

    /** Labels of every voxel, flat order (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** Position in {@link #regions()} of the region voxel i belongs to, or -1 (background). */
    public int regionOf(int voxel) {
        return ordinal[voxel];
    }

    /** Voxels of region r (position in {@link #regions()}) on the grid. */
    public int voxels(int r) {
        return voxels[r];
    }
}
