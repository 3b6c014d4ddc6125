package org.pdsynth.model;

import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Run in a fresh JVM by {@link DjlOfflineSmokeTest}: installs an http/https watch BEFORE any DJL
 * class loads (exit 3 if it cannot), starts the engine the way the product does
 * ({@link Engines#pytorch(int)}, no offline setting from outside), runs one op and prints
 * {@code offline=<bool> opened=<urls>}.
 */
public final class OfflineStartupProbe {
    private OfflineStartupProbe() {}

    public static void main(String[] args) {
        List<String> opened = new CopyOnWriteArrayList<>();
        try {
            URL.setURLStreamHandlerFactory(protocol -> !protocol.equals("http") && !protocol.equals("https") ? null
                    : new URLStreamHandler() {
                        @Override
                        protected URLConnection openConnection(URL u) throws IOException {
                            opened.add(u.toString());
                            throw new IOException("network disabled in the probe: " + u);
                        }
                    });
        } catch (Error e) {
            System.out.println("watch not installed: " + e);
            System.exit(3);
        }
        Engines.pytorch(1);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            float s = m.create(new float[] {1, 2, 3}).sum().getFloat();
            System.out.println("offline=" + Engines.isOffline() + " sum=" + s + " opened=" + opened);
        }
    }
}
