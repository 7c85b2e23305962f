#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GIB (1024.0 * 1024.0 * 1024.0)

void track_init(struct track *t, unsigned window)
{
	memset(t, 0, sizeof *t);
	t->win_cap = window ? window : 1; /* the buffer comes with the first known value */
	t->peak = NAN;
	t->last = NAN;
}

void track_free(struct track *t)
{
	free(t->win);
	t->win = NULL;
	t->win_cap = 0;
	free(t->pts);
	t->pts = NULL;
}

void track_push(struct track *t, double v)
{
	if (!t->pts && !isnan(v)) {
		t->pts = malloc(HIST_POINTS * sizeof *t->pts);
		if (t->pts) /* the points before were all unknown */
			for (unsigned i = 0; i < HIST_POINTS; i++)
				t->pts[i] = NAN;
	}
	if (!t->win && t->win_cap && !isnan(v)) {
		t->win = malloc(t->win_cap * sizeof *t->win);
		if (t->win) /* the window's values so far were all unknown */
			for (unsigned i = 0; i < t->win_cap; i++)
				t->win[i] = NAN;
		else
			t->win_cap = 0; /* averages become NAN, nothing else breaks */
	}
	if (t->pts) /* without memory the chart stays empty; peak, last and averages go on */
		t->pts[t->head] = v;
	t->head = (t->head + 1) % HIST_POINTS;
	if (t->n < HIST_POINTS)
		t->n++;
	t->last = v;
	if (!isnan(v) && (isnan(t->peak) || v > t->peak))
		t->peak = v;
	if (!t->win_cap)
		return;
	if (t->win_n == t->win_cap && t->win) { /* the oldest value leaves the window */
		double old = t->win[t->win_head];
		if (!isnan(old)) {
			t->win_sum -= old;
			t->win_known--;
		}
		t->win_n--;
	}
	if (t->win)
		t->win[t->win_head] = v;
	t->win_head = (t->win_head + 1) % t->win_cap;
	if (t->win_n < t->win_cap)
		t->win_n++;
	if (!isnan(v)) {
		t->win_sum += v;
		t->win_known++;
	}
	if (t->win_known == 0)
		t->win_sum = 0; /* no drift from a long run of subtractions */
}

double track_avg(const struct track *t)
{
	if (!t->win_known)
		return NAN;
	/* recomputed: a running sum loses digits over days of samples */
	{
		double sum = 0;
		for (unsigned i = 0; i < t->win_n; i++) {
			double v = t->win[(t->win_head + t->win_cap - 1 - i) % t->win_cap];
			if (!isnan(v))
				sum += v;
		}
		return sum / t->win_known;
	}
}

double track_point(const struct track *t, unsigned age)
{
	if (age >= t->n || !t->pts)
		return NAN;
	return t->pts[(t->head + HIST_POINTS - 1 - age) % HIST_POINTS];
}

int clamp_percent(double v)
{
	if (isnan(v) || v <= 0)
		return 0;
	if (v >= 100)
		return 100;
	return (int)v;
}

double power_to_percent(double watts, enum power_scale mode, double ref_w, double peak_w,
                        double floor_w)
{
	double denom;

	if (isnan(watts))
		return NAN;
	if (mode == POWER_SCALE_PROFILE)
		denom = fmax(floor_w, isnan(ref_w) ? 0 : ref_w);
	else
		denom = fmax(floor_w, (isnan(peak_w) ? 0 : peak_w) * POWER_AUTO_MULTIPLIER);
	if (denom <= 0)
		return 0;
	return clamp_percent(watts / denom * 100);
}

double history_cluster_percent(const struct sample_cluster *c)
{
	if (!isnan(c->util))
		return c->util * 100;
	if (!isnan(c->active))
		return c->active * 100;
	return NAN;
}

double history_core_percent(const struct sample_core *c)
{
	if (!isnan(c->util))
		return c->util * 100;
	if (!isnan(c->active))
		return c->active * 100;
	return NAN;
}

