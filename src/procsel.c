#include "procsel.h"

#include <math.h>
#include <stdlib.h>

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
