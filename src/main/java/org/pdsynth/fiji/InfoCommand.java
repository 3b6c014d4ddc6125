package org.pdsynth.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.pdsynth.nifti.ImageSummary;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Prints a NIfTI file's dims, datatype, voxel size, affine, TR and value statistics. */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>NIfTI Info", headless = true,
        description = "Dims, datatype, voxel size, affine, TR and min/max/mean of a NIfTI image")
public class InfoCommand extends PdsCommand {
    @Parameter(label = "NIfTI file", description = "a .nii, .nii.gz or .hdr/.img image", persist = false)
    private File input;

    @Parameter(label = "JSON output", description = "print one JSON object instead of text", required = false,
            persist = false)
    private boolean json;

    @Parameter(type = ItemIO.OUTPUT, label = "Info")
    private String info;

    @Override
    public void run() {
        try {
            ImageSummary s = ImageSummary.read(input.toPath());
            info = json ? s.toJson() : s.toText();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
