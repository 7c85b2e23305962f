#!/usr/bin/env bash
# promtool_check.sh AGTOP DATA_DIR FLEET_DIR - `promtool check metrics` on what
# --prometheus-textfile writes for every recording in DATA_DIR and for this machine's live
# source; `promtool check config` on the scrape configuration in FLEET_DIR (and so its rules).
set -euo pipefail
agtop=$1 data=$2 fleet=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "$data"/*.jsonl; do
	"$agtop" --replay "$f" --replay-speed 0 --count 3 --prometheus-processes 5 \
		--prometheus-textfile "$tmp/m.prom" --json >/dev/null
	[ -z "$(ls "$tmp" | grep -v '^m.prom$')" ] || { echo "temporary file left in $tmp"; exit 1; }
	out=$(promtool check metrics <"$tmp/m.prom" 2>&1) || { echo "$f: $out"; exit 1; }
	[ -z "$out" ] || { echo "$f: promtool: $out"; exit 1; }
	echo "ok: $(basename "$f") ($(grep -vc '^#' "$tmp/m.prom") samples)"
done
"$agtop" --count 2 --interval 0.2 --prometheus-textfile "$tmp/live.prom" --json >/dev/null
out=$(promtool check metrics <"$tmp/live.prom" 2>&1) || { echo "live: $out"; exit 1; }
[ -z "$out" ] || { echo "live: promtool: $out"; exit 1; }
echo "ok: this machine ($(grep -vc '^#' "$tmp/live.prom") samples)"
# an unwritable place is a clear error, exit 1
if "$agtop" --count 1 --interval 0.1 --prometheus-textfile /nonexistent/dir/m.prom --json 2>"$tmp/err"; then
	echo "an unwritable textfile was not an error"; exit 1
fi
grep -q "cannot write --prometheus-textfile" "$tmp/err" || { cat "$tmp/err"; exit 1; }
echo "ok: unwritable path"
# the ready-made scrape configuration and the alerting rules it loads
out=$(promtool check config "$fleet/prometheus.yml" 2>&1) || { echo "$out"; exit 1; }
echo "ok: docs/fleet/prometheus.yml and its rules"
