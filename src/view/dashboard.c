/* dashboard.c - the frame: header, the panel bands, the status line; layout that fits */
#include "dashboard.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../history/alerts.h"
#include "../util/str.h"
#include "format.h"
#include "panels.h"
#include "proc_panel.h"
#include "widgets.h"

void view_state_init(struct view_state *vs, const struct options *o)
{
	memset(vs, 0, sizeof *vs);
	vs->show_cores = o->show_cores;
	vs->core_view = o->core_view;
	proc_view_init(&vs->pv);
	{ /* --sort, --sort-reverse, --tree, --hide: where the last `w` left them */
		int f = o->sort >= 0 ? proc_field_parse(opt_sort_keys[o->sort]) : -1;
		if (f >= 0) {
			vs->pv.sort = (enum proc_field)f;
			vs->pv.desc = proc_fields[f].desc != o->sort_reverse;
		}
		vs->pv.tree = o->tree;
		for (int i = 0; i < PANEL_COUNT; i++)
			vs->hidden[i] = (o->hide_panels >> i) & 1u;
	}
	str_copy(vs->filter, sizeof vs->filter, o->proc_filter);
	vs->re = o->has_proc_re ? &o->proc_re : NULL;
	vs->color = o->color;
	vs->interval = o->interval;
	vs->replay = o->replay[0] != '\0';
	str_copy(vs->version, sizeof vs->version, AGTOP_VERSION);
}

void view_state_free(struct view_state *vs)
{
	proc_view_free(&vs->pv);
}

const char *view_source_name(const char *source)
{
	static const char *const names[][2] = {
		{ "ioreport", "IOReport" },
		{ "powermetrics", "powermetrics" },
		{ "linux", "procfs" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(source, names[i][0]))
			return names[i][1];
	return source;
}

/* ---- header and status line ---- */

static void topology(const struct sample *smp, char *out, size_t size)
{
	static const char letter[CLUSTER_KIND_COUNT] = { 'C', 'E', 'P', 'S' };
	unsigned count[CLUSTER_KIND_COUNT] = { 0 };
	size_t o = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < smp->nclusters; i++)
		count[smp->clusters[i].kind] += smp->clusters[i].ncores;
	/* efficiency first, as Apple's own "4E+12P"; one kind of core is just a count */
	if (count[CLUSTER_GENERIC] && !count[CLUSTER_EFFICIENCY] && !count[CLUSTER_PERFORMANCE] &&
	    !count[CLUSTER_SUPER]) {
		o += (size_t)snprintf(out, size, "%u CPUs", count[CLUSTER_GENERIC]);
	} else {
		for (int k = CLUSTER_EFFICIENCY; k <= CLUSTER_SUPER + 1; k++) {
			int kind = k <= CLUSTER_SUPER ? k : CLUSTER_GENERIC;
			if (count[kind])
				o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%u%c",
				                      o ? "+" : "", count[kind], letter[kind]);
		}
	}
	if (smp->host.gpu_cores > 0)
		o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%dGPU", o ? "+" : "",
		                      smp->host.gpu_cores);
	else if (smp->ngpus > 0)
		o += (size_t)snprintf(out + o, o < size ? size - o : 0, " \xC2\xB7 %u GPU%s",
		                      smp->ngpus, smp->ngpus > 1 ? "s" : "");
}

/* "studio · Apple M4 Max · 4E+12P+40GPU" and shorter */
static void who(const struct sample *smp, const struct view_state *vs, char (*l)[256])
{
	char topo[64] = "";
	const char *chip = smp && smp->host.chip[0] ? smp->host.chip
	                   : vs->replay             ? "unknown chip"
	                                            : "this machine";
	const char *dot = " \xC2\xB7 ";

	if (smp)
		topology(smp, topo, sizeof topo);
	if (vs->replay) {
		/* a recording names the machine it was made on, never "this machine" */
		const char *host = smp && smp->host.hostname[0] ? smp->host.hostname : "?";
		snprintf(l[0], 256, " %s%s%s%s%s", host, dot, chip, topo[0] ? dot : "", topo);
		snprintf(l[1], 256, " %s%s%s", host, dot, chip);
		snprintf(l[2], 256, " %s", host);
	} else {
		snprintf(l[0], 256, "agtop %s%s%s%s%s", vs->version, dot, chip, topo[0] ? dot : "",
		         topo);
		snprintf(l[1], 256, "agtop%s%s%s%s", dot, chip, topo[0] ? dot : "", topo);
		snprintf(l[2], 256, "%s", chip);
	}
}

