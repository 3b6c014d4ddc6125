#!/usr/bin/python3
"""Golden disease-pattern numbers (org.pdsynth.metrics.DiseasePattern) by numpy/scipy.

    /usr/bin/python3 scripts/golden/pattern_golden.py

Random features (seed 20261130) for 14 subjects (5 NC, 4 MCI, 4 AD, 1 unlabelled) x 6 features,
a "truth" and a "test" (truth + Gaussian noise, sd 0.6). Cohen's d = (mean_A - mean_R) / s_p, s_p the pooled sample sd
(ddof=1); agreement over entries finite in both: scipy.stats.pearsonr and sum|d'-d| / sum|d|.
Writes src/test/resources/golden/pattern-golden.json (checked by DiseasePatternGoldenTest).
"""
import json

import numpy as np
import scipy
from scipy.stats import pearsonr

rng = np.random.default_rng(20261130)
labels = ["NC"] * 5 + ["MCI"] * 4 + ["AD"] * 4 + [""]
shift = {"NC": 0.0, "MCI": -0.5, "AD": -1.2, "": 0.3}
truth = np.array([rng.normal(10 + shift[l] * np.arange(1, 7) / 3, 1.0) for l in labels])
test = truth + rng.normal(0, 0.6, truth.shape)


def cohen(f, a, r):
    A = f[[i for i, l in enumerate(labels) if l == a]]
    R = f[[i for i, l in enumerate(labels) if l == r]]
    sp = np.sqrt(((len(A) - 1) * A.var(0, ddof=1) + (len(R) - 1) * R.var(0, ddof=1)) / (len(A) + len(R) - 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sp > 0, (A.mean(0) - R.mean(0)) / np.where(sp > 0, sp, 1), np.nan)


dt = np.concatenate([cohen(truth, "AD", "NC"), cohen(truth, "MCI", "NC")])
ds = np.concatenate([cohen(test, "AD", "NC"), cohen(test, "MCI", "NC")])
ok = np.isfinite(dt) & np.isfinite(ds)
doc = {"generator": "/usr/bin/python3 scripts/golden/pattern_golden.py",
       "tools": {"numpy": np.__version__, "scipy": scipy.__version__},
       "labels": labels, "truth": truth.tolist(), "test": test.tolist(),
       "d_truth": [None if not np.isfinite(v) else float(v) for v in dt],
       "d_test": [None if not np.isfinite(v) else float(v) for v in ds],
       "correlation": float(pearsonr(ds[ok], dt[ok])[0]),
       "relative_error": float(np.abs(ds[ok] - dt[ok]).sum() / np.abs(dt[ok]).sum()),
       "effects": int(ok.sum())}
with open("src/test/resources/golden/pattern-golden.json", "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
print(doc["correlation"], doc["relative_error"], doc["effects"])
