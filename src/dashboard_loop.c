/* dashboard_loop.c - the dashboard: samples, keys and frames until q, a stop signal or --count */
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "history/history.h"
#include "run.h"
#include "sampler.h"
#include "util/clock.h"
#include "view/dashboard.h"
#include "view/screen_curses.h"
#include "view/theme.h"
#include "view/ui.h"

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
int dashboard_run(struct options *o)
{
	struct sampler r;
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
	if (sampler_open(&r, o, &err))
		return run_open_failed(&err);
	r.stop = run_stop_flag();
	printf("[2/3] Backend: %s ...\n", r.src.ops->name);
	if (r.http)
		printf("      Serving metrics on %s\n", http_url(r.http));
	printf("[3/3] Waiting for first reading ...\n");
	fflush(stdout);
	ui_init(&ui, o);

	/* the first frame as soon as the first interval is measured */
	deadline = clock_mono() + sampler_next_delay(&r);
	while (!have) {
		enum sampler_status st;
		if (!run_wait_until(deadline))
			goto out;
		st = sampler_next(&r, &err);
		if (st == SAMPLER_ERROR || st == SAMPLER_END) {
			fprintf(stderr, "agtop: %s\n",
			        st == SAMPLER_ERROR ? err.msg : "no samples");
			rc = 1;
			goto out;
		}
		if (st == SAMPLER_SAMPLE)
			have = true;
		deadline = clock_mono() + sampler_next_delay(&r);
	}
	history_init(&h, o, r.cur.host.chip);
	history_update(&h, &r.cur);

	run_terminal_saved(true);
	if (screen_open(&sc, mode, &err)) {
		fprintf(stderr, "agtop: %s\n", err.msg);
		rc = 1;
		goto out_history;
	}
	for (;;) {
		int key, wait_ms;
		double now;

		if (run_stop_signal())
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
			enum sampler_status st;
			r.hint.all = ui.has_re;
			r.hint.sort = ui.vs.sort;
			st = sampler_next(&r, &err);
			if (r.warn.msg[0]) {
				snprintf(ui.vs.message, sizeof ui.vs.message, "%s", r.warn.msg);
				error_clear(&r.warn);
				dirty = true;
			}
			if (st == SAMPLER_SAMPLE) {
				if (!ui.vs.paused)
					history_update(&h, &r.cur);
				dirty = !ui.vs.paused;
				if (o->count > 0 && r.samples >= o->count) {
					screen_resize(sc);
					view_draw(screen_surface(sc), &r.cur, &h, &ui.vs, &theme);
					screen_flush(sc);
					goto done;
				}
			} else if (st == SAMPLER_END) {
				ended = true;
				snprintf(ui.vs.message, sizeof ui.vs.message,
				         "replay finished (q quits)");
				dirty = true;
			} else if (st == SAMPLER_ERROR) {
				ended = true;
				rc = 1;
				snprintf(ui.vs.message, sizeof ui.vs.message, "%s", err.msg);
				dirty = true;
			}
			{
				double delay = sampler_next_delay(&r);
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
	run_terminal_saved(false);
	if (rc && ui.vs.message[0])
		fprintf(stderr, "agtop: %s\n", ui.vs.message);
out_history:
	history_free(&h);
out:
	ui_free(&ui);
	sampler_close(&r);
	if (run_stop_signal() && rc == 0)
		rc = run_exit_code_for_signal(run_stop_signal());
	return rc;
}
