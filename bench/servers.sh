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
