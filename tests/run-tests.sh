#!/usr/bin/env bash
# Runs every test project (or the one project given, as `make faults` does) and ends with
# one line of real counts: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
target=${1:-Eliloader.sln}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -f TestResults/template-coverage.txt TestResults/faults.txt
dotnet test "$target" -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# One summary line per test assembly, e.g. "Passed!  - Failed: 0, Passed: 57, Skipped: 0, Total: 57, ...".
count() { grep -E '^(Passed|Failed)! +- ' "$log" | grep -oE "$1: +[0-9]+" | awk '{s += $2} END {print s + 0}'; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
# The template coverage table (template, method, result) the integration tests wrote.
[ -f TestResults/template-coverage.txt ] && cat TestResults/template-coverage.txt
# The fault suite's table (case, expected, got, time, peak RSS, result) and its figures.
[ -f TestResults/faults.txt ] && cat TestResults/faults.txt
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit "$status"
