/* prometheus.h - a sample as Prometheus metrics (docs/metrics.md): the text exposition format
 * 0.0.4 or OpenMetrics 1.0. Pure: it writes into a buffer. Unknown values are left out, never
 * written as 0. */
#ifndef AGTOP_PROMETHEUS_H
#define AGTOP_PROMETHEUS_H

#include "../sample.h"
#include "../util/strbuf.h"

enum prom_format { PROM_TEXT = 0, PROM_OPENMETRICS };

#define PROM_CONTENT_TYPE_TEXT        "text/plain; version=0.0.4; charset=utf-8"
#define PROM_CONTENT_TYPE_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"

struct prom_opts {
	enum prom_format format;
	unsigned processes; /* per-process series for the top N by CPU; 0: none */
};

void prom_write(struct strbuf *b, const struct sample *s, const struct prom_opts *o);

/* Appends v as Prometheus writes floats: the shortest text that reads back as v. */
void prom_number(struct strbuf *b, double v);
/* Appends a label value with \\, \" and \n escaped. */
void prom_label_value(struct strbuf *b, const char *v);

#endif
