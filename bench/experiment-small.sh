#!/usr/bin/env bash
# The evaluation issue's run: a phantom cohort of 30 subjects (seed 21, 4 mm), split into 20
# training and 10 test subjects by manifest rows (labels stay mixed), and the same cohort simulated
# again with --noise-free (its test rows are the noise-free truth), then
#   pds experiment --cohort train.csv --test test.csv --test-noise-free clean/test.csv \
#       --dwi-grouping directions --out OUT --budget small
# and the wall time of the whole experiment (target: <= 40 min on 2 cores).
#
#   bench/experiment-small.sh [OUT]      (default bench/out/experiment-small)
# Environment: PDS (the launcher, default scripts/pds), SUBJECTS (30), TEST (10), SEED (21),
# DWI_GROUPING (directions: b0 + direction clusters, needed for the FA/MD metrics; bvalue = as before),
# EXPERIMENT_ARGS (extra options of pds experiment, e.g. "--residual --sampler dpm++2m --samples 4").
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bench/out/experiment-small}"
PDS="${PDS:-scripts/pds}" SUBJECTS="${SUBJECTS:-30}" TEST="${TEST:-10}" SEED="${SEED:-21}" DWI_GROUPING="${DWI_GROUPING:-directions}"
cohort="$out/cohort" clean="$out/cohort-noise-free"
if [[ ! -f "$cohort/participants.csv" ]]; then
  "$PDS" simulate --out "$cohort" --subjects "$SUBJECTS" --seed "$SEED" --grid 4mm
fi
if [[ ! -f "$clean/participants.csv" ]]; then
  "$PDS" simulate --out "$clean" --subjects "$SUBJECTS" --seed "$SEED" --grid 4mm --noise-free
fi
# manifests beside participants.csv, so its relative paths and atlas.nii.gz stay valid
head -n 1 "$cohort/participants.csv" > "$cohort/train.csv"
head -n 1 "$cohort/participants.csv" > "$cohort/test.csv"
tail -n +2 "$cohort/participants.csv" | head -n $((SUBJECTS - TEST)) >> "$cohort/train.csv"
tail -n +2 "$cohort/participants.csv" | tail -n "$TEST" >> "$cohort/test.csv"
head -n 1 "$clean/participants.csv" > "$clean/test.csv"
tail -n +2 "$clean/participants.csv" | tail -n "$TEST" >> "$clean/test.csv"
start=$(date +%s)
"$PDS" experiment --cohort "$cohort/train.csv" --test "$cohort/test.csv" --test-noise-free "$clean/test.csv" \
  --dwi-grouping "$DWI_GROUPING" --out "$out/run" --budget small ${EXPERIMENT_ARGS:-}
echo "experiment-small: $(( ($(date +%s) - start) / 60 )) min $(( ($(date +%s) - start) % 60 )) s wall; results $out/run/results.md"
