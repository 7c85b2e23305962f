/* test_apple_channels.c - the Apple decoder's channels, tables, ticks and sensors, each test
 * named for the defect it pins (issue 12, points 5, 6, 8, 9): CPU use from the tick counters
 * (NICE is busy, seconds are ticks / 100), a cluster's frequency without its own channel, DVFS
 * states beyond a table, table lengths and acc-clusters, memory bandwidth when AMC Stats has no
 * data, die tokens in channel names, and temperatures from every SMC key of real key lists. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apple/decode.h"
#include "apple/dump.h"
#include "apple/dvfs.h"
#include "testutil.h"

#define MHZ 1e6

static void near_abs(double got, double want, double tol, const char *what)
{
	if (isnan(got) || fabs(got - want) > tol)
		fail_msg("%s: got %.9g, want %.9g", what, got, want);
}

static struct ior_channel *states(struct ior_sample *s, const char *group, const char *sub,
                                  const char *name, unsigned n, const char *const names[],
                                  const int64_t res[])
{
	struct ior_channel *c = ior_add(s, group, sub, name, "24Mticks", IOR_STATE);

	assert_non_null(c);
	assert_int_equal(ior_add_states(c, n), 0);
	for (unsigned i = 0; i < n; i++) {
		snprintf(c->states[i].name, sizeof c->states[i].name, "%s", names[i]);
		c->states[i].residency = res[i];
	}
	return c;
}

static void table(struct pmgr *pm, const char *key, const double *mhz, unsigned n, bool khz)
{
	uint8_t b[8 * DVFS_MAX_ENTRIES];

	memset(b, 0, sizeof b);
	for (unsigned i = 0; i < n; i++) {
		uint32_t f = (uint32_t)llround(mhz[i] * (khz ? 1e3 : 1e6));
		for (unsigned k = 0; k < 4; k++)
			b[8 * i + k] = (uint8_t)(f >> (8 * k));
	}
	assert_int_equal(pmgr_add(pm, key, b, 8 * n), 0);
}

/* Two readings of a host with two E-cores (ECPU0, ECPU1) 1 s apart; the caller fills what
 * differs. */
struct pair {
	struct apple_host h;
	struct pmgr pm;
	struct apple_reading a, b;
};

static void pair_init(struct pair *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->h.chip, sizeof p->h.chip, "Apple M1");
	snprintf(p->h.os, sizeof p->h.os, "macOS 15.3");
	p->h.ncpu = 2;
	p->h.gpu_cores = -1;
	p->h.tb_numer = 125;
	p->h.tb_denom = 3;
	p->h.memsize = NAN;
	apple_reading_init(&p->a);
	apple_reading_init(&p->b);
	p->a.mach_time = p->a.ior.mach_time = 24000000000ull;
	p->b.mach_time = p->b.ior.mach_time = p->a.mach_time + 24000000;
}

static void pair_decode(struct pair *p, struct sample *out)
{
	struct apple_decoder d;

	assert_int_equal(apple_decoder_init(&d, &p->h, &p->pm), 0);
	sample_init(out);
	assert_int_equal(apple_decode(&d, &p->a, &p->b, NULL, 0, out), 0);
	apple_decoder_free(&d);
}

static void pair_free(struct pair *p)
{
	apple_reading_free(&p->a);
	apple_reading_free(&p->b);
	pmgr_free(&p->pm);
}

/* ---- CPU ticks (point 9) ---- */

