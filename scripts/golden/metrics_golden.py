#!/usr/bin/python3
"""Golden values for org.pdsynth.metrics, computed by scikit-image (independent of our Java code).

Run from the repository root with Debian's Python (scikit-image 0.19.3, scipy, nibabel):

    /usr/bin/python3 scripts/golden/metrics_golden.py

Writes small float32 NIfTI volumes to src/test/resources/golden/metrics/ and their metrics to
src/test/resources/golden/metrics-golden.json. Conventions (the product's, DESIGN.md section 4.8):
per channel, reference and test are mapped to s = (v - min_ref) / (max_ref - min_ref) with the
reference channel's min/max over the whole volume (float64 arithmetic on the float32 values as
stored in the files), then
  psnr = skimage.metrics.peak_signal_noise_ratio(ref_s, test_s, data_range=1)
  ssim = skimage.metrics.structural_similarity(ref_s, test_s, gaussian_weights=True, sigma=1.5,
                                                use_sample_covariance=False, data_range=1)
  mae  = mean |ref_s - test_s|
ssim and mae averaged over channels, psnr = peak_signal_noise_ratio of the scaled channels stacked
into one array (the MSE pooled over channels, not a mean of channel PSNRs; per-channel values
listed beside it); masked: psnr/mae over mask voxels (mask != 0), ssim = mean of
skimage's full SSIM map (full=True) over mask voxels at least pad = 5 voxels from every border.

To add a case: write a function case_<name>(rng) returning dict(ref=, test=, mask= or None) with
arrays indexed [x, y, z] or [x, y, z, channel], and list it in CASES.
"""
import json
import os
import sys

import nibabel as nib
import numpy as np
import scipy
import skimage
from scipy import ndimage as ndi
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

SEED = 20240611
CONVENTIONS = ("per channel s = (v - min_ref) / (max_ref - min_ref), reference channel range over the whole"
               " volume; psnr = skimage peak_signal_noise_ratio(data_range=1); ssim = skimage"
               " structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,"
               " data_range=1); mae = mean |ref_s - test_s|; ssim, mae averaged over channels, psnr of all"
               " channels stacked (pooled MSE); masked: psnr/mae over"
               " mask != 0, ssim = mean of the full SSIM map over mask voxels >= 5 voxels from every border")
OUT_DIR = "src/test/resources/golden/metrics"
OUT_JSON = "src/test/resources/golden/metrics-golden.json"
SSIM_ARGS = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1.0)
PAD = 5  # (win_size - 1) // 2 with win_size = 2 * int(3.5 * 1.5 + 0.5) + 1 = 11


def smooth_field(rng, shape, sigma, scale=1.0, offset=0.0):
    """A random smooth volume (float32): Gaussian-filtered white noise plus a few bright blobs."""
    f = ndi.gaussian_filter(rng.normal(size=shape), sigma)
    f /= f.std()
    grid = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    for _ in range(3):
        c = [rng.uniform(0, n) for n in shape]
        r2 = sum((g - ci) ** 2 for g, ci in zip(grid, c))
        f += 2.0 * np.exp(-r2 / (2 * rng.uniform(1.5, 3.0) ** 2))
    return (f * scale + offset).astype(np.float32)


def ellipsoid_mask(shape, frac=0.3, values=(1.0,), centre=0.4):
    """1 inside an ellipsoid with semi-axes frac * n centred at centre * n on each axis (off-centre,
    so it covers only part of the SSIM interior); with several values, inside voxels cycle through
    them (any nonzero value is inside)."""
    grid = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    r2 = sum(((g - centre * (n - 1)) / (frac * n)) ** 2 for g, n in zip(grid, shape))
    m = np.zeros(shape, np.float32)
    inside = np.argwhere(r2 <= 1.0)
    for k, idx in enumerate(inside):
        m[tuple(idx)] = values[k % len(values)]
    return m


def case_noise_16x18x20(rng):
    ref = smooth_field(rng, (16, 18, 20), 1.5, scale=100.0, offset=300.0)
    test = (ref + rng.normal(0, 12.0, ref.shape)).astype(np.float32)
    return dict(ref=ref, test=test, mask=ellipsoid_mask(ref.shape))


