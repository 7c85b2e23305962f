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

#include <curses.h>

#include "apple/decode.h"
#include "apple/dump.h"
#include "cmd_run.h"
#include "export/json.h"
#include "export/prometheus.h"
#include "export/text.h"
#include "history/history.h"
#include "options.h"
#include "run.h"
#include "sample.h"
#include "source/source.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "view/dashboard.h"
#include "view/screen_curses.h"
#include "view/theme.h"
#include "view/ui.h"

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

int run_open(struct run *r, struct options *o, struct error *err)
{
	memset(r, 0, sizeof *r);
	r->o = o;
	sample_init(&r->cur);
	sb_init(&r->line);
	sb_init(&r->prom);
	r->jopts.filter = o->has_proc_re ? &o->proc_re : NULL;
	r->jopts.max_procs = JSON_MAX_PROCS;
	r->hint.all = o->has_proc_re;
	r->hint.sort = PROC_SORT_CPU;
	r->hint.rows = JSON_MAX_PROCS > SOURCE_PROC_ROWS ? JSON_MAX_PROCS : SOURCE_PROC_ROWS;
	r->record.fd = -1;
	/* outputs are checked before the source starts, so an unwritable file is an error at
	 * once */
	if (o->prom_textfile[0] && file_replace_check(o->prom_textfile, err))
		return error_prefix(err, "cannot write --prometheus-textfile %s", o->prom_textfile);
	if (o->record[0] && file_log_open(&r->record, o->record, err))
		return error_prefix(err, "cannot open --record file %s", o->record);
	if (o->prometheus) {
		struct http_limits l;
		http_limits_default(&l);
		if (http_start(&r->http, o->prom_host, o->prom_port, &l,
		               (unsigned)o->prom_processes, o->interval, err))
			goto fail;
	}
	if (source_open_default(&r->src, o, err))
		goto fail;
	return 0;
fail:
	http_stop(r->http);
	r->http = NULL;
	file_log_close(&r->record);
	return -1;
}

void run_close(struct run *r)
{
	http_stop(r->http);
	r->http = NULL;
	source_close(&r->src);
	if (r->record.fd >= 0 && file_log_close(&r->record) != 0)
		fprintf(stderr, "agtop: error closing --record file %s: %s\n", r->o->record,
		        strerror(errno));
	sample_free(&r->cur);
	sb_free(&r->line);
	sb_free(&r->prom);
}

/* --prometheus-textfile: written to a new file beside the target and renamed over it, so
 * node_exporter's textfile collector never reads half a file (util/file.h: never through a link,
 * never over anything but a regular file). */
static int write_textfile(struct run *r, struct error *err)
{
	struct prom_opts po = { PROM_TEXT, (unsigned)r->o->prom_processes };

	sb_clear(&r->prom);
	prom_write(&r->prom, &r->cur, &po);
	if (r->prom.oom)
		return error_set(err, "out of memory writing metrics");
	if (file_replace(r->o->prom_textfile, r->prom.buf, r->prom.len, err))
		return error_prefix(err, "cannot write --prometheus-textfile %s",
		                    r->o->prom_textfile);
	return 0;
}

double run_next_delay(struct run *r)
{
	return source_next_delay(&r->src, r->o->interval);
}

enum run_status run_next(struct run *r, struct error *err)
{
	enum source_status st;

