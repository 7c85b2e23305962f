#include "meter.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

void meter_init(struct meter *m, double percent, const struct track *tr, double full)
{
	memset(m, 0, sizeof *m);
	m->percent = percent;
	m->tr = tr;
	m->full = full;
}

void meter_alt(struct meter *m, const char *fmt, ...)
{
	va_list ap;

	if (m->nalt >= METER_ALTS)
		return;
	va_start(ap, fmt);
	vsnprintf(m->alt[m->nalt], LABEL_MAX, fmt, ap);
	va_end(ap);
	if (m->nalt && !strcmp(m->alt[m->nalt], m->alt[m->nalt - 1]))
		return;
	m->nalt++;
}

int meter_rows(bool pref, bool known)
{
	return pref && known ? 2 + PANEL_CHART_ROWS : 1;
}

void draw_meter(struct panel_ctx *c, struct rect r, const struct meter *m)
{
	const char *alts[METER_ALTS];
	bool bar = !isnan(m->percent);

	if (r.h <= 0 || r.w <= 0)
		return;
	for (size_t i = 0; i < m->nalt; i++)
		alts[i] = m->alt[i];
	if (r.h == 1 && bar && r.w >= 2 * METER_BAR_MIN + 1) {
		/* one row: the label, then the bar in what is left */
		int used =
		    surf_label(c->s, r.x, r.y, r.w - METER_BAR_MIN - 1, alts, m->nalt, c->t->text);
		if (used > 0)
			w_gauge(c->s, r.x + used + 1, r.y, r.w - used - 1, m->percent, c->t);
		return;
	}
	surf_label(c->s, r.x, r.y, r.w, alts, m->nalt, bar ? c->t->text : c->t->dim);
	if (r.h >= 2 && bar)
		w_gauge(c->s, r.x, r.y + 1, r.w, m->percent, c->t);
	if (r.h >= 3 && m->tr && bar)
		w_chart(c->s, (struct rect){ r.x, r.y + 2, r.w, r.h - 2 }, m->tr, m->full, c->t);
}

void meter_avg_peak(const struct track *tr, bool shortest, char *out, size_t size)
{
	double a = tr ? track_avg(tr) : NAN;

	if (isnan(a))
		out[0] = '\0';
	else
		snprintf(out, size, shortest ? "avg %d%% pk %d%%" : "avg %d%% peak %d%%",
		         clamp_percent(a), clamp_percent(tr->peak));
}

void usage_meter(struct meter *m, const struct usage *u)
{
	char at[64] = "", at_short[32] = "", temp[24] = "", ap[64] = "", aps[48] = "", full[96];
	const char *extra = u->extra ? u->extra : "";
	const char *n = u->name;
	int p = clamp_percent(u->percent);

	meter_init(m, u->percent, u->tr, 100);
	if (isnan(u->percent)) {
		meter_alt(m, "%s Usage: N/A", n);
		meter_alt(m, "%s N/A", n);
		if (u->titled)
			meter_alt(m, "N/A");
		return;
	}
	if (u->at) {
		snprintf(at, sizeof at, "%s", u->at);
	} else if (!isnan(u->freq_hz)) {
		snprintf(at, sizeof at, " @ %.0f MHz", u->freq_hz / 1e6);
		snprintf(at_short, sizeof at_short, " %.0fMHz", u->freq_hz / 1e6);
	}
	if (!isnan(u->temp_c)) {
		char t[16];
		fmt_celsius(t, sizeof t, u->temp_c);
		snprintf(temp, sizeof temp, " %s", t);
	}
	meter_avg_peak(u->tr, false, ap + 1, sizeof ap - 1);
	meter_avg_peak(u->tr, true, aps + 1, sizeof aps - 1);
	if (ap[1])
		ap[0] = aps[0] = ' ';
	if (u->tr && !isnan(track_avg(u->tr)))
		snprintf(full, sizeof full, " (avg: %.1f%% peak: %d%%)", track_avg(u->tr),
		         clamp_percent(u->tr->peak));
	else
		full[0] = '\0';
	/* the original's label first, then shorter forms that keep the average, the peak and
	 * the temperature as long as they can */
	meter_alt(m, "%s Usage: %d%%%s%s%s%s", n, p, at, full, temp, extra);
	meter_alt(m, "%s %d%%%s%s%s%s", n, p, at, ap, temp, extra);
	if (u->titled) {
		meter_alt(m, "%d%%%s%s%s", p, at, ap, temp);
		meter_alt(m, "%d%%%s%s%s", p, at_short, aps, temp);
		meter_alt(m, "%d%%%s%s", p, aps, temp);
		meter_alt(m, "%d%%%s", p, aps);
		meter_alt(m, "%d%%", p);
	} else {
		meter_alt(m, "%s %d%%%s%s%s", n, p, at_short, aps, temp);
		meter_alt(m, "%s %d%%%s%s", n, p, aps, temp);
		meter_alt(m, "%s %d%%%s", n, p, aps);
		meter_alt(m, "%s %d%%", n, p);
	}
}
