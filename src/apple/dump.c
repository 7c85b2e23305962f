/* dump.c - the IOReport dump in JSON (jansson to read, the strbuf to write) */
#include "dump.h"
#include "dump_internal.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../options.h"
#include "../util/str.h"

void apple_dump_init(struct apple_dump *d)
{
	memset(d, 0, sizeof *d);
	d->host.gpu_cores = -1;
	d->host.tb_numer = d->host.tb_denom = 1;
}

void apple_dump_free(struct apple_dump *d)
{
	for (unsigned i = 0; i < d->nreadings; i++)
		apple_reading_free(&d->reading[i]);
	free(d->reading);
	pmgr_free(&d->pmgr);
	apple_dump_init(d);
}

struct apple_reading *apple_dump_add_reading(struct apple_dump *d)
{
	struct apple_reading *r = realloc(d->reading, (d->nreadings + 1) * sizeof *r);

	if (!r)
		return NULL;
	d->reading = r;
	apple_reading_init(&d->reading[d->nreadings]);
	return &d->reading[d->nreadings++];
}

/* ---- reading ---- */

struct rd {
	struct error *err;
	char where[96];
	bool failed;
};

static void bad(struct rd *r, const char *what)
{
	if (!r->failed)
		error_set(r->err, "%s%s%s", r->where, r->where[0] ? ": " : "", what);
	r->failed = true;
}

static const char *str_of(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool u64_of(json_t *o, const char *k, uint64_t *out)
{
	json_t *v = json_object_get(o, k);

	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return true;
	}
	if (json_is_real(v) && json_real_value(v) >= 0) {
		*out = (uint64_t)json_real_value(v);
		return true;
	}
	return false;
}

