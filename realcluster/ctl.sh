#!/usr/bin/env bash
# Controls a running real control plane (for tests): the state directory comes from SHIPDECK_REALCLUSTER.
#
#   realcluster/ctl.sh stop kube-apiserver             # SIGTERM (then SIGKILL after 10 s)
#   realcluster/ctl.sh start kube-apiserver            # same port and flags; waits for /readyz
#   realcluster/ctl.sh restart kube-apiserver
#   realcluster/ctl.sh stop|start|restart kube-controller-manager
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
state="${SHIPDECK_REALCLUSTER:-}"
[[ -n "$state" && -d "$state/pids" ]] || { echo "error: SHIPDECK_REALCLUSTER does not name a running real control plane (start one with realcluster/run.sh or up.sh)" >&2; exit 2; }
case "${2:-}" in
  kube-apiserver) start=rc_start_apiserver ;;
  kube-controller-manager) start=rc_start_controller_manager ;;
  *) echo "error: unknown component '${2:-}' (kube-apiserver or kube-controller-manager)" >&2; exit 2 ;;
esac
case "${1:-}" in
  stop) rc_kill "$state" "$2" ;;
  start) rc_alive "$state" "$2" || "$start" "$state" ;;
  restart) rc_kill "$state" "$2"; "$start" "$state" ;;
  *) echo "error: unknown command '${1:-}' (stop, start or restart)" >&2; exit 2 ;;
esac
