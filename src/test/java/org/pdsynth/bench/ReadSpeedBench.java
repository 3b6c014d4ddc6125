package org.pdsynth.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;

/**
 * Times {@link NiftiReader#read} (header + all voxels to float) on each file given, best of N
 * runs (default 3, or system property {@code bench.runs}). Run by {@code bench/read-speed.sh},
 * which times nibabel on the same files in the same run and prints the ratios.
 *
 * <p>Output, one line per file: {@code java<TAB>file<TAB>best seconds<TAB>all runs<TAB>voxels}.
 */
public final class ReadSpeedBench {
    private ReadSpeedBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ReadSpeedBench file.nii[.gz]...");
            System.exit(2);
        }
        int runs = Integer.getInteger("bench.runs", 3);
        for (String a : args) {
            Path f = Path.of(a);
            double[] t = new double[runs];
            long voxels = 0;
            double check = 0;
            for (int r = 0; r < runs; r++) {
                System.gc();
                long t0 = System.nanoTime();
                NiftiImage img = NiftiReader.read(f);
                t[r] = (System.nanoTime() - t0) / 1e9;
                voxels = img.header().voxelCount();
                // touch the data so nothing can be skipped: the last voxel
                RandomAccess<FloatType> ra = img.data().randomAccess();
                long[] last = img.data().maxAsLongArray();
                ra.setPosition(last);
                check += ra.get().get();
            }
            double best = Arrays.stream(t).min().orElseThrow();
            String all = String.join(",", Arrays.stream(t).mapToObj(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
            System.out.printf(Locale.ROOT, "java\t%s\t%.4f\t%s\t%d\t%s%n", f, best, all, voxels, check == check ? "ok" : "nan");
        }
    }
}
