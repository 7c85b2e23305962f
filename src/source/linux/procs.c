#include "procs.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../history/rate.h"
#include "../../util/array.h"
#include "../../util/str.h"
#include "procfs_parse.h"

#define CMDLINE_MAX (32 * 1024)

void procs_init(struct proctab *t, long hz, long page_size)
{
	memset(t, 0, sizeof *t);
	t->hz = hz > 0 ? hz : 100;
	t->page_size = page_size > 0 ? page_size : 4096;
	t->btime = NAN;
	users_init(&t->users);
}

static void free_entries(struct proctab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->e[i].cmdline);
	free(t->e);
	t->e = NULL;
	t->n = t->cap = 0;
}

void procs_free(struct proctab *t)
{
	free_entries(t);
	users_free(&t->users);
}

double procs_cpu(uint64_t ticks_prev, uint64_t ticks_now, long hz, double dt, int ncpus)
{
	double cpu;

	if (!(dt > 0) || hz <= 0)
		return NAN;
	cpu = (double)sat_sub(ticks_now, ticks_prev) / (double)hz / dt;
	if (ncpus > 0 && cpu > ncpus)
		cpu = ncpus;
	return cpu;
}

struct pidlist {
	int *pid;
	size_t n, cap;
	int err;
};

static int collect_pid(const char *name, void *ctx)
{
	struct pidlist *l = ctx;
	uint64_t v;
	const char *end;

	if (!str_parse_u64(name, &end, &v) || *end || v > 0x7fffffff)
		return 0;
	if (array_grow((void **)&l->pid, &l->cap, l->n + 1, sizeof *l->pid, 512)) {
		l->err = ENOMEM;
		return 1;
	}
	l->pid[l->n++] = (int)v;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

static struct proc_entry *find(struct proctab *t, int pid)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->e[mid].pid == pid)
			return &t->e[mid];
		if (t->e[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int64_t read_uid(const struct fsroot *proc, int pid)
{
	char rel[32], buf[4096];
	int64_t uid;

	snprintf(rel, sizeof rel, "%d/status", pid);
	if (fsroot_read(proc, rel, buf, sizeof buf) <= 0 || procfs_parse_status_uid(buf, &uid))
		return -1;
	return uid;
}

static char *read_cmdline(const struct fsroot *proc, int pid)
{
	char rel[32], *raw, *out;
	ssize_t n;

	snprintf(rel, sizeof rel, "%d/cmdline", pid);
	raw = malloc(CMDLINE_MAX);
	if (!raw)
		return NULL;
	n = fsroot_read(proc, rel, raw, CMDLINE_MAX);
	if (n < 0)
		n = 0;
	/* room for the worst case of invalid bytes turned into U+FFFD */
	out = malloc((size_t)n * 3 + 1);
	if (out)
		procfs_cmdline_join(raw, (size_t)n, out, (size_t)n * 3 + 1);
	free(raw);
	return out;
}

int procs_scan(struct proctab *t, const struct fsroot *proc, double dt, struct sample *s)
{
	struct pidlist l = { 0 };
	struct proc_entry *next;
	size_t nnext = 0;
	int rc;

	rc = fsroot_list(proc, ".", collect_pid, &l);
	if (rc < 0 || l.err) {
		free(l.pid);
		sample_note(s, "processes", "cannot list processes: %s",
		            strerror(rc < 0 ? -rc : l.err));
		return rc < 0 ? rc : -l.err;
	}
	if (l.n) /* an empty /proc leaves l.pid NULL, which qsort must not get */
		qsort(l.pid, l.n, sizeof *l.pid, cmp_int);
	next = calloc(l.n ? l.n : 1, sizeof *next);
	if (!next) {
		free(l.pid);
		return -ENOMEM;
	}

	for (size_t i = 0; i < l.n; i++) {
		char rel[32], buf[2048];
		struct pid_stat st;
		struct proc_entry *old, *e;
		struct sample_proc *sp;
		double rss;

		snprintf(rel, sizeof rel, "%d/stat", l.pid[i]);
		if (fsroot_read_record(proc, rel, buf, sizeof buf) <= 0 ||
		    procfs_parse_pid_stat(buf, &st) != 0)
			continue; /* gone, or not a process we can read */
		/* stat's rss is statm's resident: both are the kernel's get_mm_rss() (fs/proc/
		 * array.c, task_mmu.c), so one file per process is read, not two (bench/README.md);
		 * a kernel thread has no mm and shows 0 in both */
		rss = st.rss_pages >= 0 ? (double)st.rss_pages * (double)t->page_size : NAN;

		e = &next[nnext];
		e->pid = l.pid[i];
		e->start = st.starttime;
		e->ticks = st.utime + st.stime;
		str_utf8_clean(e->comm, sizeof e->comm, st.comm, strlen(st.comm));
		old = find(t, e->pid);
		if (old && old->start == e->start && strcmp(old->comm, e->comm) == 0) {
			e->cmdline = old->cmdline; /* moved to the new table */
			old->cmdline = NULL;
			e->uid = old->uid;
		} else {
			e->cmdline = read_cmdline(proc, e->pid);
			e->uid = read_uid(proc, e->pid);
		}
		nnext++;

		sp = sample_add_proc(s);
		if (!sp)
			continue;
		sp->pid = e->pid;
		sp->ppid = st.ppid;
		str_copy(sp->name, sizeof sp->name, e->comm);
		if (e->cmdline)
			sp->cmdline = sample_intern(s, e->cmdline, strlen(e->cmdline));
		sp->rss_bytes = rss;
		sp->threads = st.threads > 0 && st.threads < 0x7fffffff ? (int)st.threads : -1;
		sp->uid = e->uid;
		users_name(&t->users, e->uid, sp->user, sizeof sp->user);
		sp->state = isalpha((unsigned char)st.state) ? st.state : 0;
		sp->start_time = t->btime + (double)st.starttime / (double)t->hz;
		if (t->scans == 0)
			sp->cpu = NAN;
		else if (old && old->start == e->start)
			sp->cpu = procs_cpu(old->ticks, e->ticks, t->hz, dt, t->ncpus);
		else /* started during the interval: all of its time is in it */
			sp->cpu = procs_cpu(0, e->ticks, t->hz, dt, t->ncpus);
	}
	s->nprocs_total = nnext;

	free_entries(t);
	t->e = next;
	t->n = nnext;
	t->cap = l.n;
	t->scans++;
	free(l.pid);
	return 0;
}
