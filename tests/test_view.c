/* test_view.c - widgets, fitting, colours and keys, one by one */
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "view/format.h"
#include "view/grid.h"
#include "view/meter.h"
#include "view/panels.h"
#include "view/theme.h"
#include "view/ui.h"
#include "view/widgets.h"

static uint32_t cell(const struct grid *g, int x, int y)
{
	return g->cells[y * g->surf.w + x].cp;
}

static void labels_fit_whole_or_at_a_word(void **state)
{
	const char *alts[] = { "E-CPU Usage: 10% @ 1180 MHz (avg: 8.2% peak: 45%)",
		               "E-CPU Usage: 10% @ 1180 MHz", "E-CPU 10%" };
	char out[128];

	(void)state;
	label_fit(alts, 3, 80, out, sizeof out);
	assert_string_equal(out, alts[0]);
	label_fit(alts, 3, 30, out, sizeof out);
	assert_string_equal(out, alts[1]);
	label_fit(alts, 3, 9, out, sizeof out);
	assert_string_equal(out, "E-CPU 10%");
	label_fit(alts, 3, 8, out, sizeof out); /* the last form, cut after a whole word */
	assert_string_equal(out, "E-CPU");
	label_fit(alts, 3, 4, out, sizeof out); /* not even one word: nothing */
	assert_string_equal(out, "");
	/* data: cut with an ellipsis, by display width */
	data_fit("Google Chrome Helper (Renderer)", 10, out, sizeof out);
	assert_string_equal(out, "Google Ch\xE2\x80\xA6");
	data_fit("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 5, out, sizeof out); /* 3 wide chars */
	assert_string_equal(out, "\xE6\x97\xA5\xE6\x9C\xAC\xE2\x80\xA6");
	assert_int_equal(text_width("\xE6\x97\xA5\xE6\x9C\xAC\xE2\x80\xA6"), 5);
}

static void value_colours(void **state)
{
	struct theme t;
	struct style s;

	(void)state;
	/* value_to_rgb's stops and a point between them */
	assert_int_equal(theme_value_rgb(0), 0x00c800);
	assert_int_equal(theme_value_rgb(50), 0xe6dc00);
	assert_int_equal(theme_value_rgb(75), 0xff8c00);
	assert_int_equal(theme_value_rgb(100), 0xdc0000);
	assert_int_equal(theme_value_rgb(25), 0x73d200);
	assert_int_equal(theme_value_rgb(150), 0xdc0000);
	/* nearest palette entries: the cube's (0,215,0) and (255,135,0) */
	assert_int_equal(theme_nearest_256(0x00c800), 40);
	assert_int_equal(theme_nearest_256(0xff8c00), 208);
	assert_int_equal(theme_nearest_256(0x808080), 244);
	/* worked out, it agrees with searching all 240 colours, ties included */
	for (unsigned rgb = 0; rgb < 0x1000000; rgb += 167) { /* 100,000 colours */
		static const int level[6] = { 0, 95, 135, 175, 215, 255 };
		int r = (int)(rgb >> 16) & 0xff, g = (int)(rgb >> 8) & 0xff, b = (int)rgb & 0xff;
		int best = 16;
		long bestd = -1;
		for (int i = 16; i < 256; i++) {
			int cr = i < 232 ? level[(i - 16) / 36] : 8 + 10 * (i - 232);
			int cg = i < 232 ? level[((i - 16) / 6) % 6] : cr;
			int cb = i < 232 ? level[(i - 16) % 6] : cr;
			long d = (long)(cr - r) * (cr - r) + (long)(cg - g) * (cg - g) +
			         (long)(cb - b) * (cb - b);
			if (bestd < 0 || d < bestd) {
				bestd = d;
				best = i;
			}
		}
		if (theme_nearest_256(rgb) != best)
			fail_msg("0x%06x: %d, searching gives %d", rgb, theme_nearest_256(rgb),
			         best);
	}

	theme_init(&t, RENDER_BASIC, 2, true);
	assert_int_equal(theme_value(&t, 49).fg.v, 2);
	assert_int_equal(theme_value(&t, 50).fg.v, 3);
	assert_int_equal(theme_value(&t, 75).fg.v, 1);
	theme_init(&t, RENDER_TRUECOLOR, 2, true);
	s = theme_value(&t, 100);
	assert_int_equal(s.fg.kind, COLOR_RGB);
	assert_int_equal(s.fg.v, 0xdc0000);
	theme_init(&t, RENDER_MONO, 5, true);
	assert_int_equal(theme_value(&t, 90).fg.kind, COLOR_DEFAULT);
	assert_false(t.gradient);
	assert_int_equal(t.border.fg.kind, COLOR_DEFAULT);
	/* --color 5 in 8/16 colours: setaf 5 for borders; text keeps the terminal's colour */
	theme_init(&t, RENDER_BASIC, 5, false);
	assert_int_equal(t.border.fg.v, 5);
	assert_int_equal(t.text.fg.kind, COLOR_DEFAULT);
	/* a palette entry past the themes: borders and titles in it, as the original */
	theme_init(&t, RENDER_256, 123, false);
	assert_int_equal(t.border.fg.v, 123);
	assert_int_equal(t.title.fg.v, 123);
}

static double luminance(unsigned rgb)
{
	return (0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff)) /
	       255.0;
}

