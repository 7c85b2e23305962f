#!/usr/bin/env bash
# fuzz.sh - builds the libFuzzer target for the powermetrics plist stream (tests/fuzz/) with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer, and runs it.
#
#   tools/fuzz.sh [SECONDS]      default 60 (CI); AGTOP_FUZZ_SECONDS overrides
#
# Seeds: tests/fuzz/corpus and the captured plists in tests/data. Findings
# (crash-*, leak-*, timeout-*) are written to build-fuzz/ and make the script fail.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=${1:-${AGTOP_FUZZ_SECONDS:-60}}
cc=${CLANG:-clang}
out=build-fuzz
command -v "$cc" >/dev/null || { echo "fuzz: clang is not installed" >&2; exit 1; }
mkdir -p "$out/corpus"

"$cc" -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Isrc $(pkg-config --cflags expat) \
	tests/fuzz/fuzz_plist.c src/apple/plist.c src/apple/pm_decode.c src/sample.c src/util/str.c src/util/array.c \
	$(pkg-config --libs expat) -lm -o "$out/fuzz_plist"

seeds=(tests/fuzz/corpus)
for f in tests/data/agtop/pm_*.plist tests/data/agtop/pm_*.bin \
	tests/data/apple/powermetrics_plist_*.plist; do
	[ -f "$f" ] && cp "$f" "$out/corpus/" # copies in the build folder, never in the repository
done
echo "fuzz: running fuzz_plist for ${seconds} s" >&2
cd "$out"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	./fuzz_plist -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 corpus "${seeds[@]/#/../}" 2>fuzz.log || {
	tail -40 fuzz.log >&2
	echo "fuzz: FAILED (the input is in $out/)" >&2
	exit 1
}
grep -E "^stat::number_of_executed_runs|^Done" fuzz.log >&2 || true
echo "fuzz: clean" >&2