/* host_processor_info's NICE ticks are CPU time at low priority: busy, not idle. */
static void test_cpu_util_counts_nice_as_busy(void **state)
{
	struct pair p;
	struct sample s;

	(void)state;
	pair_init(&p);
	assert_int_equal(apple_reading_set_ncpu(&p.a, 2), 0);
	assert_int_equal(apple_reading_set_ncpu(&p.b, 2), 0);
	for (unsigned c = 0; c < 2; c++) {
		/* user, system, idle, nice over the window: 10, 10, 50, 30 (cpu0); 0, 0, 100, 0 */
		const uint32_t a[APPLE_TICKS] = { 1000, 2000, 3000, 4000 };
		const uint32_t d[2][APPLE_TICKS] = { { 10, 10, 50, 30 }, { 0, 0, 100, 0 } };
		for (unsigned m = 0; m < APPLE_TICKS; m++) {
			p.a.ticks[c][m] = a[m];
			p.b.ticks[c][m] = a[m] + d[c][m];
		}
	}
	pair_decode(&p, &s);
	near_abs(s.cpu_util, 50.0 / 200, 1e-12, "all CPUs");
	near_abs(s.cores[0].util, 0.5, 1e-12, "cpu0");
	near_abs(s.cores[1].util, 0, 1e-12, "cpu1");
	sample_free(&s);
	pair_free(&p);
}

/* The cumulative seconds per mode are the ticks since boot over 100 (CLK_TCK): 4010 user ticks
 * are 40.1 s, not 4.01. */
static void test_core_seconds_are_ticks_over_100(void **state)
{
	struct pair p;
	struct sample s;

	(void)state;
	pair_init(&p);
	assert_int_equal(apple_reading_set_ncpu(&p.a, 2), 0);
	assert_int_equal(apple_reading_set_ncpu(&p.b, 2), 0);
	for (unsigned c = 0; c < 2; c++) {
		const uint32_t t[APPLE_TICKS] = { 4010, 2000, 90000, 30 };
		memcpy(p.b.ticks[c], t, sizeof t);
		memcpy(p.a.ticks[c], t, sizeof t);
		p.a.ticks[c][APPLE_TICK_IDLE] -= 100;
	}
	pair_decode(&p, &s);
	near_abs(s.cores[1].seconds[CPU_USER], 40.1, 1e-9, "user s");
	near_abs(s.cores[1].seconds[CPU_SYSTEM], 20.0, 1e-9, "system s");
	near_abs(s.cores[1].seconds[CPU_IDLE], 900.0, 1e-9, "idle s");
	near_abs(s.cores[1].seconds[CPU_NICE], 0.3, 1e-9, "nice s");
	sample_free(&s);
	pair_free(&p);
}

/* Without the cluster's own channel, its frequency is its fastest core's, not its slowest. */
static void test_cluster_freq_without_its_channel_is_the_fastest_core(void **state)
{
	static const double e[] = { 600, 972, 1332, 1704, 2064 };
	static const char *const nm[] = { "IDLE", "V0P4", "V1P3", "V2P2", "V3P1", "V4P0" };
	static const int64_t slow[] = { 100, 100, 0, 0, 0, 0 }, fast[] = { 100, 0, 0, 0, 0, 100 };
	static const int64_t zero[] = { 0, 0, 0, 0, 0, 0 };
	struct pair p;
	struct sample s;

	(void)state;
	pair_init(&p);
	table(&p.pm, "voltage-states1-sram", e, 5, false);
	states(&p.a.ior, "CPU Stats", "CPU Core Performance States", "ECPU0", 6, nm, zero);
	states(&p.a.ior, "CPU Stats", "CPU Core Performance States", "ECPU1", 6, nm, zero);
	states(&p.b.ior, "CPU Stats", "CPU Core Performance States", "ECPU0", 6, nm, slow);
	states(&p.b.ior, "CPU Stats", "CPU Core Performance States", "ECPU1", 6, nm, fast);
	pair_decode(&p, &s);
	assert_int_equal(s.nclusters, 1);
	near_abs(s.cores[0].freq_hz, 600 * MHZ, 1, "slow core");
	near_abs(s.cores[1].freq_hz, 2064 * MHZ, 1, "fast core");
	near_abs(s.clusters[0].freq_hz, 2064 * MHZ, 1, "cluster");
	sample_free(&s);
	pair_free(&p);
}

/* Row 17: an Ultra's samples can leave out inactive cores (macmon#55): the missing core keeps
 * its place and CPU number, and the cores after it are not shifted onto the wrong CPUs. */
