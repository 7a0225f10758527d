#!/usr/bin/env bash
# Starts the real control plane for interactive use and keeps it running until Ctrl+C (or SIGTERM), then stops
# every process it started and removes its state.
#
#   realcluster/up.sh [--keep-state]
#
# It builds nothing: run realcluster/build.sh first (it reuses what it built before). While it runs, another
# terminal can use the lines it prints (export KUBECONFIG=...), e.g.
#   kubectl get nodes
#   kubectl get rollouts -A
#   kubectl argo rollouts version
#   java -jar agent-headless/target/shipdeck.jar environments
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
keep=false
case "${1:-}" in
  --keep-state) keep=true ;;
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "error: unknown option $1 (see realcluster/up.sh --help)" >&2; exit 2 ;;
esac

state=$(mktemp -d "${TMPDIR:-/tmp}/shipdeck-realcluster.XXXXXX")
cleanup() {
  trap - EXIT INT TERM
  rc_log "stopping"
  rc_stop "$state"
  if $keep; then rc_log "state kept in $state"; else rm -rf "$state"; fi
  rc_log "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if $keep; then touch "$state/keep"; fi
setsid "$here/reaper.sh" "$$" "$state" >/dev/null 2>&1 </dev/null &
rc_start "$state"

cat <<EOT
The real control plane is running (Ctrl+C stops it). In another terminal:

  export KUBECONFIG=$state/kubeconfig          # admin; contexts: ${RC_CONTEXTS[*]}
  export PATH=$state/bin:\$PATH                # the kubectl, kubectl-argo-rollouts and helm built for it
  export SHIPDECK_CONFIG_DIR=$state            # environments.yaml: one namespace per context
  kubectl get nodes
  kubectl get rollouts -A
  kubectl argo rollouts version

  read-only user: --kubeconfig $state/viewer.kubeconfig   (or kubectl --user viewer)
  logs: $state/logs/
EOT
echo "READY kubeconfig=$state/kubeconfig server=$(cat "$state/server") contexts=$(IFS=,; echo "${RC_CONTEXTS[*]}")"
while true; do
  for c in "${RC_COMPONENTS[@]}"; do
    rc_alive "$state" "$c" || { tail -n 20 "$state/logs/$c.log" >&2; rc_die "$c exited (log: $state/logs/$c.log)"; }
  done
  sleep 2 & wait $!
done
