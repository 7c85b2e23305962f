/* decode_cpu.c - CPU clusters and cores from IOReport channel names, OS CPU numbers, and the
 * per-core / per-cluster frequencies and residencies */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../history/rate.h"
#include "../util/str.h"
#include "decode.h"
#include "decode_internal.h"
#include "lookup.h"

#define CORE_GROUP "CPU Stats"
#define CORE_SUB   "CPU Core Performance States"
#define CPLX_SUB   "CPU Complex Performance States"

bool apple_core_channel(const char *name, char *key, size_t keysize, unsigned *core)
{
	const char *types[] = { "ECPU", "PCPU", "MCPU" };
	const char *p = NULL, *q;
	const char *type = NULL;
	unsigned cl = 0;
	uint64_t v;

	for (size_t i = 0; i < 3; i++)
		if (!strncmp(name, types[i], 4)) {
			type = types[i];
			p = name + 4;
		}
	if (!type)
		return false;
	/* Ultra: "<TYPE><n>_CPU<k>" */
	q = strstr(p, "_CPU");
	if (q) {
		char digits[8] = "";
		if ((size_t)(q - p) >= sizeof digits)
			return false;
		for (const char *d = p; d < q; d++)
			if (!isdigit((unsigned char)*d))
				return false;
		str_copy_n(digits, sizeof digits, p, (size_t)(q - p));
		cl = digits[0] ? (unsigned)atoi(digits) : 0;
		if (!str_parse_u64(q + 4, &q, &v) || *q)
			return false;
		*core = (unsigned)v;
	} else {
		size_t n = strlen(p);
		for (size_t i = 0; i < n; i++)
			if (!isdigit((unsigned char)p[i]))
				return false;
		if (n == 1) { /* "ECPU2": one cluster */
			*core = (unsigned)(p[0] - '0');
		} else if (n == 2 || n == 3) { /* cluster digit, core digit (and a trailing 0) */
			cl = (unsigned)(p[0] - '0');
			*core = (unsigned)(p[1] - '0');
		} else {
			return false;
		}
	}
	if (!strcmp(type, "MCPU"))
		snprintf(key, keysize, "MCPU%u", cl);
	else if (cl)
		snprintf(key, keysize, "%s%u", type, cl);
	else
		snprintf(key, keysize, "%s", type);
	return true;
}

static bool has_level(const struct apple_host *h, const char *name)
{
	for (unsigned i = 0; i < h->nlevels; i++)
		if (!strcmp(h->level[i].name, name))
			return true;
	return false;
}

static enum cluster_kind key_kind(const struct apple_host *h, const char *key)
{
	if (key[0] == 'E')
		return CLUSTER_EFFICIENCY;
	if (key[0] == 'M')
		return CLUSTER_PERFORMANCE;
	/* PCPU: the super tier where the OS has one (M5), else performance */
	return has_level(h, "Super") ? CLUSTER_SUPER : CLUSTER_PERFORMANCE;
}

static int kind_rank(enum cluster_kind k)
{
	return k == CLUSTER_EFFICIENCY    ? 0
	       : k == CLUSTER_PERFORMANCE ? 1
	       : k == CLUSTER_SUPER       ? 2
	                                  : 3;
}

struct core_tmp {
	char channel[64];
	char key[16];
	int die;
	unsigned core;
};

static int cmp_cluster(const void *a, const void *b)
{
	const struct apple_cluster_map *x = a, *y = b;

	if (x->die != y->die)
		return x->die - y->die;
	if (kind_rank(x->kind) != kind_rank(y->kind))
		return kind_rank(x->kind) - kind_rank(y->kind);
	return strcmp(x->key, y->key);
}