/* A theme colours borders, titles, text, gauges and charts; every title reads on a dark
 * terminal (the original's --color 0 drew black titles); NO_COLOR draws no colour at all. */
static void themes_colour_everything(void **state)
{
	struct theme t, d;
	struct grid g;

	(void)state;
	for (int n = 0; n <= 8; n++) {
		theme_init(&t, RENDER_TRUECOLOR, n, true);
		assert_int_equal(t.title.fg.kind, COLOR_RGB);
		assert_int_equal(t.text.fg.kind, COLOR_RGB);
		assert_int_equal(t.border.fg.kind, COLOR_RGB);
		if (luminance(t.title.fg.v) < 0.45 || luminance(t.text.fg.v) < 0.45)
			fail_msg("theme %d (%s): title #%06x or text #%06x is too dark", n,
			         theme_name(n), t.title.fg.v, t.text.fg.v);
		theme_init(&t, RENDER_BASIC, n, true);
		assert_true(t.title.fg.kind == COLOR_DEFAULT ||
		            (t.title.fg.v != 0 && t.title.fg.v != 8));
	}
	/* the gauges follow the theme: amber's low end is not the default's green */
	theme_init(&t, RENDER_TRUECOLOR, 3, true);
	theme_init(&d, RENDER_TRUECOLOR, 2, true);
	assert_int_equal(theme_value(&t, 0).fg.v, 0xffd787);
	assert_int_equal(theme_value(&d, 0).fg.v, 0x00c800);
	assert_int_equal(theme_value(&t, 100).fg.v, 0xd75f00);
	/* 256 colours: the nearest palette entries of the theme's colours */
	theme_init(&t, RENDER_256, 5, false);
	assert_int_equal(t.border.fg.v, theme_nearest_256(0xd75fd7));
	assert_int_equal(theme_value(&t, 0).fg.v, theme_nearest_256(0xaf87ff));
	assert_string_equal(theme_name(5), "orchid");
	assert_string_equal(theme_name(42), "custom");
	/* mono: a gauge cell has no colour */
	theme_init(&t, RENDER_MONO, 4, true);
	assert_int_equal(grid_init(&g, 10, 1), 0);
	w_gauge(&g.surf, 0, 0, 10, 80, &t);
	for (int i = 0; i < 10; i++)
		assert_int_equal(g.cells[i].st.fg.kind, COLOR_DEFAULT);
	grid_free(&g);
}

static void colour_mode_detection(void **state)
{
	struct options o;
	struct term_caps c;

	(void)state;
	memset(&o, 0, sizeof o);
	memset(&c, 0, sizeof c);
	c.is_tty = true;
	c.colors = 256;
	c.term = "xterm-256color";
	assert_int_equal(theme_detect(&o, &c), RENDER_256);
	c.colorterm = "truecolor"; /* no direct colour in terminfo: the nearest of 256 */
	assert_int_equal(theme_detect(&o, &c), RENDER_256);
	c.direct = true;
	c.colors = 1 << 24;
	assert_int_equal(theme_detect(&o, &c), RENDER_TRUECOLOR);
	c.direct = false;
	c.colorterm = NULL;
	c.colors = 8;
	assert_int_equal(theme_detect(&o, &c), RENDER_BASIC);
	c.colors = 256;
	o.color_mode = COLOR_MODE_BASIC;
	assert_int_equal(theme_detect(&o, &c), RENDER_BASIC);
	o.color_mode = COLOR_MODE_MONO;
	assert_int_equal(theme_detect(&o, &c), RENDER_MONO);
	o.color_mode = COLOR_MODE_AUTO;
	o.no_color = true;
	assert_int_equal(theme_detect(&o, &c), RENDER_MONO);
	o.no_color = false;
	c.term = "dumb";
	assert_int_equal(theme_detect(&o, &c), RENDER_MONO);
	c.term = "xterm";
	c.is_tty = false;
	assert_int_equal(theme_detect(&o, &c), RENDER_MONO);
	c.force_color = true;
	assert_int_equal(theme_detect(&o, &c), RENDER_256);
}

