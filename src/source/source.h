/* source.h - where readings come from: a small table of functions per source */
#ifndef AGTOP_SOURCE_H
#define AGTOP_SOURCE_H

#include <signal.h>

#include "../error.h"
#include "../options.h"
#include "../procsel.h"
#include "../sample.h"

enum source_status {
	SOURCE_SAMPLE = 1, /* *out holds a new sample */
	SOURCE_END = 0,    /* no more samples (the end of a replay) */
	SOURCE_ERROR = -1, /* err says what went wrong; samples before it stay valid */
	SOURCE_AGAIN = 3,  /* no sample yet: ask again after next_delay (a stream that paces
	                    * itself, such as powermetrics) */
};

struct source;

struct source_ops {
	const char *name;
	/* Prepares the source and takes the first (priming) reading, so that the first read()
	 * after one interval already covers a measured interval. */
	int (*open)(struct source *s, const struct options *o, struct error *err);
	/* Fills out (reset by the caller) with one reading over the interval since the previous
	 * one. */
	enum source_status (*read)(struct source *s, struct sample *out, struct error *err);
	/* Seconds to wait before the next read; NULL means the --interval. */
	double (*next_delay)(struct source *s, double interval);
	void (*close)(struct source *s);
	/* A recording: samples read so far and how many it holds (0: not known). NULL for a live
	 * source. */
	void (*progress)(struct source *s, unsigned long *pos, unsigned long *total);
};

/* What the view shows of the process list, set by the caller before each read, so a source
 * that reads command lines one process at a time (macOS) reads only those: every one while a
 * filter is applied, else the first rows in the view's order. Zero means the default. */
#define SOURCE_PROC_ROWS 40

struct source_proc_hint {
	bool all;
	enum proc_sort sort;
	unsigned rows; /* 0: SOURCE_PROC_ROWS */
};

struct source {
	const struct source_ops *ops;
	void *priv;
	struct source_proc_hint hint;
	/* set by the caller after open: non-zero once a stop signal arrived, so a source's read
	 * loops return at once (NULL: never) */
	const volatile sig_atomic_t *stop;
	/* a warning that came with the last read (a damaged recording line skipped), "" when
	 * none: the caller shows it once and clears it */
	struct error warn;
};

/* The platform's live sources in order of preference (source/<os>/platform.c), NULL-ended. */
extern const struct source_ops *const platform_sources[];

extern const struct source_ops replay_source;
/* powermetrics through sudo (macOS), or a plist stream from --powermetrics-input (anywhere) */
extern const struct source_ops powermetrics_source;

/* --dump-ioreport: two consecutive readings of the platform's counters written to o's file
 * (source/<os>/platform.c; only macOS has IOReport). */
int platform_dump_ioreport(const struct options *o, struct error *err);

/* Opens --replay when given, else the first platform source that opens (honouring
 * AGTOP_FORCE_POWERMETRICS). On failure err explains every attempt. */
int source_open_default(struct source *s, const struct options *o, struct error *err);
enum source_status source_read(struct source *s, struct sample *out, struct error *err);
double source_next_delay(struct source *s, double interval);
void source_close(struct source *s);
/* false for a live source */
bool source_progress(struct source *s, unsigned long *pos, unsigned long *total);

#endif
