/* panels.c - the boxes of the dashboard, with the original's labels (seed-spec §6) */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/str.h"
#include "format.h"
#include "meter.h"

#define GIB             (1024.0 * 1024.0 * 1024.0)
#define CORE_CELL_W     14 /* "C12 ██████ 45%" */
#define CORE_HIST_W     10
#define CORE_CHART_ROWS 2

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- clusters ---- */

/* Cells per row: as many as fit, then evened out so the last row is not a straggler. */
static int core_cells_per_row(int inner_w, int cell_w, unsigned n)
{
	int k = inner_w / cell_w, rows;

	if (k < 1)
		k = 1;
	if ((unsigned)k > n)
		k = (int)n;
	if (k < 1)
		return 1;
	rows = ((int)n + k - 1) / k;
	return ((int)n + rows - 1) / rows;
}

static int percore_rows(const struct panel_ctx *c, unsigned index, int inner_w, bool pref)
{
	const struct sample_cluster *cl = &c->smp->clusters[index];
	int rows = 0;

	if (!c->opts.show_cores || cl->ncores == 0)
		return 0;
	if (c->vs->core_view != CORE_VIEW_HISTORY) {
		int k = core_cells_per_row(inner_w, CORE_CELL_W, cl->ncores);
		rows += ((int)cl->ncores + k - 1) / k;
	}
	if (c->vs->core_view != CORE_VIEW_GAUGE) {
		int k = core_cells_per_row(inner_w, CORE_HIST_W, cl->ncores);
		rows += ((int)cl->ncores + k - 1) / k * (1 + (pref ? CORE_CHART_ROWS : 1));
	}
	return rows;
}

int panel_cluster_rows(const struct panel_ctx *c, unsigned index, int inner_w, bool pref)
{
	bool known = !isnan(history_cluster_percent(&c->smp->clusters[index]));

	return meter_rows(pref, known) + percore_rows(c, index, inner_w, pref);
}

static void core_label(const struct sample_core *core, char *out, size_t size)
{
	snprintf(out, size, "C%d", core->cpu);
}

static void draw_core_gauges(struct panel_ctx *c, const struct sample_cluster *cl, struct rect r)
{
	int k = core_cells_per_row(r.w, CORE_CELL_W, cl->ncores), cw = r.w / k, nw = 0;

	for (unsigned i = 0; i < cl->ncores; i++) { /* the widest name sets the bars' start */
		char name[16];
		core_label(&c->smp->cores[cl->first_core + i], name, sizeof name);
		if ((int)strlen(name) > nw)
			nw = (int)strlen(name);
	}
	for (unsigned i = 0; i < cl->ncores; i++) {
		const struct sample_core *core = &c->smp->cores[cl->first_core + i];
		int x = r.x + (int)(i % (unsigned)k) * cw, y = r.y + (int)(i / (unsigned)k);
		double p = history_core_percent(core);
		char name[16], pct[16];
		const char *alts[1];
		int bar;

		if (y >= r.y + r.h)
			break;
		core_label(core, name, sizeof name);
		alts[0] = name;
		surf_label(c->s, x, y, nw, alts, 1, c->t->text);
		if (isnan(p))
			snprintf(pct, sizeof pct, "N/A");
		else
			snprintf(pct, sizeof pct, "%3d%%", clamp_percent(p));
		alts[0] = pct;
		/* name, a blank, the bar, a blank, the percent, a blank before the next cell */
		bar = cw - nw - 1 - 4 - 1 - 1;
		if (bar >= 2)
			w_gauge(c->s, x + nw + 1, y, bar, p, c->t);
		surf_label(c->s, x + cw - 5, y, 4, alts, 1, c->t->text);
	}
}

