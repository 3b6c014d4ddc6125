package org.pdsynth.workflow;

import org.pdsynth.diffusion.DdimSampler;
import java.io.IOException;
import org.pdsynth.diffusion.Sampling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Diagnosis;
import org.pdsynth.volume.Modality;
import org.pdsynth.volume.Subject;

/**
 * Fills the missing modalities of a cohort: for each subject of the manifest (of this shard), the
 * modality it lacks is synthesized from the one it has and written to
 * {@code OUT/<subject>/dwi_synth.nii.gz} or {@code fmri_synth.nii.gz} — the layout
 * {@code pds diagnose --synthetic OUT} reads. Outputs are written atomically, so a file that
 * exists is complete: a rerun skips it (restartable). Shard {@code i/n} (1-based) takes the
 * subjects with work to do ({@link #shardOf}), so n array jobs cover the cohort once, each with
 * at most ceil(m / n) of its m such subjects. Shards share no file: n of them may run at once on
 * one output folder (a shared file system included).
 * A subject that fails (an unreadable file, an output path that is one of its inputs) does not
 * stop the run: it is reported as a {@link #FAILED} item with its reason, and the others go on.
 */
public final class CohortCompletion {
    /**
     * @param cohort   participants.csv
     * @param out      output folder
     * @param shard    1-based shard index
     * @param shards   number of shards (1 = all subjects)
     * @param all      synthesize every subject's other modality, not only missing ones (for evaluation)
     * @param useLabel condition on the subject's label when known (else the null label; do not
     *                 use labels when the output feeds a diagnosis evaluation)
     * @param sampling sampling options
     */
    public record Options(Path cohort, Path out, int shard, int shards, boolean all, boolean useLabel, Sampling.Options sampling) {
        public Options {
            if (shards < 1 || shard < 1 || shard > shards)
                throw new IllegalArgumentException("shard must be i/n with 1 <= i <= n, got " + shard + "/" + shards);
        }
    }

    /** Status prefix of an item whose subject failed; the rest of the status is the one-line reason. */
    public static final String FAILED = "failed: ";

    /** What happened to one subject and modality. */
    public record Item(String subject, Modality synthesized, Path file, String status) {
        public boolean failed() {
            return status.startsWith(FAILED);
        }
    }

    /**
     * The one-line summary of the failed items ("2 of 5 subjects failed: sub-002: REASON; ..."),
     * or null when none failed.
     */
    public static String failures(List<Item> items) {
        List<String> failed = new ArrayList<>();
        java.util.Set<String> subjects = new java.util.LinkedHashSet<>();
        for (Item i : items) {
            subjects.add(i.subject());
            if (i.failed()) failed.add(i.subject() + " (" + i.synthesized().name().toLowerCase(java.util.Locale.ROOT) + "): "
                    + i.status().substring(FAILED.length()));
        }
        if (failed.isEmpty()) return null;
        return failed.size() + " of " + items.size() + " syntheses (" + subjects.size() + " subjects) failed: " + String.join("; ", failed);
    }

    private CohortCompletion() {}

    /** Parses "i/n" (e.g. "3/10"). */
    public static int[] parseShard(String s) {
        String[] p = s.trim().split("/");
        try {
            if (p.length == 2) return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("shard '" + s + "' is not of the form i/n, e.g. 1/4");
    }

    /** Output file of a subject's synthesized modality. */
    public static Path outputFile(Path out, String subject, Modality target) {
        return out.resolve(subject).resolve((target == Modality.DWI ? "dwi" : "fmri") + "_synth.nii.gz");
    }

    /**
     * The subjects of shard {@code shard/shards}: the manifest's subjects with work to do (a
     * modality to synthesize from the other: the missing one, or with {@code all} either one),
     * numbered k = 0, 1, ... in manifest order; the shard takes those with k mod shards = shard - 1.
     * Numbering only the subjects with work balances the shards (complete subjects, wherever they
     * sit in the manifest, count for none), and it depends on the manifest alone, not on what the
     * output folder holds, so a restarted or late shard takes the same subjects as before.
     */
    public static List<Subject> shardOf(Cohort c, int shard, int shards, boolean all) {
        List<Subject> mine = new ArrayList<>();
        int k = 0;
        for (Subject s : c.subjects()) {
            boolean work = s.hasFmri() && (all || !s.hasDwi()) || s.hasDwi() && (all || !s.hasFmri());
            if (work && k++ % shards == shard - 1) mine.add(s);
        }
        return mine;
    }

    /** Runs the completion with a loaded model; {@code log} gets one line per subject. */
    public static List<Item> run(Options o, Synthesizer model, Consumer<String> log, BooleanSupplier cancel) throws IOException {
        Cohort c = Cohort.read(o.cohort());
        List<Item> items = new ArrayList<>();
        List<Subject> mine = shardOf(c, o.shard(), o.shards(), o.all());
        int done = 0;
        for (Subject s : mine) {
            done++;
            for (Modality from : Modality.values()) {
                Modality target = from.other();
                boolean has = from == Modality.FMRI ? s.hasFmri() : s.hasDwi();
                boolean lacksTarget = target == Modality.FMRI ? !s.hasFmri() : !s.hasDwi();
                if (!has || !(lacksTarget || o.all())) continue;
                Path file = outputFile(o.out(), s.subject(), target);
                if (Files.isRegularFile(file)) {
                    items.add(new Item(s.subject(), target, file, "exists, skipped"));
                    log.accept(done + "/" + mine.size() + " " + s.subject() + ": " + file.getFileName() + " exists, skipped");
                    continue;
                }
                if (cancel != null && cancel.getAsBoolean()) return items;
                Diagnosis label = o.useLabel() ? s.label() : null;
                try {
                    for (Path in : new Path[] {s.fmri(), s.dwi(), s.bval(), s.bvec(), s.mask()})
                        if (in != null && file.toAbsolutePath().normalize().equals(in.toAbsolutePath().normalize()))
                            throw new IllegalArgumentException(file + ": the output is one of the subject's inputs; refusing to overwrite it");
                    Synthesizer.Output res = model.synthesize(new Synthesizer.Request(from, from == Modality.FMRI ? s.fmri() : s.dwi(),
                            s.bval(), s.bvec(), s.mask(), null, label, o.sampling().withSeedFor(s.subject(), target)), null, cancel);
                    Synthesizer.write(res, file);
                } catch (java.util.concurrent.CancellationException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    String why = e.getMessage() == null ? e.toString() : e.getMessage().strip().replace('\n', ' ');
                    items.add(new Item(s.subject(), target, file, FAILED + why));
                    log.accept(done + "/" + mine.size() + " " + s.subject() + ": FAILED: " + why);
                    continue;
                }
                items.add(new Item(s.subject(), target, file, "written"));
                log.accept(done + "/" + mine.size() + " " + s.subject() + ": wrote " + file);
            }
        }
        return items;
    }
}
