#!/usr/bin/env bash
# Speed of the phantom simulator at 2 mm on 2 cores (PhantomSpeedBench): per-subject wall time and
# its ratio to writing the same fMRI + DWI with NiftiWriter in the same run.
#
# Usage: bench/phantom/speed.sh [GRID=2mm] [SUBJECTS=3] [ATLAS_DIR]
# Pins the JVM to CPUs 0-1 with taskset when available; prints per-phase times
# (-Dpds.phantom.timing=true) to stderr.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
grid="${1:-2mm}"; subjects="${2:-3}"; atlas="${3:-${PDS_DATA:-$repo/test-data}}"
cd "$repo"
mvn -o -q -B test-compile
cpfile="$(mktemp)"; trap 'rm -f "$cpfile"' EXIT
mvn -o -q -B dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat "$cpfile")"
pin=(); command -v taskset >/dev/null && pin=(taskset -c 0,1)
"${pin[@]}" java -Xmx3g -Dpds.phantom.timing=true -cp "$cp" org.pdsynth.bench.PhantomSpeedBench "$grid" "$subjects" 2 AUTO "$atlas"
