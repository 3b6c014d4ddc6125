package org.pdsynth.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.VolumeMetrics;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * PSNR, SSIM (3-D, scikit-image's Gaussian definition) and MAE of a test volume against a
 * reference, per channel and averaged, on volumes scaled to [0, 1] by the reference's range.
 * Per-channel PSNR and SSIM are ImageJ plots ({@link Plots#perChannel}): shown in Fiji, written as
 * PNG + CSV with {@code --plots PREFIX}.
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

    @Parameter(label = "Plots", description = "file name prefix: writes PREFIX-psnr.png/.csv and PREFIX-ssim.png/.csv "
            + "(per-channel ImageJ plots; in Fiji they are also shown)", required = false, persist = false)
    private File plots;

    @Parameter(type = ItemIO.OUTPUT, label = "Metrics")
    private String metrics;

    @Override
    public void run() {
        try {
            NiftiImage ref = NiftiReader.read(reference.toPath());
            NiftiImage tst = NiftiReader.read(test.toPath());
            NiftiImage msk = mask == null ? null : NiftiReader.read(mask.toPath());
            MetricsReport r;
            try {
                r = VolumeMetrics.compare(ref.data(), tst.data(), msk == null ? null : msk.data());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(reference + " vs " + test + ": " + e.getMessage(), e);
            }
            metrics = json ? r.toJson() : r.toText();
            if (r.channels().size() > 0 && (plots != null || Plots.interactive())) {
                String name = NiftiFiles.baseName(test.toPath());
                for (String metric : new String[] {"psnr", "ssim"}) {
                    ij.gui.Plot p = Plots.perChannel(name, r, metric);
                    if (plots != null) Plots.save(p, plots.toPath().resolveSibling(plots.getName() + "-" + metric + ".png"));
                    Plots.show(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