static void gauges_fill_in_eighths(void **state)
{
	struct grid g;
	struct theme t;

	(void)state;
	theme_init(&t, RENDER_256, 2, true);
	assert_int_equal(grid_init(&g, 10, 2), 0);
	w_gauge(&g.surf, 0, 0, 10, 55, &t); /* 5.5 cells: 5 full, one half */
	for (int i = 0; i < 5; i++)
		assert_int_equal(cell(&g, i, 0), 0x2588);
	assert_int_equal(cell(&g, 5, 0), 0x258C);
	assert_int_equal(cell(&g, 6, 0), 0x00B7);
	/* the gradient colours each cell by its position */
	assert_int_not_equal(g.cells[0].st.fg.v, g.cells[4].st.fg.v);
	w_gauge(&g.surf, 0, 1, 10, NAN, &t); /* unknown: an empty bar */
	for (int i = 0; i < 10; i++)
		assert_int_equal(cell(&g, i, 1), 0x00B7);
	grid_free(&g);
}

static void charts_rise_from_the_bottom(void **state)
{
	struct grid g;
	struct theme t;
	struct track tr;

	(void)state;
	theme_init(&t, RENDER_MONO, 2, false);
	track_init(&tr, 4);
	track_push(&tr, 50);  /* 1 of 2 rows */
	track_push(&tr, 0);   /* nothing */
	track_push(&tr, NAN); /* a gap */
	track_push(&tr, 1);   /* tiny, but visible */
	track_push(&tr, 100);
	assert_int_equal(grid_init(&g, 5, 2), 0);
	w_chart(&g.surf, (struct rect){ 0, 0, 5, 2 }, &tr, 100, &t);
	assert_int_equal(cell(&g, 0, 1), 0x2588);
	assert_int_equal(cell(&g, 0, 0), 0);
	assert_int_equal(cell(&g, 1, 1), 0);
	assert_int_equal(cell(&g, 2, 1), 0);
	assert_int_equal(cell(&g, 3, 1), 0x2581);
	assert_int_equal(cell(&g, 4, 0), 0x2588);
	assert_int_equal(cell(&g, 4, 1), 0x2588);
	grid_free(&g);
	track_free(&tr);
}

/* A meter's "avg N% pk M%": the average of 1.5, 1.7 and 1.9 is 1.7, shown 1% beside the peak's
 * 1% (both truncated, as the original's int()); rounding the average alone showed "avg 2% pk
 * 1%", an average above its peak, on an idle machine's RAM. */
static void the_average_never_shows_above_the_peak(void **state)
{
	struct track tr;
	char out[64];

	(void)state;
	track_init(&tr, 3);
	track_push(&tr, 1.5);
	track_push(&tr, 1.7);
	track_push(&tr, 1.9);
	meter_avg_peak(&tr, false, out, sizeof out);
	assert_string_equal(out, "avg 1% peak 1%");
	track_push(&tr, 60.9);
	track_push(&tr, 60.8);
	track_push(&tr, 60.7);
	meter_avg_peak(&tr, true, out, sizeof out);
	assert_string_equal(out, "avg 60% pk 60%");
	track_free(&tr);
}

/* A recording's reasons were written about the machine that made it: replayed, "this machine"
 * reads "the recorded machine" and "this CPU" "the recorded CPU" (each time); live, the note is as
 * written; a short buffer is cut, never overrun. */
static void a_recordings_reasons_name_the_recorded_machine(void **state)
{
	char out[128], tiny[12];

	(void)state;
	note_text("no RAPL energy counters on this machine (no /sys/class/powercap)", true, out,
	          sizeof out);
	assert_string_equal(
	    out, "no RAPL energy counters on the recorded machine (no /sys/class/powercap)");
	note_text("no battery on this machine", false, out, sizeof out);
	assert_string_equal(out, "no battery on this machine");
	note_text("this CPU of this machine, this machine.", true, out, sizeof out);
	assert_string_equal(out, "the recorded CPU of the recorded machine, the recorded machine.");
	note_text("on this machine", true, tiny, sizeof tiny);
	assert_string_equal(tiny, "on the reco");
}

/* Every note key a source writes has words in the help page's N/A list, never the key itself
 * ("processes.gpu_mem" read "Processes gpu_mem"). The keys: every sample_note() in src/. */
static void every_note_key_has_plain_words(void **state)
{
	static const char *const keys[] = {
		"bandwidth",
		"battery",
		"cpu",
		"cpu.freq",
		"fans",
		"gpu",
		"gpu.freq",
		"memory",
		"npu",
		"power",
		"power.ane",
		"power.cpu",
		"power.dram",
		"power.gpu",
		"power.system",
		"powermetrics",
		"processes",
		"processes.gpu",
		"processes.gpu_mem",
		"temps",
		"thermal",
	};
	char name[64];

	(void)state;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		view_note_name(keys[i], name, sizeof name);
		/* "powermetrics" is its own name; every other key becomes words */
		if (strpbrk(name, "._") || (!strcmp(name, keys[i]) && strcmp(name, "powermetrics")))
			fail_msg("note key %s reads \"%s\"", keys[i], name);
	}
}