static void name_clusters(struct apple_decoder *d)
{
	static const char letter[CLUSTER_KIND_COUNT] = { 'C', 'E', 'P', 'S' };
	unsigned count[CLUSTER_KIND_COUNT] = { 0 }, seen[CLUSTER_KIND_COUNT] = { 0 };

	for (unsigned i = 0; i < d->nclusters; i++)
		count[d->cl[i].kind]++;
	/* one cluster of a kind: "E-CPU"; several: numbered across the chip, as powermetrics
	 * numbers them (E0, P0, P1, E1, P2, P3 on an Ultra) */
	for (unsigned i = 0; i < d->nclusters; i++) {
		enum cluster_kind k = d->cl[i].kind;
		if (count[k] == 1)
			snprintf(d->cl[i].name, sizeof d->cl[i].name, "%c-CPU", letter[k]);
		else
			snprintf(d->cl[i].name, sizeof d->cl[i].name, "%c%u-CPU", letter[k],
			         seen[k]);
		seen[k]++;
	}
}

/* Clusters and cores from the per-core channel names; OS CPU numbers: die by die, tiers from
 * the slowest up (the OS numbers E-cores first on M1-M4, the super tier last on M5 Max), cluster
 * by cluster, core by core. */
static bool layout_from_channels(struct apple_decoder *d, const struct ior_sample *s)
{
	struct core_tmp *tmp = calloc(s->n ? s->n : 1, sizeof *tmp);
	unsigned n = 0, cpu = 0, cap = 0;

	if (!tmp)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		const struct ior_channel *c = &s->ch[i];
		const char *rest;
		if (strcmp(c->group, CORE_GROUP) || strcmp(c->subgroup, CORE_SUB))
			continue;
		tmp[n].die = ior_die(c->name, &rest);
		if (!apple_core_channel(rest, tmp[n].key, sizeof tmp[n].key, &tmp[n].core))
			continue;
		str_copy(tmp[n].channel, sizeof tmp[n].channel, c->name);
		n++;
	}
	if (!n) {
		free(tmp);
		return false;
	}
	d->nclusters = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned k;
		for (k = 0; k < d->nclusters; k++)
			if (d->cl[k].die == tmp[i].die && !strcmp(d->cl[k].key, tmp[i].key))
				break;
		if (k == d->nclusters) {
			if (d->nclusters == SAMPLE_MAX_CLUSTERS)
				continue;
			memset(&d->cl[k], 0, sizeof d->cl[k]);
			str_copy(d->cl[k].key, sizeof d->cl[k].key, tmp[i].key);
			d->cl[k].die = tmp[i].die;
			d->cl[k].kind = key_kind(&d->host, tmp[i].key);
			d->nclusters++;
		}
		d->cl[k].ncores++;
	}
	qsort(d->cl, d->nclusters, sizeof d->cl[0], cmp_cluster);
	name_clusters(d);
	for (unsigned i = 0; i < n; i++)
		if (tmp[i].core >= cap)
			cap = tmp[i].core + 1;
	cap = cap * d->nclusters > n ? cap * d->nclusters : n;
	free(d->core);
	d->core = calloc(cap, sizeof *d->core);
	if (!d->core) {
		free(tmp);
		return false;
	}
	d->ncores = 0;
	d->ndies = 1;
	for (unsigned k = 0; k < d->nclusters; k++) {
		unsigned maxcore = 0;
		d->cl[k].first = d->ncores;
		if ((unsigned)d->cl[k].die + 1 > d->ndies)
			d->ndies = (unsigned)d->cl[k].die + 1;
		for (unsigned i = 0; i < n; i++)
			if (tmp[i].die == d->cl[k].die && !strcmp(tmp[i].key, d->cl[k].key) &&
			    tmp[i].core > maxcore)
				maxcore = tmp[i].core;
		/* cores in index order; a core missing from the reading (an Ultra's samples can
		 * leave out inactive cores, macmon#55) keeps its place and CPU number, unread */
		for (unsigned c = 0; c <= maxcore && d->ncores < cap; c++) {
			struct apple_core_map *m = &d->core[d->ncores++];
			memset(m, 0, sizeof *m);
			m->cluster = k;
			m->cpu = (int)cpu++;
			for (unsigned i = 0; i < n; i++)
				if (tmp[i].die == d->cl[k].die &&
				    !strcmp(tmp[i].key, d->cl[k].key) && tmp[i].core == c)
					str_copy(m->channel, sizeof m->channel, tmp[i].channel);
		}
		d->cl[k].ncores = d->ncores - d->cl[k].first;
	}
	free(tmp);
	d->from_channels = true;
	return true;
}

