#!/usr/bin/env bash
# check-skips.sh - fails when a test run reported a skip that is not a documented platform skip.
#
#   tools/check-skips.sh BUILD_DIR
#
# Reads ctest's full log (BUILD_DIR/Testing/Temporary/LastTest.log) and finds every skip: cmocka's
# "[  SKIPPED ]", the shell tests' "skip - ...", ctest's own "Not Run" and skip return codes. A skip
# passes only when tests/allowed-skips lists it for this platform (uname -s); everything else is
# a test that did not run, reported with its line, and the script exits 1.
set -euo pipefail

cd "$(dirname "$0")/.."
log=${1:?usage: tools/check-skips.sh BUILD_DIR}/Testing/Temporary/LastTest.log
[ -f "$log" ] || { echo "check-skips: no test log at $log" >&2; exit 1; }
platform=$(uname -s)

mapfile -t found < <(grep -E '^\[  SKIPPED \]|^skip - |\*\*\*Skipped|Not Run' "$log" | sort -u || true)
allowed=()
while IFS='|' read -r os pattern why; do
	[[ -z "$os" || "$os" == \#* ]] && continue
	[ "$os" = "$platform" ] || [ "$os" = any ] || continue
	allowed+=("$(echo "$pattern" | sed 's/^ *//; s/ *$//')")
done <tests/allowed-skips

bad=0
for line in "${found[@]}"; do
	ok=0
	for a in "${allowed[@]}"; do
		case "$line" in *"$a"*) ok=1 ;; esac
	done
	if [ $ok = 1 ]; then
		echo "check-skips: allowed on $platform: $line" >&2
	else
		echo "check-skips: a test was skipped: $line" >&2
		bad=1
	fi
done
if [ $bad = 1 ]; then
	echo "check-skips: every test must run (tests/allowed-skips lists the platform skips)" >&2
	exit 1
fi
echo "check-skips: no test skipped (${#found[@]} documented platform skips)" >&2
