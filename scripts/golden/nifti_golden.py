#!/usr/bin/python3
"""Golden values for the real NIfTI / bval / bvec test files, computed with nibabel and dipy.

Run from the repository root after scripts/fetch-test-data:

    /usr/bin/python3 scripts/golden/nifti_golden.py

Reads the files from ${PDS_TEST_DATA:-test-data} and writes
  src/test/resources/golden/nifti-golden.json     (images and header-only files, nibabel)
  src/test/resources/golden/gradient-golden.json  (bval/bvec tables, dipy)
Both carry the exact command in "generator". Deterministic: same input files, same output bytes.

Conventions of the recorded values:
  dims        img.shape (every dimension, NIfTI storage order)
  datatype    numpy dtype name of the on-disk type (byte order dropped), e.g. "int16"
  voxel_size  header.get_zooms()[:3]
  affine      img.affine (nibabel: sform if sform_code > 0, else qform, else pixdim), 4x4 rows
  qform_affine  header.get_qform() (the quaternion transform), null when qform_code == 0
  tr          zooms[3] in seconds (ms -> /1000, us -> /1e6 by xyzt_units), null when ndim < 4
  min/max/mean/sum/nan_count   of img.get_fdata() (float64, scaling applied), NaN/Inf excluded
  voxels      [[index...], value or null for NaN] at deterministic positions: all-zero corner, far corner, two
              mixed corners, centre, first position of the maximum, one seeded random position
  sform_code, qform_code, scl_slope, scl_inter, n_extensions, vox_offset: raw values of the
              header as stored in the file (nibabel's img.header resets scl_* and vox_offset),
              null for NaN
  version     1 or 2
"""
import hashlib
import json
import math
import os
import sys

import numpy as np
import nibabel as nib
from nibabel.openers import ImageOpener
import dipy
from dipy.io import read_bvals_bvecs
from dipy.core.gradients import gradient_table

GENERATOR = "/usr/bin/python3 scripts/golden/nifti_golden.py"

IMAGES = [
    "example4d.nii.gz", "functional.nii", "anatomical.nii", "example_nifti2.nii.gz",
    "reoriented_anat_moved.nii", "resampled_anat_moved.nii",
    "small_25.nii.gz", "small_64D.nii", "small_101D.nii.gz",
    "aal.nii.gz", "JHU-WhiteMatter-labels-2mm.nii.gz", "ch2better.nii.gz", "ch2bet.nii.gz",
    "ascm_out_test.nii.gz", "ATestReferenceImageForReadingAndWriting.nii.gz",
]
HEADERS_ONLY = ["nifti1.hdr", "nifti2.hdr"]
GRADIENTS = ["small_25", "small_64D", "small_101D"]


def num(v):
    """A JSON number from a numpy scalar; None for NaN (and +-Inf)."""
    v = float(v)
    return v if math.isfinite(v) else None


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def raw_header(img, path):
    """The header exactly as stored in the file (img.header has scl_* and vox_offset reset)."""
    with ImageOpener(path) as f:
        return img.header_class.from_fileobj(f)


def header_fields(img, path):
    raw = raw_header(img, path)
    zooms = raw.get_zooms()
    shape = img.shape
    tr = None
    if len(shape) >= 4:
        unit = raw.get_xyzt_units()[1]
        tr = float(zooms[3]) / {"msec": 1e3, "usec": 1e6}.get(unit, 1.0)
    return {
        "sha256": sha256(path),
        "version": 2 if isinstance(raw, nib.Nifti2Header) else 1,
        "byte_order": "big" if raw.endianness == ">" else "little",
        "dims": [int(d) for d in shape],
        "datatype": raw.get_data_dtype().newbyteorder("=").name,
        "voxel_size": [float(z) for z in zooms[:3]],
        "xyzt_units": int(raw["xyzt_units"]),
        "affine": [[float(v) for v in row] for row in img.affine],
        "qform_affine": None if int(raw["qform_code"]) == 0 else [[float(v) for v in row] for row in raw.get_qform()],
        "tr": tr,
        "sform_code": int(raw["sform_code"]),
        "qform_code": int(raw["qform_code"]),
        "scl_slope": num(raw["scl_slope"]),
        "scl_inter": num(raw["scl_inter"]),
        "vox_offset": int(raw["vox_offset"]),
        "n_extensions": len(raw.extensions),
        "extension_codes": [int(e.get_code()) for e in raw.extensions],
        "descrip": raw["descrip"].item().decode("latin-1"),
    }


