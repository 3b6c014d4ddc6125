#!/usr/bin/env bash
# Reduced precision through the engine: one 3x3x3 convolution (32 -> 32 channels, 48x56x48) in
# float32, float16 and bfloat16, each in its own JVM (a type the engine cannot handle may abort it;
# the exit status is reported). Run alone.   bench/bf16-probe.sh
set -uo pipefail
cd "$(dirname "$0")/.."
mvn -o -q -B test-compile
mvn -o -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test > /dev/null
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/target/djl-cache}
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), bf16 instructions: $(grep -qo avx512_bf16 /proc/cpuinfo && echo avx512_bf16 || echo none)"
for t in float32 float16 bfloat16; do
  java -cp "$CP" org.pdsynth.bench.Bf16Probe "$t" 2 2>&1 | grep -v -e WARN -e SLF4J
  echo "$t: exit status ${PIPESTATUS[0]}"
done
