package org.pdsynth.nifti;

import java.util.Arrays;

/**
 * Where the voxels of an image are in the world, and how long a time step is.
 *
 * <p>Conventions: voxel indices (i, j, k) are 0-based in NIfTI storage order (ImgLib2 axes 0, 1,
 * 2). {@link #affine()} maps (i, j, k, 1) to world coordinates (x, y, z, 1) in {@link #spatialUnit()}
 * (normally mm, RAS+ as NIfTI defines), row-major 4x4. It is chosen as nibabel does: the sform
 * when sform_code &gt; 0, else the qform when qform_code &gt; 0, else a pixdim-only affine with the
 * x axis flipped and the origin at the volume centre ({@link Source#PIXDIM}).
 *
 * <p>Both raw transforms (sform rows and qform quaternion parameters with their codes) travel with
 * the geometry, so writing an image back stores what was read. Immutable.
 */
public final class Geometry {
    /** Which header transform {@link #affine()} came from. */
    public enum Source { SFORM, QFORM, PIXDIM }

    /** NIFTI_XFORM_* codes. */
    public static final int XFORM_UNKNOWN = 0, XFORM_SCANNER = 1, XFORM_ALIGNED = 2, XFORM_TALAIRACH = 3,
            XFORM_MNI = 4;

    private final double[] affine;
    private final Source source;
    private final double[] voxelSize;
    private final int xyztUnits;
    private final double tr;
    private final int sformCode;
    private final double[] sform;
    private final int qformCode;
    /** quatern_b, quatern_c, quatern_d, qoffset_x, qoffset_y, qoffset_z, qfac. */
    private final double[] qparams;

    private Geometry(double[] affine, Source source, double[] voxelSize, int xyztUnits, double tr, int sformCode,
            double[] sform, int qformCode, double[] qparams) {
        this.affine = affine;
        this.source = source;
        this.voxelSize = voxelSize;
        this.xyztUnits = xyztUnits;
        this.tr = tr;
        this.sformCode = sformCode;
        this.sform = sform;
        this.qformCode = qformCode;
        this.qparams = qparams;
    }

    /**
     * A geometry whose sform and qform both hold {@code affine} (row-major 4x4, last row 0 0 0 1),
     * with the given xform code (e.g. {@link #XFORM_MNI}), units mm and s, and TR in seconds (NaN
     * for none). The qform is the nearest rotation (with qfac for a reflection), as nibabel's
     * set_qform does; voxel sizes are the affine's column norms.
     */
    public static Geometry ofAffine(double[] affine, int xformCode, double trSeconds) {
        double[] a = checkAffine(affine);
        double[] vs = columnNorms(a);
        double[] q = Quaternion.fromAffine(a);
        double[] s = Arrays.copyOf(a, 12);
        return new Geometry(a, Source.SFORM, vs, 2 | 8, trSeconds, xformCode, s, xformCode, q);
    }

    /** A geometry from voxel sizes only (in mm): a diagonal affine with origin at voxel 0, code aligned. */
    public static Geometry ofVoxelSize(double sx, double sy, double sz) {
        return ofAffine(new double[] {sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1}, XFORM_ALIGNED, Double.NaN);
    }

    /**
     * Derives the geometry from a header's raw fields (the same rule nibabel's {@code img.affine}
     * follows), with the repairs nibabel applies on load (nifti1.py {@code _chk_pixdims},
     * {@code _chk_xform_code}; nifti_clib's {@code nifti_convert_nhdr2nim} agrees on the first):
     * a zero voxel size pixdim[1..3] is read as 1 and a negative one as its absolute value; an
     * sform_code or qform_code outside the defined 0..5 is read as 0 (unknown: that transform is
     * not used); qfac is -1 only when pixdim[0] is exactly -1, any value other than -1 or 1 is read
     * as 1 (nibabel's {@code _chk_qfac}; nifti_clib would take any negative value as -1). A
     * quaternion with b^2 + c^2 + d^2 &gt; 1 is normalised with a = 0 (nifti_clib's
     * nifti_quatern_to_mat44; nibabel refuses it). NaN fields are kept: {@link #requireUsable}
     * names them.
     */
    public static Geometry fromHeader(NiftiHeader h) {
        double qfac = h.pixdim[0] == -1 ? -1 : 1;
        double[] vs = new double[3];
        for (int i = 0; i < 3; i++) vs[i] = h.pixdim[i + 1] == 0 ? 1 : Math.abs(h.pixdim[i + 1]);
        int sformCode = validCode(h.sformCode), qformCode = validCode(h.qformCode);
        double[] q = {h.quaternB, h.quaternC, h.quaternD, h.qoffsetX, h.qoffsetY, h.qoffsetZ, qfac};
        double[] s = new double[12];
        System.arraycopy(h.srowX, 0, s, 0, 4);
        System.arraycopy(h.srowY, 0, s, 4, 4);
        System.arraycopy(h.srowZ, 0, s, 8, 4);
        double[] aff;
        Source src;
        if (sformCode > 0) {
            aff = Arrays.copyOf(s, 16);
            aff[15] = 1;
            src = Source.SFORM;
        } else if (qformCode > 0) {
            aff = Quaternion.toAffine(q, vs);
            src = Source.QFORM;
        } else {
            aff = pixdimAffine(h.shape(), vs);
            src = Source.PIXDIM;
        }
        double tr = Double.NaN;
        if (h.ndim() >= 4 && h.pixdim[4] > 0) tr = h.pixdim[4] * timeUnitSeconds(h.xyztUnits);
        return new Geometry(aff, src, vs, h.xyztUnits, tr, sformCode, s, qformCode, q);
    }

