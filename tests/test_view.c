/* test_view.c - widgets, fitting, colours and keys, one by one */
#include <locale.h>
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "view/format.h"
#include "view/grid.h"
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
	theme_init(&t, RENDER_256, 5, false);
	assert_int_equal(t.border.fg.v, 5);              /* --color 5 */
	assert_int_equal(t.text.fg.kind, COLOR_DEFAULT); /* text keeps the terminal's colour */
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

static void keys(void **state)
{
	struct options o;
	struct ui u;

	(void)state;
	memset(&o, 0, sizeof o);
	ui_init(&u, &o);
	assert_int_equal(ui_key(&u, 's'), UI_REDRAW);
	assert_int_equal(u.vs.sort, PROC_SORT_MEMORY);
	ui_key(&u, 's');
	assert_int_equal(u.vs.sort, PROC_SORT_PID);
	ui_key(&u, 's');
	assert_int_equal(u.vs.sort, PROC_SORT_CPU);
	ui_key(&u, 'c');
	assert_true(u.vs.show_cores);
	ui_key(&u, 'p');
	assert_true(u.vs.paused);
	ui_key(&u, 'p');
	assert_false(u.vs.paused);

	/* a valid filter applies */
	ui_key(&u, '/');
	assert_true(u.vs.editing);
	for (const char *k = "PY|oll"; *k; k++)
		ui_key(&u, *k);
	ui_key(&u, UI_KEY_ENTER);
	assert_false(u.vs.editing);
	assert_string_equal(u.vs.filter, "PY|oll");
	assert_non_null(u.vs.re);
	assert_true(procsel_match(u.vs.re, "/usr/bin/python3"));
	/* an invalid one is refused in place and the old one stays */
	ui_key(&u, '/');
	ui_key(&u, '(');
	assert_int_equal(ui_key(&u, UI_KEY_ENTER), UI_REDRAW);
	assert_true(u.vs.editing);
	assert_non_null(strstr(u.vs.edit_error, "invalid regex"));
	assert_string_equal(u.vs.filter, "PY|oll");
	ui_key(&u, UI_KEY_BACKSPACE);
	assert_string_equal(u.vs.edit, "PY|oll");
	ui_key(&u, UI_KEY_ESC);
	assert_false(u.vs.editing);
	assert_string_equal(u.vs.filter, "PY|oll");
	/* an empty filter shows everything again */
	ui_key(&u, '/');
	for (int i = 0; i < 6; i++)
		ui_key(&u, UI_KEY_BACKSPACE);
	ui_key(&u, UI_KEY_ENTER);
	assert_string_equal(u.vs.filter, "");
	assert_null(u.vs.re);
	/* typing q in the filter is text, not quit */
	ui_key(&u, '/');
	assert_int_equal(ui_key(&u, 'q'), UI_REDRAW);
	ui_key(&u, UI_KEY_ESC);

	/* help: any key closes it, q still quits */
	ui_key(&u, '?');
	assert_true(u.vs.help);
	assert_int_equal(ui_key(&u, 'x'), UI_REDRAW);
	assert_false(u.vs.help);
	ui_key(&u, '?');
	assert_int_equal(ui_key(&u, 'q'), UI_QUIT);
	assert_int_equal(ui_key(&u, 'q'), UI_QUIT);
	assert_int_equal(ui_key(&u, 'z'), UI_NONE);
	assert_int_equal(ui_key(&u, UI_KEY_RESIZE), UI_REDRAW);
	ui_free(&u);
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(labels_fit_whole_or_at_a_word),
		cmocka_unit_test(value_colours),
		cmocka_unit_test(colour_mode_detection),
		cmocka_unit_test(gauges_fill_in_eighths),
		cmocka_unit_test(charts_rise_from_the_bottom),
		cmocka_unit_test(keys),
		cmocka_unit_test(numbers),
	};

	/* widths of wide characters come from the locale, as in agtop itself */
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