static void test_missing_core_channel_keeps_cpu_numbers(void **state)
{
	static const char *const nm[] = { "IDLE", "V0P1", "V1P0" };
	static const int64_t r0[] = { 0, 0, 0 }, r1[] = { 50, 50, 0 }, r3[] = { 0, 0, 100 };
	static const double e[] = { 600, 2064 };
	static const char *const cores[] = { "DIE_0_ECPU_CPU0", "DIE_0_ECPU_CPU1",
		                             "DIE_0_ECPU_CPU3", "DIE_1_ECPU_CPU0",
		                             "DIE_1_ECPU_CPU1", "DIE_1_ECPU_CPU2",
		                             "DIE_1_ECPU_CPU3" };
	struct pair p;
	struct sample s;

	(void)state;
	pair_init(&p);
	p.h.ncpu = 8;
	table(&p.pm, "voltage-states1-sram", e, 2, false);
	for (unsigned i = 0; i < 7; i++) { /* DIE_0_ECPU_CPU2 is not in this reading */
		states(&p.a.ior, "CPU Stats", "CPU Core Performance States", cores[i], 3, nm, r0);
		states(&p.b.ior, "CPU Stats", "CPU Core Performance States", cores[i], 3, nm,
		       i == 2 ? r3 : r1);
	}
	pair_decode(&p, &s);
	assert_int_equal(s.nclusters, 2);
	assert_int_equal(s.ncores, 8);
	assert_int_equal(s.cores[2].cpu, 2);
	assert_true(isnan(s.cores[2].freq_hz)); /* unread, not another core's */
	assert_int_equal(s.cores[3].cpu, 3);
	near_abs(s.cores[3].freq_hz, 2064 * MHZ, 1, "DIE_0_ECPU_CPU3 on cpu3");
	assert_int_equal(s.cores[4].cpu, 4); /* the second die starts at cpu4 */
	assert_int_equal(s.clusters[1].die, 1);
	sample_free(&s);
	pair_free(&p);
}

/* ---- DVFS (points 6 and 9) ---- */

static void residency(const struct dvfs_table *t, unsigned n, const char *const names[],
                      const int64_t res[], double *f, double *a)
{
	struct ior_state st[32];
	struct ior_channel c;

	memset(&c, 0, sizeof c);
	for (unsigned i = 0; i < n; i++) {
		snprintf(st[i].name, sizeof st[i].name, "%s", names[i]);
		st[i].residency = res[i];
	}
	c.format = IOR_STATE;
	c.nstates = n;
	c.states = st;
	dvfs_residency(&c, t, f, a);
}

/* A GPU table without the leading 0 Hz OFF slot: P1 is its first entry, not its second. */
static void test_gpu_pstates_without_an_off_slot(void **state)
{
	struct dvfs_table t = { .n = 3, .hz = { 338 * MHZ, 618 * MHZ, 796 * MHZ } };
	static const char *const nm[] = { "OFF", "P1", "P2", "P3" };
	static const int64_t p1[] = { 50, 50, 0, 0 }, p2[] = { 0, 0, 10, 0 };
	double f, a;

	(void)state;
	residency(&t, 4, nm, p1, &f, &a);
	near_abs(f, 338 * MHZ, 1, "P1");
	near_abs(a, 0.5, 1e-12, "active");
	residency(&t, 4, nm, p2, &f, &a);
	near_abs(f, 618 * MHZ, 1, "P2");
}

/* A state index beyond the table is the table's top entry, never its minimum: the M5 Max GPU
 * has 15 P-states for 13 frequencies, an M2 Ultra's CPU and GPU states run past 8 entries. */
