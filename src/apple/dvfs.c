#include "dvfs.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/str.h"

void pmgr_free(struct pmgr *p)
{
	for (unsigned i = 0; i < p->n; i++)
		free(p->prop[i].data);
	memset(p, 0, sizeof *p);
}

int pmgr_add(struct pmgr *p, const char *key, const uint8_t *data, size_t len)
{
	struct pmgr_prop *pp;

	if (p->n == DVFS_MAX_PROPS)
		return -1;
	pp = &p->prop[p->n];
	pp->data = malloc(len ? len : 1);
	if (!pp->data)
		return -1;
	if (len)
		memcpy(pp->data, data, len);
	pp->len = len;
	str_copy(pp->key, sizeof pp->key, key);
	p->n++;
	return 0;
}

const struct pmgr_prop *pmgr_get(const struct pmgr *p, const char *key)
{
	for (unsigned i = 0; i < p->n; i++)
		if (!strcmp(p->prop[i].key, key))
			return &p->prop[i];
	return NULL;
}

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int dvfs_parse(const uint8_t *bytes, size_t len, const char *key, struct dvfs_table *out)
{
	uint32_t max = 0;
	unsigned n = (unsigned)(len / 8);

	memset(out, 0, sizeof *out);
	str_copy(out->key, sizeof out->key, key ? key : "");
	if (n == 0 || n > DVFS_MAX_ENTRIES)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		uint32_t f = le32(bytes + 8 * i);
		if (f > max)
			max = f;
	}
	if (max == 0)
		return -1;
	out->khz = max < 100000000u;
	for (unsigned i = 0; i < n; i++) {
		uint32_t f = le32(bytes + 8 * i);
		double hz = out->khz ? (double)f * 1e3 : (double)f;
		if (f && (hz < 50e6 || hz > 6e9))
			return -1; /* periods, or not a frequency table at all */
		out->hz[i] = hz;
	}
	out->n = n;
	return 0;
}

double dvfs_max_hz(const struct dvfs_table *t)
{
	double m = NAN;

	if (!t)
		return NAN;
	for (unsigned i = 0; i < t->n; i++)
		if (t->hz[i] > 0 && (isnan(m) || t->hz[i] > m))
			m = t->hz[i];
	return m;
}

static double lowest(const struct dvfs_table *t)
{
	double m = NAN;

	for (unsigned i = 0; t && i < t->n; i++)
		if (t->hz[i] > 0 && (isnan(m) || t->hz[i] < m))
			m = t->hz[i];
	return m;
}

/* The frequency of an active state: its table entry, the table's top entry for a state beyond
 * the table (an M5 Max GPU has 15 P-states for 13 frequencies, an M2 Ultra's 15 for 8: the
 * extra states are the highest, never the lowest), NAN without a table. */
static double state_hz(const char *name, const struct dvfs_table *t)
{
	char n[32];
	const char *p;
	uint64_t idx;

	str_copy(n, sizeof n, name);
	str_trim(n);
	if (n[0] == 'V' && str_parse_u64(n + 1, &p, &idx) && *p == 'P') { /* V<i>P<n> */
		if (!t || !t->n)
			return NAN;
		return idx < t->n && t->hz[idx] > 0 ? t->hz[idx] : dvfs_max_hz(t);
	}
	if (n[0] == 'P' && str_parse_u64(n + 1, &p, &idx) && !*p) { /* GPU P<n> */
		if (!t || !t->n || idx == 0)
			return NAN;
		if (t->hz[0] == 0) /* entry 0 is the OFF slot */
			return idx < t->n ? t->hz[idx] : dvfs_max_hz(t);
		return idx - 1 < t->n ? t->hz[idx - 1] : dvfs_max_hz(t);
	}
	if (str_parse_u64(n, &p, &idx) && !*p) /* a plain MHz number */
		return (double)idx * 1e6;
	return NAN;
}

/* Whether a state name is a running state at all (known shape), active or not. */
static bool known_active(const char *name)
{
	char n[32];
	const char *p;
	uint64_t idx;

	str_copy(n, sizeof n, name);
	str_trim(n);
	if (n[0] == 'V' && str_parse_u64(n + 1, &p, &idx) && *p == 'P')
		return true;
	if (n[0] == 'P' && str_parse_u64(n + 1, &p, &idx) && !*p)
		return true;
	return str_parse_u64(n, &p, &idx) && !*p;
}

void dvfs_residency(const struct ior_channel *c, const struct dvfs_table *t, double *freq_hz,
                    double *active)
{
	double total = 0, act = 0, wsum = 0, wres = 0;

	for (unsigned i = 0; i < c->nstates; i++) {
		double r = (double)c->states[i].residency, hz;
		if (r <= 0)
			continue;
		total += r;
		if (ior_inactive_state(c->states[i].name) || !known_active(c->states[i].name))
			continue;
		act += r;
		hz = state_hz(c->states[i].name, t);
		if (!isnan(hz)) {
			wsum += hz * r;
			wres += r;
		}
	}
	if (total <= 0) {
		*freq_hz = *active = NAN;
		return;
	}
	*active = act / total;
	*freq_hz = wres > 0 ? wsum / wres : lowest(t);
}

static const struct dvfs_table *table_named(const struct dvfs_set *s, const char *key)
{
	for (unsigned i = 0; i < s->ntables; i++)
		if (!strcmp(s->table[i].key, key))
			return &s->table[i];
	return NULL;
}

