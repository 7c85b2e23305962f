#include "sample.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"
#include "util/str.h"

static void energy_unknown(struct sample_energy *e)
{
	e->watts = NAN;
	e->joules = NAN;
}

static void gpu_unknown(struct sample_gpu *g)
{
	memset(g, 0, sizeof *g);
	g->cores = -1;
	g->util = g->mem_util = g->freq_hz = g->freq_max_hz = NAN;
	g->mem_freq_hz = g->mem_freq_max_hz = NAN;
	g->power_w = g->power_limit_w = g->energy_j = NAN;
	g->mem_used_bytes = g->mem_total_bytes = g->gtt_used_bytes = g->gtt_total_bytes = NAN;
	g->temp_c = g->temp_hotspot_c = g->temp_mem_c = NAN;
	g->fan_ratio = g->fan_rpm = g->pcie_rx_bps = g->pcie_tx_bps = NAN;
	g->throttle = THROTTLE_UNKNOWN;
	g->ecc_corrected = g->ecc_uncorrected = g->xid_errors = g->xid_last = NAN;
}

static void cluster_unknown(struct sample_cluster *c)
{
	memset(c, 0, sizeof *c);
	c->util = c->active = c->freq_hz = c->freq_max_hz = c->power_w = NAN;
}

void sample_reset(struct sample *s)
{
	struct sample_core *cores = s->cores;
	struct sample_proc *procs = s->procs;
	char *pool = s->strpool;
	size_t cores_cap = s->cores_cap, procs_cap = s->procs_cap, pool_cap = s->strpool_cap;

	memset(s, 0, sizeof *s);
	s->cores = cores;
	s->cores_cap = cores_cap;
	s->procs = procs;
	s->procs_cap = procs_cap;
	s->strpool = pool;
	s->strpool_cap = pool_cap;
	if (pool && pool_cap) {
		pool[0] = '\0';
		s->strpool_len = 1;
	}

	s->time = s->interval_s = NAN;
	s->host.cpus = -1;
	s->host.gpu_cores = -1;
	s->cpu_util = NAN;
	for (unsigned i = 0; i < SAMPLE_MAX_CLUSTERS; i++)
		cluster_unknown(&s->clusters[i]);
	for (unsigned i = 0; i < SAMPLE_MAX_GPUS; i++)
		gpu_unknown(&s->gpus[i]);
	s->npu.util = NAN;
	s->power_limit_w = NAN;
	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		energy_unknown(&s->power[r]);
		for (unsigned d = 0; d < SAMPLE_MAX_DIES; d++)
			energy_unknown(&s->dies[d].rail[r]);
	}
	s->memory.total_bytes = s->memory.used_bytes = s->memory.available_bytes = NAN;
	s->memory.swap_total_bytes = s->memory.swap_used_bytes = NAN;
	s->bandwidth.read_bps = s->bandwidth.write_bps = s->bandwidth.total_bps = NAN;
	for (unsigned i = 0; i < SAMPLE_MAX_BW_AGENTS; i++)
		s->bandwidth.agent[i].read_bps = s->bandwidth.agent[i].write_bps = NAN;
	for (unsigned i = 0; i < SAMPLE_MAX_TEMPS; i++)
		s->temps[i].celsius = NAN;
	s->input_w = NAN;
	s->battery.percent = s->battery.time_to_empty_s = s->battery.time_to_full_s = NAN;
	s->battery.power_w = s->battery.adapter_w = NAN;
	s->battery.on_ac = -1;
	for (unsigned i = 0; i < SAMPLE_MAX_FANS; i++)
		s->fans[i].rpm = s->fans[i].min_rpm = s->fans[i].max_rpm = NAN;
	s->throttle.low_power = -1;
	s->throttle.cpu_speed_limit = NAN;
}

void sample_init(struct sample *s)
{
	memset(s, 0, sizeof *s);
	sample_reset(s);
}

void sample_free(struct sample *s)
{
	free(s->cores);
	free(s->procs);
	free(s->strpool);
	s->cores = NULL;
	s->procs = NULL;
	s->strpool = NULL;
	s->cores_cap = s->procs_cap = s->strpool_cap = 0;
	sample_reset(s);
}

