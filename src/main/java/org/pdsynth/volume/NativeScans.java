package org.pdsynth.volume;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;

/**
 * A subject's real scans aligned to N channels on their OWN grid (the {@link Segmenter} rule, no
 * resampling, no intensity mapping): the truth a synthetic volume is compared with, in the
 * modality's intensity units. Also the population template of a set of subjects (the voxelwise
 * mean of their aligned scans), the trivial baseline every synthesis must beat.
 */
public final class NativeScans {
    private NativeScans() {}

    /** The subject's scan of modality {@code m}, aligned to N channels (x, y, z, channel) on its own grid. */
    public static Volume aligned(Subject s, Modality m, Segmenter seg) throws IOException {
        NiftiImage img = NiftiReader.read(m == Modality.FMRI ? s.fmri() : s.dwi());
        Img<FloatType> a = m == Modality.FMRI ? seg.fmri(img.data(), img.source().toString())
                : seg.dwi(img.data(), GradientTable.read(s.bval(), s.bvec()), img.source().toString());
        return new Volume(a, img.geometry().requireUsable(img.source()).withTr(Double.NaN));
    }

    /**
     * Voxelwise mean of the subjects' aligned scans of modality {@code m}; they must share one grid
     * (a phantom cohort does; real cohorts compare on the model grid instead), else a one-line error.
     */
    public static Img<FloatType> template(List<Subject> subjects, Modality m, Segmenter seg) throws IOException {
        if (subjects.isEmpty()) throw new IllegalArgumentException("a template needs at least one subject");
        double[] sum = null;
        long[] dims = null;
        for (Subject s : subjects) {
            Img<FloatType> a = aligned(s, m, seg).data();
            float[] v = VolumeArrays.copyOf(a);
            if (sum == null) {
                sum = new double[v.length];
                dims = a.dimensionsAsLongArray();
            } else if (!Arrays.equals(dims, a.dimensionsAsLongArray())) {
                throw new IllegalArgumentException("subject " + s.subject() + ": aligned " + m + " is " + Arrays.toString(a.dimensionsAsLongArray())
                        + ", the first subject's is " + Arrays.toString(dims) + "; a voxelwise template needs one grid");
            }
            for (int i = 0; i < v.length; i++) sum[i] += v[i];
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < mean.length; i++) mean[i] = (float) (sum[i] / subjects.size());
        return VolumeArrays.wrap(mean, dims);
    }
}
