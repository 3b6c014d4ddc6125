#!/usr/bin/python3
"""Golden values for the seeded NIfTI fuzz test (issue 13), computed with nibabel.

Run from the repository root with Debian's Python (numpy, nibabel 5.0.0):

    /usr/bin/python3 scripts/golden/fuzz_golden.py

Writes two tiny base images to test-images/fuzz/ and, to src/test/resources/golden/fuzz-golden.json,
a seeded list of mutations of them with nibabel's reading of each mutant. A mutation is a list of
byte operations the Java test replays exactly:
  stage "raw": applied to the uncompressed file bytes (a .nii.gz base is then gzip-compressed again:
               the compressed bytes may differ between zlib builds, the content does not);
  stage "gz":  applied to the compressed bytes of a .nii.gz base as stored;
  ops: {"set": offset, "hex": bytes} overwrite, {"truncate": length}, {"append": hex}.
nibabel's verdict per mutant: "error" (nib.load or get_fdata raised), or the values it reads:
  shape    img.shape
  affine   img.affine (4x4 rows, null for a non-finite element)
  mean     mean of the finite values of img.get_fdata() (null when none)
  nan_inf  count of non-finite values of img.get_fdata()
The product may refuse a mutant nibabel reads (one line naming the file); when it reads one, it
must read these values.
"""
import gzip
import json
import os
import struct
import sys
import tempfile

import nibabel as nib
import numpy as np

SEED = 13
BASE_DIR = "test-images/fuzz"
OUT_JSON = "src/test/resources/golden/fuzz-golden.json"

# (name, offset, struct format) of NIfTI-1 header fields worth hitting with special values
FIELDS = [("sizeof_hdr", 0, "<i"), ("dim0", 40, "<h"), ("dim1", 42, "<h"), ("dim2", 44, "<h"), ("dim3", 46, "<h"),
          ("dim4", 48, "<h"), ("dim5", 50, "<h"), ("datatype", 70, "<h"), ("bitpix", 72, "<h"), ("pixdim0", 76, "<f"),
          ("pixdim1", 80, "<f"), ("pixdim2", 84, "<f"), ("pixdim3", 88, "<f"), ("pixdim4", 92, "<f"),
          ("vox_offset", 108, "<f"), ("scl_slope", 112, "<f"), ("scl_inter", 116, "<f"), ("xyzt_units", 123, "<b"),
          ("qform_code", 252, "<h"), ("sform_code", 254, "<h"), ("quatern_b", 256, "<f"), ("quatern_c", 260, "<f"),
          ("quatern_d", 264, "<f"), ("qoffset_x", 268, "<f"), ("srow_x0", 280, "<f"), ("srow_y1", 300, "<f"),
          ("srow_z3", 324, "<f"), ("magic", 344, "<4s"), ("extension", 348, "<b")]
SPECIAL_INT = [0, -1, 1, 2, 3, 4, 5, 7, 8, 16, 64, 255, 32767, -32768, 352, 348, 540, 2 ** 31 - 1]
SPECIAL_FLOAT = [0.0, -0.0, -1.0, 1.0, 0.5, -2.0, 1e30, -1e30, 1e-30, float("nan"), float("inf"), float("-inf"), 352.0, 351.0,
                 353.0, 1000.0]
SPECIAL_MAGIC = [b"n+1\0", b"ni1\0", b"n+2\0", b"\0\0\0\0", b"n+1x"]


def bases():
    """Two tiny images: float32 4-D with sform + qform and TR; int16 3-D gzip, qform only, scaled."""
    os.makedirs(BASE_DIR, exist_ok=True)
    a = (np.arange(3 * 4 * 2 * 2, dtype=np.float32).reshape((3, 4, 2, 2), order="F") * 0.5 - 3)
    aff = np.array([[-2.0, 0.1, 0, 30], [0.1, 2.0, 0, -40], [0, 0, 2.5, -20], [0, 0, 0, 1]])
    img = nib.Nifti1Image(a, aff)
    img.header.set_xyzt_units("mm", "sec")
    img.header["pixdim"][4] = 2.0
    img.set_sform(aff, 4)
    img.set_qform(aff, 1)
    f32 = os.path.join(BASE_DIR, "tiny_f32.nii")
    nib.save(img, f32)
    b = (np.arange(4 * 3 * 2, dtype=np.int16).reshape((4, 3, 2), order="F") * 7 - 40)
    img2 = nib.Nifti1Image(b, None)
    img2.header.set_data_dtype(np.int16)
    q = np.array([[0, -1.5, 0, 10], [1.5, 0, 0, -5], [0, 0, 3, 7], [0, 0, 0, 1]])
    img2.set_qform(q, 2)
    img2.set_sform(None, 0)
    img2.header.set_slope_inter(0.5, 10)
    img2.header["vox_offset"] = 352  # what nib.save stores (binaryblock alone leaves 0)
    i16 = os.path.join(BASE_DIR, "tiny_i16.nii.gz")
    # fixed gzip bytes: no timestamp or name in the gzip header
    raw = img2.header.binaryblock + b"\0\0\0\0" + b.tobytes(order="F")
    with open(i16, "wb") as f:
        f.write(gzip.compress(raw, compresslevel=6, mtime=0))
    return [f32, i16]


