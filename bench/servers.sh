# Sourced by bench/run.sh and bench/soak.sh: start, wait for and stop the servers of a run.
# Needs $WORK (server logs are $WORK/<name>.log). Servers started in the background are added to PIDS.

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_port() { # port, name, pid: up to 60 s
  local i
  for i in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$3" 2>/dev/null || { echo "$2 exited during start-up; log:" >&2; tail -n 30 "$WORK/$2.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$2 did not listen on $1 within 60 s" >&2; exit 1
}

# A clean environment for the servers: nothing from this shell's ASP.NET Core / OTEL / DOTNET settings.
# It execs, so that "clean_env ... &" leaves $! = the server's own PID (env and taskset exec too).
clean_env() { exec env -u ASPNETCORE_URLS -u OTEL_EXPORTER_OTLP_ENDPOINT -u OTEL_EXPORTER_OTLP_TRACES_ENDPOINT -u OTEL_SERVICE_NAME \
  -u DOTNET_gcServer -u DOTNET_TieredPGO -u DOTNET_TieredCompilation "$@"; }

# The Aspire dashboard's executable (restored from the NuGet cache as Gateway.Tests' PackageDownload if missing).
aspire_dashboard() {
  local dashboard=${ASPIRE_DASHBOARD_PATH:-${NUGET_PACKAGES:-$HOME/.nuget/packages}/aspire.dashboard.sdk.linux-x64/13.6.5/tools/Aspire.Dashboard}
  if [ ! -f "$dashboard" ]; then
    echo "restoring the Aspire dashboard package (PackageDownload of Gateway.Tests)" >&2
    dotnet restore "$ROOT/src/Gateway.Tests" -v q >/dev/null
  fi
  [ -f "$dashboard" ] || { echo "Aspire dashboard not found at $dashboard" >&2; return 1; }
  [ -x "$dashboard" ] || chmod +x "$dashboard"
  printf '%s\n' "$dashboard"
}

# start_receiver aspire|sink [CPU] [dashboard setting=value ...]: the OTLP/gRPC receiver on $P_DASH_GRPC, its API (or
# the sink's /stats) on $P_DASH_UI, pinned to CPU if one is given; sets PID_DASH. The sink is bench/OtlpSink, built.
start_receiver() {
  local kind=$1 cpu=${2:-} dashboard
  shift; [ $# -gt 0 ] && shift
  if [ "$kind" = sink ]; then
    clean_env GRPC_PORT=$P_DASH_GRPC STATS_PORT=$P_DASH_UI ${cpu:+taskset -c "$cpu"} \
      dotnet "$ROOT/bench/OtlpSink/bin/Release/net10.0/Glassbox.Bench.OtlpSink.dll" >"$WORK/dashboard.log" 2>&1 &
  else
    dashboard=$(aspire_dashboard) || exit 1
    ( cd "$(dirname "$dashboard")" && exec env -u DOTNET_DASHBOARD_OTLP_ENDPOINT_URL \
        ASPNETCORE_URLS=http://127.0.0.1:$P_DASH_UI \
        ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:$P_DASH_GRPC \
        ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:$P_DASH_HTTP \
        DASHBOARD__FRONTEND__AUTHMODE=Unsecured DASHBOARD__OTLP__AUTHMODE=Unsecured DASHBOARD__API__AUTHMODE=Unsecured \
        "$@" ${cpu:+taskset -c "$cpu"} "$dashboard" ) >"$WORK/dashboard.log" 2>&1 &
  fi
  PID_DASH=$!; PIDS+=("$PID_DASH")
}
