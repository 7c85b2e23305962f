/* dashboard_loop.c - the dashboard: samples, keys and frames until q, a stop signal or --count.
 *
 * The sample on screen is a copy (shown) that only this loop replaces: while paused it stays,
 * whatever arrives, and every redraw (a resize, the help, a theme, a new sort) draws it again
 * with the history as it was when the pause began. A recording waits while paused and steps
 * one sample at a time; a step back replays it from the start into a fresh history. Only this
 * loop sends signals (kill(2)), after the confirmation the view asked for. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "history/history.h"
#include "run.h"
#include "sampler.h"
#include "util/clock.h"
#include "view/dashboard.h"
#include "view/screen_curses.h"
#include "view/theme.h"
#include "view/ui.h"

/* The first reading covers this much (or the interval, when shorter), so the first full frame
 * comes at once whatever the interval, as htop's first update does. */
#define FIRST_READING_S 0.08

struct dash {
	struct options *o;
	struct sampler r;
	struct history h;      /* every sample shown */
	struct history frozen; /* h when the pause began (live: h goes on meanwhile) */
	bool have_h, have_frozen;
	struct sample shown; /* the sample on screen */
	bool have;
	bool newer; /* live and paused: r.cur holds a sample newer than the one shown */
	struct ui ui;
	struct theme theme;
	enum render_mode mode;
	bool gradient;
	struct screen *sc;
	double deadline;
	bool ended;              /* no more samples: the end of a recording, or an error */
	unsigned long delivered; /* a recording: samples that went through the outputs */
	int rc;
	bool dirty, quit;
	const struct dash_hooks *hooks; /* agtop run --dashboard, NULL otherwise */
};

static bool gradient_on(const struct options *o, enum render_mode mode)
{
	/* AGTOP_GRADIENT unset: gradients whenever colours are dynamic (the original) */
	return o->gradient < 0 ? mode != RENDER_MONO : o->gradient == 1;
}

static const struct history *drawn_history(const struct dash *d)
{
	return d->have_frozen ? &d->frozen : d->have_h ? &d->h : NULL;
}

static void draw(struct dash *d)
{
	screen_resize(d->sc);
	view_draw(screen_surface(d->sc), d->have ? &d->shown : NULL, drawn_history(d), &d->ui.vs,
	          &d->theme);
	screen_flush(d->sc);
	/* a filter over its matching budget is off: the next frame says so, unfiltered */
	d->dirty = (ui_filter_check(&d->ui) & UI_REDRAW) != 0;
}

static void progress(struct dash *d)
{
	unsigned long pos, total;

	if (source_progress(&d->r.src, &pos, &total)) {
		d->ui.vs.pos = pos;
		d->ui.vs.total = total;
	}
}

static void into_history(struct dash *d, const struct sample *s)
{
	if (!d->have_h) {
		history_init(&d->h, d->o, s->host.chip);
		d->have_h = true;
	}
	history_update(&d->h, s);
}

/* r.cur becomes the sample on screen (and goes into the history, unless it is there). */
static void show(struct dash *d, bool history)
{
	if (history)
		into_history(d, &d->r.cur);
	if (sample_copy(&d->shown, &d->r.cur) != 0) {
		ui_message(&d->ui, true, "out of memory: the screen shows an older sample");
		return;
	}
	d->have = true;
	d->newer = false;
	ui_show(&d->ui, &d->shown);
	progress(d);
	d->dirty = true;
}

static void schedule(struct dash *d)
{
	double now = clock_mono(), delay = sampler_next_delay(&d->r);

	d->deadline += delay;
	if (d->deadline < now - delay) /* fell far behind (suspend): start afresh */
		d->deadline = now + delay;
}