static void draw_core_charts(struct panel_ctx *c, const struct sample_cluster *cl, struct rect r)
{
	int k = core_cells_per_row(r.w, CORE_HIST_W, cl->ncores), cw = r.w / k;
	int groups = ((int)cl->ncores + k - 1) / k, gh = groups ? r.h / groups : 0;

	if (gh < 2)
		gh = 2;
	for (unsigned i = 0; i < cl->ncores; i++) {
		size_t ci = cl->first_core + i;
		const struct sample_core *core = &c->smp->cores[ci];
		int x = r.x + (int)(i % (unsigned)k) * cw, y = r.y + (int)(i / (unsigned)k) * gh;
		double p = history_core_percent(core);
		char label[32], name[16];
		const char *alts[2];

		if (y + 1 >= r.y + r.h + 1)
			break;
		core_label(core, name, sizeof name);
		if (isnan(p))
			snprintf(label, sizeof label, "%s N/A", name);
		else
			snprintf(label, sizeof label, "%s %d%%", name, clamp_percent(p));
		alts[0] = label;
		alts[1] = name;
		surf_label(c->s, x, y, cw - 1, alts, 2, c->t->text);
		if (ci < c->h->ncores) {
			int ch = gh - 1;
			if (y + 1 + ch > r.y + r.h)
				ch = r.y + r.h - y - 1;
			w_chart(c->s, (struct rect){ x, y + 1, cw - 1, ch }, &c->h->core_util[ci],
			        100, c->t);
		}
	}
}

/* titled: inside its box, whose title names the cluster */
static void cluster_meter(const struct panel_ctx *c, unsigned index, bool titled, struct meter *m)
{
	const struct sample_cluster *cl = &c->smp->clusters[index];
	struct usage u = { cl->name,
		           history_cluster_percent(cl),
		           cl->freq_hz,
		           sample_temp_max(c->smp, TEMP_CPU),
		           isnan(cl->freq_hz) ? " (MHz N/A)" : NULL,
		           NULL,
		           &c->h->cluster_util[index],
		           titled };

	usage_meter(m, &u);
}

void panel_cluster(struct panel_ctx *c, unsigned index, struct rect r)
{
	const struct sample_cluster *cl = &c->smp->clusters[index];
	char t0[96], t1[96], t2[64];
	const char *title[3] = { t0, t1, t2 };
	struct rect in;
	struct meter m;
	int pc, mh;
	double pct = history_cluster_percent(cl);

	if (cl->die > 0 || (c->smp->ndies > 1))
		snprintf(t0, sizeof t0, "%s \xC2\xB7 die %d \xC2\xB7 %u cores", cl->name, cl->die,
		         cl->ncores);
	else
		snprintf(t0, sizeof t0, "%s \xC2\xB7 %u cores", cl->name, cl->ncores);
	snprintf(t1, sizeof t1, "%s \xC2\xB7 %u cores", cl->name, cl->ncores);
	snprintf(t2, sizeof t2, "%s", cl->name);
	in = w_box(c->s, r, title, 3, c->t);

	cluster_meter(c, index, true, &m);

	pc = percore_rows(c, index, in.w, true);
	if (pc && in.h - pc < 1)
		pc = percore_rows(c, index, in.w, false);
	if (in.h - pc < 1)
		pc = 0;
	mh = in.h - pc;
	if (pc && mh > meter_rows(true, !isnan(pct)))
		mh = meter_rows(true, !isnan(pct)),
		pc = in.h - mh; /* per-core charts take the rest */
	draw_meter(c, (struct rect){ in.x, in.y, in.w, mh }, &m);
	if (pc) {
		struct rect pr = { in.x, in.y + mh, in.w, pc };
		int grows = 0;
		if (c->vs->core_view != CORE_VIEW_HISTORY) {
			int k = core_cells_per_row(in.w, CORE_CELL_W, cl->ncores);
			grows = ((int)cl->ncores + k - 1) / k;
			draw_core_gauges(c, cl, (struct rect){ pr.x, pr.y, pr.w, grows });
		}
		if (c->vs->core_view != CORE_VIEW_GAUGE)
			draw_core_charts(c, cl,
			                 (struct rect){ pr.x, pr.y + grows, pr.w, pr.h - grows });
	}
}

/* ---- GPU & ANE ---- */

/* what the panel holds: the GPUs the source sees, and the neural engine where there is one */
static unsigned gpu_meters(const struct panel_ctx *c)
{
	return c->smp->ngpus + (c->smp->npu.present ? 1 : 0);
}