static double num_of(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void read_host(struct rd *r, json_t *h, struct apple_host *host)
{
	json_t *levels = json_object_get(h, "perflevels"), *l;
	const char *s;
	uint64_t v;
	size_t i;

	if (!json_is_object(h)) {
		bad(r, "\"host\" must be an object");
		return;
	}
	if ((s = str_of(h, "chip")))
		str_copy(host->chip, sizeof host->chip, s);
	if ((s = str_of(h, "model")))
		str_copy(host->model, sizeof host->model, s);
	if ((s = str_of(h, "os")))
		str_copy(host->os, sizeof host->os, s);
	if ((s = str_of(h, "hostname")))
		str_copy(host->hostname, sizeof host->hostname, s);
	host->ncpu = u64_of(h, "ncpu", &v) ? (int)v : -1;
	host->gpu_cores = u64_of(h, "gpu_cores", &v) ? (int)v : -1;
	host->memsize = num_of(h, "memsize");
	host->pagesize = u64_of(h, "pagesize", &v) ? (unsigned)v : 0;
	if (json_is_array(levels))
		json_array_foreach(levels, i, l)
		{
			if (host->nlevels == APPLE_MAX_LEVELS)
				break;
			if ((s = str_of(l, "name")))
				str_copy(host->level[host->nlevels].name,
				         sizeof host->level[0].name, s);
			host->level[host->nlevels].logical =
			    u64_of(l, "logicalcpu", &v) ? (int)v : 0;
			host->nlevels++;
		}
}

static int format_of(const char *s)
{
	if (!s || !strcmp(s, "simple"))
		return IOR_SIMPLE;
	if (!strcmp(s, "state"))
		return IOR_STATE;
	if (!strcmp(s, "histogram"))
		return IOR_HISTOGRAM;
	if (!strcmp(s, "array"))
		return IOR_SIMPLE_ARRAY;
	return IOR_INVALID;
}

static const char *format_name(enum ior_format f)
{
	switch (f) {
	case IOR_STATE:
		return "state";
	case IOR_HISTOGRAM:
		return "histogram";
	case IOR_SIMPLE_ARRAY:
		return "array";
	default:
		return "simple";
	}
}

static void read_channels(struct rd *r, json_t *arr, struct ior_sample *s)
{
	json_t *c;
	size_t i;

	json_array_foreach(arr, i, c)
	{
		struct ior_channel *ch;
		json_t *v, *states;
		const char *name = str_of(c, "name");

		if (!json_is_object(c) || !name) {
			bad(r, "a channel needs at least a \"name\"");
			return;
		}
		ch = ior_add(s, str_of(c, "group"), str_of(c, "subgroup"), name, str_of(c, "unit"),
		             (enum ior_format)format_of(str_of(c, "format")));
		if (!ch) {
			bad(r, "out of memory");
			return;
		}
		if (ch->format == IOR_INVALID) {
			bad(r, "unknown channel \"format\"");
			return;
		}
		u64_of(c, "ts", &ch->ts);
		v = json_object_get(c, "value");
		if (json_is_integer(v)) {
			ch->value = json_integer_value(v);
		} else if (v && !json_is_null(v)) {
			bad(r, "channel \"value\" is not an integer or null");
			return;
		}
		states = json_object_get(c, "states");
		if (json_is_array(states)) {
			size_t k;
			json_t *st;
			if (ior_add_states(ch, (unsigned)json_array_size(states))) {
				bad(r, "out of memory");
				return;
			}
			json_array_foreach(states, k, st)
			{
				json_t *n = json_array_get(st, 0), *res = json_array_get(st, 1);
				if (!json_is_string(n) || !json_is_integer(res)) {
					bad(r, "a state is [\"NAME\", residency]");
					return;
				}
				str_copy(ch->states[k].name, sizeof ch->states[k].name,
				         json_string_value(n));
				ch->states[k].residency = json_integer_value(res);
			}
		}
	}
}

static void read_reading(struct rd *r, json_t *o, struct apple_reading *rd)
{
	json_t *a, *e;
	size_t i;
	uint64_t v;

	if (!json_is_object(o)) {
		bad(r, "a reading must be an object");
		return;
	}
	if (!u64_of(o, "mach_time", &rd->mach_time)) {
		bad(r, "\"mach_time\" is missing");
		return;
	}
	rd->ior.mach_time = rd->mach_time;
	rd->wall_time = num_of(o, "time");
	a = json_object_get(o, "channels");
	if (json_is_array(a))
		read_channels(r, a, &rd->ior);
	a = json_object_get(o, "cpu_ticks");
	if (json_is_array(a) && json_array_size(a)) {
		if (apple_reading_set_ncpu(rd, (unsigned)json_array_size(a))) {
			bad(r, "out of memory");
			return;
		}
		json_array_foreach(a, i, e)
		{
			for (unsigned m = 0; m < APPLE_TICKS; m++) {
				json_t *t = json_array_get(e, m);
				if (!json_is_integer(t)) {
					bad(r, "\"cpu_ticks\" rows are [user, system, idle, nice]");
					return;
				}
				rd->ticks[i][m] = (uint32_t)json_integer_value(t);
			}
		}
	}
	if (json_is_object(e = json_object_get(o, "vm"))) {
		rd->vm.have = true;
		u64_of(e, "free", &rd->vm.free);
		u64_of(e, "active", &rd->vm.active);
		u64_of(e, "inactive", &rd->vm.inactive);
		u64_of(e, "speculative", &rd->vm.speculative);
		u64_of(e, "wire", &rd->vm.wire);
		u64_of(e, "purgeable", &rd->vm.purgeable);
		u64_of(e, "internal", &rd->vm.internal);
		u64_of(e, "external", &rd->vm.external);
		u64_of(e, "compressor", &rd->vm.compressor);
	}
	if (json_is_object(e = json_object_get(o, "swap"))) {
		rd->swap.have = true;
		u64_of(e, "total", &rd->swap.total);
		u64_of(e, "avail", &rd->swap.avail);
		u64_of(e, "used", &rd->swap.used);
	}
	if (u64_of(o, "thermal_level", &v))
		rd->thermal_level = (int)v;
	rd->system_w = num_of(o, "system_w");
	if (json_is_object(e = json_object_get(o, "smc_power"))) {
		const char *k;
		json_t *w;
		json_object_foreach(e, k, w)
		{
			struct apple_smc_power *sp;
			if (!json_is_number(w) || strlen(k) != 4 ||
			    rd->nsmc_power == APPLE_MAX_SMC_POWER)
				continue;
			sp = &rd->smc_power[rd->nsmc_power++];
			str_copy(sp->key, sizeof sp->key, k);
			sp->watts = json_number_value(w);
		}
	}
	a = json_object_get(o, "temps");
	if (json_is_array(a))
		json_array_foreach(a, i, e)
		{
			const char *src = str_of(e, "source"), *name = str_of(e, "name");
			struct apple_temp *t;
			if (!name)
				continue;
			t = apple_reading_add_temp(rd);
			if (!t) {
				bad(r, "out of memory");
				return;
			}
			t->source = src && !strcmp(src, "hid") ? APPLE_TEMP_HID : APPLE_TEMP_SMC;
			str_copy(t->name, sizeof t->name, name);
			t->celsius = num_of(e, "celsius");
		}
	apple_dump_read_power(o, rd);
	a = json_object_get(o, "processes");
	if (json_is_array(a)) {
		rd->have_procs = true;
		json_array_foreach(a, i, e)
		{
			struct apple_proc *p = apple_reading_add_proc(rd);
			const char *s;
			if (!p) {
				bad(r, "out of memory");
				return;
			}
			p->pid = u64_of(e, "pid", &v) ? (int)v : -1;
			p->ppid = u64_of(e, "ppid", &v) ? (int)v : -1;
			p->uid = u64_of(e, "uid", &v) ? (int)v : -1;
			p->path_denied = json_is_true(json_object_get(e, "path_denied"));
			if ((s = str_of(e, "name")))
				str_copy(p->name, sizeof p->name, s);
			if ((s = str_of(e, "cmdline")))
				p->cmdline = strdup(s);
			u64_of(e, "start", &p->start);
			p->status = u64_of(e, "status", &v) && v <= 5 ? (int)v : 0;
			p->task = u64_of(e, "cpu_time", &p->cpu_time);
			u64_of(e, "rss", &p->rss);
			p->threads = u64_of(e, "threads", &v) ? (int)v : -1;
			p->rusage = u64_of(e, "energy_nj", &p->energy_nj);
			u64_of(e, "neural_bytes", &p->neural_bytes);
			p->gpu = u64_of(e, "gpu_ns", &p->gpu_ns);
			if (p->pid < 0) {
				bad(r, "a process without a \"pid\"");
				return;
			}
		}
		/* the decoder looks processes up by pid */
		qsort(rd->procs, rd->nprocs, sizeof *rd->procs, apple_proc_cmp);
	}
}

int apple_dump_parse(const char *text, size_t len, struct apple_dump *d, struct error *err)
{
	struct rd r = { err, "", false };
	json_error_t jerr;
	json_t *root, *o, *e;
	const char *fmt;
	size_t i;

	apple_dump_init(d);
	root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return error_set(err, "invalid JSON at line %d, column %d: %s", jerr.line,
		                 jerr.column, jerr.text);
	fmt = str_of(root, "format");
	if (!fmt || strcmp(fmt, APPLE_DUMP_FORMAT) != 0) {
		json_decref(root);
		return error_set(err, "not an agtop IOReport dump (\"format\" is not \"%s\")",
		                 APPLE_DUMP_FORMAT);
	}
	{
		long long v = (long long)json_integer_value(json_object_get(root, "version"));
		if (v != APPLE_DUMP_VERSION) {
			json_decref(root);
			return error_set(err, "dump version %lld is not one this agtop reads (%d)",
			                 v, APPLE_DUMP_VERSION);
		}
	}
	snprintf(r.where, sizeof r.where, "host");
	read_host(&r, json_object_get(root, "host"), &d->host);
	if ((o = json_object_get(root, "timebase"))) {
		uint64_t n = 1, dd = 1;
		u64_of(o, "numer", &n);
		u64_of(o, "denom", &dd);
		d->host.tb_numer = (uint32_t)n;
		d->host.tb_denom = (uint32_t)(dd ? dd : 1);
	}
	if (json_is_object(o = json_object_get(root, "pmgr"))) {
		const char *k;
		json_object_foreach(o, k, e)
		{
			uint8_t *bytes;
			size_t n;
			if (!json_is_string(e) || hex_decode(json_string_value(e), &bytes, &n)) {
				snprintf(r.where, sizeof r.where, "pmgr %s", k);
				bad(&r, "expected hex bytes");
				break;
			}
			if (pmgr_add(&d->pmgr, k, bytes, n)) {
				free(bytes);
				bad(&r, "too many pmgr properties");
				break;
			}
			free(bytes);
		}
	}
	if (json_is_array(o = json_object_get(root, "groups")))
		json_array_foreach(o, i, e)
		{
			struct apple_group *g;
			const char *s;
			json_t *sub;
			if (d->ngroups == APPLE_MAX_GROUPS)
				break;
			g = &d->group[d->ngroups++];
			memset(g, 0, sizeof *g);
			if ((s = str_of(e, "group")))
				str_copy(g->group, sizeof g->group, s);
			if ((s = str_of(e, "subgroup")))
				str_copy(g->subgroup, sizeof g->subgroup, s);
			sub = json_object_get(e, "subscribed");
			g->subscribed = !sub || json_is_true(sub);
			if ((s = str_of(e, "error")))
				str_copy(g->error, sizeof g->error, s);
		}
	o = json_object_get(root, "readings");
	if (!json_is_array(o) || json_array_size(o) < 2) {
		if (!r.failed)
			error_set(err, "a dump needs \"readings\": at least two");
		r.failed = true;
	} else {
		json_array_foreach(o, i, e)
		{
			struct apple_reading *rd;
			if (r.failed)
				break;
			rd = apple_dump_add_reading(d);
			if (!rd) {
				bad(&r, "out of memory");
				break;
			}
			snprintf(r.where, sizeof r.where, "readings[%zu]", i);
			read_reading(&r, e, rd);
		}
	}
	json_decref(root);
	if (r.failed) {
		apple_dump_free(d);
		return -1;
	}
	return 0;
}

/* a dump of the largest chip is well under 1 MiB */
#define DUMP_MAX_BYTES (64u << 20)

int apple_dump_load(const char *path, struct apple_dump *d, struct error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	apple_dump_init(d);
	if (!f)
		return error_set(err, "cannot open %s: %s", path, strerror(errno));
	for (;;) {
		size_t got;
		if (len >= DUMP_MAX_BYTES) { /* /dev/zero, or not a dump: never without end */
			fclose(f);
			free(buf);
			return error_set(err, "%s: larger than %u MiB: not an IOReport dump", path,
			                 DUMP_MAX_BYTES >> 20);
		}
		if (len + 65536 > cap) {
			char *p = realloc(buf, cap = cap ? cap * 2 : 1 << 20);
			if (!p) {
				free(buf);
				fclose(f);
				return error_set(err, "%s: out of memory", path);
			}
			buf = p;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return error_set(err, "cannot read %s: %s", path, strerror(errno));
	}
	fclose(f);
	rc = apple_dump_parse(buf, len, d, err);
	free(buf);
	if (rc)
		error_prefix(err, "%s", path);
	return rc;
}

/* ---- writing ---- */

static void jstr(struct strbuf *b, const char *s)
{
	sb_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_printf(b, "\\%c", *p);
		else if (*p < 0x20)
			sb_printf(b, "\\u%04x", *p);
		else
			sb_putc(b, (char)*p);
	}
	sb_putc(b, '"');
}

void apple_dump_num(struct strbuf *b, double v)
{
	char buf[40];

	if (isnan(v) || isinf(v)) {
		sb_puts(b, "null");
		return;
	}
	fmt_double(buf, sizeof buf, v);
	sb_puts(b, buf);
}

static void write_reading(struct strbuf *b, const struct apple_reading *r)
{
	sb_printf(b, "  {\"mach_time\": %llu, \"time\": ", (unsigned long long)r->mach_time);
	apple_dump_num(b, r->wall_time);
	sb_puts(b, ",\n   \"channels\": [\n");
	for (size_t i = 0; i < r->ior.n; i++) {
		const struct ior_channel *c = &r->ior.ch[i];
		sb_puts(b, "    {\"group\": ");
		jstr(b, c->group);
		sb_puts(b, ", \"subgroup\": ");
		jstr(b, c->subgroup);
		sb_puts(b, ", \"name\": ");
		jstr(b, c->name);
		sb_puts(b, ", \"unit\": ");
		jstr(b, c->unit);
		sb_printf(b, ", \"format\": \"%s\"", format_name(c->format));
		if (c->ts)
			sb_printf(b, ", \"ts\": %llu", (unsigned long long)c->ts);
		if (c->format == IOR_STATE) {
			sb_puts(b, ", \"states\": [");
			for (unsigned k = 0; k < c->nstates; k++) {
				sb_puts(b, k ? ", [" : "[");
				jstr(b, c->states[k].name);
				sb_printf(b, ", %lld]", (long long)c->states[k].residency);
			}
			sb_putc(b, ']');
		} else {
			if (c->value == IOR_NO_VALUE)
				sb_puts(b, ", \"value\": null");
			else
				sb_printf(b, ", \"value\": %lld", (long long)c->value);
		}
		sb_puts(b, i + 1 < r->ior.n ? "},\n" : "}\n");
	}
	sb_puts(b, "   ]");
	if (r->ncpu) {
		sb_puts(b, ",\n   \"cpu_ticks\": [");
		for (unsigned i = 0; i < r->ncpu; i++)
			sb_printf(b, "%s[%u, %u, %u, %u]", i ? ", " : "", r->ticks[i][0],
			          r->ticks[i][1], r->ticks[i][2], r->ticks[i][3]);
		sb_putc(b, ']');
	}
	if (r->vm.have)
		sb_printf(b,
		          ",\n   \"vm\": {\"free\": %llu, \"active\": %llu, \"inactive\": %llu, "
		          "\"speculative\": %llu, \"wire\": %llu, \"purgeable\": %llu, "
		          "\"internal\": %llu, \"external\": %llu, \"compressor\": %llu}",
		          (unsigned long long)r->vm.free, (unsigned long long)r->vm.active,
		          (unsigned long long)r->vm.inactive, (unsigned long long)r->vm.speculative,
		          (unsigned long long)r->vm.wire, (unsigned long long)r->vm.purgeable,
		          (unsigned long long)r->vm.internal, (unsigned long long)r->vm.external,
		          (unsigned long long)r->vm.compressor);
	if (r->swap.have)
		sb_printf(b, ",\n   \"swap\": {\"total\": %llu, \"avail\": %llu, \"used\": %llu}",
		          (unsigned long long)r->swap.total, (unsigned long long)r->swap.avail,
		          (unsigned long long)r->swap.used);
	if (r->thermal_level >= 0)
		sb_printf(b, ",\n   \"thermal_level\": %d", r->thermal_level);
	if (!isnan(r->system_w)) {
		sb_puts(b, ",\n   \"system_w\": ");
		apple_dump_num(b, r->system_w);
	}
	if (r->nsmc_power) {
		sb_puts(b, ",\n   \"smc_power\": {");
		for (unsigned i = 0; i < r->nsmc_power; i++) {
			sb_puts(b, i ? ", " : "");
			jstr(b, r->smc_power[i].key);
			sb_puts(b, ": ");
			apple_dump_num(b, r->smc_power[i].watts);
		}
		sb_putc(b, '}');
	}
	if (r->ntemps) {
		sb_puts(b, ",\n   \"temps\": [");
		for (size_t i = 0; i < r->ntemps; i++) {
			sb_printf(b, "%s{\"source\": \"%s\", \"name\": ", i ? ", " : "",
			          r->temp[i].source == APPLE_TEMP_HID ? "hid" : "smc");
			jstr(b, r->temp[i].name);
			sb_puts(b, ", \"celsius\": ");
			apple_dump_num(b, r->temp[i].celsius);
			sb_putc(b, '}');
		}
		sb_putc(b, ']');
	}
	apple_dump_write_power(b, r);
	if (r->have_procs) {
		sb_puts(b, ",\n   \"processes\": [");
		for (size_t i = 0; i < r->nprocs; i++) {
			const struct apple_proc *p = &r->procs[i];
			sb_printf(b, "%s\n    {\"pid\": %d, \"ppid\": %d", i ? "," : "", p->pid,
			          p->ppid);
			if (p->uid >= 0)
				sb_printf(b, ", \"uid\": %d", p->uid);
			if (p->path_denied)
				sb_puts(b, ", \"path_denied\": true");
			sb_puts(b, ", \"name\": ");
			jstr(b, p->name);
			if (p->cmdline) {
				sb_puts(b, ", \"cmdline\": ");
				jstr(b, p->cmdline);
			}
			sb_printf(b, ", \"start\": %llu", (unsigned long long)p->start);
			if (p->status)
				sb_printf(b, ", \"status\": %d", p->status);
			if (p->task)
				sb_printf(b, ", \"cpu_time\": %llu, \"rss\": %llu, \"threads\": %d",
				          (unsigned long long)p->cpu_time,
				          (unsigned long long)p->rss, p->threads);
			if (p->rusage)
				sb_printf(b, ", \"energy_nj\": %llu, \"neural_bytes\": %llu",
				          (unsigned long long)p->energy_nj,
				          (unsigned long long)p->neural_bytes);
			if (p->gpu)
				sb_printf(b, ", \"gpu_ns\": %llu", (unsigned long long)p->gpu_ns);
			sb_putc(b, '}');
		}
		sb_putc(b, ']');
	}
	sb_puts(b, "}");
}

void apple_dump_write(struct strbuf *b, const struct apple_dump *d)
{
	const struct apple_host *h = &d->host;

	sb_printf(b, "{\n \"format\": \"%s\", \"version\": %d, \"agtop\": \"%s\",\n",
	          APPLE_DUMP_FORMAT, APPLE_DUMP_VERSION, AGTOP_VERSION);
	sb_puts(b, " \"host\": {\"chip\": ");
	jstr(b, h->chip);
	sb_puts(b, ", \"model\": ");
	jstr(b, h->model);
	sb_puts(b, ", \"os\": ");
	jstr(b, h->os);
	sb_puts(b, ", \"hostname\": ");
	jstr(b, h->hostname);
	sb_printf(b, ", \"ncpu\": %d", h->ncpu);
	if (h->gpu_cores >= 0)
		sb_printf(b, ", \"gpu_cores\": %d", h->gpu_cores);
	sb_puts(b, ", \"memsize\": ");
	apple_dump_num(b, h->memsize);
	sb_printf(b, ", \"pagesize\": %u, \"perflevels\": [", h->pagesize);
	for (unsigned i = 0; i < h->nlevels; i++) {
		sb_puts(b, i ? ", {\"name\": " : "{\"name\": ");
		jstr(b, h->level[i].name);
		sb_printf(b, ", \"logicalcpu\": %d}", h->level[i].logical);
	}
	sb_printf(b, "]},\n \"timebase\": {\"numer\": %u, \"denom\": %u},\n", h->tb_numer,
	          h->tb_denom);
	sb_puts(b, " \"pmgr\": {");
	for (unsigned i = 0; i < d->pmgr.n; i++) {
		char *hex = hex_encode(d->pmgr.prop[i].data, d->pmgr.prop[i].len);
		sb_puts(b, i ? ",\n   " : "\n   ");
		jstr(b, d->pmgr.prop[i].key);
		sb_puts(b, ": ");
		jstr(b, hex ? hex : "");
		free(hex);
	}
	sb_puts(b, "},\n \"groups\": [");
	for (unsigned i = 0; i < d->ngroups; i++) {
		sb_puts(b, i ? ",\n   {\"group\": " : "\n   {\"group\": ");
		jstr(b, d->group[i].group);
		sb_puts(b, ", \"subgroup\": ");
		jstr(b, d->group[i].subgroup);
		sb_printf(b, ", \"subscribed\": %s", d->group[i].subscribed ? "true" : "false");
		if (d->group[i].error[0]) {
			sb_puts(b, ", \"error\": ");
			jstr(b, d->group[i].error);
		}
		sb_putc(b, '}');
	}
	sb_puts(b, "],\n \"readings\": [\n");
	for (unsigned i = 0; i < d->nreadings; i++) {
		write_reading(b, &d->reading[i]);
		sb_puts(b, i + 1 < d->nreadings ? ",\n" : "\n");
	}
	sb_puts(b, " ]\n}\n");
}
