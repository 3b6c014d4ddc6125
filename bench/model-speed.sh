#!/bin/bash
# Speed of the DJL noise estimator against its PyTorch twin (Debian's PyTorch 1.13), same shapes,
# same thread count, alternating runs so both see the same machine load.
#
#   bench/model-speed.sh                 # default grid 48x56x48 (Z,Y,X), N = 8, 2 threads
#   ROUNDS=3 ITERS=5 bench/model-speed.sh
#
# Prints medians (and minima) of wall time, and medians of process CPU time, of: train step
# (batch 2), forward pass (batch 1, no grad), peak
# RSS; the DJL/twin ratios (targets: train <= 1.0, forward <= 0.7); and one synthesis (DDIM,
# 50 steps, one subject) in its own JVM with its peak RSS; VmRSS and the resident Java heap every
# 50 steps of a 500-step synthesis (MEMORY=0 skips it) and, with MEMORY_TRAIN=1, of 1000 training
# steps (long: ~1000 train steps). Raw JSON goes to bench/out/. JAVA_OPTS default: the heap
# options of scripts/pds (-Xms64m -XX:MaxNewSize=32m: see bench/README.md, "Memory").
# Needs: Maven (offline), /usr/bin/python3 with python3-torch
# (apt-get install -y --no-install-recommends python3-torch).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-2}
ITERS=${ITERS:-5}
THREADS=${THREADS:-2}
GRID=${GRID:-48,56,48}
CHANNELS=${CHANNELS:-8}
OUT=bench/out/model-speed-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

mvn -o -q -B test-compile
mvn -o -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test > /dev/null
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/target/djl-cache}
JAVA_OPTS=${JAVA_OPTS:-"-Xmx2g -Xms64m -XX:MaxNewSize=32m"}
COMMON="--grid $GRID --channels $CHANNELS --threads $THREADS --warmup $WARMUP --iters $ITERS"

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS: $(uptime)" | tee -a "$OUT/load.txt"
  /usr/bin/python3 bench/torch_twin.py $COMMON --json "$OUT/twin-$r.json" > /dev/null
  java $JAVA_OPTS -cp "$CP" org.pdsynth.bench.NoiseEstimatorBench $COMMON --mode speed --json "$OUT/djl-$r.json" 2>/dev/null > /dev/null
done
# the fp32 peak of these cores in the same run: a large sgemm through the twin's PyTorch, same threads
/usr/bin/python3 - "$THREADS" > "$OUT/sgemm.json" <<'PY'
import json, sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
n = 4096
a, b = torch.randn(n, n), torch.randn(n, n)
torch.mm(a, b)
ts = []
for _ in range(5):
    t = time.perf_counter(); torch.mm(a, b); ts.append(time.perf_counter() - t)
print(json.dumps({"n": n, "best_s": min(ts), "gflops": 2 * n ** 3 / min(ts) / 1e9}))
PY
echo "synthesis: $(uptime)" | tee -a "$OUT/load.txt"
java $JAVA_OPTS -cp "$CP" org.pdsynth.bench.NoiseEstimatorBench $COMMON --mode synthesis --json "$OUT/djl-synthesis.json" 2>/dev/null > /dev/null

# memory across a 500-step synthesis (VmRSS every 50 steps; flat = no per-step leak), at the demo model's width
if [[ "${MEMORY:-1}" == 1 ]]; then
  java $JAVA_OPTS -cp "$CP" org.pdsynth.bench.NoiseEstimatorBench $COMMON --mode memory --width "${MEMORY_WIDTH:-16}" 2>/dev/null > "$OUT/memory.txt"
fi
if [[ "${MEMORY_TRAIN:-0}" == 1 ]]; then
  java $JAVA_OPTS -cp "$CP" org.pdsynth.bench.NoiseEstimatorBench $COMMON --mode memory-train --width "${MEMORY_WIDTH:-16}" 2>/dev/null > "$OUT/memory-train.txt"
fi

