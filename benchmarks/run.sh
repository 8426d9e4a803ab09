#!/usr/bin/env bash
# Runs Hookline's JMH benchmarks with one of the documented profiles and prints the README tables.
#
#   benchmarks/run.sh smoke  [JMH args...]   every benchmark once at 2 KiB, no warm-up (~30 s): the
#                                             fixtures still verify; numbers meaningless (CI)
#   benchmarks/run.sh short  [JMH args...]   1 fork, 2x1 s warm-up, 3x1 s measurement (~11 min)
#   benchmarks/run.sh full   [JMH args...]   2 forks, 3x2 s warm-up, 5x2 s measurement (~65 min)
#
# Extra arguments go to JMH, e.g. a name filter and parameters:
#   benchmarks/run.sh short 'VerifyBenchmark|FloorBenchmark' -p size=2048
# Results: benchmarks/results/jmh-<profile>-<time>.json and .md (Markdown tables, also printed).
# Builds benchmarks/target/benchmarks.jar if missing (installing the app from the repo root first).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
profile="${1:-short}"
[ $# -gt 0 ] && shift

case "$profile" in
  smoke) args=(-f 1 -wi 0 -i 1 -r 100ms -p size=2048 -foe true) ;;
  short) args=(-f 1 -wi 2 -w 1s -i 3 -r 1s -foe true) ;;
  full)  args=(-f 2 -wi 3 -w 2s -i 5 -r 2s -foe true) ;;
  *) echo "usage: $0 smoke|short|full [JMH args...]" >&2; exit 2 ;;
esac

jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  echo "building $jar ..." >&2
  (cd "$root" && mvn -q install -DskipTests)
  mvn -q -f "$here/pom.xml" clean package # clean: otherwise the previous shaded jar's old app classes win
fi

mkdir -p "$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"
out="$here/results/jmh-$profile-$stamp.json"
echo "load before: $(uptime)" >&2
java -jar "$jar" "${args[@]}" -rf json -rff "$out" "$@"
echo "load after: $(uptime)" >&2
java -cp "$jar" io.hookline.bench.Report "$out" | tee "${out%.json}.md"
echo "results: $out" >&2
