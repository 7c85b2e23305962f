/* ui.h - what keys do to the view (pure: no terminal here) */
#ifndef AGTOP_UI_H
#define AGTOP_UI_H

#include "dashboard.h"

/* keys after the screen has translated its own codes */
enum {
	UI_KEY_ENTER = 1000,
	UI_KEY_ESC,
	UI_KEY_BACKSPACE,
	UI_KEY_RESIZE,
};

enum ui_action {
	UI_NONE = 0, /* nothing to redraw */
	UI_REDRAW,   /* the view changed */
	UI_QUIT,
};

struct ui {
	struct view_state vs;
	struct procsel_re re; /* the applied filter */
	bool has_re;
};

void ui_init(struct ui *u, const struct options *o);
void ui_free(struct ui *u);
enum ui_action ui_key(struct ui *u, int key);
/* After a frame: a filter that went over its matching budget (procsel.h) is switched off with
 * a message; UI_REDRAW then. */
enum ui_action ui_filter_check(struct ui *u);

#endif
