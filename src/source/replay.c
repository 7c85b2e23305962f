/* replay.c - plays a recording (JSON lines from --record or --json) back as a source */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../export/json.h"
#include "../util/file.h"
#include "../util/str.h"
#include "source.h"

/* a recording with a long pause is replayed with at most this wait between samples */
#define MAX_GAP_S 60.0

struct replay {
	FILE *f;
	char path[4096];
	char *line;
	size_t linecap;
	unsigned long lineno;
	struct sample next; /* read ahead, so its time tells when it is due */
	bool have_next;
	bool failed; /* reading ahead hit a bad line: err holds it */
	struct error err;
	double speed;
	double last_time;
};

/* Reads the next non-blank line into r->next; sets have_next or failed. */
static void read_ahead(struct replay *r)
{
	ssize_t n;

	r->have_next = false;
	while ((n = getline(&r->line, &r->linecap, r->f)) >= 0) {
		struct error e;
		size_t len = (size_t)n;
		bool blank = true;

		r->lineno++;
		for (size_t i = 0; i < len; i++)
			if (r->line[i] != ' ' && r->line[i] != '\t' && r->line[i] != '\n' &&
			    r->line[i] != '\r') {
				blank = false;
				break;
			}
		if (blank)
			continue;
		if (json_read_sample(r->line, len, &r->next, &e) != 0) {
			bool truncated = r->line[len - 1] != '\n';
			error_set(&r->err, "--replay %s: line %lu%s: %s", r->path, r->lineno,
			          truncated ? " (truncated: no end of line)" : "", e.msg);
			r->failed = true;
			return;
		}
		r->have_next = true;
		return;
	}
	if (ferror(r->f)) {
		error_set(&r->err, "--replay %s: read error after line %lu: %s", r->path, r->lineno,
		          strerror(errno));
		r->failed = true;
	}
}

static void replay_close(struct source *s)
{
	struct replay *r = s->priv;

	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	free(r->line);
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
	r->f =
	    strcmp(o->replay, "-") == 0 ? fdopen(dup(0), "r") : file_open_cloexec(o->replay, "r");
	if (!r->f) {
		error_set(err, "--replay %s: %s", o->replay, strerror(errno));
		replay_close(s);
		return -1;
	}
	read_ahead(r);
	if (r->failed) {
		*err = r->err;
		replay_close(s);
		return -1;
	}
	if (!r->have_next) {
		error_set(err, "--replay %s: the file holds no samples", o->replay);
		replay_close(s);
		return -1;
	}
	return 0;
}

static enum source_status replay_read(struct source *s, struct sample *out, struct error *err)
{
	struct replay *r = s->priv;

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
	r->last_time = out->time;
	read_ahead(r);
	return SOURCE_SAMPLE;
}

static double replay_next_delay(struct source *s, double interval)
{
	struct replay *r = s->priv;
	double gap;

	if (!r->have_next || r->speed <= 0 || isnan(r->last_time))
		return 0;
	gap = r->next.time - r->last_time;
	if (isnan(gap) || gap < 0)
		gap = isnan(r->next.interval_s) ? interval : r->next.interval_s;
	if (gap > MAX_GAP_S)
		gap = MAX_GAP_S;
	return gap / r->speed;
}

const struct source_ops replay_source = {
	.name = "replay",
	.open = replay_open,
	.read = replay_read,
	.next_delay = replay_next_delay,
	.close = replay_close,
};
