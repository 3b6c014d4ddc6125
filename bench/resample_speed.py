#!/usr/bin/python3
"""Companion of bench/resample-speed.sh (Debian's /usr/bin/python3: numpy, scipy, nibabel).

  resample_speed.py generate OUT_DIR
      writes OUT_DIR/in.nii: 91x109x91x8 float32 smooth random volumes on an oblique 2 mm affine
      (rotated 10 degrees about z, shifted 3.3 mm) over the MNI box, seed 11.
  resample_speed.py time OUT_DIR [REPEATS]
      times scipy.ndimage.affine_transform(order=1) channel by channel for the same two resamplings
      as ResampleSpeedBench (in.nii -> MNI 4 mm 48x56x48, and that -> MNI 2 mm 91x109x91), best of
      REPEATS after a warm-up (the way back starts from java_4mm.nii), and compares the values with OUT_DIR/java_4mm.nii / java_2mm.nii on
      the target voxels whose source position lies inside the source's voxel-centre hull (where
      both define plain trilinear interpolation). Prints key=value lines.
"""
import os
import sys
import time

import nibabel as nib
import numpy as np
from scipy import ndimage as ndi

MNI4 = np.array([[-4, 0, 0, 94], [0, 4, 0, -128], [0, 0, 4, -76], [0, 0, 0, 1]], float)
MNI2 = np.array([[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]], float)
SHAPE4 = (48, 56, 48)
SHAPE2 = (91, 109, 91)


def generate(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(11)
    vols = [ndi.gaussian_filter(rng.normal(size=SHAPE2), 2.0) * 400 + 1000 for _ in range(8)]
    data = np.stack(vols, axis=-1).astype(np.float32)
    a = np.deg2rad(10)
    rot = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    aff = MNI2.copy()
    aff[:3, :3] = rot @ MNI2[:3, :3]
    aff[:3, 3] = MNI2[:3, 3] + np.array([3.3, -1.1, 2.0])
    img = nib.Nifti1Image(data, aff)
    img.set_sform(aff, code=4)
    img.set_qform(aff, code=4)
    nib.save(img, os.path.join(out, "in.nii"))


def resample(data, src_aff, tgt_aff, tgt_shape):
    m = np.linalg.inv(src_aff) @ tgt_aff
    out = np.empty(tgt_shape + data.shape[3:], np.float32)
    for c in range(data.shape[3]):
        out[..., c] = ndi.affine_transform(data[..., c], m[:3, :3], m[:3, 3], output_shape=tgt_shape,
                                           order=1, mode="constant", cval=0.0)
    return out


def inside_hull(src_shape, src_aff, tgt_aff, tgt_shape):
    m = np.linalg.inv(src_aff) @ tgt_aff
    idx = np.indices(tgt_shape).reshape(3, -1)
    p = m[:3, :3] @ idx + m[:3, 3:4]
    ok = np.all((p >= 0) & (p <= np.array(src_shape)[:, None] - 1), axis=0)
    return ok.reshape(tgt_shape)


def best_time(fn, repeats):
    value = fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def time_all(out, repeats):
    img = nib.load(os.path.join(out, "in.nii"))
    data = np.asarray(img.dataobj, dtype=np.float32)
    src = img.affine
    t_down, down = best_time(lambda: resample(data, src, MNI4, SHAPE4), repeats)
    # the way back starts from OUR 4 mm result, so both sides interpolate the same input
    java_down = np.asarray(nib.load(os.path.join(out, "java_4mm.nii")).dataobj, dtype=np.float32)
    t_up, up = best_time(lambda: resample(java_down, MNI4, MNI2, SHAPE2), repeats)
    print("down_seconds=%.5f" % t_down)
    print("up_seconds=%.5f" % t_up)
    for name, ref, src_shape, src_aff, tgt_aff, shape in (
            ("down", down, data.shape[:3], src, MNI4, SHAPE4),
            ("up", up, SHAPE4, MNI4, MNI2, SHAPE2)):
        ours = np.asarray(nib.load(os.path.join(out, "java_%s.nii" % ("4mm" if name == "down" else "2mm"))).dataobj)
        ok = inside_hull(src_shape, src_aff, tgt_aff, shape)
        diff = np.abs(ours[ok] - ref[ok])
        print("%s_compared_voxels=%d" % (name, ok.sum() * ref.shape[3]))
        print("%s_max_abs_diff=%.6g" % (name, diff.max()))
        print("%s_max_rel_diff=%.3g" % (name, (diff / np.maximum(np.abs(ref[ok]), 1e-30)).max()))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2])
    else:
        time_all(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5)
