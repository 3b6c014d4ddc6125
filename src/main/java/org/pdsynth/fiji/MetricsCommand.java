package org.pdsynth.fiji;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.Microstructure;
import org.pdsynth.metrics.Sharpness;
import org.pdsynth.metrics.TensorFit;
import org.pdsynth.metrics.VolumeMetrics;
import org.pdsynth.nifti.NiftiFiles;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.DoubleType;
import org.pdsynth.nifti.GradientTable;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.volume.Segmenter;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * PSNR, SSIM (3-D, scikit-image's Gaussian definition) and MAE of a test volume against a
 * reference, per channel and averaged, on volumes scaled to [0, 1] by the reference's range; the
 * test's sharpness relative to the reference (gradient and spectrum ratios, inside the mask when
 * one is given); with a gradient table, FA/MD errors in white matter after a tensor fit of both.
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

    @Parameter(label = "b-values", description = "optional FSL bval of the DWIs: adds FA/MD errors in white matter after a tensor fit",
            required = false, persist = false)
    private File bval;

    @Parameter(label = "b-vectors", description = "FSL bvec matching the b-values", required = false, persist = false)
    private File bvec;

    @Parameter(label = "DWI layout", description = "volumes: one bval/bvec entry per volume of the files; directions: the files are "
            + "N-channel DWIs aligned with dMRI grouping directions (pds align/synthesize) from a series with this bval/bvec",
            choices = {"volumes", "directions"}, required = false, persist = false)
    private String dwiLayout = "volumes";

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
            // double precision: int32 and float64 volumes are compared exactly, not as float32
            Img<DoubleType> ref = NiftiReader.readDoubles(reference.toPath());
            Img<DoubleType> tst = NiftiReader.readDoubles(test.toPath());
            Img<DoubleType> msk = mask == null ? null : NiftiReader.readDoubles(mask.toPath());
            if ((bval == null) != (bvec == null)) throw new IllegalArgumentException("give both --bval and --bvec, or neither");
            TensorFit fit = null;
            if (bval != null) {
                GradientTable table = GradientTable.read(bval.toPath(), bvec.toPath());
                try {
                    if (dwiLayout.equals("directions")) {
                        int n = ref.numDimensions() == 4 ? (int) ref.dimension(3) : 1;
                        Segmenter seg = Segmenter.defaults().withChannels(n).withGrouping(Segmenter.DwiGrouping.DIRECTIONS);
                        fit = TensorFit.ofGroups(table, seg.dwiGroups(table, bval.toString()), TensorFit.Method.WLS);
                    } else {
                        fit = TensorFit.of(table, TensorFit.Method.WLS);
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(bval + ": " + e.getMessage(), e);
                }
            }
            MetricsReport r;
            Sharpness sharp;
            Microstructure micro;
            try {
                r = VolumeMetrics.compare(ref, tst, msk);
                sharp = Sharpness.compare(ref, tst, msk);
                micro = fit == null ? null : Microstructure.compare(ref, tst, fit, msk);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(reference + " vs " + test + ": " + e.getMessage(), e);
            }
            if (json) {
                JsonObject o = r.toJsonObject();
                o.add("sharpness", sharp.toJsonObject());
                if (micro != null) o.add("microstructure", micro.toJsonObject());
                metrics = new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(o);
            } else {
                StringBuilder t = new StringBuilder(r.toText());
                t.append(String.format(Locale.ROOT, "sharpness relative to the reference%s: gradient ratio %.4f, spectrum ratio %.4f (1 = as detailed, < 1 blurrier)%n",
                        msk == null ? "" : " inside the mask", sharp.gradientRatio(), sharp.spectrumRatio()));
                if (micro != null)
                    t.append(String.format(Locale.ROOT, "tensor fit (WLS), white matter = reference FA > %.1f%s (%d voxels): FA error %.4f, MD error %.4g mm2/s"
                            + " (reference FA %.4f, test FA %.4f)%n", Microstructure.WM_FA, msk == null ? "" : " inside the mask", micro.wmVoxels(),
                            micro.faErrorWm(), micro.mdErrorWm(), micro.faReferenceWm(), micro.faTestWm()));
                metrics = t.toString();
            }
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
