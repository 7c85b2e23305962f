#include "hwmon.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/str.h"

enum temp_kind hwmon_classify(const char *chip_name, const char *label, bool has_tdie)
{
	if (strcmp(chip_name, "coretemp") == 0) {
		if (strncmp(label, "Package id", 10) == 0 || strncmp(label, "Physical id", 11) == 0)
			return TEMP_CPU;
		if (strncmp(label, "Core", 4) == 0)
			return TEMP_CPU_CORE;
		return TEMP_OTHER;
	}
	if (strcmp(chip_name, "k10temp") == 0 || strcmp(chip_name, "zenpower") == 0) {
		if (strcmp(label, "Tdie") == 0)
			return TEMP_CPU;
		if (strcmp(label, "Tctl") == 0)
			return has_tdie ? TEMP_OTHER : TEMP_CPU;
		if (strncmp(label, "Tccd", 4) == 0)
			return TEMP_CPU_CORE;
		return TEMP_OTHER;
	}
	if (strcmp(chip_name, "cpu_thermal") == 0 || strcmp(chip_name, "cpu-thermal") == 0 ||
	    strcmp(chip_name, "x86_pkg_temp") == 0)
		return TEMP_CPU;
	if (strcmp(chip_name, "macsmc_hwmon") == 0) {
		/* Apple's SMC: the device tree labels each sensor in words */
		if (strstr(label, "GPU"))
			return TEMP_GPU;
		if (strstr(label, "CPU"))
			return TEMP_CPU;
		if (strstr(label, "SoC"))
			return TEMP_SOC;
		if (strstr(label, "Memory") || strstr(label, "DRAM"))
			return TEMP_MEMORY;
		return TEMP_OTHER;
	}
	if (strcmp(chip_name, "amdgpu") == 0 || strcmp(chip_name, "nouveau") == 0) {
		if (strcmp(label, "mem") == 0)
			return TEMP_MEMORY;
		return TEMP_GPU;
	}
	return TEMP_OTHER;
}

void hwmon_chip_id(const char *device_path, char *out, size_t size)
{
	char buf[512], *base, *parent;

	out[0] = '\0';
	if (!device_path || !*device_path || strcmp(device_path, ".") == 0)
		return;
	str_copy(buf, sizeof buf, device_path);
	while (strlen(buf) > 1 && buf[strlen(buf) - 1] == '/')
		buf[strlen(buf) - 1] = '\0';
	base = strrchr(buf, '/');
	if (!base) {
		str_copy(out, size, buf);
		str_clean_name(out);
		return;
	}
	*base++ = '\0';
	parent = strrchr(buf, '/');
	parent = parent ? parent + 1 : buf;
	if (*parent)
		snprintf(out, size, "%s_%s", parent, base);
	else
		str_copy(out, size, base);
	str_clean_name(out);
}

struct names {
	char name[SAMPLE_MAX_TEMPS * 2][32];
	unsigned n;
	const char *prefix;
};

static int collect(const char *name, void *ctx)
{
	struct names *l = ctx;

	if (strncmp(name, l->prefix, strlen(l->prefix)) == 0 && l->n < SAMPLE_MAX_TEMPS * 2)
		str_copy(l->name[l->n++], sizeof l->name[0], name);
	return 0;
}

/* natural order: hwmon2 before hwmon10, temp2 before temp10 */
static int cmp_natural(const void *a, const void *b)
{
	const char *x = a, *y = b;

	while (*x && *y) {
		if (*x >= '0' && *x <= '9' && *y >= '0' && *y <= '9') {
			unsigned long nx = strtoul(x, (char **)&x, 10),
			              ny = strtoul(y, (char **)&y, 10);
			if (nx != ny)
				return nx < ny ? -1 : 1;
			continue;
		}
		if (*x != *y)
			return (unsigned char)*x - (unsigned char)*y;
		x++;
		y++;
	}
	return (unsigned char)*x - (unsigned char)*y;
}

struct chip {
	char dir[64];     /* class/hwmon/hwmonN */
	char name[32];    /* name file */
	char id[48];      /* stable chip id */
	char device[256]; /* resolved device path */
};

