#include "rapl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../history/rate.h"
#include "../../util/str.h"

void rapl_zone_update(struct rapl_zone *z, uint64_t uj, double dt)
{
	uint64_t d;

	z->watts = NAN;
	if (!z->have_prev) {
		z->joules = (double)uj / 1e6;
	} else if (counter_delta(z->prev_uj, uj, z->range, &d) && d > 0) {
		/* RAPL counts in ~61 uJ steps every millisecond: a counter that did not move is
		 * stale (a frozen or virtualised one), not a chip drawing 0 W */
		z->watts = rate_watts((double)d / 1e6, dt);
		if (!isnan(z->watts))
			z->joules += (double)d / 1e6;
	}
	z->prev_uj = uj;
	z->have_prev = true;
}

int rapl_rail_for_name(const char *name, int *package)
{
	uint64_t n;

	*package = -1;
	if (strncmp(name, "package-", 8) == 0 && str_parse_u64(name + 8, NULL, &n)) {
		*package = (int)n;
		return RAIL_PACKAGE;
	}
	if (strcmp(name, "core") == 0)
		return RAIL_CPU;
	if (strcmp(name, "uncore") == 0)
		return RAIL_UNCORE;
	if (strcmp(name, "dram") == 0)
		return RAIL_DRAM;
	if (strcmp(name, "psys") == 0)
		return RAIL_SYSTEM;
	return -1;
}

const char *rapl_reason(int err)
{
	if (err == EACCES || err == EPERM)
		return "RAPL energy counters need root";
	if (err == ENOENT)
		return "no RAPL energy counters on this machine (no "
		       "/sys/class/powercap/intel-rapl)";
	return "RAPL energy counters could not be read";
}

struct list_ctx {
	char names[RAPL_MAX_ZONES][48];
	unsigned n;
};