/* "IOReport · 21:40:39" live; "recorded 2026-11-23 21:40:39 · sample 12 of 40" replayed;
 * with cores_need, first why --show-cores is not honoured */
static size_t when(const struct sample *smp, const struct view_state *vs, int cores_need,
                   char (*r)[160])
{
	char clock[16] = "", date[16] = "", pos[48] = "", ps[24] = "", need[48] = "", ns[32] = "";
	const char *dot = " \xC2\xB7 ";
	size_t n = 0;

	if (smp && !isnan(smp->time)) {
		time_t tt = (time_t)smp->time;
		struct tm tm;
		if (localtime_r(&tt, &tm)) {
			strftime(clock, sizeof clock, "%H:%M:%S", &tm);
			strftime(date, sizeof date, "%Y-%m-%d ", &tm);
		}
	}
	if (cores_need) {
		snprintf(need, sizeof need, "per-core panels need %d rows%s", cores_need, dot);
		snprintf(ns, sizeof ns, "cores need %d rows%s", cores_need, dot);
	}
	if (!vs->replay) {
		const char *src = smp ? view_source_name(smp->source) : "";
		snprintf(r[n++], 160, "%s%s%s%s", need, src, src[0] && clock[0] ? dot : "", clock);
		snprintf(r[n++], 160, "%s%s", need, clock);
		snprintf(r[n++], 160, "%s%s", ns, clock);
		snprintf(r[n++], 160, "%s", clock);
		return n;
	}
	if (vs->total)
		snprintf(pos, sizeof pos, "sample %lu of %lu", vs->pos, vs->total);
	else
		snprintf(pos, sizeof pos, "sample %lu", vs->pos);
	snprintf(ps, sizeof ps, vs->total ? "%lu/%lu" : "%lu", vs->pos, vs->total);
	snprintf(r[n++], 160, "%srecorded %s%s%s%s", need, date, clock, dot, pos);
	snprintf(r[n++], 160, "%s%s%s%s%s", need, date, clock, dot, pos);
	snprintf(r[n++], 160, "%s%s%s%s", need, clock, dot, ps);
	snprintf(r[n++], 160, "%s%s%s%s", ns, clock, dot, ps);
	snprintf(r[n++], 160, "%s%s", ns, ps);
	snprintf(r[n++], 160, "%s", ps);
	return n;
}

static void draw_header(struct surface *s, const struct sample *smp, const struct view_state *vs,
                        const struct theme *t, int cores_need)
{
	char l[3][256], r[6][160], fitted[160];
	const char *la[3] = { l[0], l[1], l[2] }, *ra[6] = { r[0], r[1], r[2], r[3], r[4], r[5] };
	size_t nr = when(smp, vs, cores_need, r);
	int x = 0, rw;

	who(smp, vs, l);
	label_fit(ra, nr, s->w / 2, fitted, sizeof fitted);
	rw = text_width(fitted);
	if (rw)
		surf_label(s, s->w - rw, 0, rw, ra, nr, cores_need ? t->alert : t->dim);
	/* why the machine is slow, beside the clock: "THROTTLED: power limit, low power mode" */
	if (smp && smp->throttle.known && smp->throttle.causes) {
		char words[96], th[2][128];
		const char *ta[2] = { th[0], th[1] };
		int tw;
		alerts_throttle_words(smp->throttle.causes, ", ", words, sizeof words);
		snprintf(th[0], sizeof th[0], "THROTTLED: %s", words);
		snprintf(th[1], sizeof th[1], "THROTTLED");
		label_fit(ta, 2, s->w / 3, fitted, sizeof fitted);
		tw = text_width(fitted);
		if (tw && s->w - rw - tw - 2 > 24) {
			surf_label(s, s->w - rw - tw - 2, 0, tw, ta, 2, t->alert);
			rw += tw + 2;
		}
	}
	if (vs->replay) {
		const char *rep[1] = { "REPLAY" };
		x = surf_label(s, 0, 0, s->w, rep, 1, t->select);
	}
	surf_label(s, x, 0, s->w - x - rw - 1, la, 3, t->title);
}

