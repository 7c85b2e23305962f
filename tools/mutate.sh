#!/usr/bin/env bash
# mutate.sh - do the tests notice? Applies one-line bugs (tools/mutations.txt) one at a time,
# rebuilds, runs the tests each names, and counts the bugs a test caught ("killed"). A bug no
# test catches is a hole in the suite. Sources are restored after each bug, and on ^C.
#
#   tools/mutate.sh              every mutation, in build-mutate/
#   tools/mutate.sh pid          only those whose name contains "pid"
#   tools/mutate.sh --check      builds nothing: each bug's text is still once in its file
#                                (ctest mutations_apply, so that moved code cannot rot the list)
#
# The figure of the last full run is in docs/counters.md ("Tests that notice").
set -euo pipefail
cd "$(dirname "$0")/.."
build=${AGTOP_MUTATE_BUILD:-build-mutate}
only=${1:-}
check=0
if [ "$only" = --check ]; then
	check=1
	only=""
fi
list=tools/mutations.txt

if [ $check -eq 0 ]; then
	cmake -S . -B "$build" -DBUILD_TESTING=ON -DAGTOP_WERROR=ON >/dev/null
	cmake --build "$build" -j2 >/dev/null
fi

backup=$(mktemp -d)
current=""
restore() {
	if [ -n "$current" ]; then
		cp "$backup/file" "$current"
		current=""
	fi
}
trap 'restore; rm -rf "$backup"' EXIT
trap 'exit 130' INT TERM

# Replaces the one occurrence of $2 in file $1 by $3; fails when it occurs zero or many times.
replace_once() {
	awk -v from="$2" -v to="$3" '
		BEGIN { RS = "\001"; ORS = "" }
		{
			n = 0; s = $0; out = ""
			while ((i = index(s, from)) > 0) {
				out = out substr(s, 1, i - 1) to
				s = substr(s, i + length(from))
				n++
			}
			if (n != 1) { exit 1 }
			print out s
		}' "$1" >"$backup/new" && cp "$backup/new" "$1"
}

total=0 killed=0 survived=()
run_one() { # name file from to tests
	local name=$1 file=$2 from=$3 to=$4 tests=$5 regex
	[ -z "$only" ] || [[ "$name" == *"$only"* ]] || return 0
	total=$((total + 1))
	if [ $check -eq 1 ]; then
		cp "$file" "$backup/copy"
		replace_once "$backup/copy" "$from" "$to" || {
			echo "mutate: \"$from\" is not once in $file ($name)" >&2
			exit 1
		}
		return 0
	fi
	cp "$file" "$backup/file"
	current=$file
	if ! replace_once "$file" "$from" "$to"; then
		restore
		echo "mutate: \"$from\" is not once in $file ($name)" >&2
		exit 1
	fi
	regex="^($(echo "$tests" | tr ' ' '|'))\$"
	# shellcheck disable=SC2086
	if ! cmake --build "$build" -j2 --target $tests >/dev/null 2>&1; then
		echo "killed    (does not compile)  $name"
		killed=$((killed + 1))
	elif ctest --test-dir "$build" -R "$regex" --timeout 300 >/dev/null 2>&1; then
		echo "SURVIVED  $name"
		survived+=("$name")
	else
		echo "killed    $name"
		killed=$((killed + 1))
	fi
	restore
}

name="" file="" from="" to="" tests=""
while IFS= read -r line || [ -n "$line" ]; do
	case "$line" in
	"name: "*) name=${line#name: } ;;
	"file: "*) file=${line#file: } ;;
	"from: "*) from=${line#from: } ;;
	"to:   "*) to=${line#to:   } ;;
	"test: "*)
		tests=${line#test: }
		run_one "$name" "$file" "$from" "$to" "$tests"
		name="" file="" from="" to="" tests=""
		;;
	esac
done <"$list"

[ "$total" -gt 0 ] || { echo "mutate: no mutation matches \"$only\"" >&2; exit 2; }
if [ $check -eq 1 ]; then
	echo "mutate: all $total bugs apply, each to one place"
	exit 0
fi
# the sources are back as they were: rebuild what the last bug touched
cmake --build "$build" -j2 >/dev/null
echo "mutate: killed $killed of $total ($((100 * killed / total)) %)"
[ ${#survived[@]} -eq 0 ] || exit 1