bool panel_gpu_empty(const struct sample *s, char *why, size_t size)
{
	const char *g = sample_note_get(s, "gpu"), *n = sample_note_get(s, "npu");

	if (s->ngpus || s->npu.present)
		return false;
	if (g && n && strcmp(g, n))
		snprintf(why, size, "%s; %s", g, n);
	else
		snprintf(why, size, "%s", g ? g : n ? n : "no GPU and no neural engine found");
	return true;
}

int panel_gpu_rows(const struct panel_ctx *c, int inner_w, bool pref)
{
	int rows = c->smp->npu.present ? 0 : 1; /* the line saying there is no neural engine */

	(void)inner_w;
	if (!pref)
		return (int)gpu_meters(c) + rows;
	for (unsigned i = 0; i < c->smp->ngpus; i++)
		rows += isnan(c->smp->gpus[i].util) ? 1 : 2 + PANEL_CHART_ROWS - 1;
	if (c->smp->npu.present)
		rows += isnan(track_point(&c->h->ane_util, 0)) ? 1 : 2 + PANEL_CHART_ROWS - 1;
	return rows;
}

/* " throttled: power+thermal" when the GPU says it is held down; nothing when it is not or
 * cannot tell */
static void throttle_text(int throttle, char *out, size_t size)
{
	size_t n;

	if (!size)
		return;
	out[0] = '\0';
	if (throttle == THROTTLE_UNKNOWN || throttle == 0)
		return;
	n = (size_t)snprintf(out, size, " throttled:");
	for (unsigned k = 0; k < THROTTLE_CAUSE_COUNT && n < size; k++)
		if (throttle & (1 << k))
			n += (size_t)snprintf(out + n, size - n, "%s%s",
			                      out[n - 1] == ':' ? " " : "+",
			                      throttle_cause_name((enum throttle_cause)k));
}

static void gpu_meter(const struct panel_ctx *c, unsigned i, struct meter *m)
{
	const struct sample_gpu *g = &c->smp->gpus[i];
	char extra[128] = "", used[16], total[16];
	struct usage u = { g->label[0] ? g->label : "GPU",
		           g->util * 100,
		           g->freq_hz,
		           sample_gpu_temp(c->smp, i),
		           NULL,
		           extra,
		           &c->h->gpu_util[i],
		           false };

	if (!isnan(g->mem_total_bytes)) {
		fmt_gib(used, sizeof used, g->mem_used_bytes);
		fmt_gib(total, sizeof total, g->mem_total_bytes);
		snprintf(extra, sizeof extra, " mem %s/%sGB", used, total);
	}
	throttle_text(g->throttle, extra + strlen(extra), sizeof extra - strlen(extra));
	usage_meter(m, &u);
}

static void ane_meter(const struct panel_ctx *c, struct meter *m)
{
	double w = c->smp->power[RAIL_ANE].watts;
	char at[64];
	struct usage u = { c->smp->npu.name[0] ? c->smp->npu.name : "ANE",
		           track_point(&c->h->ane_util, 0),
		           NAN,
		           NAN,
		           at,
		           NULL,
		           &c->h->ane_util,
		           false };

	if (isnan(w))
		at[0] = '\0';
	else
		snprintf(at, sizeof at, " @ %.1f W", w);
	usage_meter(m, &u);
}

/* meters share the rows; the first ones get the remainder */
static int share(int rows, unsigned n, unsigned i)
{
	return rows / (int)n + ((int)i < rows % (int)n ? 1 : 0);
}

void panel_gpu(struct panel_ctx *c, struct rect r)
{
	const char *title[] = { "GPU & ANE", "GPU" };
	struct rect in = w_box(c->s, r, title, 2, c->t);
	unsigned n = gpu_meters(c);
	int y = in.y, rows = in.h;

	if (!c->smp->npu.present && rows > 0) {
		/* no neural engine: one line says so, in words */
		const char *why = sample_note_get(c->smp, "npu");
		char line[200];
		const char *alts[2] = { line, "no neural engine" };
		snprintf(line, sizeof line, "ANE: %s",
		         why ? why : "no neural engine on this machine");
		surf_label(c->s, in.x, in.y + in.h - 1, in.w, alts, 2, c->t->dim);
		rows--;
	}
	for (unsigned i = 0; i < n; i++) {
		struct meter m;
		int h = share(rows, n, i);
		if (i < c->smp->ngpus)
			gpu_meter(c, i, &m);
		else
			ane_meter(c, &m);
		draw_meter(c, (struct rect){ in.x, y, in.w, h }, &m);
		y += h;
	}
}