/* Reads the next sample; shows it unless the live screen is paused. */
static void take(struct dash *d)
{
	struct error err;
	enum sampler_status st;

	d->r.mute = d->ui.vs.replay && d->ui.vs.pos < d->delivered;
	st = sampler_next(&d->r, &err);
	if (d->r.warn.msg[0]) { /* a damaged recording line skipped, a filter switched off */
		ui_message(&d->ui, true, "%s", d->r.warn.msg);
		error_clear(&d->r.warn);
		d->dirty = true;
	}
	if (st == SAMPLER_SAMPLE) {
		if (d->hooks && d->hooks->sample)
			d->hooks->sample(d->hooks->ctx, &d->r.cur);
		if (d->ui.vs.replay && !d->r.mute)
			d->delivered = d->ui.vs.pos + 1;
		if (d->ui.vs.paused && !d->ui.vs.replay) {
			into_history(d, &d->r.cur); /* behind the frozen screen; shown on resume */
			d->newer = true;
		} else {
			show(d, true);
		}
		if (d->o->count > 0 && d->r.samples >= d->o->count)
			d->quit = true;
	} else if (st == SAMPLER_END) {
		d->ended = true;
		d->ui.vs.ended = true;
		progress(d);
		ui_message(&d->ui, false, "end of recording \xC2\xB7 R restarts \xC2\xB7 q quits");
		d->dirty = true;
	} else if (st == SAMPLER_ERROR) {
		d->ended = true;
		d->rc = 1;
		ui_message(&d->ui, true, "%s", err.msg);
		d->dirty = true;
	}
}

/* A recording from its first sample to sample `to`, into a fresh history, without writing
 * anything out again. */
static void replay_to(struct dash *d, unsigned long to)
{
	struct error err;

	if (!strcmp(d->o->replay, "-")) { /* a pipe is read once */
		ui_message(&d->ui, false, "a recording read from standard input cannot go back");
		return;
	}
	source_close(&d->r.src);
	if (source_open_default(&d->r.src, d->o, &err)) {
		d->ended = true;
		d->rc = 1;
		ui_message(&d->ui, true, "%s", err.msg);
		return;
	}
	if (d->have_h)
		history_free(&d->h);
	d->have_h = false;
	d->ended = d->ui.vs.ended = false;
	d->ui.vs.message[0] = '\0';
	d->r.src.stop = d->r.stop;
	for (unsigned long i = 0; i < to; i++) {
		enum source_status st;
		while ((st = source_read(&d->r.src, &d->r.cur, &err)) == SOURCE_AGAIN &&
		       !run_stop_signal())
			; /* a long run of blank lines: the replay reads on */
		if (st != SOURCE_SAMPLE)
			break;
		into_history(d, &d->r.cur);
	}
	show(d, false);
	d->deadline = clock_mono() + sampler_next_delay(&d->r);
}

static void step(struct dash *d, int dir)
{
	if (dir < 0) {
		if (d->ui.vs.pos <= 1)
			ui_message(&d->ui, false, "this is the first sample");
		else
			replay_to(d, d->ui.vs.pos - 1);
	} else if (d->ended) {
		ui_message(&d->ui, false, "end of recording \xC2\xB7 R restarts \xC2\xB7 q quits");
	} else {
		take(d);
	}
	d->dirty = true;
}

static void set_pause(struct dash *d)
{
	if (d->have_frozen)
		history_free(&d->frozen);
	d->have_frozen = false;
	if (d->ui.vs.paused) {
		/* live: the history goes on behind the frozen screen */
		if (!d->ui.vs.replay && d->have_h)
			d->have_frozen = history_copy(&d->frozen, &d->h) == 0;
	} else {
		if (d->newer)
			show(d, false); /* what came while paused: the history has it already */
		if (d->ui.vs.replay && !d->ended)
			d->deadline = clock_mono() + sampler_next_delay(&d->r);
	}
}

/* k, confirmed: the one place agtop sends a signal. */
static void send_signal(struct dash *d)
{
	int pid = d->ui.kill_pid, sig = d->ui.kill_sig;
	const char *name = "?";

	for (size_t i = 0; i < ui_nsignals; i++)
		if (ui_signals[i].sig == sig)
			name = ui_signals[i].name;
	if (pid <= 0) /* never a process group or every process */
		return;
	if (kill(pid, sig) == 0)
		ui_message(&d->ui, false, "sent %s to %d", name, pid);
	else if (errno == EPERM)
		ui_message(&d->ui, true,
		           "not allowed to signal %d: it belongs to another user (run agtop as "
		           "that user or root)",
		           pid);
	else if (errno == ESRCH)
		ui_message(&d->ui, true, "%d has already ended", pid);
	else
		ui_message(&d->ui, true, "cannot signal %d: %s", pid, strerror(errno));
}