static int collect(const char *name, void *ctx)
{
	struct list_ctx *l = ctx;

	/* intel-rapl:N and intel-rapl:N:M; "intel-rapl" itself is the control type and
	 * intel-rapl-mmio:* repeats the package zone through MMIO */
	if (strncmp(name, "intel-rapl:", 11) == 0 && l->n < RAPL_MAX_ZONES)
		str_copy(l->names[l->n++], sizeof l->names[0], name);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

unsigned rapl_open(struct rapl *r, const struct fsroot *sys)
{
	struct list_ctx l = { .n = 0 };
	char rel[128];

	memset(r, 0, sizeof *r);
	if (fsroot_list(sys, "class/powercap", collect, &l) < 0) {
		r->read_errno = ENOENT;
		return 0;
	}
	qsort(l.names, l.n, sizeof l.names[0], cmp_names);
	for (unsigned i = 0; i < l.n; i++) {
		struct rapl_zone *z = &r->zone[r->nzones];
		int rail, pkg;
		uint64_t uj;
		int rc;

		snprintf(z->path, sizeof z->path, "class/powercap/%s", l.names[i]);
		snprintf(rel, sizeof rel, "%s/name", z->path);
		if (fsroot_read_str(sys, rel, z->name, sizeof z->name) != 0)
			continue;
		rail = rapl_rail_for_name(z->name, &pkg);
		if (rail < 0)
			continue;
		z->rail = (enum rail)rail;
		z->package = pkg;
		z->watts = z->joules = NAN;
		/* the long-term constraint's rated maximum (TDP), else its programmed limit */
		snprintf(rel, sizeof rel, "%s/constraint_0_max_power_uw", z->path);
		z->limit_w = fsroot_read_u64(sys, rel, &uj) == 0 && uj > 0 ? (double)uj / 1e6 : NAN;
		snprintf(rel, sizeof rel, "%s/constraint_0_power_limit_uw", z->path);
		z->pl1_w = fsroot_read_u64(sys, rel, &uj) == 0 && uj > 0 ? (double)uj / 1e6 : NAN;
		if (isnan(z->limit_w))
			z->limit_w = z->pl1_w;
		snprintf(rel, sizeof rel, "%s/max_energy_range_uj", z->path);
		if (fsroot_read_u64(sys, rel, &z->range) != 0)
			z->range = 0;
		r->nzones++;
		/* sub-zones (intel-rapl:N:M) belong to the package of intel-rapl:N */
		if (z->package < 0 && strchr(l.names[i] + 11, ':')) {
			char parent[48];
			str_copy(parent, sizeof parent, l.names[i]);
			*strrchr(parent, ':') = '\0';
			for (unsigned k = 0; k + 1 < r->nzones; k++)
				if (strcmp(strrchr(r->zone[k].path, '/') + 1, parent) == 0)
					z->package = r->zone[k].package;
		}
		snprintf(rel, sizeof rel, "%s/energy_uj", z->path);
		rc = fsroot_read_u64(sys, rel, &uj);
		if (rc == 0)
			rapl_zone_update(z, uj, 0);
		else
			r->read_errno = -rc;
	}
	if (r->nzones == 0 && !r->read_errno)
		r->read_errno = ENOENT;
	return r->nzones;
}

double rapl_pl1_w(const struct rapl *r)
{
	double sum = NAN;

	for (unsigned i = 0; i < r->nzones; i++)
		if (r->zone[i].rail == RAIL_PACKAGE) {
			if (isnan(r->zone[i].pl1_w))
				return NAN;
			sum = isnan(sum) ? r->zone[i].pl1_w : sum + r->zone[i].pl1_w;
		}
	return sum;
}

/* Sums zones into a rail; an unknown zone makes the sum unknown. */
static void add(struct sample_energy *e, bool *seen, const struct rapl_zone *z)
{
	if (!*seen) {
		e->watts = z->watts;
		e->joules = z->joules;
		*seen = true;
	} else {
		e->watts += z->watts;
		e->joules += z->joules;
	}
}

void rapl_read(struct rapl *r, const struct fsroot *sys, double dt, struct sample *s)
{
	int packages[SAMPLE_MAX_DIES];
	unsigned npackages = 0;
	bool seen[RAIL_COUNT] = { false }, die_seen[SAMPLE_MAX_DIES][RAIL_COUNT] = { { false } };
	char rel[128];

	r->read_errno = r->nzones ? 0 : (r->read_errno ? r->read_errno : ENOENT);
	for (unsigned i = 0; i < r->nzones; i++) {
		struct rapl_zone *z = &r->zone[i];
		uint64_t uj;
		int rc;

		snprintf(rel, sizeof rel, "%s/energy_uj", z->path);
		rc = fsroot_read_u64(sys, rel, &uj);
		if (rc != 0) {
			r->read_errno = -rc;
			z->watts = NAN;
			continue;
		}
		rapl_zone_update(z, uj, dt);
	}
	if (r->read_errno) {
		sample_note(s, "power", "%s", rapl_reason(r->read_errno));
		return;
	}

	for (unsigned i = 0; i < r->nzones; i++) {
		const struct rapl_zone *z = &r->zone[i];
		unsigned d;

		/* package sub-zones are contained in the package total and psys overlaps it:
		 * each rail is summed over packages, never across levels */
		add(&s->power[z->rail], &seen[z->rail], z);
		if (z->package < 0)
			continue;
		for (d = 0; d < npackages; d++)
			if (packages[d] == z->package)
				break;
		if (d == npackages) {
			if (npackages == SAMPLE_MAX_DIES)
				continue;
			packages[npackages++] = z->package;
		}
		add(&s->dies[d].rail[z->rail], &die_seen[d][z->rail], z);
	}
	s->ndies = npackages > 1 ? npackages : 0;
	for (unsigned i = 0; i < r->nzones; i++)
		if (r->zone[i].rail == RAIL_PACKAGE && !isnan(r->zone[i].limit_w))
			s->power_limit_w = isnan(s->power_limit_w)
			                       ? r->zone[i].limit_w
			                       : s->power_limit_w + r->zone[i].limit_w;
	if (!seen[RAIL_DRAM])
		sample_note(s, "power.dram", "no RAPL DRAM zone on this machine");
}
