/* test_apple_energy.c - the Apple decoder's power over time: a burst after idle, batched
 * publication (macOS 27, ~2.1 s), the driver's own timestamps, still counters that are idle (0 W)
 * or stale (a busy unit), the macOS 27 freeze and the SMC rails validated per chip, and the
 * package total. Each test is named for the defect it pins (issue 12, points 3, 7, 8, 9). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "apple_machine.h"
#include "testutil.h"

/* exactly, up to rounding */
static void watts_is(double got, double want, const char *what)
{
	if (isnan(got) || fabs(got - want) > 1e-9 * (fabs(want) + 1))
		fail_msg("%s: got %.9g W, want %.9g W", what, got, want);
}

/* Point 3: 5 J in a 1 s window after 6 s of no movement is 5 W, not 5 J over 7 s (0.714 W),
 * before macOS 27 and on it. */
static void test_burst_after_six_idle_windows_reads_5w(void **state)
{
	static const char *const os[] = { "macOS 26.4", "macOS 27.0" };

	(void)state;
	for (unsigned k = 0; k < 2; k++) {
		struct machine m;
		struct sample s;

		machine_init(&m, "Apple M4", os[k]);
		machine_energy(&m.r[0], "CPU Energy", "mJ", 1000000, 0);
		for (unsigned i = 0; i < 6; i++) /* idle: the counter does not move */
			machine_step(&m, 1.0, 0.0);
		machine_add(machine_step(&m, 1.0, 0.5), "CPU Energy", 5000, false);
		sample_init(&s);
		for (unsigned i = 1; i < m.n; i++) {
			machine_decode(&m, i, &s);
			/* still past the hold time on an idle CPU: a true 0 W */
			if (i >= 3 && i <= 6)
				watts_is(s.power[RAIL_CPU].watts, 0, "idle");
		}
		watts_is(s.power[RAIL_CPU].watts, 5.0, os[k]);
		assert_false(s.power[RAIL_CPU].stale);
		watts_is(s.power[RAIL_CPU].joules, 5.0, "energy");
		sample_free(&s);
		machine_free(&m);
	}
}

/* Point 3: a counter published every second or third window (macOS 27, M5 Max) averages right:
 * 2 W throughout, held between batches, never 0 and never doubled. */
static void test_batched_every_second_or_third_window_averages_right(void **state)
{
	static const unsigned batch_at[] = { 2, 4, 7, 10, 12 };
	struct machine m;
	struct sample s;
	unsigned b = 0;

	(void)state;
	machine_init(&m, "Apple M5 Max", "macOS 27.0");
	machine_energy(&m.r[0], "CPU Energy", "mJ", 0, 0);
	for (unsigned i = 1; i <= 12; i++) {
		struct apple_reading *r = machine_step(&m, 1.0, 0.6);
		if (b < 5 && batch_at[b] == i) {
			/* everything since the last batch: 2 W over its windows */
			machine_add(r, "CPU Energy",
			            2000 * (int64_t)(i - (b ? batch_at[b - 1] : 0)), false);
			b++;
		}
	}
	sample_init(&s);
	for (unsigned i = 1; i < m.n; i++) {
		machine_decode(&m, i, &s);
		if (i == 1) { /* nothing published yet: unknown, not 0 W */
			assert_true(isnan(s.power[RAIL_CPU].watts));
			assert_false(s.power[RAIL_CPU].stale);
			assert_non_null(strstr(sample_note_get(&s, "power.cpu"), "not moved yet"));
			continue;
		}
		watts_is(s.power[RAIL_CPU].watts, 2.0, "batched");
		assert_false(s.power[RAIL_CPU].stale);
	}
	watts_is(s.power[RAIL_CPU].joules, 24.0, "energy");
	sample_free(&s);
	machine_free(&m);
}

/* Point 3 / row 2: timed by the driver's RawElements timestamps, batches 2.1 s apart sampled
 * every second give the true 4 W at every publication (the readings alone would spread a batch
 * over 1 or 2 s: 8.4 W or 4.2 W). */
