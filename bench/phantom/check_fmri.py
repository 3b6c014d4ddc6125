#!/usr/bin/python3
"""Independent check of a phantom cohort's fMRI: default-mode connectivity by group.

Usage: /usr/bin/python3 bench/phantom/check_fmri.py COHORT_DIR

For each subject, the mean signal of every DMN region of the COHORT atlas (atlas.nii.gz +
atlas.txt; DMN region names from phantom.json, model.networks.DMN, matched by prefix) inside the
subject's mask; each signal is detrended (least squares on Legendre polynomials of degree 0..2);
DMN connectivity = mean Pearson correlation over all region pairs. As a control, the same for the
Visual network. Also the DMN low-frequency amplitude: mean over regions of std / mean (%).
Reports per-group means and PASS when mean DMN connectivity is ordered NC > MCI > AD; also the
Pearson correlation between measured connectivity and the latent dmn_connectivity column.
Only nibabel and numpy. Exit status 1 when the order check fails.
"""
import csv, json, os, sys
import numpy as np
import nibabel as nib


def region_ids(names, entries):
    return [k for k, n in names.items() if any(n == e or n.startswith(e) for e in entries)]


def connectivity(data, mask, atlas, ids, T):
    u = np.linspace(-1, 1, T)
    X = np.stack([np.ones(T), u, 1.5 * u * u - 0.5], 1)
    sig, amp = [], []
    for k in ids:
        m = (atlas == k) & mask
        if m.sum() < 2:
            continue
        s = data[m].mean(0)
        resid = s - X @ np.linalg.lstsq(X, s, rcond=None)[0]
        sig.append(resid)
        amp.append(100 * resid.std() / s.mean())
    c = np.corrcoef(np.array(sig))
    iu = np.triu_indices(len(sig), 1)
    return c[iu].mean(), np.mean(amp)


def main():
    cohort = sys.argv[1]
    rows = list(csv.DictReader(open(os.path.join(cohort, 'participants.csv'))))
    names = {int(l.split()[0]): l.split()[1] for l in open(os.path.join(cohort, 'atlas.txt')) if l.strip()}
    model = json.load(open(os.path.join(cohort, 'phantom.json')))['model']
    dmn = region_ids(names, model['networks']['DMN'])
    vis = region_ids(names, model['networks']['Visual'])
    atlas = np.asarray(nib.load(os.path.join(cohort, 'atlas.nii.gz')).dataobj).round().astype(int)
    res = []
    for r in rows:
        img = nib.load(os.path.join(cohort, r['fmri']))
        data = np.asarray(img.dataobj, dtype=np.float64)
        mask = np.asarray(nib.load(os.path.join(cohort, r['mask'])).dataobj) > 0
        T = data.shape[3]
        cd, ad = connectivity(data, mask, atlas, dmn, T)
        cv, _ = connectivity(data, mask, atlas, vis, T)
        res.append((r['label'], float(r['dmn_connectivity']), cd, cv, ad))
        print(f"{r['subject']} {r['label']:3s} latent {float(r['dmn_connectivity']):.3f}  measured DMN {cd:.3f}  "
              f"Visual {cv:.3f}  DMN amplitude {ad:.3f}%  (TR {img.header.get_zooms()[3]} s)", flush=True)
    print(f"\n{len(dmn)} DMN regions, {len(vis)} Visual regions")
    print("group  n  DMN connectivity (mean +- sd)  latent mean  Visual (control)  DMN amplitude %")
    means = {}
    for lab in ['NC', 'MCI', 'AD']:
        g = np.array([x[1:] for x in res if x[0] == lab])
        if len(g) == 0:
            continue
        means[lab] = g[:, 1].mean()
        print(f"{lab:4s} {len(g):3d}  {g[:, 1].mean():.3f} +- {g[:, 1].std():.3f}               {g[:, 0].mean():.3f}"
              f"        {g[:, 2].mean():.3f}            {g[:, 3].mean():.3f}")
    a = np.array([x[1:] for x in res])
    print(f"\nPearson r(measured DMN connectivity, latent dmn_connectivity) over {len(a)} subjects: "
          f"{np.corrcoef(a[:, 0], a[:, 1])[0, 1]:.3f}")
    ok = means.get('NC', 0) > means.get('MCI', 0) > means.get('AD', 0)
    print(f"order NC > MCI > AD: {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
