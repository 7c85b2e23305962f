/* pm_decode.c - a powermetrics plist document into a sample */
#include "pm_decode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/str.h"

void pm_decoder_init(struct pm_decoder *d)
{
	memset(d, 0, sizeof *d);
}

enum thermal_pressure pm_thermal(const char *s)
{
	static const struct {
		const char *name;
		enum thermal_pressure t;
	} map[] = {
		{ "Nominal", THERMAL_NOMINAL },   { "Moderate", THERMAL_FAIR },
		{ "Heavy", THERMAL_SERIOUS },     { "Trapping", THERMAL_CRITICAL },
		{ "Sleeping", THERMAL_CRITICAL },
	};

	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(s, map[i].name))
			return map[i].t;
	return THERMAL_UNKNOWN;
}

static double num(const struct plist_node *dict, const char *key)
{
	double v;

	return plist_num(plist_get(dict, key), &v) ? v : NAN;
}

/* A ratio as powermetrics or a user's converter writes it: 0..1, or a percentage up to 100. */
static double ratio(double v)
{
	if (isnan(v))
		return NAN;
	if (v < 0)
		return 0;
	if (v > 1 && v <= 100)
		v /= 100;
	return v > 1 ? 1 : v;
}

/* Active residency from idle and down ratios; NAN when idle is unknown. */
static double active_of(const struct plist_node *d)
{
	double idle = ratio(num(d, "idle_ratio")), down = ratio(num(d, "down_ratio"));
	double a;

	if (isnan(idle))
		return NAN;
	a = 1 - idle - (isnan(down) ? 0 : down);
	return a < 0 ? 0 : a > 1 ? 1 : a;
}

/* "2023-04-01T13:18:36Z" → seconds since the epoch (UTC), NAN when it is not that. */
static double iso_date(const char *s)
{
	int y, mo, d, h, mi, se;
	long long days;
	int yy, m;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6 || mo < 1 ||
	    mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return NAN;
	/* days from the civil date (proleptic Gregorian) */
	yy = y - (mo <= 2);
	m = mo <= 2 ? mo + 9 : mo - 3;
	days = 365LL * yy + yy / 4 - yy / 100 + yy / 400 + (153 * m + 2) / 5 + d - 1 - 719468;
	return (double)days * 86400 + h * 3600 + mi * 60 + se;
}

/* The top of a cluster's DVFS table in the document (its dvfm_states, MHz), NAN without one. */
static double top_mhz(const struct plist_node *cluster)
{
	const struct plist_node *st = plist_get(cluster, "dvfm_states");
	double top = NAN;

	for (const struct plist_node *e = st ? st->child : NULL; e; e = e->next) {
		double f = num(e, "freq");
		if (!isnan(f) && (isnan(top) || f > top))
			top = f;
	}
	return top;
}

/* The tiers as powermetrics names its clusters: "E…" efficiency, "S…" super (M5, macOS 26.4
 * on), "M…" performance (M5 Pro/Max), "P…" performance -- except on M5 before macOS 26.4, whose
 * super cluster was still "P-Cluster" (asitop#88): a P cluster is the super tier where the
 * document names no S cluster and either names M clusters or the P cluster runs above every
 * M1-M4 performance core (4512 MHz; M5's super tier tops out at 4608). */
struct pm_tiers {
	bool has_s, has_m;
};

static enum cluster_kind kind_of(const struct pm_tiers *t, const char *name, double top)
{
	switch (name[0]) {
	case 'E':
		return CLUSTER_EFFICIENCY;
	case 'S':
		return CLUSTER_SUPER;
	case 'M':
		return CLUSTER_PERFORMANCE;
	case 'P':
		return !t->has_s && (t->has_m || top > 4560) ? CLUSTER_SUPER : CLUSTER_PERFORMANCE;
	default:
		return CLUSTER_GENERIC;
	}
}

/* "E-Cluster" → "E-CPU", "P0-Cluster" → "P0-CPU", "E0" → "E0-CPU": the IOReport source's
 * names, so that a dashboard looks the same whichever source fed it. The letter is the tier's
 * as IOReport names it, the number the document's: M5 Max's "M0-Cluster" (its MCPU0 channels)
 * is "P0-CPU", and M5's super tier "S-CPU" whether powermetrics calls it "S-Cluster" or, before
 * macOS 26.4, "P-Cluster". */
