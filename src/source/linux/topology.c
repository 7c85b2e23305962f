#include "topology.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct group {
	enum cluster_kind kind;
	long key; /* what tells this group apart from others of its kind */
	int die;
	int min_cpu;
	double max_hz;
	size_t ncpus;
};

static int kind_rank(enum cluster_kind k)
{
	switch (k) {
	case CLUSTER_EFFICIENCY:
		return 0;
	case CLUSTER_PERFORMANCE:
		return 1;
	case CLUSTER_SUPER:
		return 2;
	default:
		return 3;
	}
}

/* Kind of the tier at index i of n ascending tiers. */
static enum cluster_kind tier_kind(size_t i, size_t n)
{
	if (n < 2)
		return CLUSTER_GENERIC;
	if (i == 0)
		return CLUSTER_EFFICIENCY;
	if (n >= 3 && i == n - 1)
		return CLUSTER_SUPER;
	return CLUSTER_PERFORMANCE;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sorted distinct values of v[0..n) (NAN skipped); returns how many. */
static size_t distinct(double *v, size_t n)
{
	size_t k = 0;

	qsort(v, n, sizeof *v, cmp_double);
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]) && (k == 0 || v[i] != v[k - 1]))
			v[k++] = v[i];
	return k;
}

static size_t tier_of(const double *tiers, size_t ntiers, double v)
{
	for (size_t i = 0; i < ntiers; i++)
		if (tiers[i] == v)
			return i;
	return 0;
}

struct ord {
	unsigned cluster;
	int cpu;
	size_t idx;
};

static int cmp_order(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;

	if (x->cluster != y->cluster)
		return x->cluster < y->cluster ? -1 : 1;
	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	int rx = kind_rank(x->kind), ry = kind_rank(y->kind);

	if (rx != ry)
		return rx - ry;
	return x->min_cpu < y->min_cpu ? -1 : x->min_cpu > y->min_cpu;
}

