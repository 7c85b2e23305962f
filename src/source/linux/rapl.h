/* rapl.h - package/core/uncore/dram/psys power from powercap energy counters */
#ifndef AGTOP_RAPL_H
#define AGTOP_RAPL_H

#include <stdbool.h>
#include <stdint.h>

#include "../../sample.h"
#include "fsroot.h"

#define RAPL_MAX_ZONES 32

struct rapl_zone {
	char path[64]; /* "class/powercap/intel-rapl:0:1" */
	char name[32]; /* "package-0", "core", "uncore", "dram", "psys" */
	enum rail rail;
	int package;    /* package number this zone belongs to, -1 for psys */
	uint64_t range; /* max_energy_range_uj, 0 unknown */
	uint64_t prev_uj;
	bool have_prev;
	double joules;  /* cumulative, wrap-corrected */
	double watts;   /* last interval */
	double limit_w; /* constraint_0 max_power_uw, else power_limit_uw; NAN unknown */
	double pl1_w;   /* constraint_0 power_limit_uw: the programmed long-term limit, NAN */
};

struct rapl {
	unsigned nzones;
	struct rapl_zone zone[RAPL_MAX_ZONES];
	int read_errno; /* errno of the last failed energy_uj read, 0 when all were read */
};

/* Pure: feeds one energy_uj reading taken dt seconds after the previous one. The first reading
 * sets joules to the counter's own value (as node_exporter reports it) and watts to NAN; later
 * ones add the wrap-corrected advance. A counter reset drops that interval (watts NAN). */
void rapl_zone_update(struct rapl_zone *z, uint64_t uj, double dt);

/* Pure: which rail a zone name stands for; -1 for names agtop does not use. */
int rapl_rail_for_name(const char *name, int *package);

/* Pure: the reason shown when energy_uj cannot be read. */
const char *rapl_reason(int err);

/* Finds the zones under class/powercap (intel-rapl:*, skipping the MMIO duplicates) and takes
 * the first reading. Returns the number of zones. */
unsigned rapl_open(struct rapl *r, const struct fsroot *sys);

/* The programmed long-term limit of the packages together (for the throttle cause), NAN when
 * a package zone has none. */
double rapl_pl1_w(const struct rapl *r);

/* Reads every zone and fills s->power, s->dies (one per package when there are several) and
 * the "power" note when the counters cannot be read. */
void rapl_read(struct rapl *r, const struct fsroot *sys, double dt, struct sample *s);

#endif