def case_blur_13x13x13(rng):
    ref = smooth_field(rng, (13, 13, 13), 1.0, scale=1.0, offset=-0.5)
    test = ndi.gaussian_filter(ref.astype(np.float64), 1.0).astype(np.float32)
    # mask values other than 1 (and a NaN-free float mask): anything nonzero is inside
    return dict(ref=ref, test=test, mask=ellipsoid_mask(ref.shape, 0.3, values=(1.0, 2.0, -3.5), centre=0.35))


def case_edge_11x12x13(rng):
    """Smallest legal size: the interior is 1x2x3 voxels, every window reaches a reflected border."""
    ref = smooth_field(rng, (11, 12, 13), 1.2, scale=5.0, offset=10.0)
    test = (0.9 * ref + rng.normal(0, 0.8, ref.shape)).astype(np.float32)
    return dict(ref=ref, test=test, mask=None)


def case_offset_14x15x16x4(rng):
    """Four channels of very different ranges; test = gain * ref + offset + noise, per channel."""
    shape = (14, 15, 16)
    scales = [1.0, 50.0, 0.01, 2000.0]
    offsets = [0.0, -20.0, 0.5, 1000.0]
    ref = np.stack([smooth_field(rng, shape, 1.5, s, o) for s, o in zip(scales, offsets)], axis=-1)
    test = np.empty_like(ref)
    for c, s in enumerate(scales):
        gain = 1.0 + 0.05 * (c + 1)
        test[..., c] = (gain * ref[..., c] + 0.1 * s + rng.normal(0, 0.2 * s, shape)).astype(np.float32)
    return dict(ref=ref, test=test, mask=ellipsoid_mask(shape, 0.35, centre=0.6))


def case_one_equal_channel_14x14x14x3(rng):
    """Channel 1 of the test equals the reference (its PSNR is +Infinity), the others do not: the
    pooled PSNR is finite (a mean of channel PSNRs would be +Infinity, claiming equality)."""
    shape = (14, 14, 14)
    ref = np.stack([smooth_field(rng, shape, 1.2, 10.0, 100.0) for _ in range(3)], axis=-1)
    test = ref.copy()
    for c in (0, 2):
        test[..., c] = (ref[..., c] + rng.normal(0, 2.0, shape)).astype(np.float32)
    return dict(ref=ref, test=test, mask=ellipsoid_mask(shape, 0.3, centre=0.6))


CASES = [case_noise_16x18x20, case_blur_13x13x13, case_edge_11x12x13, case_offset_14x15x16x4,
         case_one_equal_channel_14x14x14x3]


def save(arr, path):
    img = nib.Nifti1Image(np.asarray(arr, np.float32), np.eye(4))
    img.header.set_data_dtype(np.float32)
    nib.save(img, path)


def load(path):
    """The float32 values exactly as stored, as float64."""
    return np.asarray(nib.load(path).dataobj, dtype=np.float32).astype(np.float64)


def channel_metrics(ref, test, mask):
    lo, hi = ref.min(), ref.max()
    r = (ref - lo) / (hi - lo)
    t = (test - lo) / (hi - lo)
    ssim, smap = structural_similarity(r, t, full=True, **SSIM_ARGS)
    whole = dict(psnr=psnr(r, t), ssim=float(ssim), mae=float(np.mean(np.abs(r - t))), scaled=(r, t))
    if mask is None:
        return whole, None
    m = mask != 0
    interior = np.zeros_like(m)
    interior[PAD:-PAD, PAD:-PAD, PAD:-PAD] = True
    masked = dict(psnr=psnr(r[m], t[m]),
                  ssim=float(smap[m & interior].mean()),
                  mae=float(np.mean(np.abs(r[m] - t[m]))), scaled=(r[m], t[m]))
    masked["voxels"] = int(m.sum())
    masked["ssim_voxels"] = int((m & interior).sum())
    return whole, masked


def psnr(r, t):
    """skimage's PSNR; None (JSON null) where it is +Infinity (equal arrays: skimage divides by 0)."""
    if np.array_equal(r, t):
        return None
    return float(peak_signal_noise_ratio(r, t, data_range=1.0))


