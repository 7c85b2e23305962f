#include "procsel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pcre2_lazy.h"
#include "util/array.h"

/* pcre2.h needs the code unit width first: 8 (UTF-8) */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* The budget of one match. A step is one backtracking point; without back-references one
 * costs nanoseconds, so 100,000 is about 2 ms on a 32 KiB command line. A back-reference step
 * compares up to the whole line, so such patterns get a tenth of it. The depth and the heap
 * bound the backtracking frames. */
#define MATCH_STEPS         100000
#define MATCH_STEPS_BACKREF 10000
#define MATCH_DEPTH         10000
#define MATCH_HEAP_KIB      8192

struct procsel_matcher {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	bool off; /* over budget once: switched off */
};

void procsel_free(struct procsel_re *re)
{
	struct procsel_matcher *m = re->m;

	if (!m)
		return;
	pcre2_match_context_free(m->mc);
	pcre2_match_data_free(m->md);
	pcre2_code_free(m->code);
	free(m);
	re->m = NULL;
}

int procsel_compile(struct procsel_re *re, const char *pattern, struct error *err)
{
	/* POSIX extended as agtop documented it: case-insensitive, '.' matches any character and
	 * '$' only the end; UTF-8 command lines, invalid bytes in them never an error */
	const uint32_t flags = PCRE2_CASELESS | PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY | PCRE2_UTF |
	                       PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
	struct procsel_matcher *m = calloc(1, sizeof *m);
	uint32_t backrefs = 0;
	PCRE2_SIZE at;
	int code;

	re->m = NULL;
	if (!m)
		return error_set(err, "out of memory");
	{
		char why[600];
		if (pcre2_lazy_load(why, sizeof why)) {
			free(m);
			return error_set(err, "%s", why);
		}
	}
	m->code =
	    pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, flags, &code, &at, NULL);
	if (!m->code) {
		PCRE2_UCHAR why[160];
		free(m);
		pcre2_get_error_message(code, why, sizeof why);
		return error_set(err, "%s at offset %zu", (const char *)why, (size_t)at);
	}
	m->md = pcre2_match_data_create(1, NULL);
	m->mc = pcre2_match_context_create(NULL);
	re->m = m;
	if (!m->md || !m->mc) {
		procsel_free(re);
		return error_set(err, "out of memory");
	}
	pcre2_pattern_info(m->code, PCRE2_INFO_BACKREFMAX, &backrefs);
	pcre2_set_match_limit(m->mc, backrefs ? MATCH_STEPS_BACKREF : MATCH_STEPS);
	pcre2_set_depth_limit(m->mc, MATCH_DEPTH);
	pcre2_set_heap_limit(m->mc, MATCH_HEAP_KIB);
	return 0;
}

