#!/usr/bin/python3
"""Golden sharpness ratios (org.pdsynth.metrics.Sharpness) by numpy/scipy, independent of our Java code.

Run from the repository root after scripts/fetch-test-data:

    /usr/bin/python3 scripts/golden/sharpness_golden.py

Inputs: the metrics fixtures in src/test/resources/golden/metrics/ (made by metrics_golden.py) and
real volumes fetched by scripts/fetch-test-data (example4d.nii.gz volumes 0 and 1; small_64D.nii
volumes 0..7 vs a scipy Gaussian blur of them). Definitions (per channel, then averaged):
  gradient ratio = G(test) / G(ref), G = mean over interior mask voxels (mask eroded by the 6-neighbourhood,
                   border voxels excluded) of |grad| with central differences (v[i+1]-v[i-1])/2;
  spectrum ratio = H(test) / H(ref), u = (v - mean_mask v) * mask * gaussian_filter(mask, 2, mode='nearest',
                   truncate=3), H = sum |fftn(u)|^2 over 0.5 < rho <= 1, rho^2 = sum_a (2 min(k, n-k) / n)^2.
Writes src/test/resources/golden/sharpness-golden.json (checked by SharpnessGoldenTest).
"""
import hashlib
import json
import os

import nibabel as nib
import numpy as np
import scipy
from scipy.ndimage import binary_erosion, gaussian_filter

DATA = os.environ.get("PDS_TEST_DATA", "test-data")
FIX = "src/test/resources/golden/metrics"
OUT = "src/test/resources/golden/sharpness-golden.json"


def f32(path):
    return np.asarray(nib.load(path).get_fdata(), dtype=np.float32).astype(np.float64)


def interior(mask):
    st = np.zeros((3, 3, 3), bool)
    st[1, 1, :] = st[1, :, 1] = st[:, 1, 1] = True
    return binary_erosion(mask, structure=st, border_value=0)


def mean_grad(v, inner):
    g = np.zeros(v.shape + (3,))
    g[1:-1, :, :, 0] = (v[2:] - v[:-2]) / 2
    g[:, 1:-1, :, 1] = (v[:, 2:] - v[:, :-2]) / 2
    g[:, :, 1:-1, 2] = (v[:, :, 2:] - v[:, :, :-2]) / 2
    return np.sqrt((g ** 2).sum(-1))[inner].mean()


def high_power(v, mask):
    w = mask * gaussian_filter(mask.astype(np.float64), 2.0, mode="nearest", truncate=3.0)
    u = (v - v[mask].mean()) * w
    p = np.abs(np.fft.fftn(u)) ** 2
    f = [2.0 * np.minimum(np.arange(n), n - np.arange(n)) / n for n in v.shape]
    rho2 = f[0][:, None, None] ** 2 + f[1][None, :, None] ** 2 + f[2][None, None, :] ** 2
    return p[(rho2 > 0.25) & (rho2 <= 1)].sum()


def sharpness(ref, test, mask):
    if ref.ndim == 3:
        ref, test = ref[..., None], test[..., None]
    mask = np.ones(ref.shape[:3], bool) if mask is None else mask != 0
    inner = interior(mask)
    g = [mean_grad(test[..., c], inner) / mean_grad(ref[..., c], inner) for c in range(ref.shape[3])]
    h = [high_power(test[..., c], mask) / high_power(ref[..., c], mask) for c in range(ref.shape[3])]
    return {"gradient_ratio": float(np.mean(g)), "spectrum_ratio": float(np.mean(h)),
            "channel_gradient_ratios": [float(x) for x in g], "channel_spectrum_ratios": [float(x) for x in h]}


def sha(p):
    with open(p, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


cases = {}
for name in ("blur_13x13x13", "noise_16x18x20", "offset_14x15x16x4"):
    ref, test = f32(f"{FIX}/{name}_ref.nii"), f32(f"{FIX}/{name}_test.nii")
    mask = f32(f"{FIX}/{name}_mask.nii")
    cases[name] = dict(reference=f"{name}_ref.nii", test=f"{name}_test.nii", mask=f"{name}_mask.nii", **sharpness(ref, test, mask))

e4 = f32(os.path.join(DATA, "example4d.nii.gz"))
cases["example4d_t0_vs_t1"] = dict(file="example4d.nii.gz", sha256=sha(os.path.join(DATA, "example4d.nii.gz")),
                                   mask_rule="reference>0", **sharpness(e4[..., 0], e4[..., 1], e4[..., 0] > 0))
s64 = f32(os.path.join(DATA, "small_64D.nii"))[..., :8]
blurred = np.stack([gaussian_filter(s64[..., c], 1.0, mode="nearest", truncate=3.0) for c in range(8)], -1)
cases["small_64D_vs_blur1"] = dict(file="small_64D.nii", sha256=sha(os.path.join(DATA, "small_64D.nii")),
                                   blur_sigma=1.0, blurred_float32=False, **sharpness(s64, blurred, None))

doc = {"generator": "/usr/bin/python3 scripts/golden/sharpness_golden.py",
       "tools": {"numpy": np.__version__, "scipy": scipy.__version__, "nibabel": nib.__version__},
       "cases": cases}
with open(OUT, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
for k, v in cases.items():
    print(k, round(v["gradient_ratio"], 4), round(v["spectrum_ratio"], 4))
