/* decode_bw.c - memory bandwidth: AMC Stats byte counters (measured), else the PMP DCS BW
 * histograms (estimated), as SiliconScope does where AMC Stats cannot be subscribed or reports
 * no data (M4 Max and M5 Max on macOS 26.5, M3 Max on macOS 27: apple-recent-changes row 13) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/str.h"
#include "decode_internal.h"

static void add(double *sum, double v)
{
	*sum = isnan(*sum) ? v : *sum + v;
}

bool apple_bw_wanted(const char *group, const char *subgroup, const char *name)
{
	const char *base;
	size_t n;

	ior_die(name, &base);
	n = strlen(base);
	if (!strcmp(group, "AMC Stats"))
		return !strcmp(subgroup, "Perf Counters") && n >= 6 &&
		       (!strcmp(base + n - 6, "DCS RD") || !strcmp(base + n - 6, "DCS WR"));
	if (!strncmp(group, "PMP", 3))
		return !strcmp(subgroup, "DCS BW") && n > 6 && !strcmp(base + n - 6, " RD+WR");
	return false;
}

/* The ANE's floor channels of the power manager's performance monitor (apple-recent-changes
 * row 4, from mactop PR #72): "SOC Floor"/"ANE-AF-BW", states VMIN to VOVD2, and "DCS
 * Floor"/"ANE-DCS-BW", states F1 to F8, under PMP (PMP0, PMP1 on chips that number it). */
bool apple_ane_wanted(const char *group, const char *subgroup, const char *name)
{
	const char *base;

	if (strncmp(group, "PMP", 3))
		return false;
	ior_die(name, &base);
	return (!strcmp(subgroup, "SOC Floor") && !strcmp(base, "ANE-AF-BW")) ||
	       (!strcmp(subgroup, "DCS Floor") && !strcmp(base, "ANE-DCS-BW"));
}

/* Their residencies advance at a constant rate, all in the lowest state while the ANE idles
 * and above it while it runs: its activity is the share of the interval above that floor. The
 * same channel may come twice (a subscription merged again): the largest, never the sum. */
double apple_ane_activity(const struct ior_sample *delta)
{
	double best = NAN;

	for (size_t i = 0; i < delta->n; i++) {
		const struct ior_channel *c = &delta->ch[i];
		double total = 0, idle, a;

		if (c->format != IOR_STATE || c->nstates < 2 ||
		    !apple_ane_wanted(c->group, c->subgroup, c->name))
			continue;
		for (unsigned k = 0; k < c->nstates; k++)
			if (c->states[k].residency > 0)
				total += (double)c->states[k].residency;
		if (total <= 0)
			continue; /* no time passed for it */
		idle = c->states[0].residency > 0 ? (double)c->states[0].residency : 0;
		a = (total - idle) / total;
		if (isnan(best) || a > best)
			best = a;
	}
	return best;
}

double apple_bw_bucket(const char *state)
{
	const char *p = state;
	uint64_t v;

	while (*p == ' ')
		p++;
	if (!str_parse_u64(p, &p, &v) || strcmp(p, "GB/s") != 0)
		return NAN;
	return (double)v * 1e9;
}

/* requestor -> agent shown: ECPU, PCPU, GFX, ANE, MEDIA, OTHER; "" for the AMCC aggregate */
static const char *agent_of(const char *req)
{
	static const char *const media[] = { "PRORES", "STRM", "ISP", "VDEC",   "VENC", "JPG",
		                             "JPEG",   "AVE",  "AVD", "SCODEC", "MSR" };

	if (!strncmp(req, "AMCC", 4))
		return "";
	if (!strncmp(req, "ECPU", 4) || !strncmp(req, "EACC", 4))
		return "ECPU";
	if (!strncmp(req, "PCPU", 4) || !strncmp(req, "PACC", 4) || !strncmp(req, "MACC", 4) ||
	    !strncmp(req, "MCPU", 4))
		return "PCPU";
	if (!strncmp(req, "GFX", 3) || !strncmp(req, "AGX", 3))
		return "GFX";
	if (!strncmp(req, "ANE", 3))
		return "ANE";
	for (size_t i = 0; i < sizeof media / sizeof media[0]; i++)
		if (!strncmp(req, media[i], strlen(media[i])))
			return "MEDIA";
	return "OTHER";
}

