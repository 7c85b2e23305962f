/* replay.c - plays a recording (JSON lines from --record or --json) back as a source */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../export/json.h"
#include "../util/lines.h"
#include "../util/str.h"
#include "source.h"

/* a recording with a long pause is replayed with at most this wait between samples */
#define MAX_GAP_S 60.0
/* what one read may go through (blank lines) before the caller gets control back */
#define READ_BUDGET (16u << 20)

struct replay {
	int fd;
	struct lines in;
	char path[4096];
	unsigned long lineno;
	struct sample next; /* read ahead, so its time tells when it is due */
	bool have_next;
	bool pending;     /* reading ahead stopped before a sample: ask again */
	bool interrupted; /* ... because a read was interrupted (EINTR, a stop signal) */
	bool failed;      /* reading ahead hit a bad line: err holds it */
	struct error err;
	/* a damaged line skipped: the warning for it, and its reason if no sample follows */
	unsigned long damaged;
	struct error damage;
	struct error warn; /* handed to the caller with the next sample */
	double speed;
	double last_time;
	unsigned long pos, total; /* samples read, and the file's non-blank lines (0 unknown) */
};

/* a longer recording is not counted ahead (it would hold up the first frame): "sample n" */
#define COUNT_MAX_BYTES (1024L * 1024 * 1024)

/* The samples a recording holds, counted as non-blank lines without keeping any: a regular
 * file only (a pipe can be read once). 0 when unknown. */
static unsigned long count_lines(const char *path)
{
	char buf[64 * 1024];
	unsigned long n = 0;
	bool empty = true;
	struct stat st;
	ssize_t got;
	int fd;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > COUNT_MAX_BYTES)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while ((got = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < got; i++) {
			char c = buf[i];
			if (c == '\n') {
				n += !empty;
				empty = true;
			} else if (c != ' ' && c != '\t' && c != '\r') {
				empty = false;
			}
		}
	n += !empty;
	close(fd);
	return got < 0 ? 0 : n;
}

static bool blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return false;
	return true;
}

/* A line that is no sample: one (a torn write) is skipped with a warning; two in a row mean
 * the file is not a recording, or more damaged than one torn line, and stop the replay. */
static void damaged_line(struct replay *r, const char *line, size_t len, const char *why)
{
	bool torn = len == 0 || line[len - 1] != '\n';

	if (r->damaged) {
		error_set(&r->err, "--replay %s: lines %lu and %lu are no samples (line %lu%s: %s)",
		          r->path, r->damaged, r->lineno, r->lineno,
		          torn ? ", truncated: no end of line" : "", why);
		r->failed = true;
		return;
	}
	r->damaged = r->lineno;
	error_set(&r->damage, "--replay %s: line %lu%s: %s", r->path, r->lineno,
	          torn ? " (truncated: no end of line)" : "", why);
	error_set(&r->warn, "--replay %s: line %lu skipped%s: %s", r->path, r->lineno,
	          torn ? " (truncated: no end of line)" : "", why);
}

/* Reads the next sample into r->next; sets have_next, pending or failed. */
static void read_ahead(struct replay *r, const volatile sig_atomic_t *stop)
{
	size_t budget = READ_BUDGET;

	r->have_next = r->pending = r->interrupted = false;
	r->in.stop = stop;
	for (;;) {
		struct error e;
		char *line;
		size_t len;

		switch (lines_next(&r->in, &line, &len)) {
		case LINES_OK:
			break;
		case LINES_AGAIN:
			r->pending = r->interrupted = true;
			return;
		case LINES_EOF:
			return;
		case LINES_TOO_LONG:
			error_set(&r->err,
			          "--replay %s: line %lu is longer than %u MiB: not a recording",
			          r->path, r->lineno + 1, LINES_MAX >> 20);
			r->failed = true;
			return;
		case LINES_ERROR:
			error_set(&r->err, "--replay %s: read error after line %lu: %s", r->path,
			          r->lineno, strerror(errno));
			r->failed = true;
			return;
		}
		r->lineno++;
		if (blank(line, len)) {
			if (len >= budget) /* endless blank lines: the caller looks at its keys */
				return (void)(r->pending = true);
			budget -= len;
			continue;
		}
		if (json_read_sample(line, len, &r->next, &e) != 0) {
			damaged_line(r, line, len, e.msg);
			if (r->failed)
				return;
			continue;
		}
		r->damaged = 0;
		r->have_next = true;
		return;
	}
}
static void replay_close(struct source *s)
{
	struct replay *r = s->priv;

	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	lines_free(&r->in);
	sample_free(&r->next);
	free(r);
	s->priv = NULL;
}

