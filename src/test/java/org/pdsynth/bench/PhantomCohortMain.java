package org.pdsynth.bench;

import java.nio.file.Paths;
import org.pdsynth.phantom.AnatomySource;
import org.pdsynth.phantom.PhantomCohort;
import org.pdsynth.phantom.PhantomOptions;

/**
 * Generates a phantom cohort for the check scripts in bench/phantom/ (until {@code pds simulate}
 * exists). Arguments: {@code out=DIR [subjects=N] [seed=S] [grid=4mm] [anatomy=AUTO] [atlas=DIR]
 * [dwiSnr=30|Infinity] [fmriSnr=100] [timepoints=120] [threads=0]}.
 */
public final class PhantomCohortMain {
    public static void main(String[] args) throws Exception {
        PhantomOptions o = PhantomOptions.defaults(null);
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("expected key=value, got " + a);
            String k = a.substring(0, eq), v = a.substring(eq + 1);
            o = switch (k) {
                case "out" -> o.withOutDir(Paths.get(v));
                case "subjects" -> o.withSubjects(Integer.parseInt(v));
                case "seed" -> o.withSeed(Long.parseLong(v));
                case "grid" -> o.withGrid(v);
                case "anatomy" -> o.withAnatomy(AnatomySource.valueOf(v));
                case "atlas" -> o.withAtlasDir(Paths.get(v));
                case "dwiSnr" -> o.withDwiSnr(Double.parseDouble(v));
                case "fmriSnr" -> o.withFmriSnr(Double.parseDouble(v));
                case "timepoints" -> o.withTimepoints(Integer.parseInt(v));
                case "threads" -> o.withThreads(Integer.parseInt(v));
                default -> throw new IllegalArgumentException("unknown option " + k);
            };
        }
        long t0 = System.nanoTime();
        PhantomCohort.Result r = PhantomCohort.simulate(o, (done, total, msg) -> System.err.println("[" + done + "/" + total + "] " + msg), null);
        System.err.printf("%d subjects in %.1f s: %s%n", r.subjects().size(), (System.nanoTime() - t0) / 1e9, r.manifest());
    }
}
