/* dashboard.c - the frame: header, the panel bands, the status line; layout that fits */
#include "dashboard.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

static void draw_header(struct surface *s, const struct sample *smp, const struct view_state *vs,
                        const struct theme *t)
{
	char topo[64], l0[256], l1[256], l2[256], r0[128], r1[128], clock[16] = "";
	const char *chip = smp && smp->host.chip[0] ? smp->host.chip : "this machine";
	int used;

	if (smp) {
		time_t tt = (time_t)smp->time;
		struct tm tm;
		if (!isnan(smp->time) && localtime_r(&tt, &tm))
			strftime(clock, sizeof clock, "%H:%M:%S", &tm);
		topology(smp, topo, sizeof topo);
	} else {
		topo[0] = '\0';
	}
	snprintf(l0, sizeof l0, "agtop %s \xC2\xB7 %s%s%s", vs->version, chip,
	         topo[0] ? " \xC2\xB7 " : "", topo);
	snprintf(l1, sizeof l1, "agtop \xC2\xB7 %s%s%s", chip, topo[0] ? " \xC2\xB7 " : "", topo);
	snprintf(l2, sizeof l2, "%s", chip);
	{
		const char *alts[] = { l0, l1, l2 };
		used = surf_label(s, 0, 0, s->w, alts, 3, t->title);
	}
	snprintf(r0, sizeof r0, "%s%s%s", smp ? smp->source : "", clock[0] ? " \xC2\xB7 " : "",
	         clock);
	snprintf(r1, sizeof r1, "%s", clock);
	{
		const char *alts[] = { r0, r1 };
		char fitted[128];
		int room = s->w - used - 2;
		label_fit(alts, 2, room, fitted, sizeof fitted);
		if (fitted[0]) {
			int w = text_width(fitted);
			surf_label(s, s->w - w, 0, w, alts, 2, t->dim);
		}
	}
}

struct segment {
	char text[200];
	int priority; /* lower is kept longer */
	struct style st;
};

static void draw_status(struct surface *s, const struct history *h, const struct view_state *vs,
                        const struct theme *t)
{
	struct segment seg[8];
	int n = 0, y = s->h - 1;
	bool keep[8];
	char e[32];

	if (vs->editing) {
		char line[400];
		snprintf(line, sizeof line, "Filter: %s", vs->edit);
		surf_text(s, 0, y, s->w, line, t->select, RUN_DATA);
		{
			int x = text_width(line);
			const char *hint[] = { vs->edit_error[0]
				                   ? vs->edit_error
				                   : "Enter applies \xC2\xB7 Esc cancels",
				               vs->edit_error[0] ? "invalid regex" : "Enter/Esc" };
			if (x + 2 < s->w)
				surf_label(s, x + 2, y, s->w - x - 2, hint, 2,
				           vs->edit_error[0] ? t->alert : t->dim);
		}
		return;
	}
	if (vs->message[0]) {
		snprintf(seg[n].text, sizeof seg[n].text, "%s", vs->message);
		seg[n].priority = 0;
		seg[n++].st = t->alert;
	}
	if (vs->paused) {
		snprintf(seg[n].text, sizeof seg[n].text, "PAUSED (p resumes)");
		seg[n].priority = 0;
		seg[n++].st = t->alert;
	}
	snprintf(seg[n].text, sizeof seg[n].text, "alerts: %s", h ? h->alerts.label : "none");
	seg[n].priority = 1;
	seg[n++].st = h && strcmp(h->alerts.label, "none") != 0 ? t->alert : t->text;
	fmt_energy(e, sizeof e, h ? h->energy_j : NAN);
	snprintf(seg[n].text, sizeof seg[n].text, "energy %s", e);
	seg[n].priority = 3;
	seg[n++].st = t->text;
	snprintf(seg[n].text, sizeof seg[n].text, "sort %s%s", proc_fields[vs->pv.sort].title,
	         vs->pv.desc ? "\xE2\x96\xBC" : "\xE2\x96\xB2");
	seg[n].priority = 4;
	seg[n++].st = t->dim;
	snprintf(seg[n].text, sizeof seg[n].text, "? help  q quit");
	seg[n].priority = 5;
	seg[n++].st = t->dim;

	/* drop the least important segments until the line fits: alerts go last */
	for (int i = 0; i < n; i++)
		keep[i] = true;
	for (int drop = 5; drop >= 1; drop--) {
		int width = 0, count = 0;
		for (int i = 0; i < n; i++)
			if (keep[i]) {
				width += text_width(seg[i].text);
				count++;
			}
		width += 2 * (count - 1);
		if (width <= s->w)
			break;
		for (int i = 0; i < n; i++)
			if (seg[i].priority == drop)
				keep[i] = false;
	}
	{
		int x = 0;
		for (int i = 0; i < n; i++) {
			const char *alts[1];
			if (!keep[i] || x >= s->w)
				continue;
			alts[0] = seg[i].text;
			x += surf_label(s, x, y, s->w - x, alts, 1, seg[i].st) + 2;
		}
	}
}

