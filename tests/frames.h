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
	int color; /* --color, 0 = default 2 */
	bool show_cores;
	enum core_view core_view;
	enum power_scale power_scale;
	const char *filter;
	enum proc_sort sort;
	bool help, paused;
	const char *keys; /* typed after the replay ('\n' Enter, '\033' Esc) */
	int samples;      /* replay only the first N (0: all) */
};

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
void frame_unload(struct frame_state *st);

#endif
