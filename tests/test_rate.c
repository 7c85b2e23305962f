/* test_rate.c - counter maths: wrap, reset, backwards and stalled counters */
#include <math.h>

#include "history/rate.h"
#include "testutil.h"

static void saturating_subtraction(void **state)
{
	(void)state;
	assert_int_equal(sat_sub(10, 3), 7);
	assert_int_equal(sat_sub(3, 10), 0);
	assert_int_equal(sat_sub(UINT64_MAX, 0), UINT64_MAX);
}

static void counter_delta_wraps_at_the_range(void **state)
{
	uint64_t d;
	const uint64_t range = 262143328850ull; /* max_energy_range_uj of the captured trees */

	(void)state;
	assert_true(counter_delta(100, 250, range, &d));
	assert_int_equal(d, 150);
	/* EXPECTED.md's wrap: prev = max - 5e6, cur = 1e7 -> 1.5e7 uJ */
	assert_true(counter_delta(range - 5000000, 10000000, range, &d));
	assert_int_equal(d, 15000000);
	/* backwards without a range is a reset: the interval is dropped */
	assert_false(counter_delta(500, 100, 0, &d));
	/* a previous value beyond the range cannot be a wrap either */
	assert_false(counter_delta(range + 10, 5, range, &d));
	assert_true(counter_delta(7, 7, 0, &d));
	assert_int_equal(d, 0);
}

static void watts_are_dropped_when_impossible(void **state)
{
	(void)state;
	assert_true(fabs(rate_watts(15.0, 1.0) - 15.0) < 1e-12);
	assert_true(fabs(rate_watts(3.0, 0.5) - 6.0) < 1e-12);
	assert_true(isnan(rate_watts(-1.0, 1.0))); /* negative */
	assert_true(isnan(rate_watts(5.0, 0.0)));  /* no time */
	assert_true(isnan(rate_watts(5.0, -1.0))); /* time backwards */
	assert_true(isnan(rate_watts(NAN, 1.0)));
	assert_true(isnan(rate_watts(262143.0, 1.0))); /* a reset read as a wrap: 262 kW */
}

static void ratio(void **state)
{
	(void)state;
	assert_true(fabs(rate_ratio(10, 60, 100, 200) - 0.5) < 1e-12);
	assert_true(isnan(rate_ratio(10, 60, 200, 200))); /* total did not advance */
	assert_true(isnan(rate_ratio(10, 60, 300, 200))); /* total went backwards */
	assert_true(rate_ratio(60, 10, 100, 200) == 0.0); /* busy backwards: saturates */
	assert_true(rate_ratio(0, 500, 100, 200) == 1.0); /* never above 1 */
}

static void cpu_ticks_count_guest_once(void **state)
{
	/* node_exporter's /proc/stat "cpu" line, since boot: EXPECTED.md 418334/9400890 */
	struct cpu_ticks zero = { { 0 } };
	struct cpu_ticks t = { { 301854, 612, 111922, 8979004, 3552, 2, 3944, 0, 44, 36 } };
	struct cpu_ticks a = { { 100, 0, 50, 1000, 10, 0, 0, 0, 0, 0 } };
	struct cpu_ticks b = { { 180, 0, 60, 1080, 10, 0, 0, 0, 40, 0 } };
	struct cpu_ticks back = { { 170, 0, 60, 1090, 5, 0, 0, 0, 40, 0 } };

	(void)state;
	assert_true(fabs(cpu_ticks_busy(&zero, &t) - 418334.0 / 9400890.0) < 1e-15);
	/* 90 busy (80 user incl. 40 guest + 10 system) of 170 ticks */
	assert_true(fabs(cpu_ticks_busy(&a, &b) - 90.0 / 170.0) < 1e-15);
	assert_true(isnan(cpu_ticks_busy(&b, &b)));
	/* iowait stepping back (it does on NO_HZ kernels) saturates at 0 instead of wrapping */
	assert_true(fabs(cpu_ticks_busy(&b, &back) - 0.0 / 10.0) < 1e-15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(saturating_subtraction),
		cmocka_unit_test(counter_delta_wraps_at_the_range),
		cmocka_unit_test(watts_are_dropped_when_impossible),
		cmocka_unit_test(ratio),
		cmocka_unit_test(cpu_ticks_count_guest_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
