#!/usr/bin/env bash
# Glassbox benchmark: direct simulator vs plain YARP vs nginx (optional) vs the gateway with telemetry
# export off and fully on (OTLP to a real receiver, the Aspire dashboard). Everything on loopback.
# See bench/README.md for what each figure means and the fairness rules.
#
#   bash bench/run.sh            full run (~10 min): 3 rounds, 20 s warm-up per target
#   bash bench/run.sh --quick    smoke run (~2-3 min): 1 round, short durations
#
# Options: --rounds N  --warmup-seconds S  --wrk-seconds S  --no-nginx  --no-install
#          --aot DIR: also measure the Native AOT build published to DIR (DIR/Glassbox.Gateway), telemetry on
#          --receiver aspire|sink: the OTLP receiver, the Aspire dashboard (default; stores and indexes everything) or
#            bench/OtlpSink (counts what arrives, keeps nothing: the gateway's figures without a heavy receiver's
#            load on the load generator's core)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

MODE=full
ROUNDS=3
WARMUP_S=20        # per target; the reference says a fresh YARP needs ~40 s / ~100k requests for steady state
WRK_S=10
WRK_C=32
LAT_N=2000
LAT_WARMUP=200
K1_STREAMS=100     # concurrency-1 streams per round (2 deltas, 20 ms apart)
C_STREAMS=256      # concurrent paced streams
STREAMS=512        # paced streams per round (two waves of 256)
DELTAS=64
GAP_MS=20
MANY_STREAMS=1000  # paced streams all at once, for memory per stream (64 deltas, 50 ms apart)
MANY_GAP_MS=50
STARTUP_RUNS=5
QUIET_S=30         # after the last request, for the quiet RSS (the idle trim comes 15-21 s after the last collection)
USE_NGINX=1
INSTALL=1
AOT_DIR=
RECEIVER=aspire

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick; ROUNDS=1; WARMUP_S=5; WRK_S=3; LAT_N=500; LAT_WARMUP=100; K1_STREAMS=30; STREAMS=256; MANY_STREAMS=300; STARTUP_RUNS=2 ;;
    --rounds) ROUNDS=$2; shift ;;
    --warmup-seconds) WARMUP_S=$2; shift ;;
    --wrk-seconds) WRK_S=$2; shift ;;
    --no-nginx) USE_NGINX=0 ;;
    --no-install) INSTALL=0 ;;
    --aot) AOT_DIR=$(cd "$2" && pwd); shift ;;
    --receiver) RECEIVER=$2; shift; case "$RECEIVER" in aspire|sink) ;; *) echo "--receiver: aspire or sink" >&2; exit 2 ;; esac ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

# Ports (all 127.0.0.1); each can be moved with an environment variable if something else holds it.
P_SIM=${BENCH_SIM_PORT:-9100}; P_GW_ON=${BENCH_GW_ON_PORT:-8080}; P_YARP=${BENCH_YARP_PORT:-8081}
P_GW_OFF=${BENCH_GW_OFF_PORT:-8082}; P_NGINX=${BENCH_NGINX_PORT:-8083}; P_GW_AOT=${BENCH_GW_AOT_PORT:-8084}; P_START=${BENCH_STARTUP_PORT:-8085}
P_DASH_UI=${BENCH_DASH_UI_PORT:-19888}; P_DASH_GRPC=${BENCH_DASH_GRPC_PORT:-19317}; P_DASH_HTTP=${BENCH_DASH_HTTP_PORT:-19318}
LOADGEN_CPU=0; SERVER_CPU=1; RECEIVER_CPU=0

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*"; }

