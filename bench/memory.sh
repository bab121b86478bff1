#!/usr/bin/env bash
# Where the gateway's memory goes, telemetry on and exporting over OTLP/gRPC to the Aspire dashboard: RSS (anonymous
# and file-backed) and the managed heap (committed, live per generation, from the gateway's own /metrics) when fresh,
# right after 15 s of wrk c=32, and again after 30 s of quiet (the idle trim, Glassbox:Memory). One gateway per run.
#
#   bash bench/memory.sh [--aot DIR] [--jit] [--receiver aspire|sink] [--wrk-seconds 15] [-- ENV=VALUE ...]
#
# --aot DIR measures DIR/Glassbox.Gateway (default artifacts/aot, published if missing); --jit the JIT build instead.
# Values after -- go into the gateway's environment (e.g. Glassbox__Memory__IdleTrimAfter=00:00:00 to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

AOT_DIR=artifacts/aot; JIT=0; WRK_S=15; QUIET_S=30; GW_ENV=(); RECEIVER=aspire
while [ $# -gt 0 ]; do
  case "$1" in
    --aot) AOT_DIR=$2; shift ;;
    --jit) JIT=1 ;;
    --receiver) RECEIVER=$2; shift ;;
    --wrk-seconds) WRK_S=$2; shift ;;
    --) shift; GW_ENV=("$@"); break ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

P_SIM=${BENCH_SIM_PORT:-9100}; P_GW=${BENCH_GW_ON_PORT:-8080}
P_DASH_UI=${BENCH_DASH_UI_PORT:-19888}; P_DASH_GRPC=${BENCH_DASH_GRPC_PORT:-19317}; P_DASH_HTTP=${BENCH_DASH_HTTP_PORT:-19318}
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
for project in src/SimulatedUpstream src/Gateway bench/OtlpSink; do dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null; done
if [ "$JIT" = 1 ]; then
  GW_CMD=(dotnet "$ROOT/src/Gateway/bin/Release/net10.0/Glassbox.Gateway.dll"); LABEL=JIT
else
  [ -x "$AOT_DIR/Glassbox.Gateway" ] || dotnet publish src/Gateway -c Release -o "$AOT_DIR" -nologo -v q >/dev/null
  GW_CMD=("$(cd "$AOT_DIR" && pwd)/Glassbox.Gateway"); LABEL=AOT
fi
WORK=$(mktemp -d -t glassbox-memory.XXXXXX)
# shellcheck source=bench/servers.sh
source "$ROOT/bench/servers.sh"
clean_env ASPNETCORE_URLS=http://127.0.0.1:$P_SIM taskset -c 1 dotnet "$ROOT/src/SimulatedUpstream/bin/Release/net10.0/Glassbox.SimulatedUpstream.dll" >"$WORK/sim.log" 2>&1 &
PID_SIM=$!; PIDS+=("$PID_SIM")
start_receiver "$RECEIVER" 0
wait_port "$P_SIM" sim "$PID_SIM"; wait_port "$P_DASH_GRPC" dashboard "$PID_DASH"
clean_env Glassbox__Upstreams__Anthropic__BaseUrl=http://127.0.0.1:$P_SIM Glassbox__Upstreams__OpenAI__BaseUrl=http://127.0.0.1:$P_SIM \
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$P_DASH_GRPC OTEL_SERVICE_NAME=glassbox-bench-memory ASPNETCORE_URLS=http://127.0.0.1:$P_GW \
  "${GW_ENV[@]}" taskset -c 1 "${GW_CMD[@]}" >"$WORK/gw.log" 2>&1 &
PID_GW=$!; PIDS+=("$PID_GW")
wait_port "$P_GW" gw "$PID_GW"

snapshot() { # label
  local metrics
  metrics=$(curl -fs "http://127.0.0.1:$P_GW/metrics")
  awk -v label="$1" '
    /^VmRSS:/ {rss=$2} /^VmHWM:/ {hwm=$2} /^RssAnon:/ {anon=$2} /^RssFile:/ {file=$2}
    END {printf "%-28s RSS %6.1f MiB (anonymous %5.1f, file %5.1f), peak %6.1f MiB", label, rss/1024, anon/1024, file/1024, hwm/1024}' "/proc/$PID_GW/status"
  printf '%s\n' "$metrics" | awk '
    /^dotnet_gc_last_collection_memory_committed_size_bytes/ {committed=$NF}
    /^dotnet_gc_last_collection_heap_size_bytes/ { match($0, /gc_heap_generation="[a-z0-9]+"/); g=substr($0, RSTART+20, RLENGTH-21); live[g]=$NF }
    /^dotnet_gc_collections_total/ { match($0, /gc_heap_generation="[a-z0-9]+"/); g=substr($0, RSTART+20, RLENGTH-21); gcs[g]=$NF }
    END {printf "; heap committed %5.1f MiB, live gen0+1 %4.1f gen2 %4.1f LOH %4.1f MiB; collections gen0 %d gen1 %d gen2 %d\n",
      committed/1048576, (live["gen0"]+live["gen1"])/1048576, live["gen2"]/1048576, live["loh"]/1048576, gcs["gen0"], gcs["gen1"], gcs["gen2"]}'
}

echo "$LABEL gateway, telemetry on -> OTLP ($RECEIVER); machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
sleep 3; snapshot "fresh (3 s after start)"
echo 5 > "/proc/$PID_GW/clear_refs"
rate=$(taskset -c 0 wrk -t1 -c32 -d"${WRK_S}s" --timeout 5s -s "$ROOT/bench/wrk-messages.lua" "http://127.0.0.1:$P_GW/v1/messages" | awk '/Requests\/sec/ {print $2}')
snapshot "after ${WRK_S} s of wrk c=32"
echo "  ($rate requests/s)"
sleep "$QUIET_S"; snapshot "${QUIET_S} s quiet after"