/* The dashboard starts where --sort, --sort-reverse, --tree and --hide (or the settings `w`
 * saved) say: sorted by GPU smallest first, as a tree, CPU and Power & Thermal hidden. */
static void the_dashboard_starts_as_the_options_say(void **state)
{
	struct options o;
	struct view_state vs;

	(void)state;
	memset(&o, 0, sizeof o);
	o.interval = 1;
	while (strcmp(opt_sort_keys[o.sort], "gpu"))
		o.sort++;
	o.sort_reverse = true;
	o.tree = true;
	o.hide_panels = (1u << PANEL_CPU) | (1u << PANEL_POWER);
	view_state_init(&vs, &o);
	assert_int_equal(vs.pv.sort, PF_GPU);
	assert_true(vs.pv.desc == !proc_fields[PF_GPU].desc);
	assert_true(vs.pv.tree);
	assert_true(vs.hidden[PANEL_CPU] && vs.hidden[PANEL_POWER]);
	assert_false(vs.hidden[PANEL_GPU] || vs.hidden[PANEL_MEM] || vs.hidden[PANEL_PROC]);
	view_state_free(&vs);
}

/* a sample with four processes: 1 init, 10 a shell under it, 20 python under the shell, 30 a
 * kernel thread without a command line */
static void four_procs(struct sample *s)
{
	static const struct {
		int pid, ppid;
		const char *name, *cmd;
		double cpu, rss;
	} p[] = {
		{ 1, 0, "init", "/sbin/init splash", 0.01, 8e6 },
		{ 10, 1, "bash", "/bin/bash", 0.0, 4e6 },
		{ 20, 10, "python3", "/usr/bin/python3 train.py --lr 3e-4", 2.5, 9e9 },
		{ 30, 2, "kworker/0:1", "", 0.2, NAN },
	};

	sample_init(s);
	s->time = 1795470000;
	s->memory.total_bytes = 16e9;
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
		struct sample_proc *q = sample_add_proc(s);
		q->pid = p[i].pid;
		q->ppid = p[i].ppid;
		strcpy(q->name, p[i].name);
		q->cmdline = sample_intern(s, p[i].cmd, strlen(p[i].cmd));
		q->cpu = p[i].cpu;
		q->rss_bytes = p[i].rss;
	}
}

/* s and S step through the columns on screen, left to right, never to one the width hides:
 * with PID, CPU%, MEM and COMMAND shown, s from CPU% goes to MEM, then COMMAND, then round to
 * PID; S goes back. Sorted by a hidden column (from --sort), s starts at the first shown. */
static void s_steps_through_the_columns_on_screen(void **state)
{
	struct options o;
	struct sample s;
	struct ui u;

	(void)state;
	memset(&o, 0, sizeof o);
	o.interval = 1;
	o.color = 2;
	four_procs(&s);
	ui_init(&u, &o);
	ui_show(&u, &s);
	u.vs.hits.proc = true; /* as the last frame drew them */
	u.vs.hits.ncols = 4;
	u.vs.hits.col[0] = PF_PID;
	u.vs.hits.col[1] = PF_CPU;
	u.vs.hits.col[2] = PF_MEM;
	u.vs.hits.col[3] = PF_COMMAND;
	ui_key(&u, 's');
	assert_int_equal(u.vs.pv.sort, PF_MEM);
	ui_key(&u, 's');
	assert_int_equal(u.vs.pv.sort, PF_COMMAND);
	ui_key(&u, 's');
	assert_int_equal(u.vs.pv.sort, PF_PID);
	ui_key(&u, 'S');
	assert_int_equal(u.vs.pv.sort, PF_COMMAND);
	u.vs.pv.sort = PF_ENERGY; /* not on screen */
	ui_key(&u, 's');
	assert_int_equal(u.vs.pv.sort, PF_PID);
	u.vs.pv.sort = PF_ENERGY;
	ui_key(&u, 'S');
	assert_int_equal(u.vs.pv.sort, PF_COMMAND);
	ui_free(&u);
	sample_free(&s);
}

