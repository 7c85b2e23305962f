#!/usr/bin/env bash
# e2e_tmux.sh AGTOP RECORDING - the real binary in a real terminal (tmux): frames, keys, resize,
# and the terminal given back intact after q, SIGTERM, Ctrl-C and every signal that ends agtop.
set -u

agtop=$1
rec=$2
data=$(dirname "$rec")
sock=agtop-e2e-$$
pass=0
fail=0
T() { tmux -L "$sock" -f /dev/null "$@"; }

cfg=$(mktemp -d) # the settings w saves go here, never to the tester's own config
cleanup() {
	T kill-server 2>/dev/null
	rm -rf "$cfg"
}
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
start "XDG_CONFIG_HOME=$cfg $agtop --replay $rec --replay-speed 2" 120 40
check "the first frame" wait_for '│[0-9]+% @ [0-9]+ MHz avg [0-9]+% peak [0-9]+%'
check "header with chip and topology" wait_for 'Apple M4 Max · 4E\+12P\+40GPU'
check "all panels" bash -c "$(declare -f screen T); sock=$sock; screen | grep -q 'GPU & ANE' && screen | grep -q 'Memory' && screen | grep -q 'Power & Thermal' && screen | grep -q 'Processes'"
check "status line with the alerts" wait_for 'alerts: none'
check "the header says REPLAY, the recording's host and where it is" wait_for '^REPLAY studio .*sample [0-9]+ of 40'
check "a recording is never \"this machine\"" bash -c "$(declare -f screen T); sock=$sock; session=$session; ! screen | grep -q 'this machine'"
check "commands with their arguments" wait_for 'python3 train.py --model'

# ---- the process panel ----
T send-keys -t "$session" t
check "t shows the tree" wait_for 'Processes \([0-9]+\) · tree'
check "the tree draws its lines" wait_for '[├└]─ '
T send-keys -t "$session" t
check "t again: the list" wait_gone '· tree'
T send-keys -t "$session" Down Down F
check "F follows the selected process" wait_for '· following [0-9]+'
T send-keys -t "$session" Escape Escape
check "Esc drops the selection" wait_gone '· following'
T send-keys -t "$session" k
check "a recording's processes are not signalled" wait_for 'cannot be signalled'
T send-keys -t "$session" Escape
# a click on a heading sorts by it (SGR mouse: ESC [ < button ; column ; row M, 1-based)
click() { # click BUTTON X Y: a press, and for a button its release (the wheel has none)
	T send-keys -t "$session" -l $'\e[<'"$1;$2;$3M"
	[ "$1" -ge 64 ] || T send-keys -t "$session" -l $'\e[<'"$1;$2;$3m"
}
heading() { # heading WORD: "column row" of WORD in the process panel's heading row
	# one byte per cell first (box drawing is multibyte), so awk counts columns
	screen | LC_ALL=C.UTF-8 sed 's/[^ -~]/X/g' |
		awk -v w=" $1" '/ PID / { i = index($0, w); if (i) { print i + 1, NR; exit } }'
}
read -r hx hy <<<"$(heading MEM)"
click 0 "$hx" "$hy"
check "a click on a heading sorts by it" wait_for 'sort MEM▼'
click 0 "$hx" "$hy"
check "a second click reverses" wait_for 'sort MEM▲'
read -r hx hy <<<"$(heading CPU%)"
click 0 "$hx" "$hy"
check "back to CPU%" wait_for 'sort CPU%▼'
pid_at() { # pid_at ROW: the PID shown in that screen row (the PID column is right-aligned)
	local px py
	read -r px py <<<"$(heading PID)"
	screen | LC_ALL=C.UTF-8 sed 's/[^ -~]/X/g' | sed -n "${1}p" | cut -c$((px - 4))-$((px + 2)) | tr -dc 0-9
}
T send-keys -t "$session" p # rows stay put while paused
wait_for PAUSED
picked=$(pid_at $((hy + 3)))
click 0 "$hx" $((hy + 3))
T send-keys -t "$session" F
check "a click selects a row (F then follows it)" wait_for "· following $picked"
T send-keys -t "$session" p
T send-keys -t "$session" Escape Escape Home