static void test_dvfs_state_beyond_the_table_is_its_top(void **state)
{
	/* the M5 Max GPU table (macmon#47): the OFF slot and 13 frequencies */
	struct dvfs_table g = { .n = 14,
		                .hz = { 0, 338 * MHZ, 486 * MHZ, 636 * MHZ, 796 * MHZ, 888 * MHZ,
		                        988 * MHZ, 1084 * MHZ, 1182 * MHZ, 1278 * MHZ, 1374 * MHZ,
		                        1470 * MHZ, 1578 * MHZ, 1620 * MHZ } };
	struct dvfs_table e = { .n = 3, .hz = { 600 * MHZ, 1000 * MHZ, 2000 * MHZ } };
	static const char *const gn[] = { "OFF", "P14", "P15" };
	static const int64_t gr[] = { 50, 25, 25 };
	static const char *const en[] = { "IDLE", "V0P4", "V1P3", "V2P2", "V3P1", "V4P0" };
	static const int64_t er[] = { 0, 0, 0, 0, 50, 50 };
	double f, a;

	(void)state;
	residency(&g, 3, gn, gr, &f, &a);
	near_abs(f, 1620 * MHZ, 1, "P14, P15 past the table");
	near_abs(a, 0.5, 1e-12, "GPU active");
	residency(&e, 6, en, er, &f, &a);
	near_abs(f, 2000 * MHZ, 1, "V3, V4 past the table");
}

static const double m2_p17[] = { 702,  948,  1188, 1452, 1704, 1968, 2208, 2400, 2568,
	                         2724, 2868, 3000, 3132, 3264, 3360, 3408, 3504 };
static const double m2_p19[] = { 702,  948,  1188, 1452, 1704, 1968, 2208, 2400, 2568, 2724,
	                         2868, 3000, 3132, 3264, 3360, 3408, 3504, 3600, 3696 };

/* The table a key names is checked against the cluster's states every time, not only when the
 * key is missing: a keyed table of another length gives way to the -sram table that fits. */
static void test_dvfs_table_length_checked_every_time(void **state)
{
	struct pmgr pm = { 0 };
	struct dvfs_set set;
	struct dvfs_cluster cl[] = { { CLUSTER_PERFORMANCE, 0, 17 } };

	(void)state;
	/* voltage-states5-sram, the P key, holds 19 steps here; 13-sram the 17 the states count */
	table(&pm, "voltage-states5-sram", m2_p19, 19, false);
	table(&pm, "voltage-states13-sram", m2_p17, 17, false);
	dvfs_pick(&pm, cl, 1, &set);
	assert_non_null(set.cluster[0]);
	assert_string_equal(set.cluster[0]->key, "voltage-states13-sram");
	pmgr_free(&pm);

	/* none fits: the keyed table stays, and the mismatch is said */
	memset(&pm, 0, sizeof pm);
	table(&pm, "voltage-states5-sram", m2_p19, 19, false);
	dvfs_pick(&pm, cl, 1, &set);
	assert_string_equal(set.cluster[0]->key, "voltage-states5-sram");
	assert_non_null(strstr(set.why, "19 entries for 17 states"));
	pmgr_free(&pm);
}

/* acc-clusters serves only where it matches the channels: two records for three clusters are
 * not wrapped around (pos % n gave the third cluster the first record's table). */
static void test_acc_clusters_only_when_they_match(void **state)
{
	static const double m[] = { 1344, 1644, 1992, 2304, 2652, 2964, 3240, 3504,
		                    3696, 3876, 4043, 4176, 4284, 4308, 4380 };
	static const double s[] = { 1308, 1620, 1980, 2292, 2580, 2880, 3180, 3432, 3648, 3828,
		                    3984, 4104, 4188, 4236, 4284, 4308, 4332, 4428, 4512, 4608 };
	static const uint8_t acc2[] = { 22, 0, 0, 0, 0, 0, 0, 0, 23, 1, 0, 0, 0, 0, 0, 0 };
	struct dvfs_cluster cl[] = { { CLUSTER_PERFORMANCE, 0, 15 },
		                     { CLUSTER_PERFORMANCE, 0, 15 },
		                     { CLUSTER_SUPER, 0, 20 } };
	struct pmgr pm = { 0 };
	struct dvfs_set set;

	(void)state;
	table(&pm, "voltage-states22-sram", m, 15, true);
	table(&pm, "voltage-states23-sram", m, 15, true);
	table(&pm, "voltage-states5-sram", s, 20, true);
	assert_int_equal(pmgr_add(&pm, "acc-clusters", acc2, sizeof acc2), 0);
	dvfs_pick(&pm, cl, 3, &set);
	assert_non_null(set.cluster[2]);
	assert_string_equal(set.cluster[2]->key, "voltage-states5-sram"); /* not 22 */
	near_abs(dvfs_max_hz(set.cluster[2]), 4608 * MHZ, 1, "S top");
	pmgr_free(&pm);
}