/* ---- layout ---- */

enum box_id { BOX_CLUSTER, BOX_GPU, BOX_MEM, BOX_POWER, BOX_PROC };

struct box {
	enum box_id id;
	unsigned index; /* cluster number */
	struct rect r;
};

struct band {
	struct box box[SAMPLE_MAX_CLUSTERS];
	unsigned nbox;
	int min, pref, h; /* outer heights */
	bool grows;       /* takes rows left over at the end (processes) */
};

struct layout {
	struct band band[SAMPLE_MAX_CLUSTERS + 4];
	unsigned nband;
	struct panel_opts po;
};

static int box_want(const struct panel_ctx *c, enum box_id id, unsigned index, int inner_w,
                    bool pref)
{
	switch (id) {
	case BOX_CLUSTER:
		return panel_cluster_rows(c, index, inner_w, pref);
	case BOX_GPU:
		return panel_gpu_rows(c, inner_w, pref);
	case BOX_MEM:
		return panel_mem_rows(c, inner_w, pref);
	case BOX_POWER:
		return panel_power_rows(c, inner_w, pref);
	case BOX_PROC:
		return panel_proc_rows(c, inner_w, pref);
	}
	return 1;
}

static void add_band(struct layout *L, const enum box_id *ids, const unsigned *idx, unsigned n,
                     int x0, int w)
{
	struct band *b = &L->band[L->nband++];

	memset(b, 0, sizeof *b);
	b->nbox = n;
	for (unsigned i = 0; i < n; i++) {
		b->box[i].id = ids[i];
		b->box[i].index = idx ? idx[i] : 0;
		b->box[i].r.x = x0 + (int)((long)w * i / n);
		b->box[i].r.w = x0 + (int)((long)w * (i + 1) / n) - b->box[i].r.x;
		if (ids[i] == BOX_PROC)
			b->grows = true;
	}
}