/* AMC Stats / Perf Counters: "<agent> DCS RD|WR" byte counters (measured). */
static bool amc(const struct ior_sample *delta, double dt, struct sample_bandwidth *bw)
{
	double rd = NAN, wr = NAN, agg_rd = NAN, agg_wr = NAN;
	bool any = false;

	for (size_t i = 0; i < delta->n; i++) {
		const struct ior_channel *c = &delta->ch[i];
		const char *base, *tail;
		char req[48];
		bool read;
		size_t n;
		double bps;
		struct sample_bw_agent *a;

		if (strcmp(c->group, "AMC Stats") || c->format != IOR_SIMPLE ||
		    c->value == IOR_NO_VALUE || c->value < 0)
			continue;
		ior_die(c->name, &base);
		n = strlen(base);
		if (n > 7 && !strcmp(base + n - 7, " DCS RD"))
			read = true;
		else if (n > 7 && !strcmp(base + n - 7, " DCS WR"))
			read = false;
		else if (!strcmp(base, "DCS RD") || !strcmp(base, "DCS WR")) {
			add(base[4] == 'R' ? &agg_rd : &agg_wr, (double)c->value / dt);
			continue;
		} else
			continue;
		tail = base + n - 7;
		str_copy_n(req, sizeof req, base, (size_t)(tail - base));
		bps = (double)c->value / dt;
		a = sample_bw_agent(bw, agent_of(req));
		if (!a)
			continue;
		add(read ? &a->read_bps : &a->write_bps, bps);
		add(read ? &rd : &wr, bps);
		any = true;
	}
	if (!any && !isnan(agg_rd)) {
		rd = agg_rd;
		wr = agg_wr;
		any = true;
	}
	if (!any)
		return false;
	bw->quality = BW_MEASURED;
	bw->read_bps = rd;
	bw->write_bps = wr;
	bw->total_bps = (isnan(rd) ? 0 : rd) + (isnan(wr) ? 0 : wr);
	return true;
}

/* PMP|PMP0|PMP1 / DCS BW: "<requestor> RD+WR" histograms of GB/s buckets (estimated: the
 * per-requestor buckets top out at 32 GB/s). */
static bool pmp(const struct ior_sample *delta, struct sample_bandwidth *bw)
{
	double total = NAN, amcc = NAN;

	for (size_t i = 0; i < delta->n; i++) {
		const struct ior_channel *c = &delta->ch[i];
		const char *base, *sp;
		char req[48];
		double wsum = 0, rsum = 0, bps;
		struct sample_bw_agent *a;
		const char *who;

		if (strncmp(c->group, "PMP", 3) || strcmp(c->subgroup, "DCS BW") ||
		    c->format != IOR_STATE)
			continue;
		ior_die(c->name, &base);
		sp = strstr(base, " RD+WR");
		if (!sp || sp[6])
			continue;
		str_copy_n(req, sizeof req, base, (size_t)(sp - base));
		for (unsigned k = 0; k < c->nstates; k++) {
			double b = apple_bw_bucket(c->states[k].name);
			if (isnan(b) || c->states[k].residency <= 0)
				continue;
			wsum += b * (double)c->states[k].residency;
			rsum += (double)c->states[k].residency;
		}
		if (rsum <= 0)
			continue;
		bps = wsum / rsum;
		who = agent_of(req);
		if (!*who) { /* the memory controller's aggregate: not additive */
			add(&amcc, bps);
			continue;
		}
		a = sample_bw_agent(bw, who);
		if (a)
			add(&a->read_bps, bps); /* RD+WR: no split; kept as the agent's total */
		add(&total, bps);
	}
	if (isnan(total))
		total = amcc; /* the aggregate only where no requestor is reported */
	if (isnan(total))
		return false;
	bw->quality = BW_ESTIMATED;
	bw->total_bps = total;
	return true;
}

void apple_decode_bandwidth(const struct ior_sample *delta, double dt, struct sample *out)
{
	struct sample_bandwidth *bw = &out->bandwidth;

	if (dt > 0 && amc(delta, dt, bw))
		return;
	bw->nagents = 0;
	if (pmp(delta, bw)) {
		sample_note(out, "bandwidth",
		            "estimated from PMP DCS BW histograms (32 GB/s buckets "
		            "saturate per requestor)");
		return;
	}
	bw->nagents = 0;
	bw->quality = BW_ABSENT;
	sample_note(out, "bandwidth", "no AMC Stats or PMP DCS BW counters readable on this Mac");
}
