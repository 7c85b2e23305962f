/* json_write.c - a small emitter; numbers round-trip exactly, unknown values are null */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../options.h"
#include "../procsel.h"
#include "../version.h"
#include "json.h"

/* Writer state: one "first member" flag per open object or array. */
struct jw {
	struct strbuf *b;
	bool first[16];
	int depth;
};

/* UTF-8 length of a valid sequence at p, 0 when invalid */
static size_t utf8_len(const unsigned char *p)
{
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
	    (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
		return 0;
	return n;
}

static void put_string(struct strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	sb_putc(b, '"');
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0) {
			sb_puts(b,
			        "\\ufffd"); /* sources clean their text; this is the last guard */
			p++;
			continue;
		}
		if (n > 1) {
			sb_add(b, (const char *)p, n);
			p += n;
			continue;
		}
		switch (*p) {
		case '"':
			sb_puts(b, "\\\"");
			break;
		case '\\':
			sb_puts(b, "\\\\");
			break;
		case '\n':
			sb_puts(b, "\\n");
			break;
		case '\t':
			sb_puts(b, "\\t");
			break;
		case '\r':
			sb_puts(b, "\\r");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				sb_printf(b, "\\u%04x", *p);
			else
				sb_putc(b, (char)*p);
		}
		p++;
	}
	sb_putc(b, '"');
}

/* Separator and key (NULL inside arrays) before a value. */
static void member(struct jw *w, const char *key)
{
	if (!w->first[w->depth])
		sb_putc(w->b, ',');
	w->first[w->depth] = false;
	if (key) {
		put_string(w->b, key);
		sb_putc(w->b, ':');
	}
}

static void open_(struct jw *w, const char *key, char c)
{
	if (w->depth > 0)
		member(w, key);
	sb_putc(w->b, c);
	if (w->depth + 1 < (int)(sizeof w->first / sizeof w->first[0]))
		w->depth++;
	w->first[w->depth] = true;
}

static void obj(struct jw *w, const char *key)
{
	open_(w, key, '{');
}

static void arr(struct jw *w, const char *key)
{
	open_(w, key, '[');
}

static void end_obj(struct jw *w)
{
	sb_putc(w->b, '}');
	w->depth--;
}

static void end_arr(struct jw *w)
{
	sb_putc(w->b, ']');
	w->depth--;
}

static void num(struct jw *w, const char *key, double v)
{
	char buf[40];

	member(w, key);
	if (isnan(v) || isinf(v)) {
		sb_puts(w->b, "null");
		return;
	}
	fmt_double(buf, sizeof buf, v);
	sb_puts(w->b, buf);
}

static void integer(struct jw *w, const char *key, long long v, bool unknown)
{
	member(w, key);
	if (unknown)
		sb_puts(w->b, "null");
	else
		sb_printf(w->b, "%lld", v);
}

static void str(struct jw *w, const char *key, const char *v)
{
	member(w, key);
	put_string(w->b, v);
}

/* "" is unknown: null */
static void str_or_null(struct jw *w, const char *key, const char *v)
{
	if (*v) {
		str(w, key, v);
	} else {
		member(w, key);
		sb_puts(w->b, "null");
	}
}

/* ps(1)'s one-letter state, null when unknown */
static void state_str(struct jw *w, char state)
{
	char v[2] = { state, '\0' };

	str_or_null(w, "state", v);
}

static void boolean(struct jw *w, const char *key, bool v)
{
	member(w, key);
	sb_puts(w->b, v ? "true" : "false");
}

static void rails(struct jw *w, const char *key, const struct sample_energy *r)
{
	obj(w, key);
	for (unsigned i = 0; i < RAIL_COUNT; i++) {
		obj(w, rail_name((enum rail)i));
		num(w, "watts", r[i].watts);
		num(w, "joules", r[i].joules);
		if (r[i].stale) /* only when set: a counter that stopped while its unit was busy */
			boolean(w, "stale", true);
		end_obj(w);
	}
	end_obj(w);
}