/* ---- memory and bandwidth ---- */

#define AGENT_W 28 /* "GFX B/W: 155.9 GB/s (32%)" */

static double bw_ref_bps(const struct panel_ctx *c)
{
	return fmax(fmax(c->h->soc.cpu_bw_gbs, c->h->soc.gpu_bw_gbs), 1.0) * 1e9;
}

static bool bw_known(const struct panel_ctx *c)
{
	return c->smp->bandwidth.quality != BW_ABSENT;
}

bool panel_mem_empty(const struct sample *s, char *why, size_t size)
{
	const char *m = sample_note_get(s, "memory");

	if (s->memory.total_bytes > 0 || s->bandwidth.quality != BW_ABSENT)
		return false;
	snprintf(why, size, "%s", m ? m : "memory not readable");
	return true;
}

static int agent_rows(const struct panel_ctx *c, int inner_w)
{
	unsigned n = c->smp->bandwidth.nagents;
	int k = inner_w >= 2 * AGENT_W ? 2 : 1;

	if (!c->opts.bw_agents || !bw_known(c) || !n)
		return 0;
	return ((int)n + k - 1) / k;
}

/* RAM and bandwidth, one row each at least (label and bar side by side), with their charts
 * where there is room; the bandwidth agents only take rows the charts leave */
int panel_mem_rows(const struct panel_ctx *c, int inner_w, bool pref)
{
	(void)inner_w;
	if (!pref)
		return 2;
	return meter_rows(true, c->smp->memory.total_bytes > 0) + meter_rows(true, bw_known(c));
}

static void ram_meter(const struct panel_ctx *c, struct meter *m)
{
	const struct sample_memory *mem = &c->smp->memory;
	char used[16], total[16], su[16], st[16], swap[64], swaps[48], ap[48], aps[40], temp[24];
	char full[64];
	double pct = mem->total_bytes > 0 ? mem->used_bytes / mem->total_bytes * 100 : NAN;
	double tc = sample_temp_max(c->smp, TEMP_MEMORY);

	meter_init(m, pct, &c->h->ram_used, 100);
	if (isnan(pct)) {
		meter_alt(m, "RAM Usage: N/A");
		meter_alt(m, "RAM N/A");
		return;
	}
	fmt_gib(used, sizeof used, mem->used_bytes);
	fmt_gib(total, sizeof total, mem->total_bytes);
	if (isnan(mem->swap_total_bytes)) {
		snprintf(swap, sizeof swap, " - swap N/A");
		snprintf(swaps, sizeof swaps, " swap N/A");
	} else if (mem->swap_total_bytes / GIB < 0.1) {
		snprintf(swap, sizeof swap, " - swap inactive");
		snprintf(swaps, sizeof swaps, " no swap");
	} else {
		fmt_gib(su, sizeof su, mem->swap_used_bytes);
		fmt_gib(st, sizeof st, mem->swap_total_bytes);
		snprintf(swap, sizeof swap, " - swap:%s/%sGB", su, st);
		snprintf(swaps, sizeof swaps, " swap %s/%sGB", su, st);
	}
	temp[0] = '\0';
	if (!isnan(tc)) {
		char t[16];
		fmt_celsius(t, sizeof t, tc);
		snprintf(temp, sizeof temp, " %s", t);
	}
	ap[0] = aps[0] = full[0] = '\0';
	if (!isnan(track_avg(m->tr))) {
		ap[0] = aps[0] = ' ';
		meter_avg_peak(m->tr, false, ap + 1, sizeof ap - 1);
		meter_avg_peak(m->tr, true, aps + 1, sizeof aps - 1);
		snprintf(full, sizeof full, " (avg: %.1f%% peak: %d%%)", track_avg(m->tr),
		         clamp_percent(m->tr->peak));
	}
	meter_alt(m, "RAM Usage: %s/%sGB%s%s%s", used, total, swap, full, temp);
	meter_alt(m, "RAM %s/%sGB%s%s%s", used, total, swaps, ap, temp);
	meter_alt(m, "RAM %s/%sGB%s%s", used, total, aps, temp);
	meter_alt(m, "RAM %s/%sGB%s", used, total, aps);
	meter_alt(m, "RAM %s/%sGB", used, total);
	meter_alt(m, "RAM %d%%", clamp_percent(pct));
}

