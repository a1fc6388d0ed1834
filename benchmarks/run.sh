#!/usr/bin/env bash
# Runs the poll4j-vs-JDK benchmark set and writes, into one results directory:
#   results.json  JMH's raw output (-rf json, with -prof gc)
#   echo.json     the echo-server CPU benchmark (EchoCpuBenchmark, forks of its own), JMH-style
#   results.md    machine, command, and a Markdown table of medians and ratios to the JDK peer
#   chart.png     the ratios as a bar chart (drawn by dev.poll4j.benchmarks.ChartWriter)
#
# Usage: benchmarks/run.sh [--quick] [--no-pin] [--out DIR] [-- extra JMH arguments]
#   --quick   tiny iteration counts and a reduced matrix: proves the pipeline, measures nothing
#   --no-pin  do not pin to one CPU (by default: taskset -c $BENCH_CPU, default CPU 1, if taskset
#             exists and the CPU does)
#   --out DIR results directory (default benchmarks/results/<UTC timestamp>)
# Environment: BENCH_CPU (CPU to pin to, default 1), BENCH_K, BENCH_M, BENCH_BACKENDS (the poll
#   cost matrix and the poll4j backends, comma-separated), BENCH_ECHO=0 (skip the echo benchmark),
#   JAVA (default: java on PATH), POLL4J_BINDING=jna (keep poll4j on JNA on JDK 22+, where it
#   otherwise uses FFM if the jar was built on JDK 22+).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
java_bin="${JAVA:-java}"
quick=0
pin=1
out=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-pin) pin=0 ;;
    --out) out="$2"; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$out" ] || out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# The JDK that runs the benchmarks also builds the jar: on JDK 22+ the jar then carries poll4j's
# FFM binding (META-INF/versions/22), which a jar built on JDK 17-21 lacks.
java_path="$(command -v "$java_bin")"
java_home="$(cd "$(dirname "$(readlink -f "$java_path")")/.." && pwd)"
feature="$("$java_bin" -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java.specification.version = //p')"

# Build the jar if it is missing, older than any source it is made from, or built without the
# FFM classes this JDK would use.
jar="$here/target/benchmarks.jar"
ffm_class='META-INF/versions/22/dev/poll4j/internal/posix/sys/FfmIoCalls.class'
if [ ! -f "$jar" ] || [ -n "$(find "$here/src" "$here/pom.xml" "$root/pom.xml" \
    "$root/core/src/main" "$root/core/pom.xml" "$root/epoll/src/main" "$root/epoll/pom.xml" \
    -newer "$jar" -print -quit)" ] ||
    { [ "${feature:-17}" -ge 22 ] && ! "$java_home/bin/jar" tf "$jar" | grep -qx "$ffm_class"; }; then
  echo "run.sh: building $jar with the JDK in $java_home" >&2
  (cd "$root" && JAVA_HOME="$java_home" mvn -B -q -pl benchmarks -am package -DskipTests)
fi

# The set. The full matrix is 48 poll-cost trials (k x m x {poll4j epoll, poll4j poll,
# jdkSelectNow, jdkSelectNowIterator}) and 17 others (EpollWaitBenchmark's three FFM rows fail
# at once below JDK 22), each about 10 s (fork, setup, 3 x 1 s warm-up, 5 x 1 s measurement),
# then the echo benchmark's six forks (about 90 s): 620 s on a busy 2-vCPU machine,
# within issue 7's 20 minutes.
benchmarks='dev\.poll4j\.benchmarks\.(PollCost|Churn|Waker|NativeCall|EpollWait)Benchmark\.'
if [ "$quick" = 1 ]; then
  jmh=(-f 1 -wi 1 -w 200ms -i 2 -r 200ms -p "k=${BENCH_K:-10,1000}" -p "m=${BENCH_M:-0,1,all}")
else
  jmh=(-f 1 -wi 3 -w 1s -i 5 -r 1s -p "k=${BENCH_K:-10,1000,10000}" -p "m=${BENCH_M:-0,1,64,all}")
fi
jmh+=(-p "backend=${BENCH_BACKENDS:-epoll,poll}" -prof gc -rf json -rff "$out/results.json")

runner=()
cpu="${BENCH_CPU:-1}"
if [ "$pin" = 1 ] && command -v taskset >/dev/null 2>&1; then
  if taskset -c "$cpu" true 2>/dev/null; then
    runner=(taskset -c "$cpu")
  else
    echo "run.sh: CPU $cpu not available, pinning to CPU 0" >&2
    cpu=0
    runner=(taskset -c 0)
  fi
else
  echo "run.sh: not pinned" >&2
fi

# -D options among the extra JMH arguments' JVM flags do not reach this JVM; POLL4J_BINDING
# does, for the line of results.md that names the binding (ffm or jna).
extra_props=()
[ -n "${POLL4J_BINDING:-}" ] && extra_props=("-Dpoll4j.binding=$POLL4J_BINDING")

cmd=("${runner[@]}" "$java_bin" "${extra_props[@]}" -jar "$jar" "$benchmarks" "${jmh[@]}" "${extra[@]}")
echo "run.sh: ${cmd[*]}" >&2
start=$(date +%s)
"${cmd[@]}" | tee "$out/jmh.log"

# The echo benchmark: its own forks (same pinning), its own JSON, the same table.
jsons=("$out/results.json")
echo_cmd=()
if [ "${BENCH_ECHO:-1}" != 0 ]; then
  echo_cmd=("${runner[@]}" "$java_bin" "${extra_props[@]}" -cp "$jar" dev.poll4j.benchmarks.EchoCpuBenchmark
    --json "$out/echo.json")
  [ "$quick" = 1 ] && echo_cmd+=(--quick)
  echo "run.sh: ${echo_cmd[*]}" >&2
  "${echo_cmd[@]}" | tee "$out/echo.log"
  jsons+=("$out/echo.json")
fi
elapsed=$(( $(date +%s) - start ))

"$java_bin" -Djava.awt.headless=true -cp "$jar" dev.poll4j.benchmarks.ChartWriter \
  "${jsons[@]}" "$out/table.md" "$out/chart.png"

{
  echo "# poll4j benchmark results"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); wall time ${elapsed} s; mode: $([ "$quick" = 1 ] && echo quick || echo full)"
  echo "- machine: $(uname -srm); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //' || true)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  echo "- java: $("$java_bin" -version 2>&1 | head -1)"
  echo "- poll4j native binding: $("$java_bin" -cp "$jar" "${extra_props[@]}" dev.poll4j.benchmarks.BindingInfo 2>/dev/null || echo unknown)"
  echo "- pinned: $([ ${#runner[@]} -gt 0 ] && echo "taskset -c $cpu" || echo no)"
  echo "- command: \`benchmarks/run.sh$([ "$quick" = 1 ] && echo ' --quick')$([ "$pin" = 0 ] && echo ' --no-pin')\` which ran \`${cmd[*]/#$root\//}\`"
  [ ${#echo_cmd[@]} -gt 0 ] && echo "- and then: \`${echo_cmd[*]/#$root\//}\`"
  echo
  cat "$out/table.md"
} > "$out/results.md"
rm "$out/table.md"
echo "run.sh: wrote $out/results.md, $out/chart.png, ${jsons[*]}" >&2