static void add_sensor(struct hwmon *h, const char *path, const char *chip, const char *sensor,
                       const char *label, enum temp_kind kind)
{
	struct hwmon_sensor *s;

	if (h->n == SAMPLE_MAX_TEMPS)
		return;
	s = &h->sensor[h->n++];
	str_copy(s->path, sizeof s->path, path);
	str_copy(s->meta.chip, sizeof s->meta.chip, chip);
	str_copy(s->meta.sensor, sizeof s->meta.sensor, sensor);
	str_copy(s->meta.label, sizeof s->meta.label, label);
	s->meta.kind = kind;
	s->meta.celsius = NAN;
}

/* GPU drivers' hwmon nodes: their fans are the GPU's (reported with it), not the machine's */
static bool gpu_driver(const char *name)
{
	static const char *const gpu[] = { "amdgpu", "radeon", "nouveau", "i915", "xe" };

	for (size_t i = 0; i < sizeof gpu / sizeof gpu[0]; i++)
		if (!strcmp(name, gpu[i]))
			return true;
	return false;
}

static double read_rpm(const struct fsroot *sys, const char *dir, const char *fan, const char *what)
{
	char rel[192];
	uint64_t v;

	snprintf(rel, sizeof rel, "%s/%s_%s", dir, fan, what);
	return fsroot_read_u64(sys, rel, &v) == 0 ? (double)v : NAN;
}

/* The fans of one directory; false when it has none. */
static bool scan_fan_dir(struct hwmon *h, const struct fsroot *sys, const struct chip *c,
                         const char *dir)
{
	struct names inputs;
	bool any = false;

	memset(&inputs, 0, sizeof inputs);
	inputs.prefix = "fan";
	fsroot_list(sys, dir, collect, &inputs);
	qsort(inputs.name, inputs.n, sizeof inputs.name[0], cmp_natural);
	for (unsigned i = 0; i < inputs.n && h->nfans < SAMPLE_MAX_FANS; i++) {
		struct hwmon_fan *f;
		char fan[32], rel[192], label[24];
		size_t len = strlen(inputs.name[i]);

		if (len <= 6 || strcmp(inputs.name[i] + len - 6, "_input") != 0)
			continue;
		any = true;
		str_copy_n(fan, sizeof fan, inputs.name[i], len - 6);
		f = &h->fan[h->nfans++];
		snprintf(f->input, sizeof f->input, "%s/%s", dir, inputs.name[i]);
		snprintf(rel, sizeof rel, "%s/%s_label", dir, fan);
		if (fsroot_read_str(sys, rel, label, sizeof label) == 0 && label[0])
			snprintf(f->meta.name, sizeof f->meta.name, "%.10s %.12s",
			         c->name[0] ? c->name : c->id, label);
		else
			snprintf(f->meta.name, sizeof f->meta.name, "%.10s %.12s",
			         c->name[0] ? c->name : c->id, fan);
		f->meta.rpm = NAN;
		f->meta.min_rpm = read_rpm(sys, dir, fan, "min");
		f->meta.max_rpm = read_rpm(sys, dir, fan, "max");
	}
	return any;
}

/* A chip's fans: in its hwmonN directory, or, for older drivers (applesmc), on the device. */
static void scan_fans(struct hwmon *h, const struct fsroot *sys, const struct chip *c)
{
	if (gpu_driver(c->name))
		return;
	if (!scan_fan_dir(h, sys, c, c->dir) && c->device[0])
		scan_fan_dir(h, sys, c, c->device);
}

int hwmon_smc_rail(const char *label)
{
	if (!strcmp(label, "Total System Power"))
		return RAIL_SYSTEM;
	if (!strcmp(label, "Heatpipe Power"))
		return RAIL_PACKAGE;
	if (strstr(label, "GPU"))
		return RAIL_GPU;
	if (strstr(label, "CPU"))
		return RAIL_CPU;
	if (strstr(label, "ANE") || strstr(label, "Neural"))
		return RAIL_ANE;
	if (strstr(label, "DRAM") || strstr(label, "Memory"))
		return RAIL_DRAM;
	return -1;
}