static void bw_meter(const struct panel_ctx *c, struct meter *m)
{
	const struct sample_bandwidth *bw = &c->smp->bandwidth;
	char tot[16], rd[16], wr[16], avg[16], peak[16], ap[64] = "", aps[48] = "";
	const char *est = bw->quality == BW_ESTIMATED ? " estimated" : "";
	double a = track_avg(&c->h->bw_total);

	meter_init(m, bw->total_bps / bw_ref_bps(c) * 100, &c->h->bw_total, bw_ref_bps(c));
	if (bw->quality == BW_ABSENT || isnan(bw->total_bps)) {
		const char *why = sample_note_get(c->smp, "bandwidth");
		m->percent = NAN;
		if (why)
			meter_alt(m, "Memory Bandwidth: N/A (%s)", why);
		meter_alt(m, "Memory Bandwidth: N/A");
		meter_alt(m, "Mem B/W: N/A");
		return;
	}
	fmt_gbs(tot, sizeof tot, bw->total_bps, 2);
	fmt_gbs(rd, sizeof rd, bw->read_bps, 2);
	fmt_gbs(wr, sizeof wr, bw->write_bps, 2);
	if (!isnan(a)) {
		fmt_gbs(avg, sizeof avg, a, 1);
		fmt_gbs(peak, sizeof peak, c->h->bw_total.peak, 1);
		snprintf(ap, sizeof ap, " (avg: %s peak: %s)", avg, peak);
		snprintf(aps, sizeof aps, " avg %s pk %s", avg, peak);
	}
	meter_alt(m, "Memory Bandwidth: %s GB/s (R:%s/W:%s)%s%s", tot, rd, wr, est, ap);
	meter_alt(m, "Memory Bandwidth: %s GB/s%s%s", tot, est, ap);
	meter_alt(m, "Mem B/W: %s GB/s%s", tot, aps);
	meter_alt(m, "Mem B/W: %s GB/s", tot);
	meter_alt(m, "B/W %s GB/s", tot);
}

static void draw_agents(struct panel_ctx *c, struct rect r)
{
	const struct sample_bandwidth *bw = &c->smp->bandwidth;
	int k = r.w >= 2 * AGENT_W ? 2 : 1, cw = r.w / k;

	for (unsigned i = 0; i < bw->nagents; i++) {
		const struct sample_bw_agent *a = &bw->agent[i];
		int x = r.x + (int)(i % (unsigned)k) * cw, y = r.y + (int)(i / (unsigned)k);
		double bps = (isnan(a->read_bps) ? 0 : a->read_bps) +
		             (isnan(a->write_bps) ? 0 : a->write_bps);
		double ref =
		    (strstr(a->name, "GFX") || strstr(a->name, "GPU") ? c->h->soc.gpu_bw_gbs
		     : strstr(a->name, "CPU")                         ? c->h->soc.cpu_bw_gbs
		                              : fmax(c->h->soc.cpu_bw_gbs, c->h->soc.gpu_bw_gbs)) *
		    1e9;
		char v[16], l0[96], l1[64];
		const char *alts[2] = { l0, l1 };

		if (y >= r.y + r.h)
			break;
		fmt_gbs(v, sizeof v, bps, 1);
		snprintf(l0, sizeof l0, "%s B/W: %s GB/s (%d%%)", a->name, v,
		         clamp_percent(bps / ref * 100));
		snprintf(l1, sizeof l1, "%s %s", a->name, v);
		surf_label(c->s, x, y, cw - 1, alts, 2, c->t->text);
	}
}

