#!/usr/bin/env bash
# side-by-side.sh - agtop against htop, btop and a floor program, each in its own terminal.
#
#   bench/side-by-side.sh [-s SECONDS] [-p "PROCS ..."] [-r "HZ ..."] [-n RUNS] [-b BUILD]
#
# For every process count (default "100 1000": extra `sleep` processes are started to reach it),
# every rate (default "1 10" Hz) and every program, the program runs alone in a detached tmux
# terminal of 200x50, and the script measures:
#   - CPU: utime+stime of the program's process over SECONDS (default 30) after a 3 s warm-up,
#     as percent of one core;
#   - peak RSS: VmHWM at the end;
#   - first frame: from the start of the program to the first screen that shows its process
#     list (agtop "CPU%", htop "PID USER", btop "Pid:"), polled every 5 ms.
# The floor (bench/floor.c) reads what any monitor must read at that rate (/proc/stat,
# /proc/meminfo, every /proc/<pid>/stat) and draws nothing. With -n RUNS each cell is the median
# of that many runs. Results are printed as a Markdown table; write them into bench/README.md
# with the machine, the versions and the date.
#
# Needs tmux, htop and btop (Debian: apt-get install tmux htop btop) and a build with
# -DBUILD_TESTING=ON (build/agtop, build/bench/bench_floor). Runs only local programs; stops
# everything it started, also on Ctrl-C.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=30
counts="100 1000"
rates="1 10"
runs=1
build=build
while getopts "s:p:r:n:b:" o; do
	case $o in
	s) seconds=$OPTARG ;;
	p) counts=$OPTARG ;;
	r) rates=$OPTARG ;;
	n) runs=$OPTARG ;;
	b) build=$OPTARG ;;
	*) sed -n '2,4p' "$0" >&2; exit 2 ;;
	esac
done
for p in tmux htop btop; do
	command -v $p >/dev/null || { echo "side-by-side: $p is not installed" >&2; exit 1; }
done
agtop=$PWD/$build/agtop
floor=$PWD/$build/bench/bench_floor
[ -x "$agtop" ] && [ -x "$floor" ] ||
	{ echo "side-by-side: build first (cmake -DBUILD_TESTING=ON; $agtop, $floor)" >&2; exit 1; }

sock=agtop-bench-$$
tmp=$(mktemp -d)
sleepers=()
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	[ ${#sleepers[@]} -eq 0 ] || kill "${sleepers[@]}" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
T() { tmux -L "$sock" "$@"; }
T new-session -d -s idle -x 200 -y 50 "sleep 100000"
hz=$(getconf CLK_TCK)
mkdir -p "$tmp/btop"

nprocs() { find /proc -maxdepth 1 -name '[0-9]*' | wc -l; }

reach() { # start sleep processes until about $1 processes exist
	local want=$1 have
	have=$(nprocs)
	while [ "$have" -lt "$want" ]; do
		sleep 100000 &
		sleepers+=($!)
		have=$((have + 1))
	done
}

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
now() { date +%s.%N; }

# run NAME COMMAND MARKER -> "cpu% rss_kib first_ms"
run() {
	local name=$1 cmd=$2 marker=$3 t0 t1 first=NA pid a b s0 s1 deadline
	T kill-session -t prog 2>/dev/null || true
	t0=$(now)
	T new-session -d -s prog -x 200 -y 50 "exec $cmd"
	pid=$(T display -p -t prog '#{pane_pid}')
	if [ -n "$marker" ]; then
		deadline=$(echo "$t0 + 10" | bc)
		while :; do
			if T capture-pane -p -t prog 2>/dev/null | grep -qF -- "$marker"; then
				t1=$(now)
				first=$(echo "($t1 - $t0) * 1000 / 1" | bc)
				break
			fi
			[ "$(echo "$(now) > $deadline" | bc)" = 1 ] && break
			sleep 0.005
		done
	fi
	sleep 3
	a=$(ticks "$pid")
	s0=$(now)
	sleep "$seconds"
	b=$(ticks "$pid")
	s1=$(now)
	local rss
	rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
	T kill-session -t prog
	echo "$(echo "scale=2; ($b - $a) * 100 / $hz / ($s1 - $s0)" | bc) $rss $first"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "| processes | rate | program | CPU % of a core | peak RSS MiB | first frame ms |"
echo "|---|---|---|---|---|---|"
for n in $counts; do
	reach "$n"
	for r in $rates; do
		iv=$(echo "scale=3; 1 / $r" | bc)
		tenths=$(echo "10 / $r" | bc)
		ms=$(echo "1000 / $r" | bc)
		printf 'update_ms = %s\n' "$ms" >"$tmp/btop/btop.conf"
		for prog in agtop htop btop floor; do
			case $prog in
			agtop) cmd="$agtop --interval $iv"; marker="CPU%" ;;
			htop) cmd="htop -d $tenths"; marker="PID USER" ;;
			btop) cmd="env XDG_CONFIG_HOME=$tmp btop"; marker="Pid:" ;;
			floor) cmd="$floor $iv"; marker="" ;;
			esac
			: >"$tmp/cells"
			for _ in $(seq "$runs"); do
				run "$prog" "$cmd" "$marker" >>"$tmp/cells"
			done
			cpu=$(awk '{ print $1 }' "$tmp/cells" | median)
			rss=$(awk '{ print $2 }' "$tmp/cells" | median)
			first=—
			if grep -qv ' NA$' "$tmp/cells"; then
				first=$(awk '$3 != "NA" { print $3 }' "$tmp/cells" | median)
			fi
			printf '| %s | %s Hz | %s | %.2f | %.1f | %s |\n' "$(nprocs)" "$r" "$prog" \
				"$cpu" "$(echo "$rss / 1024" | bc -l)" "$first"
		done
	done
done
