#!/usr/bin/env bash
# The real tier in one command: builds (or reuses) the real control plane, starts it, checks it (smoke.sh), runs every test tagged "real"
# (core, agent-headless: status rules, kubectl and Argo plugin oracles, viewer RBAC, live view and reconnect, agent
# lifecycle, crash-restart and leader election, shipdeck install, Helm and kustomize, the sim fidelity test) against
# it, stops everything and prints a report of each suite and its test count (also in target/real-tier-report.txt).
#
#   realcluster/test.sh [MAVEN ARG...]        # e.g. -Dtest=SimFidelityTest to run one suite
#
# Needs Go >= 1.24 and the Go module proxy for the first build (tens of minutes, see README.md); later runs reuse
# ~/.cache/shipdeck/realcluster. Set SHIPDECK_REALCLUSTER_NO_BUILD=1 to refuse building (CI with a cold cache).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
if [[ "${SHIPDECK_REALCLUSTER_NO_BUILD:-}" == 1 ]]; then
  "$here/build.sh" --check || exit 3
else
  "$here/build.sh"
fi
for m in core agent-headless; do rm -rf "$root/$m/target/real-tier-reports"; done
mkdir -p "$root/target"
started=$SECONDS
set +e
"$here/run.sh" -- bash -c '"$1"/smoke.sh && shift && "$@"' smoke "$here" \
  "$root/mvnw" -B -Preal -pl core,agent-headless -am -Dsurefire.failIfNoSpecifiedTests=false verify "$@"
rc=$?
set -e
"$here/report.sh" "$root" "$((SECONDS - started))" | tee "$root/target/real-tier-report.txt"
exit "$rc"
