/* power_panel.c - Power & Thermal: the thermal state and temperatures, the rails that are
 * measured (one line names the ones that are not), per-die watts, the session's energy, the
 * CPU and GPU power charts */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "panels.h"

const char *panels_thermal_word(enum thermal_pressure t)
{
	static const char *const words[THERMAL_COUNT] = { "Unknown", "Nominal", "Fair", "Serious",
		                                          "Critical" };
	return (unsigned)t < THERMAL_COUNT ? words[t] : "Unknown";
}

static bool apple(const struct sample *s)
{
	return !strcmp(s->source, "ioreport") || !strcmp(s->source, "powermetrics");
}

/* measured: a value, or a stale one (its counter stopped; the line says so) */
static bool rail_known(const struct sample *s, enum rail r)
{
	return !isnan(s->power[r].watts) || s->power[r].stale;
}

/* the hottest GPU reading: a GPU temperature sensor, else the GPUs' own */
static double gpu_temp(const struct sample *s)
{
	double g = sample_temp_max(s, TEMP_GPU);

	if (isnan(g))
		for (unsigned i = 0; i < s->ngpus; i++)
			if (!isnan(s->gpus[i].temp_c) && (isnan(g) || s->gpus[i].temp_c > g))
				g = s->gpus[i].temp_c;
	return g;
}

static bool any_temp(const struct sample *s)
{
	return !isnan(sample_temp_max(s, TEMP_CPU)) || !isnan(gpu_temp(s));
}

bool panel_power_empty(const struct sample *s, char *why, size_t size)
{
	const char *p = sample_note_get(s, "power"), *t = sample_note_get(s, "temps");

	for (unsigned r = 0; r < RAIL_COUNT; r++)
		if (rail_known(s, (enum rail)r))
			return false;
	if (s->thermal != THERMAL_UNKNOWN || any_temp(s))
		return false;
	if (p && t)
		snprintf(why, size, "%s; %s", p, t);
	else
		snprintf(why, size, "%s", p ? p : t ? t : "no power or temperature readings");
	return true;
}

/* rails listed: the measured ones, the package total last */
static unsigned rails_listed(const struct sample *s, enum rail *out)
{
	/* the whole machine after the package, with what the rest of it draws */
	static const enum rail order[] = { RAIL_CPU,    RAIL_GPU,     RAIL_ANE,   RAIL_DRAM,
		                           RAIL_UNCORE, RAIL_PACKAGE, RAIL_SYSTEM };
	unsigned n = 0;

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (rail_known(s, order[i]))
			out[n++] = order[i];
	return n;
}

/* the rails this machine has and does not measure ("DRAM"): not the neural engine's where
 * there is none, nor the GPU's without a GPU (the GPU & ANE panel says so) */
static bool rails_missing(const struct sample *s, char *out, size_t size)
{
	static const enum rail expected[] = { RAIL_CPU, RAIL_GPU, RAIL_ANE, RAIL_DRAM };
	static const char *const names[] = { "CPU", "GPU", "ANE", "DRAM" };
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < 4; i++)
		if (!rail_known(s, expected[i]) && !(expected[i] == RAIL_ANE && !s->npu.present) &&
		    !(expected[i] == RAIL_GPU && !s->ngpus))
			o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%s",
			                      o ? ", " : "", names[i]);
	return o > 0;
}

static bool has_thermal_line(const struct sample *s)
{
	return s->thermal != THERMAL_UNKNOWN || any_temp(s);
}

static bool has_battery_line(const struct sample *s)
{
	return s->battery.present || s->nfans > 0;
}

static void duration(char *out, size_t size, double secs)
{
	long m = (long)(secs / 60 + 0.5);

	if (m >= 60)
		snprintf(out, size, "%ldh%02ldm", m / 60, m % 60);
	else
		snprintf(out, size, "%ldm", m);
}

/* Whether every fan with a known maximum has the same range (most Macs: one model of fan),
 * and that range: *lo NAN where the minimum is unknown. False when no fan has a maximum. */
