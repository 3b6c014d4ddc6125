package org.pdsynth.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.util.FileUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * update-site/assemble on a generated build folder (small stand-in jars with the real names):
 * db.xml.gz validates against its DTD, lists every file of the site once with the size of the
 * uploaded file and the checksum the ImageJ updater computes ({@link UpdaterChecksum}, written
 * independently of the Python), and the dependency names are what SciJava's own version
 * stripping gives for the shipped files.
 */
class UpdateSiteAssembleTest {
    static final String TS = "20261125101010";

    @TempDir
    Path dir;

    @Test
    void dbXmlListsEveryUploadedFileWithTheUpdatersChecksumAndSize() throws Exception {
        Path target = fakeBuild(dir.resolve("target"), "#Created by Apache Maven 3.8.7\n", "Built-By: alice\n");
        Path site = dir.resolve("site");
        Result r = assemble(target, site);
        assertEquals(0, r.code, r.err);

        Document db = parseValidating(site.resolve("db.xml.gz"));
        Map<String, Element> plugins = new LinkedHashMap<>();
        NodeList list = db.getElementsByTagName("plugin");
        for (int i = 0; i < list.getLength(); i++) {
            Element p = (Element) list.item(i);
            assertTrue(plugins.put(p.getAttribute("filename"), p) == null, "listed once: " + p.getAttribute("filename"));
        }
        Set<String> expected = new TreeSet<>(List.of("jars/pds-fiji-1.2.3.jar", "jars/api-0.36.0.jar", "jars/pytorch-engine-0.36.0.jar",
                "jars/pytorch-jni-2.7.1-0.36.0.jar", "jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar",
                "scripts/Plugins/PDS/Synthesize_Subject.groovy", "scripts/Plugins/PDS/Complete_Cohort_Script.py",
                "scripts/Plugins/PDS/Measure_Folder.groovy"));
        assertEquals(expected, new TreeSet<>(plugins.keySet()));

        // every file of the site is NAME-TIMESTAMP for a listed NAME (plus db.xml.gz), nothing else (no gson, no sources jar)
        Set<String> onDisk = new TreeSet<>();
        try (Stream<Path> files = Files.walk(site)) {
            files.filter(Files::isRegularFile).map(p -> site.relativize(p).toString()).filter(p -> !p.equals("db.xml.gz"))
                    .forEach(onDisk::add);
        }
        Set<String> uploaded = new TreeSet<>();
        for (String name : expected) uploaded.add(name + "-" + TS);
        assertEquals(uploaded, onDisk);

        for (Map.Entry<String, Element> e : plugins.entrySet()) {
            String name = e.getKey();
            Path file = site.resolve(name + "-" + TS);
            Element v = (Element) e.getValue().getElementsByTagName("version").item(0);
            assertEquals(TS, v.getAttribute("timestamp"), name);
            assertEquals(Files.size(file), Long.parseLong(v.getAttribute("filesize")), name);
            assertEquals(UpdaterChecksum.of(name, file), v.getAttribute("checksum"), name);
            assertFalse(v.getElementsByTagName("description").item(0).getTextContent().isBlank(), name);
        }
        // scripts are hashed with their path, as the updater does for files that are not jars
        Path script = site.resolve("scripts/Plugins/PDS/Measure_Folder.groovy-" + TS);
        assertArrayEquals(Files.readAllBytes(Path.of("scripts/Plugins/PDS/Measure_Folder.groovy")), Files.readAllBytes(script));
        assertNotEquals(sha1(Files.readAllBytes(script)), ((Element) plugins.get("scripts/Plugins/PDS/Measure_Folder.groovy")
                .getElementsByTagName("version").item(0)).getAttribute("checksum"));

        // the native jar is for linux64 only
        assertEquals("linux64", plugins.get("jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar").getElementsByTagName("platform")
                .item(0).getTextContent());
        assertEquals(0, plugins.get("jars/api-0.36.0.jar").getElementsByTagName("platform").getLength());

        // our jar depends on the four DJL files, by the names the updater keys them under
        List<String> deps = dependencies(plugins.get("jars/pds-fiji-1.2.3.jar"));
        List<String> stripped = new ArrayList<>();
        for (String n : List.of("jars/api-0.36.0.jar", "jars/pytorch-engine-0.36.0.jar", "jars/pytorch-jni-2.7.1-0.36.0.jar",
                "jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar"))
            stripped.add(FileUtils.stripFilenameVersion(n));
        assertEquals(stripped, deps);
        assertEquals(List.of("jars/api.jar", "jars/pytorch-engine.jar", "jars/pytorch-jni.jar",
                "jars/linux64/pytorch-native-cpu-linux-x86_64.jar"), deps);
        assertEquals(List.of("jars/pds-fiji.jar"), dependencies(plugins.get("scripts/Plugins/PDS/Complete_Cohort_Script.py")));
        assertEquals("jars/pds-fiji.jar", FileUtils.stripFilenameVersion("jars/pds-fiji-1.2.3.jar"));
    }

    @Test
    void propertiesCommentsAndManifestDoNotChangeAJarsChecksumButItsBytesDo() throws Exception {
        Path a = fakeBuild(dir.resolve("a"), "#Created by Apache Maven 3.8.7\n#Tue Nov 24 2026\n", "Built-By: alice\n");
        Path b = fakeBuild(dir.resolve("b"), "#Created by Apache Maven 3.9.9\n#Wed Nov 25 2026\n", "Built-By: bob\nBuild-Jdk-Spec: 21\n");
        assertEquals(0, assemble(a, dir.resolve("site-a")).code);
        assertEquals(0, assemble(b, dir.resolve("site-b")).code);
        Element va = version(dir.resolve("site-a"), "jars/pds-fiji-1.2.3.jar"), vb = version(dir.resolve("site-b"), "jars/pds-fiji-1.2.3.jar");
        assertEquals(va.getAttribute("checksum"), vb.getAttribute("checksum"), "a rebuild that changes only comments and manifest is the same version");
        assertNotEquals(sha1(Files.readAllBytes(a.resolve("pds-fiji-1.2.3.jar"))), sha1(Files.readAllBytes(b.resolve("pds-fiji-1.2.3.jar"))));
    }