/usr/bin/python3 - "$OUT" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
def load(pattern):
    runs = [json.load(open(f)) for f in sorted(glob.glob(out + "/" + pattern))]
    return runs, [t for r in runs for t in r["train_all_s"]], [t for r in runs for t in r["forward_all_s"]]
twin, tt, tf = load("twin-*.json")
djl, dt, df = load("djl-[0-9]*.json")
tct = [t for r in twin for t in r["train_cpu_all_s"]]; tcf = [t for r in twin for t in r["forward_cpu_all_s"]]
dct = [t for r in djl for t in r["train_cpu_all_s"]]; dcf = [t for r in djl for t in r["forward_cpu_all_s"]]
syn = json.load(open(out + "/djl-synthesis.json"))
assert twin[0]["parameters"] == djl[0]["parameters"], "architectures differ: %d vs %d parameters" % (twin[0]["parameters"], djl[0]["parameters"])
med, mn = statistics.median, min
print("grid (Z,Y,X) %s, N = %d, %d threads, %d parameters; train batch %d, forward batch %d"
      % (djl[0]["grid_zyx"], djl[0]["channels"], djl[0]["threads"], djl[0]["parameters"], djl[0]["train_batch"], djl[0]["forward_batch"]))
print("%-34s %12s %12s %8s" % ("", twin[0]["impl"], "DJL", "ratio"))
print("%-34s %12.3f %12.3f %8.2f   (target <= 1.0)" % ("train step, median s", med(tt), med(dt), med(dt) / med(tt)))
print("%-34s %12.3f %12.3f %8.2f" % ("train step, min s", mn(tt), mn(dt), mn(dt) / mn(tt)))
print("%-34s %12.3f %12.3f %8.2f   (target <= 0.7)" % ("forward, median s", med(tf), med(df), med(df) / med(tf)))
print("%-34s %12.3f %12.3f %8.2f" % ("forward, min s", mn(tf), mn(df), mn(df) / mn(tf)))
print("%-34s %12.3f %12.3f %8.2f" % ("train step, median CPU s", med(tct), med(dct), med(dct) / med(tct)))
print("%-34s %12.3f %12.3f %8.2f" % ("forward, median CPU s", med(tcf), med(dcf), med(dcf) / med(tcf)))
print("%-34s %12.0f %12.0f %8.2f" % ("peak RSS after forward, MiB", max(r["peak_rss_forward_mib"] for r in twin), max(r["peak_rss_forward_mib"] for r in djl),
      max(r["peak_rss_forward_mib"] for r in djl) / max(r["peak_rss_forward_mib"] for r in twin)))
print("%-34s %12.0f %12.0f %8.2f" % ("peak RSS after training, MiB", max(r["peak_rss_train_mib"] for r in twin), max(r["peak_rss_train_mib"] for r in djl),
      max(r["peak_rss_train_mib"] for r in djl) / max(r["peak_rss_train_mib"] for r in twin)))
print("synthesis (DDIM 50 steps, one subject, DJL): %.1f s, peak RSS %.0f MiB" % (syn["synthesis_50_steps_s"], syn["peak_rss_synthesis_mib"]))
peak = json.load(open(out + "/sgemm.json"))["gflops"]
# convolution FLOP of one forward pass (multiply-adds x 2), from the twin's count when it gives one
conv = twin[0].get("forward_conv_gflop") or float(os.environ.get("FORWARD_GFLOP", "82.3"))
print("fp32 peak (sgemm 4096, same threads, this run): %.0f GFLOP/s; forward = %.1f GFLOP of convolutions:" % (peak, conv))
print("  DJL forward %.0f GFLOP/s = %.0f%% of the peak; twin %.0f GFLOP/s = %.0f%%"
      % (conv / med(df), 100 * conv / med(df) / peak, conv / med(tf), 100 * conv / med(tf) / peak))
import os
for f in ("memory.txt", "memory-train.txt"):
    if os.path.exists(out + "/" + f): print(open(out + "/" + f).read().strip())
print("raw results: " + out)
PY
