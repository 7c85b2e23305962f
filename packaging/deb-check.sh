#!/usr/bin/env bash
# deb-check.sh - builds the .deb (cpack -G DEB), installs it on this machine, checks it, and
# removes it again, leaving nothing behind. Needs root and a built BUILD_DIR. CI runs it
# (.ci/run); on a workstation it refuses to touch an agtop package that is already installed.
#
#   packaging/deb-check.sh [BUILD_DIR]     (default: build)
#
# Checks: the package's Version is the build's (cmake/version.cmake, "-" as "~"); every library
# the binary links (its NEEDED entries, as ldd resolves them) belongs to a package in Depends;
# after `apt-get install ./agtop_*.deb`: agtop on PATH says that version, `man -w agtop` finds
# the page, the example dump decodes, `dpkg -L` lists what the .deb holds; after `apt-get purge`:
# every file it listed is gone, and so is every folder that was not there before.
set -euo pipefail

cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
say() { printf 'deb-check: %s\n' "$*" >&2; }
fail() {
	say "FAILED: $*"
	exit 1
}
[ "$(id -u)" -eq 0 ] || fail "installs a package: run as root"
command -v dpkg-shlibdeps >/dev/null || fail "dpkg-shlibdeps is missing (Debian package dpkg-dev)"
command -v man >/dev/null || fail "man is missing (Debian package man-db)"

if dpkg-query -W -f='${Status}' agtop 2>/dev/null | grep -q 'ok installed'; then
	[ "${CI:-}" = true ] || fail "an agtop package is installed already; remove it first (apt-get purge agtop)"
	say "CI: purging the agtop package a previous run left"
	apt-get purge -y agtop >/dev/null
fi

