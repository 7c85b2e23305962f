/* decode_ledger.c - each process's share of the machine on a Mac, without sudo: GPU time from
 * the GPU accelerator's user clients (accumulatedGPUTime, readable for every process) and CPU
 * energy and neural engine memory from proc_pid_rusage (ri_energy_nj, ri_neural_footprint:
 * the caller's own processes only, unless root) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/array.h"
#include "decode_internal.h"

static const struct apple_proc_base *base_of(const struct apple_decoder *d, int pid, uint64_t start)
{
	size_t lo = 0, hi = d->nbase;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->base[mid].pid == pid)
			return d->base[mid].start == start ? &d->base[mid] : NULL;
		if (d->base[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Energy since agtop started watching: each process's counter when first seen (0 for one that
 * started in the interval: all its energy is since then). The table is rebuilt each time, in
 * pid order like the readings, so an ended process's entry goes with it. */
static void bases(struct apple_decoder *d, const struct apple_reading *prev,
                  const struct apple_reading *cur)
{
	struct apple_proc_base *next = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < cur->nprocs; i++) {
		const struct apple_proc *p = &cur->procs[i], *o;
		const struct apple_proc_base *b;
		if (!p->rusage)
			continue;
		if (array_grow((void **)&next, &cap, n + 1, sizeof *next, 64))
			break;
		next[n].pid = p->pid;
		next[n].start = p->start;
		b = base_of(d, p->pid, p->start);
		o = prev->have_procs ? apple_reading_proc(prev, p->pid) : NULL;
		if (b)
			next[n].energy_nj = b->energy_nj;
		else if (o && o->start == p->start && o->rusage)
			next[n].energy_nj = o->energy_nj;
		else if (prev->have_procs && (!o || o->start != p->start))
			next[n].energy_nj = 0; /* started during the interval (a reused pid too) */
		else
			next[n].energy_nj = p->energy_nj;
		n++;
	}
	free(d->base);
	d->base = next;
	d->nbase = n;
}

void apple_decode_ledger(struct apple_decoder *d, const struct apple_reading *prev,
                         const struct apple_reading *cur, double dt, struct sample *out)
{
	/* ri_neural_footprint: macOS 15 and later (or a version the decoder could not read) */
	bool neural = d->macos_major == 0 || d->macos_major >= 15;

	if (!cur->have_procs || out->nprocs != cur->nprocs)
		return; /* the decoder ran out of memory: nothing to match */
	bases(d, prev, cur);
	for (size_t i = 0; i < cur->nprocs; i++) {
		const struct apple_proc *p = &cur->procs[i];
		const struct apple_proc *o =
		    prev->have_procs ? apple_reading_proc(prev, p->pid) : NULL;
		struct sample_proc *sp = &out->procs[i];
		bool same = o && o->start == p->start;

		if (sp->pid != p->pid)
			continue;
		if (p->rusage) {
			const struct apple_proc_base *b = base_of(d, p->pid, p->start);
			if (b && p->energy_nj >= b->energy_nj)
				sp->energy_j = (double)(p->energy_nj - b->energy_nj) * 1e-9;
			if (dt > 0 && same && o->rusage && p->energy_nj >= o->energy_nj)
				sp->energy_w = (double)(p->energy_nj - o->energy_nj) * 1e-9 / dt;
			else if (dt > 0 && prev->have_procs && !same)
				sp->energy_w = (double)p->energy_nj * 1e-9 / dt;
			/* ri_neural_footprint is a reserved 0 before macOS 15 */
			if (neural)
				sp->ane_mem_bytes = (double)p->neural_bytes;
		}
		if (!cur->have_gpu_clients || !(dt > 0) || !prev->have_procs ||
		    !prev->have_gpu_clients)
			continue;
		if (!p->gpu)
			sp->gpu_util = 0; /* no GPU client: it did not use the GPU */
		else if (same && o->gpu && p->gpu_ns >= o->gpu_ns)
			sp->gpu_util = (double)(p->gpu_ns - o->gpu_ns) * 1e-9 / dt;
		else if (!same || !o->gpu) /* its clients opened in the interval */
			sp->gpu_util = (double)p->gpu_ns * 1e-9 / dt;
		/* a client that closed took its time with it: no rate this interval */
	}
	if (!cur->have_gpu_clients)
		sample_note(out, "processes.gpu",
		            "the GPU accelerator's user clients could not be read: no per-process "
		            "GPU time");
	sample_note(out, "processes.gpu_mem", "macOS gives no per-process GPU memory");
}
