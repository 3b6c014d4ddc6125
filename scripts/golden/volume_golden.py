#!/usr/bin/python3
"""Golden values for org.pdsynth.volume, from numpy and scikit-image (independent tools).

Run from the repository root:
    /usr/bin/python3 scripts/golden/volume_golden.py
Writes:
    src/test/resources/golden/volume-percentiles.json  numpy.percentile (default method "linear")
    src/test/resources/golden/volume-otsu.json         skimage.filters.threshold_otsu(x, nbins=256)
Inputs are generated here with a fixed seed and stored with the results, as float32-exact
numbers, so the Java tests read the very same values.
"""
import json
import os
import sys

import numpy as np
import skimage
from skimage.filters import threshold_otsu

OUT = os.path.join("src", "test", "resources", "golden")
COMMAND = "/usr/bin/python3 scripts/golden/volume_golden.py"


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def percentiles():
    rng = np.random.default_rng(20240611)
    qs = [0.0, 0.5, 1.0, 2.5, 25.0, 50.0, 75.0, 97.5, 99.0, 99.5, 100.0]
    cases = []
    data = {
        "n1": f32([3.25]),
        "n2": f32([-1.5, 4.0]),
        "ties": f32([1, 1, 1, 2, 2, 5, 5, 5, 5, 9]),
        "normal_7": f32(rng.normal(100, 15, 7)),
        "normal_200": f32(rng.normal(0, 1, 200)),
        "lognormal_1001": f32(rng.lognormal(3, 1, 1001)),
        "uniform_4096": f32(rng.uniform(-50, 800, 4096)),
    }
    for name, x in data.items():
        cases.append({
            "name": name,
            "values": [float(v) for v in x],
            "q": qs,
            "expected": [float(np.percentile(x, q)) for q in qs],
        })
    return {
        "command": COMMAND,
        "tool": "numpy " + np.__version__ + " numpy.percentile(values, q) (method linear)",
        "cases": cases,
    }


def otsu():
    rng = np.random.default_rng(7)
    cases = []
    bimodal = np.concatenate([rng.normal(10, 3, 700), rng.normal(60, 8, 300)])
    trimodal = np.concatenate([rng.normal(0, 1, 400), rng.normal(5, 1, 300), rng.normal(20, 2, 300)])
    skewed = rng.gamma(2.0, 10.0, 999)
    for name, x in {"bimodal": bimodal, "trimodal": trimodal, "skewed": skewed}.items():
        x = f32(x)
        cases.append({"name": name, "values": [float(v) for v in x], "nbins": 256,
                      "expected": float(threshold_otsu(x, nbins=256))})
    return {
        "command": COMMAND,
        "tool": "scikit-image " + skimage.__version__ + " skimage.filters.threshold_otsu(float64 values, nbins=256)",
        "cases": cases,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for fname, content in (("volume-percentiles.json", percentiles()), ("volume-otsu.json", otsu())):
        with open(os.path.join(OUT, fname), "w") as f:
            json.dump(content, f, indent=1)
            f.write("\n")
        print("wrote", os.path.join(OUT, fname), file=sys.stderr)


if __name__ == "__main__":
    main()
