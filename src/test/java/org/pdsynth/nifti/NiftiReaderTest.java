package org.pdsynth.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NiftiReaderTest {
    @TempDir
    Path dir;

    static float[] values(Img<FloatType> img) {
        float[] v = new float[(int) img.size()];
        int i = 0;
        for (FloatType t : net.imglib2.view.Views.flatIterable(img)) v[i++] = t.get();
        return v;
    }

    @ParameterizedTest(name = "nifti{0} {1} datatype {2} gz={3}")
    @CsvSource({
        "1, LE, 2, false", "1, BE, 4, false", "1, LE, 8, true", "1, BE, 16, true", "1, LE, 64, false",
        "1, BE, 256, false", "1, LE, 512, true", "1, BE, 768, false", "1, LE, 1024, false",
        "2, LE, 16, false", "2, BE, 4, true", "2, BE, 64, false", "2, LE, 1024, true"})
    void readsEveryDatatypeVersionAndByteOrder(int version, String order, int datatype, boolean gz) throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.version = version;
        h.order = order.equals("BE") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        h.datatype = datatype;
        double[] v = HandMadeNifti.ramp(h.count());
        if (datatype == 256) for (int i = 0; i < v.length; i++) v[i] = i - 12; // int8 negatives
        Path p = h.writeSingle(dir, "img.nii" + (gz ? ".gz" : ""), v, gz);
        NiftiImage img = NiftiReader.read(p);
        assertArrayEquals(new long[] {2, 3, 4}, img.header().shape());
        assertEquals(version, img.header().version);
        assertEquals(h.order, img.header().byteOrder);
        float[] got = values(img.data());
        for (int i = 0; i < v.length; i++) assertEquals((float) v[i], got[i], "voxel " + i);
    }

    @Test
    void unsignedTypesUseTheirFullRange() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.dims = new long[] {3};
        h.datatype = 768; // uint32
        Path p = h.writeSingle(dir, "u32.nii", new double[] {0, 4294967295.0, 2147483648.0}, false);
        assertArrayEquals(new float[] {0f, 4294967295f, 2147483648f}, values(NiftiReader.read(p).data()));
        h.datatype = 512; // uint16
        p = h.writeSingle(dir, "u16.nii", new double[] {0, 65535, 40000}, false);
        assertArrayEquals(new float[] {0f, 65535f, 40000f}, values(NiftiReader.read(p).data()));
        h.datatype = 2; // uint8
        p = h.writeSingle(dir, "u8.nii", new double[] {0, 255, 128}, false);
        assertArrayEquals(new float[] {0f, 255f, 128f}, values(NiftiReader.read(p).data()));
    }

    @Test
    void appliesSlopeAndInterceptAndIgnoresZeroSlope() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.dims = new long[] {4};
        h.datatype = 4;
        h.slope = 0.5;
        h.inter = -3;
        Path p = h.writeSingle(dir, "s.nii", new double[] {0, 1, 2, -8}, false);
        assertArrayEquals(new float[] {-3f, -2.5f, -2f, -7f}, values(NiftiReader.read(p).data()));
        h.slope = 0;
        h.inter = 100; // slope 0 means no scaling at all (nibabel)
        p = h.writeSingle(dir, "s0.nii", new double[] {0, 1, 2, -8}, false);
        assertArrayEquals(new float[] {0f, 1f, 2f, -8f}, values(NiftiReader.read(p).data()));
    }

    @Test
    void keepsFiveDimensionsAsTheirOwnAxes() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.dims = new long[] {2, 2, 2, 1, 3};
        NiftiImage img = NiftiReader.read(h.writeSingle(dir, "v.nii", HandMadeNifti.ramp(24), false));
        assertEquals(5, img.data().numDimensions());
        assertArrayEquals(new long[] {2, 2, 2, 1, 3}, img.data().dimensionsAsLongArray());
        net.imglib2.RandomAccess<FloatType> ra = img.data().randomAccess();
        ra.setPosition(new long[] {1, 0, 1, 0, 2});
        assertEquals(1 + 0 * 2 + 1 * 4 + 0 * 8 + 2 * 8, ra.get().get());
    }

    @Test
    void honoursVoxOffsetGapAndKeepsExtensions() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.extension = "hello extension".getBytes(StandardCharsets.US_ASCII);
        h.voxOffset = 448; // header 348 + 4 + 32 (extension) + a 64-byte gap of junk
        NiftiImage img = NiftiReader.read(h.writeSingle(dir, "e.nii.gz", HandMadeNifti.ramp(24), true));
        assertArrayEquals(values(img.data()), toFloat(HandMadeNifti.ramp(24)));
        assertEquals(1, img.header().extensions.size());
        NiftiExtension e = img.header().extensions.get(0);
        assertEquals(6, e.code());
        assertEquals("hello extension", new String(e.data(), StandardCharsets.US_ASCII).trim().replace("\0", ""));
        assertEquals(448, img.header().voxOffset);
    }

    @Test
    void readsHdrImgPairsFromEitherName() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.datatype = 4;
        h.order = ByteOrder.BIG_ENDIAN;
        Path hdr = h.writePair(dir, "pair", HandMadeNifti.ramp(24));
        float[] a = values(NiftiReader.read(hdr).data());
        float[] b = values(NiftiReader.read(dir.resolve("pair.img")).data());
        assertArrayEquals(toFloat(HandMadeNifti.ramp(24)), a);
        assertArrayEquals(a, b);
        assertTrue(NiftiReader.read(hdr).header().pair);
    }

    @Test
    void geometryFollowsNibabelsChoiceOfTransform() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        // no codes: pixdim affine, x flipped, centre of the volume at 0 (nibabel get_base_affine)
        Geometry g = NiftiReader.read(h.writeSingle(dir, "p.nii", HandMadeNifti.ramp(24), false)).geometry();
        assertEquals(Geometry.Source.PIXDIM, g.source());
        assertArrayEquals(new double[] {-2, 0, 0, 1, 0, 3, 0, -3, 0, 0, 4, -6, 0, 0, 0, 1}, g.affine(), 1e-12);
        // qform: 90 degrees about z (quaternion d = sin 45), qfac -1 flips the third column
        h.qformCode = 1;
        h.quatern = new double[] {0, 0, Math.sqrt(0.5), 10, 20, 30};
        h.pixdim[0] = -1;
        g = NiftiReader.read(h.writeSingle(dir, "q.nii", HandMadeNifti.ramp(24), false)).geometry();
        assertEquals(Geometry.Source.QFORM, g.source());
        assertArrayEquals(new double[] {0, -3, 0, 10, 2, 0, 0, 20, 0, 0, -4, 30, 0, 0, 0, 1}, g.affine(), 1e-6);
        // sform wins when its code is set
        h.sformCode = 4;
        h.srow = new double[][] {{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}};
        g = NiftiReader.read(h.writeSingle(dir, "s.nii", HandMadeNifti.ramp(24), false)).geometry();
        assertEquals(Geometry.Source.SFORM, g.source());
        assertArrayEquals(new double[] {-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1}, g.affine(), 0);
    }

    @Test
    void trIsConvertedToSeconds() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.dims = new long[] {2, 2, 2, 3};
        h.pixdim[4] = 2500;
        h.xyztUnits = 2 | 16; // mm, ms
        assertEquals(2.5, NiftiReader.read(h.writeSingle(dir, "t.nii", HandMadeNifti.ramp(24), false)).geometry().tr(), 1e-9);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    // ---- bad input: one-line NiftiFormatException naming the file and the field ----

    private void assertBad(Path p, String... fragments) {
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> NiftiReader.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
    }

    @Test
    void rejectsWrongMagicAndSizeofHdr() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.magic = "xyz";
        assertBad(h.writeSingle(dir, "m.nii", HandMadeNifti.ramp(24), false), "magic");
        h = new HandMadeNifti();
        h.sizeofHdr = 123;
        assertBad(h.writeSingle(dir, "s.nii", HandMadeNifti.ramp(24), false), "sizeof_hdr");
    }

    @Test
    void rejectsUnsupportedDatatypesByName() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.datatype = 32;
        assertBad(h.writeSingle(dir, "c.nii", HandMadeNifti.ramp(24), false), "datatype 32", "complex64");
        h.datatype = 128;
        assertBad(h.writeSingle(dir, "r.nii", HandMadeNifti.ramp(24), false), "rgb24");
        h.datatype = 17;
        assertBad(h.writeSingle(dir, "u.nii", HandMadeNifti.ramp(24), false), "datatype 17");
    }

    @Test
    void rejectsTruncatedHeadersAndData() throws IOException {
        Path p = new HandMadeNifti().writeSingle(dir, "t.nii", HandMadeNifti.ramp(24), false);
        byte[] all = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(all, 200));
        assertBad(p, "truncated");
        Files.write(p, java.util.Arrays.copyOf(all, all.length - 10));
        assertBad(p, "truncated", "bytes");
        Path gz = dir.resolve("t.nii.gz");
        byte[] z = HandMadeNifti.gzip(all);
        Files.write(gz, java.util.Arrays.copyOf(z, z.length - 30));
        assertBad(gz);
    }

    @Test
    void rejectsCorruptGzip() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.dims = new long[] {20, 20, 20};
        Path gz = h.writeSingle(dir, "c.nii.gz", HandMadeNifti.ramp(8000), true);
        byte[] z = Files.readAllBytes(gz);
        for (int i = 40; i < 80; i++) z[i] ^= (byte) 0xa5;
        Files.write(gz, z);
        assertBad(gz, "gzip");
    }

    @Test
    void rejectsOverflowingAndLyingDimsWithoutAllocating() throws IOException {
        HandMadeNifti h = new HandMadeNifti();
        h.version = 2;
        h.dims = new long[] {1L << 32, 1L << 32, 1L << 32};
        assertBad(h.writeSingle(dir, "o.nii", new double[0], false), "overflow");
        h.dims = new long[] {30000, 30000, 30000};
        assertBad(h.writeSingle(dir, "big.nii", new double[0], false), "voxels");
        // a gzip file whose header claims 1.5 GB of float32 data: refused by the deflate-ratio bound
        h = new HandMadeNifti();
        h.dims = new long[] {1000, 1000, 400};
        Path lie = h.writeSingle(dir, "lie.nii.gz", new double[0], true);
        assertBad(lie, "truncated");
        h.dims = new long[] {0, 3, 4};
        assertBad(h.writeSingle(dir, "z.nii", new double[0], false), "dim[1]");
    }

    @Test
    void missingImgOfAPairIsNamed() throws IOException {
        Path hdr = new HandMadeNifti().writePair(dir, "lonely", HandMadeNifti.ramp(24));
        Files.delete(dir.resolve("lonely.img"));
        assertBad(hdr, "lonely.img", "missing");
        assertEquals(24, NiftiReader.readHeader(hdr).voxelCount());
    }
}
