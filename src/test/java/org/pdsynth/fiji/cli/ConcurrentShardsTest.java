package org.pdsynth.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.model.Engines;
import org.pdsynth.volume.Cohort;
import org.pdsynth.volume.Subject;
import org.pdsynth.workflow.TinyCohort;
import org.pdsynth.workflow.TinyModel;

/**
 * scripts/slurm/complete-cohort.sbatch run as array tasks 1-3 would run: three concurrent OS
 * processes ({@code pds complete --shard i/3}) on one output folder, beside a one-task array
 * ({@code --shard 1/1}) into another, on a 9-subject cohort where 8 subjects lack one modality. Shard 1 is killed (SIGKILL,
 * nothing can clean up) as soon as it reports its first output and is then restarted.
 *
 * <p>Checked: the sharded folder holds exactly the 8 missing modalities (nothing for the complete
 * subject, nothing of a modality a subject has), each byte for byte the serial run's (each
 * synthesis is seeded by the run's seed alone, so a subject's output does not depend on which
 * process or in which order it ran); the processes' write counts add up to 8 (so no file was
 * written twice); the restarted shard finds what it had finished ("already there", same inode and
 * mtime) and writes only the rest. Every process runs PyTorch with one thread: bit-reproducible
 * (see diffusion's SingleThreadTests). Wall time about 15-25 s on the 2-core development machine.
 */
class ConcurrentShardsTest {
    static final String SBATCH = "scripts/slurm/complete-cohort.sbatch";
    /** DDIM steps: enough that one subject outlasts the reaction to shard 1's first output. */
    private static final String STEPS = "20";

    @TempDir
    Path dir;

    @Test
    void threeConcurrentShardsWriteEachMissingModalityOnceAndEqualASerialRun() throws Exception {
        Path model = TinyModel.folder();
        Path full = TinyCohort.write(dir.resolve("cohort"), 9);
        // sub-01..sub-08 lack one modality (odd numbers their dwi, even ones their fmri); sub-09 is complete
        List<Subject> rows = new ArrayList<>();
        TreeSet<String> expected = new TreeSet<>();
        for (Subject s : Cohort.read(full).subjects()) {
            int p = rows.size();
            if (p < 8 && p % 2 == 0) {
                s = new Subject(s.subject(), s.label(), s.fmri(), null, null, null, null);
                expected.add(s.subject() + "/dwi_synth.nii.gz");
            } else if (p < 8) {
                s = new Subject(s.subject(), s.label(), null, s.dwi(), s.bval(), s.bvec(), null);
                expected.add(s.subject() + "/fmri_synth.nii.gz");
            }
            rows.add(s);
        }
        Path csv = dir.resolve("cohort/partial.csv");
        new Cohort(rows).write(csv);
        Path sharded = dir.resolve("sharded"), serial = dir.resolve("serial");
        Path pds = Run.launcher(dir);

        // shard 1 takes the subjects with work k = 0, 3, 6: sub-01, sub-04, sub-07 (three syntheses)
        Run first = Run.start(pds, model, csv, sharded, 1, 3, true);
        Run second = Run.start(pds, model, csv, sharded, 2, 3, false);
        Run third = Run.start(pds, model, csv, sharded, 3, 3, false);
        Run whole = Run.start(pds, model, csv, serial, 1, 1, false);

        assertTrue(first.process.waitFor(180, TimeUnit.SECONDS), "shard 1 neither wrote nor ended: " + first.log());
        assertTrue(first.killed, "shard 1 should have been killed after its first output: " + first.log());
        Map<String, Object> doneBeforeKill = identities(sharded, expected.stream()
                .filter(f -> f.startsWith("sub-01/") || f.startsWith("sub-04/") || f.startsWith("sub-07/")).toList());
        assertTrue(doneBeforeKill.size() >= 1 && doneBeforeKill.size() < 3,
                "killed midway: " + doneBeforeKill.keySet() + " (raise STEPS if the kill came too late)\n" + first.log());

        Run restarted = Run.start(pds, model, csv, sharded, 1, 3, false);
        for (Run r : List.of(second, third, whole, restarted)) {
            assertTrue(r.process.waitFor(180, TimeUnit.SECONDS), "still running: " + r.log());
            r.drain();
            assertEquals(0, r.process.exitValue(), r.log());
        }

        // the restart skipped what shard 1 had finished, untouched, and wrote only the rest
        int already = doneBeforeKill.size();
        assertEquals("shard 1/3: " + (3 - already) + " volumes written, " + already + " already there; outputs in " + sharded,
                restarted.report(), restarted.log());
        for (String f : doneBeforeKill.keySet()) assertTrue(restarted.log().contains(Path.of(f).getFileName() + " exists, skipped"), restarted.log());
        assertEquals(doneBeforeKill, identities(sharded, doneBeforeKill.keySet()), "finished outputs are not rewritten (inode, mtime)");

        // every missing modality exactly once: 8 files, and the processes' write counts add up to 8
        assertEquals(expected, visibleFiles(sharded), "sharded outputs");
        assertEquals(expected, visibleFiles(serial), "serial outputs");
        assertEquals("shard 2/3: 3 volumes written, 0 already there; outputs in " + sharded, second.report(), second.log());
        assertEquals("shard 3/3: 2 volumes written, 0 already there; outputs in " + sharded, third.report(), third.log());
        assertEquals("shard 1/1: 8 volumes written, 0 already there; outputs in " + serial, whole.report(), whole.log());
        // the union equals the serial run byte for byte
        for (String f : expected)
            assertEquals(-1L, Files.mismatch(sharded.resolve(f), serial.resolve(f)), f + " differs between the sharded and the serial run");
    }

