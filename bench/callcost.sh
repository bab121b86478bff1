#!/usr/bin/env bash
# Cost per call of the gateway in a repeatable unit: instructions counted by valgrind's callgrind (every
# thread of the gateway process: request path, OTLP export, GC), and managed bytes allocated (the
# runtime's own counter, read from /metrics). Wall time on a shared machine varies from run to run;
# instruction counts vary by well under 1 %, so a change's effect can be measured on a loaded machine.
#
#   bash bench/callcost.sh                    500 non-streaming + 500 streaming calls, telemetry exported
#   bash bench/callcost.sh --calls 200 --no-export --profile
#
# Options: --calls N (per scenario)  --warmup N  --deltas N (per streamed call)  --no-export
#          --profile (also write the callgrind files and a per-function table, JIT code named from the perf map)
#          --tiered (keep tiered JIT; default: no tiering: methods are compiled once, fully optimised (framework
#          methods run their ReadyToRun code), no PGO, so the count does not depend on how far tiering got under valgrind)
#          --env NAME=VALUE (an extra environment variable for the gateway; the DOTNET_GC* ones do not override the
#          compiled-in generation-0 cap: publish with -p:GlassboxGen0MaxBudget=N for that)
#          --gateway-dll PATH (another build of the gateway)
#          --native PATH (a Native AOT executable: its symbols name every function, so --profile gives inclusive costs
#          by call tree; bench/callgrind-breakdown.py groups them)  --plain-yarp (bench/PlainYarp instead)  --no-build
set -euo pipefail
# The whole script is parsed before it runs (main at the end): editing it during a run cannot break the run.
main() {
cd "$(dirname "$0")/.."
ROOT=$(pwd)

CALLS=500
WARMUP=3000
DELTAS=8
EXPORT=1
PROFILE=0
BUILD=1
JIT_ENV=(DOTNET_TieredCompilation=0)
GW_DLL=$ROOT/src/Gateway/bin/Release/net10.0/Glassbox.Gateway.dll
NATIVE=
EXTRA_ENV=()
while [ $# -gt 0 ]; do
  case "$1" in
    --calls) CALLS=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --deltas) DELTAS=$2; shift ;;
    --no-export) EXPORT=0 ;;
    --profile) PROFILE=1 ;;
    --gateway-dll) GW_DLL=$2; shift ;;
    --native) NATIVE=$2; shift ;;
    --env) EXTRA_ENV+=("$2"); shift ;;
    --no-build) BUILD=0 ;;
    --plain-yarp) GW_DLL=$ROOT/bench/PlainYarp/bin/Release/net10.0/Glassbox.Bench.PlainYarp.dll; EXPORT=0 ;;
    --tiered) JIT_ENV=() ;;
    -h|--help) sed -n 2,15p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

P_SIM=${BENCH_SIM_PORT:-9110}; P_GW=${BENCH_GW_PORT:-8090}
P_DASH_UI=${BENCH_DASH_UI_PORT:-19890}; P_DASH_GRPC=${BENCH_DASH_GRPC_PORT:-19330}; P_DASH_HTTP=${BENCH_DASH_HTTP_PORT:-19331}
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*"; }

for tool in valgrind callgrind_control taskset curl; do
  command -v $tool >/dev/null || { echo "$tool is missing (apt-get install -y valgrind util-linux curl)" >&2; exit 1; }
done
for port in $P_SIM $P_GW $P_DASH_UI $P_DASH_GRPC $P_DASH_HTTP; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is already in use (BENCH_*_PORT, top of this script)" >&2; exit 1; fi
done

if [ "$BUILD" = 1 ]; then
  log "building (Release)"
  for project in src/SimulatedUpstream src/Gateway bench/StreamBench bench/PlainYarp; do
    dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null || { dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly; exit 1; }
  done
fi
SIM_DLL=$ROOT/src/SimulatedUpstream/bin/Release/net10.0/Glassbox.SimulatedUpstream.dll
SB_DLL=$ROOT/bench/StreamBench/bin/Release/net10.0/Glassbox.Bench.StreamBench.dll

