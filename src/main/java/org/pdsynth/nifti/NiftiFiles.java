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
     * file is deleted and the target is left as it was.
     */
    public static void writeAtomically(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        try {
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
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
