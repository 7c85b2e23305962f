#!/usr/bin/env bash
# install_check.sh - `cmake --install` lays out exactly the documented files under --prefix and
# under DESTDIR, and writes nothing anywhere else.
#
#   tests/install_check.sh BUILD_DIR SOURCE_DIR COMPLETIONS(0|1)
#
# COMPLETIONS is 1 once agtop_install_completions() is called (cmake/install.cmake): then the
# three completion scripts must be in the shells' standard folders.
set -euo pipefail

build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
completions=$3
fail() {
	echo "install_check: $*" >&2
	exit 1
}

tmp=$(mktemp -d /tmp/agtop-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# what must be there, relative to the prefix, with its mode
expect() {
	echo "755 bin/agtop"
	echo "644 share/man/man1/agtop.1"
	for f in README.md CHANGELOG.md LICENSE; do echo "644 share/doc/agtop/$f"; done
	for f in "$src"/docs/*.md; do echo "644 share/doc/agtop/${f##*/}"; done
	for f in "$src"/docs/fleet/*; do echo "644 share/doc/agtop/fleet/${f##*/}"; done
	echo "644 share/agtop/examples/m1-ioreport-dump.json"
	echo "644 share/agtop/examples/README.md"
	if [ "$completions" = 1 ]; then
		echo "644 share/bash-completion/completions/agtop"
		echo "644 share/zsh/site-functions/_agtop"
		echo "644 share/fish/vendor_completions.d/agtop.fish"
	fi
}
expect | sort >"$tmp/expected"

# every file and link under $1, relative, with its mode; no empty folder goes unnoticed either
layout() {
	(cd "$1" && find . -mindepth 1 \( -type f -o -type l \) -printf '%m %P\n' | sort)
	(cd "$1" && find . -mindepth 1 -type d -empty -printf 'empty folder %P\n')
}

check_tree() { # check_tree ROOT WHAT
	layout "$1" >"$tmp/got"
	if ! diff -u "$tmp/expected" "$tmp/got" >"$tmp/diff"; then
		cat "$tmp/diff" >&2
		fail "$2: the installed files differ from the layout above (- expected, + installed)"
	fi
}

check_installed() { # check_installed PREFIX: the files installed there do what they say
	local v out
	v=$(cat "$build/generated/version.txt")
	[ "$("$1/bin/agtop" --version)" = "agtop $v" ] || fail "$1/bin/agtop --version is not agtop $v"
	head -1 "$1/share/man/man1/agtop.1" | grep -qF "\"agtop $v\"" ||
		fail "the installed manual's .TH line does not say agtop $v"
	out=$("$1/bin/agtop" --decode-dump "$1/share/agtop/examples/m1-ioreport-dump.json")
	grep -q '^chip Apple M1 ' <<<"$out" || fail "the example dump does not decode as an Apple M1"
	if [ "$completions" = 1 ]; then
		for f in share/bash-completion/completions/agtop share/zsh/site-functions/_agtop \
			share/fish/vendor_completions.d/agtop.fish; do
			[ -s "$1/$f" ] || fail "$f is empty"
		done
	fi
}

# Installing must not touch the home folder or the usual places either: run with an empty HOME
# and XDG folders, and check they stay empty.
mkdir -p "$tmp/home"
run_install() {
	env HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" XDG_CONFIG_HOME="$tmp/home/config" \
		"$@" >"$tmp/log" 2>&1 || {
		cat "$tmp/log" >&2
		fail "$* failed"
	}
	[ -z "$(ls -A "$tmp/home")" ] || fail "$* wrote into HOME: $(ls -A "$tmp/home")"
}

# the manifest lists every file cmake installed: all of them under ROOT
check_manifest() { # check_manifest ROOT
	local bad n
	bad=$(grep -v "^$1/" "$build/install_manifest.txt" || true)
	[ -z "$bad" ] || fail "installed outside $1: $bad"
	n=$(grep -c '' "$build/install_manifest.txt") # its last line has no newline
	[ "$n" -eq "$(wc -l <"$tmp/expected")" ] ||
		fail "install_manifest.txt lists $n files, not $(wc -l <"$tmp/expected")"
}

# 1. --prefix
run_install cmake --install "$build" --prefix "$tmp/prefix"
check_tree "$tmp/prefix" "--prefix $tmp/prefix"
check_manifest "$tmp/prefix"
check_installed "$tmp/prefix"

# 2. DESTDIR with a prefix that does not exist on this machine: everything under DESTDIR, and
# the prefix itself never created
ghost=/agtop-install-check-$$
[ ! -e "$ghost" ] || fail "$ghost exists already"
run_install env DESTDIR="$tmp/dest" cmake --install "$build" --prefix "$ghost"
[ ! -e "$ghost" ] || fail "DESTDIR install created $ghost"
[ "$(ls -A "$tmp/dest")" = "${ghost#/}" ] || fail "DESTDIR holds more than ${ghost#/}: $(ls -A "$tmp/dest")"
check_tree "$tmp/dest$ghost" "DESTDIR=$tmp/dest --prefix $ghost"
check_manifest "$ghost" # the manifest names files without DESTDIR

echo "install_check: $(wc -l <"$tmp/expected") files, as documented, under --prefix and DESTDIR"
