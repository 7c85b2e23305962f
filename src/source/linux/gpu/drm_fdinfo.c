#include "drm_fdinfo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../util/array.h"
#include "../../../util/str.h"

struct drm_client {
	char key[64]; /* drm-pdev (else the driver) the id is unique in */
	uint64_t id;
	struct drm_fdinfo last; /* counters held at their highest value seen */
	double t;               /* when last was read */
	unsigned seen;          /* the sweep that last found it (1-based) */
};

struct drm_proc {
	int pid;
	char name[64];    /* a new name under the same pid: exec or a reused pid, look again */
	double next_scan; /* when its descriptor list is read again */
	bool readable;
	unsigned nfds;
	int fd[DRM_PROC_FDS];
};

void drm_sweep_free(struct drm_sweep *w)
{
	free(w->client);
	free(w->proc);
	memset(w, 0, sizeof *w);
}

/* ---- which descriptors are DRM devices ---- */

/* The target of PID/fd/N: a link on a live /proc; a small file holding it in a captured tree. */
static int fd_target(const struct fsroot *proc, const char *rel, char *buf, size_t size)
{
	ssize_t n = readlinkat(proc->dirfd, rel, buf, size - 1);

	if (n >= 0) {
		buf[n] = '\0';
		return 0;
	}
	if (errno != EINVAL)
		return -errno;
	n = fsroot_read(proc, rel, buf, size);
	if (n < 0)
		return (int)n;
	str_trim(buf);
	return 0;
}

static bool is_drm_path(const char *target)
{
	/* render and primary nodes, and compute accelerators, which write the same keys */
	return !strncmp(target, "/dev/dri/", 9) || !strncmp(target, "/dev/accel/", 11);
}

struct fd_scan {
	const struct fsroot *proc;
	struct drm_proc *p;
};

static int scan_fd(const char *name, void *ctx)
{
	struct fd_scan *sc = ctx;
	char rel[64], target[256];
	const char *end;
	uint64_t fd;

	if (!str_parse_u64(name, &end, &fd) || *end || fd > 0x7fffffff)
		return 0;
	snprintf(rel, sizeof rel, "%d/fd/%s", sc->p->pid, name);
	if (fd_target(sc->proc, rel, target, sizeof target) == 0 && is_drm_path(target) &&
	    sc->p->nfds < DRM_PROC_FDS)
		sc->p->fd[sc->p->nfds++] = (int)fd;
	return 0;
}

static void scan_fds(const struct fsroot *proc, struct drm_proc *p, double now)
{
	struct fd_scan sc = { proc, p };
	char rel[32];
	int rc;

	p->nfds = 0;
	p->next_scan = now + DRM_RESCAN_S;
	snprintf(rel, sizeof rel, "%d/fd", p->pid);
	rc = fsroot_list(proc, rel, scan_fd, &sc);
	/* another user's process: its descriptors need ptrace access (root) */
	p->readable = !(rc == -EACCES || rc == -EPERM);
}

/* ---- clients ---- */

static struct drm_client *client_find(struct drm_sweep *w, const char *key, uint64_t id)
{
	for (size_t i = 0; i < w->nclient; i++)
		if (w->client[i].id == id && !strcmp(w->client[i].key, key))
			return &w->client[i];
	return NULL;
}

static struct drm_client *client_add(struct drm_sweep *w, const char *key, uint64_t id)
{
	struct drm_client *c;

	if (array_grow((void **)&w->client, &w->client_cap, w->nclient + 1, sizeof *w->client, 16))
		return NULL;
	c = &w->client[w->nclient++];
	memset(c, 0, sizeof *c);
	str_copy(c->key, sizeof c->key, key);
	c->id = id;
	return c;
}

/* The new baseline: the reading, with every counter that went back held at its old value. */
static void hold(struct drm_fdinfo *cur, const struct drm_fdinfo *prev)
{
	for (unsigned i = 0; i < cur->nengines; i++) {
		struct drm_engine *e = &cur->engine[i];
		for (unsigned k = 0; k < prev->nengines; k++) {
			const struct drm_engine *p = &prev->engine[k];
			if (strcmp(p->name, e->name))
				continue;
			if (e->ns < p->ns)
				e->ns = p->ns;
			if (e->cycles < p->cycles)
				e->cycles = p->cycles;
			if (e->total_cycles < p->total_cycles)
				e->total_cycles = p->total_cycles;
		}
	}
}

static int target_of(const struct drm_fdinfo *f, const struct drm_target *t, unsigned n)
{
	int only = -1, count = 0;

	for (unsigned i = 0; i < n; i++)
		if (f->pdev[0] && t[i].pdev[0] && !strcmp(f->pdev, t[i].pdev))
			return (int)i;
	for (unsigned i = 0; i < n; i++)
		if (t[i].driver[0] && !strcmp(f->driver, t[i].driver)) {
			only = (int)i;
			count++;
		}
	return count == 1 ? only : -1;
}

static void add(double *sum, double v)
{
	if (!isnan(v))
		*sum = (isnan(*sum) ? 0 : *sum) + v;
}

static void add_use(struct drm_dev_use *u, double util, const struct drm_fdinfo *f)
{
	add(&u->util, util);
	add(&u->mem_bytes, f->mem_bytes);
	add(&u->local_bytes, f->local_bytes);
	u->clients++;
}

