/* test_apple_decode.c - the pure Apple decoder: units, DVFS tables, residencies, channel names,
 * and whole dumps of five chips decoded to the values their captures show (within 1 %).
 *
 * Expected numbers come from the captures in tests/data/apple (sources in tests/data/README.md),
 * named at each test: powermetrics plists (M1), all-smi's M1 Ultra fixtures, socpwrbud's M3 Pro
 * output, the M4 Max GPUPH notebook, sscope-cli's M5 Max probe. Raw bytes are read from
 * tests/data at run time; the dumps in tests/dumps were built from the same captures by
 * tests/dumps/make_dumps.py. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apple/decode.h"
#include "apple/dump.h"
#include "apple/dvfs.h"
#include "apple/ior.h"
#include "export/text.h"
#include "testutil.h"

#define MHZ 1e6

/* |got - want| within rel of want (1 % unless said) */
static void near_rel(double got, double want, double rel, const char *what)
{
	if (isnan(got) || fabs(got - want) > fabs(want) * rel)
		fail_msg("%s: got %.6g, want %.6g (within %.2g %%)", what, got, want, rel * 100);
}
#define NEAR(got, want, what) near_rel((got), (want), 0.01, (what))

/* ---- units, dies, states ---- */

static void test_ior_joules(void **state)
{
	(void)state;
	assert_true(ior_joules(1500, "mJ") == 1.5);
	assert_true(ior_joules(2500000, "uJ") == 2.5);
	assert_true(ior_joules(2500000, "\xc2\xb5J") == 2.5); /* µJ */
	assert_true(ior_joules(7000000000, "nJ") == 7.0);
	assert_true(ior_joules(3000000000000LL, "pJ") == 3.0);
	assert_true(ior_joules(4, "J") == 4.0);
	assert_true(ior_joules(1500, "  mJ ") == 1.5); /* labels may carry padding */
	assert_true(isnan(ior_joules(IOR_NO_VALUE, "mJ")));
	assert_true(isnan(ior_joules(10, "events")));
	assert_true(isnan(ior_joules(10, "24Mticks")));
	assert_true(isnan(ior_joules(10, "")));
}

static void test_ior_die_and_states(void **state)
{
	const char *rest;

	(void)state;
	assert_int_equal(ior_die("DIE_1_PCPU_CPU0", &rest), 1);
	assert_string_equal(rest, "PCPU_CPU0");
	assert_int_equal(ior_die("DIE_0_CPU Energy", &rest), 0);
	assert_string_equal(rest, "CPU Energy");
	assert_int_equal(ior_die("PCPU13", &rest), 0);
	assert_string_equal(rest, "PCPU13");
	assert_int_equal(ior_die("DIE_x", &rest), 0); /* not a die prefix */
	assert_string_equal(rest, "DIE_x");

	assert_true(ior_inactive_state("IDLE"));
	assert_true(ior_inactive_state("DOWN"));
	assert_true(ior_inactive_state("OFF"));
	assert_false(ior_inactive_state("V0P14"));
	assert_false(ior_inactive_state("P1"));
}

static struct ior_channel *state_ch(struct ior_sample *s, const char *name, unsigned n,
                                    const char *const names[], const int64_t res[])
{
	struct ior_channel *c =
	    ior_add(s, "CPU Stats", "CPU Core Performance States", name, "24Mticks", IOR_STATE);
	assert_non_null(c);
	assert_int_equal(ior_add_states(c, n), 0);
	for (unsigned i = 0; i < n; i++) {
		snprintf(c->states[i].name, sizeof c->states[i].name, "%s", names[i]);
		c->states[i].residency = res[i];
	}
	return c;
}

static void test_ior_delta(void **state)
{
	static const char *const names[] = { "IDLE", "V0P1", "V1P0" };
	static const int64_t r0[] = { 100, 50, 10 }, r1[] = { 160, 40, 30 };
	struct ior_sample a, b, d;
	struct ior_channel *c;

	(void)state;
	ior_sample_init(&a);
	ior_sample_init(&b);
	ior_sample_init(&d);
	state_ch(&a, "ECPU0", 3, names, r0);
	state_ch(&b, "ECPU0", 3, names, r1);
	c = ior_add(&a, "Energy Model", "", "CPU Energy", "mJ", IOR_SIMPLE);
	c->value = 1000;
	c = ior_add(&b, "Energy Model", "", "CPU Energy", "mJ", IOR_SIMPLE);
	c->value = 1750;
	c = ior_add(&a, "Energy Model", "", "ANE0", "mJ", IOR_SIMPLE);
	c->value = 5;
	c = ior_add(&b, "Energy Model", "", "ANE0", "mJ", IOR_SIMPLE);
	c->value = IOR_NO_VALUE; /* unpopulated now */
	c = ior_add(&b, "Energy Model", "", "DRAM0", "mJ", IOR_SIMPLE);
	c->value = 42; /* only in the later sample: no delta, never a spike from zero */

	assert_int_equal(ior_delta(&a, &b, &d), 0);
	assert_int_equal(d.n, 4);
	assert_string_equal(d.ch[0].name, "ECPU0");
	assert_int_equal(d.ch[0].states[0].residency, 60);
	assert_int_equal(d.ch[0].states[1].residency, 0); /* went backwards: never below 0 */
	assert_int_equal(d.ch[0].states[2].residency, 20);
	assert_int_equal(d.ch[1].value, 750);
	assert_true(d.ch[2].value == IOR_NO_VALUE);
	assert_true(d.ch[3].value == IOR_NO_VALUE);
	ior_sample_free(&a);
	ior_sample_free(&b);
	ior_sample_free(&d);
}

/* ---- DVFS tables ---- */

static uint8_t *table_bytes(const double *v, unsigned n, double unit, size_t *len)
{
	uint8_t *b = calloc(n, 8);

	assert_non_null(b);
	for (unsigned i = 0; i < n; i++) {
		uint32_t f = (uint32_t)llround(v[i] / unit), volt = 700 + 10 * i;
		for (unsigned k = 0; k < 4; k++) {
			b[i * 8 + k] = (uint8_t)(f >> (8 * k));
			b[i * 8 + 4 + k] = (uint8_t)(volt >> (8 * k));
		}
	}
	*len = n * 8u;
	return b;
}

static void test_dvfs_parse_units(void **state)
{
	/* M1's E table (Hz) and M4 Pro's E table start (kHz): seed tables of the spec */
	static const double e_m1[] = { 600 * MHZ, 972 * MHZ, 1332 * MHZ, 1704 * MHZ, 2064 * MHZ };
	static const double p_m4[] = { 1020 * MHZ, 1404 * MHZ, 4512 * MHZ };
	struct dvfs_table t;
	size_t len;
	uint8_t *b;

	(void)state;
	b = table_bytes(e_m1, 5, 1, &len);
	assert_int_equal(dvfs_parse(b, len, "voltage-states1-sram", &t), 0);
	assert_int_equal(t.n, 5);
	assert_false(t.khz);
	assert_true(t.hz[0] == 600 * MHZ);
	assert_true(dvfs_max_hz(&t) == 2064 * MHZ);
	free(b);

	/* 4512 MHz does not fit a u32 in Hz: M4 and M5 CPU tables are kHz */
	b = table_bytes(p_m4, 3, 1e3, &len);
	assert_int_equal(dvfs_parse(b, len, "voltage-states5-sram", &t), 0);
	assert_true(t.khz);
	assert_true(t.hz[2] == 4512 * MHZ);
	free(b);

	/* a GPU table keeps its 0 Hz OFF slot */
	{
		static const double g[] = { 0, 396 * MHZ, 1278 * MHZ };
		b = table_bytes(g, 3, 1, &len);
		assert_int_equal(dvfs_parse(b, len, "voltage-states9", &t), 0);
		assert_int_equal(t.n, 3);
		assert_true(t.hz[0] == 0 && t.hz[1] == 396 * MHZ);
		free(b);
	}

	/* a length that is not whole records, an empty table, absurd values */
	{
		static const uint8_t odd[12] = { 0 };
		static const double absurd[] = { 600 * MHZ, 9000 * MHZ };
		assert_int_equal(dvfs_parse(odd, sizeof odd, "voltage-states1-sram", &t), -1);
		assert_int_equal(dvfs_parse(odd, 0, "voltage-states1-sram", &t), -1);
		b = table_bytes(absurd, 2, 1e3, &len);
		assert_int_equal(dvfs_parse(b, len, "voltage-states1-sram", &t), -1);
		free(b);
	}
}

