/* ledger.c - energy, shares, peaks and time per condition over a stretch of samples (pure) */
#include "ledger.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/str.h"

void ledger_init(struct ledger *l, int root_pid, int reaper_pid)
{
	memset(l, 0, sizeof *l);
	l->root_pid = root_pid;
	l->reaper_pid = reaper_pid;
	l->start = l->end = NAN;
	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		l->rail[r].peak_w = NAN;
		l->rail[r].tree_j = NAN;
		l->prev_joules[r] = NAN;
	}
	l->peak_temp_c = NAN;
	l->peak_mem_used = l->mem_total = l->peak_swap_used = l->peak_bw_bps = NAN;
	l->peak_cpu_util = l->peak_gpu_util = NAN;
	l->peak_tree_rss = NAN;
	if (root_pid > 0)
		l->tree[l->ntree++] = root_pid;
}

static void peak(double *p, double v)
{
	if (!isnan(v) && (isnan(*p) || v > *p))
		*p = v;
}

double ledger_interval_joules(double prev_j, bool consecutive, double now_j, double watts,
                              double interval_s)
{
	/* the counters are cumulative and wrap-corrected by the sources: their advance is the
	 * energy itself, also where the watts shown are held between batches (macOS 27) */
	if (consecutive && !isnan(prev_j) && !isnan(now_j) && now_j >= prev_j)
		return now_j - prev_j;
	if (!isnan(watts) && interval_s > 0)
		return watts * interval_s;
	return NAN;
}

bool ledger_in_tree(const struct ledger *l, int pid)
{
	for (size_t i = 0; i < l->ntree; i++)
		if (l->tree[i] == pid)
			return true;
	return false;
}

static int cmp_pid(const void *a, const void *b, const struct sample *s)
{
	int x = s->procs[*(const size_t *)a].pid, y = s->procs[*(const size_t *)b].pid;
	return (x > y) - (x < y);
}

/* qsort has no context argument in C11: the sample being sorted */
static const struct sample *sort_sample;

static int cmp_idx(const void *a, const void *b)
{
	return cmp_pid(a, b, sort_sample);
}

