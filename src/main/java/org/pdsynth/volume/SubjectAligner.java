package org.pdsynth.volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiFormatException;
import org.pdsynth.nifti.NiftiHeader;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;

/**
 * The data pipeline around the model (DESIGN §4.1-2), both ways.
 *
 * <p>Forward ({@link #align}): read the 4-D series (and the gradient table for dMRI) →
 * {@link Segmenter} to N channels on the native grid → {@link Resampler} trilinear onto the model
 * grid (fill 0 outside the series' field of view) → brain mask (the given mask file resampled
 * nearest, else {@link BrainMask#fromData} on the resampled channels) → {@link IntensityMap} fitted
 * inside the mask → values mapped, clipped to [-1, 1], and (when {@code maskBackground}) set to -1
 * outside the mask. Result: {@link AlignedSubject}, data (C, Z, Y, X).
 *
 * <p>Inverse ({@link #restore}): model-grid data in [-1, 1] → {@link IntensityMap#invert} to
 * modality units → (optionally 0 outside a model-grid mask) → trilinear onto an output grid (the
 * input's {@link AlignedSubject#sourceGrid()} or a {@code --like} file's, {@link #gridOf}) →
 * {@link Volume} (x, y, z, c) ready for {@code NiftiWriter}; its geometry has no TR (the 4th axis
 * holds channels).
 *
 * @param grid the model grid (default {@link Grid#MNI_4MM})
 * @param segmenter channel count, fMRI skip, dMRI grouping
 * @param lowPercentile mapped to -1 (default 0.5)
 * @param highPercentile mapped to +1 (default 99.5)
 * @param maskBackground set voxels outside the brain mask to -1 in the model input
 */
