#include "proc_panel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/str.h"
#include "format.h"
#include "panels.h"

#define TREE_MAX_DEPTH 12 /* deeper rows are indented no further */

/* ---- the list and its selection ---- */

void proc_view_init(struct proc_view *pv)
{
	memset(pv, 0, sizeof *pv);
	pv->sort = PF_CPU;
	pv->desc = true;
	pv->sel_pid = -1;
}

void proc_view_free(struct proc_view *pv)
{
	procsel_rows_free(&pv->rows);
}

void proc_view_changed(struct proc_view *pv)
{
	pv->order_gen++;
}

static long find_pid(const struct proc_view *pv, int pid)
{
	for (size_t i = 0; i < pv->rows.n; i++)
		if (pv->rows.row[i].pid == pid)
			return (long)i;
	return -1;
}

static size_t page_of(const struct proc_view *pv)
{
	return pv->page > 0 ? (size_t)pv->page : 1;
}

/* the scroll that keeps the selection on screen, within the list */
static void fix_scroll(struct proc_view *pv)
{
	size_t n = pv->rows.n, page = page_of(pv);

	if (pv->sel_pid >= 0) {
		if (pv->sel < pv->scroll)
			pv->scroll = pv->sel;
		if (pv->sel >= pv->scroll + page)
			pv->scroll = pv->sel - page + 1;
	}
	if (pv->scroll + page > n)
		pv->scroll = n > page ? n - page : 0;
}

static void select_row(struct proc_view *pv, size_t row)
{
	pv->sel = row;
	pv->sel_pid = pv->rows.row[row].pid;
	fix_scroll(pv);
}

void proc_view_refresh(struct proc_view *pv, const struct sample *s, const struct procsel_re *re,
                       unsigned long sample_gen)
{
	bool reordered = !pv->done || pv->done_order != pv->order_gen;
	long at;

	if (pv->done && pv->done_sample == sample_gen && !reordered)
		return;
	procsel_order(s, re, pv->sort, pv->desc, pv->tree, &pv->rows);
	pv->done = true;
	pv->done_sample = sample_gen;
	pv->done_order = pv->order_gen;
	pv->lost = false;
	if (pv->sel_pid >= 0) {
		/* a new order keeps the process; a new sample keeps the row, unless following */
		at = find_pid(pv, pv->sel_pid);
		if (at >= 0 && (pv->follow || reordered)) {
			pv->sel = (size_t)at;
		} else if (at < 0 && pv->follow) {
			pv->follow = false;
			pv->lost = true;
		}
		if (pv->rows.n == 0) {
			pv->sel_pid = -1;
			pv->follow = false;
		} else {
			select_row(pv, pv->sel < pv->rows.n ? pv->sel : pv->rows.n - 1);
		}
	}
	fix_scroll(pv);
}

void proc_view_move(struct proc_view *pv, long delta)
{
	long n = (long)pv->rows.n, to;

	if (n == 0)
		return;
	to = pv->sel_pid < 0 ? (long)pv->scroll /* a first move selects the top row shown */
	                     : (long)pv->sel + delta;
	select_row(pv, (size_t)(to < 0 ? 0 : to >= n ? n - 1 : to));
}

void proc_view_edge(struct proc_view *pv, bool end)
{
	if (pv->rows.n)
		select_row(pv, end ? pv->rows.n - 1 : 0);
}

void proc_view_scroll(struct proc_view *pv, long delta)
{
	long n = (long)pv->rows.n, page = (long)page_of(pv), top = (long)pv->scroll + delta;
	long max = n > page ? n - page : 0;

	pv->scroll = (size_t)(top < 0 ? 0 : top > max ? max : top);
	/* a selection scrolled off screen comes along */
	if (pv->sel_pid >= 0 && pv->sel < pv->scroll)
		select_row(pv, pv->scroll);
	else if (pv->sel_pid >= 0 && pv->sel >= pv->scroll + (size_t)page)
		select_row(pv, pv->scroll + (size_t)page - 1);
}

bool proc_view_click(struct proc_view *pv, int row)
{
	size_t r = pv->scroll + (size_t)row;

	if (row < 0 || r >= pv->rows.n)
		return false;
	select_row(pv, r);
	return true;
}

void proc_view_unselect(struct proc_view *pv)
{
	pv->sel_pid = -1;
	pv->follow = false;
}

const struct sample_proc *proc_view_selected(const struct proc_view *pv, const struct sample *s)
{
	size_t idx;

	if (pv->sel_pid < 0 || pv->sel >= pv->rows.n)
		return NULL;
	idx = pv->rows.row[pv->sel].idx;
	return idx < s->nprocs && s->procs[idx].pid == pv->sel_pid ? &s->procs[idx] : NULL;
}

/* ---- columns ---- */

/* A column no process has a value for (no GPU ledger on this machine, a recording without
 * owners) is left out rather than filled with N/A. */
