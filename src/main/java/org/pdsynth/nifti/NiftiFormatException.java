package org.pdsynth.nifti;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a readable NIfTI image (or bval/bvec table). The message is one line that
 * names the file and the field that is wrong, e.g. {@code "sub-01/dwi.nii.gz: datatype 32
 * (complex64) is not supported"}.
 */
public class NiftiFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public NiftiFormatException(Path file, String what) {
        super(file + ": " + what);
    }

    public NiftiFormatException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
    }
}
