#!/usr/bin/env bash
# soak_replay.sh AGTOP RECORDING SAMPLES [CSV] - a day of samples through agtop, as fast as it
# goes, with its memory written down.
#
# The recording's lines are played over and over, renumbered as one sample a second (seq 1..N,
# time +1 s each), through a pipe into `agtop --replay - --replay-speed 0 --headless --json
# --prometheus-textfile F --prometheus 127.0.0.1:0` (a free port): every sample is parsed, written as JSON,
# rendered three times for Prometheus, renamed into place and published. Every 2 s the script
# notes the elapsed seconds, the samples done (the textfile's agtop_samples_total) and agtop's
# RSS; CSV gets those lines. At the end agtop is stopped with SIGTERM (the endpoint would
# otherwise serve the last sample for ever) and must exit 143.
#
#   bench/soak_replay.sh build-asan/agtop tests/data/apple_m4max.jsonl 86400 soak.csv
#
# AGTOP_SOAK_MAX_GROWTH_KIB=N fails the run when RSS at the end is more than N KiB above RSS
# at a quarter of the run (the short CI soak, tests/CMakeLists.txt). Under AddressSanitizer,
# freed memory waits in a quarantine that counts in RSS: give ASAN_OPTIONS a small
# quarantine_size_mb for a curve that shows agtop, not the quarantine.
set -euo pipefail

agtop=$1
rec=$2
n=$3
csv=${4:-/dev/null}
dir=$(mktemp -d /tmp/agtop-soak-XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	rm -rf "$dir"
}
trap cleanup EXIT

done_samples() {
	awk '/^agtop_samples_total /{ print $2 + 0 }' "$dir/agtop.prom" 2>/dev/null || true
}
rss_kib() {
	awk '/^VmRSS:/{ print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0
}

awk -v n="$n" '
	{ line[count++] = $0 }
	END {
		for (i = 0; i < n; i++) {
			l = line[i % count]
			sub(/"seq":[0-9]+/, "\"seq\":" (i + 1), l)
			sub(/"time":[0-9.]+/, "\"time\":" (1795470000 + i) ".0", l)
			print l
		}
	}' "$rec" |
	"$agtop" --replay - --replay-speed 0 --headless --json \
		--prometheus-textfile "$dir/agtop.prom" --prometheus 127.0.0.1:0 \
		>/dev/null 2>"$dir/stderr" &
pid=$!

start=$SECONDS
quarter_rss=
echo "seconds,samples,rss_kib" >"$csv"
while :; do
	sleep 2
	kill -0 "$pid" 2>/dev/null || { echo "soak: agtop ended early:" >&2; cat "$dir/stderr" >&2; exit 1; }
	s=$(done_samples)
	r=$(rss_kib)
	echo "$((SECONDS - start)),${s:-0},$r" >>"$csv"
	echo "soak: $((SECONDS - start)) s, ${s:-0} samples, RSS $r KiB" >&2
	if [ -z "$quarter_rss" ] && [ "${s:-0}" -ge $((n / 4)) ]; then
		quarter_rss=$r
	fi
	[ "${s:-0}" -ge "$n" ] && break
done
end_rss=$(rss_kib)
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
pid=
if [ $rc -ne 143 ]; then
	echo "soak: agtop exited with $rc, not 143:" >&2
	cat "$dir/stderr" >&2
	exit 1
fi
if grep -q -i "sanitizer\|leak" "$dir/stderr"; then
	cat "$dir/stderr" >&2
	exit 1
fi
echo "soak: $n samples in $((SECONDS - start)) s; RSS $quarter_rss KiB at a quarter, $end_rss KiB at the end" >&2
if [ -n "${AGTOP_SOAK_MAX_GROWTH_KIB:-}" ] && [ $((end_rss - quarter_rss)) -gt "$AGTOP_SOAK_MAX_GROWTH_KIB" ]; then
	echo "soak: RSS grew by $((end_rss - quarter_rss)) KiB after the first quarter (at most $AGTOP_SOAK_MAX_GROWTH_KIB)" >&2
	exit 1
fi