STAMP=$(date -u +%Y%m%d-%H%M%S)-$$
mkdir -p "$ROOT/bench/results"
MD=$ROOT/bench/results/callcost-$STAMP.md
WORK=$(mktemp -d -t glassbox-callcost.XXXXXX)
# shellcheck source=bench/servers.sh
source "$ROOT/bench/servers.sh"

log "starting simulated upstream :$P_SIM"
clean_env ASPNETCORE_URLS=http://127.0.0.1:$P_SIM taskset -c 1 dotnet "$SIM_DLL" >"$WORK/sim.log" 2>&1 &
PIDS+=("$!"); PID_SIM=$!
GW_ENV=(Glassbox__Upstreams__Anthropic__BaseUrl=http://127.0.0.1:$P_SIM Glassbox__Upstreams__OpenAI__BaseUrl=http://127.0.0.1:$P_SIM
        PLAINYARP_UPSTREAM=http://127.0.0.1:$P_SIM ASPNETCORE_URLS=http://127.0.0.1:$P_GW DOTNET_PerfMapEnabled=$PROFILE "${JIT_ENV[@]}" "${EXTRA_ENV[@]}")
if [ "$EXPORT" = 1 ]; then
  log "starting Aspire dashboard (OTLP receiver) :$P_DASH_GRPC"
  start_receiver aspire 0
  wait_port $P_DASH_GRPC dashboard $PID_DASH
  # The periodic metric export costs per interval (its series), not per call: pushed past the run so that whether a
  # window happens to hold one or two exports does not swing the per-call figure. Spans and log records still export per batch.
  GW_ENV+=(OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$P_DASH_GRPC OTEL_SERVICE_NAME=glassbox-callcost OTEL_METRIC_EXPORT_INTERVAL=86400000)
fi
wait_port $P_SIM sim $PID_SIM

# From a copy of the build output, so a rebuild during the (slow) run cannot swap assemblies under it.
if [ -n "$NATIVE" ]; then
  cp -r "$(dirname "$NATIVE")" "$WORK/gateway"
  # valgrind gives up on the DWARF 5 of the .dbg file; the profile is named from its symbol table afterwards.
  rm -f "$WORK/gateway/$(basename "$NATIVE").dbg"
  GW_CMD=("$WORK/gateway/$(basename "$NATIVE")")
else
  cp -r "$(dirname "$GW_DLL")" "$WORK/gateway"
  GW_CMD=(dotnet "$WORK/gateway/$(basename "$GW_DLL")")
fi
log "starting the gateway under callgrind (instrumentation off until measured), export $([ $EXPORT = 1 ] && echo on || echo off)"
clean_env "${GW_ENV[@]}" taskset -c 1 valgrind --tool=callgrind --instr-atstart=no --smc-check=all \
  --callgrind-out-file="$WORK/callgrind.%p" "${GW_CMD[@]}" >"$WORK/gw.log" 2>&1 &
PIDS+=("$!"); PID_GW=$!
# Under valgrind on a loaded machine start-up takes minutes: up to 30.
for i in $(seq 1 3600); do
  (exec 3<>"/dev/tcp/127.0.0.1/$P_GW") 2>/dev/null && break
  kill -0 $PID_GW 2>/dev/null || { tail -n 30 "$WORK/gw.log" >&2; exit 1; }
  [ "$i" -lt 3600 ] || { echo "the gateway did not listen within 30 min" >&2; exit 1; }
  sleep 0.5
done
sb() { taskset -c 0 dotnet "$SB_DLL" "$@" --url "http://127.0.0.1:$P_GW" --max-seconds 3600; }
# PlainYarp has no /metrics: its allocations read as 0.
allocated() { curl -s "http://127.0.0.1:$P_GW/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ { v = $NF } END { print v + 0 }'; }
non_streaming() { sb latency --n "$1" --warmup 0 >/dev/null; }
streaming() { sb stream --concurrency 1 --streams "$1" --deltas "$DELTAS" --gap-ms 0 --warmup-streams 0 >/dev/null; }

log "warm-up: $WARMUP non-streaming and $((WARMUP / 2)) streaming calls (every method compiled, connections open)"
non_streaming "$WARMUP" || true; streaming $((WARMUP / 2)) || true; non_streaming 200 || true; sleep 3
kill -0 $PID_GW 2>/dev/null || { echo "the gateway exited during the warm-up; log:" >&2; tail -n 30 "$WORK/gw.log" >&2; exit 1; }

declare -A IR ALLOC
for scenario in non_streaming streaming; do
  a1=$(allocated); a2=$(allocated)
  callgrind_control -z $PID_GW >/dev/null 2>&1; callgrind_control -i on $PID_GW >/dev/null 2>&1
  $scenario "$CALLS"
  sleep 1   # let the call's tail (span end, metric records) and one batch export run inside the window
  callgrind_control -i off $PID_GW >/dev/null 2>&1
  callgrind_control -d "$scenario" $PID_GW >/dev/null 2>&1
  a3=$(allocated)
  file=$(ls -t "$WORK"/callgrind.* | grep -v '\.map$' | head -n 1)
  total=$(awk '/^totals:/ { print $2; exit }' "$file")
  IR[$scenario]=$((total / CALLS))
  ALLOC[$scenario]=$(( (a3 - a2 - (a2 - a1)) / CALLS ))
  log "  $scenario: $(printf "%'d" ${IR[$scenario]}) instructions/call, ${ALLOC[$scenario]} B allocated/call"
  if [ "$PROFILE" = 1 ]; then
    cp "$file" "$ROOT/bench/results/callcost-$STAMP-$scenario.callgrind"
    if [ -n "$NATIVE" ]; then
      python3 "$ROOT/bench/callgrind-native-names.py" "$file" "$NATIVE.dbg" > "$WORK/named.callgrind" &&
        cp "$WORK/named.callgrind" "$ROOT/bench/results/callcost-$STAMP-$scenario.callgrind" &&
        callgrind_annotate --inclusive=yes "$WORK/named.callgrind" 2>/dev/null | head -n 160 > "$ROOT/bench/results/callcost-$STAMP-$scenario.top.txt" || true
    else
      python3 "$ROOT/bench/callgrind-jit-names.py" "$file" "/tmp/perf-$PID_GW.map" 40 \
        > "$ROOT/bench/results/callcost-$STAMP-$scenario.top.txt" 2>/dev/null || true
    fi
  fi
done

{
  echo "# Gateway cost per call, $STAMP"
  echo
  echo "- commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), gateway ${NATIVE:-$GW_DLL}"
  echo "- telemetry export: $([ $EXPORT = 1 ] && echo 'on (OTLP/gRPC to the Aspire dashboard)' || echo 'off (no OTLP endpoint)'); per-call log line on"
  [ ${#EXTRA_ENV[@]} -eq 0 ] || echo "- environment: ${EXTRA_ENV[*]}"
  if [ -n "$NATIVE" ]; then echo "- Native AOT executable"; else echo "- JIT: $([ ${#JIT_ENV[@]} -gt 0 ] && echo "${JIT_ENV[*]}" || echo "tiered (default)")"; fi
  echo "- warm-up $WARMUP + $((WARMUP / 2)) streamed calls; then $CALLS calls per scenario at concurrency 1, simulator with no delays"
  echo "- instructions: callgrind, all threads of the gateway, divided by calls; allocated: dotnet_gc_heap_total_allocated_bytes_total delta / calls"
  echo "- periodic metric export (per interval, not per call) pushed past the run: OTEL_METRIC_EXPORT_INTERVAL=86400000"
  echo
  echo "| scenario | instructions per call | bytes allocated per call |"
  echo "|---|---|---|"
  echo "| non-streaming POST /v1/messages | $(printf "%'d" ${IR[non_streaming]}) | ${ALLOC[non_streaming]} |"
  echo "| streamed, $DELTAS deltas | $(printf "%'d" ${IR[streaming]}) | ${ALLOC[streaming]} |"
  echo
  printf '{"kind":"callcost","export":%d,"calls":%d,"deltas":%d,"ir_non_streaming":%d,"ir_streaming":%d,"alloc_non_streaming":%d,"alloc_streaming":%d}\n' \
    "$EXPORT" "$CALLS" "$DELTAS" "${IR[non_streaming]}" "${IR[streaming]}" "${ALLOC[non_streaming]}" "${ALLOC[streaming]}"
} >"$MD"
cat "$MD"
}
main "$@"
