/* json_read.c - one JSON line back into a sample (jansson) */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../util/str.h"
#include "json.h"

struct rd {
	struct error *err;
	const char *where; /* current object, for messages */
	int failed;
};

static int fail(struct rd *r, const char *field, const char *want)
{
	if (!r->failed)
		error_set(r->err, "field %s%s%s: expected %s", r->where, *r->where ? "." : "",
		          field, want);
	r->failed = 1;
	return -1;
}

static double num(struct rd *r, json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v))
		return NAN;
	if (!json_is_number(v)) {
		fail(r, k, "a number or null");
		return NAN;
	}
	return json_number_value(v);
}

static long long integer(struct rd *r, json_t *o, const char *k, long long unknown)
{
	json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v))
		return unknown;
	if (!json_is_integer(v)) {
		fail(r, k, "an integer or null");
		return unknown;
	}
	return json_integer_value(v);
}

static void text(struct rd *r, json_t *o, const char *k, char *dst, size_t size)
{
	json_t *v = json_object_get(o, k);

	dst[0] = '\0';
	if (!v || json_is_null(v))
		return;
	if (!json_is_string(v)) {
		fail(r, k, "a string");
		return;
	}
	str_copy(dst, size, json_string_value(v));
}

static json_t *member(struct rd *r, json_t *o, const char *k, json_type type)
{
	json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v))
		return NULL;
	if (json_typeof(v) != type) {
		fail(r, k, type == JSON_OBJECT ? "an object" : "an array");
		return NULL;
	}
	return v;
}

static void energy(struct rd *r, json_t *o, struct sample_energy *e)
{
	e->watts = num(r, o, "watts");
	e->joules = num(r, o, "joules");
	e->stale = json_is_true(json_object_get(o, "stale"));
}

static void rails(struct rd *r, json_t *o, struct sample_energy *rail)
{
	for (unsigned i = 0; i < RAIL_COUNT; i++) {
		json_t *e = member(r, o, rail_name((enum rail)i), JSON_OBJECT);
		if (e)
			energy(r, e, &rail[i]);
	}
}

static int enum_field(struct rd *r, json_t *o, const char *k, int (*parse)(const char *),
                      int fallback)
{
	char buf[32];
	int v;

	text(r, o, k, buf, sizeof buf);
	if (!buf[0])
		return fallback;
	v = parse(buf);
	if (v < 0) {
		fail(r, k, "a known name");
		return fallback;
	}
	return v;
}

static void read_cpu(struct rd *r, json_t *cpu, struct sample *s)
{
	json_t *cls = member(r, cpu, "clusters", JSON_ARRAY), *c;
	size_t i;

	s->cpu_util = num(r, cpu, "util");
	if (!cls)
		return;
	json_array_foreach(cls, i, c)
	{
		struct sample_cluster *sc;
		json_t *cores, *core;
		size_t k;

		if (!json_is_object(c) || s->nclusters == SAMPLE_MAX_CLUSTERS) {
			fail(r, "clusters", "at most 16 objects");
			return;
		}
		r->where = "cpu.clusters[]";
		sc = &s->clusters[s->nclusters];
		text(r, c, "name", sc->name, sizeof sc->name);
		sc->kind = (enum cluster_kind)enum_field(r, c, "kind", cluster_kind_parse, 0);
		sc->die = (int)integer(r, c, "die", 0);
		sc->util = num(r, c, "util");
		sc->active = num(r, c, "active");
		sc->freq_hz = num(r, c, "freq_hz");
		sc->freq_max_hz = num(r, c, "freq_max_hz");
		sc->power_w = num(r, c, "power_w");
		sc->power_stale = json_is_true(json_object_get(c, "power_stale"));
		sc->first_core = (unsigned)s->ncores;
		sc->ncores = 0;
		cores = member(r, c, "cores", JSON_ARRAY);
		if (cores)
			json_array_foreach(cores, k, core)
			{
				struct sample_core *sco;
				json_t *secs;

				if (!json_is_object(core)) {
					fail(r, "cores", "objects");
					return;
				}
				sco = sample_add_core(s);
				if (!sco) {
					error_set(r->err, "out of memory");
					r->failed = 1;
					return;
				}
				r->where = "cpu.clusters[].cores[]";
				sco->cluster = s->nclusters;
				sco->cpu = (int)integer(r, core, "cpu", -1);
				sco->util = num(r, core, "util");
				sco->active = num(r, core, "active");
				sco->freq_hz = num(r, core, "freq_hz");
				secs = member(r, core, "seconds", JSON_OBJECT);
				if (secs)
					for (unsigned m = 0; m < CPU_MODE_COUNT; m++)
						sco->seconds[m] =
						    num(r, secs, cpu_mode_name((enum cpu_mode)m));
				sc->ncores++;
			}
		s->nclusters++;
	}
}

