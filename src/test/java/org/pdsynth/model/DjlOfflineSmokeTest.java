package org.pdsynth.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;

import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine starts offline from the bundled native jar, and a Conv3d with hand-set weights
 * gives the values of a naive convolution written out below.
 *
 * <p>"No network" is shown three ways, without a SecurityManager: (1) DJL's own offline flag is
 * on, which is the condition under which DJL skips both its download path and its tracking call;
 * (2) the native library sits extracted in the configured cache folder (the classpath-jar path,
 * not the download path, which would fail offline); (3) an http/https URL handler installed before
 * the engine starts records any URL connection DJL tries to open — none may be recorded. (3) only
 * sees connections made after it was installed, and the build turns offline mode on for every
 * test JVM (pom.xml), so {@link #theProductStartsOfflineOnItsOwn} starts the engine in a fresh
 * JVM without the build's DJL settings, with the watch installed first.
 */
class DjlOfflineSmokeTest {
    private static final List<String> OPENED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void watchNetwork() {
        try {
            URL.setURLStreamHandlerFactory(protocol -> {
                if (!protocol.equals("http") && !protocol.equals("https")) return null;
                return new URLStreamHandler() {
                    @Override
                    protected URLConnection openConnection(URL u) throws IOException {
                        OPENED.add(u.toString());
                        throw new IOException("network disabled in test: " + u);
                    }
                };
            });
        } catch (Error alreadySet) {
            // a factory can be set once per JVM: without the watch this test would prove less than it says
            throw new AssertionError("the network watch cannot be installed: a URLStreamHandlerFactory is already set", alreadySet);
        }
    }

    @Test
    void theProductStartsOfflineOnItsOwn() throws Exception {
        // a fresh JVM with neither DJL_OFFLINE/OPT_OUT_TRACKING nor ai.djl.offline: Engines must set offline mode itself
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), OfflineStartupProbe.class.getName());
        java.util.Map<String, String> env = pb.environment();
        env.remove("DJL_OFFLINE");
        env.remove("OPT_OUT_TRACKING");
        env.put("DJL_CACHE_DIR", Engines.cacheDir().toString()); // the extracted library of this build (not a network setting)
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("offline=true sum=6.0 opened=[]"), out);
    }

    @Test
    void engineLoadsOfflineFromClasspathJar() {
        Engine engine = Engines.pytorch(2);
        assertEquals("PyTorch", engine.getEngineName());
        assertTrue(Engines.isOffline(), "DJL offline mode must be on");
        Path lib = Engines.nativeLibraryDir().orElseThrow(() -> new AssertionError(
                "no extracted libtorch under " + Engines.cacheDir()));
        assertTrue(lib.startsWith(Engines.cacheDir().resolve("pytorch")), lib.toString());
        assertTrue(Files.isRegularFile(lib.resolve(System.mapLibraryName("torch_cpu"))));
        assertTrue(lib.getFileName().toString().startsWith(engine.getVersion()), lib + " vs " + engine.getVersion());
        assertTrue(OPENED.isEmpty(), "URL connections attempted: " + OPENED);
    }

    @Test
    void conv3dMatchesNaiveConvolution() {
        Engines.pytorch(2);
        int ci = 2, co = 3, n = 4, k = 3;
        float[] x = new float[ci * n * n * n];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(0.37 * i) + 0.1f * (i % 5);
        float[] w = new float[co * ci * k * k * k];
        for (int i = 0; i < w.length; i++) w[i] = ((i * 7) % 11 - 5) / 10f;
        float[] b = {0.5f, -0.25f, 0f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray in = m.create(x, new Shape(1, ci, n, n, n));
            NDArray wt = m.create(w, new Shape(co, ci, k, k, k));
            NDArray bias = m.create(b, new Shape(co));
            NDArray out = Conv3d.conv3d(in, wt, bias, new Shape(1, 1, 1), new Shape(1, 1, 1), new Shape(1, 1, 1))
                    .singletonOrThrow();
            assertEquals(new Shape(1, co, n, n, n), out.getShape());
            assertArrayEquals(naiveConv(x, w, b, ci, co, n, k), out.toFloatArray(), 1e-5f);
        }
        assertTrue(OPENED.isEmpty(), "URL connections attempted: " + OPENED);
    }

    /** Cross-correlation with zero padding (k-1)/2 and stride 1, as PyTorch's conv3d defines it. */
    private static float[] naiveConv(float[] x, float[] w, float[] b, int ci, int co, int n, int k) {
        int p = (k - 1) / 2;
        float[] y = new float[co * n * n * n];
        for (int o = 0; o < co; o++)
            for (int z = 0; z < n; z++)
                for (int yy = 0; yy < n; yy++)
                    for (int xx = 0; xx < n; xx++) {
                        double s = b[o];
                        for (int c = 0; c < ci; c++)
                            for (int dz = 0; dz < k; dz++)
                                for (int dy = 0; dy < k; dy++)
                                    for (int dx = 0; dx < k; dx++) {
                                        int iz = z + dz - p, iy = yy + dy - p, ix = xx + dx - p;
                                        if (iz < 0 || iy < 0 || ix < 0 || iz >= n || iy >= n || ix >= n) continue;
                                        s += x[((c * n + iz) * n + iy) * n + ix]
                                                * w[(((o * ci + c) * k + dz) * k + dy) * k + dx];
                                    }
                        y[((o * n + z) * n + yy) * n + xx] = (float) s;
                    }
        return y;
    }
}
