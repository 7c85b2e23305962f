/* panels.c - the boxes of the dashboard, with the original's labels (seed-spec §6) */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/str.h"
#include "format.h"

#define GIB             (1024.0 * 1024.0 * 1024.0)
#define CORE_CELL_W     14 /* "C12 ██████ 45%" */
#define CORE_HIST_W     10
#define CORE_CHART_ROWS 2
#define LABEL_MAX       256

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *panels_thermal_word(enum thermal_pressure t)
{
	static const char *const words[THERMAL_COUNT] = { "Unknown", "Nominal", "Fair", "Serious",
		                                          "Critical" };
	return (unsigned)t < THERMAL_COUNT ? words[t] : "Unknown";
}

/* ---- meters: a label, a bar under it, a chart under that, as rows allow ---- */

struct meter {
	char alt[5][LABEL_MAX];
	size_t nalt;
	double percent;         /* the bar; NAN: no bar (the label says N/A) */
	const struct track *tr; /* the chart; NULL: none */
	double full;            /* the track's 100 % */
};

/* a meter whose value is unknown is one line: "N/A" has no bar and no chart */
static int meter_rows(bool pref, bool known)
{
	return pref && known ? 2 + PANEL_CHART_ROWS : 1;
}

static void draw_meter(struct panel_ctx *c, struct rect r, const struct meter *m)
{
	const char *alts[5];

	if (r.h <= 0 || r.w <= 0)
		return;
	for (size_t i = 0; i < m->nalt; i++)
		alts[i] = m->alt[i];
	surf_label(c->s, r.x, r.y, r.w, alts, m->nalt, c->t->text);
	if (r.h >= 2 && !isnan(m->percent))
		w_gauge(c->s, r.x, r.y + 1, r.w, m->percent, c->t);
	if (r.h >= 3 && m->tr && !isnan(m->percent))
		w_chart(c->s, (struct rect){ r.x, r.y + 2, r.w, r.h - 2 }, m->tr, m->full, c->t);
}

/* "(avg: 8.2% peak: 45%)" over the --avg window and the session */
static void avg_peak_pct(const struct track *tr, char *out, size_t size)
{
	double a = track_avg(tr), p = tr->peak;

	if (isnan(a))
		out[0] = '\0';
	else
		snprintf(out, size, " (avg: %.1f%% peak: %d%%)", a, clamp_percent(p));
}

static void usage_meter(struct meter *m, const char *name, double pct, const char *at,
                        const char *extra, const struct track *tr)
{
	char ap[64];

	memset(m, 0, sizeof *m);
	m->tr = tr;
	m->full = 100;
	m->percent = pct;
	if (isnan(pct)) {
		snprintf(m->alt[0], LABEL_MAX, "%s Usage: N/A", name);
		snprintf(m->alt[1], LABEL_MAX, "%s N/A", name);
		m->nalt = 2;
		return;
	}
	avg_peak_pct(tr, ap, sizeof ap);
	snprintf(m->alt[0], LABEL_MAX, "%s Usage: %d%%%s%s%s", name, clamp_percent(pct), at, extra,
	         ap);
	snprintf(m->alt[1], LABEL_MAX, "%s Usage: %d%%%s%s", name, clamp_percent(pct), at, extra);
	snprintf(m->alt[2], LABEL_MAX, "%s Usage: %d%%%s", name, clamp_percent(pct), at);
	snprintf(m->alt[3], LABEL_MAX, "%s %d%%%s", name, clamp_percent(pct), at);
	snprintf(m->alt[4], LABEL_MAX, "%s %d%%", name, clamp_percent(pct));
	m->nalt = 5;
}

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