static void test_energy_timed_by_driver_timestamps(void **state)
{
	struct machine m;
	struct sample s;
	const uint64_t t0 = 1000 * TICKS_PER_S, period = (uint64_t)(2.1 * TICKS_PER_S);

	(void)state;
	machine_init(&m, "Apple M5 Max", "macOS 27.0");
	machine_energy(&m.r[0], "CPU Energy", "mJ", 0, t0);
	for (unsigned i = 1; i <= 9; i++) {
		struct apple_reading *r = machine_step(&m, 1.0, 0.7);
		uint64_t k = (r->mach_time - t0) / period; /* batches so far */
		machine_energy(r, "CPU Energy", "mJ",
		               (int64_t)llround(4.0 * 2.1 * 1000 * (double)k), t0 + k * period);
	}
	sample_init(&s);
	for (unsigned i = 1; i < m.n; i++) {
		machine_decode(&m, i, &s);
		if (i >= 3) /* the first batch lands at 2.1 s, read at 3 s */
			watts_is(s.power[RAIL_CPU].watts, 4.0, "timestamped batch");
		else
			assert_true(isnan(s.power[RAIL_CPU].watts));
		assert_false(s.power[RAIL_CPU].stale);
	}
	sample_free(&s);
	machine_free(&m);

	/* timestamps that stand still while the value moves are unusable: timed by the
	 * readings from then on (all-smi PR #412) */
	machine_init(&m, "Apple M4", "macOS 26.4");
	machine_energy(&m.r[0], "CPU Energy", "mJ", 0, t0);
	for (unsigned i = 1; i <= 3; i++)
		machine_add(machine_step(&m, 1.0, 0.5), "CPU Energy", 3000, false);
	sample_init(&s);
	for (unsigned i = 1; i < m.n; i++) {
		machine_decode(&m, i, &s);
		watts_is(s.power[RAIL_CPU].watts, 3.0, "frozen timestamps, moving value");
	}
	sample_free(&s);
	machine_free(&m);

	/* a timestamp later than the reading itself: the same */
	machine_init(&m, "Apple M4", "macOS 26.4");
	machine_energy(&m.r[0], "CPU Energy", "mJ", 0, t0);
	machine_energy(machine_step(&m, 1.0, 0.5), "CPU Energy", "mJ", 2000, t0 + 5 * TICKS_PER_S);
	sample_init(&s);
	machine_decode(&m, 1, &s);
	watts_is(s.power[RAIL_CPU].watts, 2.0, "a timestamp ahead of the reading");
	sample_free(&s);
	machine_free(&m);
}

/* Point 7: a counter that stops while its unit is busy is stale -- its last value, marked,
 * dropped to N/A after 10 s -- never a confident 0 W; GPU Energy, still counting, is current. */