struct proc_total {
	double dev_util[DRM_MAX_TRACK + 1]; /* the last slot: clients of no known device */
	double mem;
	bool unknown; /* a client whose share this sweep cannot tell */
};

/* One DRM descriptor of a process: counted unless its client was already counted. */
static void one_fd(struct drm_sweep *w, const struct fsroot *proc, const struct drm_proc *p, int fd,
                   double now, const struct drm_target *targets, unsigned ntargets,
                   const char *skip, struct drm_dev_use *use, struct proc_total *tot)
{
	char rel[64], text[8192], key[64];
	struct drm_fdinfo f;
	struct drm_client *c;
	double util = NAN;
	int dev;

	snprintf(rel, sizeof rel, "%d/fdinfo/%d", p->pid, fd);
	if (fsroot_read(proc, rel, text, sizeof text) <= 0 || drm_fdinfo_parse(text, &f) != 0)
		return; /* closed since, or a driver without the keys */
	if (skip && !strncmp(f.driver, skip, strlen(skip)))
		return;
	dev = target_of(&f, targets, ntargets);
	if (dev < 0 && f.nengines == 0)
		return; /* a display-only device, not a GPU with engines to count */
	str_copy(key, sizeof key, f.pdev[0] ? f.pdev : f.driver);
	if (!f.has_client_id) /* nothing to tell a shared client by: count the descriptor */
		snprintf(key + strlen(key), sizeof key - strlen(key), ":%d:%d", p->pid, fd);
	c = client_find(w, key, f.client_id);
	if (c && c->seen == w->sweeps + 1)
		return; /* inherited or duplicated: already counted for a lower pid */
	if (c)
		util = drm_client_util(&c->last, &f, now - c->t);
	else
		c = client_add(w, key, f.client_id);
	if (isnan(util))
		tot->unknown = true;
	if (c) {
		hold(&f, &c->last);
		c->last = f;
		c->t = now;
		c->seen = w->sweeps + 1;
	}
	if (dev >= 0 && dev < DRM_MAX_TRACK)
		add_use(&use[dev], util, &f);
	else
		dev = DRM_MAX_TRACK;
	if (!isnan(util))
		tot->dev_util[dev] += util;
	if (!isnan(f.mem_bytes))
		tot->mem += f.mem_bytes;
	w->clients++;
}

static void proc_result(const struct drm_sweep *w, const struct drm_proc *p,
                        const struct proc_total *tot, struct sample_proc *sp)
{
	double util = 0;

	if (!p->readable) {
		sp->gpu_util = sp->gpu_mem_bytes = NAN;
		return;
	}
	for (unsigned d = 0; d <= DRM_MAX_TRACK; d++)
		util += tot->dev_util[d] > 1 ? 1 : tot->dev_util[d]; /* one device at most once */
	sp->gpu_util = w->sweeps == 0 || tot->unknown ? NAN : util;
	sp->gpu_mem_bytes = tot->mem;
}

static const struct drm_proc *old_proc(const struct drm_sweep *w, int pid)
{
	size_t lo = 0, hi = w->nproc;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (w->proc[mid].pid == pid)
			return &w->proc[mid];
		if (w->proc[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void drm_sweep_run(struct drm_sweep *w, const struct fsroot *proc, double now, struct sample *s,
                   const struct drm_target *targets, unsigned ntargets, const char *skip_prefix,
                   struct drm_dev_use *use)
{
	struct drm_proc *next = calloc(s->nprocs ? s->nprocs : 1, sizeof *next);
	size_t nnext = 0, keep = 0;

	for (unsigned i = 0; i < ntargets && i < DRM_MAX_TRACK; i++) {
		use[i].util = use[i].mem_bytes = use[i].local_bytes = NAN;
		use[i].clients = 0;
	}
	w->unreadable = w->clients = 0;
	if (!next)
		return;
	for (size_t i = 0; i < s->nprocs; i++) {
		struct sample_proc *sp = &s->procs[i];
		const struct drm_proc *old = old_proc(w, sp->pid);
		struct drm_proc *p = &next[nnext++];
		struct proc_total tot;

		if (old && !strcmp(old->name, sp->name) && old->nfds == 0 && now < old->next_scan) {
			*p = *old; /* nothing there a moment ago: look again later */
		} else {
			memset(p, 0, sizeof *p);
			p->pid = sp->pid;
			str_copy(p->name, sizeof p->name, sp->name);
			scan_fds(proc, p, now);
		}
		memset(&tot, 0, sizeof tot);
		for (unsigned k = 0; k < p->nfds; k++)
			one_fd(w, proc, p, p->fd[k], now, targets, ntargets, skip_prefix, use,
			       &tot);
		if (!p->readable)
			w->unreadable++;
		proc_result(w, p, &tot, sp);
	}
	free(w->proc);
	w->proc = next;
	w->nproc = nnext;
	/* clients no process holds any more */
	for (size_t i = 0; i < w->nclient; i++)
		if (w->client[i].seen == w->sweeps + 1)
			w->client[keep++] = w->client[i];
	w->nclient = keep;
	for (unsigned i = 0; i < ntargets && i < DRM_MAX_TRACK; i++)
		if (use[i].util > 1)
			use[i].util = 1;
	w->sweeps++;
}
