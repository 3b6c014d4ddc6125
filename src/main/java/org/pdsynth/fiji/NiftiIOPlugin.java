package org.pdsynth.fiji;

import ij.ImagePlus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.pdsynth.fiji.ImagePlusConverter.FourthAxis;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;
import org.scijava.Priority;
import org.scijava.io.AbstractIOPlugin;
import org.scijava.io.IOPlugin;
import org.scijava.io.location.FileLocation;
import org.scijava.io.location.Location;
import org.scijava.plugin.Plugin;

/**
 * NIfTI through SciJava's IO service: {@code io.open("sub/fmri.nii.gz")} in a Groovy/Jython
 * script (and anything built on the IOService) reads {@code .nii}, {@code .nii.gz},
 * {@code .hdr}/{@code .img} (also gzipped) with our reader ({@link NiftiReader}: NIfTI-1/2, either byte order,
 * scaling applied) and returns the calibrated hyperstack of {@link ImagePlusConverter} (the 4th
 * axis as frames when the header has a TR, as channels otherwise). {@code io.save(imp, "x.nii.gz")}
 * writes an ImagePlus as float32 NIfTI-1 ({@code .nii} or {@code .nii.gz}) atomically, with the
 * geometry it was opened with, so the affine and voxel order round-trip exactly.
 *
 * <p>Priority above normal, so these extensions come to this plugin before the general image
 * openers of a Fiji installation (SCIFIO), which show NIfTI in storage order without world
 * coordinates.
 */
@Plugin(type = IOPlugin.class, priority = Priority.HIGH)
public class NiftiIOPlugin extends AbstractIOPlugin<ImagePlus> {
    @Override
    public Class<ImagePlus> getDataType() {
        return ImagePlus.class;
    }

    @Override
    public boolean supportsOpen(Location source) {
        String n = name(source);
        if (n == null) return false;
        for (String ext : new String[] {".nii", ".nii.gz", ".hdr", ".img", ".hdr.gz", ".img.gz"})
            if (n.endsWith(ext)) return true;
        return false;
    }

    @Override
    public boolean supportsSave(Location destination) {
        String n = name(destination);
        return n != null && (n.endsWith(".nii") || n.endsWith(".nii.gz"));
    }

    @Override
    public boolean supportsSave(Object data, Location destination) {
        return data instanceof ImagePlus && supportsSave(destination);
    }

    @Override
    public ImagePlus open(Location source) throws IOException {
        Path p = file(source);
        NiftiImage img = NiftiReader.read(p);
        int nd = img.data().numDimensions();
        if (nd > 4) throw new IOException(p + ": " + nd + "-D image; a hyperstack holds up to 4-D");
        return ImagePlusConverter.toImagePlus(img.data(), img.geometry(), p.getFileName().toString(),
                Double.isNaN(img.geometry().tr()) ? FourthAxis.CHANNEL : FourthAxis.TIME);
    }

    @Override
    public void save(ImagePlus data, Location destination) throws IOException {
        Path p = file(destination);
        NiftiWriter.write(p, ImagePlusConverter.toImg(data), ImagePlusConverter.geometry(data));
    }

    private static String name(Location l) {
        if (!(l instanceof FileLocation f)) return null;
        return f.getFile().getName().toLowerCase(Locale.ROOT);
    }

    private static Path file(Location l) throws IOException {
        if (!(l instanceof FileLocation f)) throw new IOException(l + ": NIfTI is read from and written to files only");
        File file = f.getFile();
        return file.toPath();
    }
}