static int replay_open(struct source *s, const struct options *o, struct error *err)
{
	struct replay *r = calloc(1, sizeof *r);

	if (!r)
		return error_set(err, "out of memory");
	s->priv = r;
	sample_init(&r->next);
	str_copy(r->path, sizeof r->path, o->replay);
	r->speed = o->replay_speed;
	r->last_time = NAN;
	r->fd = strcmp(o->replay, "-") == 0 ? fcntl(0, F_DUPFD_CLOEXEC, 0)
	                                    : open(o->replay, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		error_set(err, "--replay %s: %s", o->replay, strerror(errno));
		replay_close(s);
		return -1;
	}
	lines_init(&r->in, r->fd, 0);
	/* the first sample now: a file without one is an error at start. Nothing has a stop
	 * flag yet, so an interruption here (EINTR) is the stop signal itself. */
	do
		read_ahead(r, NULL);
	while (r->pending && !r->interrupted); /* past a long run of blank lines */
	if (r->failed || r->pending || !r->have_next) {
		if (r->failed)
			*err = r->err;
		else if (r->pending)
			error_set(err, "--replay %s: interrupted", o->replay);
		else if (r->damaged)
			*err = r->damage;
		else
			error_set(err, "--replay %s: the file holds no samples", o->replay);
		replay_close(s);
		return -1;
	}
	r->total = strcmp(o->replay, "-") == 0 ? 0 : count_lines(o->replay);
	return 0;
}

static enum source_status replay_read(struct source *s, struct sample *out, struct error *err)
{
	struct replay *r = s->priv;

	if (r->pending) /* interrupted before: go on where it stopped */
		read_ahead(r, s->stop);
	if (r->pending)
		return SOURCE_AGAIN;
	/* a line skipped on the way to this sample (or to the end) is reported with it */
	s->warn = r->warn;
	error_clear(&r->warn);
	if (!r->have_next) {
		if (r->failed) {
			*err = r->err;
			r->failed = false; /* reported once */
			return SOURCE_ERROR;
		}
		return SOURCE_END;
	}
	if (sample_copy(out, &r->next) != 0) {
		error_set(err, "out of memory");
		return SOURCE_ERROR;
	}
	r->have_next = false;
	r->last_time = out->time;
	r->pos++;
	read_ahead(r, s->stop);
	return SOURCE_SAMPLE;
}

static double replay_next_delay(struct source *s, double interval)
{
	struct replay *r = s->priv;
	double gap;

	if (r->pending) /* interrupted or a long run of blank lines: soon, keys first */
		return 0.01;
	if (!r->have_next || r->speed <= 0 || isnan(r->last_time))
		return 0;
	gap = r->next.time - r->last_time;
	if (isnan(gap) || gap < 0)
		gap = isnan(r->next.interval_s) ? interval : r->next.interval_s;
	if (gap > MAX_GAP_S)
		gap = MAX_GAP_S;
	return gap / r->speed;
}

static void replay_progress(struct source *s, unsigned long *pos, unsigned long *total)
{
	struct replay *r = s->priv;

	*pos = r->pos;
	*total = r->total >= r->pos ? r->total : 0; /* a file that grew or shrank: not known */
}

const struct source_ops replay_source = {
	.name = "replay",
	.open = replay_open,
	.read = replay_read,
	.next_delay = replay_next_delay,
	.close = replay_close,
	.progress = replay_progress,
};