# ---- themes, the interval, panels, settings ----
T send-keys -t "$session" c
check "c changes the theme" wait_for 'theme 3: amber'
T send-keys -t "$session" +
check "+ says a recording keeps its pace" wait_for 'plays at its own pace'
T send-keys -t "$session" 2
check "2 hides GPU & ANE" wait_for 'hidden: 2'
check "its box is gone" wait_gone '┌ GPU & ANE'
T send-keys -t "$session" 2
check "2 shows it again" wait_for 'GPU & ANE'
T send-keys -t "$session" w
check "w saves the settings" wait_for "settings saved to $cfg/agtop/agtop.conf"
check "with the theme chosen with c" grep -qx 'color = 3' "$cfg/agtop/agtop.conf"
T send-keys -t "$session" Escape
# the process list and the panels as they are, too: a new start comes back to them
T send-keys -t "$session" 4
check "4 hides Power & Thermal" wait_for 'hidden: 4'
T send-keys -t "$session" s t
check "t shows the tree" wait_for '· tree'
T send-keys -t "$session" r w
check "w saves them again" wait_for "settings saved to $cfg/agtop/agtop.conf"
check "the sort, its direction, the tree and the hidden panel are saved" bash -c \
	"grep -qx 'sort = memory' '$cfg/agtop/agtop.conf' && grep -qx 'sort-reverse = yes' '$cfg/agtop/agtop.conf' && grep -qx 'tree = yes' '$cfg/agtop/agtop.conf' && grep -qx 'hide = power' '$cfg/agtop/agtop.conf'"
T send-keys -t "$session" Escape 4 t r S
main=$session
start "XDG_CONFIG_HOME=$cfg $agtop --replay $rec --replay-speed 2" 120 40
check "a new start: sorted by memory, smallest first" wait_for 'sort MEM▲'
check "as a tree, without Power & Thermal" bash -c "$(declare -f screen T); sock=$sock; session=$session; screen | grep -q '· tree' && ! screen | grep -q 'Power & Thermal'"
T kill-session -t "$session"
session=$main
# later runs in this script start from the defaults again
sed -i '/^\(sort\|sort-reverse\|tree\|hide\) = /d' "$cfg/agtop/agtop.conf"
check "S sorts by CPU again" wait_for 'sort CPU%▼'

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
T send-keys -t "$session" o l
check "the list follows what is typed" wait_for 'Processes: [0-9]+ match ol'
T send-keys -t "$session" l a m a Enter
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
T resize-window -t "$session" -x 200 -y 60
check "a wide terminal shows more columns" wait_for 'GPU% .*THR S +ELAPSED COMMAND' 3
T resize-window -t "$session" -x 120 -y 40

T send-keys -t "$session" q
check "q quits with status 0" wait_for '^EXIT=0$'
check "q leaves the terminal as it was" restored
check "nothing is left in the shell" bash -c "$(declare -f screen T); sock=$sock; session=$session; ! screen | grep -q 'Loading\\|Waiting\\|Backend'"

# ---- pause and steps through a recording ----
start "$agtop --replay $rec --replay-speed 1" 120 40
check "a recording plays" wait_for 'sample ([3-9]|[1-3][0-9]) of 40'
T send-keys -t "$session" p
check "p pauses the recording" wait_for 'PAUSED · ← → step · p plays'
pos=$(screen | grep -o 'sample [0-9]* of 40' | head -1 | tr -dc '0-9 ' | awk '{print $1}')
check "a paused recording waits" bash -c "sleep 2; $(declare -f screen T); sock=$sock; session=$session; screen | grep -q 'sample $pos of 40'"
T resize-window -t "$session" -x 100 -y 30
check "a resize while paused redraws the same sample" wait_for "sample $pos of 40|$pos/40" 3
T send-keys -t "$session" Right
check "→ steps one sample forward" wait_for "sample $((pos + 1)) of 40|$((pos + 1))/40"
T send-keys -t "$session" Left Left
check "← steps back" wait_for "sample $((pos - 1)) of 40|$((pos - 1))/40"
T send-keys -t "$session" s '?'
check "help while paused" wait_for 'filter processes as you type'
T send-keys -t "$session" x
check "sorting and help while paused keep the sample" wait_for "sample $((pos - 1)) of 40|$((pos - 1))/40"
T send-keys -t "$session" p
check "p plays on" wait_gone 'PAUSED'

# ---- the end of a recording ----
start "$agtop --replay $rec --replay-speed 10" 100 30
check "the end of a recording says so" wait_for 'end of recording · R restarts · q quits' 15
check "and keeps its last frame" bash -c "$(declare -f screen T); sock=$sock; session=$session; screen | grep -q 'E-CPU · 4 cores' && screen | grep -q 'Processes (' && screen | grep -Eq 'sample 40 of 40|40/40'"
plain_end() {
	local seq
	seq=$(T capture-pane -e -p -t "$session" | grep -o $'\e\\[[0-9;]*mend of recording' | head -1)
	[ -n "$seq" ] && [[ $seq != *"[7"* && $seq != *";7"* && $seq != *"31m"* && $seq != *"[1;"* ]]
}
check "in plain colours, not as an alert" plain_end
T send-keys -t "$session" R
check "R starts it again" wait_gone 'end of recording' 3
check "and it plays to its end again" wait_for 'end of recording' 15
T send-keys -t "$session" q
check "q quits at the end" wait_for '^EXIT=0$'

