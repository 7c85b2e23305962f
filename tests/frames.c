/* frames.c - draws the dashboard for a recording onto the in-memory grid (tests and golden
 * files share it) */
#include "frames.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/source.h"

int frame_load(const struct frame_case *fc, struct frame_state *st, char *err, size_t errsize)
{
	struct source src = { 0 }; /* stop and the rest NULL until set */
	struct sample s;
	struct error e;
	int n = 0;

	memset(st, 0, sizeof *st);
	st->o.interval = 1;
	st->o.avg = 30;
	st->o.color = fc->color < 0 ? 0 : fc->color ? fc->color : 2;
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
	ui_show(&st->ui, &st->last);
	st->ui.vs.replay = !fc->live;
	st->ui.vs.pos = (unsigned long)n;
	st->ui.vs.total = fc->samples ? 0 : (unsigned long)n;
	st->ui.vs.ended = fc->ended;
	if (fc->ended)
		ui_message(&st->ui, false, "end of recording \xC2\xB7 R restarts \xC2\xB7 q quits");
	if (fc->help)
		ui_key(&st->ui, '?');
	st->ui.vs.paused = fc->paused;
	if (fc->sort) {
		int f = proc_field_parse(fc->sort);
		if (f < 0) {
			snprintf(err, errsize, "no process field %s", fc->sort);
			return -1;
		}
		st->ui.vs.pv.sort = (enum proc_field)f;
		st->ui.vs.pv.desc = proc_fields[f].desc;
		proc_view_changed(&st->ui.vs.pv);
	}
	theme_init(&st->theme, fc->mode, st->o.color, fc->gradient);
	snprintf(st->ui.vs.version, sizeof st->ui.vs.version,
	         "0.1.0"); /* goldens outlive releases */
	if (fc->keys)
		frame_keys(st, fc->keys, fc->mode, fc->gradient);
	return 0;
}

static int frame_key_code(char k)
{
	static const int special[][2] = {
		{ '\n', UI_KEY_ENTER }, { 27, UI_KEY_ESC },      { 1, UI_KEY_UP },
		{ 2, UI_KEY_DOWN },     { 3, UI_KEY_LEFT },      { 4, UI_KEY_RIGHT },
		{ 5, UI_KEY_PGUP },     { 6, UI_KEY_PGDN },      { 7, UI_KEY_HOME },
		{ 14, UI_KEY_END },     { 8, UI_KEY_BACKSPACE },
	};
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (special[i][0] == k)
			return special[i][1];
	return (unsigned char)k;
}

void frame_keys(struct frame_state *st, const char *keys, enum render_mode mode, bool gradient)
{
	for (const char *k = keys; *k; k++) {
		unsigned fx = ui_key(&st->ui, frame_key_code(*k));
		/* what the loop does for the view's sake */
		if (fx & UI_THEME)
			theme_init(&st->theme, mode, st->ui.vs.color, gradient);
	}
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
