#!/usr/bin/env bash
# Independent checks of the phantom simulator (dipy, MRtrix3, numpy): generates cohorts with the
# Java simulator and runs check_dti.py, check_fmri.py and check_bvec_convention.py on them.
#
# Usage: bench/phantom/run-checks.sh [ATLAS_DIR] [WORK_DIR]
#   ATLAS_DIR  folder with aal.nii.gz, JHU-WhiteMatter-labels-2mm.nii.gz, ch2bet.nii.gz (+ .txt);
#              default $PDS_DATA or <repo>/test-data (scripts/fetch-test-data fills it); without
#              the files the procedural brain is used
#   WORK_DIR   where the cohorts go (default: a new temporary folder, kept for inspection)
# Needs: Maven (offline), /usr/bin/python3 with nibabel + dipy, MRtrix3 for the bvec check
# (apt-get install -y --no-install-recommends mrtrix3; the check is skipped when absent).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
atlas="${1:-${PDS_DATA:-$repo/test-data}}"
work="${2:-$(mktemp -d "${TMPDIR:-/tmp}/pds-phantom-checks.XXXXXX")}"
mkdir -p "$work"
cd "$repo"
mvn -o -q -B test-compile
mvn -o -q -B dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat "$work/cp.txt")"
gen() { java -Xmx3g -cp "$cp" org.pdsynth.bench.PhantomCohortMain atlas="$atlas" "$@"; }
status=0
echo "== cohorts in $work (atlas folder $atlas)"
[[ -d "$work/hi2" ]] || gen out="$work/hi2" subjects=3 grid=2mm dwiSnr=Infinity
[[ -d "$work/snr200" ]] || gen out="$work/snr200" subjects=3 grid=2mm dwiSnr=200
[[ -d "$work/c30" ]] || gen out="$work/c30" subjects=30 grid=4mm
echo; echo "== 1. FA recovery without noise, 2 mm (dipy)"
/usr/bin/python3 bench/phantom/check_dti.py "$work/hi2" | tail -n +4 || status=1
echo; echo "== 2. FA recovery at SNR 200, 2 mm (dipy)"
/usr/bin/python3 bench/phantom/check_dti.py "$work/snr200" | tail -n +4 || status=1
echo; echo "== 3. 30 subjects, 4 mm, default noise: cingulum FA/MD by group (dipy)"
/usr/bin/python3 bench/phantom/check_dti.py "$work/c30" | tail -n 10 || status=1
echo; echo "== 4. 30 subjects, 4 mm: DMN connectivity by group"
/usr/bin/python3 bench/phantom/check_fmri.py "$work/c30" | tail -n 9 || status=1
echo; echo "== 5. bvec convention (MRtrix3 and dipy against the true fibre directions), 2 mm, no noise"
if command -v dwi2tensor >/dev/null; then
  /usr/bin/python3 bench/phantom/check_bvec_convention.py "$work/hi2" sub-001 || status=1
else
  echo "MRtrix3 not installed: skipped"
fi
echo; du -sh "$work/c30" | sed 's/^/size of the 30-subject 4 mm cohort: /'
exit $status