	/* --max_count: restart the source every N samples, as the original restarts powermetrics */
	if (r->o->max_count > 0 && r->since_restart >= r->o->max_count && !r->o->replay[0] &&
	    !r->o->powermetrics_input[0]) { /* a stream agtop did not start is not restarted */
		source_close(&r->src);
		if (source_open_default(&r->src, r->o, err))
			return RUN_ERROR;
		r->since_restart = 0;
		return RUN_RESTARTED; /* no sample: the new source needs one interval */
	}
	r->src.hint = r->hint;
	r->src.stop = &stop_signal;
	st = source_read(&r->src, &r->cur, err);
	if (r->src.warn.msg[0]) {
		r->warn = r->src.warn;
		error_clear(&r->src.warn);
	}
	if (st != SOURCE_SAMPLE)
		return (enum run_status)st;
	r->since_restart++;
	r->samples++;
	sb_clear(&r->line);
	json_write_sample(&r->line, &r->cur, &r->jopts);
	if (r->line.oom) {
		error_set(err, "out of memory writing a sample");
		return RUN_ERROR;
	}
	sb_putc(&r->line, '\n');
	if (r->jopts.filter && procsel_switched_off(r->jopts.filter) && !r->filter_off_told) {
		error_set(&r->warn,
		          "--proc-filter %.200s switched off: too costly to match on a command "
		          "line (every process is written from now on)",
		          r->o->proc_filter);
		r->filter_off_told = true;
	}
	if (r->o->prom_textfile[0] && write_textfile(r, err))
		return RUN_ERROR;
	if (r->http && http_publish(r->http, &r->cur, err))
		return RUN_ERROR;
	if (r->record.fd >= 0) {
		/* a failed write is cut back to the last whole line (util/file.h) */
		if (file_log_append(&r->record, r->line.buf, r->line.len) != 0) {
			error_set(err,
			          "cannot write --record file %s: %s (the samples before this one "
			          "are saved)",
			          r->o->record, strerror(errno));
			return RUN_ERROR;
		}
	}
	return RUN_SAMPLE;
}

/* A source interrupted while it opened (a stop signal during a blocking read) is a stop, not
 * an error: the exit code says which signal. */
static int open_failed(const struct error *err)
{
	if (stop_signal)
		return run_exit_code_for_signal(stop_signal);
	fprintf(stderr, "agtop: %s\n", err->msg);
	return 1;
}

/* After the last sample of a recording or stream: an endpoint keeps serving it until agtop is
 * stopped (a scraper sees the end, not an error); anything else is done. */
static void serve_after_end(struct run *r)
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
	struct run r;
	struct error err;
	double deadline;
	int rc = 0;

	if (run_open(&r, o, &err))
		return open_failed(&err);
	if (r.http)
		fprintf(stderr, "agtop: serving metrics on %s\n", http_url(r.http));
	deadline = clock_mono() + run_next_delay(&r);
	for (;;) {
		enum run_status st;

		if (!run_wait_until(deadline))
			break;
		st = run_next(&r, &err);
		if (r.warn.msg[0]) {
			fprintf(stderr, "agtop: %s\n", r.warn.msg);
			error_clear(&r.warn);
		}
		if (st == RUN_ERROR) {
			fprintf(stderr, "agtop: %s\n", err.msg);
			rc = 1;
			break;
		}
		if (st == RUN_END) {
			serve_after_end(&r);
			break;
		}
		if (st == RUN_SAMPLE && o->json) {
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
		if (st == RUN_SAMPLE && o->count > 0 && r.samples >= o->count)
			break;
		{
			double now = clock_mono(), delay = run_next_delay(&r);
			deadline += delay;
			if (deadline < now - delay) /* fell far behind (suspend): start afresh */
				deadline = now + delay;
		}
	}
	run_close(&r);
	if (stop_signal && rc == 0)
		rc = run_exit_code_for_signal(stop_signal);
	return rc;
}

static int translate_key(int ch)
{
	switch (ch) {
	case KEY_RESIZE:
		return UI_KEY_RESIZE;
	case 27:
		return UI_KEY_ESC;
	case '\n':
	case '\r':
	case KEY_ENTER:
		return UI_KEY_ENTER;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return UI_KEY_BACKSPACE;
	default:
		return ch;
	}
}

static bool gradient_on(const struct options *o, enum render_mode mode)
{
	/* AGTOP_GRADIENT unset: gradients whenever colours are dynamic (the original) */
	return o->gradient < 0 ? mode != RENDER_MONO : o->gradient == 1;
}

