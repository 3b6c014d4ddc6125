package org.pdsynth.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Starts DJL's PyTorch engine offline, from the native library bundled on the class path.
 *
 * <p>What DJL 0.36 reads, and what {@link #configure(int)} sets when the user has not:
 * <ul>
 *   <li>{@code DJL_OFFLINE} (environment) or {@code ai.djl.offline} (system property): offline
 *       mode. In offline mode DJL never downloads native libraries and skips its usage-tracking
 *       call ({@code Ec2Utils.callHome}, made from {@code Engine}'s static initialiser).</li>
 *   <li>{@code OPT_OUT_TRACKING} (environment or system property): also skips the tracking call.</li>
 *   <li>{@code DJL_CACHE_DIR} (environment or system property): where the native library is
 *       extracted from the {@code pytorch-native-cpu} jar on first use (about 2 s, ~450 MB);
 *       our default is {@code ~/.pds/djl-cache} (DJL's own default would be {@code ~/.djl.ai}).</li>
 *   <li>{@code ai.djl.pytorch.num_threads}: intra-op threads, read once when the engine starts;
 *       {@link #setThreads(int)} changes it later.</li>
 * </ul>
 * And what the OpenMP runtime bundled with libtorch (GNU libgomp on Linux) reads once, when it is
 * loaded with the engine:
 * <ul>
 *   <li>{@code OMP_WAIT_POLICY} (C environment): unless the user set it, {@link #configure(int)}
 *       sets it to {@value #WAIT_POLICY} in the process's C environment (libc {@code setenv}
 *       through JNA, which DJL ships) before the native library loads, in the launcher and in
 *       Fiji alike. With libgomp's default a thread that reaches a barrier first spins for its
 *       sibling; on a machine where another process holds a core the sibling is descheduled and
 *       the spinning steals the time it needs: a 2-thread training beside one busy process ran at
 *       34% of its quiet speed, with {@code PASSIVE} at 56% (bench/busy-machine.sh). Set it
 *       (even empty, which means libgomp's own default) to keep this from happening.</li>
 * </ul>
 * DJL gives an environment variable precedence over the system property of the same name, so an
 * explicit {@code DJL_OFFLINE=false} in the environment cannot be overridden from here; {@link
 * #isOffline()} reports the mode actually in force.
 *
 * <p>All properties must be set before any {@code ai.djl.engine.Engine} class is initialised:
 * call {@link #pytorch(int)} (or {@link #configure(int)}) before touching other DJL classes.
 */
public final class Engines {
    /** Name of the PyTorch engine in DJL. */
    public static final String PYTORCH = "PyTorch";
    /** System property (and environment variable) naming DJL's cache folder. */
    public static final String CACHE_DIR = "DJL_CACHE_DIR";
    /** System property read by the PyTorch engine at start for its intra-op thread count. */
    public static final String THREADS = "ai.djl.pytorch.num_threads";
    /** OpenMP environment variable of the idle-thread policy. */
    public static final String OMP_WAIT_POLICY = "OMP_WAIT_POLICY";
    /** The policy set when the user has not chosen one: idle threads sleep instead of spinning. */
    public static final String WAIT_POLICY = "PASSIVE";

    private Engines() {}

    /**
     * Sets offline mode, tracking opt-out, a writable cache folder and the thread count, unless
     * the user already set them (environment or system property). {@code threads <= 0} leaves
     * the thread count to PyTorch (one per core).
     */
    public static synchronized void configure(int threads) {
        setIfAbsent("ai.djl.offline", "DJL_OFFLINE", "true");
        setIfAbsent("OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
        if (blank(System.getenv(CACHE_DIR)) && blank(System.getProperty(CACHE_DIR))) {
            Path dir = Paths.get(System.getProperty("user.home"), ".pds", "djl-cache");
            System.setProperty(CACHE_DIR, dir.toAbsolutePath().toString());
        }
        if (threads > 0 && System.getProperty(THREADS) == null) {
            System.setProperty(THREADS, Integer.toString(threads));
        }
        if (cEnvironment(OMP_WAIT_POLICY) == null) setCEnvironment(OMP_WAIT_POLICY, WAIT_POLICY);
    }

    /**
     * A variable of the process's C environment, which native libraries read ({@link
     * System#getenv} is the JVM's copy from start-up and misses later changes); null when unset
     * or when it cannot be read (Windows, no JNA).
     */
    public static String cEnvironment(String name) {
        try {
            return LibC.INSTANCE.getenv(name);
        } catch (LinkageError | RuntimeException e) {
            return System.getenv(name);
        }
    }

    /** Sets a C environment variable for native libraries loaded from now on; false when it cannot. */
    private static boolean setCEnvironment(String name, String value) {
        if (com.sun.jna.Platform.isWindows()) return false;
        try {
            return LibC.INSTANCE.setenv(name, value, 0) == 0;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** The two POSIX calls of libc used here (JNA direct mapping). */
    private interface LibC extends com.sun.jna.Library {
        LibC INSTANCE = com.sun.jna.Native.load(com.sun.jna.Platform.C_LIBRARY_NAME, LibC.class);

        String getenv(String name);

        int setenv(String name, String value, int overwrite);
    }

    /** {@link #configure(int)}, then the PyTorch engine (loading its native library if needed). */
    public static synchronized Engine pytorch(int threads) {
        configure(threads);
        Path cache = cacheDir();
        try {
            Files.createDirectories(cache);
        } catch (IOException e) {
            throw new IllegalStateException("DJL cache folder " + cache + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(cache)) {
            throw new IllegalStateException("DJL cache folder " + cache + " is not writable; set DJL_CACHE_DIR");
        }
        return Engine.getEngine(PYTORCH);
    }

    /** The engine with the default thread setting (property {@value #THREADS}, else PyTorch's). */
    public static Engine pytorch() {
        return pytorch(0);
    }

    /** Changes PyTorch's intra-op thread count of the running engine. */
    public static void setThreads(int threads) {
        if (threads <= 0) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        pytorch();
        JniUtils.setNumThreads(threads);
    }

    /** "DJL x.y.z, PyTorch a.b.c" for reports. */
    public static String versions() {
        return "DJL " + Engine.getDjlVersion() + ", PyTorch " + pytorch().getVersion();
    }

    /** Intra-op threads PyTorch uses now. */
    public static int threads() {
        pytorch();
        return JniUtils.getNumThreads();
    }

    /**
     * Runs {@code f} with PyTorch's autograd recording off on this thread, then restores the
     * previous state. PyTorch's grad mode is per thread: DJL turns it off only on the thread that
     * started the engine, so inference on any other thread (a Fiji command, a worker pool) would
     * otherwise record a backward graph and keep every activation alive until the arrays close.
     */
    public static <T> T withoutGradients(Supplier<T> f) {
        pytorch();
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return f.get();
        } finally {
            JniUtils.setGradMode(was);
        }
    }

    /**
     * The device named on the command line or in a dialog: {@code auto} (a CUDA GPU when the
     * PyTorch engine sees one, else the CPU), {@code cpu}, or {@code gpu} (GPU 0; {@code gpu:N}
     * for GPU N).
     *
     * @throws IllegalArgumentException for another name, or for {@code gpu} when the engine sees
     *     no CUDA GPU (the bundled native library is the CPU build: see docs/gpu.md)
     */
    public static Device device(String name) {
        String n = name == null ? "auto" : name.strip().toLowerCase(java.util.Locale.ROOT);
        int gpus = pytorch().getGpuCount();
        if (n.equals("auto")) return gpus > 0 ? Device.gpu() : Device.cpu();
        if (n.equals("cpu")) return Device.cpu();
        if (n.equals("gpu") || n.startsWith("gpu:")) {
            int id;
            try {
                id = n.equals("gpu") ? 0 : Integer.parseInt(n.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device '" + name + "' is not cpu, gpu, gpu:N or auto");
            }
            if (id < 0 || id >= gpus)
                throw new IllegalArgumentException("device " + n + ": PyTorch sees " + gpus + " CUDA GPU(s) (libtorch "
                        + pytorch().getVersion() + ", " + (gpus == 0 ? "a CPU-only build or no CUDA driver" : "fewer GPUs")
                        + "); see docs/gpu.md to run on a CUDA node");
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device '" + name + "' is not cpu, gpu, gpu:N or auto");
    }

    /** True when DJL is in offline mode (no downloads, no tracking call), as DJL itself decides. */
    public static boolean isOffline() {
        return Utils.isOfflineMode();
    }

    /** DJL's cache folder as DJL resolves it (environment first, then system property). */
    public static Path cacheDir() {
        return Utils.getCacheDir();
    }

    /**
     * The folder the PyTorch native library was extracted to, if present: a folder under
     * {@code <cache>/pytorch/} holding {@code libtorch.so} (or the platform's equivalent).
     */
    public static Optional<Path> nativeLibraryDir() {
        Path root = Utils.getEngineCacheDir("pytorch");
        if (!Files.isDirectory(root)) return Optional.empty();
        String lib = System.mapLibraryName("torch");
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(lib))).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void setIfAbsent(String property, String env, String value) {
        if (blank(System.getenv(env)) && System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
