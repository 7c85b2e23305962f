/* test_ledger.c - the summary's arithmetic over plain samples: energy from counters (held
 * watts, gaps, restarts), the process tree and its share, time per thermal level and throttle
 * cause, peaks, and the JSON summary */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/summary.h"
#include "history/ledger.h"
#include "sample.h"
#include "testutil.h"

static void base(struct sample *s, uint64_t seq, double t, double dt)
{
	sample_reset(s);
	s->seq = seq;
	s->time = t;
	s->interval_s = dt;
	strcpy(s->source, "linux");
	strcpy(s->host.chip, "Test CPU");
	s->host.cpus = 4;
}

static void proc(struct sample *s, int pid, int ppid, double cpu)
{
	struct sample_proc *p = sample_add_proc(s);
	p->pid = pid;
	p->ppid = ppid;
	p->cpu = cpu;
	p->rss_bytes = 1e6 * pid;
}

/* A counter that moved 5 J in a window whose watts were held low (macOS 27 batches): the
 * counter is the energy. Without a previous sample of the same run: watts x interval. */
static void ledger_energy_is_the_counters_advance(void **state)
{
	(void)state;
	assert_float_equal(ledger_interval_joules(10, true, 15, 0.714, 1), 5, 1e-12);
	assert_float_equal(ledger_interval_joules(10, false, 15, 0.714, 1), 0.714, 1e-12);
	assert_float_equal(ledger_interval_joules(NAN, true, 15, 2, 0.5), 1, 1e-12);
	/* a counter that went backwards (a restarted source): the watts */
	assert_float_equal(ledger_interval_joules(20, true, 15, 3, 2), 6, 1e-12);
	assert_true(isnan(ledger_interval_joules(NAN, false, NAN, NAN, 1)));
}

static void ledger_sums_rails_over_samples_and_restarts(void **state)
{
	struct sample s;
	struct ledger l;

	(void)state;
	sample_init(&s);
	ledger_init(&l, 0, 0);
	base(&s, 1, 101, 1);
	s.power[RAIL_PACKAGE].watts = 10;
	s.power[RAIL_PACKAGE].joules = 1000; /* the counter's own value: not energy */
	ledger_add(&l, &s);
	base(&s, 2, 102, 1);
	s.power[RAIL_PACKAGE].watts = 12;
	s.power[RAIL_PACKAGE].joules = 1012;
	ledger_add(&l, &s);
	/* the source restarted (--max-count): seq 1 again, counter from scratch */
	base(&s, 1, 104, 2);
	s.power[RAIL_PACKAGE].watts = 7;
	s.power[RAIL_PACKAGE].joules = 5;
	ledger_add(&l, &s);
	assert_true(l.rail[RAIL_PACKAGE].known);
	assert_float_equal(l.rail[RAIL_PACKAGE].joules, 10 + 12 + 14, 1e-9);
	assert_float_equal(l.rail[RAIL_PACKAGE].peak_w, 12, 1e-9);
	assert_float_equal(l.covered_s, 4, 1e-12);
	assert_float_equal(l.start, 100, 1e-9);
	assert_float_equal(l.end, 104, 1e-9);
	assert_false(l.rail[RAIL_GPU].known);
	assert_int_equal(l.samples, 3);
	sample_free(&s);
}

/* The command (pid 100), its child and grandchild make 1.5 of the 3 busy CPUs: half of the
 * CPU rail's 8 J is theirs; an unrelated process and agtop are not. */
