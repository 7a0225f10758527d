#!/usr/bin/env bash
# Started by the launcher in its own session: when the launcher dies without cleaning up (SIGKILL, a crash), this
# stops every process its state directory lists and removes the directory (unless --keep-state). It exits on its own
# once the launcher has cleaned up (state gone).
# Usage: realcluster/reaper.sh LAUNCHER_PID STATE_DIR
set -uo pipefail
# shellcheck source=lib.sh
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
launcher=$1 state=$2
while kill -0 "$launcher" 2>/dev/null && [[ -d "$state/pids" ]]; do sleep 1; done
if [[ -d "$state/pids" ]] && ! kill -0 "$launcher" 2>/dev/null; then
  rc_log "the launcher ($launcher) is gone: stopping what it started"
  rc_stop "$state"
  [[ -e "$state/keep" ]] || rm -rf "$state"
fi