/* The SMC's power sensors that are rails (macsmc_hwmon labels them from the device tree). */
static void scan_rails(struct hwmon *h, const struct fsroot *sys, const struct chip *c)
{
	struct names inputs;
	char rel[192], label[64];

	memset(&inputs, 0, sizeof inputs);
	inputs.prefix = "power";
	fsroot_list(sys, c->dir, collect, &inputs);
	qsort(inputs.name, inputs.n, sizeof inputs.name[0], cmp_natural);
	for (unsigned i = 0; i < inputs.n && h->nrails < HWMON_MAX_RAILS; i++) {
		char sensor[32];
		size_t len = strlen(inputs.name[i]);
		int rail;

		if (len <= 6 || strcmp(inputs.name[i] + len - 6, "_input") != 0)
			continue;
		str_copy_n(sensor, sizeof sensor, inputs.name[i], len - 6);
		snprintf(rel, sizeof rel, "%s/%s_label", c->dir, sensor);
		if (fsroot_read_str(sys, rel, label, sizeof label) != 0)
			continue;
		rail = hwmon_smc_rail(label);
		for (unsigned k = 0; k < h->nrails && rail >= 0; k++)
			if (h->rail[k].rail == (enum rail)rail)
				rail = -1; /* the first sensor of a rail */
		if (rail < 0)
			continue;
		snprintf(h->rail[h->nrails].path, sizeof h->rail[0].path, "%s/%s", c->dir,
		         inputs.name[i]);
		h->rail[h->nrails++].rail = (enum rail)rail;
	}
}

static void scan_chip(struct hwmon *h, const struct fsroot *sys, const struct chip *c)
{
	struct names inputs;
	char rel[192], label[40];
	bool has_tdie = false;

	memset(&inputs, 0, sizeof inputs);
	inputs.prefix = "temp";
	fsroot_list(sys, c->dir, collect, &inputs);
	qsort(inputs.name, inputs.n, sizeof inputs.name[0], cmp_natural);
	for (unsigned i = 0; i < inputs.n; i++) {
		size_t len = strlen(inputs.name[i]);
		if (len > 6 && strcmp(inputs.name[i] + len - 6, "_label") == 0) {
			snprintf(rel, sizeof rel, "%s/%s", c->dir, inputs.name[i]);
			if (fsroot_read_str(sys, rel, label, sizeof label) == 0 &&
			    strcmp(label, "Tdie") == 0)
				has_tdie = true;
		}
	}
	for (unsigned i = 0; i < inputs.n; i++) {
		char sensor[32];
		size_t len = strlen(inputs.name[i]);

		if (len <= 6 || strcmp(inputs.name[i] + len - 6, "_input") != 0)
			continue;
		str_copy_n(sensor, sizeof sensor, inputs.name[i], len - 6);
		snprintf(rel, sizeof rel, "%s/%s_label", c->dir, sensor);
		if (fsroot_read_str(sys, rel, label, sizeof label) != 0)
			label[0] = '\0';
		snprintf(rel, sizeof rel, "%s/%s", c->dir, inputs.name[i]);
		add_sensor(h, rel, c->id, sensor, label, hwmon_classify(c->name, label, has_tdie));
	}
}

