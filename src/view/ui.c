#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "../util/str.h"

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

void ui_free(struct ui *u)
{
	if (u->has_re)
		procsel_free(&u->re);
	u->has_re = false;
	u->vs.re = NULL;
}

static enum ui_action apply_filter(struct ui *u)
{
	struct error err;
	struct procsel_re re;

	if (!u->vs.edit[0]) { /* an empty filter shows everything */
		ui_free(u);
		u->vs.filter[0] = '\0';
		u->vs.editing = false;
		return UI_REDRAW;
	}
	if (options_compile_filter(&re, u->vs.edit, &err) != 0) {
		/* shown in place; the old filter stays until a valid one is entered */
		snprintf(u->vs.edit_error, sizeof u->vs.edit_error, "invalid regex: %s", err.msg);
		return UI_REDRAW;
	}
	ui_free(u);
	u->re = re;
	u->has_re = true;
	u->vs.re = &u->re;
	str_copy(u->vs.filter, sizeof u->vs.filter, u->vs.edit);
	u->vs.editing = false;
	u->vs.edit_error[0] = '\0';
	return UI_REDRAW;
}

static enum ui_action edit_key(struct ui *u, int key)
{
	size_t n = strlen(u->vs.edit);

	switch (key) {
	case UI_KEY_ESC:
		u->vs.editing = false;
		u->vs.edit_error[0] = '\0';
		return UI_REDRAW;
	case UI_KEY_ENTER:
		return apply_filter(u);
	case UI_KEY_BACKSPACE:
		/* one UTF-8 character back */
		while (n > 0 && ((unsigned char)u->vs.edit[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0)
			n--;
		u->vs.edit[n] = '\0';
		u->vs.edit_error[0] = '\0';
		return UI_REDRAW;
	case UI_KEY_RESIZE:
		return UI_REDRAW;
	default:
		if (key >= 0x20 && key < 0x7F && n + 1 < sizeof u->vs.edit) {
			u->vs.edit[n] = (char)key;
			u->vs.edit[n + 1] = '\0';
			u->vs.edit_error[0] = '\0';
			return UI_REDRAW;
		}
		return UI_NONE;
	}
}

enum ui_action ui_filter_check(struct ui *u)
{
	if (!u->has_re || !procsel_switched_off(&u->re))
		return UI_NONE;
	snprintf(u->vs.message, sizeof u->vs.message,
	         "filter %.60s switched off: too costly to match (see / to change it)",
	         u->vs.filter);
	ui_free(u);
	u->vs.filter[0] = '\0';
	return UI_REDRAW;
}

enum ui_action ui_key(struct ui *u, int key)
{
	if (u->vs.editing)
		return edit_key(u, key);
	if (u->vs.help) { /* any key closes the help; q still quits */
		if (key == UI_KEY_RESIZE)
			return UI_REDRAW;
		u->vs.help = false;
		return key == 'q' ? UI_QUIT : UI_REDRAW;
	}
	switch (key) {
	case 'q':
	case 'Q':
		return UI_QUIT;
	case 'p':
	case 'P':
		u->vs.paused = !u->vs.paused;
		return UI_REDRAW;
	case 's':
	case 'S':
		u->vs.sort = (enum proc_sort)((u->vs.sort + 1) % PROC_SORT_COUNT);
		return UI_REDRAW;
	case '/':
		u->vs.editing = true;
		str_copy(u->vs.edit, sizeof u->vs.edit, u->vs.filter);
		u->vs.edit_error[0] = '\0';
		return UI_REDRAW;
	case 'c':
	case 'C':
		u->vs.show_cores = !u->vs.show_cores;
		return UI_REDRAW;
	case '?':
	case 'h':
		u->vs.help = true;
		return UI_REDRAW;
	case UI_KEY_RESIZE:
		return UI_REDRAW;
	case UI_KEY_ESC:
		if (u->vs.message[0]) {
			u->vs.message[0] = '\0';
			return UI_REDRAW;
		}
		return UI_NONE;
	default:
		return UI_NONE;
	}
}