static const struct sample_proc *by_pid(const struct sample *s, const size_t *idx, int pid)
{
	size_t lo = 0, hi = s->nprocs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int p = s->procs[idx[mid]].pid;
		if (p == pid)
			return &s->procs[idx[mid]];
		if (p < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Whether a process descends from the tree: its parent chain reaches a pid already in it. A
 * process whose parent exited moves to the subreaper (agtop run), which stands for the tree. */
static bool descends(const struct ledger *l, const struct sample *s, const size_t *idx,
                     const struct sample_proc *p)
{
	for (int depth = 0; p && depth < 64; depth++) {
		if (ledger_in_tree(l, p->pid))
			return true;
		if (p->ppid <= 0)
			return false;
		/* an orphan of the tree, moved to agtop run (the subreaper on Linux) */
		if (l->reaper_pid > 0 && p->ppid == l->reaper_pid)
			return true;
		p = by_pid(s, idx, p->ppid);
	}
	return false;
}

struct tree_use {
	double cpu;    /* CPUs */
	double gpu;    /* GPU-busy ratio summed over the tree */
	double energy; /* watts from the processes' own counters */
	bool energy_known, gpu_known;
	double rss;
};

/* The tree's use in this sample; new members are added to the tree. */
static struct tree_use tree_use(struct ledger *l, const struct sample *s)
{
	struct tree_use u = { 0, 0, 0, false, false, NAN };
	size_t *idx;

	if (l->root_pid <= 0 || !s->nprocs)
		return u;
	idx = malloc(s->nprocs * sizeof *idx);
	if (!idx)
		return u;
	for (size_t i = 0; i < s->nprocs; i++)
		idx[i] = i;
	sort_sample = s;
	qsort(idx, s->nprocs, sizeof *idx, cmp_idx);
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct sample_proc *p = &s->procs[i];
		if (!descends(l, s, idx, p))
			continue;
		if (!ledger_in_tree(l, p->pid) && l->ntree < LEDGER_MAX_TREE)
			l->tree[l->ntree++] = p->pid;
		if (!isnan(p->cpu))
			u.cpu += p->cpu;
		if (!isnan(p->gpu_util)) { /* per-process GPU time (DRM fdinfo, NVML, AGX) */
			u.gpu += p->gpu_util;
			u.gpu_known = true;
		}
		if (!isnan(p->energy_w)) {
			u.energy += p->energy_w;
			u.energy_known = true;
		}
		if (!isnan(p->rss_bytes))
			u.rss = isnan(u.rss) ? p->rss_bytes : u.rss + p->rss_bytes;
	}
	free(idx);
	return u;
}

static double gpu_util(const struct sample *s)
{
	double sum = NAN;

	for (unsigned i = 0; i < s->ngpus; i++)
		if (!isnan(s->gpus[i].util))
			sum = isnan(sum) ? s->gpus[i].util : sum + s->gpus[i].util;
	return sum;
}

static void add_share(struct ledger_rail *r, double joules, double share, enum ledger_method method)
{
	if (isnan(joules) || isnan(share))
		return;
	if (share > 1)
		share = 1;
	r->tree_j = (isnan(r->tree_j) ? 0 : r->tree_j) + joules * share;
	if (r->method != LEDGER_MEASURED)
		r->method = method;
}

void ledger_add(struct ledger *l, const struct sample *s)
{
	double dt = s->interval_s, e[RAIL_COUNT];
	bool consecutive =
	    l->have_prev && s->seq == l->prev_seq + 1 && !strcmp(s->source, l->prev_source);
	struct tree_use u;
	double cpu_share = NAN, gpu_share = NAN, machine_cpus;

	if (!(dt > 0))
		dt = 0;
	if (!l->samples) {
		str_copy(l->chip, sizeof l->chip, s->host.chip);
		str_copy(l->host, sizeof l->host, s->host.hostname);
		str_copy(l->source, sizeof l->source, s->source);
	}
	l->samples++;
	if (!isnan(s->time)) {
		if (isnan(l->start) || s->time - dt < l->start)
			l->start = s->time - dt;
		if (isnan(l->end) || s->time > l->end)
			l->end = s->time;
	}
	l->covered_s += dt;

	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		e[r] = ledger_interval_joules(l->prev_joules[r], consecutive, s->power[r].joules,
		                              s->power[r].watts, dt);
		if (!isnan(e[r])) {
			l->rail[r].known = true;
			l->rail[r].joules += e[r];
			l->rail[r].known_s += dt;
			if (dt > 0)
				peak(&l->rail[r].peak_w, e[r] / dt);
		}
		l->prev_joules[r] = s->power[r].joules;
	}

	/* the tree's share: its own energy counters where the OS has them, else its share of
	 * the machine's CPU time (CPU-side rails) and GPU time (the GPU rail) */
	u = tree_use(l, s);
	machine_cpus = s->cpu_util * (s->host.cpus > 0 ? s->host.cpus : (double)s->ncores);
	if (l->root_pid > 0) {
		l->tree_cpu_s += u.cpu * dt;
		peak(&l->peak_tree_rss, u.rss);
		if (!isnan(machine_cpus)) {
			l->machine_cpu_s += machine_cpus * dt;
			cpu_share = machine_cpus > 0 ? u.cpu / machine_cpus : 0;
		}
		if (u.gpu_known && !isnan(gpu_util(s))) {
			gpu_share = gpu_util(s) > 0 ? u.gpu / gpu_util(s) : 0;
			l->tree_gpu_s += u.gpu * dt;
		}
		if (u.energy_known) {
			/* the kernel's per-process energy is CPU energy (xnu recount) */
			l->tree_energy_j += u.energy * dt;
			l->tree_energy_known = true;
			add_share(&l->rail[RAIL_CPU], u.energy * dt, 1, LEDGER_MEASURED);
		} else {
			add_share(&l->rail[RAIL_CPU], e[RAIL_CPU], cpu_share, LEDGER_ESTIMATED);
		}
		add_share(&l->rail[RAIL_GPU], e[RAIL_GPU], gpu_share, LEDGER_ESTIMATED);
		add_share(&l->rail[RAIL_DRAM], e[RAIL_DRAM], cpu_share, LEDGER_ESTIMATED);
		add_share(&l->rail[RAIL_UNCORE], e[RAIL_UNCORE], cpu_share, LEDGER_ESTIMATED);
		/* a package that is CPU+GPU+ANE (Apple) takes its parts' shares; one that is the
		 * CPU socket (RAPL) takes the CPU share */
		if (!isnan(e[RAIL_PACKAGE]) && !isnan(e[RAIL_CPU]) && !isnan(e[RAIL_GPU]) &&
		    fabs(e[RAIL_CPU] + e[RAIL_GPU] + (isnan(e[RAIL_ANE]) ? 0 : e[RAIL_ANE]) -
		         e[RAIL_PACKAGE]) <= 1e-6 * (1 + e[RAIL_PACKAGE])) {
			double cpu_j = u.energy_known ? u.energy * dt : e[RAIL_CPU] * cpu_share;
			double gpu_j = e[RAIL_GPU] * gpu_share;
			if (!isnan(cpu_j))
				add_share(&l->rail[RAIL_PACKAGE],
				          cpu_j + (isnan(gpu_j) ? 0 : gpu_j), 1, LEDGER_ESTIMATED);
		} else {
			add_share(&l->rail[RAIL_PACKAGE], e[RAIL_PACKAGE], cpu_share,
			          LEDGER_ESTIMATED);
		}
		add_share(&l->rail[RAIL_SYSTEM], e[RAIL_SYSTEM], cpu_share, LEDGER_ESTIMATED);
	}

	for (unsigned i = 0; i < s->ntemps; i++) {
		const struct sample_temp *t = &s->temps[i];
		if (t->kind == TEMP_OTHER || isnan(t->celsius))
			continue;
		if (isnan(l->peak_temp_c) || t->celsius > l->peak_temp_c) {
			l->peak_temp_c = t->celsius;
			l->peak_temp_kind = t->kind;
			str_copy(l->peak_temp_sensor, sizeof l->peak_temp_sensor,
			         t->label[0] ? t->label : t->sensor);
		}
	}
	if ((unsigned)s->thermal < THERMAL_COUNT)
		l->thermal_s[s->thermal] += dt;
	if (s->throttle.known) {
		l->throttle_known = true;
		if (s->throttle.causes)
			l->throttled_s += dt;
		for (unsigned c = 0; c < THROTTLE_CAUSE_COUNT; c++)
			if (s->throttle.causes & (1u << c))
				l->throttle_s[c] += dt;
	}
	peak(&l->peak_mem_used, s->memory.used_bytes);
	if (!isnan(s->memory.total_bytes))
		l->mem_total = s->memory.total_bytes;
	peak(&l->peak_swap_used, s->memory.swap_used_bytes);
	peak(&l->peak_bw_bps, s->bandwidth.total_bps);
	if (!isnan(s->cpu_util)) {
		peak(&l->peak_cpu_util, s->cpu_util);
		l->sum_cpu_util_s += s->cpu_util * dt;
		l->cpu_known_s += dt;
	}
	if (!isnan(gpu_util(s)) && s->ngpus) {
		double g = gpu_util(s) / s->ngpus;
		peak(&l->peak_gpu_util, g);
		l->sum_gpu_util_s += g * dt;
		l->gpu_known_s += dt;
	}

	l->have_prev = true;
	l->prev_seq = s->seq;
	str_copy(l->prev_source, sizeof l->prev_source, s->source);
}
