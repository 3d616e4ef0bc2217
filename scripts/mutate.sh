#!/usr/bin/env bash
# Mutation testing of Eliloader.Formats with Stryker.NET (the local tool of
# dotnet-tools.json), one folder at a time so that each slice reports even when a
# later one runs out of time, on one core (the build machine is shared), with the
# unit tests only (Category!=Slow: the interop and long property tests would make
# each surviving mutant cost minutes). Prints the score of each folder and exits
# non-zero when one is under MUTATE_THRESHOLD.
#
#   MUTATE_FOLDERS="Cpio XmlRpc"   only these folders ("." is the project's root files)
#   MUTATE_SLICE_TIMEOUT=2400      seconds a folder may take before it is given up
#   MUTATE_THRESHOLD=80            the lowest acceptable score
set -uo pipefail
set -f # the -m patterns are globs for Stryker, not for the shell
cd "$(dirname "$0")/.."
project=src/Eliloader.Formats
out=TestResults/mutation
threshold=${MUTATE_THRESHOLD:-80}
folders=${MUTATE_FOLDERS:-". $(find "$project" -mindepth 1 -maxdepth 1 -type d ! -name bin ! -name obj -printf '%f\n' | sort | tr '\n' ' ')"}

dotnet tool restore >/dev/null || exit 1
mkdir -p "$out"
for folder in $folders; do
	name=${folder/#./root}
	if [ "$folder" = . ]; then
		patterns=$(find "$project" -maxdepth 1 -name '*.cs' -printf '-m **/%f ')
	else
		patterns="-m **/$folder/**/*.cs"
	fi
	echo "mutate: $name"
	rm -rf "$out/$name"
	# shellcheck disable=SC2086 # the patterns are separate arguments
	(cd tests/Eliloader.Formats.Tests && timeout "${MUTATE_SLICE_TIMEOUT:-2400}" dotnet stryker \
		--project Eliloader.Formats.csproj --configuration Release --concurrency 1 \
		--test-case-filter 'Category!=Slow' $patterns \
		--reporter json --reporter html --skip-version-check --output "../../$out/$name" >"../../$out/$name.log" 2>&1) ||
		echo "mutate: $name did not finish (see $out/$name.log)"
done
set +f # now the reports are files for the shell to list
scripts/mutation-scores.py "$project" "$threshold" "$out"/*/reports/mutation-report.json | tee "$out/scores.txt"
exit "${PIPESTATUS[0]}"
