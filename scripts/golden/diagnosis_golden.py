#!/usr/bin/python3
"""Golden values for org.pdsynth.diagnosis, from scikit-learn and nibabel/numpy (independent tools).

Run from the repository root with Debian's Python (needs `apt-get install python3-sklearn`,
scikit-learn 1.2.1 on bookworm; and `scripts/fetch-test-data` for the atlas part):

    /usr/bin/python3 scripts/golden/diagnosis_golden.py

Writes
  src/test/resources/golden/diagnosis-logreg.json
      Multinomial L2 logistic regression. Our objective is
          J(W, b) = (1/n) sum_i CE_i + (lambda/2) ||W||_F^2   (intercepts not penalised);
      scikit-learn's LogisticRegression(penalty="l2", multi_class="multinomial", fit_intercept=True,
      C=C) minimises sum_i CE_i + ||W||_F^2 / (2C), the same minimiser when C = 1 / (n lambda).
      Solver "newton-cg" with tol=1e-7 (its test: max |gradient of the SUM objective| <= tol):
      "lbfgs" stops on scipy's default relative-decrease test (ftol) with |grad J| near 1e-5, too
      loose for a golden; newton-cg reaches |grad J| <= 4e-10 on every case here. Each case stores the inputs (float64, exactly as used), lambda, C,
      sklearn's coef_ / intercept_ (shape (1, d) / (1,) for two classes: that row is class 1),
      predict_proba on the training rows and on extra rows, and the max-abs gradient of J at
      sklearn's solution (computed here with numpy) so the reader can see how converged it is.
      The "pipeline" case: StandardScaler fitted on the training rows, then the regression;
      probabilities of test rows.
  src/test/resources/golden/diagnosis-aal-4mm.json
      Voxel count per AAL label on the 4 mm MNI model grid (48 x 56 x 48, affine
      [[-4,0,0,94],[0,4,0,-128],[0,0,4,-76]]) after nearest-neighbour resampling by nibabel
      (nibabel.processing.resample_from_to(img, (dims, affine), order=0, mode="constant", cval=0),
      i.e. scipy.ndimage.affine_transform): an independent implementation, not the project's rule
      written again. (On this pair of grids every target voxel centre falls exactly on a source
      voxel centre, so no tie-breaking convention can make the two differ.)
"""
import hashlib
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

OUT = os.path.join("src", "test", "resources", "golden")
COMMAND = "/usr/bin/python3 scripts/golden/diagnosis_golden.py"
SEED = 20240612


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def full_params(model, k):
    """W (K x d), b (K) of a fitted sklearn model; for 2 classes sklearn keeps only class 1's row (W0 = -W1)."""
    w, b = model.coef_, model.intercept_
    if k == 2:
        w = np.vstack([-w[0], w[0]])
        b = np.array([-b[0], b[0]])
    return w, b


def gradient_max_abs(x, y, w, b, lam):
    n, k = x.shape[0], w.shape[0]
    p = softmax(x @ w.T + b)
    yy = np.eye(k)[y]
    gw = (p - yy).T @ x / n + lam * w
    gb = (p - yy).sum(axis=0) / n
    return float(max(np.abs(gw).max(), np.abs(gb).max()))


def objective(x, y, w, b, lam):
    p = softmax(x @ w.T + b)
    return float(-np.log(p[np.arange(len(y)), y]).mean() + 0.5 * lam * (w ** 2).sum())


def blobs(rng, counts, d, sep):
    """Gaussian classes with random means (scale sep) and unit-ish noise."""
    xs, ys = [], []
    for k, n in enumerate(counts):
        mu = rng.normal(0, sep, d)
        xs.append(mu + rng.normal(0, 1, (n, d)) * rng.uniform(0.5, 1.5, d))
        ys.append(np.full(n, k))
    return np.vstack(xs), np.concatenate(ys)


def fit_case(name, x, y, lam, x_extra):
    n = x.shape[0]
    k = int(y.max()) + 1
    c = 1.0 / (n * lam)
    m = LogisticRegression(penalty="l2", C=c, multi_class="multinomial", solver="newton-cg", tol=1e-7, max_iter=1000,
                           fit_intercept=True)
    m.fit(x, y)
    w, b = full_params(m, k)
    return dict(name=name, n=n, d=x.shape[1], classes=k, **{"lambda": lam}, C=c,
                x=x.tolist(), y=y.tolist(), x_extra=x_extra.tolist(),
                sklearn_coef=m.coef_.tolist(), sklearn_intercept=m.intercept_.tolist(),
                coef=w.tolist(), intercept=b.tolist(),
                proba=m.predict_proba(x).tolist(), proba_extra=m.predict_proba(x_extra).tolist(),
                objective=objective(x, y, w, b, lam), gradient_max_abs=gradient_max_abs(x, y, w, b, lam),
                n_iter=int(np.max(m.n_iter_)))