int topology_build(const struct topo_cpu *cpus, size_t n, struct topology *out)
{
	enum { BY_TYPE, BY_DT, BY_CAPACITY, BY_POLICY, BY_PACKAGE, ONE } how = ONE;
	double *vals = NULL, *pkgs = NULL;
	size_t nvals = 0, npkgs = 0, ngroups = 0;
	struct group groups[SAMPLE_MAX_CLUSTERS];
	unsigned *gid = NULL;
	size_t kind_count[CLUSTER_KIND_COUNT] = { 0 }, kind_seen[CLUSTER_KIND_COUNT] = { 0 };
	bool shared_policy = false;
	size_t npolicies = 0, with_package = 0;

	memset(out, 0, sizeof *out);
	out->n = n;
	out->order = calloc(n ? n : 1, sizeof *out->order);
	out->cluster_of = calloc(n ? n : 1, sizeof *out->cluster_of);
	vals = calloc(n ? n : 1, sizeof *vals);
	pkgs = calloc(n ? n : 1, sizeof *pkgs);
	gid = calloc(n ? n : 1, sizeof *gid);
	if (!out->order || !out->cluster_of || !vals || !pkgs || !gid)
		goto oom;

	for (size_t i = 0; i < n; i++) {
		if (cpus[i].dt_kind != CLUSTER_GENERIC && how != BY_TYPE)
			how = BY_DT;
		if (cpus[i].type != CORE_TYPE_UNKNOWN)
			how = BY_TYPE;
		if (cpus[i].policy_size > 1)
			shared_policy = true;
		if (cpus[i].policy >= 0 && cpus[i].policy == cpus[i].cpu)
			npolicies++;
		pkgs[i] = cpus[i].package >= 0 ? cpus[i].package : NAN;
		if (cpus[i].package >= 0)
			with_package++;
	}
	npkgs = distinct(pkgs, n);
	if (how != BY_TYPE && how != BY_DT) {
		for (size_t i = 0; i < n; i++)
			vals[i] = cpus[i].capacity > 0 ? cpus[i].capacity : NAN;
		nvals = distinct(vals, n);
		if (nvals >= 2)
			how = BY_CAPACITY;
		else if (shared_policy && npolicies >= 2)
			how = BY_POLICY;
		else if (npkgs >= 2 && with_package == n) /* partial package data says nothing */
			how = BY_PACKAGE;
	}
	if (how == BY_POLICY) {
		for (size_t i = 0; i < n; i++)
			vals[i] = cpus[i].max_hz;
		nvals = distinct(vals, n);
	}

	for (size_t i = 0; i < n; i++) {
		const struct topo_cpu *c = &cpus[i];
		enum cluster_kind kind = CLUSTER_GENERIC;
		long key = 0;
		size_t g;

		switch (how) {
		case BY_TYPE:
			kind = c->type == CORE_TYPE_ATOM   ? CLUSTER_EFFICIENCY
			       : c->type == CORE_TYPE_CORE ? CLUSTER_PERFORMANCE
			                                   : CLUSTER_GENERIC;
			break;
		case BY_DT:
			kind = c->dt_kind;
			key = c->policy >= 0 ? c->policy : c->cluster_id;
			break;
		case BY_CAPACITY:
			kind = c->capacity > 0 ? tier_kind(tier_of(vals, nvals, c->capacity), nvals)
			                       : CLUSTER_GENERIC;
			key = c->policy_size > 1 ? c->policy : -1;
			break;
		case BY_POLICY:
			kind = isnan(c->max_hz) ? CLUSTER_GENERIC
			                        : tier_kind(tier_of(vals, nvals, c->max_hz), nvals);
			key = c->policy;
			break;
		case BY_PACKAGE:
			key = c->package;
			break;
		case ONE:
			break;
		}
		for (g = 0; g < ngroups; g++)
			if (groups[g].kind == kind && groups[g].key == key)
				break;
		if (g == ngroups) {
			if (ngroups == SAMPLE_MAX_CLUSTERS) {
				g = ngroups -
				    1; /* more clusters than a sample holds: merge the rest */
			} else {
				groups[g].kind = kind;
				groups[g].key = key;
				groups[g].min_cpu = c->cpu;
				groups[g].max_hz = NAN;
				groups[g].ncpus = 0;
				groups[g].die = 0;
				ngroups++;
			}
		}
		if (c->cpu < groups[g].min_cpu)
			groups[g].min_cpu = c->cpu;
		if (!isnan(c->max_hz) && (isnan(groups[g].max_hz) || c->max_hz > groups[g].max_hz))
			groups[g].max_hz = c->max_hz;
		if (c->package >= 0 && npkgs >= 2)
			groups[g].die = (int)tier_of(pkgs, npkgs, c->package);
		groups[g].ncpus++;
		gid[i] = (unsigned)g;
	}

	/* order the groups, then remap each CPU's group index */
	{
		struct group sorted[SAMPLE_MAX_CLUSTERS];
		unsigned remap[SAMPLE_MAX_CLUSTERS];
		memcpy(sorted, groups, ngroups * sizeof *groups);
		qsort(sorted, ngroups, sizeof *sorted, cmp_group);
		for (size_t g = 0; g < ngroups; g++)
			for (size_t s = 0; s < ngroups; s++)
				if (sorted[s].kind == groups[g].kind &&
				    sorted[s].key == groups[g].key)
					remap[g] = (unsigned)s;
		for (size_t i = 0; i < n; i++)
			out->cluster_of[i] = remap[gid[i]];
		memcpy(groups, sorted, ngroups * sizeof *groups);
	}

	for (size_t g = 0; g < ngroups; g++)
		kind_count[groups[g].kind]++;
	for (size_t g = 0; g < ngroups; g++) {
		struct topo_cluster *tc = &out->cluster[g];
		enum cluster_kind k = groups[g].kind;
		static const char letter[CLUSTER_KIND_COUNT] = { 0, 'E', 'P', 'S' };

		tc->kind = k;
		tc->die = groups[g].die;
		tc->max_hz = groups[g].max_hz;
		tc->ncpus = groups[g].ncpus;
		if (k == CLUSTER_GENERIC) {
			if (kind_count[k] == 1)
				snprintf(tc->name, sizeof tc->name, "CPU");
			else if (how == BY_PACKAGE)
				snprintf(tc->name, sizeof tc->name, "PKG%d-CPU", groups[g].die);
			else
				snprintf(tc->name, sizeof tc->name, "CL%zu-CPU", kind_seen[k]);
		} else if (kind_count[k] == 1) {
			snprintf(tc->name, sizeof tc->name, "%c-CPU", letter[k]);
		} else {
			snprintf(tc->name, sizeof tc->name, "%c%zu-CPU", letter[k], kind_seen[k]);
		}
		kind_seen[k]++;
	}
	out->nclusters = ngroups;

	{
		struct ord *o = calloc(n ? n : 1, sizeof *o);
		if (!o)
			goto oom;
		for (size_t i = 0; i < n; i++)
			o[i] = (struct ord){ out->cluster_of[i], cpus[i].cpu, i };
		qsort(o, n, sizeof *o, cmp_order);
		for (size_t i = 0; i < n; i++)
			out->order[i] = o[i].idx;
		free(o);
	}

	free(vals);
	free(pkgs);
	free(gid);
	return 0;
oom:
	free(vals);
	free(pkgs);
	free(gid);
	topology_free(out);
	return -1;
}

