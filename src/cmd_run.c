/* cmd_run.c - `agtop run [options] -- CMD [ARGS...]`: start the command, sample the machine
 * while it runs, and print what it cost (src/history/ledger.c, src/export/summary.c) */
#include "cmd_run.h"

#include <errno.h>
#include <fcntl.h>
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

/* text on stderr after a command (its own output stays on stdout), on stdout for a recording */
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
		FILE *out = c ? stderr : stdout;
		summary_text(&b, l, c);
		if (b.oom || fwrite(b.buf, 1, b.len, out) != b.len || fflush(out) != 0)
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

/* ---- agtop run --dashboard ---- */

struct dash_run {
	struct runner rn;
	struct ledger l;
};

static void on_sample(void *ctx, const struct sample *s)
{
	ledger_add(&((struct dash_run *)ctx)->l, s);
}

static bool on_done(void *ctx)
{
	return runner_poll(&((struct dash_run *)ctx)->rn);
}

/* The command's output, kept in an unlinked temporary file while the dashboard has the
 * terminal (a file never makes the command wait, as a full pipe would), copied out after. */
static int output_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[1024];
	int fd;

	snprintf(path, sizeof path, "%s/agtop-run-XXXXXX", dir && dir[0] ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	return fd;
}

static void copy_out(int fd)
{
	char buf[65536];
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
	fflush(stdout);
}

static int run_with_dashboard(struct options *o, char *const *cmd)
{
	struct dash_run dr;
	struct dash_hooks hooks = { on_sample, on_done, &dr };
	struct summary_cmd c;
	struct error err;
	char how[96];
	int out, rc;

	/* refused before the command starts, not after */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "agtop run: --dashboard needs a terminal on standard input and "
		                "output; without it agtop run prints only the summary\n");
		return 1;
	}
	out = output_file();
	if (out < 0) {
		fprintf(stderr, "agtop: cannot make a file for the command's output: %s\n",
		        strerror(errno));
		return 1;
	}
	if (runner_start(&dr.rn, cmd, out, &rc, &err)) {
		fprintf(stderr, "agtop: %s\n", err.msg);
		close(out);
		return rc;
	}
	ledger_init(&dr.l, dr.rn.pid, dr.rn.subreaper ? (int)getpid() : 0);
	dashboard_run_hooked(o, &hooks);
	if (!dr.rn.exited) { /* q closed the dashboard first */
		fprintf(stderr, "agtop run: waiting for %s (pid %d) to end; Ctrl-C passes to it\n",
		        cmd[0], (int)dr.rn.pid);
		runner_wait(&dr.rn);
	}
	runner_close(&dr.rn);
	copy_out(out);
	close(out);
	fill_cmd(&c, &dr.rn, cmd, how, sizeof how);
	if (print_summary(&dr.l, &c, o->json) != 0 && errno != EPIPE)
		fprintf(stderr, "agtop: cannot write the summary: %s\n", strerror(errno));
	return runner_exit_code(&dr.rn);
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
	if (o.dashboard) {
		sampler_close(&r); /* the dashboard opens its own */
		rc = run_with_dashboard(&o, argv + dd + 1);
		options_free(&o);
		return rc;
	}
	if (runner_start(&rn, argv + dd + 1, -1, &rc, &err)) {
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

int cmd_summary(struct options *o)
{
	struct sampler r;
	struct ledger l;
	struct error err;
	unsigned long n = 0;
	int rc = 0;

	/* the recording's own times are in its samples: read as fast as it can be */
	o->replay_speed = 0;
	if (sampler_open(&r, o, &err))
		return run_open_failed(&err);
	r.stop = run_stop_flag();
	ledger_init(&l, 0, 0);
	for (;;) {
		enum sampler_status st = sampler_next(&r, &err);
		if (r.warn.msg[0]) { /* a damaged line skipped */
			fprintf(stderr, "agtop: %s\n", r.warn.msg);
			error_clear(&r.warn);
		}
		if (st == SAMPLER_SAMPLE) {
			ledger_add(&l, &r.cur);
			n++;
		} else if (st == SAMPLER_ERROR) {
			fprintf(stderr, "agtop: %s (the summary covers the %lu samples before)\n",
			        err.msg, n);
			rc = 1;
			break;
		} else if (st == SAMPLER_END || run_stop_signal()) {
			break;
		} else if (st == SAMPLER_AGAIN && !run_wait_until(clock_mono() + 0.05)) {
			break;
		}
	}
	sampler_close(&r);
	if (run_stop_signal())
		return run_exit_code_for_signal(run_stop_signal());
	if (!n) {
		fprintf(stderr, "agtop: --summary: the recording holds no sample\n");
		return 1;
	}
	if (print_summary(&l, NULL, o->json) != 0 && errno != EPIPE) {
		fprintf(stderr, "agtop: cannot write the summary: %s\n", strerror(errno));
		return 1;
	}
	return rc;
}
