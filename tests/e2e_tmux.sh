#!/usr/bin/env bash
# e2e_tmux.sh AGTOP RECORDING - the real binary in a real terminal (tmux): frames, keys, resize,
# and the terminal given back intact after q, SIGTERM, Ctrl-C and every signal that ends agtop.
set -u

agtop=$1
rec=$2
sock=agtop-e2e-$$
pass=0
fail=0
T() { tmux -L "$sock" -f /dev/null "$@"; }

cleanup() { T kill-server 2>/dev/null; }
trap cleanup EXIT

check() { # check NAME COMMAND...
	if "${@:2}"; then
		pass=$((pass + 1))
		echo "ok   - $1"
	else
		fail=$((fail + 1))
		echo "FAIL - $1"
		echo "---- screen ----"
		T capture-pane -p -t "$session" 2>/dev/null | sed 's/^/| /'
		echo "----------------"
	fi
}

session=e2e0
screen() { T capture-pane -p -t "$session"; }

# wait_for PATTERN [SECONDS]: the pane shows PATTERN (grep -E) within the time
wait_for() {
	local deadline=$((SECONDS + ${2:-10}))
	while [ $SECONDS -lt $deadline ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
wait_gone() {
	local deadline=$((SECONDS + ${2:-10}))
	while [ $SECONDS -lt $deadline ]; do
		screen | grep -Eq -- "$1" || return 0
		sleep 0.1
	done
	return 1
}
width_at_most() { [ "$(screen | wc -L)" -le "$1" ]; }
restored() { # alternate screen off, cursor visible, echo on (once the shell has said so)
	wait_for '^ECHO=' 5 &&
		[ "$(T display -p -t "$session" '#{alternate_on} #{cursor_flag}')" = "0 1" ] &&
		screen | grep -q '^ECHO=on'
}

start() { # start "COMMAND" COLS ROWS: a new session (the old ones keep sleeping)
	session=e2e$((${session#e2e} + 1))
	T new-session -d -s "$session" -x "$2" -y "$3" \
		"export LANG=C.UTF-8 TERM=xterm-256color; $1; echo EXIT=\$?; \
		 stty -a | grep -qw -- -echo && echo ECHO=off || echo ECHO=on; sleep 600"
}

# ---- a replayed Apple session ----
start "$agtop --replay $rec --replay-speed 2" 120 40
check "the first frame" wait_for '│[0-9]+% @ [0-9]+ MHz avg [0-9]+% peak [0-9]+%'
check "header with chip and topology" wait_for 'Apple M4 Max · 4E\+12P\+40GPU'
check "all panels" bash -c "$(declare -f screen T); sock=$sock; screen | grep -q 'GPU & ANE' && screen | grep -q 'Memory' && screen | grep -q 'Power & Thermal' && screen | grep -q 'Processes'"
check "status line with the alerts" wait_for 'alerts: none'

T send-keys -t "$session" s
check "s sorts by memory" wait_for 'sort MEM▼'
T send-keys -t "$session" S
check "S sorts by the previous column again" wait_for 'sort CPU%▼'

T send-keys -t "$session" C
check "C shows per-core gauges" wait_for '│C0 +[^ ]'
T send-keys -t "$session" C
check "C hides them again" wait_gone '│C0 +[^ ]'

T send-keys -t "$session" /
check "/ opens the filter line" wait_for '^Filter: '
T send-keys -t "$session" o l l a m a Enter
check "the filter applies" wait_for 'Processes: 1 match ollama'
check "only matching processes" bash -c "$(declare -f screen T); sock=$sock; screen | grep -q ' ollama ' && ! screen | grep -q ' python3 '"
T send-keys -t "$session" / BSpace BSpace BSpace BSpace BSpace BSpace '('
check "an invalid regex is shown in place" wait_for 'invalid regex'
T send-keys -t "$session" Escape
check "Esc clears the filter" wait_for 'Processes \([0-9]+\)'

T send-keys -t "$session" '?'
check "? shows the help with every key" wait_for 'filter processes as you type'
check "the help explains N/A" wait_for 'Why some values are N/A'
T send-keys -t "$session" x
check "any key closes the help" wait_for 'Processes \([0-9]+\)'

T send-keys -t "$session" p
check "p pauses" wait_for 'PAUSED'
T send-keys -t "$session" p
check "p resumes" wait_gone 'PAUSED'

T resize-window -t "$session" -x 80 -y 24
check "a resize redraws at once" wait_for 'Mem B/W|Memory' 3
check "the new frame fits 80 columns" width_at_most 80
T resize-window -t "$session" -x 44 -y 12
check "below the minimum one line says so" wait_for 'too small|needs' 3
T resize-window -t "$session" -x 160 -y 50
check "back to a large frame" wait_for 'E-CPU · 4 cores' 3

T send-keys -t "$session" q
check "q quits with status 0" wait_for '^EXIT=0$'
check "q leaves the terminal as it was" restored
check "nothing is left in the shell" bash -c "$(declare -f screen T); sock=$sock; session=$session; ! screen | grep -q 'Loading\\|Waiting\\|Backend'"

# ---- colours: 256 by default, 24-bit where terminfo has direct colour, none with NO_COLOR ----
colours() { T capture-pane -e -p -t "$session" | grep -q -- "$1"; }
start "$agtop --replay $rec --replay-speed 2" 100 30
check "256 colours: palette escapes" bash -c "sleep 1; $(declare -f T); sock=$sock; T capture-pane -e -p -t $session | grep -q '38;5;'"
if infocmp xterm-direct >/dev/null 2>&1; then
	start "TERM=xterm-direct COLORTERM=truecolor $agtop --replay $rec --replay-speed 2" 100 30
	check "direct colour: 24-bit escapes" bash -c "sleep 1; $(declare -f T); sock=$sock; T capture-pane -e -p -t $session | grep -q '38;2;'"
else
	echo "skip - direct colour: no xterm-direct terminfo (Debian package ncurses-term)"
fi
start "NO_COLOR=1 $agtop --replay $rec --replay-speed 2" 100 30
check "NO_COLOR: a frame" wait_for 'E-CPU'
check "NO_COLOR: no colour escapes" bash -c "$(declare -f T); sock=$sock; ! T capture-pane -e -p -t $session | grep -Eq '\[3[0-7]m|38;[25];'"

# ---- SIGTERM ----
start "$agtop --replay $rec --replay-speed 1" 100 30
check "started again" wait_for 'E-CPU · 4 cores'
pid=$(pgrep -f -n -- "$agtop --replay $rec --replay-speed 1")
check "found its pid" test -n "$pid"
kill -TERM "$pid" 2>/dev/null
check "SIGTERM ends with 143" wait_for '^EXIT=143$'
check "SIGTERM leaves the terminal as it was" restored

# ---- Ctrl-C ----
start "$agtop --replay $rec --replay-speed 1" 100 30
check "started a third time" wait_for 'E-CPU · 4 cores'
T send-keys -t "$session" C-c
check "Ctrl-C ends with 130" wait_for '^EXIT=130$'
check "Ctrl-C leaves the terminal as it was" restored

# ---- a filter that costs too much: switched off with a message, the dashboard stays live ----
# The first command line of every sample becomes 4,000 'a's; ((a+)\2)+b used to spin on it.
tmp=$(mktemp -d /tmp/agtop-e2e-XXXXXX)
long=$(printf 'a%.0s' $(seq 4000))cb
sed "s/\"cmdline\":\"/\"cmdline\":\"$long /" "$rec" >"$tmp/long.jsonl"
start "$agtop --replay $tmp/long.jsonl --replay-speed 1" 120 40
check "started on the long command lines" wait_for 'E-CPU · 4 cores'
pid=$(pgrep -f -n -- "--replay $tmp/long.jsonl")
T send-keys -t "$session" /
T send-keys -t "$session" -l '((a+)\2)+b'
T send-keys -t "$session" Enter
check "a costly filter is switched off with a message" wait_for 'switched off: too costly' 5
T send-keys -t "$session" p
check "the dashboard still answers keys" wait_for 'PAUSED' 5
T send-keys -t "$session" q
check "and q quits with 0" wait_for '^EXIT=0$' 5
kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" # only if it hung
rm -rf "$tmp"

# ---- every other signal that ends agtop: the terminal restored, then the signal's own end ----
# (Ctrl-\ is SIGQUIT; no core files: ulimit -c 0)
for sig in QUIT USR1 USR2 ABRT SEGV BUS; do
	start "ulimit -c 0; $agtop --replay $rec --replay-speed 1 --interval 1" 100 30
	check "started for SIG$sig" wait_for 'E-CPU · 4 cores'
	if [ $sig = QUIT ]; then
		T send-keys -t "$session" -H 1c # Ctrl-\
	else
		pid=$(pgrep -f -n -- "$agtop --replay $rec --replay-speed 1 --interval 1")
		kill -$sig "$pid" 2>/dev/null
	fi
	check "SIG$sig ends with $((128 + $(kill -l $sig)))" wait_for "^EXIT=$((128 + $(kill -l $sig)))\$"
	check "SIG$sig leaves the terminal as it was" restored
done

# ---- this machine, live ----
start "$agtop --interval 0.3" 120 40
check "the live dashboard reads this machine" wait_for 'CPU Usage: [0-9]+%|[0-9]+% @ [0-9]+ MHz' 15
check "unknowns show N/A" wait_for 'N/A'
T send-keys -t "$session" q
check "q quits the live dashboard" wait_for '^EXIT=0$'
check "and restores the terminal" restored

# ---- no terminal ----
out=$("$agtop" --interval 0.2 </dev/null 2>&1 >/dev/null)
rc=$?
check "without a terminal: exit 1" test "$rc" -eq 1
check "without a terminal: says to use --json" grep -q -- '--json' <<<"$out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
