#include "source.h"

#include <stdio.h>
#include <string.h>

int source_open_default(struct source *s, const struct options *o, struct error *err)
{
	char tried[sizeof err->msg] = "";
	size_t used = 0;
	struct error e;

	memset(s, 0, sizeof *s);
	if (o->replay[0]) {
		s->ops = &replay_source;
		if (s->ops->open(s, o, err)) {
			s->ops = NULL;
			return -1;
		}
		return 0;
	}
	if (o->powermetrics_input[0]) {
		s->ops = &powermetrics_source;
		if (s->ops->open(s, o, err)) {
			s->ops = NULL;
			return -1;
		}
		return 0;
	}
	for (const struct source_ops *const *p = platform_sources; *p; p++) {
		/* AGTOP_FORCE_POWERMETRICS: powermetrics or nothing */
		if (o->force_powermetrics && strcmp((*p)->name, "powermetrics") != 0)
			continue;
		s->ops = *p;
		s->priv = NULL;
		error_clear(&e);
		if (s->ops->open(s, o, &e) == 0)
			return 0;
		used +=
		    (size_t)snprintf(tried + used, used < sizeof tried ? sizeof tried - used : 0,
		                     "%s%s", used ? "; " : "", e.msg);
	}
	s->ops = NULL;
	if (!platform_sources[0])
		return error_set(err, "no live source on this platform; use --replay FILE");
	if (o->force_powermetrics && !used)
		return error_set(err, "AGTOP_FORCE_POWERMETRICS is set, but powermetrics exists "
		                      "only on macOS; unset it");
	return error_set(err, "%s", tried);
}

enum source_status source_read(struct source *s, struct sample *out, struct error *err)
{
	enum source_status st;

	sample_reset(out);
	st = s->ops->read(s, out, err);
	if (st == SOURCE_SAMPLE && !out->source[0])
		snprintf(out->source, sizeof out->source, "%s", s->ops->name);
	if (st == SOURCE_SAMPLE)
		sample_gpu_defaults(out);
	return st;
}

double source_next_delay(struct source *s, double interval)
{
	return s->ops->next_delay ? s->ops->next_delay(s, interval) : interval;
}

void source_close(struct source *s)
{
	if (s->ops && s->ops->close)
		s->ops->close(s);
	s->ops = NULL;
	s->priv = NULL;
}

bool source_progress(struct source *s, unsigned long *pos, unsigned long *total)
{
	if (!s->ops || !s->ops->progress)
		return false;
	s->ops->progress(s, pos, total);
	return true;
}