static void ledger_tree_share_is_its_cpu_share(void **state)
{
	struct sample s;
	struct ledger l;

	(void)state;
	sample_init(&s);
	ledger_init(&l, 100, 0);
	base(&s, 1, 10, 1);
	s.cpu_util = 0.75; /* of 4 CPUs: 3 busy */
	s.power[RAIL_CPU].watts = 8;
	s.power[RAIL_CPU].joules = 8;
	proc(&s, 200, 1, 1.5); /* unrelated */
	proc(&s, 102, 101, 0.25);
	proc(&s, 101, 100, 0.5);
	proc(&s, 100, 50, 0.75);
	proc(&s, 50, 1, 0.0); /* agtop */
	ledger_add(&l, &s);
	assert_float_equal(l.tree_cpu_s, 1.5, 1e-12);
	assert_float_equal(l.machine_cpu_s, 3, 1e-12);
	assert_float_equal(l.rail[RAIL_CPU].tree_j, 4, 1e-12);
	assert_int_equal(l.rail[RAIL_CPU].method, LEDGER_ESTIMATED);
	assert_true(ledger_in_tree(&l, 102));
	assert_false(ledger_in_tree(&l, 200));
	assert_false(ledger_in_tree(&l, 50));
	assert_float_equal(l.peak_tree_rss, 303e6, 1);

	/* the child exited: the grandchild, now an orphan of agtop (the subreaper), counts */
	base(&s, 2, 11, 1);
	s.cpu_util = 0.25;
	s.power[RAIL_CPU].watts = 2;
	s.power[RAIL_CPU].joules = 10;
	proc(&s, 100, 50, 0.5);
	proc(&s, 103, 50, 0.5); /* started and orphaned between samples */
	l.reaper_pid = 50;
	ledger_add(&l, &s);
	assert_true(ledger_in_tree(&l, 103));
	assert_float_equal(l.rail[RAIL_CPU].tree_j, 4 + 2, 1e-12);
	sample_free(&s);
}

/* Where processes have their own energy counters (macOS ri_energy_nj), the tree's CPU energy
 * is measured; the Apple package (CPU+GPU+ANE) takes its parts' shares. */
static void ledger_measured_energy_and_apple_package(void **state)
{
	struct sample s;
	struct ledger l;

	(void)state;
	sample_init(&s);
	ledger_init(&l, 100, 0);
	base(&s, 1, 10, 2);
	strcpy(s.source, "ioreport");
	s.cpu_util = 0.5;
	s.power[RAIL_CPU].watts = 5;
	s.power[RAIL_GPU].watts = 3;
	s.power[RAIL_ANE].watts = 0;
	s.power[RAIL_PACKAGE].watts = 8;
	s.ngpus = 1;
	s.gpus[0].util = 0.4;
	proc(&s, 100, 1, 1.0);
	s.procs[0].energy_w = 1.5;
	ledger_add(&l, &s);
	assert_int_equal(l.rail[RAIL_CPU].method, LEDGER_MEASURED);
	assert_float_equal(l.rail[RAIL_CPU].tree_j, 3, 1e-12);
	assert_float_equal(l.tree_energy_j, 3, 1e-12);
	/* no per-process GPU time in this sample: the package share is the CPU part only */
	assert_float_equal(l.rail[RAIL_PACKAGE].tree_j, 3, 1e-12);
	assert_float_equal(l.rail[RAIL_PACKAGE].joules, 16, 1e-12);

	/* with its GPU time (0.3 of the GPU's 0.4 busy): three quarters of the 6 J GPU energy,
	 * and the package share is the CPU part plus that */
	base(&s, 2, 12, 2);
	strcpy(s.source, "ioreport");
	s.cpu_util = 0.5;
	s.power[RAIL_CPU].watts = 5;
	s.power[RAIL_GPU].watts = 3;
	s.power[RAIL_ANE].watts = 0;
	s.power[RAIL_PACKAGE].watts = 8;
	s.ngpus = 1;
	s.gpus[0].util = 0.4;
	proc(&s, 100, 1, 1.0);
	s.procs[0].energy_w = 1.5;
	s.procs[0].gpu_util = 0.3;
	ledger_add(&l, &s);
	assert_float_equal(l.rail[RAIL_GPU].tree_j, 4.5, 1e-12);
	assert_int_equal(l.rail[RAIL_GPU].method, LEDGER_ESTIMATED);
	assert_float_equal(l.tree_gpu_s, 0.6, 1e-12);
	assert_float_equal(l.rail[RAIL_PACKAGE].tree_j, 3 + 3 + 4.5, 1e-12);
	sample_free(&s);
}

