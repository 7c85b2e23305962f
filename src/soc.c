#include "soc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/str.h"

/* seed-spec §5.1, copied exactly (cpu_chart_ref_w, gpu_chart_ref_w, cpu_max_bw, gpu_max_bw) */
static const struct {
	const char *name;
	double cpu_w, gpu_w, cpu_bw, gpu_bw;
} table[] = {
	{ "Apple M1", 20, 20, 70, 70 },       { "Apple M1 Pro", 30, 30, 200, 200 },
	{ "Apple M1 Max", 30, 60, 250, 400 }, { "Apple M1 Ultra", 60, 120, 500, 800 },
	{ "Apple M2", 25, 15, 100, 100 },     { "Apple M2 Pro", 35, 30, 200, 200 },
	{ "Apple M2 Max", 40, 65, 300, 400 }, { "Apple M2 Ultra", 80, 130, 600, 800 },
	{ "Apple M3", 25, 20, 100, 120 },     { "Apple M3 Pro", 35, 30, 200, 200 },
	{ "Apple M3 Max", 45, 75, 300, 400 }, { "Apple M3 Ultra", 90, 150, 600, 800 },
	{ "Apple M4", 30, 20, 120, 120 },     { "Apple M4 Pro", 40, 35, 240, 240 },
	{ "Apple M4 Max", 55, 90, 320, 480 }, { "Apple M4 Ultra", 110, 180, 640, 960 },
};

static const struct {
	const char *tier;
	double cpu_w, gpu_w, cpu_bw, gpu_bw;
} tiers[] = {
	{ "Ultra", 110, 180, 640, 960 },
	{ "Max", 55, 90, 320, 480 },
	{ "Pro", 40, 35, 240, 240 },
	{ NULL, 30, 20, 120, 120 }, /* base */
};

static void normalize(const char *in, char *out, size_t size)
{
	size_t o = 0;
	bool space = false;

	if (!in || !*in)
		in = "Apple Silicon";
	for (; *in && o + 1 < size; in++) {
		if (isspace((unsigned char)*in)) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < size)
			out[o++] = ' ';
		space = false;
		out[o++] = *in;
	}
	out[o] = '\0';
	if (!o)
		str_copy(out, size, "Apple Silicon");
}

static bool apple_m(const char *name)
{
	return strncmp(name, "Apple M", 7) == 0 && isdigit((unsigned char)name[7]);
}

void soc_lookup(const char *chip, struct soc_profile *out)
{
	normalize(chip, out->name, sizeof out->name);
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(out->name, table[i].name) == 0) {
			out->cpu_ref_w = table[i].cpu_w;
			out->gpu_ref_w = table[i].gpu_w;
			out->cpu_bw_gbs = table[i].cpu_bw;
			out->gpu_bw_gbs = table[i].gpu_bw;
			out->known = 1;
			return;
		}
	if (apple_m(out->name)) {
		for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++)
			if (!tiers[i].tier || strstr(out->name, tiers[i].tier)) {
				out->cpu_ref_w = tiers[i].cpu_w;
				out->gpu_ref_w = tiers[i].gpu_w;
				out->cpu_bw_gbs = tiers[i].cpu_bw;
				out->gpu_bw_gbs = tiers[i].gpu_bw;
				out->known = 2;
				return;
			}
	}
	/* GENERIC_APPLE_SILICON_PROFILE */
	out->cpu_ref_w = 30;
	out->gpu_ref_w = 30;
	out->cpu_bw_gbs = 100;
	out->gpu_bw_gbs = 100;
	out->known = 0;
}

double soc_package_ref_w(const struct soc_profile *p)
{
	double r = p->cpu_ref_w + p->gpu_ref_w + SOC_ANE_MAX_W;
	return r > 1.0 ? r : 1.0;
}
