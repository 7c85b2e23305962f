#include "ui.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../util/str.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* the themes c cycles through: --color 0-8 (theme.c names them) */
#define THEMES 9

const struct ui_signal ui_signals[] = {
	{ SIGTERM, "TERM", "ask it to end (the default)" },
	{ SIGINT, "INT", "interrupt it, as Ctrl-C does" },
	{ SIGHUP, "HUP", "hang up (many daemons reload)" },
	{ SIGKILL, "KILL", "end it at once, without cleaning up" },
	{ SIGSTOP, "STOP", "stop it until CONT" },
	{ SIGCONT, "CONT", "let a stopped process go on" },
	{ SIGQUIT, "QUIT", "quit with a core dump" },
	{ SIGUSR1, "USR1", "user signal 1" },
	{ SIGUSR2, "USR2", "user signal 2" },
};
const size_t ui_nsignals = N(ui_signals);

void ui_message(struct ui *u, bool alert, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->vs.message, sizeof u->vs.message, fmt, ap);
	va_end(ap);
	u->vs.message_alert = alert;
}

void ui_init(struct ui *u, const struct options *o)
{
	struct error err;

	memset(u, 0, sizeof *u);
	view_state_init(&u->vs, o);
	/* the view keeps its own compiled copy: the live filter replaces it */
	if (o->proc_filter[0] && options_compile_filter(&u->re, o->proc_filter, &err) == 0)
		u->has_re = true;
	u->vs.re = u->has_re ? &u->re : NULL;
}

static void drop_filter(struct ui *u)
{
	if (u->has_re)
		procsel_free(&u->re);
	u->has_re = false;
	u->vs.re = NULL;
}

void ui_free(struct ui *u)
{
	drop_filter(u);
	view_state_free(&u->vs);
}

void ui_show(struct ui *u, const struct sample *smp)
{
	u->smp = smp;
	u->vs.sample_gen++;
}

static void refresh(struct ui *u)
{
	if (u->smp)
		proc_view_refresh(&u->vs.pv, u->smp, u->vs.re, u->vs.sample_gen);
}

double ui_interval_step(double interval, int dir)
{
	static const double steps[] = { 0.1, 0.2, 0.25, 0.5, 1, 2, 3, 5, 10, 15, 30, 60 };

	if (dir > 0) {
		for (size_t i = 0; i < N(steps); i++)
			if (steps[i] > interval + 1e-9)
				return steps[i];
		return interval;
	}
	for (size_t i = N(steps); i-- > 0;)
		if (steps[i] < interval - 1e-9)
			return steps[i];
	return interval;
}

/* ---- the filter line (live: the list follows what is typed) ---- */

/* Applies what is typed: an empty line shows everything; an invalid regex is named in place and
 * the last valid filter stays. */
static unsigned apply_filter(struct ui *u)
{
	struct error err;
	struct procsel_re re;

	u->vs.edit_error[0] = '\0';
	if (!u->vs.edit[0]) {
		drop_filter(u);
		u->vs.filter[0] = '\0';
	} else if (options_compile_filter(&re, u->vs.edit, &err) != 0) {
		snprintf(u->vs.edit_error, sizeof u->vs.edit_error, "invalid regex: %s", err.msg);
		return UI_REDRAW;
	} else {
		drop_filter(u);
		u->re = re;
		u->has_re = true;
		u->vs.re = &u->re;
		str_copy(u->vs.filter, sizeof u->vs.filter, u->vs.edit);
	}
	proc_view_changed(&u->vs.pv);
	return UI_REDRAW | UI_SOURCE;
}

static void close_filter(struct ui *u)
{
	u->mode = UI_NORMAL;
	u->vs.editing = false;
	u->vs.edit_error[0] = '\0';
}

static unsigned filter_keep(struct ui *u, int key)
{
	(void)key;
	close_filter(u);
	return UI_REDRAW;
}

