/* sampler.h - the sampling pipeline shared by the dashboard and the headless modes */
#ifndef AGTOP_SAMPLER_H
#define AGTOP_SAMPLER_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "export/http.h"
#include "export/json.h"
#include "options.h"
#include "source/source.h"
#include "util/file.h"
#include "util/strbuf.h"

enum sampler_status {
	SAMPLER_SAMPLE = SOURCE_SAMPLE, /* r->cur holds a new sample, r->line its JSON line */
	SAMPLER_END = SOURCE_END,       /* the source has no more samples */
	SAMPLER_ERROR = SOURCE_ERROR,   /* err says why; samples before it were delivered */
	SAMPLER_RESTARTED = 2,          /* --max_count restarted the source: no sample this time */
	SAMPLER_AGAIN = SOURCE_AGAIN, /* the source has no sample yet: ask again after the delay */
};

struct sampler {
	struct options *o;
	struct source src;
	struct sample cur;
	struct strbuf line; /* cur as JSON, with the newline (built only with --json or --record) */
	struct strbuf prom; /* cur as Prometheus text (--prometheus-textfile) */
	struct json_write_opts jopts;
	struct file_log record;   /* --record, fd -1 without */
	struct http_server *http; /* --prometheus, NULL without */
	long samples;             /* samples delivered */
	int since_restart;
	/* what the output shows of the process list (the dashboard updates it from its keys):
	 * handed to the source before each read */
	struct source_proc_hint hint;
	/* a warning from the last read (a damaged recording line skipped): shown once by the
	 * caller, which clears it */
	struct error warn;
	bool filter_off_told; /* the --proc-filter went over its budget and that was said */
	/* set by the caller after open (main.c's stop flag): a blocking read watches it */
	const volatile sig_atomic_t *stop;
	/* a recording read again after a step back: its samples were already written out */
	bool mute;
};

/* Opens --record and the --prometheus listener first (so an unwritable file or a port in use
 * fails before anything runs), then the source. */
int sampler_open(struct sampler *r, struct options *o, struct error *err);
void sampler_close(struct sampler *r);
/* Reads the next sample, appends it to --record (unless muted). */
enum sampler_status sampler_next(struct sampler *r, struct error *err);
/* Seconds until the next sample is due. */
double sampler_next_delay(struct sampler *r);

#endif