def field_op(rng):
    name, off, fmt = FIELDS[rng.integers(len(FIELDS))]
    if fmt == "<4s":
        v = SPECIAL_MAGIC[rng.integers(len(SPECIAL_MAGIC))]
    elif fmt == "<f":
        v = SPECIAL_FLOAT[rng.integers(len(SPECIAL_FLOAT))]
    else:
        lim = {"<b": 127, "<h": 32767, "<i": 2 ** 31 - 1}[fmt]
        v = SPECIAL_INT[rng.integers(len(SPECIAL_INT))]
        v = max(-lim - 1, min(lim, v))
    return {"set": off, "hex": struct.pack(fmt, v).hex(), "field": name}


def byte_op(rng, size):
    return {"set": int(rng.integers(size)), "hex": bytes([int(rng.integers(256))]).hex()}


def mutations(rng, base, raw_len, gz_len):
    out = []
    gz = base.endswith(".gz")
    for k in range(150):
        r = rng.random()
        if gz and r < 0.35:
            kind = rng.integers(5)
            if kind == 0:
                ops = [{"truncate": int(rng.integers(1, gz_len))}]
            elif kind == 1:
                ops = [{"set": int(rng.integers(10, gz_len)), "hex": bytes([int(rng.integers(256))]).hex()}]
            elif kind == 2:
                ops = [{"set": 3, "hex": bytes([int(rng.integers(256))]).hex()}]
            elif kind == 3:
                ops = [{"truncate": gz_len - int(rng.integers(1, 9))}]
            else:
                ops = [{"append": bytes(int(x) for x in rng.integers(0, 256, int(rng.integers(1, 20)))).hex()}]
            out.append({"base": base, "stage": "gz", "ops": ops})
        elif r < 0.7:
            out.append({"base": base, "stage": "raw", "ops": [field_op(rng) for _ in range(int(rng.integers(1, 3)))]})
        else:
            out.append({"base": base, "stage": "raw", "ops": [byte_op(rng, 352) for _ in range(int(rng.integers(1, 4)))]})
    return out


def apply(data, ops):
    b = bytearray(data)
    for op in ops:
        if "set" in op:
            h = bytes.fromhex(op["hex"])
            b[op["set"]:op["set"] + len(h)] = h
        elif "truncate" in op:
            del b[op["truncate"]:]
        else:
            b += bytes.fromhex(op["append"])
    return bytes(b)


def mutant_bytes(m):
    with open(m["base"], "rb") as f:
        stored = f.read()
    if m["stage"] == "gz":
        return apply(stored, m["ops"])
    raw = gzip.decompress(stored) if m["base"].endswith(".gz") else stored
    out = apply(raw, m["ops"])
    return gzip.compress(out, mtime=0) if m["base"].endswith(".gz") else out


def nibabel_reads(data, suffix):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "m" + suffix)
        with open(p, "wb") as f:
            f.write(data)
        try:
            img = nib.load(p)
            if not isinstance(img, nib.Nifti1Image):
                return {"verdict": "error", "why": "not read as NIfTI-1: " + type(img).__name__}
            x = img.get_fdata()
            aff = [[float(v) if np.isfinite(v) else None for v in row] for row in img.affine]
        except Exception as e:  # nibabel's refusal, whatever its type
            return {"verdict": "error", "why": type(e).__name__ + ": " + str(e)[:120]}
        fin = np.isfinite(x)
        return {"verdict": "read", "shape": list(x.shape), "affine": aff,
                "mean": float(x[fin].mean()) if fin.any() else None, "nan_inf": int((~fin).sum())}


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    for base in bases():
        with open(base, "rb") as f:
            stored = f.read()
        raw = gzip.decompress(stored) if base.endswith(".gz") else stored
        for m in mutations(rng, base, len(raw), len(stored)):
            m["nibabel"] = nibabel_reads(mutant_bytes(m), ".nii.gz" if base.endswith(".gz") else ".nii")
            cases.append(m)
    doc = {"command": "/usr/bin/python3 scripts/golden/fuzz_golden.py",
           "tools": {"python": sys.version.split()[0], "numpy": np.__version__, "nibabel": nib.__version__},
           "seed": SEED, "bases": {b: nibabel_reads(open(b, "rb").read(), ".nii.gz" if b.endswith(".gz") else ".nii")
                                   for b in [os.path.join(BASE_DIR, "tiny_f32.nii"), os.path.join(BASE_DIR, "tiny_i16.nii.gz")]},
           "mutants": cases}
    with open(OUT_JSON + ".part", "w") as f:
        json.dump(doc, f, indent=0)
        f.write("\n")
    os.replace(OUT_JSON + ".part", OUT_JSON)
    read = sum(c["nibabel"]["verdict"] == "read" for c in cases)
    print(f"wrote {OUT_JSON}: {len(cases)} mutants, nibabel reads {read}")


if __name__ == "__main__":
    main()