def sample_positions(shape, data):
    last = tuple(d - 1 for d in shape)
    pos = [
        tuple(0 for _ in shape),
        last,
        (last[0],) + tuple(0 for _ in shape[1:]),
        (0,) + last[1:],
        tuple(d // 2 for d in shape),
    ]
    finite = np.where(np.isfinite(data), data, -np.inf)
    pos.append(tuple(int(i) for i in np.unravel_index(int(np.argmax(finite)), shape)))
    rng = np.random.default_rng(20240601)
    pos.append(tuple(int(rng.integers(0, d)) for d in shape))
    out = []
    for p in pos:
        if p not in out:
            out.append(p)
    return out


def image_entry(path):
    img = nib.load(path)
    entry = header_fields(img, path)
    data = img.get_fdata()  # float64, scl_slope/scl_inter applied
    finite = data[np.isfinite(data)]
    entry.update({
        "min": float(finite.min()),
        "max": float(finite.max()),
        "mean": float(np.sum(finite, dtype=np.longdouble) / finite.size),
        "sum": float(np.sum(finite, dtype=np.longdouble)),
        "nan_count": int(np.isnan(data).sum()),
        "inf_count": int(np.isinf(data).sum()),
        "voxels": [[list(p), num(data[p])] for p in sample_positions(img.shape, data)],
    })
    return entry


def header_only_entry(path):
    img = nib.load(path)  # a Nifti1Pair / Nifti2Pair; the .img is absent, so no data
    entry = header_fields(img, path)
    entry["image_file"] = os.path.basename(path)[:-4] + ".img"
    return entry


def gradient_entry(base):
    bvals, bvecs = read_bvals_bvecs(base + ".bval", base + ".bvec")
    nan_rows = np.flatnonzero(np.isnan(np.asarray(bvecs, dtype=float)).any(axis=1))
    gtab = gradient_table(bvals, bvecs)  # default b0_threshold 50, atol 1e-2
    vecs = np.asarray(gtab.bvecs, dtype=float)
    norms = np.linalg.norm(vecs, axis=1)
    unit = np.where(norms[:, None] > 0, vecs / np.where(norms > 0, norms, 1)[:, None], 0.0)
    return {
        "sha256_bval": sha256(base + ".bval"),
        "sha256_bvec": sha256(base + ".bvec"),
        "size": int(len(gtab.bvals)),
        "b0_threshold": float(gtab.b0_threshold),
        "bvals": [float(b) for b in gtab.bvals],
        "bvecs": [[float(v) for v in row] for row in vecs],
        "bvecs_unit": [[float(v) for v in row] for row in unit],
        "b0_indices": [int(i) for i in np.flatnonzero(gtab.b0s_mask)],
        "b0s_mask": [bool(b) for b in gtab.b0s_mask],
        "nan_rows": [int(i) for i in nan_rows],
    }


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, sort_keys=False, allow_nan=False)
        f.write("\n")
    os.replace(tmp, path)


def main():
    data_dir = os.environ.get("PDS_TEST_DATA", "test-data")
    if not os.path.isdir(data_dir):
        sys.exit(f"{data_dir}: test data missing: run scripts/fetch-test-data")
    files = {}
    for name in IMAGES:
        files[name] = image_entry(os.path.join(data_dir, name))
        print(f"{name}: {files[name]['dims']} {files[name]['datatype']}", file=sys.stderr)
    headers = {name: header_only_entry(os.path.join(data_dir, name)) for name in HEADERS_ONLY}
    write_json("src/test/resources/golden/nifti-golden.json", {
        "generator": GENERATOR,
        "nibabel": nib.__version__,
        "numpy": np.__version__,
        "files": files,
        "headers_only": headers,
    })
    grads = {name: gradient_entry(os.path.join(data_dir, name)) for name in GRADIENTS}
    write_json("src/test/resources/golden/gradient-golden.json", {
        "generator": GENERATOR,
        "dipy": dipy.__version__,
        "numpy": np.__version__,
        "note": "bvecs: dipy gradient_table(...).bvecs as dipy keeps them (not renormalised); "
                "bvecs_unit: the same rows divided by their norm (zero rows stay zero); "
                "b0_indices: where gtab.b0s_mask is true (b <= b0_threshold); "
                "nan_rows: rows of the bvec file that hold NaN (dipy makes them zero vectors)",
        "tables": grads,
    })


if __name__ == "__main__":
    main()