static const double rail_floor[RAIL_COUNT] = {
	[RAIL_PACKAGE] = POWER_CPU_FLOOR_W + POWER_GPU_FLOOR_W,
	[RAIL_CPU] = POWER_CPU_FLOOR_W,
	[RAIL_GPU] = POWER_GPU_FLOOR_W,
	[RAIL_ANE] = 1.0,
	[RAIL_DRAM] = 2.0,
	[RAIL_SYSTEM] = POWER_CPU_FLOOR_W + POWER_GPU_FLOOR_W,
	[RAIL_UNCORE] = 5.0,
};

double history_rail_ref(const struct history *h, enum rail r)
{
	switch (r) {
	case RAIL_CPU:
		return h->soc.cpu_ref_w;
	case RAIL_GPU:
		return h->soc.gpu_ref_w;
	case RAIL_ANE:
		return SOC_ANE_MAX_W;
	case RAIL_PACKAGE:
	case RAIL_SYSTEM:
		return h->package_ref_w;
	default:
		return NAN; /* no reference: profile mode falls back to the floor */
	}
}

int history_init(struct history *h, const struct options *o, const char *chip)
{
	double w = o->interval > 0 ? (double)o->avg / o->interval : 1;

	memset(h, 0, sizeof *h);
	h->power_scale = o->power_scale;
	h->window = w < 1 ? 1 : w > 100000 ? 100000 : (unsigned)w;
	soc_lookup(chip, &h->soc);
	h->package_ref_w = soc_package_ref_w(&h->soc);
	for (unsigned i = 0; i < SAMPLE_MAX_CLUSTERS; i++)
		track_init(&h->cluster_util[i], h->window);
	for (unsigned i = 0; i < SAMPLE_MAX_GPUS; i++)
		track_init(&h->gpu_util[i], h->window);
	track_init(&h->ane_util, h->window);
	track_init(&h->ram_used, h->window);
	track_init(&h->swap_used, h->window);
	track_init(&h->bw_total, h->window);
	for (unsigned i = 0; i < SAMPLE_MAX_BW_AGENTS; i++)
		track_init(&h->bw_agent[i], h->window);
	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		track_init(&h->rail_w[r], h->window);
		track_init(&h->rail_pct[r], h->window);
	}
	h->energy_j = NAN;
	h->last_pkg_j = NAN;
	h->alert_cfg.bw_sat_percent = o->alert_bw_sat_percent;
	h->alert_cfg.package_power_percent = o->alert_package_power_percent;
	h->alert_cfg.swap_rise_gb = o->alert_swap_rise_gb;
	h->alert_cfg.sustain = o->alert_sustain_samples;
	alerts_init(&h->alerts);
	return 0;
}

static void free_cores(struct history *h)
{
	for (size_t i = 0; i < h->ncores; i++)
		track_free(&h->core_util[i]);
	free(h->core_util);
	h->core_util = NULL;
	h->ncores = 0;
}

void history_free(struct history *h)
{
	for (unsigned i = 0; i < SAMPLE_MAX_CLUSTERS; i++)
		track_free(&h->cluster_util[i]);
	for (unsigned i = 0; i < SAMPLE_MAX_GPUS; i++)
		track_free(&h->gpu_util[i]);
	track_free(&h->ane_util);
	track_free(&h->ram_used);
	track_free(&h->swap_used);
	track_free(&h->bw_total);
	for (unsigned i = 0; i < SAMPLE_MAX_BW_AGENTS; i++)
		track_free(&h->bw_agent[i]);
	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		track_free(&h->rail_w[r]);
		track_free(&h->rail_pct[r]);
	}
	free_cores(h);
}

/* Calls fn on every track: the fixed ones, then the per-core ones. */
static void each_track(struct history *h, void (*fn)(struct track *t, void *ctx), void *ctx)
{
	for (unsigned i = 0; i < SAMPLE_MAX_CLUSTERS; i++)
		fn(&h->cluster_util[i], ctx);
	for (unsigned i = 0; i < SAMPLE_MAX_GPUS; i++)
		fn(&h->gpu_util[i], ctx);
	fn(&h->ane_util, ctx);
	fn(&h->ram_used, ctx);
	fn(&h->swap_used, ctx);
	fn(&h->bw_total, ctx);
	for (unsigned i = 0; i < SAMPLE_MAX_BW_AGENTS; i++)
		fn(&h->bw_agent[i], ctx);
	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		fn(&h->rail_w[r], ctx);
		fn(&h->rail_pct[r], ctx);
	}
	for (size_t i = 0; i < h->ncores; i++)
		fn(&h->core_util[i], ctx);
}

