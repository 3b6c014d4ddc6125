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
    void aWriteThatFailsMidwayLeavesTheOldFileAndNoTemporary() throws IOException {
        // the data fail after more than 1 MiB (the writer's buffer) has reached the temporary file
        Path p = dir.resolve("out.nii");
        Files.writeString(p, "the previous output");
        Img<FloatType> big = ArrayImgs.floats(100, 100, 30);
        long[] seen = {0};
        net.imglib2.RandomAccessibleInterval<FloatType> failing = net.imglib2.converter.Converters.convert(
                (net.imglib2.RandomAccessibleInterval<FloatType>) big, (a, o) -> {
                    if (++seen[0] > 280_000) throw new java.io.UncheckedIOException(new IOException("No space left on device (injected)"));
                    o.set(a);
                }, new FloatType());
        assertThrows(java.io.UncheckedIOException.class, () -> NiftiWriter.write(p, failing, Geometry.ofVoxelSize(1, 1, 1)));
        assertTrue(seen[0] > 280_000, "the failure came during the write");
        assertEquals("the previous output", Files.readString(p), "the target is as it was");
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
        // an I/O failure of the writer names the target
        IOException e = assertThrows(IOException.class, () -> NiftiFiles.writeAtomically(p, out -> {
            out.write(new byte[1 << 17]);
            throw new IOException("No space left on device");
        }));
        assertEquals(p + ": cannot write (No space left on device)", e.getMessage());
        assertEquals("the previous output", Files.readString(p));
    }

    @Test
    void temporariesOfAKilledWriteAreRemovedByTheNextWrite() throws IOException {
        Path p = dir.resolve("syn.nii.gz");
        Path stale = Files.writeString(dir.resolve(".syn.nii.gz.16305439560296727705.part"), "half a file");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path fresh = Files.writeString(dir.resolve(".syn.nii.gz.42.part"), "a write in progress");
        Path other = Files.writeString(dir.resolve(".other.nii.gz.7.part"), "another output's");
        Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        NiftiWriter.write(p, random(2, 2, 2), Geometry.ofVoxelSize(1, 1, 1));
        assertTrue(Files.isRegularFile(p));
        assertTrue(!Files.exists(stale), "a stale temporary of this output is removed");
        assertTrue(Files.exists(fresh), "a temporary still being written (modified < 10 s ago) is left alone");
        assertTrue(Files.exists(other), "another output's temporary is left alone");
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
