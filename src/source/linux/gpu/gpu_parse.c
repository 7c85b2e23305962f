#include "gpu_parse.h"

#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "../../../sample.h"
#include "../../../util/str.h"

/* ---- DRM fdinfo ---- */

static struct drm_engine *engine(struct drm_fdinfo *f, const char *name)
{
	struct drm_engine *e;

	for (unsigned i = 0; i < f->nengines; i++)
		if (!strcmp(f->engine[i].name, name))
			return &f->engine[i];
	if (f->nengines == DRM_MAX_ENGINES || !name[0])
		return NULL;
	e = &f->engine[f->nengines++];
	memset(e, 0, sizeof *e);
	str_copy(e->name, sizeof e->name, name);
	e->capacity = 1;
	return e;
}

/* "<uint>[ unit]": the number scaled to bytes (KiB, MiB, GiB) or as is (ns, Hz, none) */
static bool value_u64(const char *v, uint64_t *out, bool memory)
{
	const char *end;
	uint64_t n;

	if (!str_parse_u64(v, &end, &n))
		return false;
	while (*end == ' ' || *end == '\t')
		end++;
	if (memory) {
		uint64_t mul = 1;
		if (!strncmp(end, "KiB", 3))
			mul = 1024;
		else if (!strncmp(end, "MiB", 3))
			mul = 1024 * 1024;
		else if (!strncmp(end, "GiB", 3))
			mul = 1024ull * 1024 * 1024;
		if (n > UINT64_MAX / mul)
			return false;
		n *= mul;
	}
	*out = n;
	return true;
}

/* Regions that are not the client's GPU memory: firmware-reserved stolen memory and amdgpu's
 * "cpu" domain (buffers that live only in system memory). */
static bool region_counts(const char *region)
{
	return strncmp(region, "stolen", 6) != 0 && strcmp(region, "cpu") != 0;
}

struct mem_sums {
	double resident, total, local_resident, local_total;
	bool has_resident, has_total, has_local_resident, has_local_total;
};

static bool region_local(const char *region)
{
	return !strncmp(region, "vram", 4) || !strncmp(region, "local", 5);
}

static void memory_key(const char *key, const char *v, struct mem_sums *m)
{
	uint64_t n;
	bool resident = false;
	const char *region;

	if (!strncmp(key, "resident-", 9)) {
		region = key + 9;
		resident = true;
	} else if (!strncmp(key, "memory-", 7)) { /* the deprecated alias of resident */
		region = key + 7;
		resident = true;
	} else if (!strncmp(key, "total-", 6)) {
		region = key + 6;
	} else {
		return; /* shared, active, purgeable: parts of the above */
	}
	if (!region_counts(region) || !value_u64(v, &n, true))
		return;
	if (resident) {
		m->resident += (double)n;
		m->has_resident = true;
		if (region_local(region)) {
			m->local_resident += (double)n;
			m->has_local_resident = true;
		}
	} else {
		m->total += (double)n;
		m->has_total = true;
		if (region_local(region)) {
			m->local_total += (double)n;
			m->has_local_total = true;
		}
	}
}

static void drm_key(struct drm_fdinfo *f, const char *key, const char *v, struct mem_sums *m)
{
	struct drm_engine *e;
	uint64_t n;

	if (!strcmp(key, "driver")) {
		str_copy(f->driver, sizeof f->driver, v);
	} else if (!strcmp(key, "pdev")) {
		str_copy(f->pdev, sizeof f->pdev, v);
	} else if (!strcmp(key, "client-id")) {
		f->has_client_id = value_u64(v, &f->client_id, false);
	} else if (!strncmp(key, "engine-capacity-", 16)) {
		if (value_u64(v, &n, false) && n > 0 && n < 1024 && (e = engine(f, key + 16)))
			e->capacity = (unsigned)n; /* zero capacity is not allowed: ignored */
	} else if (!strncmp(key, "engine-", 7)) {
		if ((e = engine(f, key + 7)) && value_u64(v, &e->ns, false))
			e->has_ns = true;
	} else if (!strncmp(key, "total-cycles-", 13)) {
		if ((e = engine(f, key + 13)) && value_u64(v, &e->total_cycles, false))
			e->has_total = true;
	} else if (!strncmp(key, "cycles-", 7)) {
		if ((e = engine(f, key + 7)) && value_u64(v, &e->cycles, false))
			e->has_cycles = true;
	} else {
		memory_key(key, v, m);
	}
}