static void test_still_counter_on_a_busy_unit_is_stale(void **state)
{
	struct machine m;
	struct sample s;

	(void)state;
	machine_init(&m, "Apple M4 Max", "macOS 27.0");
	machine_energy(&m.r[0], "CPU Energy", "mJ", 0, 0);
	machine_energy(&m.r[0], "GPU Energy", "nJ", 0, 0);
	machine_energy(&m.r[0], "DRAM0", "mJ", 0, 0);
	machine_energy(&m.r[0], "ANE0", "mJ", 0, 0);
	for (unsigned i = 1; i <= 14; i++) {
		struct apple_reading *r = machine_step(&m, 1.0, 0.6);
		machine_gpu(&m, r, 0.5);
		machine_add(r, "GPU Energy", 1500000000, false); /* 1.5 W, every window */
		if (i <= 2) {
			machine_add(r, "CPU Energy", 3000, false);
			machine_add(r, "DRAM0", 500, false);
			machine_add(r, "ANE0", 100, false);
		}
	}
	sample_init(&s);
	for (unsigned i = 1; i < m.n; i++) {
		machine_decode(&m, i, &s);
		watts_is(s.power[RAIL_GPU].watts, 1.5, "GPU Energy counts on");
		assert_false(s.power[RAIL_GPU].stale);
		if (i <= 4) { /* moving, then held within the hold time */
			watts_is(s.power[RAIL_CPU].watts, 3.0, "CPU");
			assert_false(s.power[RAIL_CPU].stale);
			continue;
		}
		/* still for more than 2.5 s while the CPU is 60 % busy */
		assert_true(s.power[RAIL_CPU].stale);
		assert_true(s.power[RAIL_DRAM].stale); /* memory serves the busy CPU */
		assert_true(s.power[RAIL_ANE].stale);  /* stopped with them */
		assert_true(s.power[RAIL_PACKAGE].stale);
		assert_true(s.power[RAIL_CPU].watts != 0);
		assert_non_null(strstr(sample_note_get(&s, "power.cpu"), "stale"));
		assert_non_null(strstr(sample_note_get(&s, "power.cpu"), "macOS 27"));
		assert_non_null(strstr(sample_note_get(&s, "power.ane"), "stale"));
		if (i <= 12) {
			watts_is(s.power[RAIL_CPU].watts, 3.0, "stale: its last value");
			watts_is(s.power[RAIL_ANE].watts, 0.1, "stale ANE");
		} else { /* still for more than 10 s: dropped, still marked */
			assert_true(isnan(s.power[RAIL_CPU].watts));
			assert_true(isnan(s.power[RAIL_PACKAGE].watts));
		}
	}
	sample_free(&s);
	machine_free(&m);
}

/* Point 7: before macOS 27 a busy unit's still counter is stale at once; an idle unit's still
 * counter is a true 0 W (the ANE idle beside a moving CPU counter too). */
static void test_still_counter_idle_is_0w_busy_is_stale(void **state)
{
	struct machine m;
	struct sample s;

	(void)state;
	machine_init(&m, "Apple M1 Ultra", "macOS 26.6");
	machine_energy(&m.r[0], "CPU Energy", "mJ", 0, 0);
	machine_energy(&m.r[0], "ANE0", "mJ", 0, 0);
	machine_add(machine_step(&m, 1.0, 0.004), "CPU Energy", 0, false);  /* idle, still */
	machine_add(machine_step(&m, 1.0, 0.5), "CPU Energy", 2000, false); /* ANE still */
	machine_step(&m, 1.0, 0.5);                                         /* busy, still */
	sample_init(&s);
	machine_decode(&m, 1, &s);
	watts_is(s.power[RAIL_CPU].watts, 0, "idle CPU");
	assert_false(s.power[RAIL_CPU].stale);
	machine_decode(&m, 2, &s);
	watts_is(s.power[RAIL_CPU].watts, 2.0, "CPU");
	watts_is(s.power[RAIL_ANE].watts, 0, "idle ANE beside a moving CPU counter");
	assert_false(s.power[RAIL_ANE].stale);
	machine_decode(&m, 3, &s);
	assert_true(s.power[RAIL_CPU].stale);
	watts_is(s.power[RAIL_CPU].watts, 2.0, "stale");
	assert_null(strstr(sample_note_get(&s, "power.cpu"), "macOS 27"));
	sample_free(&s);
	machine_free(&m);
}

/* Row 1 and key fact 13: on macOS 27 an M3 Max whose CPU counter froze takes its CPU power from
 * the SMC rails macmon validated on that chip; an M5 Max, with no validated mapping, stays
 * stale; an A18 Pro, whose Energy Model has no CPU roll-up, reads PZC0. */