int sample_copy(struct sample *dst, const struct sample *src)
{
	struct sample_core *cores = dst->cores;
	struct sample_proc *procs = dst->procs;
	char *pool = dst->strpool;
	size_t cores_cap = dst->cores_cap, procs_cap = dst->procs_cap, pool_cap = dst->strpool_cap;

	if (array_grow((void **)&cores, &cores_cap, src->ncores, sizeof *cores, 16) ||
	    array_grow((void **)&procs, &procs_cap, src->nprocs, sizeof *procs, 16) ||
	    array_grow((void **)&pool, &pool_cap, src->strpool_len, 1, 16)) {
		dst->cores = cores;
		dst->procs = procs;
		dst->strpool = pool;
		dst->cores_cap = cores_cap;
		dst->procs_cap = procs_cap;
		dst->strpool_cap = pool_cap;
		return -1;
	}
	memcpy(dst, src, sizeof *dst);
	dst->cores = cores;
	dst->procs = procs;
	dst->strpool = pool;
	dst->cores_cap = cores_cap;
	dst->procs_cap = procs_cap;
	dst->strpool_cap = pool_cap;
	if (src->ncores)
		memcpy(cores, src->cores, src->ncores * sizeof *cores);
	if (src->nprocs)
		memcpy(procs, src->procs, src->nprocs * sizeof *procs);
	if (src->strpool_len)
		memcpy(pool, src->strpool, src->strpool_len);
	return 0;
}

struct sample_core *sample_add_core(struct sample *s)
{
	struct sample_core *c;

	if (array_grow((void **)&s->cores, &s->cores_cap, s->ncores + 1, sizeof *s->cores, 16))
		return NULL;
	c = &s->cores[s->ncores++];
	memset(c, 0, sizeof *c);
	c->cpu = -1;
	c->util = c->active = c->freq_hz = NAN;
	for (unsigned m = 0; m < CPU_MODE_COUNT; m++)
		c->seconds[m] = NAN;
	return c;
}

struct sample_proc *sample_add_proc(struct sample *s)
{
	struct sample_proc *p;

	if (array_grow((void **)&s->procs, &s->procs_cap, s->nprocs + 1, sizeof *s->procs, 16))
		return NULL;
	p = &s->procs[s->nprocs++];
	memset(p, 0, sizeof *p);
	p->pid = -1;
	p->ppid = -1;
	p->threads = -1;
	p->cpu = p->rss_bytes = p->start_time = NAN;
	p->uid = -1;
	p->energy_w = p->energy_j = p->ane_mem_bytes = NAN;
	p->gpu_util = p->gpu_mem_bytes = NAN;
	return p;
}

uint32_t sample_intern(struct sample *s, const char *str, size_t len)
{
	size_t off;

	if (!str || len == 0)
		return 0;
	if (s->strpool_len == 0) {
		if (array_grow((void **)&s->strpool, &s->strpool_cap, 1, 1, 16))
			return 0;
		s->strpool[0] = '\0';
		s->strpool_len = 1;
	}
	if (s->strpool_len + len + 1 > UINT32_MAX)
		return 0;
	if (array_grow((void **)&s->strpool, &s->strpool_cap, s->strpool_len + len + 1, 1, 16))
		return 0;
	off = s->strpool_len;
	memcpy(s->strpool + off, str, len);
	s->strpool[off + len] = '\0';
	s->strpool_len += len + 1;
	return (uint32_t)off;
}

const char *sample_str(const struct sample *s, uint32_t off)
{
	if (off == 0 || !s->strpool || off >= s->strpool_len)
		return "";
	return s->strpool + off;
}

void sample_note(struct sample *s, const char *key, const char *fmt, ...)
{
	struct sample_note *n = NULL;
	va_list ap;

	for (unsigned i = 0; i < s->nnotes; i++)
		if (strcmp(s->notes[i].key, key) == 0)
			n = &s->notes[i];
	if (!n) {
		if (s->nnotes == SAMPLE_MAX_NOTES)
			return;
		n = &s->notes[s->nnotes++];
		str_copy(n->key, sizeof n->key, key);
	}
	va_start(ap, fmt);
	vsnprintf(n->text, sizeof n->text, fmt, ap);
	va_end(ap);
}

const char *sample_note_get(const struct sample *s, const char *key)
{
	char k[sizeof s->notes[0].key];
	char *dot;

	str_copy(k, sizeof k, key);
	for (;;) {
		for (unsigned i = 0; i < s->nnotes; i++)
			if (strcmp(s->notes[i].key, k) == 0)
				return s->notes[i].text;
		dot = strrchr(k, '.');
		if (!dot)
			return NULL;
		*dot = '\0';
	}
}

