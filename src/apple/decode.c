/* decode.c - the Apple decoder: readings → sample */
#include "decode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/array.h"
#include "../util/str.h"
#include "decode_internal.h"
#include "lookup.h"

void apple_reading_init(struct apple_reading *r)
{
	memset(r, 0, sizeof *r);
	ior_sample_init(&r->ior);
	r->thermal_level = -1;
	r->system_w = NAN;
	r->input_w = NAN;
	r->low_power = -1;
	r->speed_limit = NAN;
	apple_battery_init(&r->battery);
	for (unsigned i = 0; i < APPLE_MAX_FANS; i++)
		r->fan[i].actual = r->fan[i].min = r->fan[i].max = NAN;
}

void apple_battery_init(struct apple_battery *b)
{
	memset(b, 0, sizeof *b);
	b->current_capacity = b->max_capacity = b->time_remaining = b->avg_time_to_full = -1;
	b->amperage = b->voltage = INT64_MIN;
	b->is_charging = b->fully_charged = b->external_connected = -1;
	b->adapter_watts = b->system_load_w = b->system_in_w = NAN;
}

void apple_reading_free(struct apple_reading *r)
{
	ior_sample_free(&r->ior);
	free(r->ticks);
	free(r->temp);
	for (size_t i = 0; i < r->nprocs; i++)
		free(r->procs[i].cmdline);
	free(r->procs);
	apple_reading_init(r);
}

int apple_reading_set_ncpu(struct apple_reading *r, unsigned ncpu)
{
	free(r->ticks);
	r->ticks = ncpu ? calloc(ncpu, sizeof *r->ticks) : NULL;
	r->ncpu = r->ticks ? ncpu : 0;
	return ncpu && !r->ticks ? -1 : 0;
}