static bool column_known(const struct sample *s, enum proc_field f)
{
	if (!proc_fields[f].known)
		return true;
	for (size_t i = 0; i < s->nprocs; i++)
		if (proc_fields[f].known(s, &s->procs[i]))
			return true;
	return false;
}

/* The columns that fit w cells: every field with values, then the one with the highest drop
 * dropped until the command keeps two fifths of the row (at least 12 cells). */
static int choose_columns(const struct sample *s, int w, enum proc_field *cols)
{
	bool on[PF_COUNT];
	int need, mincmd = w * 2 / 5 > 12 ? w * 2 / 5 : 12, n = 0;

	for (int f = 0; f < PF_COUNT; f++)
		on[f] = f == PF_PID || f == PF_CPU || f == PF_COMMAND ||
		        column_known(s, (enum proc_field)f);
	for (;;) {
		int worst = -1;
		need = mincmd;
		for (int f = 0; f < PF_COUNT; f++)
			if (on[f] && proc_fields[f].width)
				need += proc_fields[f].width + 1;
		if (need <= w)
			break;
		for (int f = 0; f < PF_COUNT; f++)
			if (on[f] && proc_fields[f].drop &&
			    (worst < 0 || proc_fields[f].drop > proc_fields[worst].drop))
				worst = f;
		if (worst < 0)
			break;
		on[worst] = false;
	}
	for (int f = 0; f < PF_COUNT; f++)
		if (on[f])
			cols[n++] = (enum proc_field)f;
	return n;
}

/* x of each column, and the command's width (what is left) */
static void column_xs(const enum proc_field *cols, int ncols, int x0, int w, int *xs)
{
	int fixed = 0, x = x0;

	for (int k = 0; k < ncols; k++)
		if (proc_fields[cols[k]].width)
			fixed += proc_fields[cols[k]].width + 1;
	for (int k = 0; k < ncols; k++) {
		int cw = proc_fields[cols[k]].width;
		xs[k] = x;
		x += (cw ? cw : (w - fixed > 1 ? w - fixed : 1)) + 1;
	}
	xs[ncols] = x0 + w + 1;
}

static void draw_header(struct panel_ctx *c, const enum proc_field *cols, int ncols, const int *xs,
                        int y)
{
	const struct proc_view *pv = &c->vs->pv;

	for (int k = 0; k < ncols; k++) {
		const struct proc_field_def *f = &proc_fields[cols[k]];
		int cw = xs[k + 1] - xs[k] - 1, pad;
		char h[32];
		const char *alts[2] = { h, f->title };
		bool sorted = cols[k] == pv->sort;

		/* the sorted column says which way, where there is room */
		snprintf(h, sizeof h, "%s%s", f->title,
		         !sorted    ? ""
		         : pv->desc ? "\xE2\x96\xBC" /* ▼ */
		                    : "\xE2\x96\xB2" /* ▲ */);
		pad = f->right ? cw - text_width(text_width(h) <= cw ? h : f->title) : 0;
		surf_label(c->s, xs[k] + (pad > 0 ? pad : 0), y, cw, alts, 2,
		           sorted ? c->t->select : c->t->head);
	}
}

/* "│  ├─ ": the tree's lines before a command */
static void tree_prefix(const struct procsel_row *row, char *out, size_t size)
{
	size_t o = 0;
	unsigned d = row->depth < TREE_MAX_DEPTH ? row->depth : TREE_MAX_DEPTH;

	out[0] = '\0';
	if (d == 0)
		return;
	for (unsigned k = 1; k < d && o + 8 < size; k++) {
		bool line = k < PROCSEL_TREE_LINES && (row->lines >> k & 1u);
		o += (size_t)snprintf(out + o, size - o, "%s", line ? "\xE2\x94\x82  " : "   ");
	}
	if (o + 12 < size)
		snprintf(out + o, size - o, "%s",
		         row->last ? "\xE2\x94\x94\xE2\x94\x80 " : "\xE2\x94\x9C\xE2\x94\x80 ");
}

static void draw_row(struct panel_ctx *c, const struct procsel_row *row,
                     const enum proc_field *cols, int ncols, const int *xs, int y, bool sel)
{
	const struct sample_proc *p = &c->smp->procs[row->idx];
	struct style st = sel ? c->t->select : c->t->text;

	if (sel)
		surf_fill(c->s, xs[0], y, xs[ncols] - 1 - xs[0], ' ', st);
	for (int k = 0; k < ncols; k++) {
		const struct proc_field_def *f = &proc_fields[cols[k]];
		int cw = xs[k + 1] - xs[k] - 1, pad;
		char cell[1200], fitted[1200];

		if (cols[k] == PF_COMMAND) {
			char cmd[1024];
			size_t o;
			tree_prefix(row, cell, sizeof cell);
			o = strlen(cell);
			f->fmt(c->smp, p, cmd, sizeof cmd);
			str_copy(cell + o, sizeof cell - o, cmd);
		} else {
			f->fmt(c->smp, p, cell, sizeof cell);
		}
		data_fit(cell, cw, fitted, sizeof fitted);
		pad = f->right ? cw - text_width(fitted) : 0;
		surf_text(c->s, xs[k] + (pad > 0 ? pad : 0), y, cw, fitted,
		          !sel && (!f->known || f->known(c->smp, p)) ? st
		          : sel                                      ? st
		                                                     : c->t->dim,
		          RUN_DATA);
	}
}

