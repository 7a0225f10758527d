#!/usr/bin/env bash
# Prints the real tier's report: every suite that ran, its test count and outcome, from the surefire XML reports.
# Usage: realcluster/report.sh REPO_ROOT [SECONDS]
set -uo pipefail
root=$1 took=${2:-}
mkdir -p "$root/target"
attr() { sed -n "s/.*<testsuite [^>]*\\b$1=\"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
total=0 failed=0 skipped=0 suites=0
printf '%-60s %6s %6s %6s %8s\n' "real tier suite" tests failed skipped seconds
for f in "$root"/*/target/real-tier-reports/TEST-*.xml; do
  [[ -e "$f" ]] || continue
  n=$(attr tests "$f"); e=$(attr errors "$f"); fl=$(attr failures "$f"); s=$(attr skipped "$f"); t=$(attr time "$f")
  [[ "$n" -gt 0 ]] || continue
  module=$(basename "$(dirname "$(dirname "$(dirname "$f")")")")
  printf '%-60s %6s %6s %6s %8s\n' "$module: $(attr name "$f" | sed 's/^dev\.shipdeck\.//')" "$n" "$((e + fl))" "$s" "$t"
  total=$((total + n)); failed=$((failed + e + fl)); skipped=$((skipped + s)); suites=$((suites + 1))
done
printf '%-60s %6s %6s %6s %8s\n' "total: $suites suites" "$total" "$failed" "$skipped" "${took}"
[[ "$suites" -gt 0 ]] || echo "no real tier suite ran (see the Maven output above)"