/* Without CPU Stats: one cluster per performance level, slowest first (the OS numbering). */
static void layout_from_levels(struct apple_decoder *d)
{
	unsigned cpu = 0;

	d->nclusters = 0;
	d->ndies = 1;
	free(d->core);
	d->core = calloc(d->host.ncpu > 0 ? (size_t)d->host.ncpu : 1, sizeof *d->core);
	d->ncores = 0;
	if (!d->core)
		return;
	for (int l = (int)d->host.nlevels - 1; l >= 0 && d->nclusters < SAMPLE_MAX_CLUSTERS; l--) {
		struct apple_cluster_map *c = &d->cl[d->nclusters];
		const char *nm = d->host.level[l].name;
		memset(c, 0, sizeof *c);
		c->kind = !strcmp(nm, "Efficiency") ? CLUSTER_EFFICIENCY
		          : !strcmp(nm, "Super")    ? CLUSTER_SUPER
		                                    : CLUSTER_PERFORMANCE;
		c->first = d->ncores;
		for (int k = 0; k < d->host.level[l].logical && (int)d->ncores < d->host.ncpu;
		     k++) {
			d->core[d->ncores].cluster = d->nclusters;
			d->core[d->ncores].cpu = (int)cpu++;
			d->ncores++;
		}
		c->ncores = d->ncores - c->first;
		d->nclusters++;
	}
	if (!d->nclusters && d->host.ncpu > 0) { /* nothing known: one cluster */
		d->cl[0].kind = CLUSTER_GENERIC;
		d->cl[0].ncores = (unsigned)d->host.ncpu;
		for (int k = 0; k < d->host.ncpu; k++) {
			d->core[k].cpu = k;
			d->core[k].cluster = 0;
		}
		d->ncores = (unsigned)d->host.ncpu;
		d->nclusters = 1;
	}
	name_clusters(d);
	d->from_channels = false;
}

static unsigned active_states(const struct ior_channel *c)
{
	unsigned n = 0;

	for (unsigned i = 0; c && i < c->nstates; i++)
		if (!ior_inactive_state(c->states[i].name))
			n++;
	return n;
}

void apple_layout(struct apple_decoder *d, const struct ior_sample *s)
{
	struct dvfs_cluster dc[SAMPLE_MAX_CLUSTERS];

	if (!layout_from_channels(d, s))
		layout_from_levels(d);
	for (unsigned k = 0; k < d->nclusters; k++) {
		const struct ior_channel *c = NULL;
		for (unsigned i = d->cl[k].first;
		     d->from_channels && !c && i < d->cl[k].first + d->cl[k].ncores; i++)
			if (d->core[i].channel[0])
				c = apple_find(s, CORE_GROUP, CORE_SUB, d->core[i].channel);
		d->cl[k].states = active_states(c);
		dc[k].kind = d->cl[k].kind;
		dc[k].die = d->cl[k].die;
		dc[k].states = d->cl[k].states;
	}
	dvfs_pick(&d->pmgr, dc, d->nclusters, &d->dvfs);
	d->laid_out = true;
}

static double tick_util(const uint32_t *a, const uint32_t *b)
{
	struct cpu_ticks x = { { 0 } }, y = { { 0 } };

	x.t[CPU_USER] = a[APPLE_TICK_USER];
	x.t[CPU_SYSTEM] = a[APPLE_TICK_SYSTEM];
	x.t[CPU_IDLE] = a[APPLE_TICK_IDLE];
	x.t[CPU_NICE] = a[APPLE_TICK_NICE];
	y.t[CPU_USER] = b[APPLE_TICK_USER];
	y.t[CPU_SYSTEM] = b[APPLE_TICK_SYSTEM];
	y.t[CPU_IDLE] = b[APPLE_TICK_IDLE];
	y.t[CPU_NICE] = b[APPLE_TICK_NICE];
	return cpu_ticks_busy(&x, &y);
}

