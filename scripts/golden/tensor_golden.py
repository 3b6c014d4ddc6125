#!/usr/bin/python3
"""Golden diffusion-tensor FA/MD by dipy 1.6 (Debian python3-dipy) on REAL DWI files.

Run from the repository root after scripts/fetch-test-data:

    /usr/bin/python3 scripts/golden/tensor_golden.py

Writes src/test/resources/golden/tensor-golden.json, checked by
org.pdsynth.metrics.TensorFitGoldenTest. Cases:
  - per volume: dipy.reconst.dti.TensorModel(gradient_table(bval, bvec), fit_method=OLS|WLS) on
    small_25 (b = 2000) and small_64D (b ~ 1000), every voxel (data as float32, as our reader
    yields it);
  - grouped: small_64D's volumes averaged into 8 channels (channel 0 = the b=0 volumes, then the
    diffusion-weighted volumes in file order split by numpy.array_split into 7 groups; mean in
    float64 stored as float32, as org.pdsynth.volume.Segmenter.average does), fitted with
    gradient_table(..., btens=mean of b g g^T over each group's volumes).
FA and MD maps are stored flat in x-fastest order (the order of our volumes).
"""
import hashlib
import json
import os

import dipy
import nibabel as nib
import numpy as np
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
import dipy.reconst.dti as dti

DATA = os.environ.get("PDS_TEST_DATA", "test-data")
OUT = "src/test/resources/golden/tensor-golden.json"


def sha(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def flat(a):
    return [float(v) for v in np.asarray(a).flatten(order="F")]


def load(stem, ext):
    data = nib.load(os.path.join(DATA, stem + ext)).get_fdata().astype(np.float32).astype(np.float64)
    bvals, bvecs = read_bvals_bvecs(os.path.join(DATA, stem + ".bval"), os.path.join(DATA, stem + ".bvec"))
    # our GradientTable makes directions unit vectors (small_25's deviate from 1 by up to 5e-5);
    # dipy uses them as given, so give dipy the same unit vectors (NaN rows = b0 = zero vector)
    bvecs = np.nan_to_num(bvecs)
    n = np.linalg.norm(bvecs, axis=1)
    bvecs = np.where(n[:, None] > 0, bvecs / np.where(n > 0, n, 1)[:, None], 0)
    return data, bvals, bvecs


def fits(data, gtab):
    out = {}
    for method in ("OLS", "WLS"):
        f = dti.TensorModel(gtab, fit_method=method).fit(data)
        out[method] = {"fa": flat(f.fa), "md": flat(f.md), "evals_first_voxel": [float(v) for v in f.evals[0, 0, 0]]}
    return out


cases = []
for stem, ext in (("small_25", ".nii.gz"), ("small_64D", ".nii")):
    data, bvals, bvecs = load(stem, ext)
    c = {"name": stem, "file": stem + ext, "sha256": {n: sha(n) for n in (stem + ext, stem + ".bval", stem + ".bvec")},
         "dims": list(data.shape[:3]), "grouped": False}
    c.update(fits(data, gradient_table(bvals, bvecs)))
    cases.append(c)

data, bvals, bvecs = load("small_64D", ".nii")
gt = gradient_table(bvals, bvecs)
b0 = np.where(gt.b0s_mask)[0]
dw = np.where(~gt.b0s_mask)[0]
groups = [b0] + list(np.array_split(dw, 7))
channels = np.stack([data[..., g].mean(-1).astype(np.float32).astype(np.float64) for g in groups], -1)
btens = np.zeros((len(groups), 3, 3))
for k, g in enumerate(groups):
    for v in g:
        u = gt.bvecs[v]
        btens[k] += gt.bvals[v] * np.outer(u, u) / len(g)
cb = np.array([np.trace(b) for b in btens])
cv = np.array([np.linalg.eigh(b)[1][:, -1] if np.trace(b) > 0 else np.zeros(3) for b in btens])
c = {"name": "small_64D_grouped", "file": "small_64D.nii", "sha256": {n: sha(n) for n in ("small_64D.nii", "small_64D.bval", "small_64D.bvec")},
     "dims": list(data.shape[:3]), "grouped": True, "groups": [[int(v) for v in g] for g in groups]}
c.update(fits(channels, gradient_table(cb, cv, btens=btens)))
cases.append(c)

doc = {"generator": "/usr/bin/python3 scripts/golden/tensor_golden.py",
       "tools": {"dipy": dipy.__version__, "numpy": np.__version__, "nibabel": nib.__version__},
       "conventions": "dipy TensorModel defaults (min_signal 1e-4, WLS weights from OLS); maps flat, x fastest",
       "cases": cases}
with open(OUT, "w") as f:
    json.dump(doc, f)
    f.write("\n")
print("wrote", OUT, [(c["name"], len(c["OLS"]["fa"])) for c in cases])