unsigned hwmon_open(struct hwmon *h, const struct fsroot *sys)
{
	struct names dirs;
	struct chip chips[SAMPLE_MAX_TEMPS];
	unsigned nchips = 0;
	bool have_cpu = false;
	char rel[192];

	memset(h, 0, sizeof *h);
	memset(&dirs, 0, sizeof dirs);
	dirs.prefix = "hwmon";
	fsroot_list(sys, "class/hwmon", collect, &dirs);
	qsort(dirs.name, dirs.n, sizeof dirs.name[0], cmp_natural);
	for (unsigned i = 0; i < dirs.n && nchips < SAMPLE_MAX_TEMPS; i++) {
		struct chip *c = &chips[nchips];
		char link[256];

		memset(c, 0, sizeof *c);
		snprintf(c->dir, sizeof c->dir, "class/hwmon/%s", dirs.name[i]);
		if (!fsroot_is_dir(sys, c->dir))
			continue;
		snprintf(rel, sizeof rel, "%s/name", c->dir);
		if (fsroot_read_str(sys, rel, c->name, sizeof c->name) != 0)
			c->name[0] = '\0';
		snprintf(rel, sizeof rel, "%s/device", c->dir);
		if (fsroot_resolve(sys, rel, link, sizeof link) == 0 && fsroot_is_dir(sys, link))
			str_copy(c->device, sizeof c->device, link);
		/* older drivers (applesmc) keep their attributes, name included, on the device */
		if (!c->name[0] && c->device[0]) {
			snprintf(rel, sizeof rel, "%s/name", c->device);
			if (fsroot_read_str(sys, rel, c->name, sizeof c->name) != 0)
				c->name[0] = '\0';
		}
		hwmon_chip_id(c->device, c->id, sizeof c->id);
		if (!c->id[0]) {
			str_copy(c->id, sizeof c->id, c->name[0] ? c->name : dirs.name[i]);
			str_clean_name(c->id);
		}
		nchips++;
	}
	/* chips behind one device (several hwmon nodes of a wifi card) get their name appended,
	 * as node_exporter does, so each id stays unique */
	for (unsigned i = 0; i < nchips; i++) {
		bool dup = false;
		for (unsigned k = 0; k < nchips; k++)
			if (k != i && chips[i].device[0] &&
			    strcmp(chips[i].device, chips[k].device) == 0)
				dup = true;
		if (dup && chips[i].name[0]) {
			char id[48], name[32];
			str_copy(name, sizeof name, chips[i].name);
			snprintf(id, sizeof id, "%s_%s", chips[i].id, str_clean_name(name));
			str_copy(chips[i].id, sizeof chips[i].id, id);
		}
	}
	for (unsigned i = 0; i < nchips; i++) {
		scan_chip(h, sys, &chips[i]);
		scan_fans(h, sys, &chips[i]);
		if (!strcmp(chips[i].name, "macsmc_hwmon"))
			scan_rails(h, sys, &chips[i]);
	}
	for (unsigned i = 0; i < h->n; i++)
		if (h->sensor[i].meta.kind == TEMP_CPU)
			have_cpu = true;

	/* thermal zones: the CPU temperature on boards without a hwmon CPU driver */
	memset(&dirs, 0, sizeof dirs);
	dirs.prefix = "thermal_zone";
	fsroot_list(sys, "class/thermal", collect, &dirs);
	qsort(dirs.name, dirs.n, sizeof dirs.name[0], cmp_natural);
	for (unsigned i = 0; i < dirs.n; i++) {
		char type[40], path[192];
		enum temp_kind kind = TEMP_OTHER;

		snprintf(rel, sizeof rel, "class/thermal/%s/type", dirs.name[i]);
		if (fsroot_read_str(sys, rel, type, sizeof type) != 0)
			continue;
		/* a zone is the CPU temperature only where hwmon has none (zones often repeat a
		 * hwmon sensor, x86_pkg_temp the coretemp package) */
		if (!have_cpu && (strcmp(type, "x86_pkg_temp") == 0 || strstr(type, "cpu") ||
		                  strstr(type, "CPU")))
			kind = TEMP_CPU;
		snprintf(path, sizeof path, "class/thermal/%s/temp", dirs.name[i]);
		add_sensor(h, path, dirs.name[i], "temp", type, kind);
	}
	return h->n;
}

void hwmon_read(const struct hwmon *h, const struct fsroot *sys, struct sample *s)
{
	for (unsigned i = 0; i < h->n && s->ntemps < SAMPLE_MAX_TEMPS; i++) {
		struct sample_temp *t = &s->temps[s->ntemps++];
		int64_t mc;

		*t = h->sensor[i].meta;
		/* millidegrees; the kernel reports errors as read failures */
		t->celsius =
		    fsroot_read_i64(sys, h->sensor[i].path, &mc) == 0 ? (double)mc / 1000.0 : NAN;
	}
	if (h->n == 0)
		sample_note(s, "temps", "no hwmon or thermal zone sensors on this machine");
	for (unsigned i = 0; i < h->nfans; i++) {
		uint64_t rpm;
		s->fans[i] = h->fan[i].meta;
		s->fans[i].rpm =
		    fsroot_read_u64(sys, h->fan[i].input, &rpm) == 0 ? (double)rpm : NAN;
	}
	s->nfans = h->nfans;
	if (!h->nfans)
		sample_note(s, "fans", "no fan sensor on this machine (hwmon fan*_input)");
	for (unsigned i = 0; i < h->nrails; i++) {
		struct sample_energy *e = &s->power[h->rail[i].rail];
		int64_t uw;

		/* the SMC gives watts, not an energy counter: joules stay unknown */
		if (isnan(e->watts) && fsroot_read_i64(sys, h->rail[i].path, &uw) == 0 && uw >= 0)
			e->watts = (double)uw / 1e6;
	}
	if (h->nrails)
		sample_note(s, "power",
		            "only the rails Apple's SMC reports (macsmc_hwmon), as "
		            "watts without energy counters");
}
