package org.pdsynth;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Real test files fetched by {@code scripts/fetch-test-data} and the golden values made from them.
 *
 * <p>The folder is the system property {@code pds.testdata} (Maven's surefire sets it to
 * {@code <repo>/test-data}), else the environment variable {@code PDS_TEST_DATA}. A missing file
 * FAILS the test with "test data missing: run scripts/fetch-test-data" — a test that needs real
 * data never skips silently.
 */
public final class TestData {
    public static final String MISSING = "test data missing: run scripts/fetch-test-data";

    private TestData() {}

    /** The test-data folder (it may not exist yet; {@link #file} checks). */
    public static Path dir() {
        String p = System.getProperty("pds.testdata");
        if (p == null || p.isBlank()) p = System.getenv("PDS_TEST_DATA");
        if (p == null || p.isBlank())
            fail(MISSING + " (neither system property pds.testdata nor PDS_TEST_DATA is set)");
        return Paths.get(p);
    }

    /** A fetched file by name, e.g. {@code "example4d.nii.gz"}; fails the test when absent. */
    public static Path file(String name) {
        Path f = dir().resolve(name);
        if (!Files.isRegularFile(f)) fail(MISSING + " (" + f + " not found)");
        return f;
    }

    /** A fetched file whose SHA-256 must be {@code sha256} (the input the goldens were made from). */
    public static Path file(String name, String sha256) {
        Path f = file(name);
        String got = sha256(f);
        if (!got.equalsIgnoreCase(sha256))
            fail(f + " has SHA-256 " + got + ", the golden values were made from " + sha256
                    + ": run scripts/fetch-test-data");
        return f;
    }

    /** A golden JSON file from {@code src/test/resources/golden/}. */
    public static JsonObject golden(String name) {
        try (InputStream in = TestData.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) throw new IllegalStateException("golden file /golden/" + name + " is not on the classpath");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read golden file " + name, e);
        }
    }

    static String sha256(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0;) md.update(buf, 0, r);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash " + f, e);
        }
    }
}
