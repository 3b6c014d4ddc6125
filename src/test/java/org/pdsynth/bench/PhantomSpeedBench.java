package org.pdsynth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdsynth.phantom.AnatomySource;
import org.pdsynth.phantom.PhantomCohort;
import org.pdsynth.phantom.PhantomOptions;

/**
 * Speed of the phantom simulator: wall time per subject at a given grid, measured from the
 * progress callbacks of {@link PhantomCohort#simulate} (template build reported separately), and as
 * a ratio to a reference measured in the same run: writing the same subject's fMRI and DWI
 * volumes (already in memory) with NiftiWriter, i.e. the output I/O floor.
 *
 * <p>Usage: {@code PhantomSpeedBench [grid=2mm] [subjects=2] [threads=2] [anatomy=AUTO] [atlasDir]}.
 * Prints one line per measured quantity. The first subject includes JIT warm-up; the table reports
 * every subject and the median of the later ones.
 */
public final class PhantomSpeedBench {
    public static void main(String[] args) throws Exception {
        String grid = args.length > 0 ? args[0] : "2mm";
        int subjects = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        AnatomySource anatomy = args.length > 3 ? AnatomySource.valueOf(args[3]) : AnatomySource.AUTO;
        Path atlas = args.length > 4 ? Paths.get(args[4]) : null;
        Path work = Files.createTempDirectory("pds-phantom-bench");
        Path out = work.resolve("cohort");
        PhantomOptions o = PhantomOptions.defaults(out).withGrid(grid).withSubjects(subjects).withThreads(threads)
                .withAnatomy(anatomy).withAtlasDir(atlas).withWriteTruth(false);
        List<Long> stamps = new ArrayList<>();
        long t0 = System.nanoTime();
        PhantomCohort.Result r = PhantomCohort.simulate(o, (done, total, msg) -> {
            stamps.add(System.nanoTime());
            System.err.println("  [" + done + "/" + total + "] " + msg);
        }, null);
        long t1 = System.nanoTime();
        // stamps: 0 = start, 1 = template ready, 2.. = subject k written, last = moved
        double template = (stamps.get(1) - stamps.get(0)) / 1e9;
        System.out.printf(Locale.ROOT, "grid %s, threads %d, anatomy: %s%n", grid, threads, r.anatomy());
        System.out.printf(Locale.ROOT, "template build + cohort files: %.2f s%n", template);
        List<Double> per = new ArrayList<>();
        for (int k = 0; k < subjects; k++) {
            double s = (stamps.get(2 + k) - stamps.get(1 + k)) / 1e9;
            per.add(s);
            System.out.printf(Locale.ROOT, "subject %d: %.2f s%n", k + 1, s);
        }
        List<Double> later = new ArrayList<>(per.subList(Math.min(1, per.size() - 1), per.size()));
        later.sort(null);
        double median = later.get(later.size() / 2);
        System.out.printf(Locale.ROOT, "median subject (after the first): %.2f s%n", median);
        System.out.printf(Locale.ROOT, "total: %.2f s%n", (t1 - t0) / 1e9);

        // reference: re-write subject 1's volumes (read back into memory) with NiftiWriter
        Path s1 = out.resolve(r.subjects().get(0).id());
        var fmri = org.pdsynth.nifti.NiftiReader.read(s1.resolve("fmri.nii.gz"));
        var dwi = org.pdsynth.nifti.NiftiReader.read(s1.resolve("dwi.nii.gz"));
        long w0 = System.nanoTime();
        org.pdsynth.nifti.NiftiWriter.write(work.resolve("ref-fmri.nii.gz"), fmri.data(), fmri.geometry(), fmri.header(), org.pdsynth.nifti.NiftiDatatype.INT16);
        org.pdsynth.nifti.NiftiWriter.write(work.resolve("ref-dwi.nii.gz"), dwi.data(), dwi.geometry(), dwi.header(), org.pdsynth.nifti.NiftiDatatype.INT16);
        double ref = (System.nanoTime() - w0) / 1e9;
        System.out.printf(Locale.ROOT, "reference (NiftiWriter int16 gz of the same fMRI + DWI): %.2f s%n", ref);
        System.out.printf(Locale.ROOT, "ratio median subject / reference write: %.2f%n", median / ref);
        System.out.printf(Locale.ROOT, "sizes: fmri %.1f MB, dwi %.1f MB%n", Files.size(s1.resolve("fmri.nii.gz")) / 1e6,
                Files.size(s1.resolve("dwi.nii.gz")) / 1e6);
        try (var w = Files.walk(work)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