double sample_temp_max(const struct sample *s, enum temp_kind kind)
{
	double m = NAN;

	for (unsigned i = 0; i < s->ntemps; i++)
		if (s->temps[i].kind == kind && !isnan(s->temps[i].celsius) &&
		    (isnan(m) || s->temps[i].celsius > m))
			m = s->temps[i].celsius;
	return m;
}

void sample_cluster_rollup(struct sample *s)
{
	for (unsigned i = 0; i < s->nclusters; i++) {
		struct sample_cluster *c = &s->clusters[i];
		double usum = 0, asum = 0, fmax = NAN;
		unsigned un = 0, an = 0;

		for (unsigned k = 0; k < c->ncores && c->first_core + k < s->ncores; k++) {
			const struct sample_core *core = &s->cores[c->first_core + k];
			if (!isnan(core->util)) {
				usum += core->util;
				un++;
			}
			if (!isnan(core->active)) {
				asum += core->active;
				an++;
			}
			if (!isnan(core->freq_hz) && (isnan(fmax) || core->freq_hz > fmax))
				fmax = core->freq_hz;
		}
		if (isnan(c->util) && un)
			c->util = usum / un;
		if (isnan(c->active) && an)
			c->active = asum / an;
		if (isnan(c->freq_hz))
			c->freq_hz = fmax;
	}
}

const struct sample_gpu_field sample_gpu_fields[SAMPLE_GPU_NFIELDS] = {
	{ "util", offsetof(struct sample_gpu, util) },
	{ "freq_hz", offsetof(struct sample_gpu, freq_hz) },
	{ "freq_max_hz", offsetof(struct sample_gpu, freq_max_hz) },
	{ "power_w", offsetof(struct sample_gpu, power_w) },
	{ "energy_j", offsetof(struct sample_gpu, energy_j) },
	{ "mem_used_bytes", offsetof(struct sample_gpu, mem_used_bytes) },
	{ "mem_total_bytes", offsetof(struct sample_gpu, mem_total_bytes) },
	{ "temp_c", offsetof(struct sample_gpu, temp_c) },
	{ "mem_util", offsetof(struct sample_gpu, mem_util) },
	{ "mem_freq_hz", offsetof(struct sample_gpu, mem_freq_hz) },
	{ "mem_freq_max_hz", offsetof(struct sample_gpu, mem_freq_max_hz) },
	{ "power_limit_w", offsetof(struct sample_gpu, power_limit_w) },
	{ "gtt_used_bytes", offsetof(struct sample_gpu, gtt_used_bytes) },
	{ "gtt_total_bytes", offsetof(struct sample_gpu, gtt_total_bytes) },
	{ "temp_hotspot_c", offsetof(struct sample_gpu, temp_hotspot_c) },
	{ "temp_mem_c", offsetof(struct sample_gpu, temp_mem_c) },
	{ "fan_ratio", offsetof(struct sample_gpu, fan_ratio) },
	{ "fan_rpm", offsetof(struct sample_gpu, fan_rpm) },
	{ "pcie_rx_bps", offsetof(struct sample_gpu, pcie_rx_bps) },
	{ "pcie_tx_bps", offsetof(struct sample_gpu, pcie_tx_bps) },
	{ "ecc_corrected", offsetof(struct sample_gpu, ecc_corrected) },
	{ "ecc_uncorrected", offsetof(struct sample_gpu, ecc_uncorrected) },
	{ "xid_errors", offsetof(struct sample_gpu, xid_errors) },
	{ "xid_last", offsetof(struct sample_gpu, xid_last) },
};

double sample_gpu_field(const struct sample_gpu *g, size_t k)
{
	double v;

	if (k >= SAMPLE_GPU_NFIELDS)
		return NAN;
	memcpy(&v, (const char *)g + sample_gpu_fields[k].offset, sizeof v);
	return v;
}

void sample_gpu_field_set(struct sample_gpu *g, size_t k, double v)
{
	if (k < SAMPLE_GPU_NFIELDS)
		memcpy((char *)g + sample_gpu_fields[k].offset, &v, sizeof v);
}

/* What a vendor tells about its GPUs when the source did not say: only Apple's GPU is always
 * part of the SoC. */
static const struct {
	const char *vendor;
	bool integrated;
} gpu_vendor_facts[] = { { "apple", true } };