static void keys(void **state)
{
	struct options o;
	struct sample s;
	struct ui u;

	(void)state;
	memset(&o, 0, sizeof o);
	o.interval = 1;
	o.color = 2;
	four_procs(&s);
	ui_init(&u, &o);
	ui_show(&u, &s);
	/* the sort: by CPU% biggest first, s the next column, r reverses */
	assert_int_equal(u.vs.pv.sort, PF_CPU);
	assert_true(u.vs.pv.desc);
	assert_int_equal(ui_key(&u, 's'), UI_REDRAW | UI_SOURCE);
	assert_int_equal(u.vs.pv.sort, PF_MEM);
	ui_key(&u, 'S');
	assert_int_equal(u.vs.pv.sort, PF_CPU);
	ui_key(&u, 'r');
	assert_false(u.vs.pv.desc);
	ui_key(&u, 'r');
	/* C the per-core panels, c the next theme, p pauses */
	ui_key(&u, 'C');
	assert_true(u.vs.show_cores);
	assert_int_equal(ui_key(&u, 'c'), UI_REDRAW | UI_THEME);
	assert_int_equal(u.vs.color, 3);
	assert_non_null(strstr(u.vs.message, "theme 3: amber"));
	assert_int_equal(ui_key(&u, 'p'), UI_REDRAW | UI_PAUSE);
	assert_true(u.vs.paused);
	ui_key(&u, 'p');
	assert_false(u.vs.paused);
	/* + and - step the interval, 1-5 hide panels, w asks to save */
	assert_int_equal(ui_key(&u, '+'), UI_REDRAW | UI_INTERVAL);
	assert_true(u.vs.interval == 2);
	ui_key(&u, '-');
	ui_key(&u, '-');
	assert_true(u.vs.interval == 0.5);
	ui_key(&u, '2');
	assert_true(u.vs.hidden[PANEL_GPU]);
	ui_key(&u, '2');
	assert_false(u.vs.hidden[PANEL_GPU]);
	assert_int_equal(ui_key(&u, 'w'), UI_SAVE);

	/* the live filter: the list follows what is typed, against the command as shown */
	ui_key(&u, '/');
	assert_int_equal(u.mode, UI_FILTER);
	for (const char *k = "TRAIN"; *k; k++)
		ui_key(&u, *k);
	assert_string_equal(u.vs.filter, "TRAIN");
	proc_view_refresh(&u.vs.pv, &s, u.vs.re, u.vs.sample_gen);
	assert_int_equal(u.vs.pv.rows.n, 1);
	assert_int_equal(u.vs.pv.rows.row[0].pid, 20);
	/* an invalid regex is named in place and the last valid one stays */
	ui_key(&u, '(');
	assert_non_null(strstr(u.vs.edit_error, "invalid regex"));
	assert_string_equal(u.vs.filter, "TRAIN");
	ui_key(&u, UI_KEY_BACKSPACE);
	assert_string_equal(u.vs.edit_error, "");
	/* Enter keeps it; q typed in the line is text, not quit */
	ui_key(&u, UI_KEY_ENTER);
	assert_int_equal(u.mode, UI_NORMAL);
	assert_string_equal(u.vs.filter, "TRAIN");
	ui_key(&u, '/');
	assert_int_equal(ui_key(&u, 'q') & UI_QUIT, 0);
	/* Esc clears it */
	ui_key(&u, UI_KEY_ESC);
	assert_string_equal(u.vs.filter, "");
	assert_null(u.vs.re);
	assert_int_equal(u.mode, UI_NORMAL);

	/* help: any key closes it, q still quits */
	ui_key(&u, '?');
	assert_true(u.vs.help);
	assert_int_equal(ui_key(&u, 'x'), UI_REDRAW);
	assert_false(u.vs.help);
	ui_key(&u, 'h');
	assert_int_equal(ui_key(&u, 'q'), UI_QUIT);
	assert_int_equal(ui_key(&u, 'q'), UI_QUIT);
	assert_int_equal(ui_key(&u, 'z'), UI_NONE);
	assert_int_equal(ui_key(&u, UI_KEY_RESIZE), UI_REDRAW);
	/* Left and Right step only through a recording */
	assert_int_equal(ui_key(&u, UI_KEY_RIGHT) & UI_STEP, 0);
	u.vs.replay = true;
	assert_int_equal(ui_key(&u, UI_KEY_RIGHT), UI_REDRAW | UI_PAUSE | UI_STEP);
	assert_true(u.vs.paused);
	assert_int_equal(u.step, 1);
	assert_int_equal(ui_key(&u, UI_KEY_LEFT), UI_REDRAW | UI_STEP);
	assert_int_equal(u.step, -1);
	assert_int_equal(ui_key(&u, 'R'), UI_REDRAW | UI_RESTART);
	ui_free(&u);
	sample_free(&s);
}