public record SubjectAligner(Grid grid, Segmenter segmenter, double lowPercentile, double highPercentile,
        boolean maskBackground) {

    public SubjectAligner {
        if (grid == null || segmenter == null) throw new IllegalArgumentException("grid and segmenter must not be null");
        if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100))
            throw new IllegalArgumentException("percentiles must satisfy 0 <= low < high <= 100, got " + lowPercentile + ", " + highPercentile);
    }

    /** Model grid MNI 4 mm, 8 channels, b-value grouping, 0.5..99.5 percentiles, background -1. */
    public static SubjectAligner defaults() {
        return new SubjectAligner(Grid.MNI_4MM, Segmenter.defaults(), IntensityMap.LOW_PERCENTILE, IntensityMap.HIGH_PERCENTILE, true);
    }

    public SubjectAligner withGrid(Grid g) {
        return new SubjectAligner(g, segmenter, lowPercentile, highPercentile, maskBackground);
    }

    public SubjectAligner withSegmenter(Segmenter s) {
        return new SubjectAligner(grid, s, lowPercentile, highPercentile, maskBackground);
    }

    /** Both modalities of a subject, normalised inside ONE mask. */
    public record AlignedPair(AlignedSubject fmri, AlignedSubject dwi) {}

    /**
     * One modality of a manifest subject. Uses the subject's mask file when it has one, else a
     * mask from this modality's data.
     *
     * @throws IllegalArgumentException when the subject lacks the modality
     */
    public AlignedSubject align(Subject s, Modality m) throws IOException {
        Prepared p = prepare(s, m);
        BrainMask mask = s.mask() != null ? maskFromFile(s.mask()) : null;
        return normalise(s.subject(), m, p.onGrid, mask, p.sourceGrid);
    }

    /** One modality of a subject with a mask already on the model grid (null: from the data). */
    public AlignedSubject align(Subject s, Modality m, BrainMask mask) throws IOException {
        Prepared p = prepare(s, m);
        return normalise(s.subject(), m, p.onGrid, mask, p.sourceGrid);
    }

    /**
     * Both modalities with one mask: the subject's mask file, else the intersection of the two
     * masks from the data (brain in both), so the pair is scaled and backgrounded alike.
     */
    public AlignedPair alignPair(Subject s) throws IOException {
        Prepared f = prepare(s, Modality.FMRI), d = prepare(s, Modality.DWI);
        BrainMask mask;
        if (s.mask() != null) {
            mask = maskFromFile(s.mask());
        } else {
            boolean[] a = BrainMask.fromData(f.onGrid.data(), s.fmri().toString()).toArray();
            boolean[] b = BrainMask.fromData(d.onGrid.data(), s.dwi().toString()).toArray();
            for (int i = 0; i < a.length; i++) a[i] &= b[i];
            mask = BrainMask.of(grid.dims(), a);
            if (mask.count() == 0)
                throw new IllegalArgumentException(s.subject() + ": the fMRI and dMRI brain masks do not overlap on the model grid");
        }
        return new AlignedPair(normalise(s.subject(), Modality.FMRI, f.onGrid, mask, f.sourceGrid),
                normalise(s.subject(), Modality.DWI, d.onGrid, mask, d.sourceGrid));
    }

    /** An fMRI file, with an optional mask file (null: from the data). */
    public AlignedSubject alignFmri(Path fmri, Path mask) throws IOException {
        Prepared p = prepareFmri(fmri);
        return normalise(fmri.toString(), Modality.FMRI, p.onGrid, mask == null ? null : maskFromFile(mask), p.sourceGrid);
    }

    /** A DWI file with its FSL bval/bvec, with an optional mask file (null: from the data). */
    public AlignedSubject alignDwi(Path dwi, Path bval, Path bvec, Path mask) throws IOException {
        Prepared p = prepareDwi(dwi, bval, bvec);
        return normalise(dwi.toString(), Modality.DWI, p.onGrid, mask == null ? null : maskFromFile(mask), p.sourceGrid);
    }

    /** Channels on the model grid, still in modality units, and the grid of the file they came from. */
    public record Prepared(Volume onGrid, Grid sourceGrid) {}

    /** Reads, segments and resamples one modality of a subject (no mask, no scaling). */
    public Prepared prepare(Subject s, Modality m) throws IOException {
        if (m == Modality.FMRI) {
            if (s.fmri() == null) throw new IllegalArgumentException("subject '" + s.subject() + "' has no fmri");
            return prepareFmri(s.fmri());
        }
        if (s.dwi() == null) throw new IllegalArgumentException("subject '" + s.subject() + "' has no dwi");
        if (s.bval() == null || s.bvec() == null) throw new IllegalArgumentException("subject '" + s.subject() + "' has a dwi but no bval/bvec");
        return prepareDwi(s.dwi(), s.bval(), s.bvec());
    }

    public Prepared prepareFmri(Path fmri) throws IOException {
        NiftiImage img = NiftiReader.read(fmri);
        return new Prepared(toModelGrid(Modality.FMRI, img.data(), img.geometry().requireUsable(fmri), null, fmri.toString()), gridOf(img));
    }

    public Prepared prepareDwi(Path dwi, Path bval, Path bvec) throws IOException {
        NiftiImage img = NiftiReader.read(dwi);
        GradientTable table = GradientTable.read(bval, bvec);
        long g = img.data().numDimensions() > 3 ? img.data().dimension(3) : 1;
        table.checkVolumes(g, dwi);
        return new Prepared(toModelGrid(Modality.DWI, img.data(), img.geometry().requireUsable(dwi), table, dwi.toString()), gridOf(img));
    }

    /**
     * Segments a series (x, y, z, t|g) to N channels and resamples them onto the model grid.
     *
     * @param table the gradient table for DWI (ignored for fMRI)
     * @return (x, y, z, c) on {@link #grid()}, modality units
     */
    public Volume toModelGrid(Modality m, RandomAccessibleInterval<FloatType> series, Geometry geometry, GradientTable table,
            String source) {
        Img<FloatType> channels;
        if (m == Modality.FMRI) channels = segmenter.fmri(series, source);
        else {
            if (table == null) throw new IllegalArgumentException(source + ": a DWI needs its gradient table");
            channels = segmenter.dwi(series, table, source);
        }
        SpaceOverlap.check(SpaceOverlap.insideGrid(channels, geometry, grid, source), source,
                "of its brain lies inside the model grid " + Arrays.toString(grid.dims()));
        try {
            return new Volume(Resampler.trilinear(channels, geometry, grid), grid.geometry());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Masks and scales channels already on the model grid.
     *
     * @param mask a mask on the model grid, or null to compute it from {@code onGrid}
     */
    public AlignedSubject normalise(String id, Modality m, Volume onGrid, BrainMask mask, Grid sourceGrid) {
        if (!onGrid.grid().sameAs(grid, 1e-6))
            throw new IllegalArgumentException(id + ": data are on " + onGrid.grid() + ", not the model grid " + grid);
        if (mask == null) mask = BrainMask.fromData(onGrid.data(), id);
        else if (!Arrays.equals(mask.dims(), grid.dims()))
            throw new IllegalArgumentException(id + ": mask dims " + Arrays.toString(mask.dims()) + " are not the model grid's "
                    + Arrays.toString(grid.dims()));
        IntensityMap map = IntensityMap.fit(onGrid.data(), mask, lowPercentile, highPercentile);
        float[] data = VolumeArrays.copyOf(onGrid.data());
        map.applyInPlace(data);
        IntensityMap.clip(data);
        if (maskBackground) {
            int v = mask.size();
            for (int i = 0; i < data.length; i++) if (!mask.contains(i % v)) data[i] = -1;
        }
        return new AlignedSubject(id, m, grid, data, map, mask, sourceGrid);
    }

    /** A mask file (NIfTI) resampled nearest onto the model grid, inside where &gt;= 0.5. */
    public BrainMask maskFromFile(Path mask) throws IOException {
        NiftiImage img = NiftiReader.read(mask);
        return BrainMask.fromImage(img.data(), img.geometry().requireUsable(mask), grid, mask.toString());
    }

    /**
     * Model output back to modality units on an output grid.
     *
     * @param modelData (C, Z, Y, X) on {@link #grid()}, model units (normally [-1, 1])
     * @param map the intensity map of the modality the data hold
     * @param output the grid to write on
     * @param mask voxels outside it (model grid) become 0 before resampling; null for none
     */
    public Volume restore(float[] modelData, IntensityMap map, Grid output, BrainMask mask) {
        long[] d = grid.dims();
        if ((long) modelData.length != grid.size() * map.channels())
            throw new IllegalArgumentException(modelData.length + " values do not fill the model grid " + Arrays.toString(d)
                    + " with " + map.channels() + " channels");
        return restore(VolumeArrays.wrap(modelData, d[0], d[1], d[2], map.channels()), map, output, mask);
    }

    /** As {@link #restore(float[], IntensityMap, Grid, BrainMask)} for an image (x, y, z, c) on the model grid. */
    public Volume restore(RandomAccessibleInterval<FloatType> modelVolume, IntensityMap map, Grid output, BrainMask mask) {
        long[] d = VolumeArrays.dims(modelVolume);
        long[] g = grid.dims();
        if (d.length != 4 || d[0] != g[0] || d[1] != g[1] || d[2] != g[2] || d[3] != map.channels())
            throw new IllegalArgumentException("model volume dims " + Arrays.toString(d) + " are not the model grid "
                    + Arrays.toString(g) + " with " + map.channels() + " channels");
        float[] a = VolumeArrays.copyOf(modelVolume);
        map.invertInPlace(a);
        if (mask != null) {
            if (!Arrays.equals(mask.dims(), g)) throw new IllegalArgumentException("mask dims " + Arrays.toString(mask.dims())
                    + " are not the model grid's " + Arrays.toString(g));
            int v = mask.size();
            for (int i = 0; i < a.length; i++) if (!mask.contains(i % v)) a[i] = 0;
        }
        Img<FloatType> out = Resampler.trilinear(VolumeArrays.wrap(a, d), grid.geometry(), output);
        return new Volume(out, output.geometry().withTr(Double.NaN));
    }

    /** The 3-D grid of a NIfTI file (its first three dims and geometry), e.g. a {@code --like} file. */
    public static Grid gridOf(Path like) throws IOException {
        NiftiHeader h = NiftiReader.readHeader(like);
        long[] s = h.shape();
        return new Grid(new long[] {s[0], s.length > 1 ? s[1] : 1, s.length > 2 ? s[2] : 1}, Geometry.fromHeader(h).requireUsable(like));
    }

    /** The 3-D grid of an image read. */
    public static Grid gridOf(NiftiImage img) throws NiftiFormatException {
        long[] s = img.header().shape();
        return new Grid(new long[] {s[0], s.length > 1 ? s[1] : 1, s.length > 2 ? s[2] : 1}, img.geometry().requireUsable(img.source()));
    }
}