int apple_proc_cmp(const void *a, const void *b)
{
	const struct apple_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

struct apple_proc *apple_reading_add_proc(struct apple_reading *r)
{
	struct apple_proc *p;

	if (array_grow((void **)&r->procs, &r->procs_cap, r->nprocs + 1, sizeof *r->procs, 256))
		return NULL;
	p = &r->procs[r->nprocs++];
	memset(p, 0, sizeof *p);
	p->ppid = -1;
	p->uid = -1;
	p->threads = -1;
	return p;
}

struct apple_temp *apple_reading_add_temp(struct apple_reading *r)
{
	struct apple_temp *t;

	if (array_grow((void **)&r->temp, &r->temps_cap, r->ntemps + 1, sizeof *r->temp, 64))
		return NULL;
	t = &r->temp[r->ntemps++];
	memset(t, 0, sizeof *t);
	return t;
}

int apple_reading_copy(struct apple_reading *dst, const struct apple_reading *src)
{
	apple_reading_free(dst);
	dst->mach_time = src->mach_time;
	dst->wall_time = src->wall_time;
	dst->vm = src->vm;
	dst->swap = src->swap;
	dst->thermal_level = src->thermal_level;
	dst->system_w = src->system_w;
	dst->nsmc_power = src->nsmc_power;
	memcpy(dst->smc_power, src->smc_power, sizeof dst->smc_power);
	for (size_t i = 0; i < src->ntemps; i++) {
		struct apple_temp *t = apple_reading_add_temp(dst);
		if (!t)
			return -1;
		*t = src->temp[i];
	}
	dst->have_procs = src->have_procs;
	dst->have_gpu_clients = src->have_gpu_clients;
	dst->battery = src->battery;
	dst->nfans = src->nfans;
	memcpy(dst->fan, src->fan, sizeof dst->fan);
	dst->input_w = src->input_w;
	dst->low_power = src->low_power;
	dst->speed_limit = src->speed_limit;
	dst->ior.mach_time = src->ior.mach_time;
	for (size_t i = 0; i < src->ior.n; i++) {
		const struct ior_channel *c = &src->ior.ch[i];
		struct ior_channel *n =
		    ior_add(&dst->ior, c->group, c->subgroup, c->name, c->unit, c->format);
		if (!n || ior_add_states(n, c->nstates))
			return -1;
		n->value = c->value;
		n->ts = c->ts;
		n->ts_prev = c->ts_prev;
		if (c->nstates)
			memcpy(n->states, c->states, c->nstates * sizeof *c->states);
	}
	if (src->ncpu) {
		if (apple_reading_set_ncpu(dst, src->ncpu))
			return -1;
		memcpy(dst->ticks, src->ticks, src->ncpu * sizeof *src->ticks);
	}
	for (size_t i = 0; i < src->nprocs; i++) {
		struct apple_proc *p = apple_reading_add_proc(dst);
		if (!p)
			return -1;
		*p = src->procs[i];
		p->cmdline = src->procs[i].cmdline ? strdup(src->procs[i].cmdline) : NULL;
	}
	return 0;
}

char *apple_procargs(const char *buf, size_t len)
{
	int argc;
	size_t at = sizeof argc, w = 0;
	char *out;

	if (!buf || len <= sizeof argc)
		return NULL;
	memcpy(&argc, buf, sizeof argc);
	if (argc <= 0)
		return NULL;
	while (at < len && buf[at]) /* the executable path */
		at++;
	while (at < len && !buf[at]) /* its padding */
		at++;
	if (at >= len)
		return NULL;
	out = malloc(len - at + 1);
	if (!out)
		return NULL;
	for (int i = 0; i < argc && at < len; i++) {
		size_t n = strnlen(buf + at, len - at);
		if (w)
			out[w++] = ' ';
		memcpy(out + w, buf + at, n);
		w += n;
		at += n + 1;
	}
	out[w] = '\0';
	return out;
}

int apple_macos_major(const char *os)
{
	int major = 0;

	if (sscanf(os, "macOS %d", &major) != 1 || major < 10)
		return 0;
	return major;
}

int apple_decoder_init(struct apple_decoder *d, const struct apple_host *h, const struct pmgr *p)
{
	int major = apple_macos_major(h->os);

	memset(d, 0, sizeof *d);
	d->host = *h;
	d->hold_s = major && major < APPLE_BATCHED_MACOS ? 0 : APPLE_ENERGY_HOLD_S;
	d->macos_major = major;
	for (unsigned i = 0; p && i < p->n; i++)
		if (pmgr_add(&d->pmgr, p->prop[i].key, p->prop[i].data, p->prop[i].len))
			return -1;
	return 0;
}

void apple_decoder_free(struct apple_decoder *d)
{
	pmgr_free(&d->pmgr);
	free(d->core);
	d->core = NULL;
	free(d->track);
	d->track = NULL;
	d->ntracks = d->tracks_cap = 0;
	free(d->base);
	d->base = NULL;
	d->nbase = 0;
}

bool apple_channel_wanted(const char *group, const char *subgroup, const char *name)
{
	if (!strcmp(group, "Energy Model"))
		return apple_energy_wanted(name);
	if (!strcmp(group, "CPU Stats"))
		return !strcmp(subgroup, "CPU Core Performance States") ||
		       !strcmp(subgroup, "CPU Complex Performance States");
	if (!strcmp(group, "GPU Stats"))
		return !strcmp(subgroup, "GPU Performance States") && !strcmp(name, "GPUPH");
	return apple_bw_wanted(group, subgroup, name) || apple_ane_wanted(group, subgroup, name);
}

double apple_memory_used(const struct apple_vm *vm, unsigned pagesize)
{
	uint64_t app = vm->internal > vm->purgeable ? vm->internal - vm->purgeable : 0;

	if (!vm->have || !pagesize)
		return NAN;
	return (double)(app + vm->wire + vm->compressor) * (double)pagesize;
}

enum thermal_pressure apple_thermal(int level)
{
	switch (level) {
	case 0:
		return THERMAL_NOMINAL;
	case 1:
		return THERMAL_FAIR;
	case 2:
		return THERMAL_SERIOUS;
	case 3:
	case 4:
		return THERMAL_CRITICAL;
	default:
		return THERMAL_UNKNOWN;
	}
}

/* The GPU's frequency and busy share, before the power (which needs to know whether the GPU
 * is busy); its power fields are filled after it. */
static void decode_gpu(struct apple_decoder *d, const struct ior_sample *delta, struct sample *out)
{
	const struct ior_channel *c =
	    apple_find(delta, "GPU Stats", "GPU Performance States", "GPUPH");
	struct sample_gpu *g = &out->gpus[0];

	if (!c && d->host.gpu_cores <= 0) {
		sample_note(out, "gpu", "GPU Stats could not be read");
		return;
	}
	out->ngpus = 1;
	snprintf(g->name, sizeof g->name, "%s GPU", d->host.chip[0] ? d->host.chip : "Apple");
	str_copy(g->vendor, sizeof g->vendor, "apple");
	g->cores = d->host.gpu_cores > 0 ? d->host.gpu_cores : -1;
	g->freq_max_hz = dvfs_max_hz(d->dvfs.gpu);
	if (c)
		dvfs_residency(c, d->dvfs.gpu, &g->freq_hz, &g->util);
	else
		sample_note(out, "gpu", "GPU Stats could not be read");
	if (c && !d->dvfs.gpu)
		sample_note(out, "gpu.freq", "no GPU DVFS table (voltage-states9) in pmgr");
	g->temp_c = sample_temp_max(out, TEMP_GPU);
}

static void gpu_power(struct sample *out)
{
	if (!out->ngpus)
		return;
	out->gpus[0].power_w = out->power[RAIL_GPU].watts;
	out->gpus[0].energy_j = out->power[RAIL_GPU].joules;
}

char apple_state_letter(int status)
{
	/* <sys/proc.h> p_stat values; the letters as ps(1) prints them (a process being created,
	 * SIDL, counts as runnable there too) */
	switch (status) {
	case 1: /* SIDL */
	case 2: /* SRUN */
		return 'R';
	case 3: /* SSLEEP */
		return 'S';
	case 4: /* SSTOP */
		return 'T';
	case 5: /* SZOMB */
		return 'Z';
	default:
		return 0;
	}
}

static void decode_procs(const struct apple_decoder *d, const struct apple_reading *prev,
                         const struct apple_reading *cur, double dt, struct sample *out)
{
	double ns_per_tick = d->host.tb_denom ? (double)d->host.tb_numer / d->host.tb_denom : 1.0;

	if (!cur->have_procs) {
		sample_note(out, "processes", "no process list in this reading");
		return;
	}
	for (size_t i = 0; i < cur->nprocs; i++) {
		const struct apple_proc *p = &cur->procs[i], *o = apple_reading_proc(prev, p->pid);
		struct sample_proc *sp = sample_add_proc(out);
		uint64_t ticks;

		if (!sp)
			return;
		sp->pid = p->pid;
		sp->ppid = p->ppid;
		str_copy(sp->name, sizeof sp->name, p->name);
		if (p->cmdline)
			sp->cmdline = sample_intern(out, p->cmdline, strlen(p->cmdline));
		sp->uid = p->uid;
		sp->state = apple_state_letter(p->status);
		sp->start_time = p->start ? (double)p->start : NAN;
		if (!p->task)
			continue; /* another user's process: name only */
		sp->rss_bytes = (double)p->rss;
		sp->threads = p->threads;
		/* CPU time is in Mach absolute time units (125/3 ns on Apple Silicon), not ns */
		if (!prev->have_procs || !(dt > 0) || (o && !o->task))
			continue;
		ticks = o && o->start == p->start
		            ? (p->cpu_time > o->cpu_time ? p->cpu_time - o->cpu_time : 0)
		            : p->cpu_time; /* started in the interval */
		sp->cpu = (double)ticks * ns_per_tick / 1e9 / dt;
		if (d->host.ncpu > 0 && sp->cpu > d->host.ncpu)
			sp->cpu = d->host.ncpu;
	}
	out->nprocs_total = cur->nprocs;
}

int apple_decode(struct apple_decoder *d, const struct apple_reading *prev,
                 const struct apple_reading *cur, const struct apple_group *groups,
                 unsigned ngroups, struct sample *out)
{
	struct ior_sample delta;
	double ns_per_tick = d->host.tb_denom ? (double)d->host.tb_numer / d->host.tb_denom : 1.0;
	double dt = cur->mach_time > prev->mach_time
	                ? (double)(cur->mach_time - prev->mach_time) * ns_per_tick / 1e9
	                : NAN;

	if (ior_delta(&prev->ior, &cur->ior, &delta))
		return -1;
	if (!d->laid_out)
		apple_layout(d, &delta);

	out->time = cur->wall_time;
	out->interval_s = dt;
	str_copy(out->host.chip, sizeof out->host.chip, d->host.chip);
	str_copy(out->host.os, sizeof out->host.os, d->host.os);
	str_copy(out->host.hostname, sizeof out->host.hostname, d->host.hostname);
	str_copy(out->host.arch, sizeof out->host.arch, "arm64");
	out->host.cpus = d->host.ncpu;
	out->host.gpu_cores = d->host.gpu_cores;

	apple_decode_temps(cur, out);
	apple_decode_cpu(d, &delta, prev, cur, out);
	decode_gpu(d, &delta, out);
	out->npu.present = true; /* every Apple Silicon chip has a neural engine */
	str_copy(out->npu.name, sizeof out->npu.name, "ANE");
	out->npu.util = apple_ane_activity(&delta);
	apple_decode_power(d, &delta, dt, cur, out);
	gpu_power(out);
	if (isnan(out->npu.util))
		sample_note(out, "npu",
		            "Apple exposes ANE power, not its utilisation: the ANE gauge is "
		            "its power against an 8 W reference");
	apple_decode_bandwidth(&delta, dt, out);

	out->memory.total_bytes = d->host.memsize > 0 ? d->host.memsize : NAN;
	out->memory.used_bytes = apple_memory_used(&cur->vm, d->host.pagesize);
	if (!isnan(out->memory.used_bytes) && !isnan(out->memory.total_bytes))
		out->memory.available_bytes = out->memory.total_bytes > out->memory.used_bytes
		                                  ? out->memory.total_bytes - out->memory.used_bytes
		                                  : 0;
	if (!cur->vm.have)
		sample_note(out, "memory", "no VM statistics in this reading");
	if (cur->swap.have) {
		out->memory.swap_total_bytes = (double)cur->swap.total;
		out->memory.swap_used_bytes = (double)cur->swap.used;
	}
	out->thermal = apple_thermal(cur->thermal_level);
	if (out->thermal == THERMAL_UNKNOWN)
		sample_note(out, "thermal", "the thermal pressure level could not be read");
	decode_procs(d, prev, cur, dt, out);
	apple_decode_ledger(d, prev, cur, dt, out);
	apple_decode_machine(d, cur, dt, out);

	for (unsigned i = 0; groups && i < ngroups; i++)
		if (!groups[i].subscribed) {
			char key[32];
			snprintf(key, sizeof key, "ioreport.%s", groups[i].group);
			sample_note(out, key, "%s%s%s: %s", groups[i].group,
			            groups[i].subgroup[0] ? " / " : "", groups[i].subgroup,
			            groups[i].error[0] ? groups[i].error : "not subscribable");
		}
	ior_sample_free(&delta);
	return 0;
}