static void selection_and_signals(void **state)
{
	struct options o;
	struct sample s;
	struct ui u;

	(void)state;
	memset(&o, 0, sizeof o);
	o.interval = 1;
	four_procs(&s);
	ui_init(&u, &o);
	ui_show(&u, &s);
	u.vs.pv.page = 2; /* two rows on screen */
	/* CPU order: python3 20, kworker 30, init 1, bash 10; a first Down selects the top */
	ui_key(&u, UI_KEY_DOWN);
	assert_int_equal(u.vs.pv.sel_pid, 20);
	ui_key(&u, UI_KEY_DOWN);
	assert_int_equal(u.vs.pv.sel_pid, 30);
	ui_key(&u, UI_KEY_END);
	assert_int_equal(u.vs.pv.sel_pid, 10);
	assert_int_equal(u.vs.pv.scroll, 2); /* scrolled to keep it on screen */
	ui_key(&u, UI_KEY_PGUP);
	assert_int_equal(u.vs.pv.sel_pid, 1);
	ui_key(&u, UI_KEY_HOME);
	assert_int_equal(u.vs.pv.sel_pid, 20);
	assert_int_equal(u.vs.pv.scroll, 0);

	/* k asks first, naming the process; Down picks the next signal; Enter asks the loop */
	assert_int_equal(ui_key(&u, 'k'), UI_REDRAW);
	assert_int_equal(u.mode, UI_CONFIRM);
	assert_string_equal(u.vs.confirm.what, "20 python3 train.py --lr 3e-4");
	assert_string_equal(ui_signals[u.vs.confirm.choice].name, "TERM");
	assert_int_equal(ui_key(&u, 'q') & UI_QUIT, 0); /* q cancels the dialog */
	assert_int_equal(u.mode, UI_NORMAL);
	ui_key(&u, 'k');
	ui_key(&u, UI_KEY_DOWN);
	ui_key(&u, UI_KEY_DOWN);
	ui_key(&u, UI_KEY_DOWN);
	assert_int_equal(ui_key(&u, UI_KEY_ENTER), UI_REDRAW | UI_KILL);
	assert_int_equal(u.kill_pid, 20);
	assert_int_equal(u.kill_sig, SIGKILL);
	/* a recording's processes are not signalled */
	u.vs.replay = true;
	assert_int_equal(ui_key(&u, 'k') & UI_KILL, 0);
	assert_int_equal(u.mode, UI_NORMAL);
	u.vs.replay = false;

	/* without F the selection keeps its row as the order changes; with F its process */
	s.procs[3].cpu = 9.0; /* kworker 30 becomes the busiest */
	ui_show(&u, &s);
	proc_view_refresh(&u.vs.pv, &s, u.vs.re, u.vs.sample_gen);
	assert_int_equal(u.vs.pv.sel, 0);
	assert_int_equal(u.vs.pv.sel_pid, 30);
	ui_key(&u, UI_KEY_DOWN); /* python3 */
	ui_key(&u, 'F');
	assert_true(u.vs.pv.follow);
	s.procs[2].cpu = 20.0;
	ui_show(&u, &s);
	proc_view_refresh(&u.vs.pv, &s, u.vs.re, u.vs.sample_gen);
	assert_int_equal(u.vs.pv.sel_pid, 20);
	assert_int_equal(u.vs.pv.sel, 0);
	/* Esc drops the selection */
	ui_key(&u, UI_KEY_ESC); /* the "following" message first */
	ui_key(&u, UI_KEY_ESC);
	assert_int_equal(u.vs.pv.sel_pid, -1);
	assert_false(u.vs.pv.follow);

	/* t: the tree, each under its parent */
	ui_key(&u, 't');
	proc_view_refresh(&u.vs.pv, &s, u.vs.re, u.vs.sample_gen);
	assert_int_equal(u.vs.pv.rows.n, 4);
	assert_int_equal(u.vs.pv.rows.row[0].pid, 30); /* a root: its parent 2 is not listed */
	assert_int_equal(u.vs.pv.rows.row[1].pid, 1);
	assert_int_equal(u.vs.pv.rows.row[2].pid, 10);
	assert_int_equal(u.vs.pv.rows.row[2].depth, 1);
	assert_int_equal(u.vs.pv.rows.row[3].pid, 20);
	assert_int_equal(u.vs.pv.rows.row[3].depth, 2);
	ui_free(&u);
	sample_free(&s);
}

static const char *shown(struct sample *s, int pid, const char *name, const char *cmd)
{
	static char out[256];
	struct sample_proc *p;

	sample_reset(s);
	p = sample_add_proc(s);
	p->pid = pid;
	strcpy(p->name, name);
	p->cmdline = sample_intern(s, cmd, strlen(cmd));
	proc_command(s, p, out, sizeof out);
	return out;
}

static void commands_as_people_know_them(void **state)
{
	struct sample s;

	(void)state;
	sample_init(&s);
	/* the program without its directory, then every argument */
	assert_string_equal(
	    shown(&s, 1, "cc1",
	          "/usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet -I src x.c -o /tmp/a.s"),
	    "cc1 -quiet -I src x.c -o /tmp/a.s");
	assert_string_equal(shown(&s, 1, "python3", "python3 train.py"), "python3 train.py");
	/* a path with blanks: the short name says where the program ends */
	assert_string_equal(shown(&s, 1, "Google Chrome Helper",
	                          "/Applications/Google Chrome.app/Contents/Frameworks/Google "
	                          "Chrome Helper --type=gpu"),
	                    "Google Chrome Helper --type=gpu");
	/* an app bundle's program is the bundle's name */
	assert_string_equal(
	    shown(&s, 1, "Electron",
	          "/Applications/Visual Studio Code.app/Contents/MacOS/Electron -n"),
	    "Visual Studio Code -n");
	/* Linux cuts comm at 15 bytes: the first blank ends the program then */
	assert_string_equal(
	    shown(&s, 1, "Isolated Web Co", "/usr/lib/firefox/firefox -contentproc -isForBrowser"),
	    "firefox -contentproc -isForBrowser");
	/* no command line (a kernel thread): the name in brackets, as ps(1) */
	assert_string_equal(shown(&s, 1, "kworker/0:1", ""), "[kworker/0:1]");
	assert_string_equal(shown(&s, 1, "x", "/"), "/");
	sample_free(&s);
}

