#!/usr/bin/env bash
# bench/run-all.sh: builds once, runs every benchmark of the repository in a short configuration, prints one table.
#
# Steps: planner quality, JMH planner timings (short), the simulator on staging-surge, cold start under the invoker
# (plain and with AppCDS), and, when they are in the tree, the Firestore ledger throughput and the warm end-to-end
# benchmark through ./gate up. Every step runs under timeout in a process group of its own, so a step that hangs is
# ended with everything it started; the whole run stays under 15 minutes. Full outputs stay in the log directory it
# prints. COLD_RUNS (default 7) sets the cold-start runs; SKIP_BUILD=1 reuses the built jars; RUN_ALL_BUDGET (default
# 870 s) bounds the whole run.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo"
logs="$(mktemp -d "${TMPDIR:-/tmp}/connector-gate-bench.XXXXXX")"
jar="bench/target/benchmarks.jar"
cold_runs="${COLD_RUNS:-7}"
started=$SECONDS
# The whole run's bound: each step gets the smaller of its own limit and what is left of this.
deadline=$((SECONDS + ${RUN_ALL_BUDGET:-870}))
current=""

# timeout puts itself and the step in a process group of their own and signals the whole group, so ending it ends
# the step's children too (JMH forks, invokers, surefire forks).
cleanup() {
  if [[ -n "$current" ]] && kill -0 "$current" 2>/dev/null; then
    kill -TERM "$current" 2>/dev/null
    wait "$current" 2>/dev/null
  fi
}
trap 'cleanup; echo "run-all: interrupted; logs in $logs" >&2; exit 130' INT TERM
trap cleanup EXIT

declare -a names=() heads=() states=()
row() { names+=("$1"); heads+=("$2"); states+=("$3"); }

# step NAME SECONDS LOG CMD...: runs CMD bounded by SECONDS and the run's deadline, output to LOG; sets step_status.
step() {
  local name="$1" limit="$2" log="$3"
  shift 3
  local left=$((deadline - SECONDS))
  if ((left < 30)); then
    step_status="skipped: the run's time budget is spent"
    return 125
  fi
  ((limit > left)) && limit=$left
  echo "run-all: $name (at most ${limit} s) ..." >&2
  local t0=$SECONDS
  timeout -k 10 "$limit" "$@" >"$log" 2>&1 &
  current=$!
  wait "$current"
  local rc=$?
  current=""
  step_secs=$((SECONDS - t0))
  if ((rc == 0)); then
    step_status="ok, ${step_secs} s"
  elif ((rc == 124 || rc == 137)); then
    step_status="timed out after ${limit} s"
  else
    step_status="failed (exit $rc), see $(basename "$log")"
  fi
  return "$rc"
}

# The invoker has no option to bind loopback only: where unprivileged network namespaces work, run the cold-start
# benchmark in one that has nothing but a loopback interface, so its listening ports are reachable from nowhere else.
loopback_only=()
if unshare -rn sh -c 'ip link set lo up' 2>/dev/null; then
  loopback_only=(unshare -rn sh -c 'ip link set lo up && exec "$@"' sh)
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  if ! step "build" 600 "$logs/build.log" mvn -q -B -DskipTests package; then
    echo "run-all: the build failed ($step_status):" >&2
    tail -n 30 "$logs/build.log" >&2
    exit 1
  fi
  build_status="$step_status"
else
  build_status="skipped (SKIP_BUILD=1)"
fi

# Planner quality: the wave planner's ratio to the lower bound, and the 500 × 1000 case's CPU time.
if step "planner quality" 300 "$logs/planner-quality.log" \
    java -cp "$jar" dev.connectorgate.bench.PlannerQualityBenchmark; then
  q="$(awk '$1 == "wave" && NF >= 6 && $2 ~ /^[0-9.]+$/ {print "median " $2 ", p90 " $3 ", max " $5; exit}' \
    "$logs/planner-quality.log")"
  big="$(sed -n 's/^wave .*ratio \([0-9.]*\),.*cpu median \([0-9.]*\) ms.*/ratio \1, cpu median \2 ms/p' \
    "$logs/planner-quality.log" | head -n 1)"
  row "planner quality (300 requests)" "wave/lower bound ${q:-?}" "$step_status"
  row "planner 500 svc x 1000 inst" "${big:-?}" "from the same run"
else
  row "planner quality (300 requests)" "-" "$step_status"
fi

# JMH, short: one fork, one warm-up and two measured one-second iterations, the large sizes only.
if step "JMH PlannerBenchmark" 240 "$logs/jmh.log" \
    java -Duser.language=en -Duser.country=US -jar "$jar" PlannerBenchmark -f 1 -wi 1 -w 1 -i 2 -r 1 -p services=10,100,500 -p instances=1000 \
    -rf csv -rff "$logs/jmh.csv"; then
  # Columns: Benchmark, Mode, Threads, Samples, Score, Error, Unit, then the parameters in name order.
  j="$(awk -F, 'NR > 1 {gsub(/["\r]/, ""); printf "%s%s svc %.1f", sep, $NF, $5; sep = ", "}' "$logs/jmh.csv")"
  row "JMH planner, 1000 inst/svc" "ms/op ${j:-?} (short run)" "$step_status"
else
  row "JMH planner, 1000 inst/svc" "-" "$step_status"