static void band_wants(struct layout *L, const struct panel_ctx *c)
{
	for (unsigned i = 0; i < L->nband; i++) {
		struct band *b = &L->band[i];
		b->min = b->pref = 0;
		for (unsigned k = 0; k < b->nbox; k++) {
			int iw = b->box[k].r.w - 2;
			int mn = box_want(c, b->box[k].id, b->box[k].index, iw, false) + 2;
			int pf = box_want(c, b->box[k].id, b->box[k].index, iw, true) + 2;
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

/* The bands for a width: clusters side by side (as many as fit), then GPU & ANE beside Memory,
 * then Power beside Processes (stacked when the terminal is narrow). */
static void build(struct layout *L, const struct panel_ctx *c, int W, bool with_proc)
{
	unsigned n = c->smp->nclusters, per_row, rows;
	bool two = W >= 2 * PANEL_MIN_BOX_W;

	L->nband = 0;
	per_row = (unsigned)(W / PANEL_MIN_CLUSTER_W);
	if (per_row < 1)
		per_row = 1;
	if (n) {
		rows = (n + per_row - 1) / per_row;
		per_row = (n + rows - 1) / rows; /* even rows: 3+3 rather than 4+2 */
		for (unsigned r = 0; r < rows; r++) {
			enum box_id ids[SAMPLE_MAX_CLUSTERS];
			unsigned idx[SAMPLE_MAX_CLUSTERS], k = 0;
			for (unsigned i = r * per_row; i < n && i < (r + 1) * per_row; i++) {
				ids[k] = BOX_CLUSTER;
				idx[k++] = i;
			}
			add_band(L, ids, idx, k, 0, W);
		}
	}
	if (two) {
		enum box_id gm[2] = { BOX_GPU, BOX_MEM }, pp[2] = { BOX_POWER, BOX_PROC };
		add_band(L, gm, NULL, 2, 0, W);
		add_band(L, pp, NULL, with_proc ? 2 : 1, 0, W);
	} else {
		enum box_id one[1];
		one[0] = BOX_GPU;
		add_band(L, one, NULL, 1, 0, W);
		one[0] = BOX_MEM;
		add_band(L, one, NULL, 1, 0, W);
		one[0] = BOX_POWER;
		add_band(L, one, NULL, 1, 0, W);
		if (with_proc) {
			one[0] = BOX_PROC;
			add_band(L, one, NULL, 1, 0, W);
		}
	}
	band_wants(L, c);
}

/* Fits the bands into H rows, dropping in the documented order (docs/dashboard.md):
 * per-core panels, then the bandwidth agents, then the process panel. Returns false when even
 * that does not fit (the compact list is drawn instead). */
static bool fit(struct layout *L, struct panel_ctx *c, int W, int H)
{
	bool with_proc = true;

	c->opts.show_cores = c->vs->show_cores;
	c->opts.bw_agents = true;
	build(L, c, W, with_proc);
	if (total_min(L) > H && c->opts.show_cores) {
		c->opts.show_cores = false;
		build(L, c, W, with_proc);
	}
	if (total_min(L) > H) {
		c->opts.bw_agents = false;
		build(L, c, W, with_proc);
	}
	if (total_min(L) > H) {
		with_proc = false;
		build(L, c, W, with_proc);
	}
	if (total_min(L) > H)
		return false;

	{
		int left = H - total_min(L);
		bool more = true;
		for (unsigned i = 0; i < L->nband; i++)
			L->band[i].h = L->band[i].min;
		/* up to each band's preferred height, a row at a time, top first */
		while (left > 0 && more) {
			more = false;
			for (unsigned i = 0; i < L->nband && left > 0; i++)
				if (L->band[i].h < L->band[i].pref) {
					L->band[i].h++;
					left--;
					more = true;
				}
		}
		/* the rest: the process panel (up to PANEL_PROC_MAX rows), then everyone */
		for (unsigned i = 0; i < L->nband && left > 0; i++)
			if (L->band[i].grows) {
				int procs = c->smp->nprocs < PANEL_PROC_MAX ? (int)c->smp->nprocs
				                                            : PANEL_PROC_MAX;
				int room = procs + 3 - L->band[i].h;
				int add = room < 0 ? 0 : room < left ? room : left;
				L->band[i].h += add;
				left -= add;
			}
		while (left > 0) {
			for (unsigned i = 0; i < L->nband && left > 0; i++) {
				L->band[i].h++;
				left--;
			}
		}
	}
	{
		int y = 1;
		for (unsigned i = 0; i < L->nband; i++) {
			for (unsigned k = 0; k < L->band[i].nbox; k++) {
				L->band[i].box[k].r.y = y;
				L->band[i].box[k].r.h = L->band[i].h;
			}
			y += L->band[i].h;
		}
	}
	return true;
}

static void draw_box(struct panel_ctx *c, const struct box *b)
{
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
		panel_proc(c, b->r);
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

void view_draw(struct surface *s, const struct sample *smp, const struct history *h,
               struct view_state *vs, const struct theme *t)
{
	struct panel_ctx c;
	struct layout L;

	s->ops->clear(s);
	if (s->w < VIEW_MIN_W || s->h < VIEW_MIN_H) {
		char msg[128];
		snprintf(msg, sizeof msg, "agtop needs %dx%d (this terminal is %dx%d)", VIEW_MIN_W,
		         VIEW_MIN_H, s->w, s->h);
		if (text_width(msg) > s->w)
			snprintf(msg, sizeof msg, "too small: %dx%d", s->w, s->h);
		centred(s, s->h / 2, msg, t->text);
		return;
	}
	if (vs->help) {
		panel_help(s, smp, vs, t);
		return;
	}
	draw_header(s, smp, vs, t);
	if (!smp) {
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
	if (fit(&L, &c, s->w, s->h - 2)) {
		for (unsigned i = 0; i < L.nband; i++)
			for (unsigned k = 0; k < L.band[i].nbox; k++)
				draw_box(&c, &L.band[i].box[k]);
	} else {
		panel_compact(&c, (struct rect){ 0, 1, s->w, s->h - 2 });
	}
	draw_status(s, h, vs, t);
}