/* Every "0xNN" byte of a file's lines before any "//" or "#" comment. */
static size_t hex_tokens(const char *text, uint8_t *out, size_t cap)
{
	size_t n = 0;
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n'), *p = line;
		size_t ll = end ? (size_t)(end - line) : strlen(line);
		if (*line != '#') {
			while (p < line + ll && n < cap) {
				if (p[0] == '/' && p[1] == '/')
					break;
				if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
					out[n++] = (uint8_t)strtoul(p + 2, NULL, 16);
					p += 4;
				} else {
					p++;
				}
			}
		}
		line = end ? end + 1 : NULL;
	}
	return n;
}

/* The hex of `"key" = <...>` in an ioreg listing. */
static uint8_t *ioreg_prop(const char *text, const char *key, size_t *len)
{
	char pat[64];
	const char *p, *e;
	char *hex;
	uint8_t *bytes = NULL;

	snprintf(pat, sizeof pat, "\"%s\" = <", key);
	p = strstr(text, pat);
	if (!p)
		fail_msg("no %s in the ioreg capture", key);
	p += strlen(pat);
	e = strchr(p, '>');
	assert_non_null(e);
	hex = strndup(p, (size_t)(e - p));
	assert_int_equal(hex_decode(hex, &bytes, len), 0);
	free(hex);
	return bytes;
}

/* Real pmgr bytes: M5 MacBook Air voltage-states5-sram (kHz), M5 Max period and GPU tables
 * (macmon#47), M4 Pro voltage-states1-sram (stats#2285), M1 Ultra's period table (all-smi). */
static void test_dvfs_parse_real_bytes(void **state)
{
	const char *path;
	char *text;
	uint8_t bytes[256], *b;
	size_t n, len;
	struct dvfs_table t;

	(void)state;
	path = data_path("apple/pmgr_voltage_states5_sram_m5_macbookair_first3.txt");
	text = read_file(path, NULL);
	assert_non_null(text);
	n = hex_tokens(strchr(text, '\n') + 1, bytes, sizeof bytes);
	assert_int_equal(n, 24);
	assert_int_equal(dvfs_parse(bytes, n, "voltage-states5-sram", &t), 0);
	assert_true(t.khz);
	assert_int_equal(t.n, 3);
	assert_true(t.hz[0] == 1308 * MHZ && t.hz[1] == 1608 * MHZ && t.hz[2] == 1932 * MHZ);
	free(text);

	path = data_path("apple/issue_excerpts/ioreg_pmgr_m5max_issue47_excerpt.txt");
	text = read_file(path, NULL);
	assert_non_null(text);
	/* voltage-states5 holds periods (65536e9 / f): refused, never read as MHz */
	b = ioreg_prop(text, "voltage-states5", &len);
	assert_int_equal(len % 8, 0);
	assert_int_equal(dvfs_parse(b, len, "voltage-states5", &t), -1);
	free(b);
	/* the GPU-domain tables are Hz with the leading OFF slot: 0, 338 ... 1620 MHz */
	b = ioreg_prop(text, "voltage-states14", &len);
	assert_int_equal(dvfs_parse(b, len, "voltage-states14", &t), 0);
	assert_false(t.khz);
	assert_int_equal(t.n, 14);
	assert_true(t.hz[0] == 0);
	assert_true(t.hz[1] == 338 * MHZ);
	assert_true(t.hz[13] == 1620 * MHZ);
	free(b);
	b = ioreg_prop(text, "voltage-states16-sram", &len);
	assert_int_equal(dvfs_parse(b, len, "voltage-states16-sram", &t), 0);
	assert_true(dvfs_max_hz(&t) == 1620 * MHZ);
	free(b);
	free(text);

	path = data_path(
	    "apple/issue_excerpts/stats_issue2285_m4pro_voltage_states1_sram_hex_excerpt.txt");
	text = read_file(path, NULL);
	assert_non_null(text);
	{
		/* "00000000: 60 90 0F 00 ..." cut mid-record: keep whole records */
		const char *p = strstr(text, "00000000:");
		n = 0;
		assert_non_null(p);
		p += 9;
		while (*p && *p != '\n' && n < sizeof bytes) {
			char *end;
			unsigned long v = strtoul(p, &end, 16);
			if (end == p)
				break;
			bytes[n++] = (uint8_t)v;
			p = end;
		}
		n -= n % 8;
		assert_int_equal(n, 24);
		assert_int_equal(dvfs_parse(bytes, n, "voltage-states1-sram", &t), 0);
		assert_true(t.khz);
		assert_true(t.hz[0] == 1020 * MHZ && t.hz[1] == 1404 * MHZ &&
		            t.hz[2] == 1788 * MHZ);
	}
	free(text);

	path = data_path("apple/m1ultra_allsmi_pmgr_and_residency_fixtures.txt");
	text = read_file(path, NULL);
	assert_non_null(text);
	{
		const char *p = strstr(text, "let periods: Vec<u64> = vec![");
		double periods[32];
		unsigned np = 0;
		assert_non_null(p);
		p = strchr(p, '[') + 1;
		while (np < 32) {
			char *end;
			double v = strtod(p, &end);
			if (end == p)
				break;
			periods[np++] = v;
			p = end;
			while (*p == ',' || *p == ' ' || *p == '\n')
				p++;
		}
		assert_int_equal(np, 15);
		b = table_bytes(periods, np, 1, &len);
		assert_int_equal(dvfs_parse(b, len, "voltage-states5", &t), -1);
		free(b);
	}
	free(text);
}

static struct ior_channel mk_channel(struct ior_state *st, unsigned n)
{
	struct ior_channel c;

	memset(&c, 0, sizeof c);
	c.format = IOR_STATE;
	c.nstates = n;
	c.states = st;
	return c;
}

static void set_states(struct ior_state *st, const char *const names[], const int64_t res[],
                       unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		snprintf(st[i].name, sizeof st[i].name, "%s", names[i]);
		st[i].residency = res[i];
	}
}

static void test_dvfs_residency(void **state)
{
	struct dvfs_table t = { .n = 3, .hz = { 600 * MHZ, 1000 * MHZ, 2000 * MHZ } };
	struct ior_state st[8];
	struct ior_channel c;
	double f, a;

	(void)state;
	{ /* V<i> picks entry i; DOWN and IDLE are inactive */
		static const char *const nm[] = { "DOWN", "IDLE", "V0P2", "V1P1", "V2P0" };
		static const int64_t r[] = { 100, 100, 0, 150, 50 };
		set_states(st, nm, r, 5);
		c = mk_channel(st, 5);
		dvfs_residency(&c, &t, &f, &a);
		assert_true(fabs(f - (1000 * 150 + 2000 * 50) / 200.0 * MHZ) < 1);
		assert_true(fabs(a - 0.5) < 1e-12);
	}
	{ /* more states than entries: the extra one is active but not in the mean */
		static const char *const nm[] = { "IDLE", "V0P3", "V1P2", "V2P1", "V3P0" };
		static const int64_t r[] = { 0, 0, 0, 100, 100 };
		set_states(st, nm, r, 5);
		c = mk_channel(st, 5);
		dvfs_residency(&c, &t, &f, &a);
		assert_true(f == 2000 * MHZ);
		assert_true(a == 1.0);
	}
	{ /* no active time: parked at the lowest entry, 0 % */
		static const char *const nm[] = { "IDLE", "V0P1", "V1P0" };
		static const int64_t r[] = { 500, 0, 0 };
		set_states(st, nm, r, 3);
		c = mk_channel(st, 3);
		dvfs_residency(&c, &t, &f, &a);
		assert_true(f == 600 * MHZ);
		assert_true(a == 0.0);
		dvfs_residency(&c, NULL, &f, &a); /* without a table */
		assert_true(isnan(f));
		assert_true(a == 0.0);
	}
	{ /* no time at all */
		static const char *const nm[] = { "IDLE", "V0P1" };
		static const int64_t r[] = { 0, 0 };
		set_states(st, nm, r, 2);
		c = mk_channel(st, 2);
		dvfs_residency(&c, &t, &f, &a);
		assert_true(isnan(f) && isnan(a));
	}
	{ /* GPU: P<n> is entry n of a table with the OFF slot; never sorted (M4 Max P10>P11) */
		struct dvfs_table g = { .n = 4, .hz = { 0, 338 * MHZ, 1312 * MHZ, 1242 * MHZ } };
		static const char *const nm[] = { "OFF", "P1", "P2", "P3" };
		static const int64_t r[] = { 50, 0, 25, 25 };
		set_states(st, nm, r, 4);
		c = mk_channel(st, 4);
		dvfs_residency(&c, &g, &f, &a);
		assert_true(fabs(f - (1312 + 1242) / 2.0 * MHZ) < 1);
		assert_true(a == 0.5);
	}
}

