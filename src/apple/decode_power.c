/* decode_power.c - watts from the Energy Model roll-ups and cluster rails, timed channel by
 * channel: by the driver's own publication time where the reading has it, else by the
 * readings; a counter that stops while its unit is busy is stale, never a confident 0 W */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/array.h"
#include "../util/str.h"
#include "decode_internal.h"
#include "lookup.h"

#define ENERGY_GROUP "Energy Model"
#define ROLL_GPU_N   RAIL_COUNT /* "GPU0_0": the GPU only where there is no "GPU Energy" */

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

/* Which roll-up a channel is, matched exactly (all-smi PR #412: substring matching summed 334
 * channels into CPU power): CPU from "*CPU Energy" (one per die on Ultra), GPU from exactly
 * "GPU Energy" (ROLL_GPU_N for "GPU<n>", used only without it), ANE and DRAM from their
 * top-level names. Per-core, SRAM, DTL, CPM and block rails are never summed. -1 for the
 * rest. */
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
		if (base == name && sub >= 0) /* a DIE_n_ prefix wins over the suffix */
			*die = sub;
		return base[0] == 'A' ? RAIL_ANE : RAIL_DRAM;
	}
	if (top_rail(base, "GPU", &sub) && base[3])
		return ROLL_GPU_N;
	return -1;
}

/* A cluster's own total rail: "EACC_CPU", "PACC1_CPU" (M1-M4), "PCPU", "MCPU0" (M5: no _CPU
 * suffix, SiliconScope#30); never the per-core "MCPU0_3" or "PACC_0". */
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

bool apple_energy_wanted(const char *name)
{
	int die;
	const char *base;

	if (rollup(name, &die) >= 0)
		return true;
	ior_die(name, &base);
	return cluster_rail_name(base);
}

/* ---- SMC power keys, only where a chip's mapping was validated ---- */

struct smc_cpu_map {
	const char *chip;     /* machdep.cpu.brand_string */
	bool when_stale;      /* only while IOReport's CPU counter is stale (else: it is absent) */
	const char *keys[6];  /* summed */
	const char *evidence; /* who validated it */
};

/* apple-recent-changes rows 1 and 19, key fact 13: SMC power key meanings differ per chip
 * generation; there is no validated M5 mapping, so no other chip gets one. */
static const struct smc_cpu_map smc_cpu[] = {
	{ "Apple M3 Max",
	  true,
	  { "PC02", "PC03", "PC42", "PC43", "PP5b" },
	  "macmon PR #77, validated on M3 Max only" },
	{ "Apple A18 Pro", false, { "PZC0" }, "SiliconScope b0b3bb4, A18 Pro" },
};

bool apple_smc_power_wanted(const char *key)
{
	for (size_t i = 0; i < sizeof smc_cpu / sizeof smc_cpu[0]; i++)
		for (size_t k = 0; k < 6 && smc_cpu[i].keys[k]; k++)
			if (!strcmp(smc_cpu[i].keys[k], key))
				return true;
	return false;
}

static const struct smc_cpu_map *smc_map(const char *chip)
{
	for (size_t i = 0; i < sizeof smc_cpu / sizeof smc_cpu[0]; i++)
		if (!strcmp(smc_cpu[i].chip, chip))
			return &smc_cpu[i];
	return NULL;
}

/* The sum of a map's keys in this reading, NAN unless every one was read. */
static double smc_watts(const struct smc_cpu_map *m, const struct apple_reading *r)
{
	double sum = 0;

	for (size_t k = 0; k < 6 && m->keys[k]; k++) {
		unsigned i;
		for (i = 0; i < r->nsmc_power; i++)
			if (!strcmp(r->smc_power[i].key, m->keys[k]))
				break;
		if (i == r->nsmc_power || isnan(r->smc_power[i].watts))
			return NAN;
		sum += r->smc_power[i].watts;
	}
	return sum;
}

/* ---- one channel's timing ---- */

static struct apple_energy_track *track_of(struct apple_decoder *d, const char *name)
{
	struct apple_energy_track *t;