static void cluster_name(const char *pm, enum cluster_kind kind, char *out, size_t size)
{
	static const char letter[CLUSTER_KIND_COUNT] = { 'C', 'E', 'P', 'S' };
	size_t n = strcspn(pm, "-");

	if (kind == CLUSTER_GENERIC) /* a name of no known tier: kept */
		snprintf(out, size, "%.*s-CPU", (int)(n < 20 ? n : 20), pm);
	else
		snprintf(out, size, "%c%.*s-CPU", letter[kind], (int)(n > 1 && n < 20 ? n - 1 : 0),
		         pm + 1);
}

static int cmp_core(const void *a, const void *b)
{
	const struct sample_core *x = a, *y = b;

	if (x->cluster != y->cluster)
		return x->cluster < y->cluster ? -1 : 1;
	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

static int decode_clusters(const struct plist_node *proc, struct sample *out)
{
	const struct plist_node *clusters = plist_get(proc, "clusters");
	struct pm_tiers tiers = { false, false };
	unsigned e_seen = 0;
	int die = 0;

	if (!clusters || clusters->type != PLIST_ARRAY) {
		sample_note(out, "cpu", "powermetrics gave no processor clusters");
		return 0;
	}
	for (const struct plist_node *c = clusters->child; c; c = c->next) {
		const char *name = plist_str(plist_get(c, "name"));
		tiers.has_s |= name && name[0] == 'S';
		tiers.has_m |= name && name[0] == 'M';
	}
	for (const struct plist_node *c = clusters->child; c; c = c->next) {
		const char *name = plist_str(plist_get(c, "name"));
		const struct plist_node *cpus = plist_get(c, "cpus");
		struct sample_cluster *sc;
		unsigned idx;

		if (c->type != PLIST_DICT || !name || !name[0] ||
		    out->nclusters == SAMPLE_MAX_CLUSTERS)
			continue;
		if (name[0] == 'E' && e_seen++ > 0)
			die++; /* Ultra: E0 P0 P1 | E1 P2 P3 */
		idx = out->nclusters++;
		sc = &out->clusters[idx];
		sc->kind = kind_of(&tiers, name, top_mhz(c));
		cluster_name(name, sc->kind, sc->name, sizeof sc->name);
		sc->die = die < SAMPLE_MAX_DIES ? die : SAMPLE_MAX_DIES - 1;
		sc->freq_hz = num(c, "freq_hz");
		if (!(sc->freq_hz > 0))
			sc->freq_hz = NAN;
		sc->active = active_of(c);
		for (const struct plist_node *p = cpus ? cpus->child : NULL; p; p = p->next) {
			double cpu = num(p, "cpu");
			struct sample_core *core;
			if (p->type != PLIST_DICT || isnan(cpu) || cpu < 0 || cpu > 4095)
				continue;
			core = sample_add_core(out);
			if (!core)
				return -1;
			core->cpu = (int)cpu;
			core->cluster = idx;
			core->active = active_of(p);
			core->freq_hz = num(p, "freq_hz");
			if (!(core->freq_hz > 0))
				core->freq_hz = NAN;
		}
	}
	if (out->ncores)
		qsort(out->cores, out->ncores, sizeof *out->cores, cmp_core);
	for (size_t i = 0; i < out->ncores; i++) {
		struct sample_cluster *sc = &out->clusters[out->cores[i].cluster];
		if (!sc->ncores)
			sc->first_core = (unsigned)i;
		sc->ncores++;
	}
	if (die > 0)
		out->ndies = (unsigned)die + 1;
	sample_cluster_rollup(out);
	out->host.cpus = out->ncores ? (int)out->ncores : -1;
	return 0;
}

/* Energy of one interval, in joules, into a rail: watts and the running total. */
static void rail(struct pm_decoder *d, struct sample *out, enum rail r, double joules,
                 double interval)
{
	if (isnan(joules) || !(interval > 0))
		return;
	d->joules[r] += joules;
	out->power[r].watts = joules / interval;
	out->power[r].joules = d->joules[r];
}

static void decode_power(struct pm_decoder *d, const struct plist_node *doc,
                         const struct plist_node *proc, double dt, struct sample *out)
{
	double cpu = num(proc, "cpu_energy"), gpu = num(proc, "gpu_energy");
	double ane = num(proc, "ane_energy"), combined = num(proc, "combined_power");

	/* energies in mJ; powers (mW) where a version gives only those */
	if (isnan(cpu) && !isnan(num(proc, "cpu_power")))
		cpu = num(proc, "cpu_power") * dt;
	if (isnan(gpu))
		gpu = num(plist_get(doc, "gpu"), "gpu_energy");
	if (isnan(gpu) && !isnan(num(proc, "gpu_power")))
		gpu = num(proc, "gpu_power") * dt;
	if ((isnan(ane) || ane == 0) && !isnan(num(proc, "ane_power")))
		ane = num(proc, "ane_power") * dt;
	rail(d, out, RAIL_CPU, cpu / 1000, dt);
	rail(d, out, RAIL_GPU, gpu / 1000, dt);
	rail(d, out, RAIL_ANE, ane / 1000, dt);
	if (!isnan(combined))
		rail(d, out, RAIL_PACKAGE, combined / 1000 * dt, dt); /* mW: already a power */
	else if (!isnan(cpu) || !isnan(gpu) || !isnan(ane))
		rail(d, out, RAIL_PACKAGE,
		     ((isnan(cpu) ? 0 : cpu) + (isnan(gpu) ? 0 : gpu) + (isnan(ane) ? 0 : ane)) /
		         1000,
		     dt);
	if (isnan(out->power[RAIL_CPU].watts))
		sample_note(out, "power", "powermetrics gave no cpu_energy (sampler cpu_power)");
	if (isnan(out->power[RAIL_ANE].watts))
		sample_note(out, "power.ane",
		            "powermetrics gave no ane_energy (sampler ane_power)");
	sample_note(out, "power.dram", "powermetrics reports no DRAM power");
	sample_note(out, "power.system", "powermetrics reports no system power");
	out->npu.present = !isnan(out->power[RAIL_ANE].watts);
	str_copy(out->npu.name, sizeof out->npu.name, "ANE");
	sample_note(out, "npu", "the neural engine's utilisation is not measured, only its power");
}

static void decode_gpu(const struct plist_node *doc, const struct sample *s, struct sample_gpu *g)
{
	const struct plist_node *gd = plist_get(doc, "gpu");
	double f = num(gd, "freq_hz");

	str_copy(g->name, sizeof g->name, "Apple GPU");
	str_copy(g->vendor, sizeof g->vendor, "apple");
	/* powermetrics' "freq_hz" is MHz (714.836 on an M1); a real Hz value is taken as such */
	if (f > 0)
		g->freq_hz = f > 1e5 ? f : f * 1e6;
	g->util = active_of(gd);
	g->power_w = s->power[RAIL_GPU].watts;
	g->energy_j = s->power[RAIL_GPU].joules;
}

/* A media engine's counters: they add up to the MEDIA agent. */
static bool media(const char *agent)
{
	static const char *const m[] = { "ISP", "STRM CODEC", "PRORES", "VDEC", "VENC", "JPG" };

	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (!strcmp(agent, m[i]))
			return true;
	return false;
}

/* "ECPU0 DCS RD" → agent "ECPU", write false. False when it is not an agent's counter. */
static bool counter_name(const char *name, char agent[24], bool *write)
{
	size_t n = strlen(name);

	if (n < 8 || (strcmp(name + n - 7, " DCS RD") && strcmp(name + n - 7, " DCS WR")))
		return false;
	*write = name[n - 1] == 'R' && name[n - 2] == 'W';
	n -= 7;
	if (n >= 24)
		return false;
	memcpy(agent, name, n);
	agent[n] = '\0';
	/* per-cluster counters (ECPU0, PCPU1) belong to their kind */
	if ((!strncmp(agent, "ECPU", 4) || !strncmp(agent, "PCPU", 4)) && agent[4])
		agent[4] = '\0';
	return true;
}

static void add(double *sum, double v)
{
	*sum = isnan(*sum) ? v : *sum + v;
}

static void decode_bandwidth(const struct plist_node *doc, double dt, struct sample *out)
{
	const struct plist_node *list = plist_get(doc, "bandwidth_counters");
	struct sample_bandwidth *bw = &out->bandwidth;
	double dcs_rd = NAN, dcs_wr = NAN, sum_rd = NAN, sum_wr = NAN;

	if (!list || list->type != PLIST_ARRAY || !(dt > 0)) {
		sample_note(out, "bandwidth",
		            list ? "powermetrics' bandwidth_counters are not a list"
		                 : "powermetrics gave no bandwidth counters (the bandwidth sampler "
		                   "is gone from recent macOS)");
		return;
	}
	for (const struct plist_node *e = list->child; e; e = e->next) {
		const char *name = plist_str(plist_get(e, "name"));
		double bytes = num(e, "value"), bps;
		char agent[24];
		bool write;
		struct sample_bw_agent *a;

		if (!name || isnan(bytes) || bytes < 0)
			continue;
		bps = bytes / dt;
		if (!strcmp(name, "DCS RD")) {
			dcs_rd = bps;
			continue;
		}
		if (!strcmp(name, "DCS WR")) {
			dcs_wr = bps;
			continue;
		}
		if (!counter_name(name, agent, &write))
			continue;
		if (media(agent))
			str_copy(agent, sizeof agent, "MEDIA");
		else if (strcmp(agent, "ECPU") && strcmp(agent, "PCPU") && strcmp(agent, "GFX"))
			continue; /* other agents are not in the totals the original shows */
		a = sample_bw_agent(bw, agent);
		if (!a)
			continue;
		add(write ? &a->write_bps : &a->read_bps, bps);
		add(write ? &sum_wr : &sum_rd, bps);
	}
	/* the totals: the DCS counters, or the agents' sum where that is larger (as the original)
	 */
	bw->read_bps = isnan(dcs_rd) ? sum_rd : isnan(sum_rd) ? dcs_rd : fmax(dcs_rd, sum_rd);
	bw->write_bps = isnan(dcs_wr) ? sum_wr : isnan(sum_wr) ? dcs_wr : fmax(dcs_wr, sum_wr);
	if (isnan(bw->read_bps) && isnan(bw->write_bps) && !bw->nagents) {
		sample_note(out, "bandwidth", "powermetrics' bandwidth_counters are empty");
		return;
	}
	bw->quality = BW_MEASURED;
	bw->total_bps =
	    (isnan(bw->read_bps) ? 0 : bw->read_bps) + (isnan(bw->write_bps) ? 0 : bw->write_bps);
}

int pm_decode(struct pm_decoder *d, const struct plist_node *doc, double fallback_interval,
              double now, struct sample *out)
{
	const struct plist_node *proc = plist_get(doc, "processor"),
	                        *ts = plist_get(doc, "timestamp");
	const char *s;
	double elapsed = num(doc, "elapsed_ns"), t = NAN;

	out->interval_s = elapsed > 0 ? elapsed / 1e9 : fallback_interval;
	if (ts && ts->type == PLIST_DATE)
		t = iso_date(ts->str);
	else if (ts && (ts->type == PLIST_INTEGER || ts->type == PLIST_REAL) && ts->d > 0)
		t = ts->d;
	out->time = isnan(t) ? now : t;

	str_copy(out->host.arch, sizeof out->host.arch, "arm64");
	if ((s = plist_str(plist_get(doc, "hw_model"))) && s[0])
		str_copy(out->host.chip, sizeof out->host.chip, s);
	if ((s = plist_str(plist_get(doc, "kern_osversion"))) && s[0])
		snprintf(out->host.os, sizeof out->host.os, "macOS (build %s)", s);

	out->thermal = pm_thermal(plist_str(plist_get(doc, "thermal_pressure")));
	if (out->thermal == THERMAL_UNKNOWN)
		sample_note(out, "thermal",
		            "powermetrics gave no thermal_pressure (sampler thermal)");

	if (decode_clusters(proc, out))
		return -1;
	sample_note(out, "cpu", "powermetrics gives active residency per CPU, not OS ticks");
	decode_power(d, doc, proc, out->interval_s, out);
	if (plist_get(doc, "gpu")) {
		out->ngpus = 1;
		decode_gpu(doc, out, &out->gpus[0]);
	} else {
		sample_note(out, "gpu", "powermetrics gave no gpu section (sampler gpu_power)");
	}
	decode_bandwidth(doc, out->interval_s, out);
	sample_note(out, "memory", "powermetrics reports no memory use");
	sample_note(out, "temps", "powermetrics reports thermal pressure, not temperatures");
	sample_note(out, "processes", "powermetrics' process list is not read");
	return 0;
}
