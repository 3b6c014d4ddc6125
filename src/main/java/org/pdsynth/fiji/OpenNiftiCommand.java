package org.pdsynth.fiji;

import ij.ImagePlus;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.pdsynth.fiji.ImagePlusConverter.FourthAxis;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Opens a NIfTI file as a calibrated ImageJ hyperstack (4th axis as frames or channels). */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Open NIfTI", headless = true,
        description = "Open a .nii/.nii.gz/.hdr image as a calibrated hyperstack")
public class OpenNiftiCommand extends PdsCommand {
    @Parameter(label = "NIfTI file", description = "a .nii, .nii.gz or .hdr/.img image", persist = false)
    private File input;

    @Parameter(label = "4th axis", description = "time for fMRI; channels for DWI volumes or aligned channels",
            choices = {"time", "channels"}, required = false, persist = false)
    private String fourthAxis = "time";

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus image;

    @Override
    public void run() {
        try {
            NiftiImage img = NiftiReader.read(input.toPath());
            if (img.data().numDimensions() > 4)
                throw new IllegalArgumentException(input + ": " + img.data().numDimensions() + "-D image; a hyperstack holds up to 4-D");
            image = ImagePlusConverter.toImagePlus(img.data(), img.geometry().requireUsable(input.toPath()), input.getName(),
                    "channels".equals(fourthAxis) ? FourthAxis.CHANNEL : FourthAxis.TIME);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
