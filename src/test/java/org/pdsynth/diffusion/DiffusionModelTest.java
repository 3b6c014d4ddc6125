package org.pdsynth.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.pdsynth.volume.Direction;
import org.pdsynth.volume.Diagnosis;
import org.junit.jupiter.api.Test;

class DiffusionModelTest extends SingleThreadTests {

    @Test
    void uploadAndDownloadKeepValuesAndLogicalOrder() {
        try (DiffusionModel model = DiffusionModel.create(TinySetup.config()); NDManager m = model.holder().newStepManager()) {
            float[] a = new float[2 * 3 * 4];
            for (int i = 0; i < a.length; i++) a[i] = i * 0.5f - 3;
            NDArray up = model.holder().upload(m, a, new Shape(2, 3, 4));
            float[] b = new float[a.length];
            for (int i = 0; i < b.length; i++) b[i] = -i;
            NDArray second = model.holder().upload(m, b, new Shape(2, 3, 4)); // reuses the staging buffer
            assertArrayEquals(a, up.toFloatArray(), 0f, "first upload survives the second");
            assertArrayEquals(b, NetworkHolder.download(second, null), 0f);
            NDArray permuted = up.transpose(2, 0, 1);                   // a non-contiguous view
            assertArrayEquals(permuted.toFloatArray(), NetworkHolder.download(permuted, new float[a.length]), 0f);
            assertEquals(permuted.getShape(), new Shape(4, 2, 3));
        }
    }
}
