#!/usr/bin/python3
"""Golden metrics on REAL volumes (fetched by scripts/fetch-test-data), by scikit-image 0.19.3.

Run from the repository root after scripts/fetch-test-data:

    /usr/bin/python3 scripts/golden/metrics_real_golden.py

Same conventions as metrics_golden.py (per-channel scaling by the reference's range, then
skimage's PSNR/SSIM with data_range=1). The volumes are not copied: each case names a fetched file
(with its SHA-256) and which 3-D volumes of it are reference and test (index on the 4th axis, or
-1 for a 3-D file), and an optional mask rule (reference > 0).
"""
import hashlib
import json
import os
import sys

import nibabel as nib
import numpy as np
import skimage
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

DATA = os.environ.get("PDS_TEST_DATA", "test-data")
OUT_JSON = "src/test/resources/golden/metrics-real-golden.json"
SSIM_ARGS = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1.0)
PAD = 5

# (name, reference file, reference volume, test file, test volume, mask rule)
CASES = [
    ("example4d_t0_vs_t1", "example4d.nii.gz", 0, "example4d.nii.gz", 1, None),
    ("example_nifti2_t0_vs_t1", "example_nifti2.nii.gz", 0, "example_nifti2.nii.gz", 1, None),
    ("colin27_vs_aal_masked", "ch2bet.nii.gz", -1, "aal.nii.gz", -1, "reference>0"),
]


def volume(name, index):
    data = np.asarray(nib.load(os.path.join(DATA, name)).get_fdata(), dtype=np.float64)
    # our reader yields float32: compare on the same float32 values
    data = data.astype(np.float32).astype(np.float64)
    return data if index < 0 else data[..., index]


def sha256(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    cases = {}
    for name, rf, ri, tf, ti, rule in CASES:
        ref, test = volume(rf, ri), volume(tf, ti)
        lo, hi = ref.min(), ref.max()
        r, t = (ref - lo) / (hi - lo), (test - lo) / (hi - lo)
        ssim, smap = structural_similarity(r, t, full=True, **SSIM_ARGS)
        entry = dict(reference=dict(file=rf, sha256=sha256(rf), volume=ri),
                     test=dict(file=tf, sha256=sha256(tf), volume=ti), shape=list(ref.shape),
                     psnr=float(peak_signal_noise_ratio(r, t, data_range=1.0)), ssim=float(ssim),
                     mae=float(np.mean(np.abs(r - t))))
        if rule == "reference>0":
            m = ref > 0
            interior = np.zeros_like(m)
            interior[PAD:-PAD, PAD:-PAD, PAD:-PAD] = True
            entry["mask"] = rule
            entry["masked"] = dict(psnr=float(peak_signal_noise_ratio(r[m], t[m], data_range=1.0)),
                                   ssim=float(smap[m & interior].mean()), mae=float(np.mean(np.abs(r[m] - t[m]))))
        cases[name] = entry
    doc = dict(command="/usr/bin/python3 scripts/golden/metrics_real_golden.py",
               tools=dict(python=sys.version.split()[0], numpy=np.__version__, skimage=skimage.__version__,
                          nibabel=nib.__version__),
               cases=cases)
    with open(OUT_JSON + ".part", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(OUT_JSON + ".part", OUT_JSON)
    print(f"wrote {OUT_JSON} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