static bool flag(struct rd *r, json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v))
		return false;
	if (!json_is_boolean(v)) {
		fail(r, k, "true or false");
		return false;
	}
	return json_is_true(v);
}

/* "throttle": null (unknown) or an array of cause names ([] = not throttled) */
static int throttle(struct rd *r, json_t *o)
{
	json_t *v = json_object_get(o, "throttle"), *c;
	size_t i;
	int bits = 0;

	if (!v || json_is_null(v))
		return THROTTLE_UNKNOWN;
	if (!json_is_array(v)) {
		fail(r, "throttle", "an array of causes or null");
		return THROTTLE_UNKNOWN;
	}
	json_array_foreach(v, i, c)
	{
		int cause = json_is_string(c) ? throttle_cause_parse(json_string_value(c)) : -1;
		if (cause < 0) {
			fail(r, "throttle", "an array of known causes");
			return THROTTLE_UNKNOWN;
		}
		bits |= 1 << cause;
	}
	return bits;
}

static void read_gpus(struct rd *r, json_t *arr, struct sample *s)
{
	json_t *g;
	size_t i;

	r->where = "gpus[]";
	json_array_foreach(arr, i, g)
	{
		struct sample_gpu *sg;

		if (!json_is_object(g) || s->ngpus == SAMPLE_MAX_GPUS) {
			fail(r, "gpus", "at most 8 objects");
			return;
		}
		sg = &s->gpus[s->ngpus++];
		text(r, g, "name", sg->name, sizeof sg->name);
		text(r, g, "vendor", sg->vendor, sizeof sg->vendor);
		sg->cores = (int)integer(r, g, "cores", -1);
		for (size_t k = 0; k < SAMPLE_GPU_NFIELDS; k++)
			sample_gpu_field_set(sg, k, num(r, g, sample_gpu_fields[k].name));
		text(r, g, "label", sg->label, sizeof sg->label);
		text(r, g, "driver", sg->driver, sizeof sg->driver);
		text(r, g, "id", sg->id, sizeof sg->id);
		sg->integrated = flag(r, g, "integrated");
		sg->throttle = throttle(r, g);
	}
}

static void read_bandwidth(struct rd *r, json_t *o, struct sample_bandwidth *bw)
{
	json_t *agents, *a;
	size_t i;

	r->where = "bandwidth";
	bw->quality = (enum bw_quality)enum_field(r, o, "quality", bw_quality_parse, BW_ABSENT);
	bw->read_bps = num(r, o, "read_bps");
	bw->write_bps = num(r, o, "write_bps");
	bw->total_bps = num(r, o, "total_bps");
	agents = member(r, o, "agents", JSON_ARRAY);
	if (!agents)
		return;
	r->where = "bandwidth.agents[]";
	json_array_foreach(agents, i, a)
	{
		struct sample_bw_agent *ag;

		if (!json_is_object(a) || bw->nagents == SAMPLE_MAX_BW_AGENTS) {
			fail(r, "agents", "at most 16 objects");
			return;
		}
		ag = &bw->agent[bw->nagents++];
		text(r, a, "name", ag->name, sizeof ag->name);
		ag->read_bps = num(r, a, "read_bps");
		ag->write_bps = num(r, a, "write_bps");
	}
}

static void read_temps(struct rd *r, json_t *arr, struct sample *s)
{
	json_t *t;
	size_t i;

	r->where = "temps[]";
	json_array_foreach(arr, i, t)
	{
		struct sample_temp *st;

		if (!json_is_object(t) || s->ntemps == SAMPLE_MAX_TEMPS) {
			fail(r, "temps", "at most 64 objects");
			return;
		}
		st = &s->temps[s->ntemps++];
		text(r, t, "chip", st->chip, sizeof st->chip);
		text(r, t, "sensor", st->sensor, sizeof st->sensor);
		text(r, t, "label", st->label, sizeof st->label);
		st->kind = (enum temp_kind)enum_field(r, t, "kind", temp_kind_parse, TEMP_OTHER);
		st->celsius = num(r, t, "celsius");
	}
}

static int tristate(struct rd *r, json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v))
		return -1;
	if (!json_is_boolean(v)) {
		fail(r, k, "true, false or null");
		return -1;
	}
	return json_is_true(v);
}

