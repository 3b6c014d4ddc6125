package org.pdsynth.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiWriterTest {
    @TempDir
    Path dir;

    private static Img<FloatType> random(long... dims) {
        Img<FloatType> img = ArrayImgs.floats(dims);
        Random r = new Random(7);
        for (FloatType t : img) t.set((float) (r.nextGaussian() * 100));
        return img;
    }

    private static Geometry oblique() {
        double c = Math.cos(0.3), s = Math.sin(0.3);
        double[] a = {-2 * c, -3 * s, 0, 90, 2 * s * -1 * -1, 3 * c, 0, -126, 0, 0, 4, -72, 0, 0, 0, 1};
        a[4] = -2 * s;
        return Geometry.ofAffine(a, Geometry.XFORM_MNI, 2.0);
    }

    @Test
    void readWriteReadIsExact() throws IOException {
        for (String name : new String[] {"a.nii", "a.nii.gz"}) {
            Path p = dir.resolve(name);
            NiftiWriter.write(p, random(5, 4, 3, 2), oblique());
            NiftiImage first = NiftiReader.read(p);
            first.header().extensions.add(new NiftiExtension(4, "<afni/>".getBytes(StandardCharsets.US_ASCII)));
            first.header().descrip = "round trip";
            Path q = dir.resolve("b-" + name);
            NiftiWriter.write(q, first);
            NiftiImage second = NiftiReader.read(q);
            assertArrayEquals(NiftiReaderTest.values(first.data()), NiftiReaderTest.values(second.data()));
            assertEquals(first.geometry(), second.geometry());
            assertEquals("round trip", second.header().descrip);
            assertEquals(1, second.header().extensions.size());
            assertTrue(new String(second.header().extensions.get(0).data(), StandardCharsets.US_ASCII).startsWith("<afni/>"));
            assertEquals(2.0, second.geometry().tr());
            // a third generation equals the second, header and extensions included, byte for byte
            Path r = dir.resolve("c-" + name);
            NiftiWriter.write(r, second);
            NiftiImage third = NiftiReader.read(r);
            assertEquals(second.header().extensions, third.header().extensions);
            assertEquals(second.header().toString(), third.header().toString());
            if (!name.endsWith(".gz")) assertArrayEquals(Files.readAllBytes(q), Files.readAllBytes(r));
        }
    }

    @Test
    void storedAffineMatchesTheGeometryAndQformIsItsRotation() throws IOException {
        Geometry g = oblique();
        Path p = dir.resolve("g.nii");
        NiftiWriter.write(p, random(4, 4, 4), g);
        NiftiImage img = NiftiReader.read(p);
        assertArrayEquals(g.affine(), img.geometry().affine(), 1e-5);
        // the qform alone (sform ignored) describes the same grid: orthogonal affine here
        NiftiHeader h = img.header().copy();
        h.sformCode = 0;
        assertArrayEquals(g.affine(), Geometry.fromHeader(h).affine(), 1e-4);
    }

    @Test
    void int16KeepsValuesWithinHalfASlopeStep() throws IOException {
        Img<FloatType> src = random(6, 5, 4);
        Path p = dir.resolve("i.nii.gz");
        NiftiWriter.write(p, src, Geometry.ofVoxelSize(1, 1, 1), null, NiftiDatatype.INT16);
        NiftiImage img = NiftiReader.read(p);
        assertEquals(NiftiDatatype.INT16.code, img.header().datatype);
        double slope = img.header().sclSlope;
        float[] a = NiftiReaderTest.values(src), b = NiftiReaderTest.values(img.data());
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], slope * 0.5 + 1e-4 * Math.abs(a[i]), "voxel " + i);
            lo = Math.min(lo, a[i]);
            hi = Math.max(hi, a[i]);
        }
        assertEquals((hi - lo) / 65534, slope, 1e-6 * slope);
    }

    @Test
    void failedWriteLeavesNoFile() throws IOException {
        Path p = dir.resolve("out.nii");
        Img<FloatType> bad = ArrayImgs.floats(40000, 1, 1); // axis too long for NIfTI-1
        assertThrows(IllegalArgumentException.class, () -> NiftiWriter.write(p, bad, Geometry.ofVoxelSize(1, 1, 1)));
        assertTrue(!Files.exists(p));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "no temporary files left behind");
        }
        assertThrows(IllegalArgumentException.class, () -> NiftiWriter.write(dir.resolve("x.tif"), random(2, 2, 2),
                Geometry.ofVoxelSize(1, 1, 1)));
    }
}
