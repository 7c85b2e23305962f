/* lookup.c - channel and cluster lookups shared by the Apple decoder's parts */
#include "lookup.h"

#include <stdio.h>
#include <string.h>

#include "../util/str.h"

const struct ior_channel *apple_find(const struct ior_sample *s, const char *group,
                                     const char *subgroup, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->ch[i].name, name) && !strcmp(s->ch[i].group, group) &&
		    (!subgroup || !strcmp(s->ch[i].subgroup, subgroup)))
			return &s->ch[i];
	return NULL;
}

void apple_cluster_channel(const struct apple_decoder *d, unsigned k, char *out, size_t size)
{
	const struct apple_cluster_map *m = &d->cl[k];

	if (m->die > 0 || d->ndies > 1)
		snprintf(out, size, "DIE_%d_%s", m->die, m->key);
	else
		str_copy(out, size, m->key);
}

unsigned apple_cluster_nth(const struct apple_decoder *d, unsigned k)
{
	unsigned nth = 0;

	for (unsigned i = 0; i < k; i++)
		if (d->cl[i].die == d->cl[k].die && d->cl[i].kind == d->cl[k].kind)
			nth++;
	return nth;
}

struct apple_proc *apple_reading_proc(const struct apple_reading *r, int pid)
{
	size_t lo = 0, hi = r->nprocs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->procs[mid].pid == pid)
			return &r->procs[mid];
		if (r->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
