/* frames.h - a recording drawn as a dashboard frame on the grid */
#ifndef AGTOP_TEST_FRAMES_H
#define AGTOP_TEST_FRAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "history/history.h"
#include "options.h"
#include "procsel.h"
#include "view/dashboard.h"
#include "view/grid.h"
#include "view/theme.h"
#include "view/ui.h"

struct frame_case {
	const char *name;      /* golden file stem */
	const char *recording; /* under tests/data */
	enum render_mode mode;
	bool gradient;
	int color; /* --color, 0 = default 2, -1 = theme 0 */
	bool show_cores;
	enum core_view core_view;
	enum power_scale power_scale;
	const char *filter;
	const char *sort; /* a proc_fields name, NULL: CPU% */
	bool help, paused;
	const char *keys; /* typed after the replay: '\n' Enter, '\033' Esc, FK_* below */
	int samples;      /* replay only the first N (0: all) */
	bool live;        /* drawn as the live dashboard, not as the replay it comes from */
	bool ended;       /* the replay reached its end */
};

/* special keys in frame_case.keys */
#define FK_UP    "\x01"
#define FK_DOWN  "\x02"
#define FK_LEFT  "\x03"
#define FK_RIGHT "\x04"
#define FK_PGUP  "\x05"
#define FK_PGDN  "\x06"
#define FK_HOME  "\x07"
#define FK_END   "\x0e"
#define FK_BS    "\x08"

struct frame_state {
	struct options o;
	struct history hist;
	struct sample last;
	struct ui ui;
	struct theme theme;
};

/* Replays the recording through the history (once), keeping its last sample. */
int frame_load(const struct frame_case *fc, struct frame_state *st, char *err, size_t errsize);
/* Draws the last sample at w x h on a fresh grid (grid_free it afterwards). */
int frame_draw(struct frame_state *st, int w, int h, struct grid *g);
void frame_show_cores(struct frame_state *st, bool on, enum core_view view);
/* Types keys (as frame_case.keys) into the loaded frame. */
void frame_keys(struct frame_state *st, const char *keys, enum render_mode mode, bool gradient);
void frame_unload(struct frame_state *st);

#endif