static void read_machine_power(struct rd *r, json_t *root, struct sample *s)
{
	json_t *o, *f;
	size_t i;

	text(r, root, "system_from", s->system_from, sizeof s->system_from);
	s->input_w = num(r, root, "input_w");
	if ((o = member(r, root, "battery", JSON_OBJECT))) {
		struct sample_battery *b = &s->battery;
		r->where = "battery";
		b->present = true;
		b->percent = num(r, o, "percent");
		b->state = (enum battery_state)enum_field(r, o, "state", battery_state_parse,
		                                          BATTERY_UNKNOWN);
		b->on_ac = tristate(r, o, "on_ac");
		b->time_to_empty_s = num(r, o, "time_to_empty_s");
		b->time_to_full_s = num(r, o, "time_to_full_s");
		b->power_w = num(r, o, "power_w");
		b->adapter_w = num(r, o, "adapter_w");
		r->where = "";
	}
	if ((o = member(r, root, "fans", JSON_ARRAY))) {
		r->where = "fans[]";
		json_array_foreach(o, i, f)
		{
			struct sample_fan *fan;
			if (!json_is_object(f) || s->nfans == SAMPLE_MAX_FANS) {
				fail(r, "fans", "at most 8 objects");
				break;
			}
			fan = &s->fans[s->nfans++];
			text(r, f, "name", fan->name, sizeof fan->name);
			fan->rpm = num(r, f, "rpm");
			fan->min_rpm = num(r, f, "min_rpm");
			fan->max_rpm = num(r, f, "max_rpm");
		}
		r->where = "";
	}
	if ((o = member(r, root, "throttle", JSON_OBJECT))) {
		json_t *causes = member(r, o, "causes", JSON_ARRAY), *c;
		r->where = "throttle";
		s->throttle.known = true;
		json_array_foreach(causes, i, c)
		{
			int k = json_is_string(c) ? throttle_cause_parse(json_string_value(c)) : -1;
			if (k < 0) {
				fail(r, "causes", "throttle cause names");
				break;
			}
			s->throttle.causes |= 1u << k;
		}
		s->throttle.low_power = tristate(r, o, "low_power");
		s->throttle.cpu_speed_limit = num(r, o, "cpu_speed_limit");
		r->where = "";
	}
}

/* Members added after schema 1's first release: absent in older recordings, read as unknown. */
static void read_owner_and_state(struct rd *r, json_t *p, struct sample_proc *sp)
{
	char state[8];
	long long uid = integer(r, p, "uid", -1);

	sp->uid = uid >= 0 && uid <= UINT32_MAX ? uid : -1;
	text(r, p, "user", sp->user, sizeof sp->user);
	text(r, p, "state", state, sizeof state);
	/* one printable letter, as ps(1) writes it */
	if (state[0] && (state[1] || !((state[0] >= 'A' && state[0] <= 'Z') ||
	                               (state[0] >= 'a' && state[0] <= 'z'))))
		fail(r, "state", "one letter");
	else
		sp->state = state[0];
	sp->start_time = num(r, p, "start_time");
}

static void read_procs(struct rd *r, json_t *o, struct sample *s)
{
	json_t *list = member(r, o, "list", JSON_ARRAY), *p;
	size_t i;

	r->where = "processes";
	s->nprocs_total = (size_t)integer(r, o, "total", 0);
	if (!list)
		return;
	r->where = "processes.list[]";
	json_array_foreach(list, i, p)
	{
		struct sample_proc *sp;
		json_t *cmd;

		if (!json_is_object(p)) {
			fail(r, "list", "objects");
			return;
		}
		sp = sample_add_proc(s);
		if (!sp) {
			error_set(r->err, "out of memory");
			r->failed = 1;
			return;
		}
		sp->pid = (int)integer(r, p, "pid", -1);
		sp->ppid = (int)integer(r, p, "ppid", -1);
		text(r, p, "name", sp->name, sizeof sp->name);
		cmd = json_object_get(p, "cmdline");
		if (cmd && json_is_string(cmd))
			sp->cmdline =
			    sample_intern(s, json_string_value(cmd), json_string_length(cmd));
		else if (cmd && !json_is_null(cmd))
			fail(r, "cmdline", "a string");
		sp->cpu = num(r, p, "cpu");
		sp->rss_bytes = num(r, p, "rss_bytes");
		sp->threads = (int)integer(r, p, "threads", -1);
		sp->energy_w = num(r, p, "energy_w");
		sp->energy_j = num(r, p, "energy_j");
		sp->ane_mem_bytes = num(r, p, "ane_mem_bytes");
		sp->gpu_util = num(r, p, "gpu_util");
		sp->gpu_mem_bytes = num(r, p, "gpu_mem_bytes");
		read_owner_and_state(r, p, sp);
	}
}

