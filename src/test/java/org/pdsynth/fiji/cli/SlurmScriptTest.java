package org.pdsynth.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What scripts/slurm/complete-cohort.sbatch hands to its launcher, with stub launchers that print
 * their arguments and environment: the shard from the array task, threads and heap from the
 * allocation, Fiji's --run form, and the refusals (no array, an array that is not 1-N without
 * SHARDS, a Fiji run that logged an error). {@link ConcurrentShardsTest} runs it for real.
 */
class SlurmScriptTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    private Result run(Map<String, String> vars) throws Exception {
        Files.writeString(dir.resolve("participants.csv"), "subject,label,fmri,dwi,bval,bvec,mask\n");
        ProcessBuilder pb = new ProcessBuilder("bash", ConcurrentShardsTest.SBATCH);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SLURM_") || List.of("FIJI", "PDS", "SHARDS", "PDS_HEAP", "PDS_JAVA_OPTS", "MODEL", "STEPS",
                "SEED", "SAMPLES", "JAVA_TOOL_OPTIONS").contains(k));
        env.put("MANIFEST", dir.resolve("participants.csv").toString());
        env.put("OUT", dir.resolve("out").toString());
        env.putAll(vars);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out, err);
    }

    /** A launcher that prints its arguments one per line, then the variables the script sets. */
    private Path stub(String name, String extra) throws IOException {
        Path s = dir.resolve(name);
        Files.writeString(s, "#!/usr/bin/env bash\nprintf 'arg %s\\n' \"$@\"\n"
                + "echo \"OMP_NUM_THREADS=$OMP_NUM_THREADS OMP_WAIT_POLICY=$OMP_WAIT_POLICY\"\n"
                + "echo \"PDS_JAVA_OPTS=${PDS_JAVA_OPTS:-} JAVA_TOOL_OPTIONS=${JAVA_TOOL_OPTIONS:-}\"\n" + extra);
        s.toFile().setExecutable(true);
        return s;
    }

    private static Map<String, String> task(int id, int min, int max, int count) {
        return Map.of("SLURM_ARRAY_TASK_ID", "" + id, "SLURM_ARRAY_TASK_MIN", "" + min, "SLURM_ARRAY_TASK_MAX", "" + max,
                "SLURM_ARRAY_TASK_COUNT", "" + count, "SLURM_CPUS_PER_TASK", "2", "SLURM_MEM_PER_NODE", "6144");
    }

    private static Map<String, String> with(Map<String, String> a, String... kv) {
        Map<String, String> m = new java.util.HashMap<>(a);
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void pdsGetsItsShardThreadsAndHeapFromTheAllocation() throws Exception {
        Result r = run(with(task(2, 1, 3, 3), "PDS", stub("pds", "").toString(), "MODEL", "/models/m", "STEPS", "10"));
        assertEquals(0, r.code(), r.err());
        String csv = dir.resolve("participants.csv").toString(), out = dir.resolve("out").toString();
        assertTrue(r.out().contains(String.join("\n", "arg complete", "arg --cohort", "arg " + csv, "arg --out", "arg " + out, "arg --shard",
                "arg 2/3", "arg --model", "arg /models/m", "arg --steps", "arg 10") + "\n"), r.out());
        assertTrue(r.out().contains("OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE\n"), r.out());
        // heap: the task's 6144 MiB minus 2 GiB for PyTorch's native memory
        assertTrue(r.out().contains("PDS_JAVA_OPTS=-Xmx4096m -Dai.djl.pytorch.num_threads=2 "), r.out());
    }

    @Test
    void anArrayThatIsNotOneToNNeedsShards() throws Exception {
        Path pds = stub("pds", "");
        Result r = run(with(task(3, 3, 7, 2), "PDS", pds.toString()));
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("the array is not 1-N") && r.err().contains("set SHARDS=N"), r.err());
        r = run(with(task(3, 3, 7, 2), "PDS", pds.toString(), "SHARDS", "20"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("arg --shard\narg 3/20\n"), r.out());
        r = run(with(task(21, 1, 21, 21), "PDS", pds.toString(), "SHARDS", "20"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("array task 21 is outside shards 1-20"), r.err());
        r = run(Map.of("PDS", pds.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not an array task"), r.err());
    }

    @Test
    void fijiRunsTheCompleteCohortCommandHeadlessAndAnErrorFailsTheTask() throws Exception {
        // a relative model folder is made absolute (against the submission folder): Fiji may start elsewhere
        Result r = run(with(task(1, 1, 4, 4), "FIJI", stub("ImageJ-linux64", "").toString(), "MODEL", "models/m"));
        assertEquals(0, r.code(), r.err());
        String csv = dir.resolve("participants.csv").toString(), out = dir.resolve("out").toString();
        String model = Path.of("models/m").toAbsolutePath().toString();
        assertTrue(r.out().contains(String.join("\n", "arg --mem=4096m", "arg --headless", "arg --run", "arg Complete Cohort",
                "arg cohort='" + csv + "',out='" + out + "',shard='1/4',model='" + model + "'") + "\n"), r.out());
        assertTrue(r.out().contains("JAVA_TOOL_OPTIONS=-Dai.djl.pytorch.num_threads=2 "), r.out());
        assertTrue(r.out().contains("OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE\n"), r.out());

        r = run(with(task(1, 1, 4, 4), "FIJI", stub("failing-fiji", "echo '[ERROR] Module threw exception'\n").toString()));
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("Fiji reported an error"), r.err());
    }
}