int panel_proc_rows(const struct panel_ctx *c, int inner_w, bool pref)
{
	size_t n = c->smp->nprocs;

	(void)inner_w;
	if (!pref)
		return 2;
	return 1 + (int)(n < 8 ? (n ? n : 1) : 8);
}

static void titles(const struct panel_ctx *c, char *t0, char *t1, size_t size)
{
	const struct proc_view *pv = &c->vs->pv;
	char label[64], extra[96] = "";
	size_t total =
	    c->smp->nprocs_total > c->smp->nprocs ? c->smp->nprocs_total : c->smp->nprocs;

	data_fit(c->vs->filter, 28, label, sizeof label);
	if (pv->tree)
		snprintf(extra, sizeof extra, " \xC2\xB7 tree");
	if (pv->follow)
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
		         " \xC2\xB7 following %d", pv->sel_pid);
	if (!c->vs->filter[0]) {
		snprintf(t0, size, "Processes (%zu)%s", total, extra);
		snprintf(t1, size, "Processes%s", extra);
	} else if (pv->rows.n == 0) {
		snprintf(t0, size, "Processes: no match for %s", label);
		snprintf(t1, size, "Processes: no match");
	} else {
		snprintf(t0, size, "Processes: %zu match %s%s", pv->rows.n, label, extra);
		snprintf(t1, size, "Processes (filtered)%s", extra);
	}
}

void panel_proc(struct panel_ctx *c, struct rect r)
{
	struct proc_view *pv = &c->vs->pv;
	struct view_hits *hit = &c->vs->hits;
	enum proc_field cols[PF_COUNT];
	int xs[PF_COUNT + 1], ncols, page;
	char t0[320], t1[160];
	const char *title[2] = { t0, t1 };
	struct rect in;

	proc_view_refresh(pv, c->smp, c->vs->re, c->vs->sample_gen);
	titles(c, t0, t1, sizeof t0);
	in = w_box(c->s, r, title, 2, c->t);
	if (in.h < 1 || in.w < 1)
		return;
	ncols = choose_columns(c->smp, in.w, cols);
	column_xs(cols, ncols, in.x, in.w, xs);
	draw_header(c, cols, ncols, xs, in.y);
	page = in.h - 1;
	pv->page = page;
	fix_scroll(pv);
	for (int i = 0; i < page && pv->scroll + (size_t)i < pv->rows.n; i++) {
		const struct procsel_row *row = &pv->rows.row[pv->scroll + (size_t)i];
		if (row->idx < c->smp->nprocs)
			draw_row(c, row, cols, ncols, xs, in.y + 1 + i,
			         pv->sel_pid >= 0 && pv->scroll + (size_t)i == pv->sel);
	}
	if (pv->rows.n == 0 && in.h >= 2) {
		const char *why = sample_note_get(c->smp, "processes");
		const char *alts[] = { c->vs->filter[0] ? "(no matching processes)"
			               : why            ? why
			                                : "(no processes)" };
		surf_label(c->s, in.x, in.y + 1, in.w, alts, 1, c->t->dim);
	}
	hit->proc = true;
	hit->x0 = in.x;
	hit->x1 = in.x + in.w;
	hit->head_y = in.y;
	hit->rows_y = in.y + 1;
	hit->rows = page;
	hit->ncols = ncols;
	memcpy(hit->col, cols, sizeof cols[0] * (size_t)ncols);
	memcpy(hit->col_x, xs, sizeof xs[0] * (size_t)(ncols + 1));
}

void panel_proc_lines(struct panel_ctx *c, struct rect r)
{
	struct proc_view *pv = &c->vs->pv;

	proc_view_refresh(pv, c->smp, c->vs->re, c->vs->sample_gen);
	for (int i = 0; i < r.h && (size_t)i < pv->rows.n; i++) {
		const struct sample_proc *p = &c->smp->procs[pv->rows.row[i].idx];
		char cmd[1024], line[1100], fitted[1100];

		proc_command(c->smp, p, cmd, sizeof cmd);
		if (isnan(p->cpu))
			snprintf(line, sizeof line, "%7d   N/A %s", p->pid, cmd);
		else
			snprintf(line, sizeof line, "%7d %5.1f %s", p->pid, p->cpu * 100, cmd);
		data_fit(line, r.w, fitted, sizeof fitted);
		surf_text(c->s, r.x, r.y + i, r.w, fitted, c->t->text, RUN_DATA);
	}
}
