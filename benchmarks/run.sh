#!/usr/bin/env bash
# Runs JMH suites and writes their results, then prints the ratios to copy into BENCHMARKS.md.
#
#   benchmarks/run.sh                  every suite
#   benchmarks/run.sh tokens acl       only the classes whose name matches these JMH regexps
#   JMH_ARGS="-prof gc" benchmarks/run.sh tokens     extra JMH options (here: allocation per operation)
#
# Results: benchmarks/results/<UTC time>-<suites>.json (JMH's JSON) and .txt (ratios + machine).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
jar="$here/target/benchmarks.jar"

if [ ! -f "$jar" ] || [ -n "$(find "$root" -name '*.java' -path '*/src/main/*' -newer "$jar" -print -quit)" ]; then
  (cd "$root" && ./mvnw -B -q -DskipTests -pl benchmarks -am package)
fi

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(".*")
stamp=$(date -u +%Y%m%dT%H%M%SZ)
label=$(IFS=-; echo "${suites[*]}" | tr -c 'A-Za-z0-9_.-' '_' | cut -c1-60)
[ "$label" != ".__" ] || label=all
mkdir -p "$here/results"
json="$here/results/$stamp-$label.json"
txt="$here/results/$stamp-$label.txt"

# shellcheck disable=SC2086
java -jar "$jar" ${JMH_ARGS:-} -rf json -rff "$json" "${suites[@]}"

{
  echo "command: benchmarks/run.sh $* ${JMH_ARGS:+(JMH_ARGS=$JMH_ARGS)}"
  echo "date:    $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo
  python3 "$here/ratios.py" "$json"
} | tee "$txt"
