#!/usr/bin/python3
"""Helpers for bench/read-speed.sh (run with /usr/bin/python3, nibabel 5.0 from Debian).

  read_speed_nibabel.py generate OUT.nii.gz
      91x109x91x200 float32 of smooth random data (numpy seed 1234, Gaussian-smoothed white
      noise, sigma 2 voxels in space and 1 in time, scaled to 1000 +- ~50), 2 mm MNI-like affine,
      TR 2 s, written by nibabel.
  read_speed_nibabel.py time RUNS FILE...
      best-of-RUNS seconds of nib.load(f).get_fdata() (float64) and
      nib.load(f).get_fdata(dtype=np.float32); one line per file and variant:
      nibabel_f64|nibabel_f32 <TAB> file <TAB> best <TAB> all runs
"""
import gc
import sys
import time

import numpy as np
import nibabel as nib


def generate(out):
    from scipy.ndimage import gaussian_filter
    shape = (91, 109, 91, 200)
    rng = np.random.default_rng(1234)
    data = rng.standard_normal(shape, dtype=np.float32)
    gaussian_filter(data, sigma=(2, 2, 2, 1), output=data, mode="nearest")
    data *= np.float32(50 / data.std())
    data += np.float32(1000)
    affine = np.array([[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]], dtype=float)
    img = nib.Nifti1Image(data, affine)
    img.header.set_xyzt_units("mm", "sec")
    img.header["pixdim"][4] = 2.0
    img.header.set_sform(affine, code=4)
    img.header.set_qform(affine, code=4)
    nib.save(img, out)


def time_reads(runs, files):
    for f in files:
        for name, kw in (("nibabel_f64", {}), ("nibabel_f32", {"dtype": np.float32})):
            times = []
            for _ in range(runs):
                gc.collect()
                t0 = time.perf_counter()
                d = nib.load(f).get_fdata(**kw)
                times.append(time.perf_counter() - t0)
                assert d.size > 0
                del d
            print(f"{name}\t{f}\t{min(times):.4f}\t{','.join(f'{t:.3f}' for t in times)}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["generate"]:
        generate(sys.argv[2])
    elif sys.argv[1:2] == ["time"]:
        time_reads(int(sys.argv[2]), sys.argv[3:])
    else:
        sys.exit(__doc__)
