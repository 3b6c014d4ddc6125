#!/usr/bin/env bash
# Samplers on the shipped demo model (or MODEL=dir): PSNR/SSIM on held-out phantom subjects of
# another seed than the model's training data, model grid, both directions, per sampler and step
# count. Run alone (2 cores): the wall times are only meaningful on a quiet machine.
#   bench/sampler-compare.sh [OUT_DIR]   (env: SUBJECTS=4 SEED=101 CONFIGS=prior,ddim:50,ddim:10:4,dpm++2m:10:1:sample,... SAMPLES=1 MODEL=dir)
# A config is sampler:steps[:K[:mean|sample]]; "prior" is a residual model's regression prior alone;
# "template" the population template (mean of the other subjects of the cohort, leave one out).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=${1:-bench/out/sampler-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
mvn -o -q -B package -DskipTests
mvn -o -q -B test-compile
mvn -o -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test > /dev/null
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
[[ -f "$OUT/cohort/participants.csv" ]] || scripts/pds simulate --out "$OUT/cohort" --subjects "${SUBJECTS:-4}" --seed "${SEED:-101}"
java -Xmx8g -Xms64m -XX:MaxNewSize=32m -Dai.djl.offline=true -cp "$CP" org.pdsynth.bench.SamplerBench --cohort "$OUT/cohort/participants.csv" \
  ${MODEL:+--model "$MODEL"} --configs "${CONFIGS:-ddim:50,dpm++2m:10,dpm++2m:15,dpm++2m:20}" --samples "${SAMPLES:-1}" | tee "$OUT/samplers.md"