/* all-smi's real M1 Ultra residencies (DIE_0_PCPU_CPU0, DIE_0_ECPU_CPU0) against its tables:
 * 3226 MHz at 72.10 %, 1846 MHz at 73.14 %. */
static unsigned fixture_residencies(const char *text, const char *after, struct ior_state *st)
{
	const char *p = strstr(text, after), *end;
	unsigned n = 0;

	assert_non_null(p);
	p = strstr(p, "residencies(&[");
	assert_non_null(p);
	end = strstr(p, "]);");
	assert_non_null(end);
	while ((p = strstr(p, "(\"")) && p < end && n < 32) {
		const char *q = strchr(p + 2, '"');
		size_t len = (size_t)(q - (p + 2));
		assert_true(len < sizeof st[n].name);
		memcpy(st[n].name, p + 2, len);
		st[n].name[len] = '\0';
		st[n].residency = strtoll(q + 2, NULL, 10);
		n++;
		p = q;
	}
	return n;
}

static void test_dvfs_residency_real_m1ultra(void **state)
{
	struct dvfs_table p = { .n = 15,
		                .hz = { 600 * MHZ, 828 * MHZ, 1056 * MHZ, 1296 * MHZ, 1524 * MHZ,
		                        1752 * MHZ, 1980 * MHZ, 2208 * MHZ, 2448 * MHZ, 2676 * MHZ,
		                        2904 * MHZ, 3036 * MHZ, 3132 * MHZ, 3168 * MHZ,
		                        3228 * MHZ } };
	struct dvfs_table e = {
		.n = 5, .hz = { 600 * MHZ, 972 * MHZ, 1332 * MHZ, 1704 * MHZ, 2064 * MHZ }
	};
	struct ior_state st[32];
	struct ior_channel c;
	char *text;
	unsigned n;
	double f, a;

	(void)state;
	text = read_file(data_path("apple/m1ultra_allsmi_pmgr_and_residency_fixtures.txt"), NULL);
	assert_non_null(text);
	n = fixture_residencies(text, "fn test_p_cluster_frequency_from_real_m1_ultra_sample", st);
	assert_int_equal(n, 16);
	c = mk_channel(st, n);
	dvfs_residency(&c, &p, &f, &a);
	assert_true(fabs(f / MHZ - 3226) < 1);
	assert_true(fabs(a * 100 - 72.10) < 0.01);

	n = fixture_residencies(text, "fn test_e_cluster_frequency_from_real_m1_ultra_sample", st);
	assert_int_equal(n, 6);
	c = mk_channel(st, n);
	dvfs_residency(&c, &e, &f, &a);
	assert_true(fabs(f / MHZ - 1846) < 1);
	assert_true(fabs(a * 100 - 73.14) < 0.01);
	free(text);
}

static void add_table(struct pmgr *pm, const char *key, const double *mhz, unsigned n, double unit)
{
	double hz[DVFS_MAX_ENTRIES];
	size_t len;
	uint8_t *b;

	for (unsigned i = 0; i < n; i++)
		hz[i] = mhz[i] * MHZ;
	b = table_bytes(hz, n, unit, &len);
	assert_int_equal(pmgr_add(pm, key, b, len), 0);
	free(b);
}

static void test_dvfs_pick(void **state)
{
	static const double m_tab[] = { 1344, 1644, 1992, 2304, 2652, 2964, 3240, 3504,
		                        3696, 3876, 4043, 4176, 4284, 4308, 4380 };
	static const double s_tab[] = {
		1308, 1620, 1980, 2292, 2580, 2880, 3180, 3432, 3648, 3828,
		3984, 4104, 4188, 4236, 4284, 4308, 4332, 4428, 4512, 4608
	};
	static const double e_tab[] = { 972, 1152, 1584, 1992, 2352, 2700, 2964, 3048 };
	static const double gpu[] = { 0,    338,  486,  636,  796,  888,  988,
		                      1084, 1182, 1278, 1374, 1470, 1578, 1620 };
	static const uint8_t acc[] = { 22, 0, 0, 0, 0, 0, 0, 0, 23, 1, 0, 0,
		                       0,  0, 0, 0, 5, 2, 0, 0, 0,  0, 0, 0 };
	struct pmgr pm = { 0 };
	struct dvfs_set set;

	(void)state;
	/* M5 Max: acc-clusters says 22, 23 (tiers 0, 1: MCPU0, MCPU1) and 5 (tier 2: super) */
	add_table(&pm, "voltage-states22-sram", m_tab, 15, 1e3);
	add_table(&pm, "voltage-states23-sram", m_tab, 15, 1e3);
	add_table(&pm, "voltage-states5-sram", s_tab, 20, 1e3);
	add_table(&pm, "voltage-states9-sram", gpu, 14, 1);
	assert_int_equal(pmgr_add(&pm, "acc-clusters", acc, sizeof acc), 0);
	{
		struct dvfs_cluster cl[] = { { CLUSTER_PERFORMANCE, 0, 15 },
			                     { CLUSTER_PERFORMANCE, 0, 15 },
			                     { CLUSTER_SUPER, 0, 20 } };
		dvfs_pick(&pm, cl, 3, &set);
		assert_non_null(set.cluster[0]);
		assert_string_equal(set.cluster[0]->key, "voltage-states22-sram");
		assert_string_equal(set.cluster[1]->key, "voltage-states23-sram");
		assert_string_equal(set.cluster[2]->key, "voltage-states5-sram");
		assert_true(dvfs_max_hz(set.cluster[2]) == 4608 * MHZ);
		assert_non_null(set.gpu);
		assert_string_equal(set.gpu->key, "voltage-states9-sram");
	}
	pmgr_free(&pm);

	/* base M5: voltage-states1-sram (E) and 5-sram (S), no 22 and no acc-clusters */
	memset(&pm, 0, sizeof pm);
	add_table(&pm, "voltage-states1-sram", e_tab, 8, 1e3);
	add_table(&pm, "voltage-states5-sram", s_tab, 20, 1e3);
	{
		struct dvfs_cluster cl[] = { { CLUSTER_EFFICIENCY, 0, 8 },
			                     { CLUSTER_SUPER, 0, 20 } };
		dvfs_pick(&pm, cl, 2, &set);
		assert_string_equal(set.cluster[0]->key, "voltage-states1-sram");
		assert_string_equal(set.cluster[1]->key, "voltage-states5-sram");
		assert_null(set.gpu); /* and the reason is kept */
		assert_non_null(strstr(set.why, "voltage-states9"));
	}
	pmgr_free(&pm);

	/* a missing E key: the -sram table whose length matches the cluster's states (not the
	 * GPU's), as all-smi does; none matching leaves the cluster without a table */
	memset(&pm, 0, sizeof pm);
	add_table(&pm, "voltage-states5-sram", s_tab, 20, 1e3);
	add_table(&pm, "voltage-states9-sram", gpu, 14, 1);
	add_table(&pm, "voltage-states17-sram", e_tab, 8, 1e3);
	{
		struct dvfs_cluster cl[] = { { CLUSTER_EFFICIENCY, 0, 8 },
			                     { CLUSTER_EFFICIENCY, 1, 14 },
			                     { CLUSTER_PERFORMANCE, 0, 20 } };
		dvfs_pick(&pm, cl, 3, &set);
		assert_string_equal(set.cluster[0]->key, "voltage-states17-sram");
		assert_null(set.cluster[1]);
		assert_string_equal(set.cluster[2]->key, "voltage-states5-sram");
		assert_non_null(strstr(set.why, "voltage-states1-sram"));
	}
	pmgr_free(&pm);
}

