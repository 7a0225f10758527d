#!/usr/bin/env bash
# Starts the real control plane (realcluster/up.sh's), runs one command with KUBECONFIG set to it, stops everything,
# and exits with the command's exit code.
#
#   realcluster/run.sh [--keep-state] -- COMMAND [ARG...]
#
#   # e.g.
#   realcluster/run.sh -- kubectl get nodes
#   realcluster/run.sh -- sh -c 'kubectl get rollouts -A && kubectl argo rollouts version'
#
# The command sees KUBECONFIG (admin; contexts prod-eu, staging, dev, one namespace each), SHIPDECK_REALCLUSTER (the
# state directory: viewer.kubeconfig, environments.yaml, tokens, logs) and a PATH whose kubectl, kubectl-argo-rollouts
# and helm are the ones built by realcluster/build.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
keep=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep-state) keep=true; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || { echo "error: no command given (usage: realcluster/run.sh -- COMMAND [ARG...])" >&2; exit 2; }

state=$(mktemp -d "${TMPDIR:-/tmp}/shipdeck-realcluster.XXXXXX")
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  rc_stop "$state"
  if $keep; then rc_log "state kept in $state"; else rm -rf "$state"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if $keep; then touch "$state/keep"; fi
setsid "$here/reaper.sh" "$$" "$state" >/dev/null 2>&1 </dev/null &
rc_start "$state"

export KUBECONFIG="$state/kubeconfig" SHIPDECK_REALCLUSTER="$state" PATH="$state/bin:$PATH"
# in the background (stdin kept) with its pid recorded, so that the reaper stops it too should this script be killed
"$@" <&0 &
echo $! >"$state/pids/command"
set +e
wait $!
rc=$?
set -e
rm -f "$state/pids/command"
exit "$rc"