void sample_gpu_defaults(struct sample *s)
{
	for (unsigned i = 0; i < s->ngpus && i < SAMPLE_MAX_GPUS; i++) {
		struct sample_gpu *g = &s->gpus[i];

		if (!g->label[0]) {
			if (s->ngpus > 1)
				snprintf(g->label, sizeof g->label, "GPU%u", i);
			else
				str_copy(g->label, sizeof g->label, "GPU");
		}
		for (size_t k = 0; k < sizeof gpu_vendor_facts / sizeof gpu_vendor_facts[0]; k++)
			if (!strcmp(g->vendor, gpu_vendor_facts[k].vendor) &&
			    gpu_vendor_facts[k].integrated)
				g->integrated = true;
	}
}

double sample_gpu_temp(const struct sample *s, unsigned i)
{
	const struct sample_gpu *g;

	if (i >= s->ngpus || i >= SAMPLE_MAX_GPUS)
		return NAN;
	g = &s->gpus[i];
	if (!isnan(g->temp_c) || !g->integrated)
		return g->temp_c;
	return sample_temp_max(s, TEMP_GPU);
}

static bool deq(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static bool energy_eq(const struct sample_energy *a, const struct sample_energy *b)
{
	return deq(a->watts, b->watts) && deq(a->joules, b->joules) && a->stale == b->stale;
}

static bool gpu_eq(const struct sample_gpu *x, const struct sample_gpu *y)
{
	if (strcmp(x->name, y->name) || strcmp(x->vendor, y->vendor) ||
	    strcmp(x->label, y->label) || strcmp(x->driver, y->driver) || strcmp(x->id, y->id) ||
	    x->integrated != y->integrated || x->cores != y->cores || x->throttle != y->throttle)
		return false;
	for (size_t k = 0; k < SAMPLE_GPU_NFIELDS; k++)
		if (!deq(sample_gpu_field(x, k), sample_gpu_field(y, k)))
			return false;
	return true;
}

bool sample_equal(const struct sample *a, const struct sample *b)
{
	if (a->seq != b->seq || !deq(a->time, b->time) || !deq(a->interval_s, b->interval_s) ||
	    strcmp(a->source, b->source) != 0)
		return false;
	if (strcmp(a->host.hostname, b->host.hostname) || strcmp(a->host.os, b->host.os) ||
	    strcmp(a->host.chip, b->host.chip) || strcmp(a->host.arch, b->host.arch) ||
	    a->host.cpus != b->host.cpus || a->host.gpu_cores != b->host.gpu_cores)
		return false;
	if (!deq(a->cpu_util, b->cpu_util) || a->nclusters != b->nclusters ||
	    a->ncores != b->ncores)
		return false;
	for (unsigned i = 0; i < a->nclusters; i++) {
		const struct sample_cluster *x = &a->clusters[i], *y = &b->clusters[i];
		if (strcmp(x->name, y->name) || x->kind != y->kind || x->die != y->die ||
		    x->first_core != y->first_core || x->ncores != y->ncores ||
		    !deq(x->util, y->util) || !deq(x->active, y->active) ||
		    !deq(x->freq_hz, y->freq_hz) || !deq(x->freq_max_hz, y->freq_max_hz) ||
		    !deq(x->power_w, y->power_w) || x->power_stale != y->power_stale)
			return false;
	}
	for (size_t i = 0; i < a->ncores; i++) {
		const struct sample_core *x = &a->cores[i], *y = &b->cores[i];
		if (x->cpu != y->cpu || x->cluster != y->cluster || !deq(x->util, y->util) ||
		    !deq(x->active, y->active) || !deq(x->freq_hz, y->freq_hz))
			return false;
		for (unsigned m = 0; m < CPU_MODE_COUNT; m++)
			if (!deq(x->seconds[m], y->seconds[m]))
				return false;
	}
	if (a->ngpus != b->ngpus)
		return false;
	for (unsigned i = 0; i < a->ngpus; i++)
		if (!gpu_eq(&a->gpus[i], &b->gpus[i]))
			return false;
	if (a->npu.present != b->npu.present || strcmp(a->npu.name, b->npu.name) ||
	    !deq(a->npu.util, b->npu.util))
		return false;
	if (a->ndies != b->ndies || !deq(a->power_limit_w, b->power_limit_w))
		return false;
	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		if (!energy_eq(&a->power[r], &b->power[r]))
			return false;
		for (unsigned d = 0; d < a->ndies; d++)
			if (!energy_eq(&a->dies[d].rail[r], &b->dies[d].rail[r]))
				return false;
	}
	if (!deq(a->memory.total_bytes, b->memory.total_bytes) ||
	    !deq(a->memory.used_bytes, b->memory.used_bytes) ||
	    !deq(a->memory.available_bytes, b->memory.available_bytes) ||
	    !deq(a->memory.swap_total_bytes, b->memory.swap_total_bytes) ||
	    !deq(a->memory.swap_used_bytes, b->memory.swap_used_bytes))
		return false;
	if (a->bandwidth.quality != b->bandwidth.quality ||
	    !deq(a->bandwidth.read_bps, b->bandwidth.read_bps) ||
	    !deq(a->bandwidth.write_bps, b->bandwidth.write_bps) ||
	    !deq(a->bandwidth.total_bps, b->bandwidth.total_bps) ||
	    a->bandwidth.nagents != b->bandwidth.nagents)
		return false;
	for (unsigned i = 0; i < a->bandwidth.nagents; i++)
		if (strcmp(a->bandwidth.agent[i].name, b->bandwidth.agent[i].name) ||
		    !deq(a->bandwidth.agent[i].read_bps, b->bandwidth.agent[i].read_bps) ||
		    !deq(a->bandwidth.agent[i].write_bps, b->bandwidth.agent[i].write_bps))
			return false;
	if (a->thermal != b->thermal || a->ntemps != b->ntemps)
		return false;
	for (unsigned i = 0; i < a->ntemps; i++) {
		const struct sample_temp *x = &a->temps[i], *y = &b->temps[i];
		if (strcmp(x->chip, y->chip) || strcmp(x->sensor, y->sensor) ||
		    strcmp(x->label, y->label) || x->kind != y->kind ||
		    !deq(x->celsius, y->celsius))
			return false;
	}
	if (!deq(a->input_w, b->input_w) || strcmp(a->system_from, b->system_from) ||
	    a->battery.present != b->battery.present || a->nfans != b->nfans ||
	    a->throttle.known != b->throttle.known || a->throttle.causes != b->throttle.causes ||
	    a->throttle.low_power != b->throttle.low_power ||
	    !deq(a->throttle.cpu_speed_limit, b->throttle.cpu_speed_limit))
		return false;
	if (a->battery.present &&
	    (!deq(a->battery.percent, b->battery.percent) || a->battery.state != b->battery.state ||
	     a->battery.on_ac != b->battery.on_ac ||
	     !deq(a->battery.time_to_empty_s, b->battery.time_to_empty_s) ||
	     !deq(a->battery.time_to_full_s, b->battery.time_to_full_s) ||
	     !deq(a->battery.power_w, b->battery.power_w) ||
	     !deq(a->battery.adapter_w, b->battery.adapter_w)))
		return false;
	for (unsigned i = 0; i < a->nfans; i++)
		if (strcmp(a->fans[i].name, b->fans[i].name) ||
		    !deq(a->fans[i].rpm, b->fans[i].rpm) ||
		    !deq(a->fans[i].min_rpm, b->fans[i].min_rpm) ||
		    !deq(a->fans[i].max_rpm, b->fans[i].max_rpm))
			return false;
	if (a->nprocs != b->nprocs || a->nprocs_total != b->nprocs_total)
		return false;
	for (size_t i = 0; i < a->nprocs; i++) {
		const struct sample_proc *x = &a->procs[i], *y = &b->procs[i];
		if (x->pid != y->pid || x->ppid != y->ppid || strcmp(x->name, y->name) ||
		    strcmp(sample_str(a, x->cmdline), sample_str(b, y->cmdline)) ||
		    !deq(x->cpu, y->cpu) || !deq(x->rss_bytes, y->rss_bytes) ||
		    x->threads != y->threads || !deq(x->energy_w, y->energy_w) ||
		    !deq(x->energy_j, y->energy_j) || !deq(x->ane_mem_bytes, y->ane_mem_bytes) ||
		    !deq(x->gpu_util, y->gpu_util) || !deq(x->gpu_mem_bytes, y->gpu_mem_bytes) ||
		    x->uid != y->uid || strcmp(x->user, y->user) || x->state != y->state ||
		    !deq(x->start_time, y->start_time))
			return false;
	}
	if (a->nnotes != b->nnotes)
		return false;
	for (unsigned i = 0; i < a->nnotes; i++)
		if (strcmp(a->notes[i].key, b->notes[i].key) ||
		    strcmp(a->notes[i].text, b->notes[i].text))
			return false;
	return true;
}

