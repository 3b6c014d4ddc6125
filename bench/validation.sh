#!/usr/bin/env bash
# Issue 16's clinical validation of an experiment's trained methods on a held-out phantom cohort
# (definitions: docs/validation.md):
#   1. pds simulate: 60 subjects (20 NC, 20 MCI, 20 AD), seed 4242 (the training cohort of
#      bench/experiment-small.sh uses 21), 4 mm, into EXP/heldout;
#   2. pds experiment with THE SAME options as the experiment that trained the models, plus
#      --validation EXP/heldout/participants.csv, on the same OUT (EXP/run): the trained networks are
#      reused (stageN.done markers; nothing is trained when they exist), every method synthesizes
#      both modalities of every held-out subject into EXP/run/validation/synthetic/<method>/ (an
#      existing file is reused: rerun the script after an interruption), then 10 x 5 repeated
#      stratified k-fold by subject for real/real, real-hybrid, hybrid-real (each replaced modality)
#      and synthetic-real, 2000 bootstrap resamples over subjects, paired tests (PDS vs L1, vs
#      PDS w/o DA, vs real/real), the disease pattern -> EXP/run/validation/validation.md;
#   3. the small result files are copied to RESULTS (default docs/results/validation) for a commit.
#
#   bench/validation.sh [EXP]       (default /work/runs/exp-residual: EXP/cohort/{train,test}.csv, EXP/run)
# Environment: PDS (launcher, scripts/pds), SUBJECTS (60), SEED (4242), DWI_GROUPING (directions),
# EXPERIMENT_ARGS (default "--residual --samples 4 --sampling-steps 10 --refiner-inputs sampled":
# the training options of /work/runs/exp-residual, which must match the run that trained the models
# since the model folders come from them, and the sampling of docs/results/validation), SHARDS (1; n > 1 runs the syntheses as n shard calls, one after the other
# here; on a cluster run `... --shard i/n` as array jobs, then the final call without --shard),
# VALIDATION_ARGS (e.g. "--repeats 10 --folds 5 --resamples 2000", the defaults), RESULTS.
# Run alone on the machine: the wall time printed at the end is the figure for the issue (target <= 60 min).
set -euo pipefail
cd "$(dirname "$0")/.."
exp="${1:-/work/runs/exp-residual}"
PDS="${PDS:-scripts/pds}" SUBJECTS="${SUBJECTS:-60}" SEED="${SEED:-4242}" DWI_GROUPING="${DWI_GROUPING:-directions}"
EXPERIMENT_ARGS="${EXPERIMENT_ARGS:---residual --samples 4 --sampling-steps 10 --refiner-inputs sampled}" SHARDS="${SHARDS:-1}"
RESULTS="${RESULTS:-docs/results/validation}"
export OMP_WAIT_POLICY=PASSIVE
for f in "$exp/cohort/train.csv" "$exp/cohort/test.csv"; do
  [[ -f "$f" ]] || { echo "validation.sh: $f not found (the experiment's manifests)" >&2; exit 1; }
done
[[ -d "$exp/run/models" ]] || echo "validation.sh: $exp/run/models missing: the first call will TRAIN every method (about 22 min)" >&2
held="$exp/heldout"
if [[ ! -f "$held/participants.csv" ]]; then
  start=$(date +%s)
  "$PDS" simulate --out "$held" --subjects "$SUBJECTS" --seed "$SEED" --grid 4mm
  echo "validation.sh: held-out cohort simulated in $(( $(date +%s) - start )) s"
fi
# the held-out phantom must come from the same digital brain and grid as the training cohort
for key in anatomy grid; do
  # (the atlas folder's path may differ between checkouts: compared without it)
  a=$(grep -m1 "\"$key\"" "$exp/cohort/phantom.json" | sed 's/ from [^:]*:/:/' || true)
  b=$(grep -m1 "\"$key\"" "$held/phantom.json" | sed 's/ from [^:]*:/:/' || true)
  if [[ "$a" != "$b" ]]; then
    echo "validation.sh: $held/phantom.json $key differs from the training cohort's ($b vs $a); simulate from the same checkout (test-data atlases)" >&2
    exit 1
  fi
done
run() {
  # shellcheck disable=SC2086
  "$PDS" experiment --cohort "$exp/cohort/train.csv" --test "$exp/cohort/test.csv" --out "$exp/run" --budget small \
    --dwi-grouping "$DWI_GROUPING" $EXPERIMENT_ARGS --validation "$held/participants.csv" ${VALIDATION_ARGS:-} "$@"
}
start=$(date +%s)
if (( SHARDS > 1 )); then
  for i in $(seq 1 "$SHARDS"); do run --shard "$i/$SHARDS"; done
fi
run
secs=$(( $(date +%s) - start ))
echo "validation.sh: $(( secs / 60 )) min $(( secs % 60 )) s wall; results $exp/run/validation/validation.md"
mkdir -p "$RESULTS"
for f in validation.md validation.csv validation-paired.csv validation-subjects.csv validation-accuracy.png validation-accuracy.csv pattern.csv; do
  cp "$exp/run/validation/$f" "$RESULTS/"
done
echo "validation.sh: tables copied to $RESULTS (add a README.md with this command and the wall time before committing)"
