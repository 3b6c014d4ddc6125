package org.pdsynth.fiji;

import ij.ImagePlus;
import java.io.File;
import java.util.Locale;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.fiji.ImagePlusConverter.FourthAxis;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Segmenter;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * The alignment of DESIGN 4.1 on the image's own grid: a 4-D fMRI (time) or DWI (gradients, with
 * bval/bvec) becomes N channels, each the mean of one contiguous segment of the ordered 4th axis.
 */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Align to N Channels", headless = true,
        description = "Average a 4-D fMRI or DWI series into N channels (the model's input form)")
public class AlignCommand extends PdsCommand {
    @Parameter(label = "Input NIfTI", description = "4-D fMRI or DWI", persist = false)
    private File input;

    @Parameter(label = "bval", description = "FSL bval: given means the input is a DWI", required = false, persist = false)
    private File bval;

    @Parameter(label = "bvec", required = false, persist = false)
    private File bvec;

    @Parameter(label = "Channels N", min = "1", required = false, persist = false)
    private int channels = Segmenter.DEFAULT_CHANNELS;

    @Parameter(label = "fMRI dummy volumes to skip", min = "0", required = false, persist = false)
    private int skip = 0;

    @Parameter(label = "dMRI grouping", choices = {"bvalue", "directions"}, required = false, persist = false)
    private String dwiGrouping = "bvalue";

    @Parameter(label = "Output NIfTI", style = "save", required = false, persist = false)
    private File out;

    @Parameter(type = ItemIO.OUTPUT, label = "Aligned")
    private ImagePlus aligned;

    @Parameter(type = ItemIO.OUTPUT, label = "Report")
    private String report;

    @Override
    public void run() {
        try {
            new OutputGuard().input("--input", input).input("--bval", bval).input("--bvec", bvec).check("--out", out);
            NiftiImage img = NiftiReader.read(input.toPath());
            // everything that can fail happens before the output is written
            Geometry g = img.geometry().requireUsable(input.toPath()).withTr(Double.NaN);
            Segmenter seg = new Segmenter(channels, skip, Segmenter.DwiGrouping.parse(dwiGrouping));
            boolean dwi = bval != null;
            if (dwi && bvec == null) throw new UsageError(input + ": a DWI input needs bvec as well as bval");
            Img<FloatType> a = dwi ? seg.dwi(img.data(), GradientTable.read(bval.toPath(), bvec.toPath()), input.toString())
                    : seg.fmri(img.data(), input.toString());
            ImagePlus imp = ImagePlusConverter.toImagePlus(a, g, img.baseName() + "-" + channels + "ch", FourthAxis.CHANNEL);
            if (out != null) NiftiWriter.write(out.toPath(), a, g);
            aligned = imp;
            completed();
            report = String.format(Locale.ROOT, "%s (%s, %d volumes) -> %d channels%s", input, dwi ? "dwi" : "fmri",
                    img.data().numDimensions() > 3 ? img.data().dimension(3) : 1, channels, out == null ? "" : "; wrote " + out);
        } catch (Exception e) {
            throw failure(e);
        }
    }
}