/* ---- bandwidth (points 6 and 8) ---- */

static void hist(struct ior_sample *s, const char *group, const char *name, unsigned gbps,
                 int64_t res)
{
	static const char *const nm[] = { "   1GB/s", "   8GB/s", "  16GB/s", "  32GB/s" };
	int64_t r[4] = { 0, 0, 0, 0 };

	r[gbps == 1 ? 0 : gbps == 8 ? 1 : gbps == 16 ? 2 : 3] = res;
	states(s, group, "DCS BW", name, 4, nm, r);
}

static void simple(struct ior_sample *s, const char *group, const char *sub, const char *name,
                   const char *unit, int64_t v)
{
	struct ior_channel *c = ior_add(s, group, sub, name, unit, IOR_SIMPLE);
	assert_non_null(c);
	c->value = v;
}

/* AMC Stats that reports INT64_MIN (subscribed, but no data: macOS 27) falls back to the PMP
 * histograms, marked estimated. */
static void test_amc_no_data_falls_back_to_pmp(void **state)
{
	struct pair p;
	struct sample s;

	(void)state;
	pair_init(&p);
	simple(&p.a.ior, "AMC Stats", "Perf Counters", "ECPU DCS RD", "B", IOR_NO_VALUE);
	simple(&p.b.ior, "AMC Stats", "Perf Counters", "ECPU DCS RD", "B", IOR_NO_VALUE);
	hist(&p.a.ior, "PMP0", "PACC0 RD+WR", 8, 0);
	hist(&p.b.ior, "PMP0", "PACC0 RD+WR", 8, 1000);
	pair_decode(&p, &s);
	assert_int_equal(s.bandwidth.quality, BW_ESTIMATED);
	near_abs(s.bandwidth.total_bps, 8e9, 1, "PMP0");
	assert_non_null(strstr(sample_note_get(&s, "bandwidth"), "estimated"));
	sample_free(&s);
	pair_free(&p);
}

/* Row 13: an M3 Max on macOS 27 has only the AMCC aggregate in PMP0: it is the estimate there,
 * and only there (beside requestors it is not additive). */
static void test_amcc_only_where_it_is_the_only_channel(void **state)
{
	struct pair p;
	struct sample s;

	(void)state;
	pair_init(&p);
	hist(&p.a.ior, "PMP0", "AMCC RD+WR", 16, 0);
	hist(&p.b.ior, "PMP0", "AMCC RD+WR", 16, 500);
	pair_decode(&p, &s);
	assert_int_equal(s.bandwidth.quality, BW_ESTIMATED);
	near_abs(s.bandwidth.total_bps, 16e9, 1, "AMCC alone");
	sample_free(&s);
	hist(&p.a.ior, "PMP0", "AGX RD+WR", 1, 0);
	hist(&p.b.ior, "PMP0", "AGX RD+WR", 1, 500);
	pair_decode(&p, &s);
	near_abs(s.bandwidth.total_bps, 1e9, 1, "requestors, not AMCC");
	sample_free(&s);
	pair_free(&p);
}

/* Row 15: early macOS 27 betas prefix AMC channel names with a die token ("DIE0 ECPU0 DCS
 * RD"): stripped, the counter is the E-cores' again. */
