package org.pdsynth.fiji;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksum the ImageJ updater records for a file, written from its documented behaviour
 * (update-site/README.md) independently of update-site/updater_index.py, so the test can check
 * the Python against it: a .jar is SHA-1 over its entries sorted by name (name bytes, then
 * content; .properties without comment lines by the updater's line-start rule; the manifest's
 * content left out); any other file is SHA-1 of its site path followed by its bytes.
 */
final class UpdaterChecksum {
    private UpdaterChecksum() {}

    static String of(String sitePath, Path file) throws IOException {
        MessageDigest sha1 = sha1();
        if (sitePath.endsWith(".jar")) {
            try (JarFile jar = new JarFile(file.toFile())) {
                List<JarEntry> entries = new ArrayList<>(Collections.list(jar.entries()));
                entries.sort((a, b) -> a.getName().compareTo(b.getName()));
                for (JarEntry e : entries) {
                    sha1.update(e.getName().getBytes(StandardCharsets.US_ASCII));
                    if (e.getName().equals("META-INF/MANIFEST.MF")) continue;
                    try (InputStream in = jar.getInputStream(e)) {
                        byte[] b = in.readAllBytes();
                        sha1.update(e.getName().endsWith(".properties") ? propertiesAsHashed(b) : b);
                    }
                }
            }
        } else {
            sha1.update(sitePath.getBytes(StandardCharsets.US_ASCII));
            sha1.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(sha1.digest());
    }

    /**
     * A properties file as the updater hashes it: read byte by byte with a "line start" flag
     * (initially set). A '#' read at line start makes the read go on, recursively, until it gets a
     * '\n' (or the end), and that '\n' is the byte returned; any other byte read at line start
     * (even '\n') clears the flag; a '\n' read off line start sets it. So "#c\na\n" hashes as
     * "\na\n", and a comment right after an empty line is kept.
     */
    static byte[] propertiesAsHashed(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] pos = {0};
        boolean[] lineStart = {true};
        for (int ch = next(in, pos, lineStart); ch >= 0; ch = next(in, pos, lineStart)) out.write(ch);
        return out.toByteArray();
    }

    private static int next(byte[] in, int[] pos, boolean[] lineStart) {
        int ch = pos[0] < in.length ? in[pos[0]++] & 0xff : -1;
        if (lineStart[0]) {
            if (ch == '#') {
                do {
                    ch = next(in, pos, lineStart);
                } while (ch != '\n' && ch != -1);
            } else {
                lineStart[0] = false;
            }
        } else if (ch == '\n') {
            lineStart[0] = true;
        }
        return ch;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