static void cpu(struct jw *w, const struct sample *s)
{
	obj(w, "cpu");
	num(w, "util", s->cpu_util);
	arr(w, "clusters");
	for (unsigned i = 0; i < s->nclusters; i++) {
		const struct sample_cluster *c = &s->clusters[i];

		obj(w, NULL);
		str(w, "name", c->name);
		str(w, "kind", cluster_kind_name(c->kind));
		integer(w, "die", c->die, false);
		num(w, "util", c->util);
		num(w, "active", c->active);
		num(w, "freq_hz", c->freq_hz);
		num(w, "freq_max_hz", c->freq_max_hz);
		num(w, "power_w", c->power_w);
		if (c->power_stale)
			boolean(w, "power_stale", true);
		arr(w, "cores");
		for (unsigned k = 0; k < c->ncores && c->first_core + k < s->ncores; k++) {
			const struct sample_core *core = &s->cores[c->first_core + k];
			obj(w, NULL);
			integer(w, "cpu", core->cpu, core->cpu < 0);
			num(w, "util", core->util);
			num(w, "active", core->active);
			num(w, "freq_hz", core->freq_hz);
			obj(w, "seconds");
			for (unsigned m = 0; m < CPU_MODE_COUNT; m++)
				num(w, cpu_mode_name((enum cpu_mode)m), core->seconds[m]);
			end_obj(w);
			end_obj(w);
		}
		end_arr(w);
		end_obj(w);
	}
	end_arr(w);
	end_obj(w);
}

static void gpus(struct jw *w, const struct sample *s)
{
	arr(w, "gpus");
	for (unsigned i = 0; i < s->ngpus; i++) {
		const struct sample_gpu *g = &s->gpus[i];

		obj(w, NULL);
		str(w, "name", g->name);
		str(w, "vendor", g->vendor);
		integer(w, "cores", g->cores, g->cores < 0);
		for (size_t k = 0; k < SAMPLE_GPU_NFIELDS; k++)
			num(w, sample_gpu_fields[k].name, sample_gpu_field(g, k));
		str(w, "label", g->label);
		str(w, "driver", g->driver);
		str(w, "id", g->id);
		boolean(w, "integrated", g->integrated);
		if (g->throttle == THROTTLE_UNKNOWN) {
			member(w, "throttle");
			sb_puts(w->b, "null");
		} else {
			arr(w, "throttle");
			for (unsigned c = 0; c < THROTTLE_CAUSE_COUNT; c++)
				if (g->throttle & (1 << c))
					str(w, NULL, throttle_cause_name((enum throttle_cause)c));
			end_arr(w);
		}
		end_obj(w);
	}
	end_arr(w);
}

static void bandwidth(struct jw *w, const struct sample_bandwidth *bw)
{
	obj(w, "bandwidth");
	str(w, "quality", bw_quality_name(bw->quality));
	num(w, "read_bps", bw->read_bps);
	num(w, "write_bps", bw->write_bps);
	num(w, "total_bps", bw->total_bps);
	arr(w, "agents");
	for (unsigned i = 0; i < bw->nagents; i++) {
		obj(w, NULL);
		str(w, "name", bw->agent[i].name);
		num(w, "read_bps", bw->agent[i].read_bps);
		num(w, "write_bps", bw->agent[i].write_bps);
		end_obj(w);
	}
	end_arr(w);
	end_obj(w);
}

static void temps(struct jw *w, const struct sample *s)
{
	arr(w, "temps");
	for (unsigned i = 0; i < s->ntemps; i++) {
		const struct sample_temp *t = &s->temps[i];

		obj(w, NULL);
		str(w, "chip", t->chip);
		str(w, "sensor", t->sensor);
		str(w, "label", t->label);
		str(w, "kind", temp_kind_name(t->kind));
		num(w, "celsius", t->celsius);
		end_obj(w);
	}
	end_arr(w);
}

static void tristate(struct jw *w, const char *key, int v)
{
	member(w, key);
	sb_puts(w->b, v < 0 ? "null" : v ? "true" : "false");
}

/* Where the watts go beyond the rails: the system total's origin, the adapter, the battery,
 * the fans and what throttles the machine. */
static void machine_power(struct jw *w, const struct sample *s)
{
	if (s->system_from[0])
		str(w, "system_from", s->system_from);
	else
		num(w, "system_from", NAN);
	num(w, "input_w", s->input_w);
	if (s->battery.present) {
		const struct sample_battery *b = &s->battery;
		obj(w, "battery");
		num(w, "percent", b->percent);
		str(w, "state", battery_state_name(b->state));
		tristate(w, "on_ac", b->on_ac);
		num(w, "time_to_empty_s", b->time_to_empty_s);
		num(w, "time_to_full_s", b->time_to_full_s);
		num(w, "power_w", b->power_w);
		num(w, "adapter_w", b->adapter_w);
		end_obj(w);
	} else {
		num(w, "battery", NAN);
	}
	arr(w, "fans");
	for (unsigned i = 0; i < s->nfans; i++) {
		obj(w, NULL);
		str(w, "name", s->fans[i].name);
		num(w, "rpm", s->fans[i].rpm);
		num(w, "min_rpm", s->fans[i].min_rpm);
		num(w, "max_rpm", s->fans[i].max_rpm);
		end_obj(w);
	}
	end_arr(w);
	if (s->throttle.known) {
		obj(w, "throttle");
		arr(w, "causes");
		for (unsigned c = 0; c < THROTTLE_CAUSE_COUNT; c++)
			if (s->throttle.causes & (1u << c))
				str(w, NULL, throttle_cause_name((enum throttle_cause)c));
		end_arr(w);
		tristate(w, "low_power", s->throttle.low_power);
		num(w, "cpu_speed_limit", s->throttle.cpu_speed_limit);
		end_obj(w);
	} else {
		num(w, "throttle", NAN);
	}
}

