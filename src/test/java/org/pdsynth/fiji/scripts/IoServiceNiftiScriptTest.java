package org.pdsynth.fiji.scripts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ij.ImagePlus;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.fiji.ImagePlusConverter;
import org.pdsynth.fiji.NiftiIOPlugin;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.VolumeArrays;

/**
 * {@code io.open} / {@code io.save} of NIfTI in Groovy and Jython scripts run through SciJava's
 * ScriptService: the IO service hands {@code .nii.gz} to {@link NiftiIOPlugin}, which returns our
 * calibrated hyperstack and writes the same voxels and affine back.
 */
class IoServiceNiftiScriptTest {
    @TempDir
    Path dir;

    /** An fMRI-like 4-D LAS volume (with a TR) whose voxels are all different. */
    private Path input(Geometry g) throws Exception {
        Img<FloatType> img = ArrayImgs.floats(6, 5, 4, 3);
        float v = 0;
        for (FloatType t : img) t.set(v++ * 0.5f - 7);
        Path f = dir.resolve("fmri.nii.gz");
        NiftiWriter.write(f, img, g);
        return f;
    }

    @Test
    void groovyOpensAndSavesNiftiWithOurReaderAndWriter() throws Exception {
        Geometry g = Geometry.ofAffine(new double[] {-3, 0, 0, 9, 0, 3, 0, -7.5, 0, 0, 3.5, -6, 0, 0, 0, 1}, Geometry.XFORM_MNI, 2.0);
        Path in = input(g), out = dir.resolve("saved.nii.gz");
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("input", in.toFile());
        inputs.put("output", out.toFile());
        Map<String, Object> outputs;
        try (ScriptHarness h = new ScriptHarness()) {
            outputs = h.run("src/test/resources/scripts/io_open_nifti.groovy", inputs).getOutputs();
        }
        assertEquals(NiftiIOPlugin.class.getName(), outputs.get("opener"));
        ImagePlus imp = assertInstanceOf(ImagePlus.class, outputs.get("image"));
        assertEquals(3, imp.getNFrames());
        assertEquals(4, imp.getNSlices());
        assertEquals(2.0, imp.getCalibration().frameInterval, 0);
        assertNotNull(imp.getProperty(ImagePlusConverter.GEOMETRY_PROPERTY));
        // the same voxels as our reader gives, and the saved file has them and the affine
        NiftiImage read = NiftiReader.read(in), saved = NiftiReader.read(out);
        assertArrayEquals(VolumeArrays.copyOf(read.data()), VolumeArrays.copyOf(ImagePlusConverter.toImg(imp)), 0f);
        assertArrayEquals(VolumeArrays.copyOf(read.data()), VolumeArrays.copyOf(saved.data()), 0f);
        assertArrayEquals(read.geometry().affine(), saved.geometry().affine(), 0);
        assertEquals(2.0, saved.geometry().tr(), 1e-6);
    }

    @Test
    void aHdrImgPairOpensFromEitherFile() throws Exception {
        // a NIfTI-1 pair made from a single file: the 348-byte header with magic "ni1" and vox_offset 0,
        // the voxels (from the single file's vox_offset) in the .img
        Path nii = dir.resolve("single.nii");
        NiftiWriter.write(nii, ArrayImgs.floats(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 2, 2),
                Geometry.ofVoxelSize(2, 2, 2));
        byte[] all = java.nio.file.Files.readAllBytes(nii);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int voxOffset = (int) b.getFloat(108);
        byte[] hdr = java.util.Arrays.copyOf(all, 348);
        java.nio.ByteBuffer.wrap(hdr).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(108, 0f);
        hdr[344] = 'n';
        hdr[345] = 'i';
        hdr[346] = '1';
        hdr[347] = 0;
        Path h = dir.resolve("pair.hdr"), i = dir.resolve("pair.img");
        java.nio.file.Files.write(h, hdr);
        java.nio.file.Files.write(i, java.util.Arrays.copyOfRange(all, voxOffset, all.length));
        float[] want = VolumeArrays.copyOf(NiftiReader.read(nii).data());
        try (org.scijava.Context ctx = new org.scijava.Context(org.scijava.io.IOService.class)) {
            org.scijava.io.IOService io = ctx.service(org.scijava.io.IOService.class);
            for (Path p : new Path[] {h, i}) {
                ImagePlus imp = assertInstanceOf(ImagePlus.class, io.open(p.toString()), p.toString());
                assertArrayEquals(want, VolumeArrays.copyOf(ImagePlusConverter.toImg(imp)), 0f);
            }
        }
    }

    @Test
    void jythonOpensNiftiToo() throws Exception {
        Path in = input(Geometry.ofVoxelSize(2, 2, 2).withTr(1.5));
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("input", in.toFile());
        Object image;
        try (ScriptHarness h = new ScriptHarness()) {
            image = h.run("src/test/resources/scripts/io_open_nifti.py", inputs).getOutput("image");
        }
        ImagePlus imp = assertInstanceOf(ImagePlus.class, image);
        assertArrayEquals(VolumeArrays.copyOf(NiftiReader.read(in).data()), VolumeArrays.copyOf(ImagePlusConverter.toImg(imp)), 0f);
    }
}