/* The dashboard: progress lines while the first interval is measured, then curses. */
static int run_dashboard(struct options *o)
{
	struct run r;
	struct error err;
	struct history h;
	struct ui ui;
	struct theme theme;
	struct term_caps caps;
	struct screen *sc = NULL;
	enum render_mode mode;
	double deadline;
	bool have = false, ended = false, dirty = true;
	int rc = 0;

	screen_caps(&caps);
	if (!caps.is_tty) {
		fprintf(stderr,
		        "agtop: the dashboard needs a terminal on standard input and output; "
		        "without one use --json, or --headless with --prometheus, "
		        "--prometheus-textfile or --record\n");
		return 1;
	}
	mode = theme_detect(o, &caps);
	theme_init(&theme, mode, o->color, gradient_on(o, mode));
	printf("[1/3] Loading agtop %s ...\n", AGTOP_VERSION);
	fflush(stdout);
	if (run_open(&r, o, &err))
		return open_failed(&err);
	printf("[2/3] Backend: %s ...\n", r.src.ops->name);
	if (r.http)
		printf("      Serving metrics on %s\n", http_url(r.http));
	printf("[3/3] Waiting for first reading ...\n");
	fflush(stdout);
	ui_init(&ui, o);

	/* the first frame as soon as the first interval is measured */
	deadline = clock_mono() + run_next_delay(&r);
	while (!have) {
		enum run_status st;
		if (!run_wait_until(deadline))
			goto out;
		st = run_next(&r, &err);
		if (st == RUN_ERROR || st == RUN_END) {
			fprintf(stderr, "agtop: %s\n", st == RUN_ERROR ? err.msg : "no samples");
			rc = 1;
			goto out;
		}
		if (st == RUN_SAMPLE)
			have = true;
		deadline = clock_mono() + run_next_delay(&r);
	}
	history_init(&h, o, r.cur.host.chip);
	history_update(&h, &r.cur);

	if (tcgetattr(STDIN_FILENO, &saved_tty) == 0)
		tty_saved = 1;
	if (screen_open(&sc, mode, &err)) {
		fprintf(stderr, "agtop: %s\n", err.msg);
		rc = 1;
		goto out_history;
	}
	for (;;) {
		int key, wait_ms;
		double now;

		if (stop_signal)
			break;
		if (dirty) {
			screen_resize(sc);
			view_draw(screen_surface(sc), &r.cur, &h, &ui.vs, &theme);
			screen_flush(sc);
			/* a filter over its budget is off: the next frame says so, unfiltered */
			dirty = ui_filter_check(&ui) == UI_REDRAW;
		}
		now = clock_mono();
		wait_ms = ended ? -1 : (int)((deadline - now) * 1000.0 + 0.999);
		if (!ended && wait_ms <= 0) {
			enum run_status st;
			r.hint.all = ui.has_re;
			r.hint.sort = ui.vs.sort;
			st = run_next(&r, &err);
			if (r.warn.msg[0]) {
				snprintf(ui.vs.message, sizeof ui.vs.message, "%s", r.warn.msg);
				error_clear(&r.warn);
				dirty = true;
			}
			if (st == RUN_SAMPLE) {
				if (!ui.vs.paused)
					history_update(&h, &r.cur);
				dirty = !ui.vs.paused;
				if (o->count > 0 && r.samples >= o->count) {
					screen_resize(sc);
					view_draw(screen_surface(sc), &r.cur, &h, &ui.vs, &theme);
					screen_flush(sc);
					goto done;
				}
			} else if (st == RUN_END) {
				ended = true;
				snprintf(ui.vs.message, sizeof ui.vs.message,
				         "replay finished (q quits)");
				dirty = true;
			} else if (st == RUN_ERROR) {
				ended = true;
				rc = 1;
				snprintf(ui.vs.message, sizeof ui.vs.message, "%s", err.msg);
				dirty = true;
			}
			{
				double delay = run_next_delay(&r);
				deadline += delay;
				if (deadline < now - delay)
					deadline = now + delay;
			}
			continue;
		}
		key = screen_key(sc, wait_ms);
		if (key == KEY_NONE || key == KEY_INTR)
			continue;
		switch (ui_key(&ui, translate_key(key))) {
		case UI_QUIT:
			goto done;
		case UI_REDRAW:
			dirty = true;
			break;
		case UI_NONE:
			break;
		}
	}
done:
	screen_close(sc);
	tty_saved = 0;
	if (rc && ui.vs.message[0])
		fprintf(stderr, "agtop: %s\n", ui.vs.message);
out_history:
	history_free(&h);
out:
	ui_free(&ui);
	run_close(&r);
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
	} else {
		rc = o.json || o.headless ? run_headless(&o) : run_dashboard(&o);
	}
	options_free(&o);
	return rc;
}