static void test_hex(void **state)
{
	static const uint8_t b[] = { 0x00, 0x7d, 0xff, 0x10 };
	uint8_t *out;
	size_t len;
	char *h;

	(void)state;
	h = hex_encode(b, sizeof b);
	assert_string_equal(h, "007dff10");
	assert_int_equal(hex_decode("007DFF10", &out, &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(out, b, 4);
	free(out);
	free(h);
	assert_int_equal(hex_decode("abc", &out, &len), -1);
	assert_int_equal(hex_decode("zz", &out, &len), -1);
}

/* ---- channel names and host readings ---- */

static void core_is(const char *name, const char *key, unsigned core)
{
	char k[16];
	unsigned c = 99;

	if (!apple_core_channel(name, k, sizeof k, &c))
		fail_msg("%s: not read as a core channel", name);
	if (strcmp(k, key) || c != core)
		fail_msg("%s: got %s core %u, want %s core %u", name, k, c, key, core);
}

static void test_core_channel_names(void **state)
{
	char k[16];
	unsigned c;

	(void)state;
	core_is("ECPU2", "ECPU", 2);
	core_is("PCPU3", "PCPU", 3);
	core_is("PCPU13", "PCPU1", 3);  /* M1-M4 Pro/Max: the second P cluster */
	core_is("PCPU130", "PCPU1", 3); /* 3-digit form */
	core_is("PCPU100", "PCPU1", 0);
	core_is("MCPU05", "MCPU0", 5); /* M5 */
	core_is("MCPU12", "MCPU1", 2);
	core_is("PCPU_CPU3", "PCPU", 3); /* Ultra, prefix removed */
	core_is("PCPU1_CPU0", "PCPU1", 0);
	core_is("ECPU_CPU1", "ECPU", 1);
	/* cluster and fabric channels are not cores */
	assert_false(apple_core_channel("ECPU", k, sizeof k, &c));
	assert_false(apple_core_channel("PCPM", k, sizeof k, &c));
	assert_false(apple_core_channel("MCPM0", k, sizeof k, &c));
	assert_false(apple_core_channel("GPUPH", k, sizeof k, &c));
}

static void test_host_pieces(void **state)
{
	/* Activity Monitor: (internal - purgeable + wired + compressed) x page size */
	struct apple_vm vm = { .have = true,
		               .internal = 1000,
		               .purgeable = 100,
		               .wire = 300,
		               .compressor = 50,
		               .external = 400,
		               .free = 99 };
	struct apple_temp t = { APPLE_TEMP_SMC, "Tp01", 50 };

	(void)state;
	assert_true(apple_memory_used(&vm, 16384) == (1000 - 100 + 300 + 50) * 16384.0);
	vm.purgeable = 2000; /* never below wired + compressed */
	assert_true(apple_memory_used(&vm, 16384) == (300 + 50) * 16384.0);

	assert_int_equal(apple_thermal(0), THERMAL_NOMINAL);
	assert_int_equal(apple_thermal(1), THERMAL_FAIR);
	assert_int_equal(apple_thermal(2), THERMAL_SERIOUS);
	assert_int_equal(apple_thermal(3), THERMAL_CRITICAL);
	assert_int_equal(apple_thermal(4), THERMAL_CRITICAL);
	assert_int_equal(apple_thermal(-1), THERMAL_UNKNOWN);
	assert_int_equal(apple_thermal(9), THERMAL_UNKNOWN);

	assert_int_equal(apple_temp_kind(&t), TEMP_CPU);
	snprintf(t.name, sizeof t.name, "Te05");
	assert_int_equal(apple_temp_kind(&t), TEMP_CPU);
	snprintf(t.name, sizeof t.name, "Tg0G");
	assert_int_equal(apple_temp_kind(&t), TEMP_GPU);
	snprintf(t.name, sizeof t.name, "TT01"); /* garbage family */
	assert_int_equal(apple_temp_kind(&t), TEMP_OTHER);
	t.source = APPLE_TEMP_HID;
	snprintf(t.name, sizeof t.name, "pACC MTR Temp Sensor2");
	assert_int_equal(apple_temp_kind(&t), TEMP_CPU);
	snprintf(t.name, sizeof t.name, "GPU MTR Temp Sensor1");
	assert_int_equal(apple_temp_kind(&t), TEMP_GPU);
	snprintf(t.name, sizeof t.name, "PMU tcal"); /* calibration, not a temperature */
	assert_int_equal(apple_temp_kind(&t), TEMP_OTHER);
	snprintf(t.name, sizeof t.name, "PMU tdie3");
	assert_int_equal(apple_temp_kind(&t), TEMP_SOC);

	assert_true(apple_temp_valid(45.5));
	assert_false(apple_temp_valid(0));
	assert_false(apple_temp_valid(-4));
	assert_false(apple_temp_valid(40.0)); /* the idle M4 Max sentinel */
	assert_false(apple_temp_valid(151));
	assert_false(apple_temp_valid(NAN));

	assert_true(apple_bw_bucket("  32GB/s") == 32e9);
	assert_true(apple_bw_bucket("   1GB/s") == 1e9);
	assert_true(isnan(apple_bw_bucket("IDLE")));
	assert_true(isnan(apple_bw_bucket("GB/s")));

	assert_int_equal(apple_macos_major("macOS 26.4.1"), 26);
	assert_int_equal(apple_macos_major("macOS 27.0"), 27);
	assert_int_equal(apple_macos_major("Linux 6.1"), 0);
}

/* HID sensor names from a real M1 MacBook Air are classified, and tcal is never shown. */
static void test_hid_names_real(void **state)
{
	char *text;
	unsigned cpu = 0, gpu = 0, other = 0;

	(void)state;
	text = read_file(data_path("apple/hid_temperature_sensors_m1_macbookair.txt"), NULL);
	assert_non_null(text);
	for (const char *p = text; (p = strstr(p, "(\"")) != NULL;) {
		struct apple_temp t = { .source = APPLE_TEMP_HID };
		const char *q = strchr(p + 2, '"');
		assert_non_null(q);
		snprintf(t.name, sizeof t.name, "%.*s", (int)(q - (p + 2)), p + 2);
		t.celsius = strtod(q + 2, NULL);
		p = q;
		switch (apple_temp_kind(&t)) {
		case TEMP_CPU:
		case TEMP_CPU_CORE:
			cpu++;
			break;
		case TEMP_GPU:
			gpu++;
			break;
		default:
			other++;
		}
		if (strstr(t.name, "tcal"))
			assert_int_equal(apple_temp_kind(&t), TEMP_OTHER);
		if (t.celsius < 0) /* PMU tdev1 reads -21.7: never shown */
			assert_false(apple_temp_valid(t.celsius));
	}
	print_message("HID sensors: %u CPU, %u GPU, %u other\n", cpu, gpu, other);
	/* eACC MTR Temp Sensor0/3 (the Air's set has no pACC), GPU MTR Temp Sensor1/4 */
	assert_int_equal(cpu, 2);
	assert_int_equal(gpu, 2);
	free(text);
}

/* ---- dumps ---- */

struct decoded {
	struct apple_dump d;
	unsigned n;
	struct sample s[4];
};

static void decode_dump(const char *name, struct decoded *r)
{
	char path[512];
	struct apple_decoder dec;
	struct error err;

	snprintf(path, sizeof path, "%s/tests/dumps/%s.json", AGTOP_SOURCE_DIR, name);
	if (apple_dump_load(path, &r->d, &err))
		fail_msg("%s: %s", path, err.msg);
	assert_true(r->d.nreadings >= 2 && r->d.nreadings <= 5);
	assert_int_equal(apple_decoder_init(&dec, &r->d.host, &r->d.pmgr), 0);
	r->n = r->d.nreadings - 1;
	for (unsigned i = 0; i < r->n; i++) {
		sample_init(&r->s[i]);
		assert_int_equal(apple_decode(&dec, &r->d.reading[i], &r->d.reading[i + 1],
		                              r->d.group, r->d.ngroups, &r->s[i]),
		                 0);
	}
	apple_decoder_free(&dec);
}

static void decoded_free(struct decoded *r)
{
	for (unsigned i = 0; i < r->n; i++)
		sample_free(&r->s[i]);
	apple_dump_free(&r->d);
}

static const struct sample_core *core_n(const struct sample *s, int cpu)
{
	for (size_t i = 0; i < s->ncores; i++)
		if (s->cores[i].cpu == cpu)
			return &s->cores[i];
	fail_msg("no cpu%d", cpu);
	return NULL;
}

/* The cluster's cores are exactly the OS CPUs first..first+n-1, in order. */
static void cluster_cpus(const struct sample *s, const char *name, enum cluster_kind kind, int die,
                         int first, unsigned n)
{
	const struct sample_cluster *c = sample_cluster_named(s, name);

	assert_int_equal(c->kind, kind);
	assert_int_equal(c->die, die);
	assert_int_equal(c->ncores, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(s->cores[c->first_core + i].cpu, first + (int)i);
		assert_int_equal(s->cores[c->first_core + i].cluster, c - s->clusters);
	}
}

/* M1 (MacBookPro17,1): both powermetrics plists. Cluster "freq_hz" and "idle_ratio", per-CPU
 * "freq_hz" and "idle_ratio", GPU "freq_hz" (MHz) and "idle_ratio", cpu_energy / gpu_energy
 * (mJ) over elapsed_ns. */
static void test_dump_m1(void **state)
{
	static const struct {
		double e_mhz, e_act, p_mhz, p_act, gpu_mhz, gpu_act, cpu_w, gpu_w;
		double core_mhz[8], core_act[8];
	} want[2] = {
		{ 1022.87,
		  1 - 0.772993,
		  618.173,
		  1 - 0.983957,
		  714.836,
		  1 - 0.983341,
		  0.0440773,
		  0.031 / 2.01917875,
		  { 1046, 1057, 1085, 1011, 1026, 1030, 1034, 1015 },
		  { 0.0922, 0.0924, 0.0934, 0.053, 0.0116, 0.0107, 0.0031, 0.0047 } },
		{ 1280.45,
		  1 - 0.487248,
		  630.433,
		  1 - 0.972265,
		  715.009,
		  1 - 0.940204,
		  0.102663,
		  0.010 / 0.525992374,
		  { 1350, 1399, 1314, 1357, 917, 1002, 840, 600 },
		  { 0.2724, 0.2125, 0.1895, 0.1296, 0.0213, 0.0105, 0.0008, 0.0001 } },
	};
	struct decoded r;

	(void)state;
	decode_dump("m1", &r);
	assert_int_equal(r.n, 2);
	for (unsigned i = 0; i < 2; i++) {
		const struct sample *s = &r.s[i];
		assert_string_equal(s->host.chip, "Apple M1");
		assert_int_equal(s->host.gpu_cores, 8);
		assert_int_equal(s->nclusters, 2);
		cluster_cpus(s, "E-CPU", CLUSTER_EFFICIENCY, 0, 0, 4);
		cluster_cpus(s, "P-CPU", CLUSTER_PERFORMANCE, 0, 4, 4);
		NEAR(sample_cluster_named(s, "E-CPU")->freq_hz, want[i].e_mhz * MHZ, "E-CPU MHz");
		NEAR(sample_cluster_named(s, "E-CPU")->active, want[i].e_act, "E-CPU active");
		NEAR(sample_cluster_named(s, "P-CPU")->freq_hz, want[i].p_mhz * MHZ, "P-CPU MHz");
		NEAR(sample_cluster_named(s, "P-CPU")->active, want[i].p_act, "P-CPU active");
		assert_true(sample_cluster_named(s, "E-CPU")->freq_max_hz == 2064 * MHZ);
		assert_true(sample_cluster_named(s, "P-CPU")->freq_max_hz == 3204 * MHZ);
		for (int c = 0; c < 8; c++) {
			const struct sample_core *k = core_n(s, c);
			/* the plist rounds per-CPU MHz to 1: allow that on top of 1 % */
			near_rel(k->freq_hz, want[i].core_mhz[c] * MHZ, 0.011, "core MHz");
			if (fabs(k->active - want[i].core_act[c]) > 0.0006)
				fail_msg("cpu%d active %.5f, want %.4f", c, k->active,
				         want[i].core_act[c]);
		}
		assert_int_equal(s->ngpus, 1);
		NEAR(s->gpus[0].freq_hz, want[i].gpu_mhz * MHZ, "GPU MHz");
		NEAR(s->gpus[0].util, want[i].gpu_act, "GPU active");
		NEAR(s->power[RAIL_CPU].watts, want[i].cpu_w, "CPU W");
		NEAR(s->power[RAIL_GPU].watts, want[i].gpu_w, "GPU W");
		NEAR(s->power[RAIL_GPU].watts, s->gpus[0].power_w, "GPU W in the GPU");
		NEAR(s->power[RAIL_PACKAGE].watts, want[i].cpu_w + want[i].gpu_w, "package W");
		/* base M1 has no ANE or DRAM roll-up in the Energy Model: N/A with a reason */
		assert_true(isnan(s->power[RAIL_ANE].watts));
		assert_non_null(strstr(sample_note_get(s, "power.ane"), "no ANE channel"));
		assert_true(isnan(s->power[RAIL_DRAM].watts));
		assert_int_equal(s->thermal, THERMAL_NOMINAL);
		assert_int_equal(s->bandwidth.quality, BW_ABSENT);
	}
	/* the measured window, not the requested one: elapsed_ns 2.019 s and 0.526 s */
	NEAR(r.s[0].interval_s, 2.01917875, "interval");
	NEAR(r.s[1].interval_s, 0.525992374, "interval");
	decoded_free(&r);
}

/* M1 Ultra: all-smi's real DIE_0 residencies, two dies, six clusters in OS order. */
static void test_dump_m1ultra(void **state)
{
	struct decoded r;
	const struct sample *s;

	(void)state;
	decode_dump("m1ultra", &r);
	s = &r.s[0];
	assert_int_equal(s->nclusters, 6);
	cluster_cpus(s, "E0-CPU", CLUSTER_EFFICIENCY, 0, 0, 2);
	cluster_cpus(s, "P0-CPU", CLUSTER_PERFORMANCE, 0, 2, 4);
	cluster_cpus(s, "P1-CPU", CLUSTER_PERFORMANCE, 0, 6, 4);
	cluster_cpus(s, "E1-CPU", CLUSTER_EFFICIENCY, 1, 10, 2);
	cluster_cpus(s, "P2-CPU", CLUSTER_PERFORMANCE, 1, 12, 4);
	cluster_cpus(s, "P3-CPU", CLUSTER_PERFORMANCE, 1, 16, 4);
	assert_int_equal(s->ncores, 20);
	/* DIE_0_PCPU_CPU0 → cpu2, DIE_0_ECPU_CPU0 → cpu0: 3226 MHz at 72.10 %, 1846 at 73.14 % */
	NEAR(core_n(s, 2)->freq_hz, 3226 * MHZ, "DIE_0_PCPU_CPU0 MHz");
	assert_true(fabs(core_n(s, 2)->active - 0.7210) < 0.0001);
	NEAR(core_n(s, 0)->freq_hz, 1846 * MHZ, "DIE_0_ECPU_CPU0 MHz");
	assert_true(fabs(core_n(s, 0)->active - 0.7314) < 0.0001);
	/* a parked cluster sits at its lowest entry, not 0 MHz */
	assert_true(sample_cluster_named(s, "P3-CPU")->freq_hz == 600 * MHZ);
	assert_true(sample_cluster_named(s, "P3-CPU")->active == 0);
	assert_true(sample_cluster_named(s, "P0-CPU")->freq_max_hz == 3228 * MHZ);
	/* both dies shown, summed in the total; DIE_0_PACC0_CPM, per-core and SRAM never summed */
	assert_int_equal(s->ndies, 2);
	NEAR(s->dies[0].rail[RAIL_CPU].watts, 2.6, "die 0 CPU W");
	NEAR(s->dies[1].rail[RAIL_CPU].watts, 1.4, "die 1 CPU W");
	NEAR(s->power[RAIL_CPU].watts, 4.0, "CPU W");
	NEAR(s->dies[0].rail[RAIL_ANE].watts, 0.1, "die 0 ANE W");
	assert_true(s->dies[1].rail[RAIL_ANE].watts == 0); /* did not move: 0 W before macOS 27 */
	NEAR(s->power[RAIL_DRAM].watts, 1.67, "DRAM W");
	NEAR(s->power[RAIL_GPU].watts, 9.5, "GPU W (GPU Energy only, not GPU SRAM0_0)");
	NEAR(s->power[RAIL_PACKAGE].watts, 4.0 + 9.5 + 0.1, "package W");
	NEAR(sample_cluster_named(s, "E0-CPU")->power_w, 0.2, "DIE_0_EACC_CPU");
	NEAR(sample_cluster_named(s, "P0-CPU")->power_w, 1.5, "DIE_0_PACC0_CPU");
	NEAR(sample_cluster_named(s, "P1-CPU")->power_w, 0.9, "DIE_0_PACC1_CPU");
	NEAR(sample_cluster_named(s, "E1-CPU")->power_w, 0.2, "DIE_1_EACC_CPU");
	NEAR(sample_cluster_named(s, "P2-CPU")->power_w, 0.7, "DIE_1_PACC0_CPU");
	NEAR(sample_cluster_named(s, "P3-CPU")->power_w, 0.5, "DIE_1_PACC1_CPU");
	/* GPU at P6 half the time: 1296 MHz (the GPU table skips the OFF slot) */
	NEAR(s->gpus[0].freq_hz, 1296 * MHZ, "GPU MHz");
	NEAR(s->gpus[0].util, 0.5, "GPU active");
	assert_int_equal(s->thermal, THERMAL_FAIR);
	assert_non_null(sample_note_get(s, "temps"));
	decoded_free(&r);
}

/* M3 Pro: socpwrbud's per-core and per-cluster distributions, with M3's DOWN state. */
static void test_dump_m3pro(void **state)
{
	static const double core_mhz[12] = { 2110, 2171, 1808, 1920, 2038, 2061,
		                             2033, 1974, 3122, 4006, 696,  3228 };
	struct decoded r;
	const struct sample *s;

	(void)state;
	decode_dump("m3pro", &r);
	s = &r.s[0];
	cluster_cpus(s, "E-CPU", CLUSTER_EFFICIENCY, 0, 0, 6);
	cluster_cpus(s, "P-CPU", CLUSTER_PERFORMANCE, 0, 6, 6);
	/* socpwrbud: E-Cluster 2079 MHz 28.41 % active, P-Cluster 2057 MHz 12.10 % */
	NEAR(sample_cluster_named(s, "E-CPU")->freq_hz, 2079 * MHZ, "E MHz");
	NEAR(sample_cluster_named(s, "E-CPU")->active, 0.2841, "E active");
	NEAR(sample_cluster_named(s, "P-CPU")->freq_hz, 2057 * MHZ, "P MHz");
	NEAR(sample_cluster_named(s, "P-CPU")->active, 0.1210, "P active");
	for (int c = 0; c < 12; c++)
		if (core_n(s, c)->active > 0.001) /* cpu10 and cpu11 idle: parked at the bottom */
			near_rel(core_n(s, c)->freq_hz, core_mhz[c] * MHZ, 0.011, "core MHz");
	assert_true(sample_cluster_named(s, "P-CPU")->freq_max_hz == 4056 * MHZ);
	assert_true(sample_cluster_named(s, "E-CPU")->freq_max_hz == 2748 * MHZ);
	NEAR(s->gpus[0].freq_hz, 609 * MHZ, "GPU MHz");
	NEAR(s->gpus[0].util, 0.0246, "GPU active");
	/* AMC Stats byte counters: measured */
	assert_int_equal(s->bandwidth.quality, BW_MEASURED);
	NEAR(s->bandwidth.total_bps, 12e9, "bandwidth");
	assert_int_equal(s->thermal, THERMAL_SERIOUS);
	assert_true(isnan(s->memory.swap_total_bytes)); /* not in this reading: unknown, not 0 */
	decoded_free(&r);
}

/* M4 Max: the non-monotonic GPU table, P-cluster cores with 3-digit channels, PMP estimated
 * bandwidth, AMC Stats that cannot be subscribed. */
static void test_dump_m4max(void **state)
{
	struct decoded r;

	(void)state;
	decode_dump("m4max", &r);
	assert_int_equal(r.n, 2);
	cluster_cpus(&r.s[0], "E-CPU", CLUSTER_EFFICIENCY, 0, 0, 4);
	cluster_cpus(&r.s[0], "P0-CPU", CLUSTER_PERFORMANCE, 0, 4, 6);
	cluster_cpus(&r.s[0], "P1-CPU", CLUSTER_PERFORMANCE, 0, 10, 6); /* not 0-5, 10-15 */
	/* the notebook: baseline 338 MHz at 12.63 %, full load 1578 MHz at 94.58 % */
	NEAR(r.s[0].gpus[0].freq_hz, 338 * MHZ, "GPU MHz idle");
	NEAR(r.s[0].gpus[0].util, 0.1263, "GPU active idle");
	NEAR(r.s[1].gpus[0].freq_hz, 1578 * MHZ, "GPU MHz load");
	NEAR(r.s[1].gpus[0].util, 0.9458, "GPU active load");
	assert_true(r.s[0].gpus[0].freq_max_hz == 1578 * MHZ);
	/* kHz CPU tables */
	assert_true(sample_cluster_named(&r.s[0], "P0-CPU")->freq_max_hz == 4512 * MHZ);
	assert_true(sample_cluster_named(&r.s[0], "E-CPU")->freq_max_hz == 2592 * MHZ);
	assert_int_equal(r.s[0].bandwidth.quality, BW_ESTIMATED);
	NEAR(r.s[0].bandwidth.total_bps, 21e9, "estimated bandwidth");
	assert_non_null(strstr(sample_note_get(&r.s[0], "ioreport.AMC Stats"),
	                       "IOReportCreateSubscription returned NULL"));
	NEAR(r.s[0].power[RAIL_SYSTEM].watts, 61.5, "PSTR");
	NEAR(r.s[1].power[RAIL_GPU].watts, 48, "GPU W load");
	/* idle M4 Max P-core sensors read exactly 40.0: dropped, the rest kept */
	NEAR(sample_temp_max(&r.s[0], TEMP_GPU), 66.0, "GPU temp");
	for (unsigned i = 0; i < r.s[0].ntemps; i++)
		assert_true(r.s[0].temps[i].celsius != 40.0);
	/* python3 ran 3.5 CPUs (CPU time in Mach ticks, 125/3 ns each); root's and another
	 * user's processes (kernel_task, launchd, WindowServer) have a name but no readable task:
	 * unknown, never 0, and never a missing row */
	assert_int_equal(r.s[0].nprocs, 5);
	for (size_t i = 0; i < r.s[0].nprocs; i++) {
		const struct sample_proc *p = &r.s[0].procs[i];
		if (p->pid == 501) {
			NEAR(p->cpu, 3.5, "python3 CPUs");
			assert_true(p->rss_bytes == 8.0 * (1 << 30));
			assert_int_equal(p->threads, 24);
			assert_string_equal(sample_str(&r.s[0], p->cmdline), "python3 train.py");
		} else if (p->pid == 400) {
			assert_true(p->cpu == 0);
			assert_true(p->rss_bytes == 6.0 * (1 << 20));
		} else {
			assert_true(p->pid == 0 || p->pid == 1 || p->pid == 155);
			assert_string_equal(p->name, p->pid == 0   ? "kernel_task"
			                             : p->pid == 1 ? "launchd"
			                                           : "WindowServer");
			assert_true(isnan(p->cpu) && isnan(p->rss_bytes));
			assert_int_equal(p->threads, -1);
		}
	}
	decoded_free(&r);
}

/* M5 Max: acc-clusters, three tiers, the super cores last; sscope-cli's probe #2. */
static void test_dump_m5max(void **state)
{
	struct decoded r;
	const struct sample *s;

	(void)state;
	decode_dump("m5max", &r);
	s = &r.s[0];
	assert_int_equal(s->nclusters, 3);
	cluster_cpus(s, "P0-CPU", CLUSTER_PERFORMANCE, 0, 0, 6); /* MCPU0 */
	cluster_cpus(s, "P1-CPU", CLUSTER_PERFORMANCE, 0, 6, 6); /* MCPU1 */
	cluster_cpus(s, "S-CPU", CLUSTER_SUPER, 0, 12, 6);       /* PCPU */
	NEAR(sample_cluster_named(s, "P0-CPU")->freq_hz, 4380 * MHZ, "M MHz");
	NEAR(sample_cluster_named(s, "P0-CPU")->active, 1.0, "M active");
	NEAR(sample_cluster_named(s, "S-CPU")->freq_hz, 4608 * MHZ, "S MHz");
	assert_true(sample_cluster_named(s, "S-CPU")->freq_max_hz == 4608 * MHZ);
	assert_true(sample_cluster_named(s, "P1-CPU")->freq_max_hz == 4380 * MHZ);
	NEAR(s->gpus[0].freq_hz, 338 * MHZ, "GPU MHz");
	NEAR(s->gpus[0].util, 0.37, "GPU active");
	assert_true(s->gpus[0].freq_max_hz == 1620 * MHZ);
	/* rails: M 9.7 W (two clusters), S 11.4 W, GPU 0.7 W, DRAM 1.6 W */
	NEAR(sample_cluster_named(s, "P0-CPU")->power_w +
	         sample_cluster_named(s, "P1-CPU")->power_w,
	     9.7, "M W");
	NEAR(sample_cluster_named(s, "S-CPU")->power_w, 11.4, "S W");
	NEAR(s->power[RAIL_GPU].watts, 0.7, "GPU W");
	NEAR(s->power[RAIL_DRAM].watts, 1.6, "DRAM W");
	/* PMP0 DCS BW: PCPU 15 GB/s + GFX 1 GB/s, estimated */
	assert_int_equal(s->bandwidth.quality, BW_ESTIMATED);
	NEAR(s->bandwidth.total_bps, 16e9, "bandwidth");
	decoded_free(&r);
}

/* Every Energy Model channel a dump uses is a real channel of that chip's inventory. */
static void names_in_inventory(const char *dump, const char *tsv)
{
	struct decoded r;
	char *text;
	unsigned n = 0;

	decode_dump(dump, &r);
	text = read_file(data_path(tsv), NULL);
	assert_non_null(text);
	for (size_t i = 0; i < r.d.reading[0].ior.n; i++) {
		const struct ior_channel *c = &r.d.reading[0].ior.ch[i];
		char pat[80];
		if (strcmp(c->group, "Energy Model"))
			continue;
		snprintf(pat, sizeof pat, "\n%s\t%s", c->name, c->unit);
		if (!strstr(text, pat))
			fail_msg("%s: %s (%s) is not in %s", dump, c->name, c->unit, tsv);
		n++;
	}
	assert_true(n >= 8);
	free(text);
	decoded_free(&r);
}

static void test_dump_names_real(void **state)
{
	(void)state;
	names_in_inventory("m1ultra", "apple/ioreport_energy_model_channels_m1ultra.tsv");
	names_in_inventory("m5max", "apple/ioreport_energy_model_channels_m5max.tsv");
}

/* The M1 Ultra dump's DIE_0 residencies are all-smi's capture, state by state. */
static void test_dump_residencies_real(void **state)
{
	struct decoded r;
	struct ior_sample delta;
	struct ior_state st[32];
	char *text;
	unsigned n;
	const struct ior_channel *c = NULL;

	(void)state;
	text = read_file(data_path("apple/m1ultra_allsmi_pmgr_and_residency_fixtures.txt"), NULL);
	n = fixture_residencies(text, "fn test_p_cluster_frequency_from_real_m1_ultra_sample", st);
	decode_dump("m1ultra", &r);
	ior_sample_init(&delta);
	assert_int_equal(ior_delta(&r.d.reading[0].ior, &r.d.reading[1].ior, &delta), 0);
	for (size_t i = 0; i < delta.n; i++)
		if (!strcmp(delta.ch[i].name, "DIE_0_PCPU_CPU0"))
			c = &delta.ch[i];
	assert_non_null(c);
	assert_int_equal(c->nstates, n);
	for (unsigned i = 0; i < n; i++) {
		assert_string_equal(c->states[i].name, st[i].name);
		assert_int_equal(c->states[i].residency, st[i].residency);
	}
	ior_sample_free(&delta);
	decoded_free(&r);
	free(text);
}

/* ---- macOS 27: batched energy ---- */

static void energy_reading(struct apple_reading *r, uint64_t mach, int64_t cpu_mj)
{
	struct ior_channel *c;

	apple_reading_init(r);
	r->mach_time = mach;
	r->ior.mach_time = mach;
	c = ior_add(&r->ior, "Energy Model", "", "CPU Energy", "mJ", IOR_SIMPLE);
	c->value = cpu_mj;
}

static void test_batched_energy(void **state)
{
	struct apple_host h = { .chip = "Apple M3 Max",
		                .os = "macOS 27.0",
		                .ncpu = 0,
		                .gpu_cores = -1,
		                .tb_numer = 125,
		                .tb_denom = 3 };
	/* the counter moves every 2 s: 0 mJ, +4000 mJ, 0 mJ ... sampled each second */
	static const int64_t cum[] = { 0, 0, 4000, 4000, 8000, 8000, 8000, 8000, 8000 };
	struct apple_reading rd[9];
	struct apple_decoder dec;
	struct sample s;
	const uint64_t sec = 24000000; /* mach ticks per second at 125/3 */

	(void)state;
	for (unsigned i = 0; i < 9; i++)
		energy_reading(&rd[i], 1000 + i * sec, cum[i]);
	assert_int_equal(apple_decoder_init(&dec, &h, NULL), 0);
	sample_init(&s);
	/* first window: no movement yet → unknown, not 0 W */
	assert_int_equal(apple_decode(&dec, &rd[0], &rd[1], NULL, 0, &s), 0);
	assert_true(isnan(s.power[RAIL_CPU].watts));
	assert_non_null(sample_note_get(&s, "power.cpu"));
	/* the batch lands: spread over the two seconds since the last movement */
	sample_reset(&s);
	apple_decode(&dec, &rd[1], &rd[2], NULL, 0, &s);
	NEAR(s.power[RAIL_CPU].watts, 2.0, "batched W");
	/* a quiet window in between holds the last power */
	sample_reset(&s);
	apple_decode(&dec, &rd[2], &rd[3], NULL, 0, &s);
	NEAR(s.power[RAIL_CPU].watts, 2.0, "held W");
	sample_reset(&s);
	apple_decode(&dec, &rd[3], &rd[4], NULL, 0, &s);
	NEAR(s.power[RAIL_CPU].watts, 2.0, "batched W");
	NEAR(s.power[RAIL_CPU].joules, 8.0, "energy");
	/* quiet for longer than APPLE_ENERGY_HOLD_S: idle */
	for (unsigned i = 5; i < 9; i++) {
		sample_reset(&s);
		apple_decode(&dec, &rd[i - 1], &rd[i], NULL, 0, &s);
	}
	assert_true(s.power[RAIL_CPU].watts == 0);
	NEAR(s.power[RAIL_CPU].joules, 8.0, "energy kept");
	sample_free(&s);
	apple_decoder_free(&dec);
	for (unsigned i = 0; i < 9; i++)
		apple_reading_free(&rd[i]);
}

/* A group that could not be subscribed disables only its own metrics, with the reason. */
static void test_unsubscribed_group(void **state)
{
	struct decoded r;
	struct apple_decoder dec;
	struct sample s;
	struct apple_group g[2] = { { "GPU Stats", "GPU Performance States", false,
		                      "IOReportCreateSubscription returned NULL" },
		                    { "Energy Model", "", true, "" } };

	(void)state;
	decode_dump("m3pro", &r);
	/* drop the GPU channels from both readings, as an unsubscribed group gives none */
	for (unsigned k = 0; k < 2; k++) {
		struct ior_sample *x = &r.d.reading[k].ior;
		size_t w = 0;
		for (size_t i = 0; i < x->n; i++) {
			if (!strcmp(x->ch[i].group, "GPU Stats")) {
				free(x->ch[i].states);
				continue;
			}
			x->ch[w++] = x->ch[i];
		}
		x->n = w;
	}
	assert_int_equal(apple_decoder_init(&dec, &r.d.host, &r.d.pmgr), 0);
	sample_init(&s);
	assert_int_equal(apple_decode(&dec, &r.d.reading[0], &r.d.reading[1], g, 2, &s), 0);
	assert_true(s.ngpus == 0 || (isnan(s.gpus[0].util) && isnan(s.gpus[0].freq_hz)));
	assert_non_null(sample_note_get(&s, "gpu"));
	assert_non_null(strstr(sample_note_get(&s, "ioreport.GPU Stats"), "returned NULL"));
	/* everything else is still there */
	NEAR(sample_cluster_named(&s, "E-CPU")->freq_hz, 2079 * MHZ, "E MHz");
	NEAR(s.power[RAIL_CPU].watts, r.s[0].power[RAIL_CPU].watts, "CPU W");
	sample_free(&s);
	apple_decoder_free(&dec);
	decoded_free(&r);
}

/* ---- dump format ---- */

static void parse_fails(const char *text, const char *want)
{
	struct apple_dump d;
	struct error err;

	if (apple_dump_parse(text, strlen(text), &d, &err) == 0) {
		apple_dump_free(&d);
		fail_msg("parsed: %s", text);
	}
	if (!strstr(err.msg, want))
		fail_msg("error \"%s\" does not say \"%s\"", err.msg, want);
}

static void test_dump_errors(void **state)
{
	struct apple_dump d;
	struct error err;

	(void)state;
	parse_fails("", "JSON");
	parse_fails("{\"format\": \"agtop-ioreport-dump\"", "line 1");
	parse_fails("[1, 2]", "agtop IOReport dump");
	parse_fails("{\"format\": \"something-else\", \"version\": 1}", "format");
	parse_fails("{\"format\": \"agtop-ioreport-dump\", \"version\": 9}", "version 9");
	parse_fails("{\"format\": \"agtop-ioreport-dump\", \"version\": 1, \"host\": {}, "
	            "\"readings\": []}",
	            "readings");
	parse_fails("{\"format\": \"agtop-ioreport-dump\", \"version\": 1, \"host\": {},"
	            " \"pmgr\": {\"voltage-states1-sram\": \"zz\"}, \"readings\": [{}, {}]}",
	            "voltage-states1-sram");
	parse_fails(
	    "{\"format\": \"agtop-ioreport-dump\", \"version\": 1, \"host\": {},"
	    " \"readings\": [{\"mach_time\": 1, \"channels\": [{\"group\": \"G\","
	    " \"subgroup\": \"\", \"name\": \"N\", \"unit\": \"mJ\", \"format\": \"weird\"}]},"
	    " {\"mach_time\": 2, \"channels\": []}]}",
	    "format");
	parse_fails(
	    "{\"format\": \"agtop-ioreport-dump\", \"version\": 1, \"host\": {},"
	    " \"readings\": [{\"mach_time\": 1, \"channels\": [{\"group\": \"G\","
	    " \"subgroup\": \"\", \"name\": \"N\", \"unit\": \"mJ\", \"format\": \"simple\","
	    " \"value\": \"12\"}]}, {\"mach_time\": 2, \"channels\": []}]}",
	    "not an integer");
	/* null is IOReport's INT64_MIN "no data", and is written back as null */
	{
		static const char ok[] =
		    "{\"format\": \"agtop-ioreport-dump\", \"version\": 1, \"host\": {},"
		    " \"readings\": [{\"mach_time\": 1, \"channels\": [{\"group\": \"G\","
		    " \"subgroup\": \"\", \"name\": \"N\", \"unit\": \"mJ\", \"format\":"
		    " \"simple\", \"value\": null}]}, {\"mach_time\": 2, \"channels\": []}]}";
		struct strbuf b;
		assert_int_equal(apple_dump_parse(ok, strlen(ok), &d, &err), 0);
		assert_true(d.reading[0].ior.ch[0].value == IOR_NO_VALUE);
		sb_init(&b);
		apple_dump_write(&b, &d);
		assert_non_null(strstr(b.buf, "\"value\": null"));
		sb_free(&b);
		apple_dump_free(&d);
	}
	assert_int_equal(apple_dump_load("/nonexistent/dump.json", &d, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/dump.json"));
}

/* Written and read back, a dump decodes to the same samples. */
static void test_dump_round_trip(void **state)
{
	static const char *const chips[] = { "m1", "m1ultra", "m3pro", "m4max", "m5max" };

	(void)state;
	for (unsigned k = 0; k < 5; k++) {
		struct decoded a;
		struct apple_dump b;
		struct apple_decoder dec;
		struct strbuf sb;
		struct error err;

		decode_dump(chips[k], &a);
		sb_init(&sb);
		apple_dump_write(&sb, &a.d);
		if (apple_dump_parse(sb.buf, sb.len, &b, &err))
			fail_msg("%s: written dump does not parse: %s", chips[k], err.msg);
		assert_int_equal(b.nreadings, a.d.nreadings);
		assert_int_equal(b.pmgr.n, a.d.pmgr.n);
		assert_int_equal(apple_decoder_init(&dec, &b.host, &b.pmgr), 0);
		for (unsigned i = 0; i < a.n; i++) {
			struct sample s;
			sample_init(&s);
			apple_decode(&dec, &b.reading[i], &b.reading[i + 1], b.group, b.ngroups,
			             &s);
			if (!sample_equal(&s, &a.s[i]))
				fail_msg("%s: sample %u differs after a round trip", chips[k], i);
			sample_free(&s);
		}
		apple_decoder_free(&dec);
		apple_dump_free(&b);
		sb_free(&sb);
		decoded_free(&a);
	}
}

/* The text printer says N/A for what is unknown, never "nan". */
static void test_text_output(void **state)
{
	struct decoded r;
	struct strbuf b;

	(void)state;
	decode_dump("m1ultra", &r);
	sb_init(&b);
	text_write_sample(&b, &r.s[0]);
	assert_null(strstr(b.buf, "nan"));
	assert_non_null(strstr(b.buf, "cpu max N/A"));
	assert_non_null(strstr(b.buf, "P3-CPU   performance    1 16-19"));
	sb_free(&b);
	decoded_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ior_joules),
		cmocka_unit_test(test_ior_die_and_states),
		cmocka_unit_test(test_ior_delta),
		cmocka_unit_test(test_dvfs_parse_units),
		cmocka_unit_test(test_dvfs_parse_real_bytes),
		cmocka_unit_test(test_dvfs_residency),
		cmocka_unit_test(test_dvfs_residency_real_m1ultra),
		cmocka_unit_test(test_dvfs_pick),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_core_channel_names),
		cmocka_unit_test(test_host_pieces),
		cmocka_unit_test(test_hid_names_real),
		cmocka_unit_test(test_dump_m1),
		cmocka_unit_test(test_dump_m1ultra),
		cmocka_unit_test(test_dump_m3pro),
		cmocka_unit_test(test_dump_m4max),
		cmocka_unit_test(test_dump_m5max),
		cmocka_unit_test(test_dump_names_real),
		cmocka_unit_test(test_dump_residencies_real),
		cmocka_unit_test(test_batched_energy),
		cmocka_unit_test(test_unsubscribed_group),
		cmocka_unit_test(test_dump_errors),
		cmocka_unit_test(test_dump_round_trip),
		cmocka_unit_test(test_text_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