/* a new --avg window: the average starts again, the chart and the peak stay */
static void track_window(struct track *t, void *ctx)
{
	unsigned w = *(const unsigned *)ctx;

	free(t->win);
	t->win = NULL; /* allocated again with the next known value */
	t->win_cap = w;
	t->win_head = t->win_n = t->win_known = 0;
	t->win_sum = 0;
}

void history_set_interval(struct history *h, double avg, double interval)
{
	double w = interval > 0 ? avg / interval : 1;
	unsigned window = w < 1 ? 1 : w > 100000 ? 100000 : (unsigned)w;

	if (window == h->window)
		return;
	h->window = window;
	each_track(h, track_window, &window);
}

static void track_dup(struct track *t, void *ctx)
{
	double *win = t->win ? malloc(t->win_cap * sizeof *win) : NULL;
	double *pts = t->pts ? malloc(HIST_POINTS * sizeof *pts) : NULL;

	if ((t->win && !win) || (t->pts && !pts)) {
		free(win);
		free(pts);
		*(bool *)ctx = true;
		t->win = NULL;
		t->win_cap = 0;
		t->pts = NULL;
		return;
	}
	if (win)
		memcpy(win, t->win, t->win_cap * sizeof *win);
	if (pts)
		memcpy(pts, t->pts, HIST_POINTS * sizeof *pts);
	t->win = win;
	t->pts = pts;
}

int history_copy(struct history *dst, const struct history *src)
{
	bool failed = false;

	*dst = *src;
	if (src->ncores) {
		dst->core_util = malloc(src->ncores * sizeof *dst->core_util);
		if (dst->core_util)
			memcpy(dst->core_util, src->core_util,
			       src->ncores * sizeof *dst->core_util);
		else
			dst->ncores = 0;
		failed = !dst->core_util;
	}
	each_track(dst, track_dup, &failed);
	if (failed) {
		history_free(dst);
		return -1;
	}
	return 0;
}

/* A different CPU layout (hotplug, another recording): the old lines mean nothing now. */
static void match_layout(struct history *h, const struct sample *s)
{
	bool same = h->nclusters == s->nclusters;

	for (unsigned i = 0; same && i < s->nclusters; i++)
		same = strcmp(h->cluster_names[i], s->clusters[i].name) == 0;
	if (!same) {
		for (unsigned i = 0; i < SAMPLE_MAX_CLUSTERS; i++) {
			track_free(&h->cluster_util[i]);
			track_init(&h->cluster_util[i], h->window);
		}
		h->nclusters = s->nclusters;
		for (unsigned i = 0; i < s->nclusters; i++)
			memcpy(h->cluster_names[i], s->clusters[i].name,
			       sizeof h->cluster_names[i]);
	}
	if (!same || h->ncores != s->ncores) {
		free_cores(h);
		h->core_util = calloc(s->ncores ? s->ncores : 1, sizeof *h->core_util);
		if (h->core_util) {
			h->ncores = s->ncores;
			for (size_t i = 0; i < s->ncores; i++)
				track_init(&h->core_util[i], h->window);
		}
	}
}

/* The bandwidth gauges' percentages against the chip's references (seed-spec §6.5). */
static int bw_max_percent(const struct history *h, const struct sample *s)
{
	double cpu = fmax(h->soc.cpu_bw_gbs, 1.0), gpu = fmax(h->soc.gpu_bw_gbs, 1.0);
	int hottest = 0;

	for (unsigned i = 0; i < s->bandwidth.nagents; i++) {
		const struct sample_bw_agent *a = &s->bandwidth.agent[i];
		double gbs = ((isnan(a->read_bps) ? 0 : a->read_bps) +
		              (isnan(a->write_bps) ? 0 : a->write_bps)) /
		             1e9;
		double ref = strstr(a->name, "GFX") || strstr(a->name, "GPU") ? gpu
		             : strstr(a->name, "CPU")                         ? cpu
		                                                              : fmax(cpu, gpu);
		int p = clamp_percent(gbs / ref * 100);
		if (p > hottest)
			hottest = p;
	}
	if (!s->bandwidth.nagents && !isnan(s->bandwidth.total_bps))
		hottest = clamp_percent(s->bandwidth.total_bps / 1e9 / fmax(cpu, gpu) * 100);
	return hottest;
}

