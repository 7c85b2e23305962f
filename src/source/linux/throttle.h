/* throttle.h - why a Linux machine runs slower than it could: thermal throttle events
 * (x86 thermal_throttle counters), a package at its RAPL power limit, a low-power platform
 * profile, and cpufreq ceilings below the hardware's maximum */
#ifndef AGTOP_LINUX_THROTTLE_H
#define AGTOP_LINUX_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "../../sample.h"
#include "fsroot.h"

#define THROTTLE_MAX_PKG    SAMPLE_MAX_DIES
#define THROTTLE_MAX_POLICY 64

/* What one reading found; each signal has its own known flag. */
struct throttle_in {
	bool events_known;
	uint64_t events; /* thermal throttle events during the interval (all packages) */
	bool profile_known;
	char profile[32];   /* /sys/firmware/acpi/platform_profile */
	double ceiling_pct; /* lowest cpufreq scaling_max_freq / cpuinfo_max_freq, NAN unknown */
	double package_w, pl1_w; /* RAPL package power and its long-term limit, NAN unknown */
};

/* Pure: the causes. Thermal: any throttle event in the interval. Low power: the "low-power"
 * or "quiet" platform profile. Speed limit: a cpufreq ceiling under 99 % of the maximum.
 * Power: the package at or above 95 % of its programmed long-term limit (RAPL clamps its
 * running average to PL1, so a package held there is being limited). known is true when at
 * least one signal could be read. */
void throttle_decide(const struct throttle_in *in, struct sample_throttle *out);

struct throttle_src {
	unsigned npkg;
	char pkg[THROTTLE_MAX_PKG][96]; /* devices/system/cpu/cpuN/thermal_throttle/... */
	uint64_t prev[THROTTLE_MAX_PKG];
	bool have_prev[THROTTLE_MAX_PKG];
	bool profile;
	unsigned npolicy;
	char policy[THROTTLE_MAX_POLICY][64]; /* devices/system/cpu/cpufreq/policyN */
	double max_khz[THROTTLE_MAX_POLICY];  /* cpuinfo_max_freq, read once */
};

/* Finds the counters once: cpus lists which CPU starts each package (first_cpu[], npkg). */
void throttle_open(struct throttle_src *t, const struct fsroot *sys, const int *first_cpu,
                   unsigned npkg);
/* pl1_w: the RAPL package limit (NAN unknown). Fills s->throttle, or notes "throttle". */
void throttle_read(struct throttle_src *t, const struct fsroot *sys, double pl1_w,
                   struct sample *s);

#endif