/* w: the lasting settings as the dashboard has them now (the interval, the theme, the
 * per-core panels; the rest as the options and the config file set them) written to the config
 * file agtop read, as htop's setup does. */
static void save(struct dash *d)
{
	struct options now = *d->o; /* a shallow copy: only read, never freed */
	struct error err;

	now.interval = d->ui.vs.interval;
	now.color = d->ui.vs.color;
	now.show_cores = d->ui.vs.show_cores;
	/* the process list as it is sorted and shown now, and the panels hidden */
	for (int i = 0; opt_sort_keys[i]; i++)
		if (!strcmp(opt_sort_keys[i], proc_fields[d->ui.vs.pv.sort].name))
			now.sort = i;
	now.sort_reverse = d->ui.vs.pv.desc != proc_fields[d->ui.vs.pv.sort].desc;
	now.tree = d->ui.vs.pv.tree;
	now.hide_panels = 0;
	for (int i = 0; i < PANEL_COUNT; i++)
		if (d->ui.vs.hidden[i])
			now.hide_panels |= 1u << i;
	if (config_save(&now, &err))
		ui_message(&d->ui, true, "settings not saved: %s", err.msg);
	else
		ui_message(&d->ui, false, "settings saved to %s", d->o->config_path);
}

/* What the source should read of the process list: command lines for every process while the
 * list is filtered, a tree, scrolled or sorted by what the source cannot order by. */
static void update_hint(struct dash *d)
{
	const struct proc_view *pv = &d->ui.vs.pv;
	struct source_proc_hint *h = &d->r.hint;

	h->sort = pv->sort == PF_MEM   ? PROC_SORT_MEMORY
	          : pv->sort == PF_PID ? PROC_SORT_PID
	                               : PROC_SORT_CPU;
	h->all = d->ui.has_re || pv->tree || pv->scroll > 0 || pv->sel_pid >= 0 ||
	         (pv->sort != PF_CPU && pv->sort != PF_MEM && pv->sort != PF_PID) ||
	         (pv->sort != PF_PID && !pv->desc);
}

static void effects(struct dash *d, unsigned fx)
{
	if (fx & UI_QUIT)
		d->quit = true;
	if (fx & UI_PAUSE)
		set_pause(d);
	if (fx & UI_KILL)
		send_signal(d);
	if (fx & UI_THEME)
		theme_init(&d->theme, d->mode, d->ui.vs.color, d->gradient);
	if (fx & UI_INTERVAL) {
		d->o->interval = d->ui.vs.interval;
		if (d->have_h)
			history_set_interval(&d->h, d->o->avg, d->o->interval);
		if (d->deadline > clock_mono() + d->o->interval)
			d->deadline = clock_mono() + d->o->interval;
	}
	if (fx & UI_SAVE)
		save(d);
	if (fx & UI_RESTART) {
		d->ui.vs.paused = false;
		set_pause(d);
		replay_to(d, 1);
	}
	if (fx & UI_STEP)
		step(d, d->ui.step);
	if (fx & UI_SOURCE)
		update_hint(d);
	if (fx & UI_REDRAW)
		d->dirty = true;
}

/* powermetrics through sudo may ask for a password on this terminal: the first reading comes
 * before curses takes the screen */
static bool needs_terminal_first(const struct dash *d)
{
	return !d->o->replay[0] && !d->o->powermetrics_input[0] &&
	       !strcmp(d->r.src.ops->name, "powermetrics");
}