    /** NIFTI_XFORM codes 0..5 as they are; anything else 0 (nibabel's fix on load). */
    private static int validCode(int code) {
        return code >= 0 && code <= 5 ? code : 0;
    }

    /**
     * Writes this geometry into a header: pixdim[0..3], pixdim[4] (TR, when defined and the header
     * has a 4th dimension), xyzt_units, both transforms and their codes.
     */
    public void applyTo(NiftiHeader h) {
        h.pixdim[0] = qparams[6];
        h.pixdim[1] = voxelSize[0];
        h.pixdim[2] = voxelSize[1];
        h.pixdim[3] = voxelSize[2];
        if (!Double.isNaN(tr) && h.ndim() >= 4) h.pixdim[4] = tr / timeUnitSeconds(xyztUnits);
        h.xyztUnits = xyztUnits;
        h.sformCode = sformCode;
        h.srowX = Arrays.copyOfRange(sform, 0, 4);
        h.srowY = Arrays.copyOfRange(sform, 4, 8);
        h.srowZ = Arrays.copyOfRange(sform, 8, 12);
        h.qformCode = qformCode;
        h.quaternB = qparams[0];
        h.quaternC = qparams[1];
        h.quaternD = qparams[2];
        h.qoffsetX = qparams[3];
        h.qoffsetY = qparams[4];
        h.qoffsetZ = qparams[5];
    }

    /** The same geometry with another TR (seconds; NaN for none). */
    public Geometry withTr(double trSeconds) {
        return new Geometry(affine, source, voxelSize, xyztUnits, trSeconds, sformCode, sform, qformCode, qparams);
    }

    /** Voxel-to-world 4x4, row-major (a copy). */
    public double[] affine() {
        return affine.clone();
    }

    /** Element (row, col) of the voxel-to-world affine. */
    public double affine(int row, int col) {
        return affine[4 * row + col];
    }

    public Source source() {
        return source;
    }

    /** |pixdim[1..3]| in {@link #spatialUnit()}. */
    public double[] voxelSize() {
        return voxelSize.clone();
    }

    /** Repetition time in seconds, NaN when the image has none. */
    public double tr() {
        return tr;
    }

    public int xyztUnits() {
        return xyztUnits;
    }

    public int sformCode() {
        return sformCode;
    }

    public int qformCode() {
        return qformCode;
    }

    /** "m", "mm", "um" or "unknown". */
    public String spatialUnit() {
        return switch (xyztUnits & 0x07) {
            case 1 -> "m";
            case 2 -> "mm";
            case 3 -> "um";
            default -> "unknown";
        };
    }

    /** "s", "ms", "us", "Hz", "ppm", "rad/s" or "unknown". */
    public String timeUnit() {
        return switch (xyztUnits & 0x38) {
            case 8 -> "s";
            case 16 -> "ms";
            case 24 -> "us";
            case 32 -> "Hz";
            case 40 -> "ppm";
            case 48 -> "rad/s";
            default -> "unknown";
        };
    }

    /** World coordinates of a (fractional) voxel index. */
    public double[] voxelToWorld(double i, double j, double k) {
        double[] a = affine;
        return new double[] {
            a[0] * i + a[1] * j + a[2] * k + a[3],
            a[4] * i + a[5] * j + a[6] * k + a[7],
            a[8] * i + a[9] * j + a[10] * k + a[11]};
    }