	for (size_t i = 0; i < d->ntracks; i++)
		if (!strcmp(d->track[i].name, name))
			return &d->track[i];
	if (array_grow((void **)&d->track, &d->tracks_cap, d->ntracks + 1, sizeof *d->track, 16))
		return NULL;
	t = &d->track[d->ntracks++];
	memset(t, 0, sizeof *t);
	str_copy(t->name, sizeof t->name, name);
	t->last_w = NAN;
	return t;
}

/* Watts of one channel over this window. By the driver's timestamps where both readings have
 * them (all-smi PR #412): a publication gives the energy over the time between publications,
 * a window without one holds the last value. Timestamps that go backwards, run ahead of the
 * reading or stand still while the value moves are unusable: the channel is then timed by the
 * readings for good, where a burst is spread over the quiet windows before it only while they
 * were within the hold time (a batch on its way) or stale; after a longer quiet stretch the
 * counter was idle, and the burst belongs to this window alone. *still: quiet for longer than
 * the hold time, for the caller to settle as idle or stale. */
static double track_step(const struct apple_decoder *d, struct apple_energy_track *t,
                         const struct ior_channel *c, double dt, uint64_t now, bool *still)
{
	double j = ior_joules(c->value, c->unit);
	/* the same arithmetic as the readings' interval (decode.c) */
	double ns_per_tick = d->host.tb_denom ? (double)d->host.tb_numer / d->host.tb_denom : 1.0;

	*still = false;
	if (!c->ts || !c->ts_prev || c->ts < c->ts_prev || c->ts > now ||
	    (c->ts == c->ts_prev && !isnan(j) && j != 0))
		t->by_wall = true;
	if (!isnan(j))
		t->joules += j;
	if (!t->by_wall && c->ts != c->ts_prev && !isnan(j)) {
		t->last_w = j / ((double)(c->ts - c->ts_prev) * ns_per_tick / 1e9);
		t->quiet_s = 0;
		return t->last_w;
	}
	if (t->by_wall && !isnan(j) && j > 0) {
		double span = dt + (t->quiet_s <= d->hold_s || t->stale ? t->quiet_s : 0);
		t->last_w = j / span;
		t->quiet_s = 0;
		return t->last_w;
	}
	if (dt > 0)
		t->quiet_s += dt;
	*still = t->quiet_s > d->hold_s;
	return t->last_w; /* held: a batch may be on its way */
}

/* A still counter is a true 0 W where its unit is idle, and stale (its last value, dropped
 * after APPLE_STALE_DROP_S) where the unit is busy by another measure. */
static double settle(struct apple_energy_track *t, double w, bool still, bool busy)
{
	if (!still) {
		t->stale = false;
		return w;
	}
	if (busy) {
		t->stale = true;
		return t->quiet_s > APPLE_STALE_DROP_S ? NAN : t->last_w;
	}
	t->stale = false;
	t->last_w = 0;
	return 0;
}

/* ---- rails ---- */

struct rail_sum {
	double w, j;
	bool have, unknown, stale;
	double quiet_s; /* the longest quiet stretch among its channels */
};

static void sum_add(struct rail_sum *s, const struct apple_energy_track *t, double w)
{
	if (!s->have) {
		s->w = 0;
		s->j = 0;
	}
	s->have = true;
	if (isnan(w))
		s->unknown = true;
	else
		s->w += w;
	s->j += t->joules;
	s->stale |= t->stale;
	if (t->quiet_s > s->quiet_s)
		s->quiet_s = t->quiet_s;
}

static void sum_out(const struct rail_sum *s, struct sample_energy *e)
{
	if (!s->have)
		return;
	e->watts = s->unknown ? NAN : s->w;
	e->joules = s->j;
	e->stale = s->stale;
}

static bool busy(double share)
{
	return !isnan(share) && share >= APPLE_BUSY_MIN;
}

static double share_max(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : a > b ? a : b;
}

/* How busy each unit is by another measure than its energy: OS ticks, DVFS residency. */
struct busyness {
	double cpu, gpu, dram;
	double ane; /* the PMP floor residencies' activity (decode_bw.c), NAN unknown */
	double die_cpu[SAMPLE_MAX_DIES];
};

