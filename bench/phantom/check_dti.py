#!/usr/bin/python3
"""Independent check of a phantom cohort's diffusion data with dipy (TensorModel, WLS).

Usage: /usr/bin/python3 bench/phantom/check_dti.py COHORT_DIR [--max-subjects N] [--fa-tol 0.05] [--drop-tol 0.20]

Reports
  1. FA recovery: in "pure tract" voxels (truth/tissue WM fraction >= 0.95 and a tract label), the
     fitted FA against the configured white-matter FA of the voxel (truth/wm_fa): median fitted,
     median |error| and the share within --fa-tol. PASS when the median |error| <= fa-tol.
  2. Cingulum (JHU "Cingulum_(cingulate_gyrus)" L/R, voxels with WM fraction >= 0.9): mean FA and MD
     per subject, group means (NC/MCI/AD), and the AD-vs-NC relative FA drop against the configured
     drop mean(1 + fa_change | AD) / mean(1 + fa_change | NC) - 1 from participants.csv. PASS when
     measured / configured is within 1 +- drop-tol.
Only nibabel, numpy and dipy; reads participants.csv, tracts.txt and each subject's truth/ folder.
Exit status 1 when a check fails.
"""
import argparse, csv, os, sys
import numpy as np
import nibabel as nib
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
import dipy.reconst.dti as dti


def load(p):
    return np.asarray(nib.load(p).dataobj, dtype=np.float64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('cohort')
    ap.add_argument('--max-subjects', type=int, default=0)
    ap.add_argument('--fa-tol', type=float, default=0.05)
    ap.add_argument('--drop-tol', type=float, default=0.20)
    a = ap.parse_args()
    rows = list(csv.DictReader(open(os.path.join(a.cohort, 'participants.csv'))))
    if a.max_subjects:
        rows = rows[:a.max_subjects]
    names = {int(l.split()[0]): l.split()[1] for l in open(os.path.join(a.cohort, 'tracts.txt')) if l.strip()}
    cing = [k for k, n in names.items() if n.startswith('Cingulum_(cingulate_gyrus)')]
    errs, fitted_pure, per = [], [], []
    for r in rows:
        sd = os.path.join(a.cohort, r['subject'])
        img = nib.load(os.path.join(a.cohort, r['dwi']))
        data = np.asarray(img.dataobj, dtype=np.float64)
        mask = load(os.path.join(a.cohort, r['mask'])) > 0
        bvals, bvecs = read_bvals_bvecs(os.path.join(a.cohort, r['bval']), os.path.join(a.cohort, r['bvec']))
        fit = dti.TensorModel(gradient_table(bvals, bvecs)).fit(data, mask=mask)
        fa, md = fit.fa, fit.md
        tissue = load(os.path.join(sd, 'truth', 'tissue.nii.gz'))
        tracts = load(os.path.join(sd, 'truth', 'tracts.nii.gz'))
        wfa = load(os.path.join(sd, 'truth', 'wm_fa.nii.gz'))
        wm = tissue[..., 1]
        pure = mask & (wm >= 0.95) & (tracts > 0)
        errs.append(np.abs(fa[pure] - wfa[pure]))
        fitted_pure.append(fa[pure])
        c = mask & np.isin(tracts, cing) & (wm >= 0.9)
        per.append((r['label'], float(r['fa_change']), c.sum(), fa[c].mean(), md[c].mean()))
        print(f"{r['subject']} {r['label']:3s} fa_change {float(r['fa_change']):+.4f}  cingulum voxels {c.sum():4d}"
              f"  FA {fa[c].mean():.4f}  MD {md[c].mean() * 1e3:.4f}e-3  pure-tract voxels {pure.sum()}", flush=True)
    e = np.concatenate(errs)
    f = np.concatenate(fitted_pure)
    ok1 = np.median(e) <= a.fa_tol
    print(f"\nFA recovery in {e.size} pure tract voxels: median fitted FA {np.median(f):.4f}, median |fitted - configured| "
          f"{np.median(e):.4f}, mean {e.mean():.4f}, within {a.fa_tol}: {100 * np.mean(e <= a.fa_tol):.1f}%  "
          f"{'PASS' if ok1 else 'FAIL'}")
    groups = {}
    for lab, fc, n, fa_m, md_m in per:
        groups.setdefault(lab, []).append((fc, fa_m, md_m))
    print("\ngroup  n  cingulum FA (mean +- sd)   cingulum MD (1e-3 mm2/s)   configured mean fa_change")
    stats = {}
    for lab in ['NC', 'MCI', 'AD']:
        if lab not in groups:
            continue
        g = np.array(groups[lab])
        stats[lab] = g
        print(f"{lab:4s} {len(g):3d}  {g[:, 1].mean():.4f} +- {g[:, 1].std():.4f}        {g[:, 2].mean() * 1e3:.4f} +- {g[:, 2].std() * 1e3:.4f}"
              f"          {g[:, 0].mean():+.4f}")
    ok2 = True
    if 'NC' in stats and 'AD' in stats:
        meas = stats['AD'][:, 1].mean() / stats['NC'][:, 1].mean() - 1
        conf = (1 + stats['AD'][:, 0]).mean() / (1 + stats['NC'][:, 0]).mean() - 1
        ratio = meas / conf
        ok2 = abs(ratio - 1) <= a.drop_tol
        print(f"\nAD vs NC cingulum FA change: measured {100 * meas:+.2f}%, configured {100 * conf:+.2f}%, ratio {ratio:.3f}  "
              f"{'PASS' if ok2 else 'FAIL'} (tolerance +-{100 * a.drop_tol:.0f}%)")
        mdm = stats['AD'][:, 2].mean() / stats['NC'][:, 2].mean() - 1
        print(f"AD vs NC cingulum MD change: measured {100 * mdm:+.2f}%")
    sys.exit(0 if ok1 and ok2 else 1)


if __name__ == '__main__':
    main()
