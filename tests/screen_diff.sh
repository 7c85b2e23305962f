#!/usr/bin/env bash
# screen_diff.sh DRIVER - the curses surface's cell cache against the in-memory grid: DRIVER
# (screen_driver.c) draws a series of frames in a real terminal (tmux) and writes, for each,
# the text the grid has for it; every frame on the terminal must be that text, and a style
# change alone (REV reversed, then not) must reach the terminal.
set -u

driver=$1
sock=agtop-screendiff-$$
out=$(mktemp -d)
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
	T kill-server 2>/dev/null
	rm -rf "$out"
}
trap cleanup EXIT
fail=0

# frame_shown N: the driver has drawn frame N and the terminal shows the grid's text for it
frame_shown() {
	local deadline=$((SECONDS + 5))
	while [ $SECONDS -lt $deadline ]; do
		if [ "$(cat "$out/frame" 2>/dev/null)" = "$1" ] &&
			diff <(sed 's/ *$//' "$out/expect.txt") <(T capture-pane -p -t s | sed 's/ *$//') \
				>/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	echo "FAIL - frame $1: the terminal differs from the grid"
	diff -u <(sed 's/ *$//' "$out/expect.txt" 2>/dev/null) <(T capture-pane -p -t s | sed 's/ *$//') |
		sed 's/^/| /'
	fail=1
	return 1
}
reversed_rev() { T capture-pane -e -p -t s | sed -n 2p | grep -q $'\e\\[7mREV'; }

T new-session -d -s s -x 40 -y 12 "export LANG=C.UTF-8 TERM=tmux-256color; '$driver' '$out'; sleep 30"
frame_shown 0 && { reversed_rev || { echo "FAIL - frame 0: REV is not reversed"; fail=1; }; }
for n in 1 2 3 4 5 6 7; do
	T send-keys -t s n
	frame_shown $n || true
	if [ $n = 1 ] && reversed_rev; then
		echo "FAIL - frame 1: REV is still reversed"
		fail=1
	fi
done
T resize-window -t s -x 46 -y 14
frame_shown 8 || true
T send-keys -t s n
frame_shown 9 || true
T send-keys -t s q
[ $fail = 0 ] && echo "ok   - 10 frames, a resize, a style change: the terminal shows each frame as drawn"
exit $fail
