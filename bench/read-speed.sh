#!/usr/bin/env bash
# Read speed of NiftiReader.read against nibabel, measured in the same run (best of 3 each):
#   1. a synthetic 91x109x91x200 float32 .nii.gz (smooth seeded noise; made once by nibabel
#      into bench/out/, reused afterwards)
#   2. the largest fetched real file (scripts/fetch-test-data; ch2better.nii.gz, uint8)
# Prints seconds and the ratios Java / nibabel (below 1 = Java faster).
#
# Usage: bench/read-speed.sh        (env BENCH_RUNS=3, JAVA_OPTS="-Xmx4g")
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
out=bench/out
mkdir -p "$out"
runs="${BENCH_RUNS:-3}"
py=/usr/bin/python3
data="${PDS_TEST_DATA:-$repo/test-data}"

synthetic="$out/synthetic-91x109x91x200-float32.nii.gz"
if [[ ! -f "$synthetic" ]]; then
  echo "generating $synthetic (once) ..." >&2
  "$py" bench/read_speed_nibabel.py generate "$synthetic.part.nii.gz"
  mv "$synthetic.part.nii.gz" "$synthetic"
fi
real="$(ls -S "$data"/*.nii "$data"/*.nii.gz 2>/dev/null | head -n1 || true)"
[[ -n "$real" ]] || { echo "test data missing: run scripts/fetch-test-data" >&2; exit 1; }

mvn -o -q -B -Dstyle.color=never test-compile
mvn -o -q -B -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" >/dev/null

files=("$synthetic" "$real")
for f in "${files[@]}"; do cat "$f" >/dev/null; done   # page cache warm for both tools
echo "# $(date -u +%FT%TZ)  $(nproc) cores  java: $(java -version 2>&1 | head -n1)  nibabel: $("$py" -c 'import nibabel; print(nibabel.__version__)')" >&2
for f in "${files[@]}"; do echo "# $(basename "$f"): $(stat -c %s "$f") bytes" >&2; done

results="$out/read-speed.tsv"
{
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:--Xmx4g} -Dbench.runs="$runs" -cp "target/classes:target/test-classes:$(cat "$out/cp.txt")" \
    org.pdsynth.bench.ReadSpeedBench "${files[@]}"
  "$py" bench/read_speed_nibabel.py time "$runs" "${files[@]}"
} | tee "$results"

"$py" - "$results" <<'PY'
import sys, collections
best = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    tool, f, t = line.split("\t")[:3]
    best[f][tool] = float(t)
print()
print(f"{'file':48s} {'java s':>8s} {'nib f64 s':>9s} {'nib f32 s':>9s} {'java/f64':>8s} {'java/f32':>8s}")
for f, b in best.items():
    name = f.rsplit("/", 1)[-1]
    print(f"{name:48s} {b['java']:8.3f} {b['nibabel_f64']:9.3f} {b['nibabel_f32']:9.3f} "
          f"{b['java'] / b['nibabel_f64']:8.2f} {b['java'] / b['nibabel_f32']:8.2f}")
PY
