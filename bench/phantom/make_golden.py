#!/usr/bin/python3
"""Golden values for the phantom's unit tests, from independent tools (scipy, dipy).

Run from the repository root:  /usr/bin/python3 bench/phantom/make_golden.py
Writes src/test/resources/golden/phantom/hrf.txt and dwi_signal.txt (each file's header repeats
this command and the tool versions).
"""
import os
import numpy as np
import scipy
from scipy import stats, optimize
import dipy
from dipy.core.gradients import gradient_table
from dipy.sims.voxel import single_tensor
from dipy.reconst.dti import fractional_anisotropy, mean_diffusivity

out = 'src/test/resources/golden/phantom'
os.makedirs(out, exist_ok=True)
head = (f"# produced by: /usr/bin/python3 bench/phantom/make_golden.py (scipy {scipy.__version__}, "
        f"dipy {dipy.__version__}, numpy {np.__version__})\n")

# 1. canonical double-gamma HRF: gamma(6, scale 1) - gamma(16, scale 1) / 6
t = np.arange(0, 32.0001, 0.5)
h = stats.gamma.pdf(t, 6) - stats.gamma.pdf(t, 16) / 6
with open(os.path.join(out, 'hrf.txt'), 'w') as f:
    f.write(head + "# t_seconds h(t) = scipy.stats.gamma.pdf(t, 6) - scipy.stats.gamma.pdf(t, 16) / 6\n")
    for ti, hi in zip(t, h):
        f.write(f"{ti:.1f} {hi:.17g}\n")

# 2. axially symmetric tensor signal: eigenvalues found numerically from dipy's FA and MD
#    definitions, signal from dipy.sims.voxel.single_tensor (S0 = 1)
rng = np.random.default_rng(20240601)
cases = []
for fa, md in [(0.0, 0.8e-3), (0.2, 0.8e-3), (0.45, 0.75e-3), (0.7, 0.7e-3), (0.595, 0.77e-3), (0.9, 1.0e-3)]:
    def fa_of_ratio(r):  # r = l2 / l1 in (0, 1]
        l1 = 3 * md / (1 + 2 * r)
        return fractional_anisotropy(np.array([l1, r * l1, r * l1])) - fa
    r = 1.0 if fa == 0 else optimize.brentq(fa_of_ratio, 1e-6, 1.0, xtol=1e-15)
    l1 = 3 * md / (1 + 2 * r)
    ev = np.array([l1, r * l1, r * l1])
    assert abs(fractional_anisotropy(ev) - fa) < 1e-12 and abs(mean_diffusivity(ev) - md) < 1e-15
    for _ in range(3):
        e = rng.normal(size=3); e /= np.linalg.norm(e)
        a = np.cross(e, [1, 0, 0] if abs(e[0]) < 0.9 else [0, 1, 0]); a /= np.linalg.norm(a)
        c = np.cross(e, a)
        evecs = np.stack([e, a, c], axis=1)
        g = rng.normal(size=(4, 3)); g /= np.linalg.norm(g, axis=1, keepdims=True)
        bvals = np.array([1000.0, 1000.0, 2000.0, 500.0])
        gt = gradient_table(np.concatenate([[0], bvals]), np.concatenate([[[0, 0, 0]], g]))
        sig = single_tensor(gt, S0=1, evals=ev, evecs=evecs, snr=None)
        for k in range(4):
            cases.append((fa, md, ev[0], ev[1], *e, bvals[k], *g[k], sig[k + 1]))
with open(os.path.join(out, 'dwi_signal.txt'), 'w') as f:
    f.write(head + "# fa md l1 l2 ex ey ez b gx gy gz signal   (signal = dipy single_tensor(S0=1) for evals (l1, l2, l2),\n"
            "# principal eigenvector e; l1, l2 solved with scipy brentq from dipy's fractional_anisotropy and mean_diffusivity)\n")
    for row in cases:
        f.write(" ".join(f"{v:.17g}" for v in row) + "\n")
print("wrote", out)
