package org.pdsynth.fiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdsynth.nifti.ImageSummary;
import org.pdsynth.nifti.NiftiImage;
import org.pdsynth.nifti.NiftiReader;

/**
 * Seeded fuzz of what {@code pds info} does (read + summary + JSON) on 300 header and gzip
 * mutations of two tiny files (test-images/fuzz/, mutations and nibabel's reading of each in
 * src/test/resources/golden/fuzz-golden.json, from scripts/golden/fuzz_golden.py). For every
 * mutant, one of two outcomes and nothing else (no RuntimeException, no Error):
 * <ul>
 *   <li>a refusal: an IOException whose CLI line ({@link PdsCli#rootMessage}) is one line
 *       starting with the file's path;
 *   <li>a reading equal to nibabel's (shape, affine, mean of the finite values in double
 *       precision as {@code pds info} computes them, count of non-finite values), printed as
 *       strict JSON. Where nibabel refuses a mutant the product
 *       reads, the case must be one of the documented differences listed in {@link #lenient}.
 * </ul>
 */
class NiftiFuzzTest {
    @TempDir
    Path dir;

    @Test
    void everyMutantIsRefusedWithOneLineNamingTheFileOrReadAsNibabelReadsIt() throws Exception {
        JsonObject golden = JsonParser.parseString(Files.readString(Path.of("src/test/resources/golden/fuzz-golden.json")))
                .getAsJsonObject();
        JsonArray mutants = golden.getAsJsonArray("mutants");
        assertEquals(300, mutants.size());
        int refused = 0, agreed = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < mutants.size(); i++) {
            JsonObject m = mutants.get(i).getAsJsonObject();
            String base = m.get("base").getAsString();
            Path p = dir.resolve("m" + i + (base.endsWith(".gz") ? ".nii.gz" : ".nii"));
            Files.write(p, mutant(m));
            JsonObject nib = m.getAsJsonObject("nibabel");
            String what = "mutant " + i + " " + m.get("ops");
            NiftiImage img;
            try {
                img = NiftiReader.read(p);
            } catch (IOException e) {
                String line = PdsCli.rootMessage(new ExecutionException(new UncheckedIOException(e.getMessage(), e)));
                if (!line.startsWith(p + ": ") || line.contains("\n")) problems.add(what + ": refusal line '" + line + "'");
                refused++;
                continue;
            } catch (RuntimeException | Error e) {
                problems.add(what + ": " + e);
                continue;
            }
            String json;
            try {
                json = ImageSummary.read(p).toJson(); // what pds info prints: exact statistics, streamed
                ImageSummary.of(img).toJson();
                BadInputTest.strictJson(json);
            } catch (Exception | Error e) {
                problems.add(what + ": summary/JSON " + e);
                continue;
            }
            if (!nib.get("verdict").getAsString().equals("read")) {
                String why = lenient(m, nib);
                if (why == null) problems.add(what + ": read, but nibabel refuses (" + nib.get("why").getAsString() + ")");
                continue;
            }
            String diff = compare(nib, img, p);
            if (diff != null) problems.add(what + ": " + diff);
            else agreed++;
        }
        System.out.println("fuzz: " + refused + " refused, " + agreed + " agreed");
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
        assertTrue(refused > 50 && agreed > 100, refused + " refused, " + agreed + " read as nibabel reads them");
    }

    /**
     * Why the product may read a mutant nibabel refuses, or null when it may not. The documented
     * differences: a qform quaternion with b^2 + c^2 + d^2 &gt; 1 is normalised with a = 0 as
     * nifti_clib's nifti_quatern_to_mat44 does (nibabel: "w2 should be positive"); bytes after the
     * gzip member are ignored as gzip -d does (nibabel cannot sniff the file type). Both readings
     * are still checked for strict JSON above.
     */
    static String lenient(JsonObject m, JsonObject nib) {
        String why = nib.get("why").getAsString(), ops = m.get("ops").toString();
        if (why.contains("w2 should be positive") && ops.contains("\"quatern_")) return "quaternion normalised (nifti_clib)";
        if (m.get("stage").getAsString().equals("gz") && ops.contains("\"append\"") && why.contains("Cannot work out file type"))
            return "bytes after the gzip member ignored (gzip -d)";
        return null;
    }

    static String compare(JsonObject nib, NiftiImage img, Path p) throws IOException {
        JsonArray shape = nib.getAsJsonArray("shape");
        long[] ours = img.header().shape();
        StringBuilder s = new StringBuilder();
        for (long d : ours) s.append(s.length() == 0 ? "" : ",").append(d);
        StringBuilder t = new StringBuilder();
        for (JsonElement e : shape) t.append(t.length() == 0 ? "" : ",").append(e.getAsLong());
        if (!s.toString().equals(t.toString())) return "shape " + s + " vs nibabel " + t;
        JsonArray aff = nib.getAsJsonArray("affine");
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) {
                JsonElement e = aff.get(r).getAsJsonArray().get(c);
                double v = img.geometry().affine(r, c);
                if (e.isJsonNull() ? Double.isFinite(v) : !(Math.abs(v - e.getAsDouble()) <= 1e-5 * Math.max(1, Math.abs(v))))
                    return "affine[" + r + "][" + c + "] " + v + " vs nibabel " + e;
            }
        ImageSummary sum = ImageSummary.read(p);
        long nonFinite = sum.nanCount() + sum.infCount();
        if (nonFinite != nib.get("nan_inf").getAsLong()) return "non-finite count " + nonFinite + " vs nibabel " + nib.get("nan_inf");
        JsonElement mean = nib.get("mean");
        if (mean.isJsonNull() ? Double.isFinite(sum.mean()) : !(Math.abs(sum.mean() - mean.getAsDouble()) <= 1e-4 * Math.max(1, Math.abs(sum.mean()))))
            return "mean " + sum.mean() + " vs nibabel " + mean;
        return null;
    }

    /** The mutant's bytes, replaying the ops as the generator did. */
    static byte[] mutant(JsonObject m) throws IOException {
        String base = m.get("base").getAsString();
        byte[] stored = Files.readAllBytes(Path.of(base));
        boolean gz = base.endsWith(".gz");
        if (m.get("stage").getAsString().equals("gz")) return apply(stored, m.getAsJsonArray("ops"));
        byte[] raw = gz ? new GZIPInputStream(new java.io.ByteArrayInputStream(stored)).readAllBytes() : stored;
        byte[] out = apply(raw, m.getAsJsonArray("ops"));
        if (!gz) return out;
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bo)) {
            z.write(out);
        }
        return bo.toByteArray();
    }

    static byte[] apply(byte[] data, JsonArray ops) {
        byte[] b = data.clone();
        for (JsonElement e : ops) {
            JsonObject op = e.getAsJsonObject();
            if (op.has("set")) {
                byte[] h = HexFormat.of().parseHex(op.get("hex").getAsString());
                int at = op.get("set").getAsInt();
                if (at + h.length > b.length) b = java.util.Arrays.copyOf(b, at + h.length);
                System.arraycopy(h, 0, b, at, h.length);
            } else if (op.has("truncate")) {
                b = java.util.Arrays.copyOf(b, op.get("truncate").getAsInt());
            } else {
                byte[] h = HexFormat.of().parseHex(op.get("append").getAsString());
                byte[] n = java.util.Arrays.copyOf(b, b.length + h.length);
                System.arraycopy(h, 0, n, b.length, h.length);
                b = n;
            }
        }
        return b;
    }
}