static void measure_busy(const struct sample *out, struct busyness *b)
{
	b->cpu = out->cpu_util;
	b->gpu = out->ngpus ? out->gpus[0].util : NAN;
	b->ane = out->npu.util;
	for (unsigned k = 0; k < SAMPLE_MAX_DIES; k++)
		b->die_cpu[k] = NAN;
	for (unsigned k = 0; k < out->nclusters; k++) {
		const struct sample_cluster *c = &out->clusters[k];
		double s = isnan(c->util) ? c->active : c->util;
		if (c->die >= 0 && c->die < SAMPLE_MAX_DIES)
			b->die_cpu[c->die] = share_max(b->die_cpu[c->die], s);
		if (isnan(out->cpu_util))
			b->cpu = share_max(b->cpu, s);
	}
	/* memory serves whatever runs */
	b->dram = share_max(b->cpu, b->gpu);
}

/* The roll-ups, total and per die. The ANE's activity is measured only where the chip has the
 * PMP floor channels (row 4); elsewhere its still counter is stale when the CPU or DRAM counter
 * of the same Energy Model stopped too (macOS 27 freezes them together, apple-recent-changes
 * row 1), else idle; so the ANE channels come in a second pass, once the others are settled. */
static void rollups(struct apple_decoder *d, const struct ior_sample *delta, double dt,
                    uint64_t now, const struct busyness *b, struct rail_sum *total,
                    struct rail_sum die[][RAIL_COUNT], unsigned ndies)
{
	bool gpu_energy = false, frozen = false;

	for (size_t i = 0; i < delta->n; i++)
		if (!strcmp(delta->ch[i].group, ENERGY_GROUP) &&
		    !strcmp(delta->ch[i].name, "GPU Energy"))
			gpu_energy = true;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < delta->n; i++) {
			const struct ior_channel *c = &delta->ch[i];
			struct apple_energy_track *t;
			double w, share;
			bool still;
			int r, dn;

			if (strcmp(c->group, ENERGY_GROUP) || c->format != IOR_SIMPLE)
				continue;
			r = rollup(c->name, &dn);
			if (r < 0 || (r == ROLL_GPU_N && gpu_energy) ||
			    (r == RAIL_ANE) != (pass == 1))
				continue;
			if (r == ROLL_GPU_N)
				r = RAIL_GPU;
			if (!(t = track_of(d, c->name)))
				continue;
			if (dn < 0 || dn >= SAMPLE_MAX_DIES)
				dn = 0;
			w = track_step(d, t, c, dt, now, &still);
			share = r == RAIL_CPU   ? (ndies ? b->die_cpu[dn] : b->cpu)
			        : r == RAIL_GPU ? b->gpu
			                        : b->dram;
			/* the ANE: busy by its floor residencies where the chip has them, else
			 * taken as busy when the CPU or DRAM counter froze too */
			w = settle(t, w, still,
			           r == RAIL_ANE ? (isnan(b->ane) ? frozen : busy(b->ane))
			                         : busy(share));
			if (r == RAIL_CPU || r == RAIL_DRAM)
				frozen |= t->stale;
			sum_add(&total[r], t, w);
			if (ndies && r != RAIL_GPU)
				sum_add(&die[dn][r], t, w);
		}
}

/* Cluster k's own rail: "PCPU"/"MCPU0" on M5, "EACC_CPU"/"PACC0_CPU" on M1-M4. */
static const struct ior_channel *cluster_channel(const struct apple_decoder *d,
                                                 const struct ior_sample *delta, unsigned k)
{
	const struct apple_cluster_map *m = &d->cl[k];
	char cand[4][48], prefix[16] = "";
	unsigned nth = apple_cluster_nth(d, k), ncand = 0;

	if (d->ndies > 1)
		snprintf(prefix, sizeof prefix, "DIE_%d_", m->die);
	snprintf(cand[ncand++], sizeof cand[0], "%s%s", prefix, m->key);
	if (m->key[0] == 'E' || m->key[0] == 'P') {
		const char *acc = m->key[0] == 'E' ? "EACC" : "PACC";
		snprintf(cand[ncand++], sizeof cand[0], "%s%s%u_CPU", prefix, acc, nth);
		if (!nth)
			snprintf(cand[ncand++], sizeof cand[0], "%s%s_CPU", prefix, acc);
	}
	for (unsigned i = 0; i < ncand; i++) {
		const struct ior_channel *c = apple_find(delta, ENERGY_GROUP, "", cand[i]);
		if (c && c->format == IOR_SIMPLE)
			return c;
	}
	return NULL;
}