static bool fans_range(const struct sample *s, double *lo, double *hi)
{
	bool any = false;

	*lo = *hi = NAN;
	for (unsigned i = 0; i < s->nfans; i++) {
		const struct sample_fan *f = &s->fans[i];
		if (isnan(f->max_rpm))
			continue;
		if (!any) {
			*lo = f->min_rpm;
			*hi = f->max_rpm;
			any = true;
		} else if (f->max_rpm != *hi ||
		           (isnan(f->min_rpm) ? !isnan(*lo) : f->min_rpm != *lo)) {
			return false;
		}
	}
	return any;
}

/* "Battery: 80% discharging 61.5W · 2h29m left · Fans 2410 2622 rpm (1200-5779)" */
static void battery_line(const struct panel_ctx *c, int x, int y, int w)
{
	const struct sample_battery *b = &c->smp->battery;
	static const char *const state[BATTERY_STATE_COUNT] = { "", "discharging", "charging",
		                                                "full", "not charging" };
	char bat[160] = "", batshort[64] = "", fans[96] = "", fanshort[64] = "", t[24];
	char l0[256], l1[200], l2[128];
	const char *alts[3] = { l0, l1, l2 };
	size_t n = 0, m = 0;

	if (b->present) {
		n += (size_t)snprintf(bat, sizeof bat, "Battery: %.0f%%", b->percent);
		m += (size_t)snprintf(batshort, sizeof batshort, "Batt %.0f%%", b->percent);
		if (state[b->state][0])
			n += (size_t)snprintf(bat + n, sizeof bat - n, " %s", state[b->state]);
		if (!isnan(b->power_w) && fabs(b->power_w) >= 0.05) {
			n += (size_t)snprintf(bat + n, sizeof bat - n, " %.1fW", fabs(b->power_w));
			m += (size_t)snprintf(batshort + m, sizeof batshort - m, " %s%.1fW",
			                      b->power_w > 0 ? "-" : "+", fabs(b->power_w));
		}
		if (!isnan(b->time_to_empty_s)) {
			duration(t, sizeof t, b->time_to_empty_s);
			n += (size_t)snprintf(bat + n, sizeof bat - n, " \xC2\xB7 %s left", t);
			snprintf(batshort + m, sizeof batshort - m, " %s", t);
		} else if (!isnan(b->time_to_full_s)) {
			duration(t, sizeof t, b->time_to_full_s);
			n += (size_t)snprintf(bat + n, sizeof bat - n, " \xC2\xB7 full in %s", t);
			snprintf(batshort + m, sizeof batshort - m, " full %s", t);
		}
		if (!isnan(b->adapter_w))
			snprintf(bat + n, sizeof bat - n, " \xC2\xB7 adapter %.0fW", b->adapter_w);
	}
	if (c->smp->nfans) {
		size_t f = (size_t)snprintf(fans, sizeof fans, "Fans"),
		       g = (size_t)snprintf(fanshort, sizeof fanshort, "Fans");
		double lo, hi;
		bool one_range = fans_range(c->smp, &lo, &hi);

		for (unsigned i = 0; i < c->smp->nfans && f < sizeof fans; i++) {
			const struct sample_fan *fan = &c->smp->fans[i];
			char v[16] = " N/A", vmax[32];
			if (!isnan(fan->rpm))
				snprintf(v, sizeof v, " %.0f", fan->rpm);
			/* fans of different ranges: each with its maximum */
			if (!one_range && !isnan(fan->max_rpm))
				snprintf(vmax, sizeof vmax, "%s/%.0f", v, fan->max_rpm);
			else
				snprintf(vmax, sizeof vmax, "%s", v);
			f += (size_t)snprintf(fans + f, sizeof fans - f, "%s", vmax);
			if (i < 2 && g < sizeof fanshort) /* the short form: the first two */
				g += (size_t)snprintf(fanshort + g, sizeof fanshort - g, "%s", v);
		}
		if (f < sizeof fans && one_range && !isnan(lo))
			snprintf(fans + f, sizeof fans - f, " rpm (%.0f-%.0f)", lo, hi);
		else if (f < sizeof fans && one_range)
			snprintf(fans + f, sizeof fans - f, " rpm (max %.0f)", hi);
		else if (f < sizeof fans)
			snprintf(fans + f, sizeof fans - f, " rpm");
	}
	snprintf(l0, sizeof l0, "%s%s%s", bat, bat[0] && fans[0] ? " \xC2\xB7 " : "", fans);
	snprintf(l1, sizeof l1, "%s%s%s", batshort, batshort[0] && fanshort[0] ? " \xC2\xB7 " : "",
	         fanshort);
	snprintf(l2, sizeof l2, "%s", b->present ? batshort : fanshort);
	surf_label(c->s, x, y, w, alts, 3, c->t->text);
}

