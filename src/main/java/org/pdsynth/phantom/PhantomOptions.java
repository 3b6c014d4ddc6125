package org.pdsynth.phantom;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.pdsynth.volume.Grid;

/**
 * What {@link PhantomCohort#simulate} generates. Start from {@link #defaults(Path)} and change
 * fields with the {@code with...} copies; {@link #validate()} checks everything before any file is
 * written.
 *
 * @param outDir the cohort folder to create (must not exist, or be empty); written through a
 *     temporary sibling and renamed into place at the end
 * @param subjects number of subjects (labels NC/MCI/AD balanced), default 60
 * @param seed random seed; the same options give byte-identical output
 * @param grid "2mm" (91x109x91) or "4mm" (48x56x48, default) MNI grid
 * @param timepoints fMRI volumes (>= 8), default 120
 * @param tr fMRI repetition time in seconds, default 2
 * @param directions diffusion-weighted directions (>= 6), default 32
 * @param extraB0 b=0 volumes besides the first one, interleaved, default 2
 * @param bvalue b-value of the diffusion-weighted volumes in s/mm^2, default 1000
 * @param fmriSnr thermal-noise SNR of the fMRI: noise sd = grey-matter baseline / fmriSnr
 *     (default 100; {@code Double.POSITIVE_INFINITY} = no thermal noise)
 * @param dwiSnr SNR of the b0 in white matter: Rician noise sigma = white-matter b0 / dwiSnr
 *     (default 30; {@code Double.POSITIVE_INFINITY} = no noise)
 * @param atlasDir folder with the MNI atlases; null = system property {@code pds.data}, else
 *     environment variable {@code PDS_DATA}, else {@code <cwd>/test-data}
 * @param anatomy atlas, procedural brain or automatic choice (default AUTO)
 * @param threads worker threads (0 = available processors); output does not depend on it
 * @param writeTruth also write the ground-truth maps and latent parameters under
 *     {@code sub-XXX/truth/} (default true)
 * @param model tissue, signal and disease parameters
 */