fi

# The simulator on the seed: what each strategy does to startups on the connector.
if step "simulator" 120 "$logs/simulate.log" ./gate simulate test-events/staging-surge --json; then
  field() { grep "\"strategy\":\"$1\"" "$logs/simulate.log" | sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p" | head -n 1; }
  percent() { awk -v f="$1" 'BEGIN {printf "%.1f %%", f * 100}'; }
  s="gate $(percent "$(field gate successRate)") of startups on time, makespan $(field gate makespanSeconds) s;"
  s+=" all-at-once $(percent "$(field all-at-once successRate)")"
  row "simulator staging-surge" "$s" "$step_status"
else
  row "simulator staging-surge" "-" "$step_status"
fi

# Cold start under the invoker, then the same with an AppCDS archive per function (trained in a first run).
summary() { grep '^summary cold-start' "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
cold_row() {
  local label="$1" log="$2"
  row "$label" "gate $(summary "$log" gateFirstAnswerMs) ms, hello $(summary "$log" helloFirstAnswerMs) ms, ratio\
 $(summary "$log" ratio); CPU $(summary "$log" gateCpuMs)/$(summary "$log" helloCpuMs) ms; warm POST\
 $(summary "$log" gateWarmMs) ms" "$step_status"
}
if step "cold start" 300 "$logs/cold-start.log" "${loopback_only[@]}" \
    java -cp "$jar" dev.connectorgate.bench.ColdStartBenchmark --runs "$cold_runs"; then
  cold_row "cold start, first answer" "$logs/cold-start.log"
else
  row "cold start, first answer" "-" "$step_status"
fi
if step "cold start with AppCDS" 240 "$logs/cold-start-cds.log" "${loopback_only[@]}" \
    java -cp "$jar" dev.connectorgate.bench.ColdStartBenchmark --runs 5 --cds "$logs/cds"; then
  cold_row "cold start + AppCDS archive" "$logs/cold-start-cds.log"
else
  row "cold start + AppCDS archive" "-" "$step_status"
fi

# The Firestore ledger's throughput, on the emulator, when that benchmark is in the tree.
ledger_src="functions/src/test/java/dev/connectorgate/gcp/LedgerThroughputBench.java"
if [[ -f "$ledger_src" ]]; then
  if step "ledger throughput" 300 "$logs/ledger.log" mvn -B -pl functions -am test -Dtest=LedgerThroughputBench \
      -Dsurefire.failIfNoSpecifiedTests=false -Dbench.threads=1,4 -Dbench.requests=48; then
    # Rows: connectors threads decisions/s p50 p95 max; the 4-thread rows on 1 and on 8 connectors.
    l="$(awk '/^connectors threads/ {on = 1; next} on && NF == 6 && $2 == 4 {printf "%s%s conn %s/s (p50 %s ms)",
      sep, $1, $3, $4; sep = ", "}' "$logs/ledger.log")"
    row "ledger throughput, 4 threads" "${l:-see ledger.log}" "$step_status"
  else
    row "ledger throughput, 4 threads" "-" "$step_status"
  fi
else
  row "ledger throughput (Firestore)" "not available yet" "-"
fi

# The warm end-to-end benchmark through ./gate up, when someone has added it.
e2e_src="$(find bench/src functions/src -name 'EndToEndBench*.java' 2>/dev/null | head -n 1)"
if [[ -n "$e2e_src" && "$e2e_src" == bench/src/main/* ]]; then
  e2e_class="$(basename "$e2e_src" .java)"
  # Short: its own time bound (--budget) below this step's, so it reports before timeout would end it.
  if step "end to end" 330 "$logs/end-to-end.log" java -cp "$jar" "dev.connectorgate.bench.$e2e_class" \
      --requests 100 --warmup 10 --up-timeout 120 --budget 120; then
    # Rows after the "phase" header: name, in flight, decided, lost, p50, p90, p99, max, decisions/s, ...
    e="$(awk '/^phase / {on = 1; next} on && NF >= 9 && $2 ~ /^[0-9]+$/ {printf "%s%s x%s p50 %s ms %s/s",
      sep, $1, $2, $5, $9; sep = ", "}' "$logs/end-to-end.log")"
    row "end to end via ./gate up" "${e:-see end-to-end.log}" "$step_status"
  else
    row "end to end via ./gate up" "-" "$step_status"
  fi
elif [[ -n "$e2e_src" ]]; then
  e2e_class="$(basename "$e2e_src" .java)"
  if step "end to end" 300 "$logs/end-to-end.log" mvn -B -pl functions -am verify -Dit.test="$e2e_class" \
      -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false; then
    row "end to end via ./gate up" "see end-to-end.log" "$step_status"
  else
    row "end to end via ./gate up" "-" "$step_status"
  fi
else
  row "end to end via ./gate up" "not available yet" "-"
fi

echo
echo "connector-gate benchmarks: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(java -version 2>&1 | head -n 1); build ${build_status}; total $((SECONDS - started)) s"
printf '%-32s %-100s %s\n' "benchmark" "headline" "status"
for i in "${!names[@]}"; do
  printf '%-32s %-100s %s\n' "${names[$i]}" "${heads[$i]}" "${states[$i]}"
done
echo "full outputs: $logs"
