#!/usr/bin/python3
"""Checks the bvec convention of a phantom subject with two independent tools.

Usage: /usr/bin/python3 bench/phantom/check_bvec_convention.py COHORT_DIR [SUBJECT]
Needs MRtrix3 (Debian: apt-get install -y --no-install-recommends mrtrix3), nibabel, numpy, dipy.

The true fibre direction of every voxel is in SUBJECT/truth/fibre.nii.gz, in WORLD axes (RAS mm).
 - MRtrix3 imports the FSL bvec with -fslgrad, applying FSL's rule itself (bvecs in voxel axes,
   x flipped for a positive-determinant image), fits the tensor in scanner (world) axes
   (dwi2tensor) and writes the principal eigenvector (tensor2metric -vector, -modulate none).
 - dipy fits the tensor in the bvec frame as given; the eigenvector is mapped to world axes with the
   image's affine (linear part, columns normalised) -- right only when bvec = voxel axes, which is
   what FSL's rule gives for our negative-determinant (LAS) grids.
Reports the median |cos(angle)| between fitted and true directions in pure tract voxels (white
matter fraction >= 0.95, a tract label), for the bvec as written and, as a control, with its first
row negated (the other convention). PASS when the written bvec gives median |cos| >= 0.99 in both
tools and the control is clearly worse.
"""
import os, subprocess, sys, tempfile
import numpy as np
import nibabel as nib
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
import dipy.reconst.dti as dti


def mrtrix_v1(dwi, bvec, bval, mask, work, tag):
    mif = os.path.join(work, tag + '.mif')
    dt = os.path.join(work, tag + '_dt.mif')
    v1 = os.path.join(work, tag + '_v1.nii')
    q = ['-quiet', '-force']
    subprocess.run(['mrconvert', dwi, mif, '-fslgrad', bvec, bval] + q, check=True)
    subprocess.run(['dwi2tensor', mif, dt, '-mask', mask] + q, check=True)
    subprocess.run(['tensor2metric', dt, '-vector', v1, '-modulate', 'none'] + q, check=True)
    return np.asarray(nib.load(v1).dataobj, dtype=np.float64)


def dipy_v1_world(data, mask, bval, bvec, affine):
    bvals, bvecs = read_bvals_bvecs(bval, bvec)
    fit = dti.TensorModel(gradient_table(bvals, bvecs)).fit(data, mask=mask)
    ev = fit.evecs[..., :, 0]  # principal eigenvector, bvec frame
    lin = affine[:3, :3] / np.linalg.norm(affine[:3, :3], axis=0)
    return ev @ lin.T


def median_abs_cos(v, truth, sel):
    a, b = v[sel], truth[sel]
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    return float(np.median(np.abs((a * b).sum(1))))


def main():
    cohort = sys.argv[1]
    sub = sys.argv[2] if len(sys.argv) > 2 else 'sub-001'
    sd = os.path.join(cohort, sub)
    dwi, bval, bvec, mask = (os.path.join(sd, f) for f in ('dwi.nii.gz', 'dwi.bval', 'dwi.bvec', 'mask.nii.gz'))
    img = nib.load(dwi)
    data = np.asarray(img.dataobj, dtype=np.float64)
    m = np.asarray(nib.load(mask).dataobj) > 0
    truth = np.asarray(nib.load(os.path.join(sd, 'truth', 'fibre.nii.gz')).dataobj, dtype=np.float64)
    wm = np.asarray(nib.load(os.path.join(sd, 'truth', 'tissue.nii.gz')).dataobj)[..., 1]
    tr = np.asarray(nib.load(os.path.join(sd, 'truth', 'tracts.nii.gz')).dataobj)
    sel = m & (wm >= 0.95) & (tr > 0)
    oblique = sel & (np.abs(truth[..., 0]) > 0.3) & (np.abs(truth[..., 0]) < 0.95)
    print(f"affine determinant sign: {np.sign(np.linalg.det(img.affine[:3, :3])):+.0f}; pure tract voxels {sel.sum()}, "
          f"of which oblique in x (0.3 < |x| < 0.95): {oblique.sum()}")
    with tempfile.TemporaryDirectory() as work:
        flipped = os.path.join(work, 'flipped.bvec')
        b = np.loadtxt(bvec)
        b[0] *= -1
        np.savetxt(flipped, b, fmt='%.8f')
        res = {}
        for tag, bv in (('as written', bvec), ('x negated (control)', flipped)):
            v_mr = mrtrix_v1(dwi, bv, bval, mask, work, tag.split()[0])
            v_dp = dipy_v1_world(data, m, bval, bv, img.affine)
            res[tag] = (median_abs_cos(v_mr, truth, sel), median_abs_cos(v_mr, truth, oblique),
                        median_abs_cos(v_dp, truth, sel), median_abs_cos(v_dp, truth, oblique))
            print(f"bvec {tag:20s}  MRtrix3 median |cos| all {res[tag][0]:.4f} oblique {res[tag][1]:.4f}   "
                  f"dipy (bvec = voxel axes) all {res[tag][2]:.4f} oblique {res[tag][3]:.4f}")
    good, ctrl = res['as written'], res['x negated (control)']
    ok = good[0] >= 0.99 and good[2] >= 0.99 and good[1] > ctrl[1] + 0.05 and good[3] > ctrl[3] + 0.05
    print('PASS' if ok else 'FAIL')
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