/* ---- names ---- */

static const char *const cluster_kind_names[CLUSTER_KIND_COUNT] = { "generic", "efficiency",
	                                                            "performance", "super" };
static const char *const cpu_mode_names[CPU_MODE_COUNT] = {
	"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice"
};
static const char *const rail_names[RAIL_COUNT] = { "package", "cpu",    "gpu",   "ane",
	                                            "dram",    "system", "uncore" };
static const char *const thermal_names[THERMAL_COUNT] = { "unknown", "nominal", "fair", "serious",
	                                                  "critical" };
static const char *const bw_quality_names[BW_QUALITY_COUNT] = { "absent", "measured", "estimated" };
static const char *const temp_kind_names[TEMP_KIND_COUNT] = { "other", "cpu",    "cpu_core",
	                                                      "gpu",   "memory", "soc" };

static const char *const throttle_names[THROTTLE_CAUSE_COUNT] = { "thermal",   "power",
	                                                          "hardware",  "setting",
	                                                          "low_power", "speed_limit" };
static const char *const battery_names[BATTERY_STATE_COUNT] = { "unknown", "discharging",
	                                                        "charging", "full",
	                                                        "not_charging" };

static int lookup(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *cluster_kind_name(enum cluster_kind k)
{
	return (unsigned)k < CLUSTER_KIND_COUNT ? cluster_kind_names[k] : "generic";
}
int cluster_kind_parse(const char *name)
{
	return lookup(cluster_kind_names, CLUSTER_KIND_COUNT, name);
}
const char *cpu_mode_name(enum cpu_mode m)
{
	return (unsigned)m < CPU_MODE_COUNT ? cpu_mode_names[m] : "?";
}
const char *rail_name(enum rail r)
{
	return (unsigned)r < RAIL_COUNT ? rail_names[r] : "?";
}
int rail_parse(const char *name)
{
	return lookup(rail_names, RAIL_COUNT, name);
}
const char *thermal_name(enum thermal_pressure t)
{
	return (unsigned)t < THERMAL_COUNT ? thermal_names[t] : "unknown";
}
int thermal_parse(const char *name)
{
	return lookup(thermal_names, THERMAL_COUNT, name);
}
const char *bw_quality_name(enum bw_quality q)
{
	return (unsigned)q < BW_QUALITY_COUNT ? bw_quality_names[q] : "absent";
}
int bw_quality_parse(const char *name)
{
	return lookup(bw_quality_names, BW_QUALITY_COUNT, name);
}
const char *temp_kind_name(enum temp_kind k)
{
	return (unsigned)k < TEMP_KIND_COUNT ? temp_kind_names[k] : "other";
}
int temp_kind_parse(const char *name)
{
	return lookup(temp_kind_names, TEMP_KIND_COUNT, name);
}

const char *throttle_cause_name(enum throttle_cause c)
{
	return (unsigned)c < THROTTLE_CAUSE_COUNT ? throttle_names[c] : "?";
}
int throttle_cause_parse(const char *name)
{
	return lookup(throttle_names, THROTTLE_CAUSE_COUNT, name);
}
const char *battery_state_name(enum battery_state b)
{
	return (unsigned)b < BATTERY_STATE_COUNT ? battery_names[b] : "unknown";
}
int battery_state_parse(const char *name)
{
	return lookup(battery_names, BATTERY_STATE_COUNT, name);
}

double sample_rails_w(const struct sample *s)
{
	double w = s->power[RAIL_PACKAGE].watts;

	if (isnan(w))
		return NAN;
	if (!isnan(s->power[RAIL_DRAM].watts))
		w += s->power[RAIL_DRAM].watts;
	return w;
}

double sample_power_other_w(const struct sample *s)
{
	double rails = sample_rails_w(s), sys = s->power[RAIL_SYSTEM].watts;

	if (isnan(rails) || isnan(sys))
		return NAN;
	return sys > rails ? sys - rails : 0;
}

struct sample_bw_agent *sample_bw_agent(struct sample_bandwidth *bw, const char *name)
{
	for (unsigned i = 0; i < bw->nagents; i++)
		if (!strcmp(bw->agent[i].name, name))
			return &bw->agent[i];
	if (bw->nagents == SAMPLE_MAX_BW_AGENTS)
		return NULL;
	str_copy(bw->agent[bw->nagents].name, sizeof bw->agent[0].name, name);
	bw->agent[bw->nagents].read_bps = bw->agent[bw->nagents].write_bps = NAN;
	return &bw->agent[bw->nagents++];
}
