#!/usr/bin/env bash
# A busy machine: DJL training and synthesis speed on 2 cores, quiet and beside one competing
# busy process (started and stopped here), under each OpenMP wait policy of the bundled libgomp.
#   libgomp default : OMP_WAIT_POLICY= (empty: libgomp's own spin-then-sleep; what ran before)
#   PASSIVE         : what the engine sets when OMP_WAIT_POLICY is unset (org.pdsynth.model.Engines)
#   ACTIVE          : spin at every barrier
# Training = Trainer.step() (batch 2); synthesis proxy = one forward pass (batch 1, no grad), the
# cost of one DDIM step. Median of ITERS after WARMUP, width WIDTH (16 = the demo model), 48x56x48, N 8.
#
#   bench/busy-machine.sh            # writes bench/out/busy-machine-DATE/{*.json,summary.md}
# Environment: WIDTH (16), ITERS (6), WARMUP (1), THREADS (2), POLICIES ("default PASSIVE ACTIVE")
# Run it alone: any other load changes the "quiet" figures.
set -euo pipefail
cd "$(dirname "$0")/.."
WIDTH=${WIDTH:-16} ITERS=${ITERS:-6} WARMUP=${WARMUP:-1} THREADS=${THREADS:-2}
POLICIES=${POLICIES:-"default PASSIVE ACTIVE"}
OUT=bench/out/busy-machine-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
mvn -o -q -B test-compile
mvn -o -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test > /dev/null
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/target/djl-cache}
busy=""
trap '[[ -n "$busy" ]] && kill "$busy" 2>/dev/null || true' EXIT
for policy in $POLICIES; do
  for load in quiet busy; do
    if [[ $load == busy ]]; then (while :; do :; done) & busy=$!; fi
    value=$policy; [[ $policy == default ]] && value=""
    echo "$policy $load: $(uptime)" | tee -a "$OUT/load.txt"
    OMP_WAIT_POLICY="$value" java -Xmx2g -cp "$CP" org.pdsynth.bench.NoiseEstimatorBench --grid 48,56,48 --channels 8 \
      --threads "$THREADS" --width "$WIDTH" --warmup "$WARMUP" --iters "$ITERS" --mode speed \
      --json "$OUT/$policy-$load.json" > /dev/null 2>&1
    if [[ $load == busy ]]; then kill "$busy"; wait "$busy" 2>/dev/null || true; busy=""; fi
  done
done
/usr/bin/python3 - "$OUT" $POLICIES <<'PY' | tee "$OUT/summary.md"
import json, statistics, sys
out, policies = sys.argv[1], sys.argv[2:]
med = lambda f, k: statistics.median(json.load(open(f"{out}/{f}.json"))[k])
print("| OpenMP wait policy | train step quiet (s) | busy (s) | busy/quiet throughput | forward quiet (s) | busy (s) | busy/quiet throughput |")
print("|---|---|---|---|---|---|---|")
for p in policies:
    tq, tb = med(f"{p}-quiet", "train_all_s"), med(f"{p}-busy", "train_all_s")
    fq, fb = med(f"{p}-quiet", "forward_all_s"), med(f"{p}-busy", "forward_all_s")
    name = "libgomp default (OMP_WAIT_POLICY empty)" if p == "default" else p
    print(f"| {name} | {tq:.3f} | {tb:.3f} | {tq/tb:.0%} | {fq:.3f} | {fb:.3f} | {fq/fb:.0%} |")
PY