void topology_free(struct topology *t)
{
	free(t->order);
	free(t->cluster_of);
	t->order = NULL;
	t->cluster_of = NULL;
	t->n = t->nclusters = 0;
}

/* Core names in Apple's device trees (arch/arm64/boot/dts/apple, Asahi Linux): M1 icestorm and
 * firestorm, M2 blizzard and avalanche, M3 and M4 sawtooth and everest. */
static const struct {
	const char *compatible;
	enum cluster_kind kind;
} dt_cores[] = {
	{ "apple,icestorm", CLUSTER_EFFICIENCY }, { "apple,firestorm", CLUSTER_PERFORMANCE },
	{ "apple,blizzard", CLUSTER_EFFICIENCY }, { "apple,avalanche", CLUSTER_PERFORMANCE },
	{ "apple,sawtooth", CLUSTER_EFFICIENCY }, { "apple,everest", CLUSTER_PERFORMANCE },
};

enum cluster_kind topology_dt_kind(const char *compatible)
{
	for (size_t i = 0; i < sizeof dt_cores / sizeof dt_cores[0]; i++)
		if (!strcmp(compatible, dt_cores[i].compatible))
			return dt_cores[i].kind;
	return CLUSTER_GENERIC;
}

/* The SoCs of Apple's device trees, by the comment at the top of each tNNNN.dtsi. */
static const struct {
	const char *compatible, *chip;
} apple_chips[] = {
	{ "apple,t8103", "Apple M1" },     { "apple,t6000", "Apple M1 Pro" },
	{ "apple,t6001", "Apple M1 Max" }, { "apple,t6002", "Apple M1 Ultra" },
	{ "apple,t8112", "Apple M2" },     { "apple,t6020", "Apple M2 Pro" },
	{ "apple,t6021", "Apple M2 Max" }, { "apple,t6022", "Apple M2 Ultra" },
	{ "apple,t8122", "Apple M3" },     { "apple,t6030", "Apple M3 Pro" },
	{ "apple,t6031", "Apple M3 Max" }, { "apple,t6034", "Apple M3 Max" },
	{ "apple,t8132", "Apple M4" },     { "apple,t6040", "Apple M4 Pro" },
	{ "apple,t6041", "Apple M4 Max" },
};

const char *topology_apple_chip(const char *compatible)
{
	for (size_t i = 0; i < sizeof apple_chips / sizeof apple_chips[0]; i++)
		if (!strcmp(compatible, apple_chips[i].compatible))
			return apple_chips[i].chip;
	return NULL;
}

int topology_dt_chip(const char *list, size_t len, char *out, size_t size)
{
	size_t i = 0;

	while (i < len) {
		char entry[64];
		size_t n = strnlen(list + i, len - i);
		const char *chip;

		snprintf(entry, sizeof entry, "%.*s",
		         (int)(n < sizeof entry ? n : sizeof entry - 1), list + i);
		chip = topology_apple_chip(entry);
		if (chip) {
			snprintf(out, size, "%s", chip);
			return 0;
		}
		i += n + 1;
	}
	return -1;
}