static unsigned filter_clear(struct ui *u, int key)
{
	(void)key;
	u->vs.edit[0] = '\0';
	apply_filter(u);
	close_filter(u);
	return UI_REDRAW | UI_SOURCE;
}

static unsigned filter_back(struct ui *u, int key)
{
	size_t n = strlen(u->vs.edit);

	(void)key;
	/* one UTF-8 character back */
	while (n > 0 && ((unsigned char)u->vs.edit[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	u->vs.edit[n] = '\0';
	return apply_filter(u);
}

static unsigned filter_type(struct ui *u, int key)
{
	size_t n = strlen(u->vs.edit);

	if (key < 0x20 || key >= 0x7F || n + 1 >= sizeof u->vs.edit)
		return UI_NONE;
	u->vs.edit[n] = (char)key;
	u->vs.edit[n + 1] = '\0';
	return apply_filter(u);
}

/* ---- the signal dialog ---- */

static unsigned confirm_move(struct ui *u, int key)
{
	int n = (int)ui_nsignals, c = u->vs.confirm.choice + (key == UI_KEY_UP ? -1 : 1);

	u->vs.confirm.choice = (c + n) % n;
	return UI_REDRAW;
}

static unsigned confirm_send(struct ui *u, int key)
{
	(void)key;
	u->kill_pid = u->vs.confirm.pid;
	u->kill_sig = ui_signals[u->vs.confirm.choice].sig;
	u->vs.confirm.open = false;
	u->mode = UI_NORMAL;
	return UI_REDRAW | UI_KILL;
}

static unsigned confirm_cancel(struct ui *u, int key)
{
	(void)key;
	u->vs.confirm.open = false;
	u->mode = UI_NORMAL;
	ui_message(u, false, "no signal sent");
	return UI_REDRAW;
}

/* ---- the help page ---- */

static unsigned help_close(struct ui *u, int key)
{
	u->mode = UI_NORMAL;
	u->vs.help = false;
	return key == 'q' ? UI_QUIT : UI_REDRAW;
}

/* ---- the dashboard ---- */

static unsigned quit(struct ui *u, int key)
{
	(void)u;
	(void)key;
	return UI_QUIT;
}

static unsigned pause_key(struct ui *u, int key)
{
	(void)key;
	u->vs.paused = !u->vs.paused;
	return UI_REDRAW | UI_PAUSE;
}

static unsigned step(struct ui *u, int key)
{
	if (!u->vs.replay) {
		ui_message(u, false,
		           "\xE2\x86\x90 and \xE2\x86\x92 step through a recording (--replay)");
		return UI_REDRAW;
	}
	u->step = key == UI_KEY_LEFT ? -1 : 1;
	if (!u->vs.paused) { /* a step pauses first: the replay waits where it was taken to */
		u->vs.paused = true;
		return UI_REDRAW | UI_PAUSE | UI_STEP;
	}
	return UI_REDRAW | UI_STEP;
}

static unsigned restart(struct ui *u, int key)
{
	(void)key;
	if (!u->vs.replay) {
		ui_message(u, false, "R starts a recording again (--replay)");
		return UI_REDRAW;
	}
	return UI_REDRAW | UI_RESTART;
}

static unsigned move(struct ui *u, int key)
{
	long page = u->vs.pv.page > 1 ? u->vs.pv.page - 1 : 1;

	refresh(u);
	switch (key) {
	case UI_KEY_UP:
		proc_view_move(&u->vs.pv, -1);
		break;
	case UI_KEY_DOWN:
		proc_view_move(&u->vs.pv, 1);
		break;
	case UI_KEY_PGUP:
		proc_view_move(&u->vs.pv, -page);
		break;
	case UI_KEY_PGDN:
		proc_view_move(&u->vs.pv, page);
		break;
	default:
		proc_view_edge(&u->vs.pv, key == UI_KEY_END);
	}
	return UI_REDRAW | UI_SOURCE;
}

static void sort_by(struct ui *u, enum proc_field f)
{
	if (u->vs.pv.sort == f) {
		u->vs.pv.desc = !u->vs.pv.desc;
	} else {
		u->vs.pv.sort = f;
		u->vs.pv.desc = proc_fields[f].desc;
	}
	proc_view_changed(&u->vs.pv);
}

static unsigned sort_next(struct ui *u, int key)
{
	const struct view_hits *h = &u->vs.hits;
	int step = key == 'S' ? -1 : 1, f;

	if (h->proc && h->ncols > 0) {
		/* the columns on screen, left to right, as htop's sort menu offers them: a
		 * column the width hides is not sorted by unseen */
		int k = 0;
		while (k < h->ncols && h->col[k] != u->vs.pv.sort)
			k++;
		if (k == h->ncols) /* sorted by a hidden column: from the first (or the last) */
			k = step > 0 ? -1 : 0;
		f = (int)h->col[(k + step + h->ncols) % h->ncols];
	} else { /* no list on screen: every column in turn */
		f = ((int)u->vs.pv.sort + (step > 0 ? 1 : PF_COUNT - 1)) % PF_COUNT;
	}
	sort_by(u, (enum proc_field)f);
	return UI_REDRAW | UI_SOURCE;
}

static unsigned sort_reverse(struct ui *u, int key)
{
	(void)key;
	sort_by(u, u->vs.pv.sort);
	return UI_REDRAW | UI_SOURCE;
}

static unsigned tree(struct ui *u, int key)
{
	(void)key;
	u->vs.pv.tree = !u->vs.pv.tree;
	proc_view_changed(&u->vs.pv);
	return UI_REDRAW | UI_SOURCE;
}

static unsigned follow(struct ui *u, int key)
{
	(void)key;
	refresh(u);
	if (u->vs.pv.follow) {
		u->vs.pv.follow = false;
		ui_message(u, false, "not following");
		return UI_REDRAW;
	}
	if (u->vs.pv.sel_pid < 0)
		proc_view_move(&u->vs.pv, 0);
	if (u->vs.pv.sel_pid < 0) {
		ui_message(u, false, "no process to follow");
		return UI_REDRAW;
	}
	u->vs.pv.follow = true;
	ui_message(u, false, "following %d", u->vs.pv.sel_pid);
	return UI_REDRAW;
}

static unsigned kill_key(struct ui *u, int key)
{
	const struct sample_proc *p;
	char cmd[160];

	(void)key;
	if (u->vs.replay) {
		ui_message(u, false, "the processes of a recording cannot be signalled");
		return UI_REDRAW;
	}
	refresh(u);
	if (u->vs.pv.sel_pid < 0)
		proc_view_move(&u->vs.pv, 0); /* nothing selected: the top row, named below */
	p = u->smp ? proc_view_selected(&u->vs.pv, u->smp) : NULL;
	if (!p) {
		ui_message(u, false, "no process to signal");
		return UI_REDRAW;
	}
	proc_command(u->smp, p, cmd, sizeof cmd);
	u->vs.confirm.open = true;
	u->vs.confirm.pid = p->pid;
	u->vs.confirm.choice = 0; /* SIGTERM */
	snprintf(u->vs.confirm.what, sizeof u->vs.confirm.what, "%d %s", p->pid, cmd);
	u->mode = UI_CONFIRM;
	return UI_REDRAW;
}

static unsigned filter_open(struct ui *u, int key)
{
	(void)key;
	u->mode = UI_FILTER;
	u->vs.editing = true;
	str_copy(u->vs.edit, sizeof u->vs.edit, u->vs.filter);
	u->vs.edit_error[0] = '\0';
	return UI_REDRAW;
}

static unsigned escape(struct ui *u, int key)
{
	(void)key;
	if (u->vs.message[0]) {
		u->vs.message[0] = '\0';
		return UI_REDRAW;
	}
	if (u->vs.pv.sel_pid >= 0) {
		proc_view_unselect(&u->vs.pv);
		return UI_REDRAW;
	}
	if (u->vs.filter[0])
		return filter_clear(u, key);
	return UI_NONE;
}

static unsigned theme(struct ui *u, int key)
{
	(void)key;
	u->vs.color = u->vs.color >= 0 && u->vs.color < THEMES - 1 ? u->vs.color + 1 : 0;
	ui_message(u, false, "theme %d: %s (w saves it)", u->vs.color, theme_name(u->vs.color));
	return UI_REDRAW | UI_THEME;
}

static unsigned cores(struct ui *u, int key)
{
	(void)key;
	u->vs.show_cores = !u->vs.show_cores;
	return UI_REDRAW;
}

static unsigned interval(struct ui *u, int key)
{
	double v = ui_interval_step(u->vs.interval, key == '-' || key == '_' ? -1 : 1);

	if (u->vs.replay) {
		ui_message(u, false, "a recording plays at its own pace (--replay-speed)");
		return UI_REDRAW;
	}
	if (v == u->vs.interval)
		return UI_NONE;
	u->vs.interval = v;
	ui_message(u, false, "a sample every %g s", v);
	return UI_REDRAW | UI_INTERVAL;
}

static unsigned panel(struct ui *u, int key)
{
	static const char *const names[PANEL_COUNT] = { "CPU", "GPU & ANE", "Memory",
		                                        "Power & Thermal", "Processes" };
	int i = key - '1';

	u->vs.hidden[i] = !u->vs.hidden[i];
	ui_message(u, false, "%s %s (%d shows it again)", names[i],
	           u->vs.hidden[i] ? "hidden" : "shown", i + 1);
	if (!u->vs.hidden[i])
		u->vs.message[0] = '\0';
	return UI_REDRAW;
}

static unsigned save(struct ui *u, int key)
{
	(void)u;
	(void)key;
	return UI_SAVE;
}

static unsigned help(struct ui *u, int key)
{
	(void)key;
	u->mode = UI_HELP;
	u->vs.help = true;
	return UI_REDRAW;
}

static unsigned redraw(struct ui *u, int key)
{
	(void)u;
	(void)key;
	return UI_REDRAW;
}

/* the help page gives each description about 42 columns: keep them short */
static const struct key_def normal_keys[] = {
	{ { 'q', 'Q' }, "q", "quit (also Ctrl-C)", quit },
	{ { 'p', ' ' }, "p", "pause or resume every panel", pause_key },
	{ { UI_KEY_LEFT, UI_KEY_RIGHT },
	  "Left/Right",
	  "a recording: one sample back or forward",
	  step },
	{ { 'R' }, "R", "a recording: start it again", restart },
	{ { UI_KEY_UP, UI_KEY_DOWN }, "Up/Down", "select the process above or below", move },
	{ { UI_KEY_PGUP, UI_KEY_PGDN }, "PgUp/PgDn", "a page of processes up or down", move },
	{ { UI_KEY_HOME, UI_KEY_END }, "Home/End", "the first or the last process", move },
	{ { 's', 'S' }, "s", "sort by the next shown column (S: back)", sort_next },
	{ { 'r' }, "r", "reverse the sort order", sort_reverse },
	{ { 't' }, "t", "tree view: each process under its parent", tree },
	{ { 'F' }, "F", "follow the selected process", follow },
	{ { 'k' }, "k", "signal the selected process (asks first)", kill_key },
	{ { '/' }, "/", "filter processes as you type", filter_open },
	{ { UI_KEY_ESC }, "Esc", "clear message, selection, then filter", escape },
	{ { 'c' }, "c", "next colour theme", theme },
	{ { 'C' }, "C", "show or hide the per-core panels", cores },
	{ { '+', '=' }, "+", "a longer interval between samples", interval },
	{ { '-', '_' }, "-", "a shorter interval between samples", interval },
	{ { '1', '2', '3', '4', '5' },
	  "1-5",
	  "hide or show CPU, GPU, memory, power, procs",
	  panel },
	{ { 'w' }, "w", "save the settings to the config file", save },
	{ { '?', 'h' }, "?", "this help (h too)", help },
	{ { UI_KEY_RESIZE }, NULL, NULL, redraw },
};

static const struct key_def filter_keys[] = {
	{ { UI_KEY_ENTER }, "Enter", "keep the filter and close the line", filter_keep },
	{ { UI_KEY_ESC }, "Esc", "clear the filter and close the line", filter_clear },
	{ { UI_KEY_BACKSPACE }, "Backspace", "delete the last character", filter_back },
	{ { UI_KEY_RESIZE }, NULL, NULL, redraw },
};

static const struct key_def confirm_keys[] = {
	{ { UI_KEY_UP, UI_KEY_DOWN }, "Up/Down", "choose the signal", confirm_move },
	{ { UI_KEY_ENTER, 'y' }, "Enter", "send it", confirm_send },
	{ { UI_KEY_ESC, 'n', 'q' }, "Esc", "cancel: nothing is sent", confirm_cancel },
	{ { UI_KEY_RESIZE }, NULL, NULL, redraw },
};

const struct key_def *ui_keymap(enum ui_mode mode, size_t *n)
{
	switch (mode) {
	case UI_FILTER:
		*n = N(filter_keys);
		return filter_keys;
	case UI_CONFIRM:
		*n = N(confirm_keys);
		return confirm_keys;
	case UI_NORMAL:
		*n = N(normal_keys);
		return normal_keys;
	default:
		*n = 0;
		return NULL;
	}
}

unsigned ui_filter_check(struct ui *u)
{
	if (!u->has_re || !procsel_switched_off(&u->re))
		return UI_NONE;
	ui_message(u, true, "filter %.60s switched off: too costly to match (/ changes it)",
	           u->vs.filter);
	drop_filter(u);
	u->vs.filter[0] = '\0';
	proc_view_changed(&u->vs.pv);
	return UI_REDRAW | UI_SOURCE;
}

static const struct key_def *lookup(enum ui_mode mode, int key)
{
	size_t n;
	const struct key_def *k = ui_keymap(mode, &n);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < N(k[i].key) && k[i].key[j]; j++)
			if (k[i].key[j] == key)
				return &k[i];
	return NULL;
}

unsigned ui_key(struct ui *u, int key)
{
	const struct key_def *k;

	if (u->mode == UI_HELP) /* any key closes the help; q still quits */
		return key == UI_KEY_RESIZE ? UI_REDRAW : help_close(u, key);
	k = lookup(u->mode, key);
	if (k)
		return k->act(u, key);
	if (u->mode == UI_FILTER)
		return filter_type(u, key);
	return UI_NONE;
}

unsigned ui_mouse(struct ui *u, const struct ui_mouse *m)
{
	const struct view_hits *h = &u->vs.hits;

	if (u->mode != UI_NORMAL || !h->proc || m->x < h->x0 || m->x >= h->x1)
		return UI_NONE;
	refresh(u);
	if (m->button == UI_WHEEL_UP || m->button == UI_WHEEL_DOWN) {
		if (m->y < h->head_y || m->y >= h->rows_y + h->rows)
			return UI_NONE;
		proc_view_scroll(&u->vs.pv, m->button == UI_WHEEL_UP ? -3 : 3);
		return UI_REDRAW | UI_SOURCE;
	}
	if (m->y == h->head_y) { /* a heading: sort by it, again to reverse */
		for (int k = 0; k < h->ncols; k++)
			if (m->x >= h->col_x[k] && m->x < h->col_x[k + 1]) {
				sort_by(u, h->col[k]);
				return UI_REDRAW | UI_SOURCE;
			}
		return UI_NONE;
	}
	if (m->y >= h->rows_y && m->y < h->rows_y + h->rows &&
	    proc_view_click(&u->vs.pv, m->y - h->rows_y))
		return UI_REDRAW;
	return UI_NONE;
}