int drm_fdinfo_parse(const char *text, struct drm_fdinfo *out)
{
	struct mem_sums m;
	const char *p = text;

	memset(out, 0, sizeof *out);
	memset(&m, 0, sizeof m);
	out->mem_bytes = out->local_bytes = NAN;
	while (*p) {
		const char *eol = strchr(p, '\n'), *colon;
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char key[64], val[96];

		colon = memchr(p, ':', len);
		if (colon && len > 4 && !strncmp(p, "drm-", 4) &&
		    (size_t)(colon - p) - 4 < sizeof key) {
			const char *v = colon + 1;
			size_t vlen = len - (size_t)(v - p);

			str_copy_n(key, sizeof key, p + 4, (size_t)(colon - p) - 4);
			while (vlen && (*v == ' ' || *v == '\t')) {
				v++;
				vlen--;
			}
			str_copy_n(val, sizeof val, v, vlen);
			str_trim(val);
			/* keys hold no white space (the document): anything else is not ours */
			if (!strpbrk(key, " \t"))
				drm_key(out, key, val, &m);
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	if (!out->driver[0])
		return -1;
	if (m.has_resident) {
		out->mem_bytes = m.resident;
		if (m.has_local_resident)
			out->local_bytes = m.local_resident;
	} else if (m.has_total) {
		out->mem_bytes = m.total;
		if (m.has_local_total)
			out->local_bytes = m.local_total;
	}
	return 0;
}

static const struct drm_engine *engine_in(const struct drm_fdinfo *f, const char *name)
{
	for (unsigned i = 0; i < f->nengines; i++)
		if (!strcmp(f->engine[i].name, name))
			return &f->engine[i];
	return NULL;
}

/* a counter that went back counts as standing still (the document's catch-up rule) */
static double advance(uint64_t prev, uint64_t cur)
{
	return cur > prev ? (double)(cur - prev) : 0;
}

double drm_client_util(const struct drm_fdinfo *prev, const struct drm_fdinfo *cur, double dt)
{
	double sum = 0;
	bool known = false;

	for (unsigned i = 0; i < cur->nengines; i++) {
		const struct drm_engine *c = &cur->engine[i], *p = engine_in(prev, c->name);
		double u;

		if (!p)
			continue;
		if (c->has_cycles && c->has_total && p->has_cycles && p->has_total) {
			/* xe: busy cycles over the GPU timestamp's advance, no CPU clock involved
			 */
			double total = advance(p->total_cycles, c->total_cycles);
			if (!(total > 0))
				continue;
			u = advance(p->cycles, c->cycles) / total;
		} else if (c->has_ns && p->has_ns && dt > 0) {
			u = advance(p->ns, c->ns) / (dt * 1e9);
		} else {
			continue;
		}
		known = true;
		u /= c->capacity ? c->capacity : 1;
		sum += u > 1 ? 1 : u;
	}
	if (!known)
		return NAN;
	return sum > 1 ? 1 : sum;
}

/* ---- sysfs text ---- */

int uevent_value(const char *text, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			str_copy_n(out, size, p + klen + 1, len - klen - 1);
			str_trim(out);
			return 0;
		}
		p = eol ? eol + 1 : NULL;
	}
	return -1;
}

int amdgpu_parse_dpm(const char *text, double *cur_hz, double *max_hz)
{
	bool any = false;

	*cur_hz = *max_hz = NAN;
	for (const char *p = text; p && *p;) {
		const char *eol = strchr(p, '\n'), *colon, *end;
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char line[96];
		uint64_t mhz;

		str_copy_n(line, sizeof line, p, len);
		p = eol ? eol + 1 : NULL;
		colon = strchr(line, ':');
		/* "N: 1000Mhz *"; some kernels list a deep-sleep level as "S: 19Mhz" */
		if (!colon || !str_parse_u64(colon + 1, &end, &mhz) || strncasecmp(end, "mhz", 3))
			continue;
		any = true;
		if (isnan(*max_hz) || mhz * 1e6 > *max_hz)
			*max_hz = (double)mhz * 1e6;
		if (strchr(end, '*'))
			*cur_hz = (double)mhz * 1e6;
	}
	return any ? 0 : -1;
}

/* ---- NVIDIA ---- */

int nvml_throttle_causes(uint64_t reasons)
{
	/* nvml.h nvmlClocksEventReason* (formerly nvmlClocksThrottleReason*) */
	static const struct {
		uint64_t bit;
		enum throttle_cause cause;
	} map[] = {
		{ 0x2, THROTTLE_SETTING },   /* ApplicationsClocksSetting */
		{ 0x4, THROTTLE_POWER },     /* SwPowerCap */
		{ 0x8, THROTTLE_HARDWARE },  /* HwSlowdown */
		{ 0x10, THROTTLE_SETTING },  /* SyncBoost */
		{ 0x20, THROTTLE_THERMAL },  /* SwThermalSlowdown */
		{ 0x40, THROTTLE_THERMAL },  /* HwThermalSlowdown */
		{ 0x80, THROTTLE_POWER },    /* HwPowerBrakeSlowdown */
		{ 0x100, THROTTLE_SETTING }, /* DisplayClockSetting */
	};
	int causes = 0;

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (reasons & map[i].bit)
			causes |= 1 << map[i].cause;
	return causes;
}