static void test_macos27_freeze_smc_rails_only_where_validated(void **state)
{
	static const char *const chips[] = { "Apple M3 Max", "Apple M5 Max" };
	static const char *const keys[] = { "PC02", "PC03", "PC42", "PC43", "PP5b" };

	(void)state;
	for (unsigned c = 0; c < 2; c++) {
		struct machine m;
		struct sample s;

		machine_init(&m, chips[c], "macOS 27.0");
		machine_energy(&m.r[0], "CPU Energy", "mJ", 0, 0);
		for (unsigned i = 1; i <= 4; i++) {
			struct apple_reading *r = machine_step(&m, 1.0, 0.8);
			r->nsmc_power = 5;
			for (unsigned k = 0; k < 5; k++) {
				snprintf(r->smc_power[k].key, sizeof r->smc_power[k].key, "%s",
				         keys[k]);
				r->smc_power[k].watts = 1.0 + k; /* 15 W in all */
			}
		}
		sample_init(&s);
		for (unsigned i = 1; i < m.n; i++)
			machine_decode(&m, i, &s);
		if (c == 0) {
			watts_is(s.power[RAIL_CPU].watts, 15.0, "M3 Max SMC rails");
			assert_false(s.power[RAIL_CPU].stale);
			assert_non_null(
			    strstr(sample_note_get(&s, "power.cpu"), "PC02+PC03+PC42+PC43+PP5b"));
		} else {
			assert_true(s.power[RAIL_CPU].stale);
			assert_true(
			    isnan(s.power[RAIL_CPU].watts)); /* never moved: nothing to hold */
		}
		sample_free(&s);
		machine_free(&m);
	}
	{
		struct machine m;
		struct sample s;
		struct apple_reading *r;

		machine_init(&m, "Apple A18 Pro", "macOS 26.5");
		machine_energy(&m.r[0], "GPU Energy", "nJ", 0, 0);
		r = machine_step(&m, 2.0, 0.5);
		r->nsmc_power = 1;
		snprintf(r->smc_power[0].key, sizeof r->smc_power[0].key, "PZC0");
		r->smc_power[0].watts = 3.25;
		sample_init(&s);
		machine_decode(&m, 1, &s);
		watts_is(s.power[RAIL_CPU].watts, 3.25, "A18 Pro PZC0");
		watts_is(s.power[RAIL_CPU].joules, 6.5, "A18 Pro energy");
		sample_free(&s);
		machine_free(&m);
	}
}

/* Point 9: the package is CPU + GPU + ANE exactly (a 1 % tolerance on a 0.1 W ANE share hid a
 * package without the ANE); a chip without an ANE rail sums CPU and GPU. */
static void test_package_includes_the_ane(void **state)
{
	struct machine m;
	struct sample s;
	struct apple_reading *r;

	(void)state;
	machine_init(&m, "Apple M2", "macOS 15.3");
	machine_energy(&m.r[0], "CPU Energy", "mJ", 0, 0);
	machine_energy(&m.r[0], "GPU Energy", "nJ", 0, 0);
	machine_energy(&m.r[0], "ANE", "mJ", 0, 0);
	r = machine_step(&m, 1.0, 0.5);
	machine_gpu(&m, r, 0.5);
	machine_add(r, "CPU Energy", 2000, false);
	machine_add(r, "GPU Energy", 1000000000, false);
	machine_add(r, "ANE", 500, false);
	sample_init(&s);
	machine_decode(&m, 1, &s);
	watts_is(s.power[RAIL_ANE].watts, 0.5, "ANE");
	watts_is(s.power[RAIL_PACKAGE].watts, 3.5, "package");
	watts_is(s.power[RAIL_PACKAGE].joules, 3.5, "package energy");
	sample_free(&s);
	machine_free(&m);
}

/* Row 3: the GPU from exactly "GPU Energy"; "GPU<n>" only where there is no "GPU Energy", and
 * never "GPU SRAM". */
static void test_gpu_n_only_without_gpu_energy(void **state)
{
	for (unsigned with = 0; with < 2; with++) {
		struct machine m;
		struct sample s;
		struct apple_reading *r;

		(void)state;
		machine_init(&m, "Apple M1 Ultra", "macOS 26.6");
		machine_energy(&m.r[0], "GPU0_0", "mJ", 0, 0);
		machine_energy(&m.r[0], "GPU SRAM0_0", "mJ", 0, 0);
		if (with)
			machine_energy(&m.r[0], "GPU Energy", "nJ", 0, 0);
		r = machine_step(&m, 1.0, 0.2);
		machine_gpu(&m, r, 0.5);
		machine_add(r, "GPU0_0", 900, false);
		machine_add(r, "GPU SRAM0_0", 50, false);
		if (with)
			machine_add(r, "GPU Energy", 1000000000, false);
		sample_init(&s);
		machine_decode(&m, 1, &s);
		watts_is(s.power[RAIL_GPU].watts, with ? 1.0 : 0.9, "GPU");
		sample_free(&s);
		machine_free(&m);
	}
}

