#!/usr/bin/env bash
# update-formula.sh - points packaging/homebrew/agtop.rb at a release: the repository (homepage,
# head), the release tarball's URL and its sha256. Run after packaging/release-tarball.sh, then
# copy the formula into the tap (Formula/agtop.rb).
#
#   packaging/homebrew/update-formula.sh REPO_URL TARBALL [FORMULA]
#   e.g. packaging/homebrew/update-formula.sh https://github.com/someone/agtop dist/agtop-0.2.0.tar.gz
#
# REPO_URL may also be a file:// URL (CI builds the formula from its own checkout).
set -euo pipefail

repo=${1:?usage: update-formula.sh REPO_URL TARBALL [FORMULA]}
tarball=${2:?usage: update-formula.sh REPO_URL TARBALL [FORMULA]}
formula=${3:-$(dirname "$0")/agtop.rb}
repo=${repo%/}
repo=${repo%.git}
name=$(basename "$tarball")
version=${name#agtop-}
version=${version%.tar.gz}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || {
	echo "update-formula: $name is not agtop-X.Y.Z.tar.gz" >&2
	exit 1
}
sum=$(sha256sum "$tarball" 2>/dev/null || shasum -a 256 "$tarball")
sum=${sum%% *}
if [[ $repo == file://* ]]; then
	url="file://$(cd "$(dirname "$tarball")" && pwd)/$name"
else
	url="$repo/releases/download/v$version/$name"
fi
if [[ $repo == file://* ]]; then head=$repo; else head=$repo.git; fi
# the first homepage, url, sha256 and head lines (a bottle block's sha256 lines come later);
# perl, not sed -i, to run alike on macOS and Linux
REPO=$repo URL=$url SUM=$sum HEAD_URL=$head perl -0pi -e '
	s/^  homepage ".*?"/  homepage "$ENV{REPO}"/m;
	s/^  url ".*?"/  url "$ENV{URL}"/m;
	s/^  sha256 ".*?"/  sha256 "$ENV{SUM}"/m;
	s/^  head ".*?"/  head "$ENV{HEAD_URL}"/m;
' "$formula"
grep -E '^  (homepage|url|sha256|head) ' "$formula"
