/* throttle.c - throttle causes on Linux (x86 therm_throt sysfs, ACPI platform_profile, cpufreq
 * policies, RAPL) */
#include "throttle.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../util/str.h"

void throttle_decide(const struct throttle_in *in, struct sample_throttle *out)
{
	out->known = in->events_known || in->profile_known || !isnan(in->ceiling_pct) ||
	             (!isnan(in->package_w) && !isnan(in->pl1_w));
	out->causes = 0;
	if (in->events_known && in->events > 0)
		out->causes |= 1u << THROTTLE_THERMAL;
	if (in->profile_known) {
		out->low_power = !strcmp(in->profile, "low-power") || !strcmp(in->profile, "quiet");
		if (out->low_power)
			out->causes |= 1u << THROTTLE_LOW_POWER;
	}
	if (!isnan(in->ceiling_pct)) {
		out->cpu_speed_limit = in->ceiling_pct;
		if (in->ceiling_pct < 99)
			out->causes |= 1u << THROTTLE_SPEED_LIMIT;
	}
	if (!isnan(in->package_w) && in->pl1_w > 0 && in->package_w >= 0.95 * in->pl1_w)
		out->causes |= 1u << THROTTLE_POWER;
}

struct list {
	char name[THROTTLE_MAX_POLICY][24];
	unsigned n;
};

static int collect(const char *name, void *ctx)
{
	struct list *l = ctx;

	if (!strncmp(name, "policy", 6) && l->n < THROTTLE_MAX_POLICY)
		str_copy(l->name[l->n++], sizeof l->name[0], name);
	return 0;
}

void throttle_open(struct throttle_src *t, const struct fsroot *sys, const int *first_cpu,
                   unsigned npkg)
{
	struct list l = { .n = 0 };
	char rel[160], buf[32];

	memset(t, 0, sizeof *t);
	for (unsigned i = 0; i < npkg && t->npkg < THROTTLE_MAX_PKG; i++) {
		uint64_t v;
		snprintf(t->pkg[t->npkg], sizeof t->pkg[0],
		         "devices/system/cpu/cpu%d/thermal_throttle/package_throttle_count",
		         first_cpu[i]);
		if (fsroot_read_u64(sys, t->pkg[t->npkg], &v) == 0) {
			t->prev[t->npkg] = v;
			t->have_prev[t->npkg] = true;
			t->npkg++;
		}
	}
	t->profile = fsroot_read_str(sys, "firmware/acpi/platform_profile", buf, sizeof buf) == 0;
	fsroot_list(sys, "devices/system/cpu/cpufreq", collect, &l);
	for (unsigned i = 0; i < l.n; i++) {
		uint64_t khz;
		snprintf(rel, sizeof rel, "devices/system/cpu/cpufreq/%s/cpuinfo_max_freq",
		         l.name[i]);
		if (fsroot_read_u64(sys, rel, &khz) != 0 || !khz)
			continue;
		snprintf(t->policy[t->npolicy], sizeof t->policy[0],
		         "devices/system/cpu/cpufreq/%s", l.name[i]);
		t->max_khz[t->npolicy++] = (double)khz;
	}
}

void throttle_read(struct throttle_src *t, const struct fsroot *sys, double pl1_w, struct sample *s)
{
	struct throttle_in in = { .ceiling_pct = NAN, .package_w = NAN, .pl1_w = pl1_w };
	char rel[160];

	for (unsigned i = 0; i < t->npkg; i++) {
		uint64_t v;
		if (fsroot_read_u64(sys, t->pkg[i], &v) != 0)
			continue;
		in.events_known = true;
		if (t->have_prev[i] && v > t->prev[i])
			in.events += v - t->prev[i];
		t->prev[i] = v;
		t->have_prev[i] = true;
	}
	if (t->profile)
		in.profile_known = fsroot_read_str(sys, "firmware/acpi/platform_profile",
		                                   in.profile, sizeof in.profile) == 0;
	for (unsigned i = 0; i < t->npolicy; i++) {
		uint64_t khz;
		double pct;
		snprintf(rel, sizeof rel, "%s/scaling_max_freq", t->policy[i]);
		if (fsroot_read_u64(sys, rel, &khz) != 0)
			continue;
		pct = 100.0 * (double)khz / t->max_khz[i];
		if (pct > 100)
			pct = 100;
		if (isnan(in.ceiling_pct) || pct < in.ceiling_pct)
			in.ceiling_pct = pct;
	}
	in.package_w = s->power[RAIL_PACKAGE].watts;
	throttle_decide(&in, &s->throttle);
	if (!s->throttle.known)
		sample_note(
		    s, "throttle",
		    "no thermal throttle counters, platform profile, cpufreq limits or RAPL "
		    "limit readable");
}