    /**
     * Checks that this geometry can place voxels in the world: every element of {@link #affine()}
     * finite and its 3x3 part invertible. Commands that resample, align or write an image with its
     * geometry call this right after reading, before any work or output.
     *
     * @param file the image the geometry came from, named in the error
     * @return this
     * @throws NiftiFormatException one line naming the file and the header field at fault, e.g.
     *     {@code "a.nii: srow_x[0] is NaN"} or {@code "a.nii: the sform (sform_code 1) is singular"}
     */
    public Geometry requireUsable(java.nio.file.Path file) throws NiftiFormatException {
        String[] rows = {"srow_x", "srow_y", "srow_z"};
        String[] q = {"quatern_b", "quatern_c", "quatern_d", "qoffset_x", "qoffset_y", "qoffset_z"};
        if (source == Source.SFORM) {
            for (int i = 0; i < 12; i++)
                if (!Double.isFinite(sform[i])) throw new NiftiFormatException(file, rows[i / 4] + "[" + i % 4 + "] is " + sform[i]);
        } else {
            for (int i = 0; i < 3; i++)
                if (!Double.isFinite(voxelSize[i])) throw new NiftiFormatException(file, "pixdim[" + (i + 1) + "] is " + voxelSize[i]);
            if (source == Source.QFORM)
                for (int i = 0; i < 6; i++)
                    if (!Double.isFinite(qparams[i])) throw new NiftiFormatException(file, q[i] + " is " + qparams[i]);
        }
        try {
            invert(affine);
        } catch (IllegalArgumentException e) {
            throw new NiftiFormatException(file, switch (source) {
                case SFORM -> "the sform (sform_code " + sformCode + ") is singular: srow_x/y/z do not span 3-D";
                case QFORM -> "the qform (qform_code " + qformCode + ") is singular";
                case PIXDIM -> "the voxel sizes pixdim[1..3] " + Arrays.toString(voxelSize) + " give a singular affine";
            });
        }
        return this;
    }

    /** The inverse affine (world to voxel), row-major 4x4. */
    public double[] inverseAffine() {
        return invert(affine);
    }

    /** Inverse of a row-major 4x4 affine (last row 0 0 0 1). */
    public static double[] invert(double[] a) {
        double a00 = a[0], a01 = a[1], a02 = a[2], a10 = a[4], a11 = a[5], a12 = a[6], a20 = a[8], a21 = a[9],
                a22 = a[10];
        double c00 = a11 * a22 - a12 * a21, c01 = a02 * a21 - a01 * a22, c02 = a01 * a12 - a02 * a11;
        double c10 = a12 * a20 - a10 * a22, c11 = a00 * a22 - a02 * a20, c12 = a02 * a10 - a00 * a12;
        double c20 = a10 * a21 - a11 * a20, c21 = a01 * a20 - a00 * a21, c22 = a00 * a11 - a01 * a10;
        double det = a00 * c00 + a01 * c10 + a02 * c20;
        if (det == 0 || !Double.isFinite(det)) throw new IllegalArgumentException("affine is singular");
        double[] r = {c00 / det, c01 / det, c02 / det, 0, c10 / det, c11 / det, c12 / det, 0, c20 / det, c21 / det,
            c22 / det, 0, 0, 0, 0, 1};
        for (int i = 0; i < 3; i++)
            r[4 * i + 3] = -(r[4 * i] * a[3] + r[4 * i + 1] * a[7] + r[4 * i + 2] * a[11]);
        return r;
    }

    /** Seconds per unit of the header's time unit (1 when unknown, as most tools assume). */
    static double timeUnitSeconds(int xyztUnits) {
        return switch (xyztUnits & 0x38) {
            case 16 -> 1e-3;
            case 24 -> 1e-6;
            default -> 1;
        };
    }

    /** nibabel's base affine: diag(-vx, vy, vz) with the volume centre at world 0. */
    static double[] pixdimAffine(long[] shape, double[] vs) {
        double[] z = {-vs[0], vs[1], vs[2]};
        double[] a = new double[16];
        for (int i = 0; i < 3; i++) {
            double n = i < shape.length ? shape[i] : 1;
            double zi = z[i] == 0 ? (i == 0 ? -1 : 1) : z[i];
            a[5 * i] = zi;
            a[4 * i + 3] = -(n - 1) / 2.0 * zi;
        }
        a[15] = 1;
        return a;
    }

    private static double[] checkAffine(double[] a) {
        if (a.length != 16) throw new IllegalArgumentException("affine must have 16 elements (row-major 4x4)");
        for (double v : a)
            if (!Double.isFinite(v)) throw new IllegalArgumentException("affine has a non-finite element");
        double[] c = a.clone();
        c[12] = 0;
        c[13] = 0;
        c[14] = 0;
        c[15] = 1;
        invert(c);
        return c;
    }

    private static double[] columnNorms(double[] a) {
        double[] n = new double[3];
        for (int c = 0; c < 3; c++)
            n[c] = Math.sqrt(a[c] * a[c] + a[4 + c] * a[4 + c] + a[8 + c] * a[8 + c]);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Geometry g && Arrays.equals(g.affine, affine) && g.source == source
                && Arrays.equals(g.voxelSize, voxelSize) && g.xyztUnits == xyztUnits
                && Double.compare(g.tr, tr) == 0 && g.sformCode == sformCode && Arrays.equals(g.sform, sform)
                && g.qformCode == qformCode && Arrays.equals(g.qparams, qparams);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(affine) * 31 + Arrays.hashCode(voxelSize);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Geometry[" + source + ", voxel=" + Arrays.toString(voxelSize) + " "
                + spatialUnit() + ", tr=" + tr + " s, affine=");
        for (int r = 0; r < 4; r++)
            b.append(Arrays.toString(Arrays.copyOfRange(affine, 4 * r, 4 * r + 4)));
        return b.append(']').toString();
    }
}
