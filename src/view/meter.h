/* meter.h - a meter: a label (its longest form that fits), a bar and a chart; one row holds the
 * label and the bar side by side, so a meter looks the same at every size (pure) */
#ifndef AGTOP_METER_H
#define AGTOP_METER_H

#include <stdbool.h>
#include <stddef.h>

#include "panels.h"

#define METER_ALTS    8
#define LABEL_MAX     256
#define METER_BAR_MIN 8 /* a one-row meter's bar gets at least this, or none */

struct meter {
	char alt[METER_ALTS][LABEL_MAX]; /* longest first */
	size_t nalt;
	double percent;         /* the bar; NAN: no bar (the label says N/A) */
	const struct track *tr; /* the chart; NULL: none */
	double full;            /* the track's 100 % */
};

void meter_init(struct meter *m, double percent, const struct track *tr, double full);
/* Adds a form of the label (longest first); a form equal to the last one is not repeated. */
void meter_alt(struct meter *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* rows a meter takes: label and bar (one row when they fit side by side or the value is
 * unknown), and a chart when there is room */
int meter_rows(bool pref, bool known);
void draw_meter(struct panel_ctx *c, struct rect r, const struct meter *m);

/* "avg 28% peak 71%" and its short "avg 28% pk 71%" over the --avg window and the session;
 * "" before there is a value */
void meter_avg_peak(const struct track *tr, bool shortest, char *out, size_t size);

/* A usage meter: "E-CPU Usage: 38% @ 1773 MHz (avg: 28.3% peak: 71%) 75°C" down to "E-CPU
 * 38%"; with titled (a box title names it) the short forms drop the name and keep the
 * average, the peak and the temperature longest. freq_hz, temp_c and extra may be unknown
 * (NAN, NULL). */
struct usage {
	const char *name;
	double percent;
	double freq_hz;
	double temp_c;
	const char *at;    /* instead of the frequency: " @ 0.5 W" */
	const char *extra; /* after everything: " mem 3.0/24.0GB" */
	const struct track *tr;
	bool titled;
};
void usage_meter(struct meter *m, const struct usage *u);

#endif
