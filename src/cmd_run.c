/* cmd_run.c - `agtop run [options] -- CMD [ARGS...]`: start the command, sample the machine
 * while it runs, and print what it cost (src/history/ledger.c, src/export/summary.c) */
#include "cmd_run.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "export/summary.h"
#include "history/ledger.h"
#include "options.h"
#include "run.h"
#include "runner.h"
#include "sampler.h"
#include "util/clock.h"
#include "util/strbuf.h"

#define RUN_USAGE "usage: agtop run [options] -- COMMAND [ARGS...]\n"

static double tv_s(const struct timeval *t)
{
	return (double)t->tv_sec + (double)t->tv_usec / 1e6;
}

/* ru_maxrss is in kilobytes on Linux, in bytes on macOS */
static double maxrss_bytes(long v)
{
#if defined(__APPLE__)
	return (double)v;
#else
	return (double)v * 1024.0;
#endif
}

static void fill_cmd(struct summary_cmd *c, const struct runner *rn, char *const *argv, char *how,
                     size_t howsize)
{
	memset(c, 0, sizeof *c);
	c->argv = argv;
	c->exit_code = runner_exit_code(rn);
	c->signal =
	    c->exit_code > 128 && rn->exited && !WIFEXITED(rn->status) ? c->exit_code - 128 : 0;
	c->how = runner_describe(rn, how, howsize);
	c->wall_s = rn->t_end - rn->t_start;
	c->user_s = tv_s(&rn->ru.ru_utime) + tv_s(&rn->orphans.ru_utime);
	c->sys_s = tv_s(&rn->ru.ru_stime) + tv_s(&rn->orphans.ru_stime);
	c->max_rss_bytes = maxrss_bytes(
	    rn->ru.ru_maxrss > rn->orphans.ru_maxrss ? rn->ru.ru_maxrss : rn->orphans.ru_maxrss);
}

static int print_summary(const struct ledger *l, const struct summary_cmd *c, bool json)
{
	struct strbuf b;
	int rc = 0;

	sb_init(&b);
	if (json) {
		if (summary_json(&b, l, c) == 0) {
			sb_putc(&b, '\n');
			if (fwrite(b.buf, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
				rc = -1;
		} else {
			rc = -1;
		}
	} else {
		summary_text(&b, l, c);
		if (b.oom || fwrite(b.buf, 1, b.len, stderr) != b.len)
			rc = -1;
	}
	sb_free(&b);
	return rc;
}

/* Samples until the command exits: one reading per interval, and one more the moment it ends,
 * so the energy up to its exit is counted. A sampling error stops the sampling, never the
 * command: agtop then only waits for it. */
static void sample_while_running(struct sampler *r, struct runner *rn, struct ledger *l)
{
	struct error err;
	double deadline = clock_mono() + sampler_next_delay(r);
	bool running = true, sampling = true;

	while (sampling) {
		enum sampler_status st;

		if (running)
			running = runner_sleep_until(rn, deadline);
		st = sampler_next(r, &err);
		if (st == SAMPLER_SAMPLE)
			ledger_add(l, &r->cur);
		else if (st == SAMPLER_ERROR || st == SAMPLER_END) {
			fprintf(stderr, "agtop: sampling stopped: %s; waiting for the command\n",
			        st == SAMPLER_ERROR ? err.msg : "the source has no more samples");
			break;
		}
		if (!running)
			break;
		deadline += sampler_next_delay(r);
		if (deadline < clock_mono())
			deadline = clock_mono() + sampler_next_delay(r);
	}
	runner_wait(rn);
}

int cmd_run(int argc, char **argv, options_getenv_fn env)
{
	struct options o;
	struct error err;
	struct sampler r;
	struct runner rn;
	struct ledger l;
	struct summary_cmd c;
	char how[96], **oargv;
	int dd = -1, oargc = 0, rc;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dd = i;
			break;
		}
	if (dd < 0 || dd + 1 >= argc) {
		fprintf(stderr, RUN_USAGE "agtop run: give the command after --, as in "
		                          "agtop run -- make -j8 (see agtop --help)\n");
		return 2;
	}
	/* the options before -- are agtop's own, parsed as for agtop itself */
	oargv = calloc((size_t)dd + 1, sizeof *oargv);
	if (!oargv) {
		fprintf(stderr, "agtop: out of memory\n");
		return 1;
	}
	oargv[oargc++] = argv[0];
	for (int i = 1; i < dd; i++)
		oargv[oargc++] = argv[i];
	rc = options_parse(&o, oargc, oargv, env, &err);
	free(oargv);
	if (rc != OPTIONS_RUN) {
		rc = options_act((enum options_result)rc, &o, &err);
		options_free(&o);
		return rc;
	}
	if (o.replay[0] || o.decode_dump[0] || o.dump_ioreport[0]) {
		fprintf(stderr, RUN_USAGE "agtop run: samples this machine while the command runs; "
		                          "for a recording use agtop --replay FILE --summary\n");
		options_free(&o);
		return 2;
	}
	if (o.warnings[0])
		fputs(o.warnings, stderr);

	/* the source first: its priming reading is the start of the first interval */
	if (sampler_open(&r, &o, &err)) {
		fprintf(stderr, "agtop: %s\n", err.msg);
		options_free(&o);
		return 1;
	}
	r.stop = run_stop_flag();
	if (runner_start(&rn, argv + dd + 1, &rc, &err)) {
		fprintf(stderr, "agtop: %s\n", err.msg);
		sampler_close(&r);
		options_free(&o);
		return rc;
	}
	ledger_init(&l, rn.pid, rn.subreaper ? (int)getpid() : 0);
	sample_while_running(&r, &rn, &l);
	runner_close(&rn);
	sampler_close(&r);

	fill_cmd(&c, &rn, argv + dd + 1, how, sizeof how);
	rc = runner_exit_code(&rn);
	if (print_summary(&l, &c, o.json) != 0 && errno != EPIPE)
		fprintf(stderr, "agtop: cannot write the summary: %s\n", strerror(errno));
	options_free(&o);
	return rc;
}