static const struct dvfs_table *table_number(const struct dvfs_set *s, unsigned num)
{
	char key[48];
	const struct dvfs_table *t;

	snprintf(key, sizeof key, "voltage-states%u-sram", num);
	t = table_named(s, key);
	if (t)
		return t;
	snprintf(key, sizeof key, "voltage-states%u", num);
	return table_named(s, key);
}

static int cmp_tier(const void *a, const void *b)
{
	const uint8_t *x = a, *y = b;
	return (int)x[1] - (int)y[1];
}

/* A CPU table (-sram, not the GPU's) as long as the cluster's active states, NULL for none. */
static const struct dvfs_table *by_length(const struct dvfs_set *s, unsigned states)
{
	for (unsigned k = 0; k < s->ntables; k++)
		if (&s->table[k] != s->gpu && s->table[k].n == states &&
		    strstr(s->table[k].key, "-sram") &&
		    strcmp(s->table[k].key, "voltage-states9-sram") != 0)
			return &s->table[k];
	return NULL;
}

/* acc-clusters (M5: 8-byte records, byte 0 the table number, byte 1 the tier) serves only when
 * it matches the channels: one record per cluster on every die, each naming a table as long as
 * its cluster's active states. Else NULL: the keys of M1-M4 and the table lengths decide. */
static unsigned acc_records(const struct pmgr *p, const struct dvfs_set *s,
                            const struct dvfs_cluster *cl, unsigned ncl, uint8_t rec[16][8])
{
	const struct pmgr_prop *acc = pmgr_get(p, "acc-clusters");
	unsigned nrec = 0;

	if (!acc || acc->len % 8)
		return 0;
	for (size_t off = 0; off + 8 <= acc->len && nrec < 16; off += 8)
		memcpy(rec[nrec++], acc->data + off, 8);
	qsort(rec, nrec, sizeof rec[0], cmp_tier);
	for (unsigned i = 0; i < ncl; i++) {
		unsigned pos = 0, count = 0;
		const struct dvfs_table *t;
		for (unsigned k = 0; k < ncl; k++)
			if (cl[k].die == cl[i].die) {
				pos += k < i;
				count++;
			}
		if (count != nrec)
			return 0;
		t = table_number(s, rec[pos][0]);
		if (!t || (cl[i].states && t->n != cl[i].states))
			return 0;
	}
	return nrec;
}

void dvfs_pick(const struct pmgr *p, const struct dvfs_cluster *cl, unsigned ncl,
               struct dvfs_set *out)
{
	uint8_t rec[16][8];
	unsigned nrec;

	memset(out, 0, sizeof *out);
	for (unsigned i = 0; i < p->n && out->ntables < 32; i++)
		if (!strncmp(p->prop[i].key, "voltage-states", 14) &&
		    dvfs_parse(p->prop[i].data, p->prop[i].len, p->prop[i].key,
		               &out->table[out->ntables]) == 0)
			out->ntables++;
	out->gpu = table_named(out, "voltage-states9-sram");
	if (!out->gpu)
		out->gpu = table_named(out, "voltage-states9");
	if (ncl > SAMPLE_MAX_CLUSTERS)
		ncl = SAMPLE_MAX_CLUSTERS;
	nrec = acc_records(p, out, cl, ncl, rec);
	for (unsigned i = 0; i < ncl; i++) {
		const struct dvfs_table *t;
		unsigned pos = 0;
		char want[48];

		/* position of this cluster among its die's clusters (they come in tier order) */
		for (unsigned k = 0; k < i; k++)
			if (cl[k].die == cl[i].die)
				pos++;
		if (nrec)
			snprintf(want, sizeof want, "voltage-states%u-sram", rec[pos][0]);
		else
			snprintf(want, sizeof want, "voltage-states%d-sram",
			         cl[i].kind == CLUSTER_EFFICIENCY ? 1 : 5);
		t = nrec ? table_number(out, rec[pos][0]) : table_named(out, want);
		/* the table's length is checked against the states every time: a key that names
		 * a table of another length (M2 Pro/Max keep a 19-step table beside the 17-step
		 * one) gives way to the table of the right length */
		if (cl[i].states && (!t || t->n != cl[i].states)) {
			const struct dvfs_table *fit = by_length(out, cl[i].states);
			if (fit)
				t = fit;
			else if (t)
				snprintf(out->why, sizeof out->why,
				         "the %s cluster's %s has %u entries for %u states",
				         cluster_kind_name(cl[i].kind), t->key, t->n, cl[i].states);
		}
		if (!t)
			snprintf(out->why, sizeof out->why,
			         "no DVFS table for the %s cluster in pmgr (%s)",
			         cluster_kind_name(cl[i].kind), want);
		out->cluster[i] = t;
	}
	if (!out->gpu && !out->why[0])
		snprintf(out->why, sizeof out->why, "no GPU DVFS table (voltage-states9) in pmgr");
}

int hex_decode(const char *hex, uint8_t **out, size_t *len)
{
	size_t n = 0, cap = strlen(hex) / 2 + 1;
	uint8_t *b = malloc(cap);
	int hi = -1;

	if (!b)
		return -1;
	for (const char *p = hex; *p; p++) {
		int v;
		if (isspace((unsigned char)*p))
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			v = *p - 'A' + 10;
		else {
			free(b);
			return -1;
		}
		if (hi < 0) {
			hi = v;
		} else {
			b[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		free(b);
		return -1;
	}
	*out = b;
	*len = n;
	return 0;
}

char *hex_encode(const uint8_t *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(len * 2 + 1);

	if (!s)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		s[2 * i] = digits[data[i] >> 4];
		s[2 * i + 1] = digits[data[i] & 15];
	}
	s[len * 2] = '\0';
	return s;
}
