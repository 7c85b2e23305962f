/* decode_power.c - watts from the Energy Model roll-ups, memory bandwidth from AMC byte counters
 * or PMP bandwidth histograms */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/str.h"
#include "decode_internal.h"

#define ENERGY_GROUP "Energy Model"

/* "ANE", "ANE0", "ANE0_1" (and DRAM alike): the top-level rails, never ANE sub-blocks.
 * *sub gets the _<n> suffix (the die on Ultra chips), -1 without one. */
static bool top_rail(const char *base, const char *prefix, int *sub)
{
	size_t n = strlen(prefix);
	const char *p = base + n;

	*sub = -1;
	if (strncmp(base, prefix, n) != 0)
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '_' && isdigit((unsigned char)p[1])) {
		*sub = atoi(p + 1);
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

/* Which roll-up a channel is: CPU from "*CPU Energy" (one per die on Ultra), GPU from exactly
 * "GPU Energy", ANE and DRAM from their top-level names. Per-core, SRAM, DTL, CPM and block
 * rails are never summed. Returns -1 for the rest. */
static int rollup(const char *name, int *die)
{
	const char *base;
	int prefix_die = ior_die(name, &base), sub;
	size_t n = strlen(base);

	*die = prefix_die;
	if (n >= 10 && !strcmp(base + n - 10, "CPU Energy"))
		return RAIL_CPU;
	if (!strcmp(base, "GPU Energy"))
		return RAIL_GPU;
	if (top_rail(base, "ANE", &sub) || top_rail(base, "DRAM", &sub)) {
		if (base != name) /* DIE_n_ prefix wins */
			*die = prefix_die;
		else if (sub >= 0)
			*die = sub;
		return base[0] == 'A' ? RAIL_ANE : RAIL_DRAM;
	}
	return -1;
}

/* A cluster's own total rail: "EACC_CPU", "PACC1_CPU" (M1-M4), "PCPU", "MCPU0" (M5). */
static bool cluster_rail_name(const char *base)
{
	const char *p;

	if (!strncmp(base, "EACC", 4) || !strncmp(base, "PACC", 4)) {
		p = base + 4;
		while (isdigit((unsigned char)*p))
			p++;
		return !strcmp(p, "_CPU");
	}
	if (!strncmp(base, "ECPU", 4) || !strncmp(base, "PCPU", 4) || !strncmp(base, "MCPU", 4)) {
		p = base + 4;
		if (isdigit((unsigned char)*p))
			p++;
		return *p == '\0';
	}
	return false;
}

/* Whether the byte-counter and histogram bandwidth decoders read this channel. */
static bool bw_channel(const char *group, const char *subgroup, const char *name)
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

bool apple_channel_wanted(const char *group, const char *subgroup, const char *name)
{
	int die;
	const char *base;

	if (!strcmp(group, ENERGY_GROUP)) {
		if (rollup(name, &die) >= 0)
			return true;
		ior_die(name, &base);
		return cluster_rail_name(base);
	}
	if (!strcmp(group, "CPU Stats"))
		return !strcmp(subgroup, "CPU Core Performance States") ||
		       !strcmp(subgroup, "CPU Complex Performance States");
	if (!strcmp(group, "GPU Stats"))
		return !strcmp(subgroup, "GPU Performance States") && !strcmp(name, "GPUPH");
	return bw_channel(group, subgroup, name);
}

/* Watts from one window's energy; a counter that did not move keeps its last value for
 * APPLE_ENERGY_HOLD_S (batched publication on macOS 27), then counts as idle. */
static double hold(const struct apple_decoder *d, struct apple_rail_state *st, double joules,
                   double dt)
{
	if (isnan(joules))
		return NAN;
	st->joules += joules;
	if (joules > 0) {
		double w = joules / (st->pending_s + dt);
		st->pending_s = 0;
		st->last_w = w;
		return w;
	}
	st->pending_s += dt;
	if (st->pending_s > d->hold_s) {
		st->last_w = 0;
		return 0;
	}
	return st->last_w;
}

static void add(double *sum, double v)
{
	*sum = isnan(*sum) ? v : *sum + v;
}

/* The cluster's own total rail: "PCPU"/"MCPU0" on M5, "EACC_CPU"/"PACC0_CPU" on M1-M4. */
static double cluster_joules(const struct apple_decoder *d, const struct ior_sample *delta,
                             unsigned k)
{
	const struct apple_cluster_map *m = &d->cl[k];
	char cand[4][48], prefix[16] = "";
	unsigned nth = 0, ncand = 0;

	for (unsigned i = 0; i < k; i++)
		if (d->cl[i].die == m->die && d->cl[i].kind == m->kind)
			nth++;
	if (d->ndies > 1)
		snprintf(prefix, sizeof prefix, "DIE_%d_", m->die);
	snprintf(cand[ncand++], sizeof cand[0], "%s%s", prefix, m->key);
	if (m->key[0] == 'E') {
		snprintf(cand[ncand++], sizeof cand[0], "%sEACC%u_CPU", prefix, nth);
		if (!nth)
			snprintf(cand[ncand++], sizeof cand[0], "%sEACC_CPU", prefix);
	} else if (m->key[0] == 'P') {
		snprintf(cand[ncand++], sizeof cand[0], "%sPACC%u_CPU", prefix, nth);
		if (!nth)
			snprintf(cand[ncand++], sizeof cand[0], "%sPACC_CPU", prefix);
	}
	for (unsigned i = 0; i < ncand; i++) {
		const struct ior_channel *c = apple_find(delta, ENERGY_GROUP, "", cand[i]);
		if (c && c->format == IOR_SIMPLE)
			return ior_joules(c->value, c->unit);
	}
	return NAN;
}

void apple_decode_power(struct apple_decoder *d, const struct ior_sample *delta, double dt,
                        const struct apple_reading *cur, struct sample *out)
{
	double total[RAIL_COUNT], die[SAMPLE_MAX_DIES][RAIL_COUNT];
	bool have[RAIL_COUNT] = { false }, any_energy = false;
	unsigned ndies = d->ndies > 1 ? d->ndies : 0;

	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		total[r] = NAN;
		for (unsigned k = 0; k < SAMPLE_MAX_DIES; k++)
			die[k][r] = NAN;
	}
	for (size_t i = 0; i < delta->n; i++) {
		const struct ior_channel *c = &delta->ch[i];
		double j;
		int r, dn;

		if (strcmp(c->group, ENERGY_GROUP) || c->format != IOR_SIMPLE)
			continue;
		any_energy = true;
		r = rollup(c->name, &dn);
		if (r < 0)
			continue;
		have[r] = true;
		j = ior_joules(c->value, c->unit);
		if (isnan(j)) /* INT64_MIN: no data in this window */
			continue;
		add(&total[r], j);
		if (ndies && dn >= 0 && dn < SAMPLE_MAX_DIES && r != RAIL_GPU)
			add(&die[dn][r], j);
	}

	for (unsigned r = RAIL_CPU; r <= RAIL_DRAM; r++) {
		out->power[r].watts = hold(d, &d->rail[r], have[r] ? total[r] : NAN, dt);
		out->power[r].joules = have[r] ? d->rail[r].joules : NAN;
		for (unsigned k = 0; k < ndies; k++) {
			out->dies[k].rail[r].watts = hold(d, &d->die_rail[k][r], die[k][r], dt);
			out->dies[k].rail[r].joules =
			    isnan(die[k][r]) && isnan(d->die_rail[k][r].last_w)
			        ? NAN
			        : d->die_rail[k][r].joules;
		}
	}
	out->ndies = ndies;

	/* package: CPU + GPU + ANE, as powermetrics' combined_power */
	{
		double w = out->power[RAIL_CPU].watts + out->power[RAIL_GPU].watts;
		double j = out->power[RAIL_CPU].joules + out->power[RAIL_GPU].joules;
		if (!isnan(out->power[RAIL_ANE].watts))
			w += out->power[RAIL_ANE].watts;
		if (!isnan(out->power[RAIL_ANE].joules))
			j += out->power[RAIL_ANE].joules;
		out->power[RAIL_PACKAGE].watts = w;
		out->power[RAIL_PACKAGE].joules = j;
		for (unsigned k = 0; k < ndies; k++) {
			double dw = out->dies[k].rail[RAIL_CPU].watts;
			if (!isnan(out->dies[k].rail[RAIL_ANE].watts))
				dw += out->dies[k].rail[RAIL_ANE].watts;
			out->dies[k].rail[RAIL_PACKAGE].watts =
			    dw; /* the GPU is not split by die */
		}
	}

	/* the whole machine, where the SMC tells (PSTR) */
	if (!isnan(cur->system_w)) {
		d->rail[RAIL_SYSTEM].joules += cur->system_w * dt;
		out->power[RAIL_SYSTEM].watts = cur->system_w;
		out->power[RAIL_SYSTEM].joules = d->rail[RAIL_SYSTEM].joules;
	}

	for (unsigned k = 0; k < d->nclusters && k < out->nclusters; k++)
		out->clusters[k].power_w =
		    hold(d, &d->cluster_rail[k], cluster_joules(d, delta, k), dt);

	if (!any_energy) {
		sample_note(out, "power", "the IOReport Energy Model could not be read");
		return;
	}
	if (!have[RAIL_ANE])
		sample_note(out, "power.ane", "no ANE channel in the Energy Model on this chip");
	else if (isnan(out->power[RAIL_ANE].watts))
		sample_note(out, "power.ane", "the ANE energy counter has not moved yet");
	if (!have[RAIL_DRAM])
		sample_note(out, "power.dram", "no DRAM channel in the Energy Model on this chip");
	else if (isnan(out->power[RAIL_DRAM].watts))
		sample_note(out, "power.dram", "the DRAM energy counter has not moved yet");
	if (have[RAIL_CPU] && isnan(out->power[RAIL_CPU].watts))
		sample_note(out, "power.cpu",
		            "the CPU energy counter has not moved yet (macOS "
		            "publishes it in batches)");
	if (isnan(out->power[RAIL_SYSTEM].watts))
		sample_note(out, "power.system", "no SMC system power (PSTR) on this machine");
}

/* ---- bandwidth ---- */

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
