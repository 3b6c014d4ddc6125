#!/usr/bin/python3
"""Why the tensor fit of direction-grouped DWI channels uses each group's MEAN B-MATRIX, not a mean
direction (org.pdsynth.metrics.TensorFit.ofGroups). dipy 1.6 (Debian python3-dipy) fits:
  - the full noise-free phantom DWI (b0s + 32 directions): the reference FA;
  - 8 channels (mean b0 + 7 direction clusters, antipodally symmetric k-means on |cos|, farthest-point
    seeds; the same kind of grouping as org.pdsynth.volume.DirectionClustering) with
    (a) each cluster's mean direction (normalised sum, signs aligned) and b = mean b, and
    (b) each cluster's mean b-matrix mean(b g g^T) (gradient_table(..., btens=...)).
White matter: full-data FA > 0.2 inside the mask.

    scripts/pds simulate --out /tmp/mx/clean --subjects 4 --seed 5 --noise-free   # PDS_DATA=test-data (atlas anatomy)
    /usr/bin/python3 bench/fa_grouping.py /tmp/mx/clean/sub-001

Measured (4 mm atlas phantom, sub-001, 13446 WM voxels): mean FA full 0.395, mean-b-matrix 0.392,
mean-direction 0.320; mean |FA - FA_full|: mean-b-matrix 0.0034, mean-direction 0.0752.
"""
import sys

import nibabel as nib
import numpy as np
from dipy.core.gradients import gradient_table
import dipy.reconst.dti as dti

s = sys.argv[1]
d = nib.load(f"{s}/dwi.nii.gz").get_fdata()
m = nib.load(f"{s}/mask.nii.gz").get_fdata() > 0
bv = np.loadtxt(f"{s}/dwi.bval")
bvec = np.loadtxt(f"{s}/dwi.bvec").T
full = dti.TensorModel(gradient_table(bv, bvec)).fit(d, mask=m)
dw, b0 = np.where(bv > 50)[0], np.where(bv <= 50)[0]
g = bvec[dw]
C = g[[int(np.abs(g[:, 0]).argmax())]]
for k in range(6):
    C = np.vstack([C, g[(1 - np.abs(g @ C.T).max(1)).argmax()]])
for it in range(100):
    a = np.abs(g @ C.T).argmax(1)
    C = np.array([(g[a == c] * np.sign(g[a == c] @ C[c])[:, None]).sum(0) for c in range(7)])
    C /= np.linalg.norm(C, axis=1)[:, None]
ch = np.stack([d[..., b0].mean(-1)] + [d[..., dw[a == c]].mean(-1) for c in range(7)], -1)
bvals = np.array([0] + [bv[dw[a == c]].mean() for c in range(7)])
mean_dir = dti.TensorModel(gradient_table(bvals, np.vstack([[0, 0, 0], C]))).fit(ch, mask=m)
bt = np.zeros((8, 3, 3))
for c in range(7):
    gg = g[a == c]
    bt[c + 1] = (bv[dw[a == c]][:, None, None] * gg[:, :, None] * gg[:, None, :]).mean(0)
mean_b = dti.TensorModel(gradient_table(bvals, np.vstack([[0, 0, 0], C]), btens=bt)).fit(ch, mask=m)
wm = m & (full.fa > 0.2)
print("cluster sizes", [int((a == c).sum()) for c in range(7)], "WM voxels", int(wm.sum()))
print("mean FA in WM: full %.3f  mean b-matrix %.3f  mean direction %.3f" % (full.fa[wm].mean(), mean_b.fa[wm].mean(), mean_dir.fa[wm].mean()))
print("mean |FA - FA_full| in WM: mean b-matrix %.4f  mean direction %.4f"
      % (np.abs(mean_b.fa - full.fa)[wm].mean(), np.abs(mean_dir.fa - full.fa)[wm].mean()))
