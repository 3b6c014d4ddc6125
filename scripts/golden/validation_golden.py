#!/usr/bin/python3
"""Golden values for org.pdsynth.diagnosis.ValidationStatistics, by numpy and scipy (independent tools).

    /usr/bin/python3 scripts/golden/validation_golden.py

Inputs generated here (numpy default_rng(20261130)), stored in the file: 23 subjects (truth codes
NC=0, MCI=1, AD=2), R = 4 repeats of predicted codes for a method A and a method B (B correct more
often), mean probabilities per subject (A's ties are broken by them).

Computed with numpy / scipy 1.10 (Debian bookworm):
  - pooled accuracy and macro F1 (F1_k = 2 C_kk / (row_k + col_k) over the classes present in the
    truth or the predictions, mean over them) of all subjects;
  - the bootstrap over subjects: the subject indices are drawn by a Python re-implementation of
    java.util.Random(seed).nextInt(n) (the JDK's documented 48-bit LCG, in `JavaRandom` below), so
    Java and numpy see the same resamples; each drawn subject contributes its R predictions;
    intervals = numpy.percentile(values, [2.5, 97.5]) (linear interpolation);
  - the paired bootstrap of acc_A - acc_B on the same indices; p = min(1, 2 min(#d<=0, #d>=0) / B);
  - majority votes (most frequent class, ties to the larger mean probability, then the lower code)
    and the exact McNemar p = scipy.stats.binomtest(n01, n01 + n10, 0.5).pvalue;
  - extra binomtest p-values for a few (n01, n10) pairs.
Writes src/test/resources/golden/validation-golden.json (checked by ValidationStatisticsGoldenTest).
"""
import json

import numpy as np
import scipy
from scipy.stats import binomtest


class JavaRandom:
    """java.util.Random: seed scrambled with 0x5DEECE66D, next(bits) of the 48-bit LCG, nextInt(bound)."""
    MULT, ADD, MASK = 0x5DEECE66D, 0xB, (1 << 48) - 1

    def __init__(self, seed):
        self.seed = (seed ^ self.MULT) & self.MASK

    def next(self, bits):
        self.seed = (self.seed * self.MULT + self.ADD) & self.MASK
        r = self.seed >> (48 - bits)
        return r - (1 << bits) if r >= (1 << (bits - 1)) and bits == 32 else r

    def next_int(self, bound):
        if bound & (bound - 1) == 0:
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            val = bits % bound
            if bits - val + (bound - 1) < (1 << 31):
                return val


def macro_f1(c):
    f = []
    for k in range(3):
        row, col = c[k].sum(), c[:, k].sum()
        if row + col > 0:
            f.append(2 * c[k, k] / (row + col))
    return float(np.mean(f))


def confusion(truth, pred, idx):
    c = np.zeros((3, 3), dtype=np.int64)
    for i in idx:
        for p in pred[i]:
            c[truth[i], p] += 1
    return c


def majority(pred, prob):
    out = []
    for i in range(len(pred)):
        cnt = np.bincount(pred[i], minlength=3)
        best = 0
        for k in (1, 2):
            if cnt[k] > cnt[best] or (cnt[k] == cnt[best] and prob[i][k] > prob[i][best]):
                best = k
        out.append(best)
    return np.array(out)


rng = np.random.default_rng(20261130)
n, R, B, seed = 23, 4, 500, 77
truth = rng.integers(0, 3, n)
pa = np.where(rng.random((n, R)) < 0.55, truth[:, None], rng.integers(0, 3, (n, R)))
pb = np.where(rng.random((n, R)) < 0.75, truth[:, None], rng.integers(0, 3, (n, R)))
proba = rng.dirichlet([1, 1, 1], n)
probb = rng.dirichlet([1, 1, 1], n)
pa[0] = [truth[0], truth[0], (truth[0] + 1) % 3, (truth[0] + 1) % 3]  # a tie, broken by probability
pa[1] = [0, 1, 2, 2]  # class 2 wins by count

jr = JavaRandom(seed)
draws = [[jr.next_int(n) for _ in range(n)] for _ in range(B)]
acc_a = [np.trace(confusion(truth, pa, d)) / (n * R) for d in draws]
f1_a = [macro_f1(confusion(truth, pa, d)) for d in draws]
full_a = confusion(truth, pa, range(n))
fa, fb = (pa == truth[:, None]).mean(1), (pb == truth[:, None]).mean(1)
diff = np.array([(fa[d].sum() - fb[d].sum()) / n for d in draws])
le, ge = int((diff <= 1e-12).sum()), int((diff >= -1e-12).sum())
ma, mb = majority(pa, proba) == truth, majority(pb, probb) == truth
n01, n10 = int((ma & ~mb).sum()), int((mb & ~ma).sum())

golden = {
    "generator": "/usr/bin/python3 scripts/golden/validation_golden.py (numpy %s, scipy %s)" % (np.__version__, scipy.__version__),
    "resamples": B, "seed": seed,
    "truth": truth.tolist(), "predicted_a": pa.tolist(), "predicted_b": pb.tolist(),
    "probability_a": proba.tolist(), "probability_b": probb.tolist(),
    "first_draws": draws[0][:10],
    "accuracy_a": float(np.trace(full_a) / (n * R)), "macro_f1_a": macro_f1(full_a),
    "accuracy_a_interval": np.percentile(acc_a, [2.5, 97.5]).tolist(),
    "macro_f1_a_interval": np.percentile(f1_a, [2.5, 97.5]).tolist(),
    "majority_a": majority(pa, proba).tolist(),
    "difference": float(fa.mean() - fb.mean()),
    "difference_interval": np.percentile(diff, [2.5, 97.5]).tolist(),
    "bootstrap_p": min(1.0, 2 * min(le, ge) / B),
    "only_a": n01, "only_b": n10,
    "mcnemar_p": binomtest(n01, n01 + n10, 0.5).pvalue if n01 + n10 > 0 else 1.0,
    "binomtest": [[a, b, binomtest(a, a + b, 0.5).pvalue] for a, b in [(0, 1), (1, 9), (3, 3), (12, 4), (0, 25), (7, 30)]],
    "percentile": {"values": [3.0, 1.0, 4.0, 1.5, 9.0, 2.6], "q": [0.0, 0.025, 0.5, 0.975, 1.0],
                   "expected": np.percentile([3.0, 1.0, 4.0, 1.5, 9.0, 2.6], [0.0, 2.5, 50, 97.5, 100]).tolist()},
}
with open("src/test/resources/golden/validation-golden.json", "w") as f:
    json.dump(golden, f, indent=1)
print(json.dumps({k: golden[k] for k in ("accuracy_a", "accuracy_a_interval", "macro_f1_a_interval", "difference", "difference_interval",
                                          "bootstrap_p", "only_a", "only_b", "mcnemar_p", "first_draws")}))
