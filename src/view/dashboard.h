/* dashboard.h - lays the panels out for a terminal size and draws one frame (pure: it only
 * draws on a surface) */
#ifndef AGTOP_DASHBOARD_H
#define AGTOP_DASHBOARD_H

#include <stdbool.h>

#include "../history/history.h"
#include "../procsel.h"
#include "../sample.h"
#include "proc_panel.h"
#include "surface.h"
#include "theme.h"

/* Below this the dashboard is one centred line saying so. */
#define VIEW_MIN_W 50
#define VIEW_MIN_H 14

/* The panels keys 1-5 show and hide. */
enum view_panel {
	PANEL_CPU = 0, /* the cluster boxes */
	PANEL_GPU,     /* GPU & ANE */
	PANEL_MEM,
	PANEL_POWER,
	PANEL_PROC,
	PANEL_COUNT
};

/* Where the last frame put the process list, so a click can be resolved. */
struct view_hits {
	bool proc;        /* the list is on screen */
	int x0, x1;       /* its columns (x1 exclusive) */
	int head_y;       /* the header row */
	int rows_y, rows; /* the first process row and how many are shown */
	int ncols;
	int col_x[PF_COUNT + 1]; /* column k spans col_x[k] .. col_x[k+1]-1 */
	enum proc_field col[PF_COUNT];
};

/* The signal dialog (k): which process, and the signal chosen so far. */
struct view_confirm {
	bool open;
	int pid;
	char what[200]; /* "1234 python3 train.py" */
	int choice;     /* index into ui_signals */
};

/* What the user has chosen with keys and options, and what the loop tells the view. */
struct view_state {
	bool show_cores;
	enum core_view core_view;
	struct proc_view pv;
	char filter[256];            /* the applied filter ("" none) */
	const struct procsel_re *re; /* its compiled form, NULL without a filter */
	bool editing;                /* "/" pressed: the filter line is open */
	char edit[256];              /* what is typed so far */
	char edit_error[160];
	bool help;
	struct view_confirm confirm;
	bool hidden[PANEL_COUNT]; /* panels hidden with keys 1-5 */
	int color;                /* the theme (--color) */
	double interval;          /* seconds between samples (the + and - keys) */
	bool paused;
	/* a recording: where the replay is, and whether it reached the end */
	bool replay, ended;
	unsigned long pos, total; /* sample pos of total (0: unknown) */
	unsigned long sample_gen; /* bumped whenever another sample is shown */
	char message[200];        /* a line for the status bar: an error, "theme 3: amber" */
	bool message_alert;       /* drawn as an alert, else as plain text */
	char version[64]; /* a development build's is long: 0.1.0-dev+v0.1.0-3-g8b90b48-dirty */
	struct view_hits hits; /* written by view_draw */
};

void view_state_init(struct view_state *vs, const struct options *o);
void view_state_free(struct view_state *vs);

/* Draws a whole frame. smp may be NULL before the first reading. */
void view_draw(struct surface *s, const struct sample *smp, const struct history *h,
               struct view_state *vs, const struct theme *t);

/* The live source's name as people know it: "IOReport", "powermetrics", "procfs". */
const char *view_source_name(const char *source);

#endif