int json_read_sample(const char *textp, size_t len, struct sample *s, struct error *err)
{
	struct rd r = { err, "", 0 };
	json_error_t jerr;
	json_t *root, *o, *v;
	long long schema;

	sample_reset(s);
	root = json_loadb(textp, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return error_set(err, "invalid JSON at column %d: %s", jerr.column, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return error_set(err, "expected a JSON object");
	}
	v = json_object_get(root, "schema");
	if (!v || !json_is_integer(v)) {
		json_decref(root);
		return error_set(err, "not an agtop sample (no \"schema\" number)");
	}
	schema = json_integer_value(v);
	if (schema < 1 || schema > JSON_SCHEMA_VERSION) {
		json_decref(root);
		return error_set(err, "schema %lld is not one this agtop reads (it reads 1 to %d)",
		                 schema, JSON_SCHEMA_VERSION);
	}

	s->seq = (uint64_t)integer(&r, root, "seq", 0);
	s->time = num(&r, root, "time");
	s->interval_s = num(&r, root, "interval_s");
	text(&r, root, "source", s->source, sizeof s->source);

	if ((o = member(&r, root, "host", JSON_OBJECT))) {
		r.where = "host";
		text(&r, o, "hostname", s->host.hostname, sizeof s->host.hostname);
		text(&r, o, "os", s->host.os, sizeof s->host.os);
		text(&r, o, "chip", s->host.chip, sizeof s->host.chip);
		text(&r, o, "arch", s->host.arch, sizeof s->host.arch);
		s->host.cpus = (int)integer(&r, o, "cpus", -1);
		s->host.gpu_cores = (int)integer(&r, o, "gpu_cores", -1);
		r.where = "";
	}
	if ((o = member(&r, root, "cpu", JSON_OBJECT))) {
		r.where = "cpu";
		read_cpu(&r, o, s);
		r.where = "";
	}
	if ((o = member(&r, root, "gpus", JSON_ARRAY))) {
		read_gpus(&r, o, s);
		r.where = "";
	}
	if ((o = member(&r, root, "npu", JSON_OBJECT))) {
		r.where = "npu";
		v = json_object_get(o, "present");
		s->npu.present = v && json_is_true(v);
		text(&r, o, "name", s->npu.name, sizeof s->npu.name);
		s->npu.util = num(&r, o, "util");
		r.where = "";
	}
	if ((o = member(&r, root, "power", JSON_OBJECT))) {
		r.where = "power";
		rails(&r, o, s->power);
		r.where = "";
	}
	s->power_limit_w = num(&r, root, "power_limit_w");
	if ((o = member(&r, root, "dies", JSON_ARRAY))) {
		size_t i;
		json_t *d;
		r.where = "dies[]";
		json_array_foreach(o, i, d)
		{
			if (!json_is_object(d) || s->ndies == SAMPLE_MAX_DIES) {
				fail(&r, "dies", "at most 8 objects");
				break;
			}
			rails(&r, d, s->dies[s->ndies++].rail);
		}
		r.where = "";
	}
	read_machine_power(&r, root, s);
	if ((o = member(&r, root, "memory", JSON_OBJECT))) {
		r.where = "memory";
		s->memory.total_bytes = num(&r, o, "total_bytes");
		s->memory.used_bytes = num(&r, o, "used_bytes");
		s->memory.available_bytes = num(&r, o, "available_bytes");
		s->memory.swap_total_bytes = num(&r, o, "swap_total_bytes");
		s->memory.swap_used_bytes = num(&r, o, "swap_used_bytes");
		r.where = "";
	}
	if ((o = member(&r, root, "bandwidth", JSON_OBJECT))) {
		read_bandwidth(&r, o, &s->bandwidth);
		r.where = "";
	}
	s->thermal = (enum thermal_pressure)enum_field(&r, root, "thermal_pressure", thermal_parse,
	                                               THERMAL_UNKNOWN);
	if ((o = member(&r, root, "temps", JSON_ARRAY))) {
		read_temps(&r, o, s);
		r.where = "";
	}
	if ((o = member(&r, root, "processes", JSON_OBJECT))) {
		read_procs(&r, o, s);
		r.where = "";
	}
	if ((o = member(&r, root, "notes", JSON_OBJECT))) {
		const char *k;
		json_t *t;
		json_object_foreach(o, k, t)
		{
			if (!json_is_string(t)) {
				r.where = "notes";
				fail(&r, k, "a string");
				break;
			}
			sample_note(s, k, "%s", json_string_value(t));
		}
	}
	json_decref(root);
	return r.failed ? -1 : 0;
}