def logreg():
    rng = np.random.default_rng(SEED)
    cases = []
    x, y = blobs(rng, [15, 15, 15], 4, 1.0)
    xe, _ = blobs(rng, [3, 3, 3], 4, 1.0)
    cases.append(fit_case("three_class_lambda1", x, y, 1.0, xe))
    cases.append(fit_case("three_class_lambda0.01", x, y, 0.01, xe))
    x, y = blobs(rng, [8, 8, 8], 40, 0.3)  # d > n
    xe, _ = blobs(rng, [2, 2, 2], 40, 0.3)
    cases.append(fit_case("wide_d40_n24", x, y, 0.1, xe))
    x, y = blobs(rng, [20, 8, 4], 6, 0.8)  # unbalanced
    xe, _ = blobs(rng, [2, 2, 2], 6, 0.8)
    cases.append(fit_case("unbalanced", x, y, 0.05, xe))
    x, y = blobs(rng, [12, 18], 3, 1.0)  # two classes
    xe, _ = blobs(rng, [3, 3], 3, 1.0)
    cases.append(fit_case("binary", x, y, 0.5, xe))
    # pipeline: scaler fitted on the training rows only, features on very different scales
    x, y = blobs(rng, [10, 10, 10], 5, 1.0)
    scale = np.array([1e-3, 1.0, 50.0, 7.0, 1e3])
    x = x * scale + np.array([5.0, -2.0, 300.0, 0.0, 1e4])
    xt, yt = blobs(rng, [3, 3, 3], 5, 1.0)
    xt = xt * scale + np.array([5.0, -2.0, 300.0, 0.0, 1e4])
    lam = 0.2
    c = 1.0 / (x.shape[0] * lam)
    sc = StandardScaler().fit(x)
    m = LogisticRegression(penalty="l2", C=c, multi_class="multinomial", solver="newton-cg", tol=1e-7, max_iter=1000)
    m.fit(sc.transform(x), y)
    pipeline = dict(name="standardized_pipeline", **{"lambda": lam}, C=c, x=x.tolist(), y=y.tolist(), x_test=xt.tolist(),
                    scaler_mean=sc.mean_.tolist(), scaler_scale=sc.scale_.tolist(),
                    coef=m.coef_.tolist(), intercept=m.intercept_.tolist(),
                    proba_test=m.predict_proba(sc.transform(xt)).tolist())
    return dict(generator=COMMAND, sklearn=sklearn.__version__, numpy=np.__version__,
                objective="J = mean_i CE_i + lambda/2 ||W||^2 (intercepts unpenalised); sklearn C = 1/(n lambda)",
                cases=cases, pipeline=pipeline)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def aal_counts():
    import nibabel as nib
    data_dir = os.environ.get("PDS_TEST_DATA", "test-data")
    path = os.path.join(data_dir, "aal.nii.gz")
    if not os.path.exists(path):
        sys.exit(path + " missing: run scripts/fetch-test-data")
    import nibabel.processing
    img = nib.load(path)
    grid_aff = np.array([[-4.0, 0, 0, 94], [0, 4.0, 0, -128], [0, 0, 4.0, -76], [0, 0, 0, 1]])
    dims = (48, 56, 48)
    src = nib.Nifti1Image(np.asarray(img.dataobj).astype(np.float64), img.affine)
    out = nibabel.processing.resample_from_to(src, (dims, grid_aff), order=0, mode="constant", cval=0)
    vals = np.rint(np.asarray(out.dataobj)).astype(int).ravel()
    counts = np.bincount(vals, minlength=117)
    names = {}
    with open(os.path.join(data_dir, "aal.nii.txt")) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                names[int(parts[0])] = parts[1]
    return dict(generator=COMMAND, nibabel=nib.__version__, input="aal.nii.gz", sha256=sha256(path),
                labels_sha256=sha256(os.path.join(data_dir, "aal.nii.txt")),
                grid=dict(dims=list(dims), affine=grid_aff[:3].ravel().tolist()),
                background=int(counts[0]),
                regions=[dict(index=i, name=names[i], voxels=int(counts[i])) for i in sorted(names)])


def main():
    os.makedirs(OUT, exist_ok=True)
    lr = logreg()
    with open(os.path.join(OUT, "diagnosis-logreg.json"), "w") as f:
        json.dump(lr, f, indent=1)
    for c in lr["cases"]:
        print(f"{c['name']}: n={c['n']} d={c['d']} K={c['classes']} lambda={c['lambda']} C={c['C']:.6g} "
              f"|grad|max={c['gradient_max_abs']:.2e} iters={c['n_iter']}")
    aal = aal_counts()
    with open(os.path.join(OUT, "diagnosis-aal-4mm.json"), "w") as f:
        json.dump(aal, f, indent=1)
    empty = [r["name"] for r in aal["regions"] if r["voxels"] == 0]
    print(f"AAL on 4 mm: {sum(r['voxels'] for r in aal['regions'])} labelled voxels, empty regions: {empty}")


if __name__ == "__main__":
    main()
