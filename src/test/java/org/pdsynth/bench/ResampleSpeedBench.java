package org.pdsynth.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import net.imglib2.img.Img;
import net.imglib2.parallel.Parallelization;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Grid;
import org.pdsynth.volume.Resampler;

/**
 * Times {@link Resampler#trilinear} on an 8-channel volume (best of N after one warm-up), both
 * directions of the model pipeline: the input file onto the 4 mm model grid ({@link Grid#MNI_4MM})
 * and that result back onto the 2 mm grid ({@link Grid#MNI_2MM}); multi-threaded (ImgLib2's
 * default task executor) and single-threaded. Writes both results as NIfTI so
 * bench/resample_speed.py can compare them with scipy. Run by bench/resample-speed.sh.
 *
 * <p>Usage: {@code ResampleSpeedBench IN.nii OUT_DIR [repeats=5]}; prints key=value lines.
 */
public final class ResampleSpeedBench {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ResampleSpeedBench IN.nii OUT_DIR [repeats]");
            System.exit(2);
        }
        NiftiImage in = NiftiReader.read(Path.of(args[0]));
        Path out = Path.of(args[1]);
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Img<FloatType> down = Resampler.trilinear(in.data(), in.geometry(), Grid.MNI_4MM);
        Img<FloatType> up = Resampler.trilinear(down, Grid.MNI_4MM.geometry(), Grid.MNI_2MM);
        NiftiWriter.write(out.resolve("java_4mm.nii"), down, Grid.MNI_4MM.geometry());
        NiftiWriter.write(out.resolve("java_2mm.nii"), up, Grid.MNI_2MM.geometry());
        double downMt = best(() -> Resampler.trilinear(in.data(), in.geometry(), Grid.MNI_4MM), repeats);
        double upMt = best(() -> Resampler.trilinear(down, Grid.MNI_4MM.geometry(), Grid.MNI_2MM), repeats);
        double downSt = Parallelization.runSingleThreaded(
                () -> best(() -> Resampler.trilinear(in.data(), in.geometry(), Grid.MNI_4MM), repeats));
        double upSt = Parallelization.runSingleThreaded(
                () -> best(() -> Resampler.trilinear(down, Grid.MNI_4MM.geometry(), Grid.MNI_2MM), repeats));
        long[] d = new long[in.data().numDimensions()];
        in.data().dimensions(d);
        System.out.printf(Locale.ROOT, "shape=%s%n", java.util.Arrays.toString(d));
        System.out.printf(Locale.ROOT, "processors=%d%n", Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "down_seconds=%.5f%n", downMt);
        System.out.printf(Locale.ROOT, "up_seconds=%.5f%n", upMt);
        System.out.printf(Locale.ROOT, "down_single_seconds=%.5f%n", downSt);
        System.out.printf(Locale.ROOT, "up_single_seconds=%.5f%n", upSt);
    }

    private static double best(Callable<?> task, int repeats) throws Exception {
        task.call();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            task.call();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e9;
    }
}
