#!/usr/bin/env bash
# Soak: steady mixed traffic through the gateway for a long time, telemetry exported over OTLP to a real
# backend (the Aspire dashboard, as bench/run.sh and the demo start it). Samples the gateway's RSS, GC heap,
# thread count and open handles every 10 s; at the end compares calls made with call spans received.
# Pass (docs/faults.md, "Soak"): after the warm-up, RSS and handles within ±10 % of their median over the
# flat window, 0 unexpected outcomes (only injected faults fail), 0 spans lost.
#
#   bash bench/soak.sh                 # 30 min, 5-min warm-up, last 20 min must be flat, 5 calls/s
#   bash bench/soak.sh --minutes 3     # the short version .ci/run runs (1-min warm-up, last 2 min flat)
#   SOAK_RATE=10 bash bench/soak.sh    # another rate
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

MINUTES=30
if [ "${1:-}" = "--minutes" ]; then MINUTES=$2; fi
RATE=${SOAK_RATE:-5}
DURATION=$((MINUTES * 60))
if [ "$MINUTES" -ge 30 ]; then WARMUP=300; FLAT=1200; else WARMUP=$((DURATION / 3)); FLAT=$((DURATION - WARMUP)); fi

log() { echo "[soak $(date -u +%H:%M:%S)] $*"; }
free_port() { # a random port nothing listens on (bash only: CI has no python)
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}
P_SIM=$(free_port); P_GW=$(free_port); P_DASH_UI=$(free_port); P_DASH_GRPC=$(free_port); P_DASH_HTTP=$(free_port)

log "building (Release)"
for project in src/SimulatedUpstream src/Gateway bench/Soak; do
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null || { dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly; exit 1; }
done

mkdir -p "$ROOT/bench/results"
REPORT=$ROOT/bench/results/soak-$(date -u +%Y%m%d-%H%M%S)-${MINUTES}min.md
WORK=$(mktemp -d /tmp/glassbox-soak.XXXXXX)
log "report: $REPORT  (server logs: $WORK)"
# The servers run from copies, so a rebuild during a long run cannot replace their assemblies under them.
for dir in src/SimulatedUpstream src/Gateway bench/Soak; do mkdir -p "$WORK/bin/$dir" && cp -r "$ROOT/$dir/bin/Release/net10.0/." "$WORK/bin/$dir/"; done
SIM_DLL=$WORK/bin/src/SimulatedUpstream/Glassbox.SimulatedUpstream.dll
GW_DLL=$WORK/bin/src/Gateway/Glassbox.Gateway.dll
SOAK_DLL=$WORK/bin/bench/Soak/Glassbox.Bench.Soak.dll

# shellcheck source=bench/servers.sh
source "$ROOT/bench/servers.sh"

clean_env ASPNETCORE_URLS=http://127.0.0.1:$P_SIM Simulator__DeltaGapMs=20 Simulator__Deltas=8 \
  dotnet "$SIM_DLL" >"$WORK/sim.log" 2>&1 &
PID_SIM=$!; PIDS+=("$PID_SIM")
# The dashboard keeps telemetry in memory; its limits are raised so that every call of the run is still there to count.
start_receiver aspire "" DASHBOARD__TELEMETRYLIMITS__MAXTRACECOUNT=1000000 DASHBOARD__TELEMETRYLIMITS__MAXLOGCOUNT=100
clean_env Glassbox__Upstreams__Anthropic__BaseUrl=http://127.0.0.1:$P_SIM Glassbox__Upstreams__OpenAI__BaseUrl=http://127.0.0.1:$P_SIM \
  Glassbox__Upstreams__Anthropic__Retry__BaseDelay=00:00:00.05 Glassbox__Upstreams__OpenAI__Retry__BaseDelay=00:00:00.05 \
  Glassbox__Upstreams__Anthropic__CircuitBreaker__Enabled=false Glassbox__Upstreams__OpenAI__CircuitBreaker__Enabled=false \
  Glassbox__Upstreams__Gemini__BaseUrl=http://127.0.0.1:$P_SIM Glassbox__Upstreams__Gemini__Retry__BaseDelay=00:00:00.05 Glassbox__Upstreams__Gemini__CircuitBreaker__Enabled=false \
  Serilog__MinimumLevel__Default=Warning \
  ASPNETCORE_URLS=http://127.0.0.1:$P_GW OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$P_DASH_GRPC OTEL_SERVICE_NAME=glassbox-soak \
  dotnet "$GW_DLL" >"$WORK/gw.log" 2>&1 &
PID_GW=$!; PIDS+=("$PID_GW")
wait_port "$P_SIM" sim "$PID_SIM"
wait_port "$P_DASH_GRPC" dashboard "$PID_DASH"
wait_port "$P_DASH_UI" dashboard "$PID_DASH"
wait_port "$P_GW" gw "$PID_GW"

log "$MINUTES min at $RATE calls/s (warm-up ${WARMUP}s, flat window ${FLAT}s); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
dotnet "$SOAK_DLL" --gateway "http://127.0.0.1:$P_GW/" --gateway-pid "$PID_GW" --dashboard "http://127.0.0.1:$P_DASH_UI/" \
  --service glassbox-soak --duration-s "$DURATION" --warmup-s "$WARMUP" --flat-window-s "$FLAT" --rate "$RATE" --report "$REPORT" || rc=$?
echo "machine load at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$REPORT"
if grep -qiE "unhandled|fatal" "$WORK/gw.log"; then
  echo "the gateway logged unhandled errors:" >&2; grep -iE "unhandled|fatal" "$WORK/gw.log" | head -n 5 >&2; rc=1
fi
exit $rc