void history_update(struct history *h, const struct sample *s)
{
	struct alert_in in;
	double pkg_ref = h->package_ref_w;

	match_layout(h, s);
	for (unsigned i = 0; i < SAMPLE_MAX_CLUSTERS; i++)
		track_push(&h->cluster_util[i],
		           i < s->nclusters ? history_cluster_percent(&s->clusters[i]) : NAN);
	for (size_t i = 0; i < h->ncores && i < s->ncores; i++)
		track_push(&h->core_util[i], history_core_percent(&s->cores[i]));
	for (unsigned i = 0; i < SAMPLE_MAX_GPUS; i++)
		track_push(&h->gpu_util[i], i < s->ngpus ? s->gpus[i].util * 100 : NAN);

	/* ANE: measured utilisation, else the original's power against a fixed 8 W */
	if (!isnan(s->npu.util))
		track_push(&h->ane_util, s->npu.util * 100);
	else if (!isnan(s->power[RAIL_ANE].watts))
		track_push(&h->ane_util,
		           clamp_percent(s->power[RAIL_ANE].watts / SOC_ANE_MAX_W * 100));
	else
		track_push(&h->ane_util, NAN);

	track_push(&h->ram_used, s->memory.total_bytes > 0
	                             ? s->memory.used_bytes / s->memory.total_bytes * 100
	                             : NAN);
	track_push(&h->swap_used, s->memory.swap_used_bytes);
	track_push(&h->bw_total, s->bandwidth.total_bps);
	for (unsigned i = 0; i < SAMPLE_MAX_BW_AGENTS; i++) {
		double v = NAN;
		if (i < s->bandwidth.nagents) {
			const struct sample_bw_agent *a = &s->bandwidth.agent[i];
			v = (isnan(a->read_bps) ? 0 : a->read_bps) +
			    (isnan(a->write_bps) ? 0 : a->write_bps);
		}
		track_push(&h->bw_agent[i], v);
	}

	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		double w = s->power[r].watts;
		track_push(&h->rail_w[r], w);
		/* the peak includes this sample: it was updated first, as in the original */
		track_push(&h->rail_pct[r],
		           power_to_percent(w, h->power_scale, history_rail_ref(h, (enum rail)r),
		                            h->rail_w[r].peak, rail_floor[r]));
	}

	/* session energy: the package counter's advance, else watts x interval (the first
	 * sample, or after a counter restart) */
	{
		double j = s->power[RAIL_PACKAGE].joules, w = s->power[RAIL_PACKAGE].watts,
		       add = NAN;
		if (!isnan(j) && !isnan(h->last_pkg_j) && j >= h->last_pkg_j)
			add = j - h->last_pkg_j;
		else if (!isnan(w) && s->interval_s > 0)
			add = w * s->interval_s;
		if (!isnan(add))
			h->energy_j = (isnan(h->energy_j) ? 0 : h->energy_j) + add;
		h->last_pkg_j = j;
	}

	in.thermal = s->thermal;
	in.bw_available = s->bandwidth.quality != BW_ABSENT;
	in.bw_max_percent = in.bw_available ? bw_max_percent(h, s) : 0;
	in.swap_total_gb = s->memory.swap_total_bytes / GIB;
	in.swap_used_gb = s->memory.swap_used_bytes / GIB;
	if (h->soc.known == 0 && s->power_limit_w > 0)
		pkg_ref = s->power_limit_w; /* Linux: the package's own power limit (RAPL PL1) */
	in.package_percent = isnan(s->power[RAIL_PACKAGE].watts)
	                         ? -1
	                         : clamp_percent(s->power[RAIL_PACKAGE].watts / pkg_ref * 100);
	in.throttle = s->throttle.known ? s->throttle.causes : 0;
	alerts_update(&h->alerts, &h->alert_cfg, &in);
	h->samples++;
}
