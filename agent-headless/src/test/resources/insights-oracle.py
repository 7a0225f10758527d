#!/usr/bin/env python3
"""The four delivery measures computed from `kubectl get releases.shipdeck.dev -A -o json`, written apart from
Shipdeck's Java code from the definitions in docs/INSIGHTS.md, as the referee of InsightsCommandTest.

    insights-oracle.py --since-seconds N --until 2026-12-01T00:00:00Z CONTEXT [CONTEXT...]

Prints one JSON object: the period's deployments, deploymentsPerDay, leadTimeSeconds, leadTimesKnown, changes,
failedChanges, changeFailureRate, timeToRestoreSeconds and restored.
"""
import argparse
import datetime
import json
import subprocess
import sys

RESTORE_WINDOW = 24 * 3600
FINISHED = {"SUCCESS", "FAILED", "CANCELLED", "EXPIRED", "LOGGED"}
SUCCESSFUL = {"SUCCESS", "LOGGED"}


def parse_time(text):
    if not text:
        return None
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def median(values):
    if not values:
        return None
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def releases(context):
    out = subprocess.run(["kubectl", "--context", context, "get", "releases.shipdeck.dev", "-A", "-o", "json"],
                         check=True, capture_output=True, text=True).stdout
    for item in json.loads(out)["items"]:
        spec, status = item.get("spec", {}), item.get("status", {})
        phase = status.get("phase", "PENDING")
        started, ended = parse_time(status.get("startedAt")), parse_time(status.get("endedAt"))
        at = started if started is not None else ended
        if phase in ("PENDING", "EXPIRED") or at is None:
            continue
        finished = (ended if ended is not None else started) if phase in FINISHED else None
        yield {
            "lane": (context, spec.get("component")),
            "at": at,
            "finished": finished,
            "phase": phase,
            "rollback": bool(spec.get("rollback")),
            "revision": (spec.get("workload") or {}).get("revision", 0),
            "commit": parse_time((spec.get("trigger") or {}).get("commitTime")),
        }


def classify(all_releases):
    lanes = {}
    for r in all_releases:
        lanes.setdefault(r["lane"], []).append(r)
    for lane in lanes.values():
        lane.sort(key=lambda r: (r["at"], r["revision"]))
        for i, r in enumerate(lane):
            good = r["phase"] in SUCCESSFUL
            r["good"] = good
            r["change"] = not r["rollback"] and (good or r["phase"] in ("FAILED", "CANCELLED"))
            nxt = lane[i + 1] if i + 1 < len(lane) else None
            restored_soon = (good and nxt is not None and nxt["rollback"] and r["finished"] is not None
                             and nxt["at"] - r["finished"] <= RESTORE_WINDOW)
            r["failed"] = r["change"] and (r["phase"] in ("FAILED", "CANCELLED") or restored_soon)
            r["restore"] = None
            if r["failed"] and r["finished"] is not None:
                for s in lane[i + 1:]:
                    if s["phase"] in SUCCESSFUL and s["finished"] is not None and s["finished"] >= r["finished"]:
                        r["restore"] = s["finished"] - r["finished"]
                        break
            r["lead"] = None
            if good and r["change"] and r["commit"] is not None and r["finished"] is not None and r["commit"] <= r["finished"]:
                r["lead"] = r["finished"] - r["commit"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--since-seconds", type=int, required=True)
    p.add_argument("--until", required=True)
    p.add_argument("contexts", nargs="+")
    a = p.parse_args()
    everything = [r for c in a.contexts for r in releases(c)]
    classify(everything)
    end = parse_time(a.until)
    start = end - a.since_seconds
    now = [r for r in everything if start <= r["at"] < end]
    deployments = sum(1 for r in now if r["good"])
    leads = [r["lead"] for r in now if r["lead"] is not None]
    changes = sum(1 for r in now if r["change"])
    failed = sum(1 for r in now if r["failed"])
    restores = [r["restore"] for r in now if r["failed"] and r["restore"] is not None]
    days = a.since_seconds / 86400
    lead = median(leads)
    ttr = median(restores)
    json.dump({
        "deployments": deployments,
        "deploymentsPerDay": round(deployments / days, 4),
        "leadTimeSeconds": None if lead is None else int(lead),
        "leadTimesKnown": len(leads),
        "changes": changes,
        "failedChanges": failed,
        "changeFailureRate": None if changes == 0 else round(failed / changes, 4),
        "timeToRestoreSeconds": None if ttr is None else int(ttr),
        "restored": len(restores),
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