static void test_die0_token_in_channel_names(void **state)
{
	struct pair p;
	struct sample s;
	const char *rest;

	(void)state;
	assert_int_equal(ior_die("DIE0 ECPU0 DCS RD", &rest), 0);
	assert_string_equal(rest, "ECPU0 DCS RD");
	assert_int_equal(ior_die("DIE1 PCPU0 DCS WR", &rest), 1);
	assert_string_equal(rest, "PCPU0 DCS WR");
	assert_int_equal(ior_die("DIE_1_PCPU_CPU0", &rest), 1);
	assert_int_equal(ior_die("DIE0", &rest), 0); /* not a token before a name */
	assert_string_equal(rest, "DIE0");
	pair_init(&p);
	simple(&p.a.ior, "AMC Stats", "Perf Counters", "DIE0 ECPU0 DCS RD", "B", 1000);
	simple(&p.b.ior, "AMC Stats", "Perf Counters", "DIE0 ECPU0 DCS RD", "B", 1000 + 3000000000);
	pair_decode(&p, &s);
	assert_int_equal(s.bandwidth.quality, BW_MEASURED);
	assert_int_equal(s.bandwidth.nagents, 1);
	assert_string_equal(s.bandwidth.agent[0].name, "ECPU");
	near_abs(s.bandwidth.agent[0].read_bps, 3e9, 1, "ECPU read");
	sample_free(&s);
	pair_free(&p);
}

/* ---- SMC values and temperatures (points 5 and 8) ---- */

/* Row 18: fpe2 is a big-endian 16-bit fixed point with two fraction bits: 0x1F43 is 2000.75
 * (peers' (b0 << 6) + (b1 >> 2) floored it to 2000). flt is little-endian IEEE 754 on Apple
 * Silicon (iSMC: "00 00 20 42" is 40); sp78 is signed 7.8. */
static void test_smc_values_by_type(void **state)
{
	static const uint8_t fpe2[] = { 0x1f, 0x43 }, flt[] = { 0x00, 0x00, 0x20, 0x42 };
	static const uint8_t sp78[] = { 0xc0, 0x00 }, sp78b[] = { 0x2e, 0x80 };
	const uint32_t t_fpe2 = 0x66706532u, t_flt = 0x666c7420u, t_sp78 = 0x73703738u;

	(void)state;
	near_abs(apple_smc_value(t_fpe2, fpe2, 2), 2000.75, 1e-12, "fpe2");
	near_abs(apple_smc_value(t_flt, flt, 4), 40.0, 1e-12, "flt");
	near_abs(apple_smc_value(t_sp78, sp78, 2), -64.0, 1e-12, "sp78");
	near_abs(apple_smc_value(t_sp78, sp78b, 2), 46.5, 1e-12, "sp78");
	assert_true(isnan(apple_smc_value(t_flt, flt, 2)));       /* wrong size */
	assert_true(isnan(apple_smc_value(0x696f6674u, flt, 4))); /* "ioft": not read */
}

/* Row 16: power-gated clusters report sentinels below 15 degrees (9.8 on an M5 Max); the
 * firmware's die average and maximum (TCMb, TCMz) are CPU sensors with labels. */
static void test_temps_sentinels_and_die_keys(void **state)
{
	struct pair p;
	struct sample s;
	static const struct {
		const char *name;
		double c;
	} t[] = { { "Tp00", 9.8 },  { "Tp04", 14.9 },  { "Tp08", 52.5 },
		  { "TCMb", 61.0 }, { "TCMz", 70.25 }, { "Ts0P", 80.0 } };

	(void)state;
	assert_false(apple_temp_valid(9.8));
	assert_false(apple_temp_valid(14.99));
	assert_true(apple_temp_valid(15.0));
	pair_init(&p);
	for (unsigned i = 0; i < 6; i++) {
		struct apple_temp *x = apple_reading_add_temp(&p.b);
		assert_non_null(x);
		x->source = APPLE_TEMP_SMC;
		snprintf(x->name, sizeof x->name, "%s", t[i].name);
		x->celsius = t[i].c;
	}
	pair_decode(&p, &s);
	assert_int_equal(s.ntemps, 3); /* Tp08, TCMb, TCMz; Ts* is not a CPU family */
	near_abs(sample_temp_max(&s, TEMP_CPU), 70.25, 1e-9, "CPU max");
	for (unsigned i = 0; i < s.ntemps; i++) {
		if (!strcmp(s.temps[i].sensor, "TCMb"))
			assert_string_equal(s.temps[i].label, "CPU die average");
		else if (!strcmp(s.temps[i].sensor, "TCMz"))
			assert_string_equal(s.temps[i].label, "CPU die max");
		else
			assert_string_equal(s.temps[i].sensor, "Tp08");
	}
	sample_free(&s);
	pair_free(&p);
}

