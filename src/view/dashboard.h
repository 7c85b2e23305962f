/* dashboard.h - lays the panels out for a terminal size and draws one frame (pure: it only
 * draws on a surface) */
#ifndef AGTOP_DASHBOARD_H
#define AGTOP_DASHBOARD_H

#include <stdbool.h>

#include "../history/history.h"
#include "../procsel.h"
#include "../sample.h"
#include "surface.h"
#include "theme.h"

/* Below this the dashboard is one centred line saying so. */
#define VIEW_MIN_W 50
#define VIEW_MIN_H 14

/* What the user has chosen with keys and options. */
struct view_state {
	bool show_cores;
	enum core_view core_view;
	enum proc_sort sort;
	char filter[256];            /* the applied --proc-filter ("" none) */
	const struct procsel_re *re; /* its compiled form, NULL without a filter */
	bool editing;                /* "/" pressed: the filter line is open */
	char edit[256];              /* what is typed so far */
	char edit_error[160];        /* why the typed filter was refused */
	bool paused;
	bool help;
	char message[200]; /* a line for the status bar: an error, "replay finished" */
	char version[64];  /* a development build's is long: 0.1.0-dev+v0.1.0-3-g8b90b48-dirty */
};

void view_state_init(struct view_state *vs, const struct options *o);

/* Draws a whole frame. smp may be NULL before the first reading. */
void view_draw(struct surface *s, const struct sample *smp, const struct history *h,
               const struct view_state *vs, const struct theme *t);

#endif