    @Test
    void theUpdatersPropertiesRuleOnHandMadeCases() {
        assertEquals("\na=1\n", hashed("#c\na=1\n"));
        assertEquals("a\n\n", hashed("a\n#x\n"));
        assertEquals("\n#c\nb\n", hashed("\n#c\nb\n"), "after an empty line a comment is kept");
        assertEquals("\n#y\nz", hashed("#\n#y\nz"), "after an empty comment the next line is not at line start");
        assertEquals("", hashed("#no newline"));
    }

    @Test
    void aMissingJarFailsWithOneLineAndLeavesNoSite() throws Exception {
        Path target = fakeBuild(dir.resolve("target"), "", "");
        Files.delete(target.resolve("lib/pytorch-jni-2.7.1-0.36.0.jar"));
        Result r = assemble(target, dir.resolve("site"));
        assertEquals(1, r.code);
        assertEquals("assemble: expected one DJL PyTorch JNI jar (" + target + "/lib/pytorch-jni-*.jar), found 0; run 'mvn package -DskipTests' first",
                r.err.strip());
        assertFalse(Files.exists(dir.resolve("site")));
        assertEquals(2, assemble(target, dir.resolve("site"), "--timestamp", "2026-11-25").code);
    }

    private static String hashed(String s) {
        return new String(UpdaterChecksum.propertiesAsHashed(s.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
    }

    /** A Maven build folder with small jars under the real names, plus files assemble must leave out. */
    private static Path fakeBuild(Path target, String propsComment, String manifestExtra) throws IOException {
        Files.createDirectories(target.resolve("lib"));
        jar(target.resolve("pds-fiji-1.2.3.jar"), manifestExtra, Map.of(
                "org/pdsynth/fiji/SynthesizeCommand.class", "not really bytecode",
                "META-INF/maven/org.pdsynth/pds-fiji/pom.properties", propsComment + "version=1.2.3\ngroupId=org.pdsynth\n",
                "META-INF/json/org.scijava.plugin.Plugin", "{}"));
        jar(target.resolve("pds-fiji-1.2.3-sources.jar"), "", Map.of("org/pdsynth/A.java", "class A {}"));
        jar(target.resolve("lib/api-0.36.0.jar"), "", Map.of("ai/djl/engine/api.properties", "#c\nversion=0.36.0\n",
                "ai/djl/Model.class", "model"));
        jar(target.resolve("lib/pytorch-engine-0.36.0.jar"), "", Map.of("pytorch-engine.properties", "\n#kept\nx=1\n"));
        jar(target.resolve("lib/pytorch-jni-2.7.1-0.36.0.jar"), "", Map.of("jnilib/pytorch.properties", "#\n#y\nz"));
        jar(target.resolve("lib/pytorch-native-cpu-2.7.1-linux-x86_64.jar"), "", Map.of("native/lib/libtorch_cpu.so", "\u0000ELF...",
                "native/lib/pytorch.properties", "version=2.7.1\n"));
        jar(target.resolve("lib/gson-2.13.1.jar"), "", Map.of("com/google/gson/Gson.class", "gson"));
        return target;
    }

    private static void jar(Path file, String manifestExtra, Map<String, String> entries) throws IOException {
        Manifest mf = new Manifest(new java.io.ByteArrayInputStream(("Manifest-Version: 1.0\n" + manifestExtra).getBytes(StandardCharsets.UTF_8)));
        try (OutputStream os = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(os, mf)) {
            for (String name : new TreeSet<>(entries.keySet())) {
                jar.putNextEntry(new ZipEntry(name));
                jar.write(entries.get(name).getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
    }

    private record Result(int code, String out, String err) {}

    private static Result assemble(Path target, Path site, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("update-site/assemble", "--target", target.toString(), "--out", site.toString()));
        if (extra.length == 0) cmd.addAll(List.of("--timestamp", TS));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    private static Document parseValidating(Path gz) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setValidating(true);
        var builder = f.newDocumentBuilder();
        builder.setErrorHandler(new ErrorHandler() {
            public void warning(SAXParseException e) {}

            public void error(SAXParseException e) throws SAXParseException {
                throw e;
            }

            public void fatalError(SAXParseException e) throws SAXParseException {
                throw e;
            }
        });
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return builder.parse(in);
        }
    }

    private static Element version(Path site, String filename) throws Exception {
        NodeList list = parseValidating(site.resolve("db.xml.gz")).getElementsByTagName("plugin");
        for (int i = 0; i < list.getLength(); i++) {
            Element p = (Element) list.item(i);
            if (p.getAttribute("filename").equals(filename)) return (Element) p.getElementsByTagName("version").item(0);
        }
        throw new AssertionError(filename + " not listed");
    }

    private static List<String> dependencies(Element plugin) {
        List<String> l = new ArrayList<>();
        NodeList deps = plugin.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            assertEquals(TS, d.getAttribute("timestamp"));
            l.add(d.getAttribute("filename"));
        }
        return l;
    }

    private static String sha1(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(b));
    }
}
