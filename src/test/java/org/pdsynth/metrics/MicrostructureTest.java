package org.pdsynth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.pdsynth.TestData;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.VolumeArrays;

/** FA/MD error in white matter on a real DWI (small_64D) and a scaled/perturbed copy of it. */
class MicrostructureTest {
    @Test
    void identicalDwiHasNoErrorAndAScaledOneNeither() throws IOException {
        Img<FloatType> dwi = NiftiReader.read(TestData.file("small_64D.nii")).data();
        GradientTable t = GradientTable.read(TestData.file("small_64D.bval"), TestData.file("small_64D.bvec"));
        TensorFit fit = TensorFit.of(t, TensorFit.Method.WLS);
        Microstructure same = Microstructure.compare(dwi, dwi, fit, null);
        assertEquals(0, same.faErrorWm(), 0);
        assertEquals(0, same.mdErrorWm(), 0);
        assertTrue(same.wmVoxels() > 100, "small_64D has white matter: " + same.wmVoxels());
        assertTrue(same.faReferenceWm() > Microstructure.WM_FA);
        // a global intensity scale changes S0 only, not the tensor
        float[] v = VolumeArrays.copyOf(dwi);
        for (int i = 0; i < v.length; i++) v[i] *= 2.5f;
        Microstructure scaled = Microstructure.compare(dwi, ArrayImgs.floats(v, dwi.dimensionsAsLongArray()), fit, null);
        assertEquals(0, scaled.faErrorWm(), 1e-5);
        // (not exactly 0: voxels with zero signals clip at 1e-4 before and after the scale)
        assertEquals(0, scaled.mdErrorWm(), 1e-7);
    }

    @Test
    void errorIsTheMeanAbsoluteFaDifferenceInReferenceWhiteMatter() throws IOException {
        Img<FloatType> dwi = NiftiReader.read(TestData.file("small_64D.nii")).data();
        GradientTable t = GradientTable.read(TestData.file("small_64D.bval"), TestData.file("small_64D.bvec"));
        TensorFit fit = TensorFit.of(t, TensorFit.Method.OLS);
        // replace every diffusion-weighted volume by the mean of all of them: an isotropic test (FA ~ 0)
        float[] v = VolumeArrays.copyOf(dwi);
        int n = 1000, g = t.size();
        for (int i = 0; i < n; i++) {
            double s = 0;
            int k = 0;
            for (int j = 0; j < g; j++) if (!t.isB0(j)) { s += v[i + j * n]; k++; }
            for (int j = 0; j < g; j++) if (!t.isB0(j)) v[i + j * n] = (float) (s / k);
        }
        RandomAccessibleInterval<FloatType> iso = ArrayImgs.floats(v, dwi.dimensionsAsLongArray());
        float[] m = new float[n];
        for (int i = 0; i < n; i++) m[i] = i % 10 < 5 ? 1 : 0;
        Img<FloatType> mask = ArrayImgs.floats(m, 10, 10, 10);
        Microstructure r = Microstructure.compare(dwi, iso, fit, mask);
        TensorFit.Maps a = fit.fit(dwi, null, "dwi"), b = fit.fit(iso, null, "iso");
        double e = 0;
        long c = 0;
        for (int i = 0; i < n; i++) if (m[i] > 0 && a.fa()[i] > 0.2) { e += Math.abs(a.fa()[i] - b.fa()[i]); c++; }
        assertEquals(c, r.wmVoxels());
        assertEquals(e / c, r.faErrorWm(), 1e-12);
        assertTrue(r.faTestWm() < 0.05 && r.faErrorWm() > 0.2, "isotropic test: FA ~ 0, error ~ reference FA: " + r);
        JsonObject j = r.toJsonObject();
        assertEquals(r.faErrorWm(), j.get("fa_error_wm").getAsDouble(), 0);
    }
}