void panel_cluster(struct panel_ctx *c, unsigned index, struct rect r)
{
	const struct sample_cluster *cl = &c->smp->clusters[index];
	char t0[96], t1[96], t2[64], at[64];
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

	if (isnan(cl->freq_hz))
		snprintf(at, sizeof at, " (MHz N/A)");
	else
		snprintf(at, sizeof at, " @ %.0f MHz", cl->freq_hz / 1e6);
	usage_meter(&m, cl->name, pct, at, "", &c->h->cluster_util[index]);

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

static unsigned gpu_meters(const struct panel_ctx *c)
{
	unsigned n = c->smp->ngpus ? c->smp->ngpus : 1;
	return n + 1; /* and the ANE */
}

int panel_gpu_rows(const struct panel_ctx *c, int inner_w, bool pref)
{
	int rows = 0;

	(void)inner_w;
	if (!pref)
		return (int)gpu_meters(c);
	for (unsigned i = 0; i < c->smp->ngpus; i++)
		rows += isnan(c->smp->gpus[i].util) ? 1 : 2 + PANEL_CHART_ROWS - 1;
	if (!c->smp->ngpus)
		rows++;
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
	char at[64], extra[128] = "", used[16], total[16], temp[16];
	const char *name = g->label[0] ? g->label : "GPU";
	double t = sample_gpu_temp(c->smp, i);

	if (isnan(g->freq_hz))
		at[0] = '\0';
	else
		snprintf(at, sizeof at, " @ %.0f MHz", g->freq_hz / 1e6);
	if (!isnan(t)) {
		fmt_celsius(temp, sizeof temp, t);
		snprintf(extra, sizeof extra, " (%s)", temp);
	}
	if (!isnan(g->mem_total_bytes)) {
		size_t n = strlen(extra);
		fmt_gib(used, sizeof used, g->mem_used_bytes);
		fmt_gib(total, sizeof total, g->mem_total_bytes);
		snprintf(extra + n, sizeof extra - n, " mem %s/%sGB", used, total);
	}
	throttle_text(g->throttle, extra + strlen(extra), sizeof extra - strlen(extra));
	usage_meter(m, name, g->util * 100, at, extra, &c->h->gpu_util[i]);
}

static void ane_meter(const struct panel_ctx *c, struct meter *m)
{
	double w = c->smp->power[RAIL_ANE].watts;
	double pct = track_point(&c->h->ane_util, 0);
	char at[64];

	if (isnan(w))
		at[0] = '\0';
	else
		snprintf(at, sizeof at, " @ %.1f W", w);
	usage_meter(m, c->smp->npu.name[0] ? c->smp->npu.name : "ANE", pct, at, "",
	            &c->h->ane_util);
}

/* meters share the rows; the first ones get the remainder */
static int share(int rows, unsigned n, unsigned i)
{
	return rows / (int)n + ((int)i < rows % (int)n ? 1 : 0);
}

void panel_gpu(struct panel_ctx *c, struct rect r)
{
	const char *title[] = { "GPU & ANE" };
	struct rect in = w_box(c->s, r, title, 1, c->t);
	unsigned n = gpu_meters(c);
	int y = in.y;

	for (unsigned i = 0; i < n; i++) {
		struct meter m;
		int h = share(in.h, n, i);
		if (i + 1 == n)
			ane_meter(c, &m);
		else if (c->smp->ngpus)
			gpu_meter(c, i, &m);
		else
			usage_meter(&m, "GPU", NAN, "", "", &c->h->gpu_util[0]);
		draw_meter(c, (struct rect){ in.x, y, in.w, h }, &m);
		y += h;
	}
}

/* ---- memory and bandwidth ---- */

static double bw_ref_bps(const struct panel_ctx *c)
{
	return fmax(fmax(c->h->soc.cpu_bw_gbs, c->h->soc.gpu_bw_gbs), 1.0) * 1e9;
}

static int agent_rows(const struct panel_ctx *c, int inner_w)
{
	unsigned n = c->smp->bandwidth.nagents;
	int k = inner_w >= 2 * 28 ? 2 : 1;

	if (!c->opts.bw_agents || c->smp->bandwidth.quality == BW_ABSENT || !n)
		return 0;
	return ((int)n + k - 1) / k;
}

int panel_mem_rows(const struct panel_ctx *c, int inner_w, bool pref)
{
	bool bw = c->smp->bandwidth.quality != BW_ABSENT;
	bool ram = c->smp->memory.total_bytes > 0;

	if (!pref)
		return 2 + agent_rows(c, inner_w);
	return (ram ? meter_rows(true, true) - 1 : 1) + (bw ? 2 + agent_rows(c, inner_w) + 2 : 1);
}

static void ram_meter(const struct panel_ctx *c, struct meter *m)
{
	const struct sample_memory *mem = &c->smp->memory;
	char used[16], total[16], su[16], st[16], swap[64], ap[64];
	double pct = mem->total_bytes > 0 ? mem->used_bytes / mem->total_bytes * 100 : NAN;

	memset(m, 0, sizeof *m);
	m->tr = &c->h->ram_used;
	m->full = 100;
	m->percent = pct;
	if (isnan(pct)) {
		snprintf(m->alt[0], LABEL_MAX, "RAM Usage: N/A");
		m->nalt = 1;
		return;
	}
	fmt_gib(used, sizeof used, mem->used_bytes);
	fmt_gib(total, sizeof total, mem->total_bytes);
	if (isnan(mem->swap_total_bytes)) {
		snprintf(swap, sizeof swap, " - swap N/A");
	} else if (mem->swap_total_bytes / GIB < 0.1) {
		snprintf(swap, sizeof swap, " - swap inactive");
	} else {
		fmt_gib(su, sizeof su, mem->swap_used_bytes);
		fmt_gib(st, sizeof st, mem->swap_total_bytes);
		snprintf(swap, sizeof swap, " - swap:%s/%sGB", su, st);
	}
	avg_peak_pct(m->tr, ap, sizeof ap);
	snprintf(m->alt[0], LABEL_MAX, "RAM Usage: %s/%sGB%s%s", used, total, swap, ap);
	snprintf(m->alt[1], LABEL_MAX, "RAM Usage: %s/%sGB%s", used, total, swap);
	snprintf(m->alt[2], LABEL_MAX, "RAM Usage: %s/%sGB", used, total);
	snprintf(m->alt[3], LABEL_MAX, "RAM %s/%sGB", used, total);
	m->nalt = 4;
}

static void bw_meter(const struct panel_ctx *c, struct meter *m)
{
	const struct sample_bandwidth *bw = &c->smp->bandwidth;
	char tot[16], rd[16], wr[16];
	const char *est = bw->quality == BW_ESTIMATED ? " estimated" : "";

	memset(m, 0, sizeof *m);
	m->tr = &c->h->bw_total;
	m->full = bw_ref_bps(c);
	if (bw->quality == BW_ABSENT || isnan(bw->total_bps)) {
		m->percent = NAN;
		snprintf(m->alt[0], LABEL_MAX, "Memory Bandwidth: N/A (counters unavailable)");
		snprintf(m->alt[1], LABEL_MAX, "Memory Bandwidth: N/A");
		snprintf(m->alt[2], LABEL_MAX, "Mem B/W: N/A");
		m->nalt = 3;
		return;
	}
	m->percent = bw->total_bps / m->full * 100;
	fmt_gbs(tot, sizeof tot, bw->total_bps, 2);
	fmt_gbs(rd, sizeof rd, bw->read_bps, 2);
	fmt_gbs(wr, sizeof wr, bw->write_bps, 2);
	snprintf(m->alt[0], LABEL_MAX, "Memory Bandwidth: %s GB/s (R:%s/W:%s)%s", tot, rd, wr, est);
	snprintf(m->alt[1], LABEL_MAX, "Memory Bandwidth: %s GB/s%s", tot, est);
	snprintf(m->alt[2], LABEL_MAX, "Mem B/W: %s GB/s", tot);
	m->nalt = 3;
}

static void draw_agents(struct panel_ctx *c, struct rect r)
{
	const struct sample_bandwidth *bw = &c->smp->bandwidth;
	int k = r.w >= 2 * 28 ? 2 : 1, cw = r.w / k;

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
	int ar = agent_rows(c, in.w), rest, rh, bh;
	bool bw_known = c->smp->bandwidth.quality != BW_ABSENT;

	ram_meter(c, &ram);
	bw_meter(c, &bw);
	if (in.h < 2 + ar)
		ar = 0;
	rest = in.h - ar;
	/* RAM takes half; bandwidth the rest (one row when it is N/A) */
	bh = bw_known ? rest / 2 : 1;
	if (bh < 1)
		bh = 1;
	rh = rest - bh;
	if (rh < 1) {
		rh = rest;
		bh = 0;
	}
	draw_meter(c, (struct rect){ in.x, in.y, in.w, rh }, &ram);
	if (bh <= 0)
		return;
	if (bw_known && ar) {
		/* label and bar, the agents, then the chart */
		surf_label(c->s, in.x, in.y + rh, in.w,
		           (const char *const[]){ bw.alt[0], bw.alt[1], bw.alt[2] }, bw.nalt,
		           c->t->text);
		if (bh >= 2 && !isnan(bw.percent))
			w_gauge(c->s, in.x, in.y + rh + 1, in.w, bw.percent, c->t);
		draw_agents(c, (struct rect){ in.x, in.y + rh + (bh >= 2 ? 2 : 1), in.w, ar });
		if (bh > 2)
			w_chart(c->s, (struct rect){ in.x, in.y + rh + 2 + ar, in.w, bh - 2 },
			        bw.tr, bw.full, c->t);
	} else {
		draw_meter(c, (struct rect){ in.x, in.y + rh, in.w, bh + ar }, &bw);
	}
}

/* ---- power and thermal ---- */

static bool apple(const struct sample *s)
{
	return !strcmp(s->source, "ioreport") || !strcmp(s->source, "powermetrics");
}

/* rails listed: CPU, GPU, ANE, DRAM always (N/A says it), system and uncore where known,
 * then the package total */
static unsigned rails_listed(const struct sample *s, enum rail *out)
{
	unsigned n = 0;

	out[n++] = RAIL_CPU;
	out[n++] = RAIL_GPU;
	out[n++] = RAIL_ANE;
	out[n++] = RAIL_DRAM;
	if (!isnan(s->power[RAIL_SYSTEM].watts) || !isnan(s->power[RAIL_SYSTEM].joules))
		out[n++] = RAIL_SYSTEM;
	if (!isnan(s->power[RAIL_UNCORE].watts) || !isnan(s->power[RAIL_UNCORE].joules))
		out[n++] = RAIL_UNCORE;
	out[n++] = RAIL_PACKAGE;
	return n;
}

static unsigned power_lines(const struct panel_ctx *c)
{
	enum rail r[RAIL_COUNT];
	/* thermal, the rails, the dies, the session energy */
	return 1 + rails_listed(c->smp, r) + (c->smp->ndies > 1 ? 1 : 0) + 1;
}

int panel_power_rows(const struct panel_ctx *c, int inner_w, bool pref)
{
	bool any = false;

	(void)inner_w;
	for (unsigned r = 0; r < RAIL_COUNT; r++)
		if (!isnan(c->smp->power[r].watts))
			any = true;
	/* the lines, then a caption and the charts where there is power to chart */
	return (int)power_lines(c) + (pref && any ? PANEL_CHART_ROWS + 1 : 0);
}

static const char *rail_title(const struct sample *s, enum rail r)
{
	switch (r) {
	case RAIL_CPU:
		return "CPU";
	case RAIL_GPU:
		return "GPU";
	case RAIL_ANE:
		return "ANE";
	case RAIL_DRAM:
		return "DRAM";
	case RAIL_SYSTEM:
		return "System";
	case RAIL_UNCORE:
		return "Uncore";
	case RAIL_PACKAGE:
		return apple(s) ? "CPU+GPU+ANE Power" : "Package Power";
	default:
		return "?";
	}
}

static void rail_line(const struct panel_ctx *c, enum rail r, int x, int y, int w)
{
	char now[16], avg[16], peak[16], l0[128], l1[96], l2[64];
	const char *alts[3] = { l0, l1, l2 };
	double watts = c->smp->power[r].watts;

	fmt_watts(now, sizeof now, watts);
	fmt_watts(avg, sizeof avg, track_avg(&c->h->rail_w[r]));
	fmt_watts(peak, sizeof peak, c->h->rail_w[r].peak);
	if (c->smp->power[r].stale) {
		/* its counter stopped while the unit was busy: the last value, dim and marked,
		 * never a confident number (N/A once too old) */
		snprintf(l0, sizeof l0, "%s: %s (stale: counter stopped)", rail_title(c->smp, r),
		         isnan(watts) ? "N/A" : now);
		snprintf(l1, sizeof l1, "%s: %s (stale)", rail_title(c->smp, r),
		         isnan(watts) ? "N/A" : now);
		snprintf(l2, sizeof l2, "%s %s?", r == RAIL_PACKAGE ? "Pkg" : rail_title(c->smp, r),
		         isnan(watts) ? "N/A" : now);
		surf_label(c->s, x, y, w, alts, 3, c->t->dim);
		return;
	}
	if (isnan(watts)) {
		snprintf(l0, sizeof l0, "%s: N/A", rail_title(c->smp, r));
		surf_label(c->s, x, y, w, alts, 1, c->t->dim);
		return;
	}
	snprintf(l0, sizeof l0, "%s: %s (avg: %s peak: %s)", rail_title(c->smp, r), now, avg, peak);
	snprintf(l1, sizeof l1, "%s: %s", rail_title(c->smp, r), now);
	snprintf(l2, sizeof l2, "%s %.1fW", r == RAIL_PACKAGE ? "Pkg" : rail_title(c->smp, r),
	         watts);
	surf_label(c->s, x, y, w, alts, 3, r == RAIL_PACKAGE ? c->t->head : c->t->text);
}

static void thermal_line(const struct panel_ctx *c, int x, int y, int w)
{
	char cpu[16], gpu[16], l0[128], l1[96], l2[48];
	const char *alts[3] = { l0, l1, l2 };
	const char *word = panels_thermal_word(c->smp->thermal);
	double g = sample_temp_max(c->smp, TEMP_GPU);

	if (isnan(g))
		for (unsigned i = 0; i < c->smp->ngpus; i++)
			if (!isnan(c->smp->gpus[i].temp_c) &&
			    (isnan(g) || c->smp->gpus[i].temp_c > g))
				g = c->smp->gpus[i].temp_c;
	fmt_celsius(cpu, sizeof cpu, sample_temp_max(c->smp, TEMP_CPU));
	fmt_celsius(gpu, sizeof gpu, g);
	snprintf(l0, sizeof l0, "Thermal: %s \xC2\xB7 CPU %s \xC2\xB7 GPU %s", word, cpu, gpu);
	snprintf(l1, sizeof l1, "Thermal: %s \xC2\xB7 CPU %s", word, cpu);
	snprintf(l2, sizeof l2, "Thermal: %s", word);
	surf_label(c->s, x, y, w, alts, 3,
	           c->smp->thermal >= THERMAL_FAIR ? c->t->alert : c->t->text);
}

static void dies_line(const struct panel_ctx *c, int x, int y, int w)
{
	char l0[256], l1[128];
	const char *alts[2] = { l0, l1 };
	size_t n0 = 0, n1 = 0;

	n0 += (size_t)snprintf(l0, sizeof l0, "Dies:");
	n1 += (size_t)snprintf(l1, sizeof l1, "Dies CPU");
	for (unsigned r = RAIL_CPU; r <= RAIL_GPU; r++) {
		n0 += (size_t)snprintf(l0 + n0, sizeof l0 - n0, " %s",
		                       rail_title(c->smp, (enum rail)r));
		for (unsigned d = 0; d < c->smp->ndies; d++) {
			char v[16];
			fmt_watts(v, sizeof v, c->smp->dies[d].rail[r].watts);
			n0 += (size_t)snprintf(l0 + n0, sizeof l0 - n0, "%s%s", d ? "+" : " ", v);
			if (r == RAIL_CPU)
				n1 += (size_t)snprintf(l1 + n1, sizeof l1 - n1, "%s%s",
				                       d ? "+" : " ", v);
		}
	}
	surf_label(c->s, x, y, w, alts, 2, c->t->text);
}

void panel_power(struct panel_ctx *c, struct rect r)
{
	const char *title[] = { "Power & Thermal", "Power" };
	struct rect in = w_box(c->s, r, title, 2, c->t);
	enum rail rails[RAIL_COUNT], chart[2];
	unsigned n = rails_listed(c->smp, rails), nchart = 0;
	int y = in.y, end = in.y + in.h;
	char e[32], l0[64], l1[32];

	if (y < end)
		thermal_line(c, in.x, y++, in.w);
	for (unsigned i = 0; i < n && y < end; i++)
		rail_line(c, rails[i], in.x, y++, in.w);
	if (c->smp->ndies > 1 && y < end)
		dies_line(c, in.x, y++, in.w);
	if (y < end) {
		const char *alts[2] = { l0, l1 };
		fmt_energy(e, sizeof e, c->h->energy_j);
		snprintf(l0, sizeof l0,
		         isnan(c->h->energy_j) ? "Energy: %s" : "Energy: %s this session", e);
		snprintf(l1, sizeof l1, "Energy: %s", e);
		surf_label(c->s, in.x, y++, in.w, alts, 2, c->t->text);
	}
	/* charts: the CPU and GPU power, as the original (else whatever rails are known) */
	for (unsigned i = 0; i < n && nchart < 2; i++)
		if (!isnan(c->h->rail_w[rails[i]].peak) && rails[i] != RAIL_ANE &&
		    rails[i] != RAIL_DRAM)
			chart[nchart++] = rails[i];
	if (y + 2 < end && nchart) {
		int cw = nchart == 2 ? (in.w - 1) / 2 : in.w;
		for (unsigned i = 0; i < nchart; i++) {
			char cap[64];
			const char *alts[2] = { cap, rail_title(c->smp, chart[i]) };
			int x = in.x + (int)i * (cw + 1);
			snprintf(
			    cap, sizeof cap, "%s power (%s)",
			    chart[i] == RAIL_PACKAGE ? "Package" : rail_title(c->smp, chart[i]),
			    c->h->power_scale == POWER_SCALE_PROFILE ? "of the chip's reference"
			                                             : "of peak");
			surf_label(c->s, x, y, cw, alts, 2, c->t->dim);
			w_chart(c->s, (struct rect){ x, y + 1, cw, end - y - 1 },
			        &c->h->rail_pct[chart[i]], 100, c->t);
		}
	}
}

/* ---- a terminal too short for boxes: one line per meter ---- */

void panel_compact(struct panel_ctx *c, struct rect r)
{
	int y = r.y, end = r.y + r.h;
	struct meter m;

	for (unsigned i = 0; i < c->smp->nclusters && y < end; i++) {
		const struct sample_cluster *cl = &c->smp->clusters[i];
		char at[64];
		if (isnan(cl->freq_hz))
			at[0] = '\0';
		else
			snprintf(at, sizeof at, " @ %.0f MHz", cl->freq_hz / 1e6);
		usage_meter(&m, cl->name, history_cluster_percent(cl), at, "",
		            &c->h->cluster_util[i]);
		draw_meter(c, (struct rect){ r.x, y++, r.w, 1 }, &m);
	}
	for (unsigned i = 0; i < c->smp->ngpus && y < end; i++) {
		gpu_meter(c, i, &m);
		draw_meter(c, (struct rect){ r.x, y++, r.w, 1 }, &m);
	}
	if (y < end) {
		ane_meter(c, &m);
		draw_meter(c, (struct rect){ r.x, y++, r.w, 1 }, &m);
	}
	if (y < end) {
		ram_meter(c, &m);
		draw_meter(c, (struct rect){ r.x, y++, r.w, 1 }, &m);
	}
	if (y < end) {
		bw_meter(c, &m);
		draw_meter(c, (struct rect){ r.x, y++, r.w, 1 }, &m);
	}
	if (y < end)
		rail_line(c, RAIL_PACKAGE, r.x, y++, r.w);
	if (y < end)
		thermal_line(c, r.x, y++, r.w);
	/* what is left: the busiest processes */
	if (y < end && c->smp->nprocs)
		panel_proc_lines(c, (struct rect){ r.x, y, r.w, end - y });
}
