package org.pdsynth.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import org.pdsynth.nifti.NiftiFiles;

/**
 * Our {@code .params} format: named float arrays with a checksum, so a truncated, corrupt or
 * foreign file is refused with a one-line message naming the file.
 *
 * <pre>
 *   8 bytes  "PDSPARAM"
 *   int      format version (1)
 *   UTF      kind ("model", "ema", "adam")
 *   int      count
 *   count x  { UTF name; int length; length bytes = DJL NDArray.encode() }
 *   8 bytes  "PDSEND\0\0", then long CRC32 of every byte before this trailer
 * </pre>
 * Big-endian (DataOutputStream). Written atomically (temporary file, then move).
 */
public final class ParamsFile {
    private static final byte[] MAGIC = "PDSPARAM".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRAILER = "PDSEND\0\0".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private ParamsFile() {}

    /** Writes {@code arrays} under {@code names}. */
    public static void write(Path file, String kind, List<String> names, List<NDArray> arrays) throws IOException {
        if (names.size() != arrays.size()) throw new IllegalArgumentException(names.size() + " names for " + arrays.size() + " arrays");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(body)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(kind);
            out.writeInt(arrays.size());
            for (int i = 0; i < arrays.size(); i++) {
                byte[] enc = arrays.get(i).encode();
                out.writeUTF(names.get(i));
                out.writeInt(enc.length);
                out.write(enc);
            }
        }
        byte[] bytes = body.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(bytes);
        NiftiFiles.writeAtomically(file, os -> {
            DataOutputStream out = new DataOutputStream(os);
            out.write(bytes);
            out.write(TRAILER);
            out.writeLong(crc.getValue());
            out.flush();
        });
    }

    /**
     * Reads a file written by {@link #write} into {@code manager}, checking its kind and that its
     * names and shapes equal {@code names}/{@code shapes} (the model's).
     *
     * @throws ParamsFormatException one line naming the file and what is wrong
     */
    public static List<NDArray> read(Path file, String kind, List<String> names, List<Shape> shapes, NDManager manager)
            throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ParamsFormatException(file, "is missing");
        }
        if (all.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new ParamsFormatException(file, "is not a PDS parameter file (no PDSPARAM signature; a DJL or other .params file?)");
        }
        int bodyLength = all.length - TRAILER.length - 8;
        if (bodyLength < MAGIC.length
                || !Arrays.equals(Arrays.copyOfRange(all, bodyLength, bodyLength + TRAILER.length), TRAILER)) {
            throw new ParamsFormatException(file, "is truncated (" + all.length + " bytes, no end marker)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, bodyLength);
        long stored = java.nio.ByteBuffer.wrap(all, bodyLength + TRAILER.length, 8).getLong();
        if (stored != crc.getValue()) throw new ParamsFormatException(file, "is corrupt (checksum mismatch)");
        List<NDArray> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, bodyLength))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != VERSION) throw new ParamsFormatException(file, "has format version " + version + ", this program reads " + VERSION);
            String k = in.readUTF();
            if (!k.equals(kind)) throw new ParamsFormatException(file, "holds '" + k + "' arrays, expected '" + kind + "'");
            int count = in.readInt();
            if (count != names.size()) {
                throw new ParamsFormatException(file, "holds " + count + " arrays, this model has " + names.size() + " parameters (made for another model config)");
            }
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] enc = new byte[in.readInt()];
                in.readFully(enc);
                if (!name.equals(names.get(i))) {
                    throw new ParamsFormatException(file, "array " + i + " is '" + name + "', the model expects '" + names.get(i) + "' (made for another model config)");
                }
                NDArray a = manager.decode(enc);
                out.add(a);
                if (!a.getShape().equals(shapes.get(i))) {
                    throw new ParamsFormatException(file, "'" + name + "' has shape " + a.getShape() + ", the model expects " + shapes.get(i) + " (made for another model config)");
                }
            }
            if (in.available() != 0) throw new ParamsFormatException(file, "has " + in.available() + " unexpected bytes after the arrays");
        } catch (EOFException e) {
            out.forEach(NDArray::close);
            throw new ParamsFormatException(file, "is inconsistent (ends inside an array)");
        } catch (ParamsFormatException e) {
            out.forEach(NDArray::close);
            throw e;
        }
        return out;
    }

    /** Bad parameter file: message "file: what". */
    public static final class ParamsFormatException extends IOException {
        private final transient Path file;

        public ParamsFormatException(Path file, String what) {
            super(file + ": " + what);
            this.file = file;
        }

        public Path file() {
            return file;
        }
    }
}
