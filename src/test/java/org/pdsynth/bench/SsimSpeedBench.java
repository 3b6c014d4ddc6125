package org.pdsynth.bench;

import java.nio.file.Path;
import java.util.Locale;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.metrics.MetricsReport;
import org.pdsynth.metrics.Ssim;
import org.pdsynth.metrics.VolumeMetrics;
import org.pdsynth.nifti.NiftiReader;

/**
 * Times our 3-D SSIM on two volumes (best of N after one warm-up run). Run by bench/ssim-speed.sh,
 * which times scikit-image on the same files and prints the ratio.
 *
 * <p>Usage: {@code SsimSpeedBench REF.nii TEST.nii [repeats=3]}. Prints {@code key=value} lines:
 * ssim_seconds (Ssim.ssim3d on the raw float volumes, data range = reference max - min, including
 * the copy to double), compare_seconds (VolumeMetrics.compare: scaling, SSIM, PSNR, MAE), the
 * values, and the number of processors.
 */
public final class SsimSpeedBench {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SsimSpeedBench REF.nii TEST.nii [repeats]");
            System.exit(2);
        }
        Img<FloatType> ref = NiftiReader.read(Path.of(args[0])).data();
        Img<FloatType> test = NiftiReader.read(Path.of(args[1])).data();
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (FloatType v : ref) {
            min = Math.min(min, v.get());
            max = Math.max(max, v.get());
        }
        double range = (double) max - (double) min;

        double ssim = Ssim.ssim3d(ref, test, range); // warm-up
        long best = Long.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            ssim = Ssim.ssim3d(ref, test, range);
            best = Math.min(best, System.nanoTime() - t0);
        }
        MetricsReport report = VolumeMetrics.compare(ref, test); // warm-up
        long bestCompare = Long.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            report = VolumeMetrics.compare(ref, test);
            bestCompare = Math.min(bestCompare, System.nanoTime() - t0);
        }
        System.out.printf(Locale.ROOT, "shape=%dx%dx%d%n", ref.dimension(0), ref.dimension(1), ref.dimension(2));
        System.out.printf(Locale.ROOT, "processors=%d%n", Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "ssim=%.15f%n", ssim);
        System.out.printf(Locale.ROOT, "ssim_seconds=%.4f%n", best / 1e9);
        System.out.printf(Locale.ROOT, "compare_ssim=%.15f%n", report.ssim());
        System.out.printf(Locale.ROOT, "compare_psnr=%.12f%n", report.psnr());
        System.out.printf(Locale.ROOT, "compare_seconds=%.4f%n", bestCompare / 1e9);
    }
}
