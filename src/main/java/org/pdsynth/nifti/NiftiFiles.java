package org.pdsynth.nifti;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** File-name rules of NIfTI (.nii, .nii.gz, .hdr/.img pairs) and atomic writing. */
public final class NiftiFiles {
    private NiftiFiles() {}

    /** The file name without its NIfTI (or .gz) suffix. */
    public static String baseName(Path p) {
        String n = p.getFileName().toString();
        for (String s : new String[] {".nii.gz", ".nii", ".hdr.gz", ".img.gz", ".hdr", ".img"})
            if (n.toLowerCase().endsWith(s)) return n.substring(0, n.length() - s.length());
        return n;
    }

    public static boolean isGzip(Path p) {
        return p.getFileName().toString().toLowerCase().endsWith(".gz");
    }

    /** For x.hdr[.gz] the x.img[.gz] beside it, and the other way round; null for .nii files. */
    static Path pairedFile(Path p) {
        String n = p.getFileName().toString();
        String lower = n.toLowerCase();
        String gz = lower.endsWith(".gz") ? n.substring(n.length() - 3) : "";
        String stem = gz.isEmpty() ? n : n.substring(0, n.length() - 3);
        String ext = stem.substring(Math.max(0, stem.length() - 4));
        String base = stem.substring(0, stem.length() - 4);
        String other = switch (ext) {
            case ".hdr" -> ".img";
            case ".HDR" -> ".IMG";
            case ".img" -> ".hdr";
            case ".IMG" -> ".HDR";
            default -> null;
        };
        return other == null ? null : p.resolveSibling(base + other + gz);
    }

    /** Writes a file through a temporary sibling and moves it into place, so readers never see half a file. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically: content goes to a hidden temporary file in the same folder,
     * which replaces the target only when the writer has finished; on any failure the temporary
     * file is deleted and the target is left as it was. An I/O failure (a full disk, a folder
     * that cannot be written) is rethrown as one line naming the target. Temporaries of earlier
     * runs killed mid-write ({@link #removeStaleTemporaries}) are removed first.
     *
     * @throws IOException "TARGET: cannot write (REASON)" with the JDK's exception as cause
     */
    public static void writeAtomically(Path target, Writer writer) throws IOException {
        Path tmp = null;
        try {
            Path dir = target.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            removeStaleTemporaries(target);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                writer.write(out);
            }
            // temporary files are created owner-only (0600); outputs are ordinary files (0644)
            if (Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class))
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (NiftiFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(target + ": cannot write (" + reason(e) + ")", e);
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
    }

    /** Seconds a temporary must have gone unmodified before another run counts it as stale. */
    static final long STALE_SECONDS = 10;

    /**
     * Deletes the temporaries {@link #writeAtomically} left beside {@code target} when its process
     * was killed mid-write (SIGKILL, the OOM killer: nothing can clean up then): hidden files named
     * {@code .NAME.<digits>.part} not modified for {@value #STALE_SECONDS} s (a write in progress
     * modifies its file continually). Returns how many were removed.
     */
    public static int removeStaleTemporaries(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) return 0;
        String prefix = "." + target.getFileName() + ".";
        long now = System.currentTimeMillis();
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (!n.startsWith(prefix) || !n.endsWith(".part")) continue;
                String middle = n.substring(prefix.length(), n.length() - ".part".length());
                if (middle.isEmpty() || !middle.chars().allMatch(Character::isDigit)) continue;
                try {
                    if (now - Files.getLastModifiedTime(p).toMillis() < STALE_SECONDS * 1000) continue;
                    if (Files.deleteIfExists(p)) removed++;
                } catch (IOException e) {
                    // another run removed it, or we may not: leave it
                }
            }
        }
        return removed;
    }

    /** The JDK's reason for a failure, without the path it may repeat. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f)
            return f.getReason() != null ? f.getReason() + " at " + f.getFile() : e.getClass().getSimpleName() + " " + f.getFile();
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * A text file as UTF-8 (a leading byte-order mark kept for the caller to strip). Every failure
     * is one line naming the file: missing, a folder, not UTF-8 (e.g. Latin-1 or UTF-16), or the
     * JDK's I/O reason.
     */
    public static String readUtf8(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new IOException(file + ": is a folder, not a file");
        if (!Files.exists(file)) throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such file");
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read (" + reason(e) + ")", e);
        }
        java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        try {
            return d.decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            boolean utf16 = b.length >= 2 && ((b[0] == (byte) 0xff && b[1] == (byte) 0xfe) || (b[0] == (byte) 0xfe && b[1] == (byte) 0xff));
            int at = 0;
            while (at < b.length && b[at] >= 0) at++;
            throw new IOException(file + ": is not UTF-8 text" + (utf16 ? " (it is UTF-16)" : " (byte " + at + " is 0x"
                    + String.format("%02x", b[Math.min(at, b.length - 1)] & 0xff) + ")") + "; save it as UTF-8", e);
        }
    }
}