# ---- a machine with nothing but CPUs, memory and processes ----
start "$agtop --replay $data/linux_vm.jsonl --replay-speed 2" 80 24
check "a panel without data folds to one line saying why" wait_for '─ GPU & ANE: no GPU source on the recorded machine'
check "a recording's reasons never say \"this machine\"" bash -c "$(declare -f screen T); sock=$sock; session=$session; ! screen | grep -q 'this machine'"
check "the power panel too" wait_for '─ Power & Thermal: no RAPL'
check "the rest take the space" wait_for '┌ Memory ─.*┌ Processes'
check "commands as people know them" wait_for 'cc1 -quiet'
top_row() { screen | awk '/ PID / { getline; print $2; exit }'; }
read -r hx hy <<<"$(heading CPU%)"
first=$(top_row)
click 65 "$hx" $((hy + 2))
check "the wheel scrolls the list" bash -c "sleep 0.5; $(declare -f screen T top_row); sock=$sock; session=$session; [ \"\$(top_row)\" != '$first' ]"
check "no thermal state when there is none" bash -c "$(declare -f screen T); sock=$sock; session=$session; ! screen | grep -q 'thermal:'"

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
sleep 977 &
victim=$!
start "$agtop --interval 0.3" 120 40
check "the live dashboard reads this machine" wait_for 'CPU Usage: [0-9]+%|[0-9]+% @ [0-9]+ MHz' 15
check "unknowns show N/A" wait_for 'N/A'
check "the header names the live source" wait_for 'procfs · [0-9]{2}:[0-9]{2}:[0-9]{2}'
T send-keys -t "$session" / s l e e p Space 9 7 7 Enter
check "the filter finds a process by its arguments" wait_for 'sleep 977'
T send-keys -t "$session" Down k
check "k asks first, naming the process" wait_for "to $victim sleep 977"
check "TERM is the default" wait_for '▸ TERM'
T send-keys -t "$session" Escape
check "Esc sends nothing" wait_for 'no signal sent'
check "and the process lives" kill -0 "$victim"
T send-keys -t "$session" k Enter
check "Enter sends TERM" wait_for "sent TERM to $victim"
ended() { # not running: gone, or a zombie waiting for this script
	for _ in $(seq 50); do
		ps -o stat= -p "$victim" | grep -qv Z || return 0
		sleep 0.1
	done
	return 1
}
check "the process ended" ended
wait "$victim" 2>/dev/null
T send-keys -t "$session" +
check "+ lengthens the interval" wait_for 'a sample every 0.5 s'
# live pause: sampling goes on, the screen keeps the sample it had, through a resize, a new sort
# and the help (the header's clock is that sample's time)
T send-keys -t "$session" p
check "p pauses the live dashboard" wait_for 'PAUSED'
frozen=$(screen | grep -Eo 'procfs · [0-9]{2}:[0-9]{2}:[0-9]{2}' | head -1)
T resize-window -t "$session" -x 100 -y 30
T send-keys -t "$session" s
sleep 0.6
T send-keys -t "$session" '?'
sleep 0.6
T send-keys -t "$session" '?'
sleep 1.2
check "paused live: resize, sort and help redraw the same sample" \
	bash -c "$(declare -f screen T); sock=$sock; session=$session; [ -n '$frozen' ] && screen | grep -qF '$frozen'"
T send-keys -t "$session" p
check "p resumes with newer samples" wait_gone "$frozen" 5
T send-keys -t "$session" q
check "q quits the live dashboard" wait_for '^EXIT=0$'
check "and restores the terminal" restored

# ---- agtop run --dashboard: the dashboard while the command runs, then its output and the
# summary, and its exit code ----
start "XDG_CONFIG_HOME=$cfg $agtop run --dashboard --interval 0.3 -- sh -c 'echo from-the-command; sleep 2; exit 3'" 100 30
check "run --dashboard: the live dashboard" wait_for 'procfs'
check "run --dashboard: the command's output after the dashboard" wait_for '^from-the-command$'
check "run --dashboard: the summary" wait_for 'exited with status 3 after'
check "run --dashboard: its exit code is agtop's" wait_for '^EXIT=3$'
check "run --dashboard: the terminal restored" restored
out=$("$agtop" run --dashboard -- true </dev/null 2>&1 >/dev/null)
rc=$?
check "run --dashboard without a terminal: refused before the command, exit 1" test "$rc" -eq 1

# ---- no terminal ----
out=$("$agtop" --interval 0.2 </dev/null 2>&1 >/dev/null)
rc=$?
check "without a terminal: exit 1" test "$rc" -eq 1
check "without a terminal: says to use --json" grep -q -- '--json' <<<"$out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
