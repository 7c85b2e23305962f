/* frames.c - draws the dashboard for a recording onto the in-memory grid (tests and golden
 * files share it) */
#include "frames.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/source.h"

int frame_load(const struct frame_case *fc, struct frame_state *st, char *err, size_t errsize)
{
	struct source src;
	struct sample s;
	struct error e;
	int n = 0;

	memset(st, 0, sizeof *st);
	st->o.interval = 1;
	st->o.avg = 30;
	st->o.color = fc->color ? fc->color : 2;
	st->o.power_scale = fc->power_scale;
	st->o.show_cores = fc->show_cores;
	st->o.core_view = fc->core_view;
	st->o.alert_bw_sat_percent = 85;
	st->o.alert_package_power_percent = 85;
	st->o.alert_swap_rise_gb = 0.3;
	st->o.alert_sustain_samples = 3;
	st->o.replay_speed = 0;
	if (fc->filter && fc->filter[0]) {
		snprintf(st->o.proc_filter, sizeof st->o.proc_filter, "%s", fc->filter);
		if (options_compile_filter(&st->o.proc_re, fc->filter, &e)) {
			snprintf(err, errsize, "%s", e.msg);
			return -1;
		}
		st->o.has_proc_re = true;
	}
	snprintf(st->o.replay, sizeof st->o.replay, "%s/tests/data/%s", AGTOP_SOURCE_DIR,
	         fc->recording);
	if (source_open_default(&src, &st->o, &e)) {
		snprintf(err, errsize, "%s", e.msg);
		options_free(&st->o);
		return -1;
	}
	sample_init(&s);
	sample_init(&st->last);
	while (source_read(&src, &s, &e) == SOURCE_SAMPLE) {
		if (n == 0)
			history_init(&st->hist, &st->o, s.host.chip);
		history_update(&st->hist, &s);
		sample_copy(&st->last, &s);
		n++;
		if (fc->samples && n >= fc->samples)
			break;
	}
	source_close(&src);
	sample_free(&s);
	if (n == 0) {
		snprintf(err, errsize, "%s: no samples", fc->recording);
		sample_free(&st->last);
		options_free(&st->o);
		return -1;
	}
	ui_init(&st->ui, &st->o);
	st->ui.vs.help = fc->help;
	st->ui.vs.paused = fc->paused;
	st->ui.vs.sort = fc->sort;
	if (fc->keys)
		for (const char *k = fc->keys; *k; k++)
			ui_key(&st->ui, *k == '\n' ? UI_KEY_ENTER : *k == 27 ? UI_KEY_ESC : *k);
	snprintf(st->ui.vs.version, sizeof st->ui.vs.version,
	         "0.1.0"); /* goldens outlive releases */
	theme_init(&st->theme, fc->mode, st->o.color, fc->gradient);
	return 0;
}

void frame_show_cores(struct frame_state *st, bool on, enum core_view view)
{
	st->ui.vs.show_cores = on;
	st->ui.vs.core_view = view;
}

int frame_draw(struct frame_state *st, int w, int h, struct grid *g)
{
	if (grid_init(g, w, h))
		return -1;
	view_draw(&g->surf, &st->last, &st->hist, &st->ui.vs, &st->theme);
	return 0;
}

void frame_unload(struct frame_state *st)
{
	ui_free(&st->ui);
	history_free(&st->hist);
	sample_free(&st->last);
	options_free(&st->o);
}