static unsigned power_lines(const struct panel_ctx *c)
{
	enum rail r[RAIL_COUNT];
	char miss[64];

	/* thermal, the rails, the missing ones, the dies, battery and fans, the session energy */
	return (has_thermal_line(c->smp) ? 1 : 0) + rails_listed(c->smp, r) +
	       (rails_missing(c->smp, miss, sizeof miss) ? 1 : 0) + (c->smp->ndies > 1 ? 1 : 0) +
	       (has_battery_line(c->smp) ? 1 : 0) + 1;
}

/* at least: thermal, the rails on one line, the package and energy on one line */
static int power_min_lines(const struct panel_ctx *c)
{
	return (has_thermal_line(c->smp) ? 1 : 0) + 2;
}

int panel_power_rows(const struct panel_ctx *c, int inner_w, bool pref)
{
	enum rail r[RAIL_COUNT];

	(void)inner_w;
	if (!pref)
		return power_min_lines(c);
	/* a line each, then a caption and the charts where there is power to chart */
	return (int)power_lines(c) + (rails_listed(c->smp, r) ? PANEL_CHART_ROWS + 1 : 0);
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

void power_rail_line(const struct panel_ctx *c, enum rail r, int x, int y, int w)
{
	char now[16], avg[16], peak[16], l0[128], l1[96], l2[64], l3[96];
	const char *alts[4] = { l0, l3, l1, l2 };
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
		alts[1] = l1;
		alts[2] = l2;
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
	if (r == RAIL_SYSTEM && !isnan(sample_power_other_w(c->smp))) {
		/* where the watts go: the whole machine beside the rails' sum, the rest as other */
		char other[16];
		double o = sample_power_other_w(c->smp);
		fmt_watts(other, sizeof other, o);
		snprintf(l0, sizeof l0, "%s: %s (avg: %s peak: %s) \xC2\xB7 other %s",
		         rail_title(c->smp, r), now, avg, peak, other);
		snprintf(l3, sizeof l3, "System %.1fW avg %.1f pk %.1f \xC2\xB7 other %.1fW", watts,
		         track_avg(&c->h->rail_w[r]), c->h->rail_w[r].peak, o);
		snprintf(l1, sizeof l1, "%s: %s \xC2\xB7 other %s", rail_title(c->smp, r), now,
		         other);
		snprintf(l2, sizeof l2, "System %.1fW", watts);
		surf_label(c->s, x, y, w, alts, isnan(track_avg(&c->h->rail_w[r])) ? 1 : 4,
		           c->t->text);
		return;
	}
	snprintf(l2, sizeof l2, "%s %.1fW", r == RAIL_PACKAGE ? "Pkg" : rail_title(c->smp, r),
	         watts);
	snprintf(l3, sizeof l3, "%s %.1fW avg %.1f pk %.1f",
	         r == RAIL_PACKAGE ? "Package" : rail_title(c->smp, r), watts,
	         track_avg(&c->h->rail_w[r]), c->h->rail_w[r].peak);
	surf_label(c->s, x, y, w, alts, isnan(track_avg(&c->h->rail_w[r])) ? 1 : 4,
	           r == RAIL_PACKAGE ? c->t->head : c->t->text);
}

/* "Thermal: " and the parts that are known, joined by " · " */
static void join(char *out, size_t size, const char *const *part, size_t n)
{
	size_t o = (size_t)snprintf(out, size, "Thermal:");

	for (size_t i = 0; i < n && o < size; i++)
		if (part[i][0])
			o += (size_t)snprintf(out + o, size - o, "%s %s", o > 8 ? " \xC2\xB7" : "",
			                      part[i]);
}

bool power_thermal_line(const struct panel_ctx *c, int x, int y, int w)
{
	char cpu[24] = "", gpu[24] = "", t[16], l0[128], l1[96], l2[48];
	const char *alts[3] = { l0, l1, l2 };
	double ct = sample_temp_max(c->smp, TEMP_CPU), gt = gpu_temp(c->smp);
	/* the thermal state is said here and nowhere else; an unknown one is not said at all */
	const char *state =
	    c->smp->thermal != THERMAL_UNKNOWN ? panels_thermal_word(c->smp->thermal) : "";
	const char *part[3] = { state, cpu, gpu };

	if (!has_thermal_line(c->smp))
		return false;
	if (!isnan(ct)) {
		fmt_celsius(t, sizeof t, ct);
		snprintf(cpu, sizeof cpu, "CPU %s", t);
	}
	if (!isnan(gt)) {
		fmt_celsius(t, sizeof t, gt);
		snprintf(gpu, sizeof gpu, "GPU %s", t);
	}
	join(l0, sizeof l0, part, 3);
	join(l1, sizeof l1, part, 2);
	join(l2, sizeof l2, part, state[0] ? 1 : 2);
	surf_label(c->s, x, y, w, alts, 3,
	           c->smp->thermal >= THERMAL_FAIR ? c->t->alert : c->t->text);
	return true;
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

static void missing_line(const struct panel_ctx *c, int x, int y, int w)
{
	char miss[64], l0[256], l1[96];
	const char *alts[2] = { l0, l1 };
	const char *why = sample_note_get(c->smp, "power.ane");

	rails_missing(c->smp, miss, sizeof miss);
	/* the reason when one rail is missing and says why ("no neural engine on this CPU") */
	if (!strcmp(miss, "ANE") && why)
		snprintf(l0, sizeof l0, "ANE: %s", why);
	else
		snprintf(l0, sizeof l0, "not measured: %s (? says why)", miss);
	snprintf(l1, sizeof l1, "not measured: %s", miss);
	surf_label(c->s, x, y, w, alts, 2, c->t->dim);
}

static void power_charts(struct panel_ctx *c, const enum rail *rails, unsigned n, int x, int y,
                         int w, int end)
{
	enum rail chart[2];
	unsigned nchart = 0;

	/* the CPU and GPU power, as the original (else whatever rails are known) */
	for (unsigned i = 0; i < n && nchart < 2; i++)
		if (!isnan(c->h->rail_w[rails[i]].peak) && rails[i] != RAIL_ANE &&
		    rails[i] != RAIL_DRAM)
			chart[nchart++] = rails[i];
	if (y + 2 >= end || !nchart)
		return;
	{
		int cw = nchart == 2 ? (w - 1) / 2 : w;
		for (unsigned i = 0; i < nchart; i++) {
			char cap[64];
			const char *alts[2] = { cap, rail_title(c->smp, chart[i]) };
			int cx = x + (int)i * (cw + 1);
			snprintf(
			    cap, sizeof cap, "%s power (%s)",
			    chart[i] == RAIL_PACKAGE ? "Package" : rail_title(c->smp, chart[i]),
			    c->h->power_scale == POWER_SCALE_PROFILE ? "of the chip's reference"
			                                             : "of peak");
			surf_label(c->s, cx, y, cw, alts, 2, c->t->dim);
			w_chart(c->s, (struct rect){ cx, y + 1, cw, end - y - 1 },
			        &c->h->rail_pct[chart[i]], 100, c->t);
		}
	}
}

/* a short box: "CPU 12.6W · GPU 40.8W · DRAM 4.2W" (as many as fit), then the package */
static void power_short(struct panel_ctx *c, const enum rail *rails, unsigned n, int x, int y,
                        int w, int end)
{
	char l[RAIL_COUNT][256], e[32], pkg[128];
	const char *alts[RAIL_COUNT];
	unsigned k = 0;
	size_t o = 0;

	for (unsigned i = 0; i < n; i++)
		if (rails[i] != RAIL_PACKAGE && rails[i] != RAIL_SYSTEM) {
			char part[48], v[16] = "N/A";
			double watts = c->smp->power[rails[i]].watts;
			if (!isnan(watts)) /* a stale value is marked, as on its own line */
				snprintf(v, sizeof v, "%.1fW%s", watts,
				         c->smp->power[rails[i]].stale ? "?" : "");
			snprintf(part, sizeof part, "%s%s %s", o ? " \xC2\xB7 " : "",
			         rail_title(c->smp, rails[i]), v);
			o += (size_t)snprintf(l[k], sizeof l[k], "%s%s", k ? l[k - 1] : "", part);
			k++;
		}
	for (unsigned i = 0; i < k; i++) /* longest first */
		alts[i] = l[k - 1 - i];
	if (k && y < end)
		surf_label(c->s, x, y++, w, alts, k, c->t->text);
	fmt_energy(e, sizeof e, c->h->energy_j);
	if (rail_known(c->smp, RAIL_PACKAGE))
		snprintf(pkg, sizeof pkg, "%s %.1fW \xC2\xB7 %s",
		         apple(c->smp) ? "CPU+GPU+ANE" : "Package",
		         c->smp->power[RAIL_PACKAGE].watts, e);
	else
		snprintf(pkg, sizeof pkg, "Energy: %s", e);
	alts[0] = pkg;
	if (y < end)
		surf_label(c->s, x, y++, w, alts, 1, c->t->head);
	/* rows left: the whole machine and the rest, then the battery and fans */
	if (y < end && rail_known(c->smp, RAIL_SYSTEM))
		power_rail_line(c, RAIL_SYSTEM, x, y++, w);
	if (y < end && has_battery_line(c->smp))
		battery_line(c, x, y++, w);
}

void panel_power(struct panel_ctx *c, struct rect r)
{
	const char *title[] = { "Power & Thermal", "Power" };
	struct rect in = w_box(c->s, r, title, 2, c->t);
	enum rail rails[RAIL_COUNT];
	unsigned n = rails_listed(c->smp, rails);
	int y = in.y, end = in.y + in.h;
	char e[32], l0[64], l1[32], miss[64];

	bool missing = rails_missing(c->smp, miss, sizeof miss), dies = c->smp->ndies > 1;
	bool energy = true, battery = has_battery_line(c->smp);
	int short_by = (int)power_lines(c) - in.h;

	if (y < end && power_thermal_line(c, in.x, y, in.w))
		y++;
	/* rows short: the energy goes first (the status line has it), then the battery and fans,
	 * the line of rails not measured, then the dies; then the rails share one line */
	if (short_by > 0 && energy)
		energy = false, short_by--;
	if (short_by > 0 && battery)
		battery = false, short_by--;
	if (short_by > 0 && missing)
		missing = false, short_by--;
	if (short_by > 0 && dies)
		dies = false, short_by--;
	if (short_by > 0) {
		power_short(c, rails, n, in.x, y, in.w, end);
		return;
	}
	for (unsigned i = 0; i < n && y < end; i++)
		power_rail_line(c, rails[i], in.x, y++, in.w);
	if (y < end && missing)
		missing_line(c, in.x, y++, in.w);
	if (dies && y < end)
		dies_line(c, in.x, y++, in.w);
	if (battery && y < end)
		battery_line(c, in.x, y++, in.w);
	if (y < end && energy) {
		const char *alts[2] = { l0, l1 };
		fmt_energy(e, sizeof e, c->h->energy_j);
		snprintf(l0, sizeof l0,
		         isnan(c->h->energy_j) ? "Energy: %s" : "Energy: %s this session", e);
		snprintf(l1, sizeof l1, "Energy: %s", e);
		surf_label(c->s, in.x, y++, in.w, alts, 2,
		           isnan(c->h->energy_j) ? c->t->dim : c->t->text);
	}
	power_charts(c, rails, n, in.x, y, in.w, end);
}
