package org.pdsynth.phantom;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import net.imglib2.img.array.ArrayImgs;
import org.pdsynth.nifti.Geometry;
import org.pdsynth.nifti.NiftiDatatype;
import org.pdsynth.nifti.NiftiFiles;
import org.pdsynth.nifti.NiftiHeader;
import org.pdsynth.nifti.NiftiWriter;
import org.pdsynth.volume.Grid;

/**
 * Simulates a paired fMRI/dMRI phantom cohort (DESIGN.md section 5; model in docs/phantom.md).
 *
 * <p>Layout of the cohort folder:
 * <pre>
 *   participants.csv         subject,label,fmri,dwi,bval,bvec,mask,age,stage,atrophy,fa_change,dmn_connectivity
 *   atlas.nii.gz, atlas.txt  region labels on the grid (AAL or procedural), "index name" lines
 *   tracts.nii.gz, tracts.txt  white-matter tract labels (JHU or procedural)
 *   template_tissue.nii.gz   template tissue fractions (x, y, z, 3: GM, WM, CSF)
 *   phantom.json             options and model parameters used
 *   sub-XXX/fmri.nii.gz      BOLD (x, y, z, t), TR in pixdim[4]
 *   sub-XXX/dwi.nii.gz       DWI (x, y, z, volume); dwi.bval, dwi.bvec (FSL, see GradientScheme)
 *   sub-XXX/mask.nii.gz      brain mask (float32 0/1)
 *   sub-XXX/truth/           ground truth (float32): tissue.nii.gz (GM, WM, CSF), regions.nii.gz,
 *                            tracts.nii.gz, fibre.nii.gz (world-axis unit vectors, x, y, z, 3),
 *                            wm_fa.nii.gz, wm_md.nii.gz (white-matter compartment, mm^2/s), params.json
 * </pre>
 * fMRI and DWI are int16 with scl_slope 1 and scl_inter 0 (whole numbers in arbitrary units, as a
 * scanner stores them; 0 outside the brain mask); labels, masks and maps are float32.
 * Everything is written into a hidden temporary sibling folder that is renamed to the cohort folder
 * at the end: after an error or a cancel there is no cohort folder (and no temporary one).
 * Output is a pure function of the options: the same options give byte-identical files for any
 * thread count.
 */
public final class PhantomCohort {
    private PhantomCohort() {}

    /** What was written. */
    public record Result(Path dir, Path manifest, String anatomy, List<SubjectParameters> subjects) {}

    /**
     * Simulates the cohort described by {@code options}.
     *
     * @param options what to generate (validated first)
     * @param progress receives (done, total, message) after each step; may be null
     * @param cancel polled between steps; when it returns true the simulation stops, nothing is left
     *     behind and {@link CancellationException} is thrown; may be null
     * @return the cohort folder, its manifest, the anatomy used and every subject's parameters
     * @throws IllegalArgumentException for invalid options (before anything is written)
     * @throws IOException when writing fails (nothing is left behind)
     */
    public static Result simulate(PhantomOptions options, PhantomProgress progress, BooleanSupplier cancel) throws IOException {
        if (options == null) throw new IllegalArgumentException("options are required");
        options.validate();
        return simulate(options, Grid.named(options.grid()), progress, cancel);
    }

