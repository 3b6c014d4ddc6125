package org.pdsynth.workflow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.NativeScans;
import org.pdsynth.volume.Segmenter;
import org.pdsynth.volume.Subject;
import org.pdsynth.volume.Volume;
import org.pdsynth.volume.VolumeArrays;

/**
 * The noise-free twin of a phantom test cohort ({@code pds simulate --noise-free} with the test
 * cohort's seed and options): the same subjects, anatomy and masks without thermal noise. Read
 * and checked here: every test subject must have a twin row with the same subject id, and the
 * same brain mask voxel for voxel (else the twin is not the same cohort).
 */
final class NoiseFreeTwin {
    private NoiseFreeTwin() {}

    /**
     * The twin subject of every test subject, checked before anything is trained: same subject id,
     * both modalities, and the same brain mask voxel for voxel.
     *
     * @throws IllegalArgumentException naming the manifest and the subject otherwise
     */
    static Map<String, Subject> check(Path manifest, List<Subject> test) throws IOException {
        Map<String, Subject> twins = new LinkedHashMap<>();
        for (Subject s : Cohort.read(manifest).subjects()) twins.put(s.subject(), s);
        Map<String, Subject> out = new LinkedHashMap<>();
        for (Subject s : test) {
            Subject t = twins.get(s.subject());
            if (t == null || !t.hasFmri() || !t.hasDwi())
                throw new IllegalArgumentException(manifest + ": no noise-free twin (fmri and dwi) of test subject " + s.subject());
            if ((s.mask() == null) != (t.mask() == null)
                    || (s.mask() != null && !Arrays.equals(VolumeArrays.copyOf(NiftiReader.read(s.mask()).data()),
                            VolumeArrays.copyOf(NiftiReader.read(t.mask()).data()))))
                throw new IllegalArgumentException(manifest + ": subject " + s.subject() + "'s brain mask differs from the test cohort's; "
                        + "the noise-free twin must be simulated with the same seed and options (pds simulate --noise-free)");
            out.put(s.subject(), t);
        }
        return out;
    }

    /** Aligned noise-free scans keyed "subject/MODALITY", as the experiment keys its truth. */
    static Map<String, Volume> aligned(Path manifest, List<Subject> test, Map<String, Volume> truth, Segmenter seg) throws IOException {
        Map<String, Subject> twins = check(manifest, test);
        Map<String, Volume> out = new LinkedHashMap<>();
        for (Subject s : test) {
            for (Modality m : Modality.values()) {
                Volume v = NativeScans.aligned(twins.get(s.subject()), m, seg);
                Volume ref = truth.get(s.subject() + "/" + m);
                if (!Arrays.equals(v.data().dimensionsAsLongArray(), ref.data().dimensionsAsLongArray()))
                    throw new IllegalArgumentException(manifest + ": subject " + s.subject() + "'s noise-free " + m + " aligns to "
                            + Arrays.toString(v.data().dimensionsAsLongArray()) + ", the test scan to " + Arrays.toString(ref.data().dimensionsAsLongArray()));
                out.put(s.subject() + "/" + m, v);
            }
        }
        return out;
    }
}
