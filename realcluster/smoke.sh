#!/usr/bin/env bash
# Checks a running real control plane the way a person would (run by test.sh inside run.sh, or by hand after up.sh):
# two Ready Nodes, Rollouts listed, the Argo plugin's version, the server's version, and the viewer's RBAC.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }
nodes=$(kubectl get nodes --no-headers) || fail "kubectl get nodes"
[[ "$(grep -c ' Ready ' <<<"$nodes")" -ge 2 ]] || fail "expected 2 Ready Nodes, got: $nodes"
kubectl get rollouts -A >/dev/null || fail "kubectl get rollouts -A"
[[ "$(kubectl argo rollouts version --short)" == "kubectl-argo-rollouts: $ROLLOUTS_VERSION" ]] || fail "kubectl argo rollouts version: $(kubectl argo rollouts version --short 2>&1)"
kubectl version -o json | grep -q "\"gitVersion\": \"$KUBE_VERSION\"" || fail "the server does not say $KUBE_VERSION"
[[ "$(kubectl --user viewer auth can-i patch deployments -n staging 2>/dev/null || true)" == no ]] || fail "the viewer may patch deployments"
[[ "$(kubectl --user viewer auth can-i list rollouts.argoproj.io -n staging)" == yes ]] || fail "the viewer may not list rollouts"
echo "smoke: ok — $(wc -l <<<"$nodes") Ready Nodes, kube $KUBE_VERSION, kubectl-argo-rollouts $ROLLOUTS_VERSION, viewer read-only"