    /** (inode-like file key, mtime) of those of {@code files} that exist. */
    private static Map<String, Object> identities(Path out, Iterable<String> files) throws IOException {
        Map<String, Object> ids = new TreeMap<>();
        for (String f : files) {
            Path p = out.resolve(f);
            if (!Files.exists(p)) continue;
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            ids.put(f, List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis()));
        }
        return ids;
    }

    /** Files under {@code out}, relative, without the hidden temporaries a killed write may leave. */
    private static TreeSet<String> visibleFiles(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            TreeSet<String> names = new TreeSet<>();
            s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .forEach(p -> names.add(out.relativize(p).toString().replace('\\', '/')));
            return names;
        }
    }

    /** One {@code pds complete} OS process: its stdout and stderr lines collected by two threads. */
    private static final class Run {
        final Process process;
        final List<String> out = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> err = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Thread[] readers = new Thread[2];
        volatile boolean killed;

        private Run(Process p) {
            process = p;
        }

        /**
         * Runs scripts/slurm/complete-cohort.sbatch as SLURM would run array task {@code task} of
         * {@code array} (one CPU), with a {@code PDS} launcher that is scripts/pds minus the jar:
         * {@code exec java $PDS_JAVA_OPTS -cp <this test's class path> PdsCli "$@"}. Both execs keep
         * the PID, so the process is the JVM. With {@code killOnFirstWrite} the stderr reader kills
         * it (SIGKILL) the moment it reports an output.
         */
        static Run start(Path pds, Path model, Path csv, Path out, int task, int array, boolean killOnFirstWrite) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("bash", SBATCH);
            Map<String, String> env = pb.environment();
            env.put("SLURM_ARRAY_TASK_ID", Integer.toString(task));
            env.put("SLURM_ARRAY_TASK_MIN", "1");
            env.put("SLURM_ARRAY_TASK_MAX", Integer.toString(array));
            env.put("SLURM_ARRAY_TASK_COUNT", Integer.toString(array));
            env.put("SLURM_CPUS_PER_TASK", "1");
            env.put("PDS_HEAP", "512m");
            env.put("MANIFEST", csv.toString());
            env.put("OUT", out.toString());
            env.put("MODEL", model.toString());
            env.put("STEPS", STEPS);
            env.put("SAMPLES", "1");
            env.put("PDS", pds.toString());
            env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            env.put("TEST_CLASS_PATH", System.getProperty("java.class.path"));
            env.put("DJL_CACHE_DIR", Engines.cacheDir().toString());
            env.put("DJL_OFFLINE", "true");
            env.remove("FIJI");
            env.remove("SHARDS");
            env.remove("PDS_JAVA_OPTS");
            Run r = new Run(pb.start());
            r.readers[0] = r.reader(r.process.getInputStream(), r.out, false);
            r.readers[1] = r.reader(r.process.getErrorStream(), r.err, killOnFirstWrite);
            return r;
        }

        /** The PDS launcher the script runs: scripts/pds's exec line on the test class path. */
        static Path launcher(Path dir) throws IOException {
            Path pds = dir.resolve("pds");
            Files.writeString(pds, "#!/usr/bin/env bash\n"
                    + "exec \"$JAVA\" $PDS_JAVA_OPTS -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true -Dai.djl.offline=true"
                    + " -cp \"$TEST_CLASS_PATH\" " + PdsCli.class.getName() + " \"$@\"\n");
            pds.toFile().setExecutable(true);
            return pds;
        }

        private Thread reader(InputStream in, List<String> lines, boolean killOnFirstWrite) {
            Thread t = new Thread(() -> {
                try (BufferedReader b = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String l; (l = b.readLine()) != null; ) {
                        lines.add(l);
                        if (killOnFirstWrite && !killed && l.contains(": wrote ")) {
                            process.destroyForcibly();
                            killed = true;
                        }
                    }
                } catch (IOException e) {
                    if (!killed) lines.add("(reader: " + e + ")"); // a killed process's pipe may close under the reader
                }
            }, "shard-output");
            t.setDaemon(true);
            t.start();
            return t;
        }

        void drain() throws InterruptedException {
            for (Thread t : readers) t.join(10_000);
        }

        /** The last stdout line (the command's report). */
        String report() {
            return out.isEmpty() ? "" : out.get(out.size() - 1);
        }

        String log() {
            return "stdout:\n" + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err);
        }
    }
}
