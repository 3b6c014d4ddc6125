#!/usr/bin/python3
"""Golden values for the display orientation of docs/fiji.md ("Orientation"), computed with nibabel.

Run from the repository root after scripts/fetch-test-data:

    /usr/bin/python3 scripts/golden/orientation_golden.py

Reads real files from ${PDS_TEST_DATA:-test-data} and writes
src/test/resources/golden/orientation-golden.json (with this command in "generator" and the
SHA-256 of every input). The convention, in nibabel's terms: the volume (first volume of a 4-D
file) reoriented by nib.as_closest_canonical (RAS+, axes permuted and flipped, no resampling),
then drawn with image column = RAS i, image row = ny - 1 - RAS j (anterior at the top), slice =
RAS k (inferior first). Recorded per file:
  axcodes     nib.aff2axcodes(img.affine) of the stored voxel order
  oblique     True when the affine's columns are not axis-aligned (max |off-axis cosine| > 1e-6)
  dims        display [width, height, slices]
  pixels      [[column, row, slice], value, [x, y, z]] at the 8 corners, the centre, the first
              maximum and 6 seeded random positions; value of img.get_fdata() (scaling applied; null for NaN),
              x, y, z the world coordinates of that voxel centre (canonical affine, mm)
"""
import hashlib
import json
import os

import numpy as np
import nibabel as nib

GENERATOR = "/usr/bin/python3 scripts/golden/orientation_golden.py"
FILES = ["anatomical.nii", "functional.nii", "example4d.nii.gz", "reoriented_anat_moved.nii",
         "resampled_anat_moved.nii", "ch2bet.nii.gz", "aal.nii.gz", "small_25.nii.gz"]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    data_dir = os.environ.get("PDS_TEST_DATA", "test-data")
    out = {"generator": GENERATOR, "nibabel": nib.__version__, "files": {}}
    for name in FILES:
        path = os.path.join(data_dir, name)
        img = nib.load(path)
        data = img.get_fdata()
        if data.ndim > 3:
            data = data[..., 0]
        first = nib.Nifti1Image(data, img.affine)
        can = nib.as_closest_canonical(first)
        c = can.get_fdata()
        nx, ny, nz = c.shape
        cols = img.affine[:3, :3] / np.linalg.norm(img.affine[:3, :3], axis=0)
        off = np.abs(cols) * (np.abs(cols) < np.abs(cols).max(axis=0))
        rng = np.random.default_rng(20261130)
        pos = [(i, j, k) for i in (0, nx - 1) for j in (0, ny - 1) for k in (0, nz - 1)]
        pos.append((nx // 2, ny // 2, nz // 2))
        am = np.unravel_index(int(np.nanargmax(c)), c.shape)
        pos.append(tuple(int(v) for v in am))
        for _ in range(6):
            pos.append((int(rng.integers(nx)), int(rng.integers(ny)), int(rng.integers(nz))))
        pixels = []
        for (i, j, k) in pos:
            world = can.affine @ np.array([i, j, k, 1.0])
            v = float(c[i, j, k])
            pixels.append([[int(i), int(ny - 1 - j), int(k)], v if np.isfinite(v) else None, [float(world[0]), float(world[1]), float(world[2])]])
        out["files"][name] = {
            "sha256": sha256(path),
            "axcodes": "".join(nib.aff2axcodes(img.affine)),
            "oblique": bool(off.max() > 1e-6),
            "dims": [int(nx), int(ny), int(nz)],
            "pixels": pixels,
        }
    target = "src/test/resources/golden/orientation-golden.json"
    with open(target, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(target)


if __name__ == "__main__":
    main()