def report(per_channel):
    # PSNR of the whole array: the scaled channels stacked, i.e. the MSE pooled over channels
    pooled = psnr(np.stack([c["scaled"][0] for c in per_channel], -1), np.stack([c["scaled"][1] for c in per_channel], -1))
    return dict(data_range=1.0,
                psnr=pooled,
                ssim=float(np.mean([c["ssim"] for c in per_channel])),
                mae=float(np.mean([c["mae"] for c in per_channel])),
                channels=[dict(channel=i, psnr=c["psnr"], ssim=c["ssim"], mae=c["mae"])
                          for i, c in enumerate(per_channel)])


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    rng = np.random.default_rng(SEED)
    cases = {}
    for fn in CASES:
        name = fn.__name__[len("case_"):]
        vols = fn(rng)
        files = {}
        for key in ("ref", "test", "mask"):
            if vols[key] is not None:
                files[key] = f"metrics/{name}_{key}.nii"
                save(vols[key], os.path.join(OUT_DIR, f"{name}_{key}.nii"))
        ref = load(os.path.join(OUT_DIR, f"{name}_ref.nii"))
        test = load(os.path.join(OUT_DIR, f"{name}_test.nii"))
        mask = load(os.path.join(OUT_DIR, f"{name}_mask.nii")) if "mask" in files else None
        if ref.ndim == 3:
            ref, test = ref[..., None], test[..., None]
        whole, masked = zip(*[channel_metrics(ref[..., c], test[..., c], mask) for c in range(ref.shape[-1])])
        entry = dict(files=files, shape=list(ref.shape if ref.shape[-1] > 1 else ref.shape[:3]), **report(whole))
        if mask is not None:
            entry["masked"] = report(masked)
            # voxel counts (whole mask, mask inside the SSIM interior), for the reader's information
            entry["masked"]["voxels"] = masked[0]["voxels"]
            entry["masked"]["ssim_voxels"] = masked[0]["ssim_voxels"]
            interior = np.prod([n - 2 * PAD for n in ref.shape[:3]])
            assert 0 < masked[0]["ssim_voxels"] < interior, f"{name}: mask must cut the SSIM interior"
        # SSIM on the raw (unscaled) channel 0 with an explicit data range: tests Ssim.ssim3d and the
        # full map, whose border voxels (unlike the cropped mean) depend on the 'reflect' boundary rule
        raw_range = float(ref[..., 0].max() - ref[..., 0].min())
        ssim_raw, smap = structural_similarity(ref[..., 0], test[..., 0], gaussian_weights=True, sigma=1.5,
                                               use_sample_covariance=False, data_range=raw_range, full=True)
        nx, ny, nz = smap.shape
        probes = [(0, 0, 0), (nx - 1, ny - 1, nz - 1), (0, ny - 1, 2), (1, 2, nz - 2), (4, 4, 4),
                  (nx // 2, 0, nz // 2), (nx - 3, ny // 2, 1), (nx // 2, ny // 2, nz // 2)]
        entry["raw_channel0"] = dict(
            data_range=raw_range, ssim=float(ssim_raw),
            map_mean_all_voxels=float(smap.mean()),
            map_probes=[[x, y, z, float(smap[x, y, z])] for x, y, z in probes])
        cases[name] = entry
    doc = dict(
        command="/usr/bin/python3 scripts/golden/metrics_golden.py",
        tools=dict(python=sys.version.split()[0], numpy=np.__version__, scipy=scipy.__version__,
                   skimage=skimage.__version__, nibabel=nib.__version__),
        seed=SEED,
        # scipy's 1-D Gaussian weights (sigma 1.5, truncate 3.5): the response to a unit impulse
        window_weights=[float(v) for v in ndi.gaussian_filter1d(np.eye(1, 11, 5)[0], 1.5, truncate=3.5)],
        conventions=CONVENTIONS,
        cases=cases)
    with open(OUT_JSON + ".part", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(OUT_JSON + ".part", OUT_JSON)
    print(f"wrote {OUT_JSON} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