static void clusters(struct apple_decoder *d, const struct ior_sample *delta, double dt,
                     uint64_t now, struct sample *out)
{
	for (unsigned k = 0; k < d->nclusters && k < out->nclusters; k++) {
		const struct ior_channel *c = cluster_channel(d, delta, k);
		struct sample_cluster *sc = &out->clusters[k];
		struct apple_energy_track *t = c ? track_of(d, c->name) : NULL;
		bool still;
		double w;

		if (!t)
			continue;
		w = track_step(d, t, c, dt, now, &still);
		sc->power_w = settle(t, w, still, busy(isnan(sc->util) ? sc->active : sc->util));
		sc->power_stale = t->stale;
	}
}

static void package(struct sample *out, unsigned ndies)
{
	struct sample_energy *p = &out->power[RAIL_PACKAGE];
	const struct sample_energy *cpu = &out->power[RAIL_CPU], *gpu = &out->power[RAIL_GPU],
	                           *ane = &out->power[RAIL_ANE];

	/* CPU + GPU + ANE, as powermetrics' combined_power; the ANE where the chip has one (an
	 * ANE rail that is there but unknown leaves the package unknown) */
	p->watts = cpu->watts + gpu->watts + (isnan(ane->joules) ? 0 : ane->watts);
	p->joules = cpu->joules + gpu->joules + (isnan(ane->joules) ? 0 : ane->joules);
	p->stale = cpu->stale || gpu->stale || ane->stale;
	for (unsigned k = 0; k < ndies; k++) {
		struct sample_energy *r = out->dies[k].rail;
		/* the GPU is not split by die */
		r[RAIL_PACKAGE].watts =
		    r[RAIL_CPU].watts + (isnan(r[RAIL_ANE].joules) ? 0 : r[RAIL_ANE].watts);
		r[RAIL_PACKAGE].stale = r[RAIL_CPU].stale || r[RAIL_ANE].stale;
	}
}

static const char *const rail_title[RAIL_COUNT] = { "package", "CPU", "GPU", "ANE", "DRAM" };

static void stale_note(const struct apple_decoder *d, struct sample *out, enum rail r,
                       const struct rail_sum *s, double share)
{
	static const char *const key[RAIL_COUNT] = { "power", "power.cpu", "power.gpu", "power.ane",
		                                     "power.dram" };
	bool macos27 = d->hold_s > 0;

	if (r == RAIL_ANE && !isnan(out->npu.util))
		sample_note(out, key[r],
		            "stale: the ANE energy counter has not moved for %.0f s while the ANE "
		            "is %.0f %% active by its floor residencies%s",
		            s->quiet_s, out->npu.util * 100,
		            macos27 ? " (macOS 27 freezes the CPU, DRAM and ANE counters)" : "");
	else if (r == RAIL_ANE)
		sample_note(out, key[r],
		            "stale: the ANE energy counter stopped %.0f s ago with the CPU or "
		            "DRAM counter%s",
		            s->quiet_s,
		            macos27 ? " (macOS 27 freezes them together; GPU Energy still counts)"
		                    : "");
	else
		sample_note(
		    out, key[r],
		    "stale: the %s energy counter has not moved for %.0f s while the %s "
		    "is %.0f %% busy%s",
		    rail_title[r], s->quiet_s, r == RAIL_DRAM ? "chip" : rail_title[r], share * 100,
		    macos27 && r != RAIL_GPU ? " (macOS 27 freezes the CPU, DRAM and ANE counters)"
		                             : "");
}

