#include "procsel.h"

#include <math.h>
#include <stdlib.h>

const char *procsel_command(const struct sample *s, const struct sample_proc *p)
{
	const char *cmd = sample_str(s, p->cmdline);

	return *cmd ? cmd : p->name;
}

/* NAN sorts after every number */
static int cmp_desc(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return a > b ? -1 : a < b;
}

struct key {
	double cpu, rss;
	int pid;
	size_t idx;
};

static int by_cpu(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	int c = cmp_desc(a->cpu, b->cpu);

	if (!c)
		c = cmp_desc(a->rss, b->rss);
	return c ? c : (a->pid > b->pid) - (a->pid < b->pid);
}

static int by_mem(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	int c = cmp_desc(a->rss, b->rss);

	if (!c)
		c = cmp_desc(a->cpu, b->cpu);
	return c ? c : (a->pid > b->pid) - (a->pid < b->pid);
}

static int by_pid(const void *x, const void *y)
{
	const struct key *a = x, *b = y;

	return (a->pid > b->pid) - (a->pid < b->pid);
}

size_t procsel_top(const struct sample *s, const regex_t *re, enum proc_sort sort, size_t limit,
                   size_t *out)
{
	struct key *k;
	size_t n = 0;

	if (limit == 0 || s->nprocs == 0)
		return 0;
	k = malloc(s->nprocs * sizeof *k);
	if (!k)
		return 0;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct sample_proc *p = &s->procs[i];
		if (re && regexec(re, procsel_command(s, p), 0, NULL, 0) != 0)
			continue;
		k[n++] = (struct key){ p->cpu, p->rss_bytes, p->pid, i };
	}
	qsort(k, n, sizeof *k,
	      sort == PROC_SORT_MEMORY ? by_mem
	      : sort == PROC_SORT_PID  ? by_pid
	                               : by_cpu);
	if (n > limit)
		n = limit;
	for (size_t i = 0; i < n; i++)
		out[i] = k[i].idx;
	free(k);
	return n;
}

const char *proc_sort_name(enum proc_sort sort)
{
	switch (sort) {
	case PROC_SORT_MEMORY:
		return "memory";
	case PROC_SORT_PID:
		return "pid";
	default:
		return "cpu";
	}
}