/* A real SMC key dump (iSMC's format) read as the SMC gives it: every T key, in its order, with
 * its value decoded from its bytes. */
struct keydump {
	unsigned n, cpu, gpu; /* keys; believable CPU (Tp, Te, TCMb, TCMz) and GPU (Tg) keys */
	double cpu_max, gpu_max;
};

static void read_keydump(const char *rel, struct apple_reading *r, struct keydump *k)
{
	char *text = read_file(data_path(rel), NULL), *line, *save = NULL;

	assert_non_null(text);
	memset(k, 0, sizeof *k);
	k->cpu_max = k->gpu_max = NAN;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *b = strstr(line, "(bytes ");
		uint8_t bytes[8];
		unsigned nb = 0;
		char name[5], type[5];
		struct apple_temp *t;
		double v;
		bool cpu, gpu;

		if (line[0] == '#' || !b || strlen(line) < 14)
			continue;
		snprintf(name, sizeof name, "%.4s", line + 2);
		snprintf(type, sizeof type, "%.4s", line + 9);
		for (b += 7; nb < sizeof bytes; nb++) {
			char *end;
			unsigned long x = strtoul(b, &end, 16);
			if (end == b)
				break;
			bytes[nb] = (uint8_t)x;
			b = end;
		}
		k->n++;
		if (strcmp(type, "flt ") || nb != 4)
			continue;
		v = apple_smc_value(0x666c7420u, bytes, 4);
		t = apple_reading_add_temp(r);
		assert_non_null(t);
		t->source = APPLE_TEMP_SMC;
		snprintf(t->name, sizeof t->name, "%s", name);
		t->celsius = v;
		/* the rule, written out here: 15-150 degrees, not exactly 40 */
		if (!(v >= 15 && v <= 150 && v != 40))
			continue;
		cpu = !strncmp(name, "Tp", 2) || !strncmp(name, "Te", 2) || !strcmp(name, "TCMb") ||
		      !strcmp(name, "TCMz");
		gpu = !strncmp(name, "Tg", 2);
		if (cpu) {
			k->cpu++;
			k->cpu_max = isnan(k->cpu_max) || v > k->cpu_max ? v : k->cpu_max;
		}
		if (gpu) {
			k->gpu++;
			k->gpu_max = isnan(k->gpu_max) || v > k->gpu_max ? v : k->gpu_max;
		}
	}
	free(text);
}

/* Point 5: M4 Max (308 T keys, 102 Tp), M5 Pro and M5 Max (84 Tg and 40 Tm before the first
 * Tp): no fixed cap, no alphabetical order loses the CPU or the GPU; the sample keeps the
 * hottest of each kind where there are more sensors than it holds. */
static void test_temps_of_every_chip_from_real_key_lists(void **state)
{
	static const struct {
		const char *file;
		unsigned keys;
	} chips[] = {
		{ "apple/smc/smc_temp_dump_m4-max.txt", 308 },
		{ "apple/smc/smc_temp_dump_m5-pro.txt", 285 },
		{ "apple/smc/smc_temp_dump_m5-max.txt", 361 },
	};

	(void)state;
	for (unsigned c = 0; c < 3; c++) {
		struct pair p;
		struct sample s;
		struct keydump k;
		unsigned kinds[TEMP_KIND_COUNT] = { 0 };

		pair_init(&p);
		read_keydump(chips[c].file, &p.b, &k);
		assert_int_equal(k.n, chips[c].keys);
		pair_decode(&p, &s);
		print_message("%s: %u keys, %u CPU (max %.2f), %u GPU (max %.2f)\n", chips[c].file,
		              k.n, k.cpu, k.cpu_max, k.gpu, k.gpu_max);
		assert_true(k.cpu > 0 && k.gpu > 0);
		near_abs(sample_temp_max(&s, TEMP_CPU), k.cpu_max, 1e-4, "CPU temperature");
		near_abs(sample_temp_max(&s, TEMP_GPU), k.gpu_max, 1e-4, "GPU temperature");
		assert_true(s.ntemps <= SAMPLE_MAX_TEMPS);
		for (unsigned i = 0; i < s.ntemps; i++)
			kinds[s.temps[i].kind]++;
		assert_true(kinds[TEMP_CPU] > 0 && kinds[TEMP_GPU] > 0);
		sample_free(&s);
		pair_free(&p);
	}
}

