package org.pdsynth.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.VolumeMetrics;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.DoubleType;
import org.pdsynth.nifti.NiftiReader;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * PSNR, SSIM (3-D, scikit-image's Gaussian definition) and MAE of a test volume against a
 * reference, per channel and averaged, on volumes scaled to [0, 1] by the reference's range.
 */
@Plugin(type = Command.class, menuPath = "Plugins>PDS>Measure PSNR/SSIM", headless = true,
        description = "PSNR, SSIM and MAE of a synthetic volume against the real one")
public class MetricsCommand extends PdsCommand {
    @Parameter(label = "Reference (ground truth)", description = "3-D or 4-D NIfTI: the real volume", persist = false)
    private File reference;

    @Parameter(label = "Test (synthetic)", description = "NIfTI on the same grid as the reference", persist = false)
    private File test;

    @Parameter(label = "Brain mask", description = "optional 3-D mask (nonzero = inside) for masked metrics",
            required = false, persist = false)
    private File mask;

    @Parameter(label = "JSON output", description = "print one JSON object instead of text", required = false,
            persist = false)
    private boolean json;

    @Parameter(type = ItemIO.OUTPUT, label = "Metrics")
    private String metrics;

    @Override
    public void run() {
        try {
            // double precision: int32 and float64 volumes are compared exactly, not as float32
            Img<DoubleType> ref = NiftiReader.readDoubles(reference.toPath());
            Img<DoubleType> tst = NiftiReader.readDoubles(test.toPath());
            Img<DoubleType> msk = mask == null ? null : NiftiReader.readDoubles(mask.toPath());
            MetricsReport r;
            try {
                r = VolumeMetrics.compare(ref, tst, msk);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(reference + " vs " + test + ": " + e.getMessage(), e);
            }
            metrics = json ? r.toJson() : r.toText();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