static void orders_and_trees(void **state)
{
	struct sample s;
	struct procsel_rows rows = { 0 };
	static const struct {
		int pid, ppid;
		double cpu;
	} p[] = { { 5, 6, 0.5 }, { 6, 5, 0.1 }, { 7, 1, NAN }, { 8, 7, 0.2 }, { 9, 7, 0.3 } };

	(void)state;
	sample_init(&s);
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
		struct sample_proc *q = sample_add_proc(&s);
		q->pid = p[i].pid;
		q->ppid = p[i].ppid;
		q->cpu = p[i].cpu;
		snprintf(q->name, sizeof q->name, "p%d", p[i].pid);
	}
	/* unknown CPU last, whichever the direction */
	assert_int_equal(procsel_order(&s, NULL, PF_CPU, true, false, &rows), 0);
	assert_int_equal(rows.n, 5);
	assert_int_equal(rows.row[0].pid, 5);
	assert_int_equal(rows.row[4].pid, 7);
	assert_int_equal(procsel_order(&s, NULL, PF_CPU, false, false, &rows), 0);
	assert_int_equal(rows.row[0].pid, 6);
	assert_int_equal(rows.row[4].pid, 7);
	/* the tree: 7 with 9 before 8 (CPU order), then the loop 5 <-> 6 broken at 5 */
	assert_int_equal(procsel_order(&s, NULL, PF_CPU, true, true, &rows), 0);
	assert_int_equal(rows.n, 5);
	assert_int_equal(rows.row[0].pid, 7);
	assert_int_equal(rows.row[1].pid, 9);
	assert_int_equal(rows.row[1].depth, 1);
	assert_false(rows.row[1].last);
	assert_int_equal(rows.row[2].pid, 8);
	assert_true(rows.row[2].last);
	assert_int_equal(rows.row[3].pid, 5);
	assert_int_equal(rows.row[3].depth, 0);
	assert_int_equal(rows.row[4].pid, 6);
	assert_int_equal(rows.row[4].depth, 1);
	procsel_rows_free(&rows);
	sample_free(&s);
}

/* The names in a section of a document: man page ".B name" lines (roff's \- is -), or
 * markdown table rows "| `name` |". Returns how many, into names (each malloc'd). */
static size_t doc_keys(const char *doc, const char *from, const char *to, bool man, char **names,
                       size_t cap)
{
	const char *p = strstr(doc, from), *end;
	size_t n = 0;

	assert_non_null(p);
	end = strstr(p + strlen(from), to);
	if (!end)
		end = p + strlen(p);
	for (; p && p < end && n < cap; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *q, *e;
		char buf[64];
		size_t k = 0;
		if (man && !strncmp(p, ".B ", 3))
			q = p + 3, e = strchr(q, '\n');
		else if (!man && !strncmp(p, "| `", 3))
			q = p + 3, e = strchr(q, '`');
		else
			continue;
		for (; q < e && k + 1 < sizeof buf; q++)
			if (!(man && q[0] == '\\' && q[1] == '-'))
				buf[k++] = *q;
		buf[k] = '\0';
		names[n++] = strdup(buf);
	}
	return n;
}