/* A dump keeps what the new rules read: the driver's timestamps, the SMC power keys, every
 * temperature, whose each process is and whether its path was refused. */
static void test_dump_keeps_timestamps_smc_power_and_owners(void **state)
{
	struct apple_dump d, back;
	struct apple_reading *r;
	struct apple_proc *p;
	struct strbuf b;
	struct error err;

	(void)state;
	apple_dump_init(&d);
	snprintf(d.host.os, sizeof d.host.os, "macOS 27.0");
	for (unsigned k = 0; k < 2; k++) {
		r = apple_dump_add_reading(&d);
		assert_non_null(r);
		r->mach_time = r->ior.mach_time = 1000 + k;
		simple(&r->ior, "Energy Model", "", "CPU Energy", "mJ", 5 + k);
		r->ior.ch[0].ts = 990 + k;
		r->nsmc_power = 1;
		snprintf(r->smc_power[0].key, sizeof r->smc_power[0].key, "PC02");
		r->smc_power[0].watts = 2.5;
		for (unsigned i = 0; i < 150; i++) {
			struct apple_temp *t = apple_reading_add_temp(r);
			assert_non_null(t);
			snprintf(t->name, sizeof t->name, "Tp%02u", i);
			t->celsius = 30 + i * 0.25;
		}
		p = apple_reading_add_proc(r);
		assert_non_null(p);
		p->pid = 0;
		p->uid = 0;
		p->path_denied = true;
		snprintf(p->name, sizeof p->name, "kernel_task");
		r->have_procs = true;
	}
	sb_init(&b);
	apple_dump_write(&b, &d);
	if (apple_dump_parse(b.buf, b.len, &back, &err))
		fail_msg("%s", err.msg);
	r = &back.reading[1];
	assert_true(r->ior.ch[0].ts == 991);
	assert_int_equal(r->nsmc_power, 1);
	assert_string_equal(r->smc_power[0].key, "PC02");
	assert_true(r->smc_power[0].watts == 2.5);
	assert_int_equal(r->ntemps, 150);
	assert_true(r->temp[149].celsius == 30 + 149 * 0.25);
	assert_int_equal(r->nprocs, 1);
	assert_int_equal(r->procs[0].pid, 0);
	assert_int_equal(r->procs[0].uid, 0);
	assert_true(r->procs[0].path_denied);
	sb_free(&b);
	apple_dump_free(&back);
	apple_dump_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_util_counts_nice_as_busy),
		cmocka_unit_test(test_core_seconds_are_ticks_over_100),
		cmocka_unit_test(test_cluster_freq_without_its_channel_is_the_fastest_core),
		cmocka_unit_test(test_missing_core_channel_keeps_cpu_numbers),
		cmocka_unit_test(test_gpu_pstates_without_an_off_slot),
		cmocka_unit_test(test_dvfs_state_beyond_the_table_is_its_top),
		cmocka_unit_test(test_dvfs_table_length_checked_every_time),
		cmocka_unit_test(test_acc_clusters_only_when_they_match),
		cmocka_unit_test(test_amc_no_data_falls_back_to_pmp),
		cmocka_unit_test(test_amcc_only_where_it_is_the_only_channel),
		cmocka_unit_test(test_die0_token_in_channel_names),
		cmocka_unit_test(test_smc_values_by_type),
		cmocka_unit_test(test_temps_sentinels_and_die_keys),
		cmocka_unit_test(test_temps_of_every_chip_from_real_key_lists),
		cmocka_unit_test(test_dump_keeps_timestamps_smc_power_and_owners),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
