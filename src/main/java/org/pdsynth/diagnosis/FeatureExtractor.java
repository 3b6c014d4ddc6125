package org.pdsynth.diagnosis;

import org.pdsynth.volume.Atlas;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.pdsynth.nifti.NiftiFormatException;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.AlignedSubject;
import org.pdsynth.volume.BrainMask;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Resampler;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.SubjectAligner;
import org.pdsynth.volume.Volume;
import org.pdsynth.volume.VolumeArrays;

/**
 * Turns a subject's real (and synthetic) volumes into {@link RegionFeatures} on the model grid.
 *
 * <p><b>Which intensities.</b> Features are computed on the intensity-NORMALISED channels, the
 * model's input ({@link SubjectAligner#normalise}: per subject and channel, the 0.5th..99.5th
 * percentile inside the brain mask mapped to [-1, 1], clipped), not on raw units. Reasons: raw
 * units carry per-scanner and per-subject gain (a DWI b0 in arbitrary units, a BOLD baseline that
 * depends on coil and sequence) that a classifier would learn as "site"; and a synthetic volume's
 * absolute scale comes from the synthesizer's inverse intensity map, not from the subject's
 * missing scan, so comparing real and synthetic in raw units would test the scale, not the
 * pattern. Normalising both the same way per subject compares regional PATTERNS. The price: a
 * purely global change of a channel (all regions alike) is invisible to the features.
 *
 * <p><b>Which voxels.</b> One brain mask per subject for every modality, real and synthetic: the
 * subject's mask file when the manifest gives one, else the intersection of the masks computed
 * from the two REAL modalities ({@link SubjectAligner#alignPair}). So a hybrid feature vector
 * differs from the real one only by the replaced modality's voxel values.
 *
 * <p><b>Synthetic files.</b> An N-channel 4-D NIfTI (x, y, z, c) in modality units (3-D when
 * N = 1) on any grid in the cohort's world space: resampled trilinear onto the model grid (fill 0),
 * then normalised with the subject's mask like the real data. N must equal the aligner's
 * channel count.
 */
public final class FeatureExtractor {
    private final SubjectAligner aligner;
    private final RegionFeatures features;

    public FeatureExtractor(SubjectAligner aligner, Atlas atlas) {
        if (!atlas.grid().sameAs(aligner.grid(), 1e-6))
            throw new IllegalArgumentException("the atlas is on " + atlas.grid() + ", not the model grid " + aligner.grid());
        this.aligner = aligner;
        this.features = new RegionFeatures(atlas);
    }

    public RegionFeatures regionFeatures() {
        return features;
    }

    public SubjectAligner aligner() {
        return aligner;
    }

    /**
     * Features of a subject with both real modalities, plus those of the given synthetic files.
     *
     * @param fmriSynth synthetic fMRI channels, or null
     * @param dwiSynth  synthetic DWI channels, or null
     */
    public SubjectFeatures extract(Subject s, Path fmriSynth, Path dwiSynth) throws IOException {
        return extract(s, List.of(new SyntheticSet.Entry(s.subject(), fmriSynth, dwiSynth))).get(0);
    }

    /**
     * Features of a subject with both real modalities beside SEVERAL sets of synthetic files (one
     * per method, say): the real scans are read and aligned once and their features shared.
     *
     * @param synthetic per set, the subject's synthetic files (null paths where absent)
     * @return one {@link SubjectFeatures} per set, in order, all with the same real features and mask
     */
    public List<SubjectFeatures> extract(Subject s, List<SyntheticSet.Entry> synthetic) throws IOException {
        if (!s.hasFmri() || !s.hasDwi())
            throw new IllegalArgumentException("subject '" + s.subject() + "' needs both real fmri and dwi for diagnosis features");
        SubjectAligner.AlignedPair pair = aligner.alignPair(s);
        BrainMask mask = pair.fmri().mask();
        double[] f = features.of(pair.fmri()), d = features.of(pair.dwi());
        int[] voxels = features.voxelsInMask(mask);
        List<SubjectFeatures> out = new ArrayList<>();
        for (SyntheticSet.Entry e : synthetic) {
            double[] fs = e.fmri() == null ? null : features.of(alignSynthetic(s.subject(), Modality.FMRI, e.fmri(), mask));
            double[] ds = e.dwi() == null ? null : features.of(alignSynthetic(s.subject(), Modality.DWI, e.dwi(), mask));
            out.add(new SubjectFeatures(s.subject(), s.label(), voxels, f, d, fs, ds));
        }
        return out;
    }

    /**
     * A synthetic N-channel file on the model grid, normalised inside {@code mask}.
     *
     * @throws NiftiFormatException when its channel count is not the aligner's N
     */
    public AlignedSubject alignSynthetic(String id, Modality m, Path file, BrainMask mask) throws IOException {
        NiftiImage img = NiftiReader.read(file);
        long[] d = VolumeArrays.dims(img.data());
        for (int k = 4; k < d.length; k++)
            if (d[k] != 1) throw new NiftiFormatException(file, "synthetic channels must be 4-D (x, y, z, c), got dims " + Arrays.toString(d));
        int channels = d.length > 3 ? (int) d[3] : 1;
        int n = aligner.segmenter().channels();
        if (d.length < 3 || channels != n)
            throw new NiftiFormatException(file, "has " + channels + " channel(s) (dims " + Arrays.toString(d) + "); the real data are aligned to "
                    + n + " channels");
        RandomAccessibleInterval<FloatType> data = img.data();
        while (data.numDimensions() > 4) data = Views.hyperSlice(data, data.numDimensions() - 1, 0);
        Img<FloatType> onGrid;
        try {
            onGrid = Resampler.trilinear(data, img.geometry().requireUsable(file), aligner.grid());
        } catch (IllegalArgumentException e) {
            throw new NiftiFormatException(file, e.getMessage(), e);
        }
        Volume v = new Volume(onGrid, aligner.grid().geometry());
        return aligner.normalise(id + " (synthetic " + m.name().toLowerCase() + ")", m, v, mask, SubjectAligner.gridOf(img));
    }
}