static void processes(struct jw *w, const struct sample *s, const struct json_write_opts *o)
{
	size_t idx[256], n, limit = o && o->max_procs ? o->max_procs : JSON_MAX_PROCS;

	if (limit > sizeof idx / sizeof idx[0])
		limit = sizeof idx / sizeof idx[0];
	n = procsel_top(s, o ? o->filter : NULL, PROC_SORT_CPU, limit, idx);
	obj(w, "processes");
	integer(w, "total", (long long)s->nprocs_total, false);
	arr(w, "list");
	for (size_t i = 0; i < n; i++) {
		const struct sample_proc *p = &s->procs[idx[i]];

		obj(w, NULL);
		integer(w, "pid", p->pid, false);
		integer(w, "ppid", p->ppid, p->ppid < 0);
		str(w, "name", p->name);
		str(w, "cmdline", sample_str(s, p->cmdline));
		num(w, "cpu", p->cpu);
		num(w, "rss_bytes", p->rss_bytes);
		integer(w, "threads", p->threads, p->threads < 0);
		num(w, "energy_w", p->energy_w);
		num(w, "energy_j", p->energy_j);
		num(w, "ane_mem_bytes", p->ane_mem_bytes);
		num(w, "gpu_util", p->gpu_util);
		num(w, "gpu_mem_bytes", p->gpu_mem_bytes);
		integer(w, "uid", p->uid, p->uid < 0);
		str_or_null(w, "user", p->user);
		state_str(w, p->state);
		num(w, "start_time", p->start_time);
		end_obj(w);
	}
	end_arr(w);
	end_obj(w);
}

void json_write_sample(struct strbuf *b, const struct sample *s, const struct json_write_opts *o)
{
	struct jw w = { .b = b, .depth = 0 };

	obj(&w, NULL);
	integer(&w, "schema", JSON_SCHEMA_VERSION, false);
	str(&w, "agtop", AGTOP_VERSION);
	integer(&w, "seq", (long long)s->seq, false);
	num(&w, "time", s->time);
	num(&w, "interval_s", s->interval_s);
	str(&w, "source", s->source);

	obj(&w, "host");
	str(&w, "hostname", s->host.hostname);
	str(&w, "os", s->host.os);
	str(&w, "chip", s->host.chip);
	str(&w, "arch", s->host.arch);
	integer(&w, "cpus", s->host.cpus, s->host.cpus < 0);
	integer(&w, "gpu_cores", s->host.gpu_cores, s->host.gpu_cores < 0);
	end_obj(&w);

	cpu(&w, s);
	gpus(&w, s);

	obj(&w, "npu");
	boolean(&w, "present", s->npu.present);
	str(&w, "name", s->npu.name);
	num(&w, "util", s->npu.util);
	end_obj(&w);

	rails(&w, "power", s->power);
	num(&w, "power_limit_w", s->power_limit_w);
	arr(&w, "dies");
	for (unsigned d = 0; d < s->ndies; d++)
		rails(&w, NULL, s->dies[d].rail);
	end_arr(&w);
	machine_power(&w, s);

	obj(&w, "memory");
	num(&w, "total_bytes", s->memory.total_bytes);
	num(&w, "used_bytes", s->memory.used_bytes);
	num(&w, "available_bytes", s->memory.available_bytes);
	num(&w, "swap_total_bytes", s->memory.swap_total_bytes);
	num(&w, "swap_used_bytes", s->memory.swap_used_bytes);
	end_obj(&w);

	bandwidth(&w, &s->bandwidth);
	str(&w, "thermal_pressure", thermal_name(s->thermal));
	temps(&w, s);
	processes(&w, s, o);

	obj(&w, "notes");
	for (unsigned i = 0; i < s->nnotes; i++)
		str(&w, s->notes[i].key, s->notes[i].text);
	end_obj(&w);
	end_obj(&w);
}
