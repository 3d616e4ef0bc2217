#!/usr/bin/env python3
"""The mutation score of each folder of a project, from Stryker's JSON reports.

Usage: mutation-scores.py <project dir> <threshold> <mutation-report.json>...
A score is what Stryker calls it: killed and timed-out mutants over those that were
tested or left without a covering test (compile errors and ignored ones not counted).
Exits 1 when a folder scores under the threshold or no report was read.
"""
import json
import os
import sys
from collections import defaultdict

DETECTED = {"Killed", "Timeout"}
UNDETECTED = {"Survived", "NoCoverage"}


def main() -> int:
    project, threshold, reports = os.path.abspath(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    counts = defaultdict(lambda: defaultdict(int))
    for report in reports:
        with open(report, encoding="utf-8") as f:
            files = json.load(f)["files"]
        for path, data in files.items():
            relative = os.path.relpath(os.path.abspath(path), project)
            folder = os.path.dirname(relative) or "(root)"
            for mutant in data["mutants"]:
                counts[folder][mutant["status"]] += 1
    rows = []
    for folder in sorted(counts):
        c = counts[folder]
        detected = sum(c[s] for s in DETECTED)
        undetected = sum(c[s] for s in UNDETECTED)
        if detected + undetected == 0:
            continue
        rows.append((folder, c["Killed"], c["Timeout"], c["Survived"], c["NoCoverage"], 100.0 * detected / (detected + undetected)))
    print(f"{'folder':<14} {'killed':>7} {'timeout':>8} {'survived':>9} {'no cover':>9} {'score':>7}")
    for folder, killed, timeout, survived, uncovered, score in rows:
        print(f"{folder:<14} {killed:>7} {timeout:>8} {survived:>9} {uncovered:>9} {score:>6.1f}%")
    low = [row[0] for row in rows if row[5] < threshold]
    if not rows:
        print("no mutation report was read")
        return 1
    print(f"{len(rows) - len(low)} folders at or above {threshold:g}%, {len(low)} under" + (f": {' '.join(low)}" if low else ""))
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