static void ledger_counts_time_per_condition_and_peaks(void **state)
{
	struct sample s;
	struct ledger l;

	(void)state;
	sample_init(&s);
	ledger_init(&l, 0, 0);
	base(&s, 1, 10, 1);
	s.thermal = THERMAL_NOMINAL;
	s.throttle.known = true;
	s.memory.used_bytes = 4e9;
	s.memory.total_bytes = 16e9;
	s.memory.swap_used_bytes = 0;
	s.bandwidth.total_bps = 50e9;
	s.ntemps = 2;
	strcpy(s.temps[0].sensor, "Tp01");
	s.temps[0].kind = TEMP_CPU;
	s.temps[0].celsius = 70;
	strcpy(s.temps[1].sensor, "TB0T");
	s.temps[1].kind = TEMP_OTHER; /* not a chip temperature: never the peak */
	s.temps[1].celsius = 95;
	ledger_add(&l, &s);
	base(&s, 2, 12, 2);
	s.thermal = THERMAL_SERIOUS;
	s.throttle.known = true;
	s.throttle.causes = 1u << THROTTLE_THERMAL | 1u << THROTTLE_LOW_POWER;
	s.memory.used_bytes = 6e9;
	s.memory.swap_used_bytes = 1e9;
	s.bandwidth.total_bps = 20e9;
	s.ntemps = 1;
	strcpy(s.temps[0].sensor, "Tg05");
	s.temps[0].kind = TEMP_GPU;
	s.temps[0].celsius = 81.5;
	ledger_add(&l, &s);
	assert_float_equal(l.thermal_s[THERMAL_NOMINAL], 1, 1e-12);
	assert_float_equal(l.thermal_s[THERMAL_SERIOUS], 2, 1e-12);
	assert_float_equal(l.throttled_s, 2, 1e-12);
	assert_float_equal(l.throttle_s[THROTTLE_THERMAL], 2, 1e-12);
	assert_float_equal(l.throttle_s[THROTTLE_LOW_POWER], 2, 1e-12);
	assert_float_equal(l.throttle_s[THROTTLE_POWER], 0, 1e-12);
	assert_float_equal(l.peak_temp_c, 81.5, 1e-12);
	assert_string_equal(l.peak_temp_sensor, "Tg05");
	assert_float_equal(l.peak_mem_used, 6e9, 1);
	assert_float_equal(l.peak_swap_used, 1e9, 1);
	assert_float_equal(l.peak_bw_bps, 50e9, 1);
	sample_free(&s);
}

static void summary_json_has_the_ledgers_values(void **state)
{
	struct sample s;
	struct ledger l;
	struct strbuf b;
	json_t *j;
	char *argv[] = { "make", "-j8", NULL };
	struct summary_cmd c = { argv, 0, 0, "exited with status 0", 2, 1.5, 0.25, 5e6 };

	(void)state;
	sample_init(&s);
	sb_init(&b);
	ledger_init(&l, 100, 0);
	base(&s, 1, 10, 2);
	s.cpu_util = 0.5;
	s.power[RAIL_CPU].watts = 4;
	s.thermal = THERMAL_FAIR;
	proc(&s, 100, 1, 1.0);
	ledger_add(&l, &s);
	assert_int_equal(summary_json(&b, &l, &c), 0);
	j = json_loads(b.buf, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(json_object_get(j, "command"), "argv"), 1)),
	                    "-j8");
	assert_float_equal(json_real_value(json_object_get(
	                       json_object_get(json_object_get(j, "energy"), "cpu"), "machine_j")),
	                   8, 1e-12);
	/* 1 of the 2 busy CPUs: half of 8 J */
	assert_float_equal(json_real_value(json_object_get(
	                       json_object_get(json_object_get(j, "energy"), "cpu"), "command_j")),
	                   4, 1e-12);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(json_object_get(j, "energy"), "cpu"),
	                                      "command_method")),
	    "estimate");
	assert_float_equal(
	    json_real_value(json_object_get(json_object_get(j, "thermal_s"), "fair")), 2, 1e-12);
	/* unknown stays unknown */
	assert_true(json_is_null(json_object_get(j, "throttled_s")));
	assert_true(json_is_null(json_object_get(j, "peak_bandwidth_bps")));
	assert_null(json_object_get(json_object_get(j, "energy"), "gpu"));
	json_decref(j);

	sb_clear(&b);
	summary_text(&b, &l, &c);
	assert_non_null(strstr(b.buf, "agtop run: make -j8"));
	assert_non_null(strstr(b.buf, "CPU time    1.75 s"));
	assert_non_null(strstr(b.buf, "4.0 J (estimate)"));
	assert_non_null(strstr(b.buf, "fair 2.0 s"));
	sb_free(&b);
	sample_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ledger_energy_is_the_counters_advance),
		cmocka_unit_test(ledger_sums_rails_over_samples_and_restarts),
		cmocka_unit_test(ledger_tree_share_is_its_cpu_share),
		cmocka_unit_test(ledger_measured_energy_and_apple_package),
		cmocka_unit_test(ledger_counts_time_per_condition_and_peaks),
		cmocka_unit_test(summary_json_has_the_ledgers_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
