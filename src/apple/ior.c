#include "ior.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/array.h"
#include "../util/str.h"

void ior_sample_init(struct ior_sample *s)
{
	memset(s, 0, sizeof *s);
}

void ior_sample_free(struct ior_sample *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->ch[i].states);
	free(s->ch);
	memset(s, 0, sizeof *s);
}

struct ior_channel *ior_add(struct ior_sample *s, const char *group, const char *subgroup,
                            const char *name, const char *unit, enum ior_format format)
{
	struct ior_channel *c;

	if (array_grow((void **)&s->ch, &s->cap, s->n + 1, sizeof *s->ch, 64))
		return NULL;
	c = &s->ch[s->n++];
	memset(c, 0, sizeof *c);
	str_copy(c->group, sizeof c->group, group ? group : "");
	str_copy(c->subgroup, sizeof c->subgroup, subgroup ? subgroup : "");
	str_copy(c->name, sizeof c->name, name ? name : "");
	str_copy(c->unit, sizeof c->unit, unit ? unit : "");
	c->format = format;
	c->value = IOR_NO_VALUE;
	return c;
}

int ior_add_states(struct ior_channel *c, unsigned n)
{
	free(c->states);
	c->states = n ? calloc(n, sizeof *c->states) : NULL;
	if (n && !c->states) {
		c->nstates = 0;
		return -1;
	}
	c->nstates = n;
	return 0;
}

static const struct ior_channel *find(const struct ior_sample *s, const struct ior_channel *c,
                                      size_t hint)
{
	if (hint < s->n && !strcmp(s->ch[hint].name, c->name) &&
	    !strcmp(s->ch[hint].group, c->group) && !strcmp(s->ch[hint].subgroup, c->subgroup))
		return &s->ch[hint];
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->ch[i].name, c->name) && !strcmp(s->ch[i].group, c->group) &&
		    !strcmp(s->ch[i].subgroup, c->subgroup))
			return &s->ch[i];
	return NULL;
}

/* The earlier residency of a state: same index and name (the usual case), else by name; 0
 * when a has no such state. */
static int64_t prev_residency(const struct ior_channel *a, const struct ior_state *st, unsigned k)
{
	if (k < a->nstates && !strcmp(a->states[k].name, st->name))
		return a->states[k].residency;
	for (unsigned i = 0; i < a->nstates; i++)
		if (!strcmp(a->states[i].name, st->name))
			return a->states[i].residency;
	return -1;
}

int ior_delta(const struct ior_sample *a, const struct ior_sample *b, struct ior_sample *out)
{
	ior_sample_init(out);
	out->mach_time = b->mach_time;
	for (size_t i = 0; i < b->n; i++) {
		const struct ior_channel *cb = &b->ch[i], *ca = find(a, cb, i);
		struct ior_channel *c =
		    ior_add(out, cb->group, cb->subgroup, cb->name, cb->unit, cb->format);
		if (!c || ior_add_states(c, cb->nstates))
			return -1;
		c->ts = cb->ts;
		c->ts_prev = ca ? ca->ts : 0;
		if (!ca || cb->value == IOR_NO_VALUE || ca->value == IOR_NO_VALUE ||
		    cb->value < ca->value)
			c->value = IOR_NO_VALUE;
		else
			c->value = cb->value - ca->value;
		for (unsigned k = 0; k < cb->nstates; k++) {
			int64_t prev = ca ? prev_residency(ca, &cb->states[k], k) : -1;
			c->states[k] = cb->states[k];
			c->states[k].residency = prev >= 0 && cb->states[k].residency > prev
			                             ? cb->states[k].residency - prev
			                             : 0;
		}
	}
	return 0;
}

double ior_joules(int64_t value, const char *unit)
{
	char u[16];
	double scale;

	if (value == IOR_NO_VALUE)
		return NAN;
	str_copy(u, sizeof u, unit ? unit : "");
	str_trim(u);
	if (!strcmp(u, "mJ"))
		scale = 1e-3;
	else if (!strcmp(u, "uJ") || !strcmp(u, "\xC2\xB5J") || !strcmp(u, "\xCE\xBCJ"))
		scale = 1e-6;
	else if (!strcmp(u, "nJ"))
		scale = 1e-9;
	else if (!strcmp(u, "pJ"))
		scale = 1e-12;
	else if (!strcmp(u, "J"))
		scale = 1;
	else
		return NAN;
	return (double)value * scale;
}

int ior_die(const char *name, const char **rest)
{
	if (strncmp(name, "DIE", 3) == 0) {
		const char *p = name + 3 + (name[3] == '_');
		int die = 0;
		if (isdigit((unsigned char)*p)) {
			while (isdigit((unsigned char)*p))
				die = die * 10 + (*p++ - '0');
			/* "DIE_1_" (Ultra) or "DIE0 " (a leading die token, anchored at a blank) */
			if ((name[3] == '_' && *p == '_') || (name[3] != '_' && *p == ' ')) {
				*rest = p + 1;
				return die;
			}
		}
	}
	*rest = name;
	return 0;
}

bool ior_inactive_state(const char *name)
{
	char n[32];

	str_copy(n, sizeof n, name);
	str_trim(n);
	return !strcmp(n, "IDLE") || !strcmp(n, "DOWN") || !strcmp(n, "OFF");
}
