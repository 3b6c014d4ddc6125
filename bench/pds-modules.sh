#!/usr/bin/env bash
# Parameter counts, .params sizes and training-step times of the PDS modules at the default
# config (48x56x48, N = 8, batch 1): noise estimator without the pattern-aware module (the
# reference), with it (AAL atlas, 116 regions), with it and the atlas-weighted loss, and one
# stage-2 refiner step. Times are medians of alternated steps after warm-up; ratios are to the
# reference step of the same run.
#
# Usage: bench/pds-modules.sh   (env PDS_THREADS=2, BENCH_RUNS=5, JAVA_OPTS="-Xmx4g";
#                                needs scripts/fetch-test-data for aal.nii.gz)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
out=bench/out
mkdir -p "$out"
data="${PDS_TEST_DATA:-$repo/test-data}"
[[ -f "$data/aal.nii.gz" ]] || { echo "test data missing: run scripts/fetch-test-data" >&2; exit 1; }
mvn -o -q -B -Dstyle.color=never test-compile
mvn -o -q -B -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" >/dev/null
echo "# $(date -u +%FT%TZ)  $(nproc) cores  load $(cut -d' ' -f1-3 /proc/loadavg)  java: $(java -version 2>&1 | head -n1)" >&2
export DJL_OFFLINE=true OPT_OUT_TRACKING=true DJL_CACHE_DIR="${DJL_CACHE_DIR:-$repo/target/djl-cache}"
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xmx4g} -cp "target/classes:target/test-classes:$(cat "$out/cp.txt")" \
  org.pdsynth.bench.PdsModulesBench "$data/aal.nii.gz" "${PDS_THREADS:-2}" "${BENCH_RUNS:-5}" 2 | tee "$out/pds-modules.txt"