bool procsel_match(const struct procsel_re *re, const char *text)
{
	struct procsel_matcher *m = re->m;
	int rc;

	if (!m || m->off)
		return true;
	rc = pcre2_match(m->code, (PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0, 0, m->md, m->mc);
	if (rc >= 0)
		return true;
	if (rc == PCRE2_ERROR_NOMATCH)
		return false;
	/* over a limit (or any other failure): the pattern is off, everything shows */
	m->off = true;
	return true;
}

bool procsel_switched_off(const struct procsel_re *re)
{
	return re->m && re->m->off;
}

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

size_t procsel_top(const struct sample *s, const struct procsel_re *re, enum proc_sort sort,
                   size_t limit, size_t *out)
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
		if (re && !procsel_match(re, procsel_command(s, p)))
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

/* ---- the dashboard's ordered list ---- */

void procsel_rows_free(struct procsel_rows *r)
{
	free(r->row);
	memset(r, 0, sizeof *r);
}

/* The one place the dashboard's filter is applied: to the command as shown. */
static bool procsel_shown_matches(const struct sample *s, const struct sample_proc *p,
                                  const struct procsel_re *re)
{
	size_t size;
	char small[1024], *shown;
	bool match;

	if (!re)
		return true;
	/* the whole command as shown, however long: the matcher bounds its own cost */
	size = strlen(sample_str(s, p->cmdline)) + sizeof p->name + 4;
	shown = size <= sizeof small ? small : malloc(size);
	if (!shown) /* no memory for a long line: the first kilobyte */
		shown = small, size = sizeof small;
	proc_command(s, p, shown, size);
	match = procsel_match(re, shown);
	if (shown != small)
		free(shown);
	return match;
}

struct order_ctx {
	const struct sample *s;
	const struct proc_field_def *f;
	bool desc;
};

static int order_cmp(const struct order_ctx *c, size_t x, size_t y)
{
	const struct sample_proc *a = &c->s->procs[x], *b = &c->s->procs[y];
	bool ka = !c->f->known || c->f->known(c->s, a), kb = !c->f->known || c->f->known(c->s, b);
	int r;

	if (ka != kb)
		return ka ? -1 : 1; /* unknown last, whichever the direction */
	r = ka ? c->f->cmp(c->s, a, b) : 0;
	if (c->desc)
		r = -r;
	return r ? r : (a->pid > b->pid) - (a->pid < b->pid);
}

/* A stable merge sort of process indices (qsort has no context to hand the field to). */
static void order_sort(const struct order_ctx *c, size_t *v, size_t *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	order_sort(c, v, tmp, h);
	order_sort(c, v + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = order_cmp(c, v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

static int rows_grow(struct procsel_rows *out, size_t n)
{
	return array_grow((void **)&out->row, &out->cap, n, sizeof *out->row, 64);
}

struct pid_at {
	int pid;
	size_t pos; /* in the sorted list */
};

static int pid_at_cmp(const void *x, const void *y)
{
	const struct pid_at *a = x, *b = y;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

static const struct pid_at *pid_find(const struct pid_at *v, size_t n, int pid)
{
	struct pid_at key = { pid, 0 };
	return bsearch(&key, v, n, sizeof *v, pid_at_cmp);
}

struct walk {
	size_t pos; /* in the sorted list */
	unsigned depth;
	uint32_t lines;
	bool last;
};

/* Pushes pos's unvisited children, first child on top. */
static void push_children(struct walk *stack, size_t *nstack, const struct walk *w,
                          const size_t *first, const size_t *next, bool *seen)
{
	const size_t none = (size_t)-1;
	size_t cnt = 0, j = 0;
	uint32_t lines = w->lines;

	if (w->depth > 0 && w->depth < PROCSEL_TREE_LINES && !w->last)
		lines |= 1u << w->depth;
	for (size_t c = first[w->pos]; c != none; c = next[c])
		if (!seen[c])
			cnt++;
	for (size_t c = first[w->pos]; c != none; c = next[c]) {
		if (seen[c])
			continue;
		seen[c] = true;
		stack[*nstack + cnt - 1 - j] =
		    (struct walk){ c, w->depth + 1, lines, j == cnt - 1 };
		j++;
	}
	*nstack += cnt;
}

/* The tree: children lists in the sorted order, then a depth-first walk from every process
 * whose parent is not listed; what is left unvisited sits in a parent loop and is walked from
 * its first member. */
static int order_tree(const struct sample *s, const size_t *sorted, size_t n,
                      struct procsel_rows *out)
{
	const size_t none = (size_t)-1, m = n ? n : 1;
	struct pid_at *by_pid = malloc(m * sizeof *by_pid);
	size_t *first = malloc(m * sizeof *first), *next = malloc(m * sizeof *next);
	size_t *parent = malloc(m * sizeof *parent), *tail = malloc(m * sizeof *tail);
	struct walk *stack = malloc(m * sizeof *stack);
	bool *seen = calloc(m, sizeof *seen);
	size_t nstack = 0;
	int rc = -1;

	if (!by_pid || !first || !next || !parent || !tail || !stack || !seen || rows_grow(out, n))
		goto out;
	for (size_t i = 0; i < n; i++)
		by_pid[i] = (struct pid_at){ s->procs[sorted[i]].pid, i };
	qsort(by_pid, n, sizeof *by_pid, pid_at_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct sample_proc *p = &s->procs[sorted[i]];
		const struct pid_at *pa = p->ppid != p->pid ? pid_find(by_pid, n, p->ppid) : NULL;
		first[i] = next[i] = tail[i] = none;
		parent[i] = pa ? pa->pos : none;
	}
	for (size_t i = 0; i < n; i++) { /* appended in sorted order: siblings stay sorted */
		size_t p = parent[i];
		if (p == none)
			continue;
		if (first[p] == none)
			first[p] = i;
		else
			next[tail[p]] = i;
		tail[p] = i;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t r = 0; r < n; r++) {
			if (seen[r] || (pass == 0 && parent[r] != none))
				continue;
			seen[r] = true;
			stack[nstack++] = (struct walk){ r, 0, 0, true };
			while (nstack) {
				struct walk w = stack[--nstack];
				out->row[out->n++] =
				    (struct procsel_row){ sorted[w.pos],
					                  s->procs[sorted[w.pos]].pid, w.depth,
					                  w.lines, w.last };
				push_children(stack, &nstack, &w, first, next, seen);
			}
		}
	}
	rc = 0;
out:
	free(by_pid);
	free(first);
	free(next);
	free(parent);
	free(tail);
	free(stack);
	free(seen);
	return rc;
}

int procsel_order(const struct sample *s, const struct procsel_re *re, enum proc_field sort,
                  bool desc, bool tree, struct procsel_rows *out)
{
	struct order_ctx c = { s, &proc_fields[(unsigned)sort < PF_COUNT ? sort : PF_CPU], desc };
	size_t *v = malloc((s->nprocs ? s->nprocs : 1) * sizeof *v);
	size_t *tmp = malloc((s->nprocs ? s->nprocs : 1) * sizeof *tmp), n = 0;
	int rc = -1;

	out->n = 0;
	if (!v || !tmp)
		goto out;
	for (size_t i = 0; i < s->nprocs; i++)
		if (procsel_shown_matches(s, &s->procs[i], re))
			v[n++] = i;
	order_sort(&c, v, tmp, n);
	if (tree) {
		rc = order_tree(s, v, n, out);
	} else if (rows_grow(out, n) == 0) {
		for (size_t i = 0; i < n; i++)
			out->row[i] = (struct procsel_row){ v[i], s->procs[v[i]].pid, 0, 0, true };
		out->n = n;
		rc = 0;
	}
out:
	if (rc)
		out->n = 0;
	free(v);
	free(tmp);
	return rc;
}