public record PhantomOptions(Path outDir, int subjects, long seed, String grid, int timepoints, double tr,
        int directions, int extraB0, double bvalue, double fmriSnr, double dwiSnr, Path atlasDir,
        AnatomySource anatomy, int threads, boolean writeTruth, PhantomModel model) {

    /** Default options writing to {@code outDir}. */
    public static PhantomOptions defaults(Path outDir) {
        return new PhantomOptions(outDir, 60, 1, "4mm", 120, 2.0, 32, 2, 1000, 100, 30, null, AnatomySource.AUTO, 0,
                true, PhantomModel.defaults());
    }

    public PhantomOptions withOutDir(Path v) {
        return new PhantomOptions(v, subjects, seed, grid, timepoints, tr, directions, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withSubjects(int v) {
        return new PhantomOptions(outDir, v, seed, grid, timepoints, tr, directions, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withSeed(long v) {
        return new PhantomOptions(outDir, subjects, v, grid, timepoints, tr, directions, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withGrid(String v) {
        return new PhantomOptions(outDir, subjects, seed, v, timepoints, tr, directions, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withTimepoints(int v) {
        return new PhantomOptions(outDir, subjects, seed, grid, v, tr, directions, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withTr(double v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, v, directions, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withDirections(int v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, tr, v, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withExtraB0(int v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, tr, directions, v, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withBvalue(double v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, tr, directions, extraB0, v, fmriSnr, dwiSnr, atlasDir, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withFmriSnr(double v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, tr, directions, extraB0, bvalue, v, dwiSnr, atlasDir, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withDwiSnr(double v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, tr, directions, extraB0, bvalue, fmriSnr, v, atlasDir, anatomy, threads, writeTruth, model);
    }

    /**
     * The same cohort without thermal noise (fMRI and DWI SNR infinite): with the same seed and
     * other options every subject has the same anatomy, disease parameters, brain mask, BOLD
     * signals, drift and physiological fluctuations, and DWI tensors; only the thermal (fMRI) and
     * Rician (DWI) noise is absent. The noise-free truth that fidelity and sharpness are measured
     * against (docs/experiment.md).
     */
    public PhantomOptions noiseFree() {
        return withFmriSnr(Double.POSITIVE_INFINITY).withDwiSnr(Double.POSITIVE_INFINITY);
    }

    public PhantomOptions withAtlasDir(Path v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, tr, directions, extraB0, bvalue, fmriSnr, dwiSnr, v, anatomy, threads, writeTruth, model);
    }

    public PhantomOptions withAnatomy(AnatomySource v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, tr, directions, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, v, threads, writeTruth, model);
    }

    public PhantomOptions withThreads(int v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, tr, directions, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, v, writeTruth, model);
    }

    public PhantomOptions withWriteTruth(boolean v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, tr, directions, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, threads, v, model);
    }

    public PhantomOptions withModel(PhantomModel v) {
        return new PhantomOptions(outDir, subjects, seed, grid, timepoints, tr, directions, extraB0, bvalue, fmriSnr, dwiSnr, atlasDir, anatomy, threads, writeTruth, v);
    }

    /** The atlas folder: {@link #atlasDir()}, else {@code pds.data}, else {@code PDS_DATA}, else {@code <cwd>/test-data}. */
    public Path resolvedAtlasDir() {
        if (atlasDir != null) return atlasDir;
        String p = System.getProperty("pds.data");
        if (p != null && !p.isBlank()) return Paths.get(p);
        String e = System.getenv("PDS_DATA");
        if (e != null && !e.isBlank()) return Paths.get(e);
        return Paths.get("").toAbsolutePath().resolve("test-data");
    }

    /** Worker threads to use. */
    int threadCount() {
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Checks every option; throws {@link IllegalArgumentException} with a one-line message naming
     * the option (or folder) and what is wrong.
     */
    public void validate() {
        if (outDir == null) throw new IllegalArgumentException("output directory is required");
        if (subjects < 1) throw new IllegalArgumentException("subjects must be >= 1, got " + subjects);
        if (subjects > 99999) throw new IllegalArgumentException("subjects must be <= 99999, got " + subjects);
        if (grid == null) throw new IllegalArgumentException("grid is required; use 2mm or 4mm");
        Grid.named(grid);
        checkSeries();
        checkOutDir(outDir);
    }

    /** Checks the options that do not concern the grid or the output folder. */
    void checkSeries() {
        if (timepoints < 8) throw new IllegalArgumentException("timepoints must be >= 8, got " + timepoints);
        if (!(tr > 0) || !Double.isFinite(tr)) throw new IllegalArgumentException("tr must be a positive number of seconds, got " + tr);
        if (directions < 6) throw new IllegalArgumentException("directions must be >= 6, got " + directions);
        if (directions > 1000) throw new IllegalArgumentException("directions must be <= 1000, got " + directions);
        if (extraB0 < 0) throw new IllegalArgumentException("extra b0 volumes must be >= 0, got " + extraB0);
        if (!(bvalue > 0) || !Double.isFinite(bvalue)) throw new IllegalArgumentException("b-value must be > 0 s/mm^2, got " + bvalue);
        if (!(fmriSnr > 0)) throw new IllegalArgumentException("fMRI SNR must be > 0 (Infinity = no noise), got " + fmriSnr);
        if (!(dwiSnr > 0)) throw new IllegalArgumentException("DWI SNR must be > 0 (Infinity = no noise), got " + dwiSnr);
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = all processors), got " + threads);
        if (anatomy == null) throw new IllegalArgumentException("anatomy source is required (AUTO, ATLAS or PROCEDURAL)");
        if (model == null) throw new IllegalArgumentException("model parameters are required");
    }

    static void checkOutDir(Path outDir) {
        Path out = outDir.toAbsolutePath().normalize();
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) throw new IllegalArgumentException("output directory " + out + " exists and is not a directory");
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) throw new IllegalArgumentException("output directory " + out + " exists and is not empty");
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("output directory " + out + " cannot be read: " + e.getMessage());
            }
        }
        Path parent = out.getParent();
        if (parent == null) throw new IllegalArgumentException("output directory " + out + " has no parent folder");
        Path p = parent;
        while (p != null && !Files.exists(p)) p = p.getParent();
        if (p == null || !Files.isDirectory(p) || !Files.isWritable(p))
            throw new IllegalArgumentException("output directory " + out + ": " + (p == null ? parent : p) + " is not a writable directory");
    }
}