# ---------------------------------------------------------------- tools
apt_install() {
  # Only when missing; 'apt-get update' only if the plain install fails.
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >/dev/null 2>&1; }
}
if ! command -v wrk >/dev/null; then
  [ "$INSTALL" = 1 ] || { echo "wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
  log "installing wrk"; apt_install wrk || { echo "could not install wrk" >&2; exit 1; }
fi
if [ "$USE_NGINX" = 1 ] && ! command -v nginx >/dev/null; then
  if [ "$INSTALL" = 1 ]; then
    log "installing nginx (optional target)"
    apt_install nginx-light || apt_install nginx || { log "nginx not installable: skipped"; USE_NGINX=0; }
  else
    USE_NGINX=0
  fi
fi
command -v taskset >/dev/null || { echo "taskset (util-linux) is missing" >&2; exit 1; }
CPUS=$(nproc)
if [ "$CPUS" -lt 2 ]; then LOADGEN_CPU=0; SERVER_CPU=0; RECEIVER_CPU=0; log "only $CPUS CPU: no separation possible"; fi

# 1,000 concurrent streams need ~1,000 descriptors in the client and the simulator and ~2,000 in a proxy.
ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null || log "could not raise the open-file limit ($(ulimit -n)): the 1,000-stream scenario may fail"
for port in $P_SIM $P_GW_ON $P_YARP $P_GW_OFF $P_NGINX $P_GW_AOT $P_START $P_DASH_UI $P_DASH_GRPC $P_DASH_HTTP; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is already in use (move it with BENCH_*_PORT, see the top of this script)" >&2; exit 1; fi
done

# ---------------------------------------------------------------- build
log "building (Release)"
for project in src/SimulatedUpstream src/Gateway bench/PlainYarp bench/StreamBench bench/OtlpSink; do
  dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null || { dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly; exit 1; }
done
SIM_DLL=$ROOT/src/SimulatedUpstream/bin/Release/net10.0/Glassbox.SimulatedUpstream.dll
GW_DLL=$ROOT/src/Gateway/bin/Release/net10.0/Glassbox.Gateway.dll
YARP_DLL=$ROOT/bench/PlainYarp/bin/Release/net10.0/Glassbox.Bench.PlainYarp.dll
SB_DLL=$ROOT/bench/StreamBench/bin/Release/net10.0/Glassbox.Bench.StreamBench.dll

# ---------------------------------------------------------------- output
STAMP=$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$ROOT/bench/results"
MD=$ROOT/bench/results/$STAMP.md
RAW=$ROOT/bench/results/$STAMP.jsonl
WORK=$(mktemp -d -t glassbox-bench.XXXXXX)
: > "$RAW"
log "results: $MD  (raw lines: $RAW, server logs: $WORK)"

# ---------------------------------------------------------------- servers
# shellcheck source=bench/servers.sh
source "$ROOT/bench/servers.sh"

log "starting simulated upstream :$P_SIM (CPU $SERVER_CPU)"
clean_env ASPNETCORE_URLS=http://127.0.0.1:$P_SIM \
  taskset -c $SERVER_CPU dotnet "$SIM_DLL" >"$WORK/sim.log" 2>&1 &
PID_SIM=$!; PIDS+=("$PID_SIM")

log "starting the OTLP receiver ($RECEIVER) gRPC :$P_DASH_GRPC, API/stats :$P_DASH_UI (CPU $RECEIVER_CPU)"
start_receiver "$RECEIVER" "$RECEIVER_CPU"

GW_COMMON=(Glassbox__Upstreams__Anthropic__BaseUrl=http://127.0.0.1:$P_SIM Glassbox__Upstreams__OpenAI__BaseUrl=http://127.0.0.1:$P_SIM)
log "starting gateway, telemetry ON -> OTLP :$P_DASH_GRPC, :$P_GW_ON (CPU $SERVER_CPU)"
clean_env "${GW_COMMON[@]}" ASPNETCORE_URLS=http://127.0.0.1:$P_GW_ON \
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$P_DASH_GRPC OTEL_SERVICE_NAME=glassbox-bench-on \
  taskset -c $SERVER_CPU dotnet "$GW_DLL" >"$WORK/gw-on.log" 2>&1 &
PID_GW_ON=$!; PIDS+=("$PID_GW_ON")

log "starting gateway, telemetry export OFF (no OTLP endpoint), :$P_GW_OFF (CPU $SERVER_CPU)"
clean_env "${GW_COMMON[@]}" ASPNETCORE_URLS=http://127.0.0.1:$P_GW_OFF \
  taskset -c $SERVER_CPU dotnet "$GW_DLL" >"$WORK/gw-off.log" 2>&1 &
PID_GW_OFF=$!; PIDS+=("$PID_GW_OFF")

PID_GW_AOT=
if [ -n "$AOT_DIR" ]; then
  [ -x "$AOT_DIR/Glassbox.Gateway" ] || { echo "no native executable at $AOT_DIR/Glassbox.Gateway" >&2; exit 1; }
  log "starting the Native AOT gateway, telemetry ON -> OTLP :$P_DASH_GRPC, :$P_GW_AOT (CPU $SERVER_CPU)"
  clean_env "${GW_COMMON[@]}" ASPNETCORE_URLS=http://127.0.0.1:$P_GW_AOT \
    OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$P_DASH_GRPC OTEL_SERVICE_NAME=glassbox-bench-aot \
    taskset -c $SERVER_CPU "$AOT_DIR/Glassbox.Gateway" >"$WORK/gw-aot.log" 2>&1 &
  PID_GW_AOT=$!; PIDS+=("$PID_GW_AOT")
fi

log "starting plain YARP :$P_YARP (CPU $SERVER_CPU)"
clean_env ASPNETCORE_URLS=http://127.0.0.1:$P_YARP PLAINYARP_UPSTREAM=http://127.0.0.1:$P_SIM \
  taskset -c $SERVER_CPU dotnet "$YARP_DLL" >"$WORK/yarp.log" 2>&1 &
PID_YARP=$!; PIDS+=("$PID_YARP")

PID_NGINX=
if [ "$USE_NGINX" = 1 ]; then
  mkdir -p "$WORK/nginx-tmp" && chmod 1777 "$WORK/nginx-tmp"
  cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp/body;
  proxy_temp_path $WORK/nginx-tmp/proxy;
  fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
  scgi_temp_path $WORK/nginx-tmp/scgi;
  upstream simulator { server 127.0.0.1:$P_SIM; keepalive 512; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$P_NGINX;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://simulator;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
EOF
  log "starting nginx :$P_NGINX (1 worker, CPU $SERVER_CPU)"
  taskset -c $SERVER_CPU nginx -p "$WORK" -c "$WORK/nginx.conf" >"$WORK/nginx.log" 2>&1 &
  PID_NGINX=$!; PIDS+=("$PID_NGINX")
fi

wait_port $P_SIM sim $PID_SIM
wait_port $P_DASH_GRPC dashboard $PID_DASH
wait_port $P_GW_ON gw-on $PID_GW_ON
wait_port $P_GW_OFF gw-off $PID_GW_OFF
wait_port $P_YARP yarp $PID_YARP
TARGETS=(direct yarp gw-off gw-on)
declare -A URL=([direct]=http://127.0.0.1:$P_SIM [yarp]=http://127.0.0.1:$P_YARP [gw-off]=http://127.0.0.1:$P_GW_OFF [gw-on]=http://127.0.0.1:$P_GW_ON)
declare -A PID=([direct]=$PID_SIM [yarp]=$PID_YARP [gw-off]=$PID_GW_OFF [gw-on]=$PID_GW_ON)
if [ -n "$PID_GW_AOT" ]; then
  wait_port $P_GW_AOT gw-aot $PID_GW_AOT
  TARGETS+=(gw-aot); URL[gw-aot]=http://127.0.0.1:$P_GW_AOT; PID[gw-aot]=$PID_GW_AOT
fi
if [ -n "$PID_NGINX" ]; then
  wait_port $P_NGINX nginx $PID_NGINX
  sleep 0.5
  NGINX_WORKER=$(pgrep -P "$PID_NGINX" | head -n 1 || true)
  if [ -n "$NGINX_WORKER" ]; then
    TARGETS=(direct yarp nginx "${TARGETS[@]:2}"); URL[nginx]=http://127.0.0.1:$P_NGINX; PID[nginx]=$NGINX_WORKER   # the worker serves
  fi
fi

# ---------------------------------------------------------------- helpers
sb() { taskset -c $LOADGEN_CPU dotnet "$SB_DLL" "$@"; }
record() { # runs a StreamBench command; JSON line to RAW, human lines to the console log
  local out rc=0
  out=$(sb "$@") || rc=$?
  printf '%s\n' "$out" | grep '^{' >>"$RAW" || true
  printf '%s\n' "$out" | grep -v '^{' | sed 's/^/    /'
  return 0
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK_TCK=$(getconf CLK_TCK)

run_wrk() { # target round seconds
  local t=$1 round=$2 seconds=$3 before after rbefore rafter out requests
  before=$(cpu_ticks "${PID[$t]}"); rbefore=$(cpu_ticks "$PID_DASH")
  out=$(BENCH_LABEL=$t BENCH_ROUND=$round taskset -c $LOADGEN_CPU wrk -t1 -c$WRK_C -d"${seconds}s" --timeout 5s \
        -s "$ROOT/bench/wrk-messages.lua" "${URL[$t]}/v1/messages")
  after=$(cpu_ticks "${PID[$t]}"); rafter=$(cpu_ticks "$PID_DASH")
  printf '%s\n' "$out" | grep '^{' >>"$RAW" || true
  requests=$(printf '%s\n' "$out" | grep -o '"requests":[0-9]*' | cut -d: -f2)
  printf '%s\n' "$out" | grep -E 'Requests/sec|Non-2xx|Socket errors' | sed 's/^/    /'
  if [ -n "$requests" ] && [ "$requests" -gt 0 ]; then
    awk -v t="$t" -v r="$round" -v d=$((after - before)) -v rd=$((rafter - rbefore)) -v n="$requests" -v hz="$CLK_TCK" -v s="$seconds" \
      'BEGIN { printf "{\"kind\":\"cpu\",\"label\":\"%s\",\"round\":%d,\"cpu_ms\":%.0f,\"requests\":%d,\"us_per_req\":%.2f,\"cpu_share\":%.3f,\"receiver_cpu_share\":%.3f}\n", t, r, d*1000/hz, n, d*1e6/hz/n, d/hz/s, rd/hz/s }' >>"$RAW"
  fi
}

settle_receiver() { # waits (≤ 30 s) until the OTLP receiver uses < 5 % CPU over 1 s, so its ingest backlog
  local i a b              # from a wrk burst does not compete with the stream client on the load CPU
  for i in $(seq 1 30); do
    a=$(cpu_ticks "$PID_DASH"); sleep 1; b=$(cpu_ticks "$PID_DASH")
    [ $(( (b - a) * 100 )) -lt $(( 5 * CLK_TCK )) ] && return 0
  done
  log "    OTLP receiver still busy after 30 s"
}

# ---------------------------------------------------------------- warm-up
log "warm-up: ${WARMUP_S} s of wrk c=$WRK_C and 256 short streams per target"
for t in "${TARGETS[@]}"; do
  log "  $t"
  taskset -c $LOADGEN_CPU wrk -t1 -c$WRK_C -d"${WARMUP_S}s" --timeout 5s -s "$ROOT/bench/wrk-messages.lua" "${URL[$t]}/v1/messages" \
    | grep -E 'Requests/sec|Non-2xx' | sed 's/^/    /'
  sb stream --url "${URL[$t]}" --concurrency 64 --streams 256 --deltas 8 --gap-ms 0 --warmup-streams 0 --max-seconds 60 \
    | grep -E '^  stalls' | sed 's/^/    /' || true
done
sleep 2
log "RSS idle (after warm-up, before load)"
for t in "${TARGETS[@]}"; do record rss --pid "${PID[$t]}" --label "$t" --scenario idle; done

# ---------------------------------------------------------------- measurements
for round in $(seq 1 "$ROUNDS"); do
  # Rotate the target order every round so no target always runs first or last.
  order=()
  n=${#TARGETS[@]}
  for i in $(seq 0 $((n - 1))); do order+=("${TARGETS[$(( (i + round - 1) % n ))]}"); done
  log "round $round/$ROUNDS: ${order[*]}"
  for t in "${order[@]}"; do
    log "  $t: latency c=1 (n=$LAT_N)"
    record latency --url "${URL[$t]}" --n "$LAT_N" --warmup "$LAT_WARMUP" --max-seconds 60 --label "$t" --round "$round"
    log "  $t: wrk c=$WRK_C ${WRK_S} s"
    sb rss --pid "${PID[$t]}" --reset-peak 1 >/dev/null
    run_wrk "$t" "$round" "$WRK_S"
    record rss --pid "${PID[$t]}" --label "$t" --round "$round" --scenario wrk
    settle_receiver
    log "  $t: stream c=1 ($K1_STREAMS streams, 2 deltas ${GAP_MS} ms apart)"
    record stream --url "${URL[$t]}" --concurrency 1 --streams "$K1_STREAMS" --deltas 2 --gap-ms "$GAP_MS" --warmup-streams 5 \
      --max-seconds 60 --label "$t" --round "$round" --scenario k1
    log "  $t: $STREAMS paced streams at c=$C_STREAMS ($DELTAS deltas ${GAP_MS} ms apart)"
    sb rss --pid "${PID[$t]}" --reset-peak 1 >/dev/null
    record stream --url "${URL[$t]}" --concurrency "$C_STREAMS" --streams "$STREAMS" --deltas "$DELTAS" --gap-ms "$GAP_MS" \
      --max-seconds 120 --label "$t" --round "$round" --scenario c256
    record rss --pid "${PID[$t]}" --label "$t" --round "$round" --scenario c256
    log "  $t: $MANY_STREAMS paced streams at once ($DELTAS deltas ${MANY_GAP_MS} ms apart): failed, RSS peak, memory per stream"
    sleep 1
    before=$(sb rss --pid "${PID[$t]}" --reset-peak 1 | grep -o '"rss_mb":[0-9.]*' | cut -d: -f2)
    record stream --url "${URL[$t]}" --concurrency "$MANY_STREAMS" --streams "$MANY_STREAMS" --deltas "$DELTAS" --gap-ms "$MANY_GAP_MS" \
      --max-seconds 120 --label "$t" --round "$round" --scenario c1000
    peak=$(sb rss --pid "${PID[$t]}" --label "$t" --round "$round" --scenario c1000 | tee >(grep '^{' >>"$RAW") | grep -o '"hwm_mb":[0-9.]*' | cut -d: -f2)
    awk -v t="$t" -v r="$round" -v b="$before" -v p="$peak" -v n="$MANY_STREAMS" \
      'BEGIN { printf "{\"kind\":\"memstream\",\"label\":\"%s\",\"round\":%d,\"scenario\":\"c1000\",\"before_mb\":%.1f,\"peak_mb\":%.1f,\"kb_per_stream\":%.1f}\n", t, r, b, p, (p - b) * 1024 / n }' >>"$RAW"
  done
done

sleep 2
log "RSS after load"
for t in "${TARGETS[@]}"; do record rss --pid "${PID[$t]}" --label "$t" --scenario after; done
# What a quiet process keeps: the gateway gives unused heap back after 15 s without a collection (Glassbox:Memory).
sleep "$QUIET_S"
log "RSS ${QUIET_S} s after the last request"
for t in "${TARGETS[@]}"; do record rss --pid "${PID[$t]}" --label "$t" --scenario quiet; done

# ---------------------------------------------------------------- start-up
# A fresh process each run, telemetry on (OTLP endpoint set), to /healthz answering 200.
log "start to /healthz answering ($STARTUP_RUNS runs each)"
STARTUP_ENV=("${GW_COMMON[@]}" ASPNETCORE_URLS=http://127.0.0.1:$P_START OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$P_DASH_GRPC OTEL_SERVICE_NAME=glassbox-bench-startup)
clean_env_run() { ( clean_env "$@" ); }
clean_env_run "${STARTUP_ENV[@]}" taskset -c $SERVER_CPU dotnet "$SB_DLL" startup --command "dotnet $GW_DLL" \
  --url "http://127.0.0.1:$P_START/healthz" --runs "$STARTUP_RUNS" --label gw-on --scenario startup | tee >(grep '^{' >>"$RAW") | grep -v '^{' | sed 's/^/    /'
if [ -n "$AOT_DIR" ]; then
  clean_env_run "${STARTUP_ENV[@]}" taskset -c $SERVER_CPU dotnet "$SB_DLL" startup --command "$AOT_DIR/Glassbox.Gateway" \
    --url "http://127.0.0.1:$P_START/healthz" --runs "$STARTUP_RUNS" --label gw-aot --scenario startup | tee >(grep '^{' >>"$RAW") | grep -v '^{' | sed 's/^/    /'
fi

# ---------------------------------------------------------------- telemetry check
SPANS="n/a"
if command -v curl >/dev/null; then
  sleep 6   # let the batch exporter flush
  if [ "$RECEIVER" = sink ]; then
    SPANS=$(curl -s "http://127.0.0.1:$P_DASH_UI/stats" | grep -o '"spans":[0-9]*' | cut -d: -f2 || true)
  else
    SPANS=$(curl -s "http://127.0.0.1:$P_DASH_UI/api/telemetry/traces?resource=glassbox-bench-on&limit=1" | grep -o '"totalCount":[0-9]*' | cut -d: -f2 || true)
  fi
fi

# ---------------------------------------------------------------- report
{
  echo "# Glassbox benchmark, $STAMP ($MODE mode)"
  echo
  echo "- commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(uname -r)"
  echo "- load generators (wrk, StreamBench) on CPU $LOADGEN_CPU; simulator, proxies and gateways on CPU $SERVER_CPU; OTLP receiver ($RECEIVER) on CPU $RECEIVER_CPU"
  echo "- rounds $ROUNDS (target order rotated), warm-up ${WARMUP_S} s wrk + 256 short streams per target"
  echo "- latency: c=1, $LAT_N requests after $LAT_WARMUP; throughput: wrk -t1 -c$WRK_C ${WRK_S} s; stream c=1: $K1_STREAMS streams of 2 deltas ${GAP_MS} ms apart;"
  echo "  paced: $STREAMS streams at c=$C_STREAMS, $DELTAS deltas ${GAP_MS} ms apart, stall = gap > 60 ms; $MANY_STREAMS streams at once, $DELTAS deltas ${MANY_GAP_MS} ms apart"
  echo "- RSS peak of a scenario: VmHWM reset (/proc/PID/clear_refs) before it, read after it; memory per stream = (peak − RSS before) / $MANY_STREAMS"
  echo "- start-up: fresh process (telemetry on) to the first 200 from /healthz, polled every 1 ms, median of $STARTUP_RUNS (the starter and the server on CPU $SERVER_CPU)"
  if [ "$RECEIVER" = sink ]; then
    echo "- gateway telemetry on: OTLP/gRPC to bench/OtlpSink (counts, keeps nothing); spans it received from every gateway: ${SPANS:-?}"
  else
    echo "- gateway telemetry on: OTLP/gRPC to the Aspire dashboard; traces it stored for glassbox-bench-on: ${SPANS:-?}"
  fi
  echo "- CPU per request: utime+stime of the target process during the wrk run / requests (for proxies the simulator is not included; nginx: its worker)"
  echo
  sb report --input "$RAW"
  echo
  echo "Raw lines: bench/results/$STAMP.jsonl"
} >"$MD"
echo
cat "$MD"
