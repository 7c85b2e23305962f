/* ledger.h - what a stretch of samples cost and endured: energy per rail for the machine and
 * the share of a process tree, peaks, time under each thermal pressure level and throttled.
 * Pure (no I/O): `agtop run -- CMD` feeds it the samples taken while the command ran, and
 * `agtop --replay FILE --summary` the samples of a recording, so both give the same summary. */
#ifndef AGTOP_LEDGER_H
#define AGTOP_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include "../sample.h"

/* How the tree's share of a rail was found. */
enum ledger_method {
	LEDGER_NONE = 0,  /* no share: no tree, or nothing known to divide by */
	LEDGER_MEASURED,  /* the processes' own energy counters (macOS ri_energy_nj) */
	LEDGER_ESTIMATED, /* the rail's energy split by the tree's share of CPU or GPU time */
};

struct ledger_rail {
	bool known;     /* some interval had a value */
	double joules;  /* the machine's energy over the covered intervals */
	double known_s; /* seconds of the intervals the energy is known for */
	double peak_w;  /* highest interval mean, NAN unknown */
	double tree_j;  /* the tree's share, NAN when it has none */
	enum ledger_method method;
};

#define LEDGER_MAX_TREE 4096

struct ledger {
	int root_pid;   /* the command; <= 0 for a whole recording */
	int reaper_pid; /* a subreaper the tree's orphans move to (agtop run), 0 none */
	unsigned long samples;
	double start, end; /* wall-clock span the samples cover (seconds since the epoch) */
	double covered_s;  /* sum of the samples' intervals */

	struct ledger_rail rail[RAIL_COUNT];
	double prev_joules[RAIL_COUNT];
	uint64_t prev_seq;
	char prev_source[16];
	bool have_prev;

	/* the process tree: pids seen in it (with their parent chain resolved per sample) */
	size_t ntree;
	int tree[LEDGER_MAX_TREE];
	double tree_cpu_s;    /* CPU seconds of the tree, from the samples' process rows */
	double machine_cpu_s; /* busy CPU seconds of the whole machine over the same intervals */
	double tree_gpu_s;    /* GPU-busy seconds of the tree (per-process GPU time) */
	double tree_energy_j; /* the tree's own energy counters, where the OS has them */
	bool tree_energy_known;
	double peak_tree_rss; /* bytes */

	double peak_temp_c;
	char peak_temp_sensor[48];
	enum temp_kind peak_temp_kind;
	double thermal_s[THERMAL_COUNT];
	double throttled_s;
	double throttle_s[THROTTLE_CAUSE_COUNT];
	bool throttle_known;
	double peak_mem_used, mem_total, peak_swap_used, peak_bw_bps;
	double peak_cpu_util, sum_cpu_util_s; /* utilisation ratio, time-weighted sum */
	double peak_gpu_util, sum_gpu_util_s;
	double gpu_known_s, cpu_known_s;
	char chip[96], host[64], source[16];
};

/* root_pid <= 0: no process attribution (a recording). reaper_pid: where the tree's orphans
 * go (agtop run makes itself their subreaper on Linux), 0 when none. */
void ledger_init(struct ledger *l, int root_pid, int reaper_pid);
/* Adds one sample: its interval [time - interval_s, time]. */
void ledger_add(struct ledger *l, const struct sample *s);
/* Whether a pid is in the tree as of the last sample. */
bool ledger_in_tree(const struct ledger *l, int pid);

/* The energy of one interval on a rail: the cumulative counter's advance when the previous
 * sample came from the same run of the same source (consecutive seq), else watts x interval;
 * NAN when neither is known. Exposed for the tests. */
double ledger_interval_joules(double prev_j, bool consecutive, double now_j, double watts,
                              double interval_s);

#endif
