#!/usr/bin/env bash
# Start-up time of the gateway: process start until GET /healthz answers 200, for the JIT build (dotnet + the build
# output) and the Native AOT executable (dotnet publish), median and min-max of N runs each; and the idle RSS of each,
# read from /proc 2 s after it answered (median); and the CPU time the process had used by the time it answered. Telemetry as shipped: metrics on, no OTLP endpoint (export off).
#
#   bash bench/startup.sh [--runs 10] [--jit src/Gateway/bin/Release/net10.0/Glassbox.Gateway.dll] [--aot DIR/Glassbox.Gateway]
#
# Without --aot the executable is published to artifacts/aot first (dotnet publish src/Gateway -c Release -o artifacts/aot);
# without the JIT build output, dotnet build -c Release builds it. Poll resolution: one curl per try (a few ms).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=10
jit=src/Gateway/bin/Release/net10.0/Glassbox.Gateway.dll
aot=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --jit) jit=$2; shift 2 ;;
    --aot) aot=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

[ -f "$jit" ] || dotnet build src/Gateway -c Release -v q --nologo >/dev/null
if [ -z "$aot" ]; then
  aot=artifacts/aot/Glassbox.Gateway
  [ -x "$aot" ] || dotnet publish src/Gateway -c Release -o artifacts/aot -v q --nologo >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# One start: prints "milliseconds rss_kib cpu_ms" (cpu: user + system time the process had used when /healthz first
# answered, from /proc/PID/stat in clock ticks; less disturbed by a busy machine than the wall time).
measure() {
  local port pid start end rss cpu
  port=$(free_port)
  start=$(date +%s%N)
  "$@" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz"; do
    kill -0 "$pid" 2>/dev/null || { echo "the gateway exited before answering" >&2; return 1; }
  done
  end=$(date +%s%N)
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  sleep 2
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(( (end - start) / 1000000 )) $rss $cpu"
}

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%s (min %s, max %s)", m, a[1], a[NR]}'; }

report() {
  local name=$1; shift
  local results=()
  measure "$@" >/dev/null # warm the file cache
  for _ in $(seq 1 "$runs"); do results+=("$(measure "$@")"); done
  printf '%-4s start to /healthz: %s ms wall, %s ms CPU; idle RSS: %s MiB\n' "$name" \
    "$(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | median)" \
    "$(printf '%s\n' "${results[@]}" | cut -d' ' -f3 | median)" \
    "$(printf '%s\n' "${results[@]}" | awk '{printf "%.1f\n", $2/1024}' | median)"
}

echo "runs: $runs each; machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
report JIT dotnet "$jit"
report AOT "$aot"
