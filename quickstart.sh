#!/usr/bin/env bash
# quickstart.sh - install what is missing, build, and then run agtop or its whole test suite.
#
#   ./quickstart.sh run [agtop options]   build and start agtop
#   ./quickstart.sh test                  build and run every test (also under ASan+UBSan);
#                                         a test that skips fails the run (tools/check-skips.sh)
#
# Works on Debian 12 (apt-get; uses sudo when not root) and on macOS with Homebrew.
set -euo pipefail

cd "$(dirname "$0")"
mode=${1:-run}
[ $# -gt 0 ] && shift

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'quickstart: %s\n' "$*" >&2; exit 1; }

jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)

# ---- dependencies -------------------------------------------------------------------------

deb_build=(build-essential cmake pkg-config libncurses-dev libjansson-dev libexpat1-dev
	libmicrohttpd-dev libpcre2-dev)
deb_test=(libcmocka-dev tmux ncurses-term clang libclang-rt-14-dev prometheus zsh fish)
brew_build=(cmake pkg-config ncurses jansson expat libmicrohttpd pcre2)
brew_test=(cmocka tmux prometheus fish)

install_debian() {
	local missing=() sudo=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || die "need root or sudo to install: ${missing[*]}"
		sudo=(sudo)
	fi
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
		# a fresh machine has no package lists yet
		"${sudo[@]}" apt-get update
		"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
	fi
}

install_brew() {
	local missing=()
	for p in "$@"; do
		brew list --versions "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	brew install "${missing[@]}"
}

deps() {
	case "$(uname -s)" in
	Linux)
		command -v apt-get >/dev/null ||
			die "this script installs with apt-get (Debian/Ubuntu); install ${deb_build[*]} yourself"
		if [ "$1" = test ]; then
			install_debian "${deb_build[@]}" "${deb_test[@]}"
			# zig for the aarch64-macos compile check comes from npm (any npm: Debian's,
			# or the one NodeSource's nodejs brings)
			command -v npm >/dev/null || install_debian nodejs npm
		else
			install_debian "${deb_build[@]}"
		fi
		;;
	Darwin)
		command -v brew >/dev/null || die "install Homebrew first: https://brew.sh"
		if [ "$1" = test ]; then
			install_brew "${brew_build[@]}" "${brew_test[@]}"
		else
			install_brew "${brew_build[@]}"
		fi
		# ncurses and expat are keg-only in Homebrew: point pkg-config at them
		for k in ncurses expat; do
			PKG_CONFIG_PATH="$(brew --prefix "$k")/lib/pkgconfig:${PKG_CONFIG_PATH:-}"
		done
		export PKG_CONFIG_PATH
		;;
	*) die "agtop builds on Linux and macOS" ;;
	esac
}

# ---- build --------------------------------------------------------------------------------

build() { # build DIR [cmake args...]
	local dir=$1
	shift
	say "building in $dir"
	cmake -S . -B "$dir" "$@" >/dev/null
	cmake --build "$dir" -j "$jobs"
}

case "$mode" in
run)
	deps run
	build build -DBUILD_TESTING=OFF
	say "starting agtop (q quits)"
	exec ./build/agtop "$@"
	;;
test)
	deps test
	build build -DBUILD_TESTING=ON -DAGTOP_WERROR=ON
	say "tests"
	(cd build && ctest --output-on-failure -j "$jobs")
	tools/check-skips.sh build
	build build-asan -DBUILD_TESTING=ON -DAGTOP_WERROR=ON -DAGTOP_SANITIZE=ON \
		-DCMAKE_BUILD_TYPE=Debug
	say "tests under AddressSanitizer and UndefinedBehaviorSanitizer"
	(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$jobs")
	tools/check-skips.sh build-asan
	if [ "$(uname -s)" = Linux ]; then
		say "the macOS build, compiled for aarch64-macos with zig"
		tools/macos-compile-check.sh
		say "fuzzing every parser (libFuzzer, ${AGTOP_FUZZ_SECONDS:-20} s per target)"
		tools/fuzz.sh
	fi
	say "all tests passed"
	;;
*)
	die "usage: ./quickstart.sh run [agtop options] | ./quickstart.sh test"
	;;
esac