static int first_reading_plain(struct dash *d)
{
	struct error err;

	d->deadline = clock_mono() + sampler_next_delay(&d->r);
	while (!d->have) {
		enum sampler_status st;
		if (!run_wait_until(d->deadline))
			return -1;
		st = sampler_next(&d->r, &err);
		if (st == SAMPLER_ERROR || st == SAMPLER_END) {
			fprintf(stderr, "agtop: %s\n",
			        st == SAMPLER_ERROR ? err.msg : "no samples");
			return -1;
		}
		if (st == SAMPLER_SAMPLE)
			show(d, true);
		d->deadline = clock_mono() + sampler_next_delay(&d->r);
	}
	return 0;
}

static void loop(struct dash *d)
{
	while (!d->quit && !run_stop_signal()) {
		struct ui_mouse m;
		bool waits = d->ended || (d->ui.vs.paused && d->ui.vs.replay);
		double now;
		int key, wait_ms;

		/* agtop run: the command ended; one more reading covers it to its end */
		if (d->hooks && d->hooks->done && d->hooks->done(d->hooks->ctx)) {
			take(d);
			break;
		}
		if (d->dirty)
			draw(d);
		now = clock_mono();
		wait_ms = waits ? -1 : (int)((d->deadline - now) * 1000.0 + 0.999);
		if (!waits && wait_ms <= 0) {
			take(d);
			schedule(d);
			continue;
		}
		key = screen_key(d->sc, wait_ms, &m);
		if (key == KEY_NONE || key == KEY_INTR)
			continue;
		effects(d, key == UI_KEY_MOUSE ? ui_mouse(&d->ui, &m) : ui_key(&d->ui, key));
	}
	if (d->quit && d->dirty)
		draw(d);
}

int dashboard_run(struct options *o)
{
	return dashboard_run_hooked(o, NULL);
}

int dashboard_run_hooked(struct options *o, const struct dash_hooks *hooks)
{
	struct dash d;
	struct term_caps caps;
	struct error err;

	screen_caps(&caps);
	if (!caps.is_tty) {
		fprintf(stderr,
		        "agtop: the dashboard needs a terminal on standard input and output; "
		        "without one use --json, or --headless with --prometheus, "
		        "--prometheus-textfile or --record\n");
		return 1;
	}
	memset(&d, 0, sizeof d);
	d.o = o;
	d.hooks = hooks;
	d.mode = theme_detect(o, &caps);
	d.gradient = gradient_on(o, d.mode);
	theme_init(&d.theme, d.mode, o->color, d.gradient);
	sample_init(&d.shown);
	if (sampler_open(&d.r, o, &err)) {
		sample_free(&d.shown);
		return run_open_failed(&err);
	}
	d.r.stop = run_stop_flag();
	ui_init(&d.ui, o);
	update_hint(&d);
	if (d.r.http)
		ui_message(&d.ui, false, "serving metrics on %s", http_url(d.r.http));
	if (needs_terminal_first(&d) && first_reading_plain(&d)) {
		d.rc = 1;
		goto out;
	}
	run_terminal_saved(true);
	if (screen_open(&d.sc, d.mode, &err)) {
		run_terminal_saved(false);
		fprintf(stderr, "agtop: %s\n", err.msg);
		d.rc = 1;
		goto out;
	}
	/* the frame at once; the first reading after FIRST_READING_S */
	draw(&d);
	d.deadline =
	    clock_mono() + (d.ui.vs.replay ? sampler_next_delay(&d.r)
	                                   : fmin(sampler_next_delay(&d.r), FIRST_READING_S));
	loop(&d);
	screen_close(d.sc);
	run_terminal_saved(false);
	if (d.rc && d.ui.vs.message[0])
		fprintf(stderr, "agtop: %s\n", d.ui.vs.message);
out:
	if (d.have_frozen)
		history_free(&d.frozen);
	if (d.have_h)
		history_free(&d.h);
	ui_free(&d.ui);
	sampler_close(&d.r);
	sample_free(&d.shown);
	if (run_stop_signal() && d.rc == 0)
		d.rc = run_exit_code_for_signal(run_stop_signal());
	return d.rc;
}