struct segment {
	char text[200];
	int priority; /* lower is kept longer */
	struct style st;
};

struct status {
	struct segment seg[10];
	int n;
};

static void add(struct status *st, int priority, struct style style, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(struct status *st, int priority, struct style style, const char *fmt, ...)
{
	struct segment *g = &st->seg[st->n];
	va_list ap;

	if (st->n >= (int)(sizeof st->seg / sizeof st->seg[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(g->text, sizeof g->text, fmt, ap);
	va_end(ap);
	g->priority = priority;
	g->st = style;
	st->n++;
}

/* the filter line while "/" is open, with what Enter and Esc do or why the regex is refused */
static void draw_filter_line(struct surface *s, const struct view_state *vs, const struct theme *t)
{
	char line[400];
	int x, y = s->h - 1;
	const char *hint[] = { vs->edit_error[0] ? vs->edit_error
		                                 : "Enter keeps \xC2\xB7 Esc clears",
		               vs->edit_error[0] ? "invalid regex" : "Enter/Esc" };

	snprintf(line, sizeof line, "Filter: %s", vs->edit);
	surf_text(s, 0, y, s->w, line, t->select, RUN_DATA);
	x = text_width(line);
	if (x + 2 < s->w)
		surf_label(s, x + 2, y, s->w - x - 2, hint, 2,
		           vs->edit_error[0] ? t->alert : t->dim);
}

/* drops the least important segments until the line fits (alerts go last), then draws */
static void draw_segments(struct surface *s, const struct status *st)
{
	bool keep[10];
	int x = 0;

	for (int i = 0; i < st->n; i++)
		keep[i] = true;
	for (int drop = 5; drop >= 1; drop--) {
		int width = 0, count = 0;
		for (int i = 0; i < st->n; i++)
			if (keep[i]) {
				width += text_width(st->seg[i].text);
				count++;
			}
		if (width + 2 * (count - 1) <= s->w)
			break;
		for (int i = 0; i < st->n; i++)
			if (st->seg[i].priority == drop)
				keep[i] = false;
	}
	for (int i = 0; i < st->n; i++) {
		const char *alts[1] = { st->seg[i].text };
		if (keep[i] && x < s->w)
			x += surf_label(s, x, s->h - 1, s->w - x, alts, 1, st->seg[i].st) + 2;
	}
}

static void draw_status(struct surface *s, const struct history *h, const struct view_state *vs,
                        const struct theme *t)
{
	static const char *const keys = "12345";
	struct status st = { .n = 0 };
	char e[32], hidden[16] = "";
	bool alert = h && strcmp(h->alerts.label, "none") != 0;

	if (vs->editing) {
		draw_filter_line(s, vs, t);
		return;
	}
	if (vs->message[0])
		add(&st, 0, vs->message_alert ? t->alert : t->text, "%s", vs->message);
	if (vs->pv.lost)
		add(&st, 0, t->text, "the followed process has ended");
	if (vs->paused)
		add(&st, 0, t->select, "%s",
		    vs->replay ? "PAUSED \xC2\xB7 \xE2\x86\x90 \xE2\x86\x92 step \xC2\xB7 p plays"
		               : "PAUSED \xC2\xB7 p resumes");
	add(&st, 1, alert ? t->alert : t->text, "alerts: %s", h ? h->alerts.label : "none");
	if (h && !isnan(h->energy_j)) {
		fmt_energy(e, sizeof e, h->energy_j);
		add(&st, 3, t->text, "energy %s", e);
	}
	add(&st, 4, t->dim, "sort %s%s", proc_fields[vs->pv.sort].title,
	    vs->pv.desc ? "\xE2\x96\xBC" : "\xE2\x96\xB2");
	for (int i = 0; i < PANEL_COUNT; i++)
		if (vs->hidden[i])
			snprintf(hidden + strlen(hidden), sizeof hidden - strlen(hidden), "%c",
			         keys[i]);
	if (hidden[0])
		add(&st, 4, t->dim, "hidden: %s", hidden);
	add(&st, 5, t->dim, "? help  q quit");
	draw_segments(s, &st);
}

/* ---- layout ---- */

enum box_id { BOX_CLUSTER, BOX_GPU, BOX_MEM, BOX_POWER, BOX_PROC };

struct box {
	enum box_id id;
	unsigned index; /* cluster number */
	bool folded;    /* nothing to show: one row saying why */
	struct rect r;
};

struct band {
	struct box box[SAMPLE_MAX_CLUSTERS];
	unsigned nbox;
	int min, pref, h; /* outer heights */
	bool grows;       /* takes rows left over at the end (processes) */
};

struct layout {
	struct band band[SAMPLE_MAX_CLUSTERS + 8];
	unsigned nband;
};

static int box_want(const struct panel_ctx *c, const struct box *b, bool pref)
{
	int iw = b->r.w - 2;

	if (b->folded)
		return 1;
	switch (b->id) {
	case BOX_CLUSTER:
		return panel_cluster_rows(c, b->index, iw, pref) + 2;
	case BOX_GPU:
		return panel_gpu_rows(c, iw, pref) + 2;
	case BOX_MEM:
		return panel_mem_rows(c, iw, pref) + 2;
	case BOX_POWER:
		return panel_power_rows(c, iw, pref) + 2;
	case BOX_PROC:
		return panel_proc_rows(c, iw, pref) + 2;
	}
	return 3;
}

static void add_band(struct layout *L, const struct box *boxes, unsigned n, int W)
{
	struct band *b = &L->band[L->nband++];

	memset(b, 0, sizeof *b);
	b->nbox = n;
	for (unsigned i = 0; i < n; i++) {
		b->box[i] = boxes[i];
		b->box[i].r.x = (int)((long)W * i / n);
		b->box[i].r.w = (int)((long)W * (i + 1) / n) - b->box[i].r.x;
		if (boxes[i].id == BOX_PROC && !boxes[i].folded)
			b->grows = true;
	}
}

static void band_wants(struct layout *L, const struct panel_ctx *c)
{
	for (unsigned i = 0; i < L->nband; i++) {
		struct band *b = &L->band[i];
		b->min = b->pref = 0;
		for (unsigned k = 0; k < b->nbox; k++) {
			int mn = box_want(c, &b->box[k], false), pf = box_want(c, &b->box[k], true);
			if (mn > b->min)
				b->min = mn;
			if (pf > b->pref)
				b->pref = pf;
		}
	}
}

static int total_min(const struct layout *L)
{
	int sum = 0;

	for (unsigned i = 0; i < L->nband; i++)
		sum += L->band[i].min;
	return sum;
}

static void cluster_bands(struct layout *L, const struct panel_ctx *c, int W)
{
	unsigned n = c->smp->nclusters, per_row = (unsigned)(W / PANEL_MIN_CLUSTER_W), rows;

	if (!n || c->vs->hidden[PANEL_CPU])
		return;
	if (per_row < 1)
		per_row = 1;
	rows = (n + per_row - 1) / per_row;
	per_row = (n + rows - 1) / rows; /* even rows: 3+3 rather than 4+2 */
	for (unsigned r = 0; r < rows; r++) {
		struct box b[SAMPLE_MAX_CLUSTERS];
		unsigned k = 0;
		for (unsigned i = r * per_row; i < n && i < (r + 1) * per_row; i++)
			b[k++] = (struct box){ BOX_CLUSTER, i, false, { 0, 0, 0, 0 } };
		add_band(L, b, k, W);
	}
}

static bool box_empty(const struct panel_ctx *c, enum box_id id)
{
	char why[8];

	switch (id) {
	case BOX_GPU:
		return panel_gpu_empty(c->smp, why, sizeof why);
	case BOX_MEM:
		return panel_mem_empty(c->smp, why, sizeof why);
	case BOX_POWER:
		return panel_power_empty(c->smp, why, sizeof why);
	case BOX_PROC:
		return c->smp->nprocs == 0;
	default:
		return false;
	}
}

/* The bands for a width: clusters side by side (as many as fit); then the panels with data
 * two by two (GPU & ANE beside Memory, Power beside Processes), each alone when the terminal
 * is narrow, an odd one alone at full width; then one row for each panel with nothing to
 * show. Panels hidden with 1-5 are left out. */
static void build(struct layout *L, const struct panel_ctx *c, int W, bool with_proc)
{
	static const enum box_id order[] = { BOX_GPU, BOX_MEM, BOX_POWER, BOX_PROC };
	static const enum view_panel key[] = { PANEL_GPU, PANEL_MEM, PANEL_POWER, PANEL_PROC };
	struct box full[4], folded[4];
	unsigned nfull = 0, nfold = 0, per = W >= 2 * PANEL_MIN_BOX_W ? 2 : 1;

	L->nband = 0;
	cluster_bands(L, c, W);
	for (unsigned i = 0; i < 4; i++) {
		struct box b = { order[i], 0, false, { 0, 0, 0, 0 } };
		if (c->vs->hidden[key[i]] || (order[i] == BOX_PROC && !with_proc))
			continue;
		b.folded = box_empty(c, order[i]);
		if (b.folded)
			folded[nfold++] = b;
		else
			full[nfull++] = b;
	}
	for (unsigned i = 0; i < nfull; i += per)
		add_band(L, &full[i], nfull - i < per ? nfull - i : per, W);
	for (unsigned i = 0; i < nfold; i++)
		add_band(L, &folded[i], 1, W);
	band_wants(L, c);
}

/* Rows beyond the minimum: up to each band's preferred height, a row at a time, top first;
 * then the process panel (up to PANEL_PROC_MAX rows); then everyone. Then the y of each. */
static void spread(struct layout *L, const struct panel_ctx *c, int left)
{
	bool more = true;
	int y = 1;

	for (unsigned i = 0; i < L->nband; i++)
		L->band[i].h = L->band[i].min;
	while (left > 0 && more) {
		more = false;
		for (unsigned i = 0; i < L->nband && left > 0; i++)
			if (L->band[i].h < L->band[i].pref) {
				L->band[i].h++;
				left--;
				more = true;
			}
	}
	for (unsigned i = 0; i < L->nband && left > 0; i++)
		if (L->band[i].grows) {
			int procs =
			    c->smp->nprocs < PANEL_PROC_MAX ? (int)c->smp->nprocs : PANEL_PROC_MAX;
			int room = procs + 3 - L->band[i].h;
			int add = room < 0 ? 0 : room < left ? room : left;
			L->band[i].h += add;
			left -= add;
		}
	/* the rest: everyone but the one-row folded panels */
	for (more = true; left > 0 && more;) {
		more = false;
		for (unsigned i = 0; i < L->nband && left > 0; i++)
			if (!L->band[i].box[0].folded) {
				L->band[i].h++;
				left--;
				more = true;
			}
	}
	for (unsigned i = 0; i < L->nband; i++) {
		for (unsigned k = 0; k < L->band[i].nbox; k++) {
			L->band[i].box[k].r.y = y;
			L->band[i].box[k].r.h = L->band[i].h;
		}
		y += L->band[i].h;
	}
}

/* Fits the bands into H rows, dropping in the documented order (docs/dashboard.md):
 * per-core panels, then the process panel. Returns false when even that does not fit (the
 * compact list is drawn instead). The bandwidth agents never count here: they take only rows
 * the charts leave. */
static bool fit(struct layout *L, struct panel_ctx *c, int W, int H)
{
	bool with_proc = true;

	c->opts.show_cores = c->vs->show_cores;
	c->opts.bw_agents = true;
	c->cores_need = 0;
	build(L, c, W, with_proc);
	if (total_min(L) > H && c->opts.show_cores) {
		c->cores_need = total_min(L) + 2; /* with the header and the status line */
		c->opts.show_cores = false;
		build(L, c, W, with_proc);
	}
	if (total_min(L) > H) {
		with_proc = false;
		build(L, c, W, with_proc);
	}
	if (total_min(L) > H)
		return false;
	spread(L, c, H - total_min(L));
	return true;
}

static void draw_box(struct panel_ctx *c, const struct box *b)
{
	static const char *const names[] = { "CPU", "GPU & ANE", "Memory", "Power & Thermal",
		                             "Processes" };
	char why[320];

	if (b->folded) {
		const char *note;
		switch (b->id) {
		case BOX_GPU:
			panel_gpu_empty(c->smp, why, sizeof why);
			break;
		case BOX_MEM:
			panel_mem_empty(c->smp, why, sizeof why);
			break;
		case BOX_POWER:
			panel_power_empty(c->smp, why, sizeof why);
			break;
		default:
			note = sample_note_get(c->smp, "processes");
			snprintf(why, sizeof why, "%s", note ? note : "none listed");
		}
		panel_folded(c, names[b->id], why, b->r);
		return;
	}
	switch (b->id) {
	case BOX_CLUSTER:
		panel_cluster(c, b->index, b->r);
		break;
	case BOX_GPU:
		panel_gpu(c, b->r);
		break;
	case BOX_MEM:
		panel_mem(c, b->r);
		break;
	case BOX_POWER:
		panel_power(c, b->r);
		break;
	case BOX_PROC:
		if (c->vs->confirm.open) {
			/* the signal dialog takes the panel's place */
			const char *title[2] = { "Send a signal", "Signal" };
			confirm_draw(c->s, w_box(c->s, b->r, title, 2, c->t), c->vs, c->t);
		} else {
			panel_proc(c, b->r);
		}
		break;
	}
}

static void centred(struct surface *s, int y, const char *text, struct style st)
{
	const char *alts[] = { text };
	char buf[256];
	int w;

	label_fit(alts, 1, s->w, buf, sizeof buf);
	w = text_width(buf);
	surf_label(s, (s->w - w) / 2, y, s->w, alts, 1, st);
}

#define DIALOG_MIN_H 6

/* the signal dialog takes the process panel's place where the panel is tall enough */
static bool dialog_fits(const struct layout *L)
{
	for (unsigned i = 0; i < L->nband; i++)
		for (unsigned k = 0; k < L->band[i].nbox; k++)
			if (L->band[i].box[k].id == BOX_PROC && !L->band[i].box[k].folded)
				return L->band[i].box[k].r.h >= DIALOG_MIN_H;
	return false;
}

/* below VIEW_MIN: the size it needs, in one centred line */
static void too_small(struct surface *s, const struct theme *t)
{
	char a[96], b[64], c[32], fitted[96];
	const char *alts[3] = { a, b, c };
	int w;

	snprintf(a, sizeof a, "agtop needs at least %dx%d; this terminal is %dx%d", VIEW_MIN_W,
	         VIEW_MIN_H, s->w, s->h);
	snprintf(b, sizeof b, "needs %dx%d, this is %dx%d", VIEW_MIN_W, VIEW_MIN_H, s->w, s->h);
	snprintf(c, sizeof c, "needs %dx%d", VIEW_MIN_W, VIEW_MIN_H);
	label_fit(alts, 3, s->w, fitted, sizeof fitted);
	w = text_width(fitted);
	surf_label(s, (s->w - w) / 2, s->h / 2, s->w, alts, 3, t->text);
}

void view_draw(struct surface *s, const struct sample *smp, const struct history *h,
               struct view_state *vs, const struct theme *t)
{
	struct panel_ctx c;
	struct layout L;
	bool boxes;

	s->ops->clear(s);
	vs->hits.proc = false;
	if (s->w < VIEW_MIN_W || s->h < VIEW_MIN_H) {
		too_small(s, t);
		return;
	}
	if (vs->help) {
		panel_help(s, smp, vs, t);
		return;
	}
	if (!smp || !h) {
		draw_header(s, smp, vs, t, 0);
		centred(s, s->h / 2, "Waiting for the first reading ...", t->dim);
		draw_status(s, h, vs, t);
		return;
	}
	memset(&c, 0, sizeof c);
	c.s = s;
	c.smp = smp;
	c.h = h;
	c.vs = vs;
	c.t = t;
	boxes = fit(&L, &c, s->w, s->h - 2);
	if (vs->confirm.open && !(boxes && dialog_fits(&L))) {
		panel_confirm(s, vs, t); /* no process panel to hold it: the whole screen */
		return;
	}
	draw_header(s, smp, vs, t, c.cores_need);
	if (boxes) {
		for (unsigned i = 0; i < L.nband; i++)
			for (unsigned k = 0; k < L.band[i].nbox; k++)
				draw_box(&c, &L.band[i].box[k]);
	} else {
		panel_compact(&c, (struct rect){ 0, 1, s->w, s->h - 2 });
	}
	draw_status(s, h, vs, t);
}