tmp=$(mktemp -d /tmp/agtop-deb-XXXXXX)
installed=0
cleanup() {
	[ $installed -eq 0 ] || apt-get purge -y agtop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# ---- build ----------------------------------------------------------------------------------
rm -f "$build"/agtop_*.deb
(cd "$build" && cpack -G DEB >"$tmp/cpack.log" 2>&1) || {
	cat "$tmp/cpack.log" >&2
	fail "cpack -G DEB"
}
debs=("$build"/agtop_*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
	fail "cpack made ${#debs[@]} packages, not one"
fi
deb=${debs[0]}
version=$(cat "$build/generated/version.txt")
debversion=${version//-/\~}
[ "$(dpkg-deb -f "$deb" Package)" = agtop ] || fail "package name is not agtop"
[ "$(dpkg-deb -f "$deb" Version)" = "$debversion" ] ||
	fail "package version $(dpkg-deb -f "$deb" Version), the build's is $debversion"
depends=$(dpkg-deb -f "$deb" Depends)
say "$(basename "$deb"): Depends: $depends"

# ---- dependencies: each library the binary needs comes from a package it depends on ------------
owner() { # the package owning a library path (usrmerge: try the path, /usr + it, its target)
	local p
	for p in "$1" "/usr$1" "$(readlink -f "$1")"; do
		dpkg-query -S "$p" 2>/dev/null | head -1 | cut -d: -f1 && return 0
	done
	return 1
}
needed=$(LC_ALL=C readelf -d "$build/agtop" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "readelf found no NEEDED libraries in $build/agtop"
for lib in $needed; do
	path=$(ldd "$build/agtop" | awk -v l="$lib" '$1 == l && $2 == "=>" { print $3 }')
	[ -n "$path" ] || fail "ldd does not resolve $lib"
	pkg=$(owner "$path") || fail "no package owns $path ($lib)"
	grep -qE "(^|, )$pkg( |,|$)" <<<"$depends" || fail "$lib comes from $pkg, which Depends lacks"
done
say "every NEEDED library ($(wc -w <<<"$needed")) comes from a package in Depends"
# and the ones agtop opens at run time, each for the feature that needs it (src/util/lazylib.h)
for lib in libmicrohttpd.so.12 libpcre2-8.so.0 libexpat.so.1; do
	path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
	[ -n "$path" ] || fail "$lib is not installed"
	pkg=$(owner "$path") || fail "no package owns $path"
	grep -qE "(^|, )$pkg( |,|$)" <<<"$depends" || fail "$lib comes from $pkg, which Depends lacks"
	say "$lib, opened at run time, comes from $pkg, in Depends"
done

# ---- install ----------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||' | grep -v '^$' >"$tmp/contents"
: >"$tmp/existed"
while read -r p; do
	if [ -d "$p" ]; then
		echo "$p" >>"$tmp/existed"
	elif [ -e "$p" ] || [ -L "$p" ]; then
		fail "$p exists already and is no folder: the package would overwrite it"
	fi
done <"$tmp/contents"

installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb" \
	>"$tmp/apt.log" 2>&1 || {
	cat "$tmp/apt.log" >&2
	fail "apt-get install $deb"
}
[ "$(dpkg-query -W -f='${Status} ${Version}' agtop)" = "install ok installed $debversion" ] ||
	fail "dpkg does not list agtop $debversion as installed"
[ "$(command -v agtop)" = /usr/bin/agtop ] || fail "agtop on PATH is $(command -v agtop), not /usr/bin/agtop"
[ "$(agtop --version)" = "agtop $version" ] || fail "agtop --version says $(agtop --version), not agtop $version"
man=$(man -w agtop) || fail "man -w agtop finds no page"
[ "$man" = /usr/share/man/man1/agtop.1 ] || [ "$man" = /usr/share/man/man1/agtop.1.gz ] ||
	fail "man -w agtop finds $man, not the package's page"
out=$(agtop --decode-dump /usr/share/agtop/examples/m1-ioreport-dump.json) ||
	fail "agtop --decode-dump of the installed example failed"
grep -q '^chip Apple M1 ' <<<"$out" || fail "the installed example dump does not decode"
# the libraries opened at run time open from the installed binary: PCRE2's own message for an
# unclosed class, and a sample through a filter
# (outputs are captured before matching: under pipefail, agtop's exit 2 for the bad pattern,
# or a SIGPIPE once grep -q has seen enough, would fail a correct install)
msg=$(agtop --json --count 1 --proc-filter '[' 2>&1) && fail "agtop accepted the pattern '['"
grep -q 'missing terminating \]' <<<"$msg" ||
	fail "the installed agtop cannot load PCRE2 for --proc-filter: $msg"
out=$(agtop --json --count 1 --interval 0.2 --proc-filter .) ||
	fail "agtop --json --proc-filter . failed"
grep -q '"processes"' <<<"$out" || fail "the installed agtop writes no sample through --proc-filter"
dpkg -L agtop | grep -v '^/\.$' | sort >"$tmp/listed"
sort "$tmp/contents" | grep -v '^/\.$' >"$tmp/expected"
diff -u "$tmp/expected" "$tmp/listed" >&2 || fail "dpkg -L agtop differs from the .deb's contents"
say "installed: agtop --version, man -w agtop ($man), the example dump, --proc-filter, dpkg -L ($(wc -l <"$tmp/listed") paths)"

# ---- remove -----------------------------------------------------------------------------------
DEBIAN_FRONTEND=noninteractive apt-get purge -y agtop >"$tmp/apt.log" 2>&1 || {
	cat "$tmp/apt.log" >&2
	fail "apt-get purge agtop"
}
installed=0
! dpkg-query -W -f='${Status}' agtop 2>/dev/null | grep -q 'ok installed' || fail "agtop is still installed"
left=0
while read -r p; do
	if grep -qxF "$p" "$tmp/existed"; then
		[ -d "$p" ] || { say "$p was there before and is gone"; left=1; }
	elif [ -e "$p" ] || [ -L "$p" ]; then
		say "left behind: $p"
		left=1
	fi
done <"$tmp/listed"
[ $left -eq 0 ] || fail "apt-get purge agtop did not leave the machine as it was"
say "removed: nothing left of $(wc -l <"$tmp/listed") paths"
