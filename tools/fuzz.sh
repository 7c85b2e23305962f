#!/usr/bin/env bash
# fuzz.sh - builds every libFuzzer target, tests/fuzz/fuzz_*.c, with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer against agtop's core (every source but main.c and the terminal
# code, as one static library), and runs each one for a bounded time on its corpus: the seeds in
# tests/fuzz/corpus/<target>/ (copied into build-fuzz/, which the fuzzer grows; never the
# repository).
#
#   tools/fuzz.sh [SECONDS] [TARGET...]   seconds per target (default 20, CI); AGTOP_FUZZ_SECONDS
#                                         overrides the default; no TARGET: all of them
#
# Findings (crash-*, leak-*, timeout-*, oom-*) are written to build-fuzz/<target>/ and make the
# script fail after every target has run.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=${1:-${AGTOP_FUZZ_SECONDS:-20}}
[ $# -gt 0 ] && shift
cc=${CLANG:-clang}
out=build-fuzz
pkgs="jansson expat libmicrohttpd libpcre2-8"
command -v "$cc" >/dev/null || { echo "fuzz: clang is not installed" >&2; exit 1; }
[ "$(uname -s)" = Linux ] || { echo "fuzz: runs on Linux (libFuzzer, the Linux source)" >&2; exit 1; }

flags=(-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
	-fno-sanitize-recover=all -Isrc)
read -r -a pkgcflags <<<"$(pkg-config --cflags $pkgs)"
read -r -a pkglibs <<<"$(pkg-config --libs $pkgs)"

# the core: what the tests link (CMakeLists.txt's agtop_core, the Linux platform)
mkdir -p "$out/obj"
mapfile -t srcs < <(find src -name '*.c' -not -path 'src/main.c' -not -path 'src/view/screen_curses.c' \
	-not -path 'src/source/macos/*' | sort)
echo "fuzz: compiling ${#srcs[@]} core files with $("$cc" --version | head -1)" >&2
export cc
printf '%s\n' "${srcs[@]}" |
	xargs -P "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)" -I{} sh -c \
		'o="$0/obj/$(echo {} | tr / _).o"; "$cc" "$@" -fsanitize=fuzzer-no-link -c {} -o "$o"' \
		"$out" "${flags[@]}" "${pkgcflags[@]}"
# the version the build would write from src/version.c.in (cmake/version.cmake)
printf '#include "version.h"\nconst char agtop_version[] = "fuzz";\n' >"$out/version.c"
"$cc" "${flags[@]}" -fsanitize=fuzzer-no-link -c "$out/version.c" -o "$out/obj/version.o"
rm -f "$out/libagtop_fuzz.a"
ar rcs "$out/libagtop_fuzz.a" "$out"/obj/*.o

# the longest input each target is given (a parser's real inputs are smaller)
max_len() {
	case "$1" in
	fuzz_dump | fuzz_plist) echo 65536 ;;
	fuzz_replay) echo 60000 ;; # the pipe it goes through holds 64 KiB
	fuzz_http) echo 2048 ;;
	*) echo 8192 ;;
	esac
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi
failed=()
for t in "${targets[@]}"; do
	mkdir -p "$out/$t" "$out/corpus/$t"
	"$cc" "${flags[@]}" "${pkgcflags[@]}" -fsanitize=fuzzer "tests/fuzz/$t.c" \
		"$out/libagtop_fuzz.a" "${pkglibs[@]}" -lm -lpthread -o "$out/$t/$t"
	[ -d "tests/fuzz/corpus/$t" ] && cp -r "tests/fuzz/corpus/$t/." "$out/corpus/$t/"
	if [ "$t" = fuzz_plist ]; then
		for f in tests/data/agtop/pm_*.plist tests/data/agtop/pm_*.bin \
			tests/data/apple/powermetrics_plist_*.plist; do
			[ -f "$f" ] && cp "$f" "$out/corpus/$t/"
		done
	fi
	echo "fuzz: $t for ${seconds} s" >&2
	if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		"$out/$t/$t" -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/$t/" \
		"$out/corpus/$t" >"$out/$t/fuzz.log" 2>&1; then
		grep -E "^stat::number_of_executed_runs|^Done" "$out/$t/fuzz.log" >&2 || true
	else
		tail -40 "$out/$t/fuzz.log" >&2
		echo "fuzz: $t FAILED (the input is in $out/$t/)" >&2
		failed+=("$t")
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: FAILED: ${failed[*]}" >&2
	exit 1
fi
echo "fuzz: ${#targets[@]} targets clean" >&2
