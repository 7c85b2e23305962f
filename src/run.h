/* run.h - the sampling loop shared by the dashboard and the headless modes (main.c) */
#ifndef AGTOP_RUN_H
#define AGTOP_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "export/http.h"
#include "export/json.h"
#include "options.h"
#include "source/source.h"
#include "util/file.h"
#include "util/strbuf.h"

enum run_status {
	RUN_SAMPLE = SOURCE_SAMPLE, /* r->cur holds a new sample, r->line its JSON line */
	RUN_END = SOURCE_END,       /* the source has no more samples */
	RUN_ERROR = SOURCE_ERROR,   /* err says why; samples before it were delivered */
	RUN_RESTARTED = 2,          /* --max_count restarted the source: no sample this time */
	RUN_AGAIN = SOURCE_AGAIN,   /* the source has no sample yet: ask again after the delay */
};

struct run {
	struct options *o;
	struct source src;
	struct sample cur;
	struct strbuf line; /* cur as JSON, with the newline */
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
};

/* Opens --record and the --prometheus listener first (so an unwritable file or a port in use
 * fails before anything runs), then the source. */
int run_open(struct run *r, struct options *o, struct error *err);
void run_close(struct run *r);
/* Reads the next sample, appends it to --record. */
enum run_status run_next(struct run *r, struct error *err);
/* Seconds until the next sample is due. */
double run_next_delay(struct run *r);

/* Sleeps until a monotonic deadline; false when a stop signal arrived. */
bool run_wait_until(double deadline);
/* The signal that asked agtop to stop (0 if none), and the exit code that reports it. */
int run_stop_signal(void);
int run_exit_code_for_signal(int sig);

#endif
