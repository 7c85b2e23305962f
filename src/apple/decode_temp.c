/* decode_temp.c - the temperatures shown, out of every SMC key (or HID sensor) read: no key is
 * lost to a fixed cap or to alphabetical order. An M4 Max lists 308 T keys, 102 of them Tp*,
 * and an M5 Max 84 Tg* and 40 Tm* before its first Tp* (tests/data/apple/smc). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/str.h"
#include "decode_internal.h"

static uint32_t fourcc(const char *s)
{
	return (uint32_t)(uint8_t)s[0] << 24 | (uint32_t)(uint8_t)s[1] << 16 |
	       (uint32_t)(uint8_t)s[2] << 8 | (uint32_t)(uint8_t)s[3];
}

double apple_smc_value(uint32_t type, const uint8_t *b, uint32_t size)
{
	if (type == fourcc("flt ") && size == 4) {
		uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		             (uint32_t)b[3] << 24;
		float f;
		memcpy(&f, &u, sizeof f);
		return f;
	}
	if (type == fourcc("fpe2") && size == 2)
		return (double)((unsigned)b[0] << 8 | b[1]) / 4.0;
	if (type == fourcc("sp78") && size == 2)
		return (double)(int16_t)(uint16_t)((unsigned)b[0] << 8 | b[1]) / 256.0;
	if (type == fourcc("ui8 ") && size == 1)
		return b[0];
	if (type == fourcc("si8 ") && size == 1)
		return (int8_t)b[0];
	if (type == fourcc("ui16") && size == 2)
		return (unsigned)b[0] << 8 | b[1];
	if (type == fourcc("si16") && size == 2)
		return (int16_t)(uint16_t)((unsigned)b[0] << 8 | b[1]);
	if (type == fourcc("ui32") && size == 4)
		return (double)((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
		                b[3]);
	return NAN;
}

bool apple_temp_valid(double c)
{
	return !isnan(c) && c >= 15.0 && c <= 150.0 && c != 40.0;
}

const char *apple_temp_label(const char *name)
{
	if (!strcmp(name, "TCMb"))
		return "CPU die average";
	if (!strcmp(name, "TCMz"))
		return "CPU die max";
	return "";
}

enum temp_kind apple_temp_kind(const struct apple_temp *t)
{
	const char *n = t->name;

	if (t->source == APPLE_TEMP_SMC) {
		if (n[0] != 'T')
			return TEMP_OTHER;
		/* the firmware's CPU die average and maximum (OSHI, macmon#12) */
		if (!strcmp(n, "TCMb") || !strcmp(n, "TCMz"))
			return TEMP_CPU;
		/* Tp*: P/S cores, Te*: E cores, Tg*: GPU, Tm*: memory */
		if (n[1] == 'p' || n[1] == 'e')
			return TEMP_CPU;
		if (n[1] == 'g')
			return TEMP_GPU;
		if (n[1] == 'm')
			return TEMP_MEMORY;
		return TEMP_OTHER;
	}
	if (strstr(n, "tcal"))
		return TEMP_OTHER; /* calibration, not a temperature */
	if (!strncmp(n, "pACC", 4) || !strncmp(n, "eACC", 4))
		return TEMP_CPU;
	if (!strncmp(n, "GPU", 3))
		return TEMP_GPU;
	if (!strncmp(n, "PMU tdie", 8) || !strncmp(n, "SOC", 3) || !strncmp(n, "PMGR SOC", 8))
		return TEMP_SOC;
	return TEMP_OTHER;
}

struct cand {
	const struct apple_temp *t;
	enum temp_kind kind;
	bool die; /* TCMb, TCMz */
};

/* Die aggregates first, then each kind's hottest first. */
static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->die != y->die)
		return x->die ? -1 : 1;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->t->celsius != y->t->celsius)
		return x->t->celsius > y->t->celsius ? -1 : 1;
	return strcmp(x->t->name, y->t->name);
}

static int cmp_temp(const void *a, const void *b)
{
	return strcmp(((const struct sample_temp *)a)->sensor,
	              ((const struct sample_temp *)b)->sensor);
}

static void put(struct sample *out, const struct apple_temp *t, enum temp_kind k)
{
	struct sample_temp *st = &out->temps[out->ntemps++];

	str_copy(st->chip, sizeof st->chip, t->source == APPLE_TEMP_SMC ? "smc" : "hid");
	str_copy(st->sensor, sizeof st->sensor, t->name);
	str_copy(st->label, sizeof st->label,
	         t->source == APPLE_TEMP_SMC ? apple_temp_label(t->name) : "");
	st->kind = k;
	st->celsius = t->celsius;
}

/* The sample holds SAMPLE_MAX_TEMPS sensors: where more are believable, the die aggregates go
 * in first, then the kinds take turns, each its hottest first, so that every kind and each
 * kind's maximum is there whatever the key order. */
void apple_decode_temps(const struct apple_reading *cur, struct sample *out)
{
	struct cand *c = calloc(cur->ntemps ? cur->ntemps : 1, sizeof *c);
	size_t n = 0, next[TEMP_KIND_COUNT] = { 0 }; /* 1-based: each kind's next candidate */
	bool smc = false, more = true;

	if (!c) {
		sample_note(out, "temps", "out of memory reading the temperatures");
		return;
	}
	for (size_t i = 0; i < cur->ntemps; i++)
		smc |= cur->temp[i].source == APPLE_TEMP_SMC;
	for (size_t i = 0; i < cur->ntemps; i++) {
		const struct apple_temp *t = &cur->temp[i];
		enum temp_kind k = apple_temp_kind(t);
		/* the HID sensors are the fallback when the SMC gave nothing */
		if (k == TEMP_OTHER || (smc && t->source == APPLE_TEMP_HID) ||
		    !apple_temp_valid(t->celsius))
			continue;
		c[n++] = (struct cand){ t, k,
			                t->source == APPLE_TEMP_SMC && *apple_temp_label(t->name) };
	}
	qsort(c, n, sizeof *c, cmp_cand);
	for (size_t i = 0; i < n && out->ntemps < SAMPLE_MAX_TEMPS; i++)
		if (c[i].die)
			put(out, c[i].t, c[i].kind);
	for (size_t i = 0; i < n; i++)
		if (!c[i].die && (i == 0 || c[i - 1].die || c[i - 1].kind != c[i].kind))
			next[c[i].kind] = i + 1; /* where each kind's run starts */
	while (more && out->ntemps < SAMPLE_MAX_TEMPS) {
		more = false;
		for (unsigned k = 0; k < TEMP_KIND_COUNT && out->ntemps < SAMPLE_MAX_TEMPS; k++) {
			size_t i = next[k];
			if (!i || i - 1 >= n || c[i - 1].die || c[i - 1].kind != (enum temp_kind)k)
				continue;
			put(out, c[i - 1].t, c[i - 1].kind);
			next[k] = i + 1;
			more = true;
		}
	}
	free(c);
	qsort(out->temps, out->ntemps, sizeof out->temps[0], cmp_temp);
	if (!out->ntemps)
		sample_note(out, "temps", "no SMC or HID temperature sensor readable");
}