static bool listed(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

static bool in_keymap(const char *name)
{
	for (int m = 0; m < UI_MODE_COUNT; m++) {
		size_t n;
		const struct key_def *k = ui_keymap((enum ui_mode)m, &n);
		for (size_t i = 0; i < n; i++)
			if (k[i].name && !strcmp(k[i].name, name))
				return true;
	}
	return false;
}

/* The manual page, docs/dashboard.md and the README list the keys of the keymaps, and only
 * those: the help page is drawn from the keymaps, so all four agree. */
static void keys_are_documented(void **state)
{
	char *man = read_file(AGTOP_SOURCE_DIR "/docs/agtop.1", NULL);
	char *dash = read_file(AGTOP_SOURCE_DIR "/docs/dashboard.md", NULL);
	char *readme = read_file(AGTOP_SOURCE_DIR "/README.md", NULL);
	char *m[64], *d[64], *r[64];
	size_t nm, nd, nr;

	(void)state;
	assert_non_null(man);
	assert_non_null(dash);
	assert_non_null(readme);
	nm = doc_keys(man, ".SH KEYS", "\n.SH ", true, m, 64);
	nd = doc_keys(dash, "## Keys", "\n## ", false, d, 64);
	nr = doc_keys(readme, "Keys in the dashboard", "For a fleet", false, r, 64);
	for (int mode = 0; mode < UI_MODE_COUNT; mode++) {
		size_t n;
		const struct key_def *k = ui_keymap((enum ui_mode)mode, &n);
		for (size_t i = 0; i < n; i++) {
			if (!k[i].name)
				continue;
			if (!listed(m, nm, k[i].name))
				fail_msg("docs/agtop.1 KEYS does not list %s", k[i].name);
			if (!listed(d, nd, k[i].name))
				fail_msg("docs/dashboard.md Keys does not list %s", k[i].name);
			if (mode == UI_NORMAL && !listed(r, nr, k[i].name))
				fail_msg("README.md's keys do not list %s", k[i].name);
		}
	}
	for (size_t i = 0; i < nm; i++)
		if (!in_keymap(m[i]))
			fail_msg("docs/agtop.1 lists %s, which no key does", m[i]);
	for (size_t i = 0; i < nd; i++)
		if (!in_keymap(d[i]))
			fail_msg("docs/dashboard.md lists %s, which no key does", d[i]);
	for (size_t i = 0; i < nr; i++)
		if (!in_keymap(r[i]))
			fail_msg("README.md lists %s, which no key does", r[i]);
	assert_true(nm >= 20 && nd >= 20 && nr >= 15);
	for (size_t i = 0; i < nm; i++)
		free(m[i]);
	for (size_t i = 0; i < nd; i++)
		free(d[i]);
	for (size_t i = 0; i < nr; i++)
		free(r[i]);
	free(man);
	free(dash);
	free(readme);
}

static void numbers(void **state)
{
	char b[64];

	(void)state;
	fmt_size(b, sizeof b, 1.5e9);
	assert_string_equal(b, "1.4G");
	fmt_size(b, sizeof b, 120.0 * 1048576);
	assert_string_equal(b, "120M");
	fmt_size(b, sizeof b, 512.0 * 1024);
	assert_string_equal(b, "512K");
	fmt_size(b, sizeof b, NAN);
	assert_string_equal(b, "N/A");
	fmt_energy(b, sizeof b, 54.0);
	assert_string_equal(b, "15mWh");
	fmt_energy(b, sizeof b, 10224.0);
	assert_string_equal(b, "2.84Wh");
	fmt_gib(b, sizeof b, 39.3 * 1073741824.0);
	assert_string_equal(b, "39.3");
	fmt_celsius(b, sizeof b, 58.4);
	assert_string_equal(b, "58\xC2\xB0"
	                       "C");
	/* the original's display names */
	proc_display_name("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "x", b,
	                  sizeof b);
	assert_string_equal(b, "Google Chrome");
	proc_display_name("/usr/bin/python3 train.py", "python3", b, sizeof b);
	assert_string_equal(b, "python3");
	proc_display_name("", "kworker/0:1", b, sizeof b);
	assert_string_equal(b, "kworker/0:1");
	proc_display_name("ollama serve", "ollama", b, sizeof b);
	assert_string_equal(b, "ollama");
	/* run times */
	proc_fmt_elapsed(42.9, b, sizeof b);
	assert_string_equal(b, "42s");
	proc_fmt_elapsed(754, b, sizeof b);
	assert_string_equal(b, "12:34");
	proc_fmt_elapsed(3 * 3600 + 125, b, sizeof b);
	assert_string_equal(b, "3:02:05");
	proc_fmt_elapsed(86400 + 3600, b, sizeof b);
	assert_string_equal(b, "1d01h");
	proc_fmt_elapsed(NAN, b, sizeof b);
	assert_string_equal(b, "N/A");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(labels_fit_whole_or_at_a_word),
		cmocka_unit_test(value_colours),
		cmocka_unit_test(colour_mode_detection),
		cmocka_unit_test(themes_colour_everything),
		cmocka_unit_test(gauges_fill_in_eighths),
		cmocka_unit_test(charts_rise_from_the_bottom),
		cmocka_unit_test(the_average_never_shows_above_the_peak),
		cmocka_unit_test(a_recordings_reasons_name_the_recorded_machine),
		cmocka_unit_test(every_note_key_has_plain_words),
		cmocka_unit_test(the_dashboard_starts_as_the_options_say),
		cmocka_unit_test(s_steps_through_the_columns_on_screen),
		cmocka_unit_test(keys),
		cmocka_unit_test(selection_and_signals),
		cmocka_unit_test(commands_as_people_know_them),
		cmocka_unit_test(orders_and_trees),
		cmocka_unit_test(numbers),
		cmocka_unit_test(keys_are_documented),
	};

	/* widths of wide characters come from the locale, as in agtop itself */
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
