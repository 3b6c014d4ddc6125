package org.pdsynth.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.nifti.NiftiFormatException;

class IntensityMapTest {
    @Test
    void percentilesMatchNumpy() throws Exception {
        JsonObject g = Golden.load("volume-percentiles.json");
        int checked = 0;
        for (JsonElement e : g.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            double[] values = Golden.doubles(c.getAsJsonArray("values"));
            double[] q = Golden.doubles(c.getAsJsonArray("q")), expected = Golden.doubles(c.getAsJsonArray("expected"));
            for (int k = 0; k < q.length; k++) {
                double p = Percentiles.of(values, q[k]);
                assertEquals(expected[k], p, 1e-12 * Math.max(1, Math.abs(expected[k])), c.get("name").getAsString() + " q=" + q[k]);
                checked++;
            }
        }
        assertTrue(checked >= 70);
    }

    /** 3 channels on a 10x10x10 grid; a mask of the central 6x6x6 cube. */
    private static float[] data;
    private static BrainMask mask;

    private static void make() {
        Random r = new Random(5);
        int v = 1000;
        data = new float[3 * v];
        boolean[] in = new boolean[v];
        for (int z = 0; z < 10; z++)
            for (int y = 0; y < 10; y++)
                for (int x = 0; x < 10; x++) {
                    int i = (z * 10 + y) * 10 + x;
                    in[i] = x >= 2 && x < 8 && y >= 2 && y < 8 && z >= 2 && z < 8;
                    for (int c = 0; c < 3; c++)
                        data[c * v + i] = in[i] ? (float) (1000 * (c + 1) + 200 * r.nextGaussian()) : (c == 0 ? -1e6f : 1e6f);
                }
        mask = BrainMask.of(new long[] {10, 10, 10}, in);
    }

    @Test
    void fitUsesOnlyMaskedVoxelsAndMapsThePercentilesToMinusOneAndOne() {
        make();
        IntensityMap m = IntensityMap.fit(VolumeArrays.wrap(data, 10, 10, 10, 3), mask);
        assertEquals(3, m.channels());
        for (int c = 0; c < 3; c++) {
            double[] inside = new double[mask.count()];
            int n = 0;
            for (int i = 0; i < 1000; i++) if (mask.contains(i)) inside[n++] = data[c * 1000 + i];
            assertEquals(Percentiles.of(inside, 0.5), m.lo(c), 0);
            assertEquals(Percentiles.of(inside, 99.5), m.hi(c), 0);
            assertTrue(m.lo(c) > 1000 * (c + 1) - 1000 && m.hi(c) < 1000 * (c + 1) + 1000, "outside values were ignored");
            assertEquals(-1, m.forward(c, m.lo(c)), 1e-12);
            assertEquals(1, m.forward(c, m.hi(c)), 1e-12);
            assertEquals(0, m.forward(c, (m.lo(c) + m.hi(c)) / 2), 1e-12);
        }
        // not clipped: values beyond the percentiles go beyond [-1, 1]
        assertTrue(m.forward(0, -1e6) < -100 && m.forward(1, 1e6) > 100);
    }

    @Test
    void roundTripIsWithinFloatPrecision() {
        make();
        IntensityMap m = IntensityMap.fit(VolumeArrays.wrap(data, 10, 10, 10, 3), mask);
        float[] a = data.clone();
        m.applyInPlace(a);
        m.invertInPlace(a);
        for (int i = 0; i < a.length; i++) {
            int c = i / 1000;
            double scale = Math.max(Math.abs(data[i]), Math.max(Math.abs(m.lo(c)), m.hi(c) - m.lo(c)));
            assertEquals(data[i], a[i], 4 * Math.ulp((float) scale), "voxel " + i);
        }
        // image form gives the same numbers
        float[] b = VolumeArrays.shared(m.invert(m.apply(VolumeArrays.wrap(data, 10, 10, 10, 3))));
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 0f);
    }

    @Test
    void clipIsSeparate() {
        float[] a = {-3, -1, 0.25f, 1, 7, Float.NaN};
        IntensityMap.clip(a);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {-1, -1, 0.25f, 1, 1, -1}, a, 0f);
    }

    @Test
    void jsonRoundTripIsExact(@TempDir Path dir) throws Exception {
        make();
        IntensityMap m = IntensityMap.fit(VolumeArrays.wrap(data, 10, 10, 10, 3), mask, 1, 99);
        IntensityMap back = IntensityMap.fromJson(m.toJson(), "mem");
        assertEquals(m, back);
        assertEquals(1, back.lowPercentile());
        Path f = dir.resolve("intensity.json");
        m.write(f);
        assertEquals(m, IntensityMap.read(f));
        Files.writeString(f, "{\"format\": \"something else\"}");
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> IntensityMap.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not an intensity map"), e.getMessage());
        Files.writeString(f, "{not json");
        assertThrows(NiftiFormatException.class, () -> IntensityMap.read(f));
    }

    @Test
    void constantChannelStaysInvertible() {
        IntensityMap m = IntensityMap.of(new double[] {5}, new double[] {5}, 0.5, 99.5);
        assertEquals(6, m.hi(0));
        assertEquals(-1, m.forward(0, 5), 0);
        assertEquals(5, m.inverse(0, -1), 0);
    }

    @Test
    void emptyMaskIsAnError() {
        BrainMask none = BrainMask.of(new long[] {2, 2, 2}, new boolean[8]);
        assertThrows(IllegalArgumentException.class, () -> IntensityMap.fit(VolumeArrays.wrap(new float[8], 2, 2, 2), none));
    }
}
