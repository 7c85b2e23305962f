#!/usr/bin/env bash
# release-tarball.sh - the source tarball of a release, agtop-X.Y.Z.tar.gz, from the tag vX.Y.Z
# (or, for a trial, from any commit: HEAD). It is what the Homebrew formula's url names, uploaded
# to the GitHub release; it holds no .git, so it builds as exactly X.Y.Z.
#
#   packaging/release-tarball.sh vX.Y.Z [OUTDIR]   check the release, write OUTDIR/agtop-X.Y.Z.tar.gz
#   packaging/release-tarball.sh HEAD [OUTDIR]     a trial tarball of HEAD, named by the CMake version
#
# Prints the tarball's path and its sha256 (the formula's sha256). The same commit always gives
# the same bytes (git archive, gzip -n).
set -euo pipefail

cd "$(dirname "$0")/.."
ref=${1:?usage: packaging/release-tarball.sh vX.Y.Z|HEAD [OUTDIR]}
out=${2:-dist}
fail() {
	echo "release-tarball: $*" >&2
	exit 1
}

git rev-parse -q --verify "$ref^{commit}" >/dev/null || fail "$ref is no commit"
# the one version, from the CMake project() of that commit
version=$(git show "$ref:CMakeLists.txt" |
	sed -n 's/^project(agtop VERSION \([0-9][0-9.]*\).*/\1/p' | head -1)
[ -n "$version" ] || fail "no project(agtop VERSION ...) in $ref:CMakeLists.txt"
if [ "$ref" != HEAD ]; then
	[ "$ref" = "v$version" ] || fail "tag $ref, but CMakeLists.txt says version $version"
	# (read whole, then matched: under pipefail, git's SIGPIPE after an early match would fail)
	changelog=$(git show "$ref:CHANGELOG.md") || fail "no CHANGELOG.md at $ref"
	grep -qE "^## $version( |$)" <<<"$changelog" ||
		fail "CHANGELOG.md at $ref has no \"## $version\" section"
	manpage=$(git show "$ref:docs/agtop.1") || fail "no docs/agtop.1 at $ref"
	head -1 <<<"$manpage" | grep -qF "\"agtop $version\"" ||
		fail "docs/agtop.1 at $ref does not say agtop $version"
fi

mkdir -p "$out"
tarball="$out/agtop-$version.tar.gz"
git archive --format=tar --prefix="agtop-$version/" "$ref" | gzip -n -9 >"$tarball"
sum=$(sha256sum "$tarball" 2>/dev/null || shasum -a 256 "$tarball") # shasum on macOS
sum=${sum%% *}
echo "$tarball"
echo "sha256 $sum"
