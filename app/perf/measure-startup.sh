#!/usr/bin/env bash
# Start-up to first frame, to first data and resident memory of the desktop app, median of N runs.
#
#   ./mvnw -q -DskipTests package && app/perf/measure-startup.sh [runs]
#
# Needs xvfb-run (apt-get install -y xvfb libgtk-3-0). Three cases:
#   demo      the app with its embedded demo cluster (--demo): what a first-time user starts
#   demo-ext  the app alone against the demo cluster running in another process (--kubeconfig)
#   5000-ext  the app alone against a generated cluster of 5,000 components in another process
# The app prints one line per run (--measure): first_frame_ms, first_data_ms (every environment listed, timeline
# drawn), session_ms (kubeconfig read, clients and live view set up), rss_mb (VmRSS 3 s later, after a GC),
# heap_used_mb. All times are from the JVM's start.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
BUILD=${BUILD_DIR:-target}
APP=app/$BUILD/shipdeck-desktop.jar
SIM=cluster-sim/$BUILD/cluster-sim.jar
WORK=$(mktemp -d)
export SHIPDECK_CONFIG_DIR=$WORK/config
SIM_PID=
trap '[ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

measure() { # label, args...
  local label=$1; shift
  : > "$WORK/$label.txt"
  for _ in $(seq "$RUNS"); do
    xvfb-run -a -s "-screen 0 1440x900x24" java -jar "$APP" "$@" --measure 2>/dev/null | grep SHIPDECK_STARTUP >> "$WORK/$label.txt"
  done
  python3 - "$label" "$WORK/$label.txt" <<'PY'
import statistics, sys
rows = [dict(kv.split("=") for kv in line.split()[1:]) for line in open(sys.argv[2]) if line.strip()]
med = lambda k: int(statistics.median(int(r[k]) for r in rows))
print(f"| {sys.argv[1]} | {rows[0]['components']} | {len(rows)} | {med('first_frame_ms')} | {med('session_ms')} | {med('first_data_ms')} | {med('rss_mb')} | {med('heap_used_mb')} |")
PY
}

start_sim() { # kubeconfig, args...
  local kc=$1; shift
  java -jar "$SIM" --kubeconfig "$kc" "$@" > "$WORK/sim.log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 900); do grep -q READY "$WORK/sim.log" 2>/dev/null && return 0; sleep 1; done
  echo "cluster-sim did not start" >&2; exit 1
}

echo "| case | components | runs | first frame (ms) | session open (ms) | first data (ms) | RSS (MB) | heap used (MB) |"
echo "|---|---|---|---|---|---|---|---|"
measure demo --demo
start_sim "$WORK/demo.kubeconfig" --scenario demo
measure demo-ext --kubeconfig "$WORK/demo.kubeconfig"
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true
start_sim "$WORK/bench.kubeconfig" --clusters bench --components 5000
measure 5000-ext --kubeconfig "$WORK/bench.kubeconfig"
