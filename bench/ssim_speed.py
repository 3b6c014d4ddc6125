#!/usr/bin/python3
"""Companion of bench/ssim-speed.sh (run with Debian's /usr/bin/python3, scikit-image 0.19.3).

  ssim_speed.py generate OUT_DIR        writes OUT_DIR/ref.nii, OUT_DIR/test.nii (91x109x91 float32, seed 7)
  ssim_speed.py time REF TEST [REPEATS] times scikit-image, best of REPEATS after one warm-up, and prints
                                        key=value lines matching SsimSpeedBench's.
"""
import os
import sys
import time

import nibabel as nib
import numpy as np
from scipy import ndimage as ndi
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

SHAPE = (91, 109, 91)
SSIM_ARGS = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False)


def generate(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(7)
    ref = ndi.gaussian_filter(rng.normal(size=SHAPE), 2.0) * 400 + 1000
    test = ref + ndi.gaussian_filter(rng.normal(size=SHAPE), 1.0) * 60 + rng.normal(0, 20, SHAPE)
    for name, arr in (("ref", ref), ("test", test)):
        nib.save(nib.Nifti1Image(arr.astype(np.float32), np.eye(4)), os.path.join(out_dir, name + ".nii"))


def best_time(fn, repeats):
    value = fn()  # warm-up
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def time_skimage(ref_path, test_path, repeats):
    ref32 = np.asarray(nib.load(ref_path).dataobj, dtype=np.float32)
    test32 = np.asarray(nib.load(test_path).dataobj, dtype=np.float32)
    ref, test = ref32.astype(np.float64), test32.astype(np.float64)
    rng_ = float(ref.max() - ref.min())
    # float64 SSIM on the raw volumes: what SsimSpeedBench's ssim_seconds measures (Java works in float64)
    t, ssim = best_time(lambda: structural_similarity(ref, test, data_range=rng_, **SSIM_ARGS), repeats)
    # same on float32 input: scikit-image then filters in float32 (faster, less precise), for information
    t32, ssim32 = best_time(lambda: structural_similarity(ref32, test32, data_range=rng_, **SSIM_ARGS), repeats)

    def pipeline():  # what VolumeMetrics.compare does for one channel
        lo, hi = ref.min(), ref.max()
        r, s = (ref - lo) / (hi - lo), (test - lo) / (hi - lo)
        return (structural_similarity(r, s, data_range=1.0, **SSIM_ARGS),
                peak_signal_noise_ratio(r, s, data_range=1.0), np.mean(np.abs(r - s)))
    tc, (cssim, cpsnr, _) = best_time(pipeline, repeats)
    print(f"ssim={ssim:.15f}")
    print(f"ssim_seconds={t:.4f}")
    print(f"ssim_float32={ssim32:.15f}")
    print(f"ssim_float32_seconds={t32:.4f}")
    print(f"compare_ssim={cssim:.15f}")
    print(f"compare_psnr={cpsnr:.12f}")
    print(f"compare_seconds={tc:.4f}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "generate":
        generate(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "time":
        time_skimage(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 3)
    else:
        sys.exit(__doc__)