    /** As {@link #simulate(PhantomOptions, PhantomProgress, BooleanSupplier)} on any grid (tests use a tiny one). */
    static Result simulate(PhantomOptions o, Grid grid, PhantomProgress progress, BooleanSupplier cancel) throws IOException {
        if (o.outDir() == null) throw new IllegalArgumentException("output directory is required");
        if (o.subjects() < 1) throw new IllegalArgumentException("subjects must be >= 1, got " + o.subjects());
        o.checkSeries();
        PhantomOptions.checkOutDir(o.outDir());
        PhantomProgress prog = progress == null ? PhantomProgress.NONE : progress;
        BooleanSupplier stop = cancel == null ? () -> false : cancel;
        Path out = o.outDir().toAbsolutePath().normalize();
        int total = o.subjects() + 2;

        AnatomySource src = o.anatomy();
        Path atlasDir = o.resolvedAtlasDir();
        if (src == AnatomySource.AUTO) src = AtlasAnatomy.missing(atlasDir).isEmpty() ? AnatomySource.ATLAS : AnatomySource.PROCEDURAL;
        if (src == AnatomySource.ATLAS && !AtlasAnatomy.missing(atlasDir).isEmpty())
            throw new IllegalArgumentException("atlas folder " + atlasDir + " lacks " + String.join(", ", AtlasAnatomy.missing(atlasDir)));

        Files.createDirectories(out.getParent());
        Path tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".partial-");
        try {
            // a temporary folder is private (rwx------); the cohort folder gets the usual rwxr-xr-x
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
        }
        try (Slices slices = new Slices(o.threadCount())) {
            prog.update(0, total, "building the template anatomy (" + (src == AnatomySource.ATLAS ? "atlases in " + atlasDir : "procedural brain") + ")");
            Anatomy template = src == AnatomySource.ATLAS ? AtlasAnatomy.load(atlasDir, grid, slices) : ProceduralBrain.build(grid);
            checkCancel(stop);
            writeCohortFiles(tmp, template, o);
            List<SubjectParameters> subjects = SubjectParameters.cohort(o.seed(), o.subjects(), o.model());
            GradientScheme scheme = new GradientScheme(o.directions(), o.extraB0(), o.bvalue());
            prog.update(1, total, "template ready: " + template.description);
            for (SubjectParameters p : subjects) {
                checkCancel(stop);
                simulateSubject(tmp.resolve(p.id()), template, p, o, scheme, slices, stop);
                prog.update(2 + p.index(), total, p.id() + " (" + p.label() + ") written");
            }
            ParticipantsCsv.write(tmp.resolve("participants.csv"), subjects);
            checkCancel(stop);
            moveIntoPlace(tmp, out);
            prog.update(total, total, "cohort of " + subjects.size() + " subjects in " + out);
            return new Result(out, out.resolve("participants.csv"), template.description, List.copyOf(subjects));
        } catch (Throwable t) {
            deleteTree(tmp);
            throw t;
        }
    }

    private static void checkCancel(BooleanSupplier stop) {
        if (stop.getAsBoolean()) throw new CancellationException("phantom simulation cancelled");
    }

    /** Simulates and writes one subject into {@code dir}. */
    static void simulateSubject(Path dir, Anatomy template, SubjectParameters p, PhantomOptions o, GradientScheme scheme,
            Slices slices, BooleanSupplier stop) throws IOException {
        Files.createDirectories(dir);
        Grid grid = template.grid;
        long[] d3 = grid.dims();
        Phases time = new Phases(p.id());
        Anatomy s = SubjectAnatomy.warp(template, p, o.model(), slices);
        time.mark("warp");
        checkCancel(stop);
        float[] dwi = DwiSimulator.simulate(s, p, o, scheme, slices);
        time.mark("dwi simulate");
        write(dir.resolve(ParticipantsCsv.DWI), dwi, dims4(d3, scheme.volumes()), grid.geometry(), NiftiDatatype.INT16,
                "pds phantom " + p.id() + " DWI b=" + (int) o.bvalue());
        dwi = null;
        scheme.bvecs(detSign(grid.geometry().affine())).write(dir.resolve(ParticipantsCsv.BVAL), dir.resolve(ParticipantsCsv.BVEC));
        time.mark("dwi write");
        checkCancel(stop);
        float[] bold = BoldSimulator.simulate(s, p, o, slices);
        time.mark("fmri simulate");
        write(dir.resolve(ParticipantsCsv.FMRI), bold, dims4(d3, o.timepoints()), grid.geometry().withTr(o.tr()),
                NiftiDatatype.INT16, "pds phantom " + p.id() + " BOLD TR=" + o.tr() + "s");
        bold = null;
        time.mark("fmri write");
        float[] mask = new float[s.n];
        for (int i = 0; i < s.n; i++) mask[i] = s.inBrain(i) ? 1 : 0;
        write(dir.resolve(ParticipantsCsv.MASK), mask, d3, grid.geometry(), NiftiDatatype.FLOAT32, "pds phantom " + p.id() + " brain mask");
        if (o.writeTruth()) writeTruth(dir.resolve("truth"), s, p, o);
        time.mark("mask + truth write");
    }

    /** Wall time per phase, printed to stderr when the system property {@code pds.phantom.timing} is true. */
    private static final class Phases {
        private static final boolean ON = Boolean.getBoolean("pds.phantom.timing");
        private final String who;
        private long last = System.nanoTime();

        Phases(String who) {
            this.who = who;
        }

        void mark(String phase) {
            long now = System.nanoTime();
            if (ON) System.err.printf(java.util.Locale.ROOT, "%s %s: %.2f s%n", who, phase, (now - last) / 1e9);
            last = now;
        }
    }

    private static void writeTruth(Path dir, Anatomy s, SubjectParameters p, PhantomOptions o) throws IOException {
        Files.createDirectories(dir);
        Grid grid = s.grid;
        long[] d3 = grid.dims();
        Geometry g = grid.geometry();
        write(dir.resolve("tissue.nii.gz"), concat(s.gm, s.wm, s.csf), dims4(d3, 3), g, NiftiDatatype.FLOAT32, "GM WM CSF fractions");
        write(dir.resolve("regions.nii.gz"), toFloat(s.region), d3, g, NiftiDatatype.FLOAT32, "region labels (atlas.txt)");
        write(dir.resolve("tracts.nii.gz"), toFloat(s.tract), d3, g, NiftiDatatype.FLOAT32, "tract labels (tracts.txt)");
        float[] fib = new float[3 * s.n];
        for (int i = 0; i < s.n; i++) for (int c = 0; c < 3; c++) fib[i + c * s.n] = s.dir[3 * i + c];
        write(dir.resolve("fibre.nii.gz"), fib, dims4(d3, 3), g, NiftiDatatype.FLOAT32, "fibre direction, world axes");
        float[][] famd = wmFaMd(s, p, o.model());
        write(dir.resolve("wm_fa.nii.gz"), famd[0], d3, g, NiftiDatatype.FLOAT32, "white-matter compartment FA");
        write(dir.resolve("wm_md.nii.gz"), famd[1], d3, g, NiftiDatatype.FLOAT32, "white-matter compartment MD mm2/s");
        writeJson(dir.resolve("params.json"), gson().toJsonTree(p));
    }

    /** FA and MD of the white-matter compartment per voxel, as {@link DwiSimulator} uses them (0 where no WM). */
    static float[][] wmFaMd(Anatomy s, SubjectParameters p, PhantomModel model) {
        PhantomModel.Diffusion d = model.diffusion();
        boolean[] sick = s.tractNames.matching(model.disease().tracts());
        float[] fa = new float[s.n], md = new float[s.n];
        double sickFa = SubjectParameters.clip(d.tractFa() * (1 + p.faChange()), 0, 0.95), sickMd = d.tractMd() * (1 + p.mdChange());
        for (int i = 0; i < s.n; i++) {
            if (s.wm[i] <= 0 || !s.inBrain(i)) continue;
            boolean hasDir = s.dir[3 * i] != 0 || s.dir[3 * i + 1] != 0 || s.dir[3 * i + 2] != 0;
            int t = s.tract[i];
            if (!hasDir) {
                fa[i] = 0;
                md[i] = (float) d.wmMd();
            } else if (t == 0) {
                fa[i] = (float) d.wmFa();
                md[i] = (float) d.wmMd();
            } else if (t < sick.length && sick[t]) {
                fa[i] = (float) sickFa;
                md[i] = (float) sickMd;
            } else {
                fa[i] = (float) d.tractFa();
                md[i] = (float) d.tractMd();
            }
        }
        return new float[][] {fa, md};
    }

    private static void writeCohortFiles(Path dir, Anatomy t, PhantomOptions o) throws IOException {
        Geometry g = t.grid.geometry();
        long[] d3 = t.grid.dims();
        write(dir.resolve("atlas.nii.gz"), toFloat(t.region), d3, g, NiftiDatatype.FLOAT32, "region labels (atlas.txt)");
        t.regionNames.write(dir.resolve("atlas.txt"));
        write(dir.resolve("tracts.nii.gz"), toFloat(t.tract), d3, g, NiftiDatatype.FLOAT32, "tract labels (tracts.txt)");
        t.tractNames.write(dir.resolve("tracts.txt"));
        write(dir.resolve("template_tissue.nii.gz"), concat(t.gm, t.wm, t.csf), dims4(d3, 3), g, NiftiDatatype.FLOAT32, "GM WM CSF fractions");
        JsonObject j = new JsonObject();
        j.addProperty("subjects", o.subjects());
        j.addProperty("seed", o.seed());
        j.addProperty("grid", t.grid.dims()[0] + "x" + t.grid.dims()[1] + "x" + t.grid.dims()[2] + " @ " + g.voxelSize()[0] + " mm");
        j.addProperty("timepoints", o.timepoints());
        j.addProperty("tr_s", o.tr());
        j.addProperty("directions", o.directions());
        j.addProperty("extra_b0", o.extraB0());
        j.addProperty("bvalue_s_per_mm2", o.bvalue());
        j.addProperty("fmri_snr", o.fmriSnr());
        j.addProperty("dwi_snr", o.dwiSnr());
        j.addProperty("anatomy", t.description);
        j.add("model", gson().toJsonTree(o.model()));
        writeJson(dir.resolve("phantom.json"), j);
    }

    private static Gson gson() {
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();
    }

    private static void writeJson(Path file, com.google.gson.JsonElement json) throws IOException {
        NiftiFiles.writeAtomically(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            gson().toJson(json, w);
            w.write("\n");
            w.flush();
        });
    }

    private static long[] dims4(long[] d3, long n) {
        return new long[] {d3[0], d3[1], d3[2], n};
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int k = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    private static float[] toFloat(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = v[i];
        return f;
    }

    static double detSign(double[] a) {
        double det = a[0] * (a[5] * a[10] - a[6] * a[9]) - a[1] * (a[4] * a[10] - a[6] * a[8]) + a[2] * (a[4] * a[9] - a[5] * a[8]);
        return Math.signum(det);
    }

    private static void write(Path file, float[] data, long[] dims, Geometry g, NiftiDatatype type, String descrip) throws IOException {
        NiftiHeader h = new NiftiHeader();
        java.util.Arrays.fill(h.pixdim, 1);
        h.descrip = descrip.length() > 79 ? descrip.substring(0, 79) : descrip;
        if (type == NiftiDatatype.INT16) NiftiWriter.writeInt16(file, ArrayImgs.floats(data, dims), g, h, 1, 0);
        else NiftiWriter.write(file, ArrayImgs.floats(data, dims), g, h, type);
    }

    private static void moveIntoPlace(Path tmp, Path out) throws IOException {
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) throw new IOException("output directory " + out + " is no longer empty");
            }
        }
        try {
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException e) {
            Files.deleteIfExists(out);
            Files.move(tmp, out);
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the folder is hidden and named .partial
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
