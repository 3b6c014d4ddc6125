#!/usr/bin/env bash
# The evaluation issue's run: a phantom cohort of 30 subjects (seed 21, 4 mm), split into 20
# training and 10 test subjects by manifest rows (labels stay mixed), then
#   pds experiment --cohort train.csv --test test.csv --out OUT --budget small
# and the wall time of the whole experiment (target: <= 40 min on 2 cores).
#
#   bench/experiment-small.sh [OUT]      (default bench/out/experiment-small)
# Environment: PDS (the launcher, default scripts/pds), SUBJECTS (30), TEST (10), SEED (21).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bench/out/experiment-small}"
PDS="${PDS:-scripts/pds}" SUBJECTS="${SUBJECTS:-30}" TEST="${TEST:-10}" SEED="${SEED:-21}"
cohort="$out/cohort"
if [[ ! -f "$cohort/participants.csv" ]]; then
  "$PDS" simulate --out "$cohort" --subjects "$SUBJECTS" --seed "$SEED" --grid 4mm
fi
# manifests beside participants.csv, so its relative paths and atlas.nii.gz stay valid
head -n 1 "$cohort/participants.csv" > "$cohort/train.csv"
head -n 1 "$cohort/participants.csv" > "$cohort/test.csv"
tail -n +2 "$cohort/participants.csv" | head -n $((SUBJECTS - TEST)) >> "$cohort/train.csv"
tail -n +2 "$cohort/participants.csv" | tail -n "$TEST" >> "$cohort/test.csv"
start=$(date +%s)
"$PDS" experiment --cohort "$cohort/train.csv" --test "$cohort/test.csv" --out "$out/run" --budget small
echo "experiment-small: $(( ($(date +%s) - start) / 60 )) min $(( ($(date +%s) - start) % 60 )) s wall; results $out/run/results.md"