void apple_decode_cpu(struct apple_decoder *d, const struct ior_sample *delta,
                      const struct apple_reading *prev, const struct apple_reading *cur,
                      struct sample *out)
{
	bool ticks = prev->ticks && cur->ticks && prev->ncpu == cur->ncpu;
	uint64_t busy = 0, total = 0;

	out->nclusters = d->nclusters;
	for (unsigned k = 0; k < d->nclusters; k++) {
		struct sample_cluster *sc = &out->clusters[k];
		const struct apple_cluster_map *m = &d->cl[k];
		const struct dvfs_table *t = d->dvfs.cluster[k];
		const struct ior_channel *cx;
		char chan[64];

		str_copy(sc->name, sizeof sc->name, m->name);
		sc->kind = m->kind;
		sc->die = m->die;
		sc->first_core = (unsigned)out->ncores;
		sc->ncores = 0;
		sc->freq_max_hz = dvfs_max_hz(t);
		for (unsigned i = m->first; i < m->first + m->ncores; i++) {
			const struct apple_core_map *cm = &d->core[i];
			struct sample_core *core = sample_add_core(out);
			const struct ior_channel *c;
			if (!core)
				return;
			core->cpu = cm->cpu;
			core->cluster = k;
			sc->ncores++;
			c = d->from_channels && cm->channel[0]
			        ? apple_find(delta, CORE_GROUP, CORE_SUB, cm->channel)
			        : NULL;
			if (c)
				dvfs_residency(c, t, &core->freq_hz, &core->active);
			if (ticks && cm->cpu >= 0 && (unsigned)cm->cpu < cur->ncpu) {
				const uint32_t *a = prev->ticks[cm->cpu], *b = cur->ticks[cm->cpu];
				core->util = tick_util(a, b);
				core->seconds[CPU_USER] = b[APPLE_TICK_USER] / 100.0;
				core->seconds[CPU_SYSTEM] = b[APPLE_TICK_SYSTEM] / 100.0;
				core->seconds[CPU_IDLE] = b[APPLE_TICK_IDLE] / 100.0;
				core->seconds[CPU_NICE] = b[APPLE_TICK_NICE] / 100.0;
			}
		}
		/* the cluster's own channel gives powermetrics' cluster frequency and residency */
		apple_cluster_channel(d, k, chan, sizeof chan);
		cx = d->from_channels ? apple_find(delta, CORE_GROUP, CPLX_SUB, chan) : NULL;
		if (cx)
			dvfs_residency(cx, t, &sc->freq_hz, &sc->active);
		if (isnan(
		        sc->freq_hz)) { /* no cluster channel: the fastest core, as the original */
			for (unsigned i = 0; i < sc->ncores; i++) {
				double f = out->cores[sc->first_core + i].freq_hz;
				if (!isnan(f) && (isnan(sc->freq_hz) || f > sc->freq_hz))
					sc->freq_hz = f;
			}
		}
	}
	sample_cluster_rollup(out);

	if (ticks) {
		for (unsigned i = 0; i < cur->ncpu; i++)
			for (unsigned m = 0; m < APPLE_TICKS; m++) {
				uint32_t b = cur->ticks[i][m], a = prev->ticks[i][m];
				uint32_t dlt = b >= a ? b - a : 0;
				total += dlt;
				if (m != APPLE_TICK_IDLE)
					busy += dlt;
			}
		out->cpu_util = total ? (double)busy / (double)total : NAN;
	} else {
		sample_note(out, "cpu",
		            "no tick counters in this reading: usage is the DVFS active "
		            "residency");
	}
	if (!d->from_channels)
		sample_note(out, "cpu.freq", "CPU Stats could not be read: no frequencies");
	else if (d->dvfs.why[0])
		sample_note(out, "cpu.freq", "%s", d->dvfs.why);
}