void panel_mem(struct panel_ctx *c, struct rect r)
{
	const char *title[] = { "Memory" };
	struct rect in = w_box(c->s, r, title, 1, c->t);
	struct meter ram, bw;
	int ar = agent_rows(c, in.w), rh, bh, spare;
	bool bwk = bw_known(c);

	ram_meter(c, &ram);
	bw_meter(c, &bw);
	/* a row each; then charts of two rows each; then the agents; the rest to the charts */
	spare = in.h - 2;
	if (spare < 2 * (2 + 1) + ar) /* label, bar and two chart rows each come first */
		ar = 0;
	spare -= ar;
	rh = 1 + (spare > 0 ? (bwk ? spare / 2 + spare % 2 : spare) : 0); /* N/A: one row */
	bh = in.h - ar - rh;
	if (bh < 1) {
		rh = in.h;
		bh = 0;
	}
	draw_meter(c, (struct rect){ in.x, in.y, in.w, rh }, &ram);
	if (bh <= 0)
		return;
	if (!ar) {
		draw_meter(c, (struct rect){ in.x, in.y + rh, in.w, bh }, &bw);
		return;
	}
	/* label and bar, the agents, then the chart */
	draw_meter(c, (struct rect){ in.x, in.y + rh, in.w, bh >= 2 ? 2 : 1 }, &bw);
	draw_agents(c, (struct rect){ in.x, in.y + rh + (bh >= 2 ? 2 : 1), in.w, ar });
	if (bh > 2)
		w_chart(c->s, (struct rect){ in.x, in.y + rh + 2 + ar, in.w, bh - 2 }, bw.tr,
		        bw.full, c->t);
}

/* ---- a panel with nothing to show: one line that says why ---- */

void panel_folded(struct panel_ctx *c, const char *name, const char *note, struct rect r)
{
	char why[320], l0[320], l1[320], l2[320];
	const char *alts[3] = { l0, l1, l2 }, *semi;
	int used;

	note_text(note, c->vs && c->vs->replay, why, sizeof why);
	semi = strchr(why, ';');

	/* every reason; else the first; else the first without what it adds in brackets, cut
	 * after a whole word when it must be */
	snprintf(l0, sizeof l0, "%s: %s", name, why);
	snprintf(l1, sizeof l1, "%s: %.*s", name, semi ? (int)(semi - why) : (int)strlen(why), why);
	{
		char *paren = strstr(l1, " (");
		snprintf(l2, sizeof l2, "%.*s", paren ? (int)(paren - l1) : (int)strlen(l1), l1);
	}
	surf_fill(c->s, r.x, r.y, r.w, 0x2500, c->t->border);
	if (r.w < 6)
		return;
	c->s->ops->put(c->s, r.x + 1, r.y, ' ', 1, c->t->border);
	used = surf_label(c->s, r.x + 2, r.y, r.w - 4, alts, 3, c->t->dim);
	c->s->ops->put(c->s, r.x + 2 + used, r.y, ' ', 1, c->t->border);
}

/* ---- a terminal too short for boxes: one line per meter ---- */

void panel_compact(struct panel_ctx *c, struct rect r)
{
	int y = r.y, end = r.y + r.h;
	struct meter m;

	for (unsigned i = 0; i < c->smp->nclusters && y < end; i++) {
		cluster_meter(c, i, false, &m);
		draw_meter(c, (struct rect){ r.x, y++, r.w, 1 }, &m);
	}
	for (unsigned i = 0; i < c->smp->ngpus && y < end; i++) {
		gpu_meter(c, i, &m);
		draw_meter(c, (struct rect){ r.x, y++, r.w, 1 }, &m);
	}
	if (y < end && c->smp->npu.present) {
		ane_meter(c, &m);
		draw_meter(c, (struct rect){ r.x, y++, r.w, 1 }, &m);
	}
	if (y < end) {
		ram_meter(c, &m);
		draw_meter(c, (struct rect){ r.x, y++, r.w, 1 }, &m);
	}
	if (y < end && bw_known(c)) {
		bw_meter(c, &m);
		draw_meter(c, (struct rect){ r.x, y++, r.w, 1 }, &m);
	}
	if (y < end && !isnan(c->smp->power[RAIL_PACKAGE].watts))
		power_rail_line(c, RAIL_PACKAGE, r.x, y++, r.w);
	if (y < end && power_thermal_line(c, r.x, y, r.w))
		y++;
	/* what is left: the busiest processes */
	if (y < end && c->smp->nprocs)
		panel_proc_lines(c, (struct rect){ r.x, y, r.w, end - y });
}