static void notes(const struct apple_decoder *d, const struct rail_sum *total,
                  const struct busyness *b, struct sample *out)
{
	const double share[RAIL_COUNT] = { NAN, b->cpu, b->gpu, NAN, b->dram };

	for (unsigned r = RAIL_CPU; r <= RAIL_DRAM; r++)
		if (out->power[r].stale) /* (the SMC may have taken the CPU's place) */
			stale_note(d, out, (enum rail)r, &total[r], share[r]);
	if (!total[RAIL_ANE].have)
		sample_note(out, "power.ane", "no ANE channel in the Energy Model on this chip");
	else if (!total[RAIL_ANE].stale && isnan(out->power[RAIL_ANE].watts))
		sample_note(out, "power.ane", "the ANE energy counter has not moved yet");
	if (!total[RAIL_DRAM].have)
		sample_note(out, "power.dram", "no DRAM channel in the Energy Model on this chip");
	else if (!total[RAIL_DRAM].stale && isnan(out->power[RAIL_DRAM].watts))
		sample_note(out, "power.dram", "the DRAM energy counter has not moved yet");
	if (total[RAIL_CPU].have && !total[RAIL_CPU].stale && isnan(out->power[RAIL_CPU].watts))
		sample_note(out, "power.cpu",
		            "the CPU energy counter has not moved yet (macOS "
		            "publishes it in batches)");
	if (isnan(out->power[RAIL_SYSTEM].watts))
		sample_note(out, "power.system", "no SMC system power (PSTR) on this machine");
}

/* Where IOReport's CPU counter cannot serve (frozen on an M3 Max on macOS 27; absent on an
 * A18 Pro), the SMC rails validated for that chip. */
static void smc_fallback(struct apple_decoder *d, const struct apple_reading *cur, double dt,
                         struct sample *out)
{
	const struct smc_cpu_map *m = smc_map(d->host.chip);
	struct sample_energy *cpu = &out->power[RAIL_CPU];
	char keys[64] = "";
	size_t n = 0;
	double w;

	if (!m || (m->when_stale ? !cpu->stale : !isnan(cpu->joules)))
		return;
	w = smc_watts(m, cur);
	if (isnan(w))
		return;
	if (dt > 0)
		d->smc_cpu_j += w * dt;
	cpu->watts = w;
	cpu->joules = d->smc_cpu_j;
	cpu->stale = false;
	for (size_t k = 0; k < 6 && m->keys[k]; k++)
		n += (size_t)snprintf(keys + n, sizeof keys - n, "%s%s", k ? "+" : "", m->keys[k]);
	sample_note(out, "power.cpu", "CPU power from the SMC rails %s (%s)", keys, m->evidence);
}

void apple_decode_power(struct apple_decoder *d, const struct ior_sample *delta, double dt,
                        const struct apple_reading *cur, struct sample *out)
{
	struct rail_sum total[RAIL_COUNT], die[SAMPLE_MAX_DIES][RAIL_COUNT];
	unsigned ndies = d->ndies > 1 ? d->ndies : 0;
	struct busyness b;
	bool any_energy = false;

	memset(total, 0, sizeof total);
	memset(die, 0, sizeof die);
	for (size_t i = 0; i < delta->n && !any_energy; i++)
		any_energy =
		    !strcmp(delta->ch[i].group, ENERGY_GROUP) && delta->ch[i].format == IOR_SIMPLE;
	measure_busy(out, &b);
	rollups(d, delta, dt, cur->mach_time, &b, total, die, ndies);
	for (unsigned r = RAIL_CPU; r <= RAIL_DRAM; r++) {
		sum_out(&total[r], &out->power[r]);
		for (unsigned k = 0; k < ndies; k++)
			sum_out(&die[k][r], &out->dies[k].rail[r]);
	}
	out->ndies = ndies;
	smc_fallback(d, cur, dt, out);
	package(out, ndies);

	/* the whole machine, where the SMC tells (PSTR) */
	if (!isnan(cur->system_w)) {
		if (dt > 0)
			d->system_j += cur->system_w * dt;
		out->power[RAIL_SYSTEM].watts = cur->system_w;
		out->power[RAIL_SYSTEM].joules = d->system_j;
	}
	clusters(d, delta, dt, cur->mach_time, out);
	if (!any_energy) {
		sample_note(out, "power", "the IOReport Energy Model could not be read");
		return;
	}
	notes(d, total, &b, out);
}
