/* main.c - start-up: options → source → loop (dashboard | headless), and the exit code */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "apple/decode.h"
#include "apple/dump.h"
#include "cmd_run.h"
#include "export/json.h"
#include "export/prometheus.h"
#include "export/text.h"
#include "options.h"
#include "run.h"
#include "sample.h"
#include "sampler.h"
#include "source/source.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/strbuf.h"

/* the only global mutable state: which signal asked us to stop, and the terminal as it was
 * before the dashboard (a crash handler can only reach globals) */
static volatile sig_atomic_t stop_signal;
static struct termios saved_tty;
static volatile sig_atomic_t tty_saved;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* A crash with the dashboard up: normal screen, cursor, colours and echo back, then die by the
 * same signal. Only async-signal-safe calls. */
static void on_fatal(int sig)
{
	static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";

	if (tty_saved) {
		ssize_t w = write(STDOUT_FILENO, reset, sizeof reset - 1);
		(void)w;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* the signals whose default action ends agtop (Ctrl-\ is SIGQUIT): each restores the terminal
 * first, then ends agtop by that default action */
static const int fatal_signals[] = {
	SIGQUIT, SIGUSR1, SIGUSR2, SIGABRT, SIGSEGV,   SIGBUS,  SIGFPE,
	SIGILL,  SIGTRAP, SIGSYS,  SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
};

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a wait or a blocking read returns EINTR and the loop sees the flag */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* a file size limit is a write error (EFBIG) that --record cuts back cleanly, not death
	 * in the middle of a line */
	signal(SIGXFSZ, SIG_IGN);
	/* every other signal that ends a process: the terminal back first, then the default
	 * action (a core dump where it makes one) */
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		sigaction(fatal_signals[i], &sa, NULL);
}

void run_terminal_saved(bool saved)
{
	if (saved && tcgetattr(STDIN_FILENO, &saved_tty) == 0)
		tty_saved = 1;
	else if (!saved)
		tty_saved = 0;
}

const volatile sig_atomic_t *run_stop_flag(void)
{
	return &stop_signal;
}

int run_stop_signal(void)
{
	return stop_signal;
}

int run_exit_code_for_signal(int sig)
{
	return sig == SIGINT ? 130 : 128 + sig;
}

/* Sleeps until the monotonic deadline; returns early (false) when a signal arrives. */
bool run_wait_until(double deadline)
{
	for (;;) {
		double left = deadline - clock_mono();
		struct timespec ts;

		if (stop_signal)
			return false;
		if (left <= 0)
			return true;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}

/* A source interrupted while it opened (a stop signal during a blocking read) is a stop, not
 * an error: the exit code says which signal. */
int run_open_failed(const struct error *err)
{
	if (stop_signal)
		return run_exit_code_for_signal(stop_signal);
	fprintf(stderr, "agtop: %s\n", err->msg);
	return 1;
}

/* After the last sample of a recording or stream: an endpoint keeps serving it until agtop is
 * stopped (a scraper sees the end, not an error); anything else is done. */
static void serve_after_end(struct sampler *r)
{
	if (!r->http)
		return;
	fprintf(stderr,
	        "agtop: no more samples after %ld; serving the last one on %s until stopped\n",
	        r->samples, http_url(r->http));
	while (run_wait_until(clock_mono() + 3600))
		;
}

/* Headless (--json or --headless): one JSON line per sample on stdout with --json, and the
 * --prometheus, --prometheus-textfile and --record outputs. */
static int run_headless(struct options *o)
{
	struct sampler r;
	struct error err;
	double deadline;
	int rc = 0;

	if (sampler_open(&r, o, &err))
		return run_open_failed(&err);
	r.stop = &stop_signal;
	if (r.http)
		fprintf(stderr, "agtop: serving metrics on %s\n", http_url(r.http));
	deadline = clock_mono() + sampler_next_delay(&r);
	for (;;) {
		enum sampler_status st;

		if (!run_wait_until(deadline))
			break;
		st = sampler_next(&r, &err);
		if (r.warn.msg[0]) {
			fprintf(stderr, "agtop: %s\n", r.warn.msg);
			error_clear(&r.warn);
		}
		if (st == SAMPLER_ERROR) {
			fprintf(stderr, "agtop: %s\n", err.msg);
			rc = 1;
			break;
		}
		if (st == SAMPLER_END) {
			serve_after_end(&r);
			break;
		}
		if (st == SAMPLER_SAMPLE && o->json) {
			if (fwrite(r.line.buf, 1, r.line.len, stdout) != r.line.len ||
			    fflush(stdout) != 0) {
				if (errno != EPIPE) {
					fprintf(stderr,
					        "agtop: cannot write to standard output: %s\n",
					        strerror(errno));
					rc = 1;
				}
				break; /* a closed pipe (agtop --json | head) is a normal end */
			}
		}
		if (st == SAMPLER_SAMPLE && o->count > 0 && r.samples >= o->count)
			break;
		{
			double now = clock_mono(), delay = sampler_next_delay(&r);
			deadline += delay;
			if (deadline < now - delay) /* fell far behind (suspend): start afresh */
				deadline = now + delay;
		}
	}
	sampler_close(&r);
	if (stop_signal && rc == 0)
		rc = run_exit_code_for_signal(stop_signal);
	return rc;
}

/* --decode-dump: the Apple decoder over a dump's readings, on any platform. */
static int run_decode_dump(struct options *o)
{
	struct apple_dump d;
	struct apple_decoder dec;
	struct error err;
	struct sample s;
	struct strbuf b;
	int rc = 0;

	if (apple_dump_load(o->decode_dump, &d, &err)) {
		fprintf(stderr, "agtop: --decode-dump %s\n", err.msg);
		return 1;
	}
	if (apple_decoder_init(&dec, &d.host, &d.pmgr)) {
		apple_dump_free(&d);
		fprintf(stderr, "agtop: out of memory\n");
		return 1;
	}
	sample_init(&s);
	sb_init(&b);
	for (unsigned i = 1; i < d.nreadings; i++) {
		struct json_write_opts jo = { o->has_proc_re ? &o->proc_re : NULL, JSON_MAX_PROCS };
		sample_reset(&s);
		if (apple_decode(&dec, &d.reading[i - 1], &d.reading[i], d.group, d.ngroups, &s)) {
			fprintf(stderr, "agtop: --decode-dump %s: out of memory\n", o->decode_dump);
			rc = 1;
			break;
		}
		s.seq = i;
		snprintf(s.source, sizeof s.source, "ioreport");
		sb_clear(&b);
		if (o->json) {
			json_write_sample(&b, &s, &jo);
			sb_putc(&b, '\n');
		} else {
			text_write_sample(&b, &s);
			sb_putc(&b, '\n');
		}
		fputs(b.buf, stdout);
	}
	sb_free(&b);
	sample_free(&s);
	apple_decoder_free(&dec);
	apple_dump_free(&d);
	if (fflush(stdout) != 0 && errno != EPIPE)
		rc = 1;
	return rc;
}

/* stat of an input as the source will open it ("-" is standard input); false when absent */
static bool input_identity(const char *path, struct stat *st)
{
	if (!path[0])
		return false;
	if (!strcmp(path, "-"))
		return fstat(STDIN_FILENO, st) == 0;
	return stat(path, st) == 0;
}

/* An output that is one of the inputs (or the other output) under another name: compared by
 * device and inode, as `--replay f --record ./f` would otherwise replay its own output without
 * end. */
static int check_outputs(const struct options *o, struct error *err)
{
	const struct {
		const char *path, *arg, *what;
	} out[] = {
		{ o->record, "--record", "record into" },
		{ o->prom_textfile, "--prometheus-textfile", "write metrics over" },
	};
	struct stat in[2], st, rec;
	bool have[2] = { input_identity(o->replay, &in[0]),
		         input_identity(o->powermetrics_input, &in[1]) };
	bool have_rec = o->record[0] && stat(o->record, &rec) == 0;

	for (unsigned i = 0; i < sizeof out / sizeof out[0]; i++) {
		if (!out[i].path[0] || stat(out[i].path, &st) != 0)
			continue;
		for (int k = 0; k < 2; k++)
			if (have[k] && file_same(&st, &in[k]))
				return error_set(
				    err,
				    "agtop: error: argument %s: cannot %s the file being "
				    "%s (%s is %s)",
				    out[i].arg, out[i].what, k ? "read" : "replayed", out[i].path,
				    k ? o->powermetrics_input : o->replay);
		if (i > 0 && have_rec && file_same(&st, &rec))
			return error_set(err,
			                 "agtop: error: argument %s: cannot write metrics over the "
			                 "--record file (%s is %s)",
			                 out[i].arg, out[i].path, o->record);
	}
	return 0;
}

static const char *real_getenv(const char *name)
{
	return getenv(name);
}

int main(int argc, char **argv)
{
	enum options_result r;
	struct options o;
	struct error err;
	int rc;

	/* wide characters for the dashboard; numbers keep the C locale (JSON, Prometheus) */
	setlocale(LC_CTYPE, "");
	/* subcommands come before the options: agtop run [options] -- CMD */
	if (argc > 1 && !strcmp(argv[1], "run")) {
		install_signals();
		return cmd_run(argc - 1, argv + 1, real_getenv);
	}
	r = options_parse(&o, argc, argv, real_getenv, &err);
	if (r != OPTIONS_RUN) {
		rc = options_act(r, &o, &err);
		options_free(&o);
		return rc;
	}
	if (check_outputs(&o, &err)) {
		rc = options_act(OPTIONS_USAGE, &o, &err);
		options_free(&o);
		return rc;
	}
	if (o.warnings[0])
		fputs(o.warnings, stderr);
	install_signals();
	if (o.decode_dump[0]) {
		rc = run_decode_dump(&o);
	} else if (o.dump_ioreport[0]) {
		rc = platform_dump_ioreport(&o, &err) ? 1 : 0;
		if (rc)
			fprintf(stderr, "agtop: %s\n", err.msg);
	} else if (o.summary) {
		rc = cmd_summary(&o);
	} else {
		rc = o.json || o.headless ? run_headless(&o) : dashboard_run(&o);
	}
	options_free(&o);
	return rc;
}