/* Row 4: on macOS 27 (and M5) the ANE's energy counter freezes with the CPU's, and its power
 * gauge stuck at 0. Its floor residencies (PMP SOC Floor/ANE-AF-BW) still move: the ANE's
 * activity is the share of time above the idle floor (60 %), and its still counter is stale
 * while that says busy, but a true 0 W when the floor says idle, whatever the CPU counter did.
 * The same channel twice (a re-merged subscription) counts once: the larger, not the sum. */
static void test_ane_activity_from_the_pmp_floor(void **state)
{
	struct machine m;
	struct sample s;
	struct apple_reading *r;

	(void)state;
	machine_init(&m, "Apple M5 Max", "macOS 27.0");
	machine_energy(&m.r[0], "CPU Energy", "mJ", 0, 0);
	machine_energy(&m.r[0], "ANE0", "mJ", 0, 0);
	machine_ane_floor(&m, &m.r[0], 0);
	for (unsigned i = 1; i <= 6; i++) /* every counter frozen; the ANE busy, then idle */
		machine_ane_floor(&m, machine_step(&m, 1.0, 0.8), i <= 4 ? 0.6 : 0.0);
	sample_init(&s);
	machine_decode(&m, 1, &s);
	assert_true(fabs(s.npu.util - 0.6) < 1e-9);
	assert_null(sample_note_get(&s, "npu")); /* measured, not power against 8 W */
	for (unsigned i = 2; i <= 4; i++)
		machine_decode(&m, i, &s);
	assert_true(fabs(s.npu.util - 0.6) < 1e-9);
	assert_true(s.power[RAIL_ANE].stale); /* still past the publication period, and busy */
	assert_non_null(strstr(sample_note_get(&s, "power.ane"), "60 % active"));
	machine_decode(&m, 5, &s);
	machine_decode(&m, 6, &s);
	assert_true(s.npu.util == 0);
	assert_false(s.power[RAIL_ANE].stale);
	watts_is(s.power[RAIL_ANE].watts, 0, "an idle ANE's still counter");
	assert_true(s.power[RAIL_CPU].stale); /* the CPU, busy, is stale all the while */
	sample_free(&s);
	machine_free(&m);

	/* a duplicate of the channel with less time above the floor: the larger share counts */
	machine_init(&m, "Apple M5 Max", "macOS 27.0");
	machine_ane_floor(&m, &m.r[0], 0);
	r = machine_step(&m, 1.0, 0.1);
	machine_ane_floor(&m, r, 0.3);
	{
		struct ior_channel *d =
		    ior_add(&r->ior, "PMP", "SOC Floor", "ANE-AF-BW", "ns", IOR_STATE);
		assert_non_null(d);
		assert_int_equal(ior_add_states(d, 2), 0);
		d->states[0].residency = 900000000; /* 10 % above the floor over 1 s, no earlier */
		d->states[1].residency = 100000000;
	}
	sample_init(&s);
	machine_decode(&m, 1, &s);
	assert_true(fabs(s.npu.util - 0.3) < 1e-9);
	sample_free(&s);
	machine_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_after_six_idle_windows_reads_5w),
		cmocka_unit_test(test_batched_every_second_or_third_window_averages_right),
		cmocka_unit_test(test_energy_timed_by_driver_timestamps),
		cmocka_unit_test(test_still_counter_on_a_busy_unit_is_stale),
		cmocka_unit_test(test_still_counter_idle_is_0w_busy_is_stale),
		cmocka_unit_test(test_ane_activity_from_the_pmp_floor),
		cmocka_unit_test(test_macos27_freeze_smc_rails_only_where_validated),
		cmocka_unit_test(test_package_includes_the_ane),
		cmocka_unit_test(test_gpu_n_only_without_gpu_energy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
