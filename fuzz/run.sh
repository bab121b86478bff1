#!/usr/bin/env bash
# Coverage-guided fuzzing (fuzz/README.md): builds fuzz/Gateway.Fuzz into artifacts/fuzz, rewrites the gateway
# assembly there with SharpFuzz's instrumentation, and runs every target (or those named) under AFL++'s afl-fuzz
# for a fixed time each, seeded from the repository (recorded streams, request bodies, past crashes).
#
#   bash fuzz/run.sh --seconds 5                      # what .ci/run does: a short run of every target
#   nice bash fuzz/run.sh --seconds 600 --targets sse-reader,json-body --out artifacts/fuzz-campaign
#
# Prints, per target, the executions, paths found, crashes and hangs (from afl-fuzz's fuzzer_stats); copies each
# crash to <out>/crashes/<target>/ (default out: artifacts/fuzz) and exits 1 if there was one. Without afl-fuzz (Debian's afl++ package,
# installed here when running as root) it says so and exits 0: the property tests still run in the suite.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

SECONDS_PER_TARGET=5
TARGETS=""
OUT="$ROOT/artifacts/fuzz"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_TARGET=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
log() { echo "[fuzz $(date -u +%H:%M:%S)] $*"; }

if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing afl++ (Debian)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null; } || true
  fi
  if ! command -v afl-fuzz >/dev/null; then
    echo "fuzzing skipped: afl-fuzz (Debian package afl++) is not installed and could not be installed"
    exit 0
  fi
fi

ART="$OUT"
BIN="$ART/bin"
TOOLS="$ART/tools"
if [ ! -x "$TOOLS/sharpfuzz" ]; then
  log "installing the SharpFuzz instrumentation tool"
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$TOOLS" >/dev/null
fi
log "building fuzz/Gateway.Fuzz"
rm -rf "$BIN"
dotnet build fuzz/Gateway.Fuzz -c Release -o "$BIN" -nologo -v q -clp:ErrorsOnly >/dev/null \
  || { dotnet build fuzz/Gateway.Fuzz -c Release -o "$BIN" -nologo -v q -clp:ErrorsOnly; exit 1; }
# Only the gateway is instrumented: coverage feedback comes from its parsers, not from the runtime or the harness.
"$TOOLS/sharpfuzz" "$BIN/Glassbox.Gateway.dll" >/dev/null
FUZZ=(dotnet "$BIN/Glassbox.Gateway.Fuzz.dll")
if [ -z "$TARGETS" ]; then TARGETS=$("${FUZZ[@]}" --list | paste -sd, -); fi

# afl-fuzz runs `dotnet`, which carries no AFL instrumentation of its own (SharpFuzz speaks the fork-server protocol).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_MAP_SIZE=65536 AFL_SKIP_CRASHES=1 AFL_QUIET=1
status=0
printf '%-20s %10s %10s %8s %8s %8s\n' target executions exec/s paths crashes hangs
IFS=, read -ra names <<<"$TARGETS"
for target in "${names[@]}"; do
  work="$ART/work/$target"
  rm -rf "$work"; mkdir -p "$work"
  "${FUZZ[@]}" --seeds "$target" "$ROOT" "$work/seeds" >/dev/null
  # The seeds must pass before fuzzing starts: a seed that breaks an invariant is a finding by itself.
  "${FUZZ[@]}" "$target" "$work/seeds" >"$work/replay.log" 2>&1 || { echo "$target: a seed breaks an invariant:"; tail -n 5 "$work/replay.log"; status=1; continue; }
  afl-fuzz -i "$work/seeds" -o "$work/findings" -V "$SECONDS_PER_TARGET" -t 10000 -m none -- "${FUZZ[@]}" "$target" >"$work/afl.log" 2>&1 \
    || { echo "$target: afl-fuzz failed:"; tail -n 15 "$work/afl.log"; status=1; continue; }
  stats="$work/findings/default/fuzzer_stats"
  stat() { sed -n "s/^$1 *: *//p" "$stats"; }
  crashes=$(stat saved_crashes); hangs=$(stat saved_hangs)
  printf '%-20s %10s %10s %8s %8s %8s\n' "$target" "$(stat execs_done)" "$(stat execs_per_sec)" "$(stat corpus_count)" "$crashes" "$hangs"
  if [ "${crashes:-0}" != 0 ]; then
    mkdir -p "$ART/crashes/$target"
    cp "$work/findings/default/crashes/"id* "$ART/crashes/$target/"
    echo "$target: crashes kept in $ART/crashes/$target (replay: dotnet $BIN/Glassbox.Gateway.Fuzz.dll $target <file>)"
    status=1
  fi
done
exit $status
