#!/bin/sh
# Trilinear resampling speed: org.pdsynth.volume.Resampler against scipy.ndimage.affine_transform
# (order=1, per channel) on the same 8-channel volume, in the same run: 91x109x91x8 on an oblique
# 2 mm affine -> MNI 4 mm model grid (48x56x48), and back -> MNI 2 mm (91x109x91). Best of N after
# a warm-up. Prints times, ratios ours/scipy, our single-thread times, and the largest value
# difference to scipy where both interpolate inside the source.
# Usage (from anywhere): bench/resample-speed.sh [repeats]
set -eu
cd "$(dirname "$0")/.."
REPEATS="${1:-5}"
OUT=bench/out/resample-speed
PY=/usr/bin/python3
mkdir -p "$OUT"

[ -f "$OUT/in.nii" ] || "$PY" bench/resample_speed.py generate "$OUT"
mvn -o -q -B test-compile > "$OUT/mvn.log" 2>&1 || { cat "$OUT/mvn.log"; exit 1; }
mvn -o -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" \
    > "$OUT/mvn.log" 2>&1 || { cat "$OUT/mvn.log"; exit 1; }
CP="target/classes:target/test-classes:$(cat "$OUT/classpath.txt")"

java -cp "$CP" org.pdsynth.bench.ResampleSpeedBench "$OUT/in.nii" "$OUT" "$REPEATS" > "$OUT/java.txt"
"$PY" bench/resample_speed.py time "$OUT" "$REPEATS" > "$OUT/scipy.txt"

get() { sed -n "s/^$1=//p" "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
J=$OUT/java.txt; P=$OUT/scipy.txt
echo "input $(get shape "$J"), processors seen by Java: $(get processors "$J"), best of $REPEATS"
for d in down up; do
  JS=$(get ${d}_seconds "$J"); JT=$(get ${d}_single_seconds "$J"); PS=$(get ${d}_seconds "$P")
  echo "$d: ours $JS s (1 thread $JT s)   scipy $PS s   ratio ours/scipy $(ratio "$JS" "$PS") (1 thread $(ratio "$JT" "$PS"))"
  echo "  vs scipy on $(get ${d}_compared_voxels "$P") voxels: max abs diff $(get ${d}_max_abs_diff "$P"), max rel diff $(get ${d}_max_rel_diff "$P")"
done
