/* proc_panel.h - the process panel: columns from the field table, the ordered list, a selected
 * row that moves with keys and clicks, the tree view (pure) */
#ifndef AGTOP_PROC_PANEL_H
#define AGTOP_PROC_PANEL_H

#include <stdbool.h>

#include "../procsel.h"
#include "../sample.h"

struct panel_ctx;
struct rect;

/* What the user chose for the list, and where it is scrolled to. */
struct proc_view {
	enum proc_field sort;
	bool desc;
	bool tree;
	bool follow;   /* F: the selection stays on its process as rows move (else on its row) */
	int sel_pid;   /* the selected process, -1 none */
	size_t sel;    /* its row */
	size_t scroll; /* the first row shown */
	int page;      /* rows shown at the last frame (PgUp/PgDn move by it) */
	bool lost;     /* the followed process ended at the last refresh */
	/* the order, kept until the sample or the sort changes */
	struct procsel_rows rows;
	unsigned long order_gen; /* bumped by every change of sort, tree or filter */
	unsigned long done_sample, done_order;
	bool done;
};

void proc_view_init(struct proc_view *pv);
void proc_view_free(struct proc_view *pv);
/* The sort, tree or filter changed: the order is rebuilt at the next refresh. */
void proc_view_changed(struct proc_view *pv);
/* Brings the order up to date with sample number sample_gen (cheap when nothing changed) and
 * puts the selection where it belongs. */
void proc_view_refresh(struct proc_view *pv, const struct sample *s, const struct procsel_re *re,
                       unsigned long sample_gen);

/* Moves the selection by delta rows (a first move selects the top row shown). */
void proc_view_move(struct proc_view *pv, long delta);
/* To the first or the last row. */
void proc_view_edge(struct proc_view *pv, bool end);
/* Scrolls by delta rows, keeping a selection on screen (the wheel). */
void proc_view_scroll(struct proc_view *pv, long delta);
/* Selects the row-th row on screen (a click); false when there is no such row. */
bool proc_view_click(struct proc_view *pv, int row);
void proc_view_unselect(struct proc_view *pv);
/* The selected process of s, NULL when none. */
const struct sample_proc *proc_view_selected(const struct proc_view *pv, const struct sample *s);

/* inner rows the panel needs at least (pref false) or would like (pref true) */
int panel_proc_rows(const struct panel_ctx *c, int inner_w, bool pref);
/* draws the box in r and records where its header and rows are (vs->hits) */
void panel_proc(struct panel_ctx *c, struct rect r);
/* the busiest processes, one per line, without a box (the compact frame) */
void panel_proc_lines(struct panel_ctx *c, struct rect r);

#endif
