package org.pdsynth.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NiftiWriter#writeInt16} with a caller-chosen scaling. */
class NiftiWriterInt16ScalingTest {
    @Test
    void slopeOneStoresWholeNumbersExactlyAndRoundsTheRest(@TempDir Path dir) throws Exception {
        float[] v = {0, 1, -2, 1000, 32767, -32768, 2.4f, 2.6f, Float.NaN, 0};
        Path f = dir.resolve("a.nii.gz");
        NiftiWriter.writeInt16(f, ArrayImgs.floats(v, 5, 2), Geometry.ofVoxelSize(2, 2, 2), null, 1, 0);
        NiftiImage im = NiftiReader.read(f);
        assertEquals(NiftiDatatype.INT16.code, im.header().datatype);
        assertEquals(1.0, im.header().sclSlope);
        assertEquals(0.0, im.header().sclInter);
        float[] expect = {0, 1, -2, 1000, 32767, -32768, 2, 3, 0, 0};
        int k = 0;
        for (FloatType t : Views.flatIterable(im.data())) assertEquals(expect[k++], t.get(), 0.0f);
    }

    @Test
    void otherScalingsRoundTripWithinHalfAStep(@TempDir Path dir) throws Exception {
        float[] v = {10.0f, 10.3f, 12.71f, 500f};
        Path f = dir.resolve("b.nii");
        NiftiWriter.writeInt16(f, ArrayImgs.floats(v, 4), Geometry.ofVoxelSize(1, 1, 1), null, 0.25, 10);
        int k = 0;
        for (FloatType t : Views.flatIterable(NiftiReader.read(f).data())) assertEquals(v[k++], t.get(), 0.125 + 1e-6);
    }

    @Test
    void valuesOutsideInt16AndBadScalingsAreRejected(@TempDir Path dir) {
        Path f = dir.resolve("c.nii.gz");
        var big = ArrayImgs.floats(new float[] {0, 40000}, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> NiftiWriter.writeInt16(f, big, Geometry.ofVoxelSize(1, 1, 1), null, 1, 0));
        assertTrue(e.getMessage().contains("c.nii.gz") && e.getMessage().contains("do not fit int16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NiftiWriter.writeInt16(f, big, Geometry.ofVoxelSize(1, 1, 1), null, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> NiftiWriter.writeInt16(f, big, Geometry.ofVoxelSize(1, 1, 1), null, 1, Double.NaN));
        assertFalse(Files.exists(f));
    }
}
