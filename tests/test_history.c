/* test_history.c - the original's formulas with plain numbers: averages, peaks, power scale,
 * SoC profiles, alerts and session energy */
#include <math.h>
#include <string.h>

#include "history/history.h"
#include "soc.h"
#include "testutil.h"

static void clamp_percent_truncates(void **state)
{
	(void)state;
	assert_int_equal(clamp_percent(99.9), 99);
	assert_int_equal(clamp_percent(-3), 0);
	assert_int_equal(clamp_percent(250), 100);
	assert_int_equal(clamp_percent(NAN), 0);
}

static void power_scale(void **state)
{
	(void)state;
	/* profile: the reference, never below the floor; the peak does not matter */
	assert_true(power_to_percent(27.5, POWER_SCALE_PROFILE, 55, 999, 20) == 50);
	assert_true(power_to_percent(10, POWER_SCALE_PROFILE, 5, 0, 20) == 50);
	/* auto: 1.25 x the peak, never below the floor; the reference does not matter */
	assert_true(power_to_percent(25, POWER_SCALE_AUTO, 999, 40, 20) == 50);
	assert_true(power_to_percent(5, POWER_SCALE_AUTO, 999, 4, 20) == 25);
	assert_true(power_to_percent(60, POWER_SCALE_AUTO, 0, 40, 20) == 100); /* clamped */
	assert_true(power_to_percent(5, POWER_SCALE_AUTO, 0, 0, 0) == 0);      /* no denominator */
	assert_true(isnan(power_to_percent(NAN, POWER_SCALE_AUTO, 0, 0, 20)));
}

static void tracks_average_over_the_window(void **state)
{
	struct track t;

	(void)state;
	track_init(&t, 3);
	assert_true(isnan(track_avg(&t)) && isnan(t.peak) && isnan(track_point(&t, 0)));
	track_push(&t, 10);
	track_push(&t, 20);
	assert_true(track_avg(&t) == 15);
	track_push(&t, NAN); /* a gap: not averaged, still a chart point */
	assert_true(track_avg(&t) == 15);
	track_push(&t, 60); /* 10 leaves the window: 20, NAN, 60 */
	assert_true(track_avg(&t) == 40);
	assert_true(t.peak == 60);
	assert_true(track_point(&t, 0) == 60);
	assert_true(isnan(track_point(&t, 1)));
	assert_true(track_point(&t, 3) == 10);
	assert_true(isnan(track_point(&t, 4)));
	track_push(&t, 5);
	track_push(&t, 5);
	track_push(&t, 5);
	assert_true(track_avg(&t) == 5);
	assert_true(t.peak == 60); /* the session peak stays */
	track_free(&t);
}

static void soc_profiles(void **state)
{
	struct soc_profile p;

	(void)state;
	soc_lookup("Apple M4 Max", &p);
	assert_int_equal(p.known, 1);
	assert_true(p.cpu_ref_w == 55 && p.gpu_ref_w == 90 && p.cpu_bw_gbs == 320 &&
	            p.gpu_bw_gbs == 480);
	assert_true(soc_package_ref_w(&p) == 153);
	soc_lookup("  Apple   M1\tUltra ", &p);
	assert_string_equal(p.name, "Apple M1 Ultra");
	assert_true(p.gpu_ref_w == 120);
	soc_lookup("Apple M5 Pro", &p); /* tier fallback under its own name */
	assert_int_equal(p.known, 2);
	assert_string_equal(p.name, "Apple M5 Pro");
	assert_true(p.cpu_ref_w == 40 && p.gpu_ref_w == 35);
	soc_lookup("Apple M9 Ultra", &p);
	assert_true(p.cpu_ref_w == 110);
	soc_lookup("Apple M5", &p);
	assert_true(p.cpu_ref_w == 30 && p.gpu_ref_w == 20 && p.cpu_bw_gbs == 120);
	soc_lookup("Intel(R) Core(TM) i7-8650U", &p);
	assert_int_equal(p.known, 0);
	assert_true(p.cpu_ref_w == 30 && p.gpu_ref_w == 30 && p.cpu_bw_gbs == 100);
	soc_lookup("", &p);
	assert_string_equal(p.name, "Apple Silicon");
}

static void alerts_sustain_and_label(void **state)
{
	struct alerts a;
	struct alert_cfg cfg = { 85, 85, 0.3, 3 };
	struct alert_in in = { THERMAL_NOMINAL, true, 90, 8.0, 1.0, 90 };

	(void)state;
	alerts_init(&a);
	alerts_update(&a, &cfg, &in);
	assert_string_equal(a.label, "none"); /* 1 of 3 */
	alerts_update(&a, &cfg, &in);
	assert_string_equal(a.label, "none"); /* 2 of 3 */
	in.swap_used_gb = 1.5;
	alerts_update(&a, &cfg, &in);
	/* BW and PKG sustained 3 samples; swap needs sustain+1 = 4 readings */
	assert_string_equal(a.label, "BW>85%, PKG>85%");
	in.swap_used_gb = 1.6;
	in.thermal = THERMAL_SERIOUS;
	alerts_update(&a, &cfg, &in);
	assert_true(a.thermal && a.bw && a.swap && a.pkg);
	assert_true(fabs(a.swap_rise - 0.6) < 1e-12);
	assert_string_equal(a.label, "THERMAL, BW>85%, SWAP+0.6G, PKG>85%");
	/* one quiet sample resets the counters; thermal follows the pressure at once */
	in.bw_max_percent = 10;
	in.package_percent = 10;
	in.thermal = THERMAL_UNKNOWN;
	in.swap_used_gb = 1.6;
	alerts_update(&a, &cfg, &in);
	assert_false(a.thermal || a.bw || a.pkg);
	assert_true(a.swap); /* 1.0 -> 1.6 over the last 4 readings */
	in.swap_used_gb = 1.6;
	alerts_update(&a, &cfg, &in);
	alerts_update(&a, &cfg, &in);
	alerts_update(&a, &cfg, &in);
	assert_string_equal(a.label, "none");
	/* no swap configured: no swap alert, whatever the rise */
	in.swap_total_gb = 0.05;
	in.swap_used_gb = 40;
	alerts_update(&a, &cfg, &in);
	assert_false(a.swap);
	/* bandwidth counters absent: no BW alert */
	in.bw_available = false;
	in.bw_max_percent = 100;
	for (int i = 0; i < 5; i++)
		alerts_update(&a, &cfg, &in);
	assert_false(a.bw);
	/* fair pressure is already THERMAL (anything above nominal) */
	in.thermal = THERMAL_FAIR;
	alerts_update(&a, &cfg, &in);
	assert_true(a.thermal);
}

/* An alert fires at exactly its threshold, as the original's ">=" (issue 12: mutations to ">"
 * passed every test), and not one below it. */
static void alerts_fire_at_exactly_their_threshold(void **state)
{
	struct alert_cfg cfg = { 85, 70, 0.3, 1 };
	struct alert_in in = { THERMAL_NOMINAL, true, 85, 8.0, 1.0, 70 };
	struct alerts a;

	(void)state;
	alerts_init(&a);
	alerts_update(&a, &cfg, &in);
	assert_true(a.bw);
	assert_true(a.pkg);
	assert_string_equal(a.label, "BW>85%, PKG>70%");
	in.bw_max_percent = 84;
	in.package_percent = 69;
	alerts_update(&a, &cfg, &in);
	assert_false(a.bw);
	assert_false(a.pkg);
}

static struct sample mk(double t, double pkg_w, double pkg_j, double ane_w)
{
	struct sample s;

	sample_init(&s);
	s.time = t;
	s.interval_s = 1.0;
	s.power[RAIL_PACKAGE].watts = pkg_w;
	s.power[RAIL_PACKAGE].joules = pkg_j;
	s.power[RAIL_ANE].watts = ane_w;
	s.power[RAIL_CPU].watts = 10;
	s.memory.total_bytes = 100;
	s.memory.used_bytes = 40;
	return s;
}

/* THROTTLED(...) fires once a cause has held for the sustain samples, names the causes, and
 * leaves out the thermal cause while the THERMAL alert already says it. */
static void alerts_throttled_names_its_causes(void **state)
{
	struct alerts a;
	struct alert_cfg cfg = { 85, 85, 0.3, 2 };
	struct alert_in in = { THERMAL_NOMINAL, false, 0, NAN, NAN, -1, 0 };

	(void)state;
	alerts_init(&a);
	in.throttle = 1u << THROTTLE_POWER | 1u << THROTTLE_LOW_POWER;
	alerts_update(&a, &cfg, &in);
	assert_false(a.throttle);
	assert_string_equal(a.label, "none");
	alerts_update(&a, &cfg, &in);
	assert_true(a.throttle);
	assert_string_equal(a.label, "THROTTLED(power limit+low power mode)");
	/* thermal pressure: THERMAL says it, the throttle alert only what else there is */
	in.thermal = THERMAL_SERIOUS;
	in.throttle = 1u << THROTTLE_THERMAL | 1u << THROTTLE_SPEED_LIMIT;
	alerts_update(&a, &cfg, &in);
	assert_string_equal(a.label, "THERMAL, THROTTLED(speed limit)");
	in.throttle = 1u << THROTTLE_THERMAL;
	alerts_update(&a, &cfg, &in);
	assert_string_equal(a.label, "THERMAL");
	/* Linux: thermal throttle events without a pressure level are a throttle */
	in.thermal = THERMAL_UNKNOWN;
	alerts_update(&a, &cfg, &in);
	alerts_update(&a, &cfg, &in);
	assert_string_equal(a.label, "THROTTLED(thermal)");
	in.throttle = 0;
	alerts_update(&a, &cfg, &in);
	assert_string_equal(a.label, "none");
}

/* A chart's points are allocated at its first known value: the tracks of the 16 clusters, 8
 * GPUs, 16 bandwidth agents and the rails a machine lacks hold none (the dashboard's stack was
 * 542 KB of them, bench/README.md); the unknown points before the first value stay gaps, and a
 * copy (the paused dashboard's) owns its own points. */
static void tracks_of_absent_units_hold_no_points(void **state)
{
	struct options o;
	struct history h, c;
	struct track t;

	(void)state;
	track_init(&t, 2);
	track_push(&t, NAN);
	track_push(&t, NAN);
	assert_null(t.pts);
	assert_null(t.win);
	assert_int_equal(t.n, 2);
	assert_true(isnan(track_point(&t, 0)) && isnan(track_point(&t, 1)));
	track_push(&t, 7);
	assert_non_null(t.pts);
	assert_true(track_avg(&t) == 7); /* the window (2): NAN, 7 */
	track_push(&t, 9);
	assert_true(track_avg(&t) == 8);
	track_push(&t, NAN);
	assert_true(track_avg(&t) == 9);
	assert_true(isnan(track_point(&t, 0)) && track_point(&t, 1) == 9);
	assert_true(track_point(&t, 2) == 7);
	assert_true(isnan(track_point(&t, 3)) && isnan(track_point(&t, 4)));
	assert_true(isnan(track_point(&t, 5)));        /* older than any push */
	for (unsigned i = 0; i < HIST_POINTS + 5; i++) /* the ring wraps over the gaps */
		track_push(&t, i);
	assert_true(track_point(&t, 0) == HIST_POINTS + 4);
	assert_true(track_point(&t, HIST_POINTS - 1) == 5);
	track_free(&t);

	memset(&o, 0, sizeof o);
	o.interval = 1;
	o.avg = 2;
	assert_int_equal(history_init(&h, &o, "Apple M1"), 0);
	{
		struct sample s = mk(1, 12, 1000, 2.0);
		history_update(&h, &s);
		sample_free(&s);
	}
	assert_non_null(h.rail_w[RAIL_PACKAGE].pts);
	assert_null(h.gpu_util[SAMPLE_MAX_GPUS - 1].pts);
	assert_null(h.gpu_util[SAMPLE_MAX_GPUS - 1].win); /* nor an --avg window */
	assert_non_null(h.rail_w[RAIL_PACKAGE].win);
	assert_null(h.bw_agent[SAMPLE_MAX_BW_AGENTS - 1].pts);
	assert_null(h.cluster_util[SAMPLE_MAX_CLUSTERS - 1].pts);
	assert_int_equal(history_copy(&c, &h), 0);
	assert_true(c.rail_w[RAIL_PACKAGE].pts != h.rail_w[RAIL_PACKAGE].pts);
	assert_null(c.gpu_util[SAMPLE_MAX_GPUS - 1].pts);
	{
		struct sample s = mk(2, 30, 1030, 2.0);
		history_update(&h, &s);
		sample_free(&s);
	}
	assert_true(track_point(&h.rail_w[RAIL_PACKAGE], 0) == 30);
	assert_true(track_point(&c.rail_w[RAIL_PACKAGE], 0) == 12); /* the copy stayed */
	history_free(&c);
	history_free(&h);
}

static void history_of_samples(void **state)
{
	struct options o;
	struct history h;
	struct sample s;

	(void)state;
	memset(&o, 0, sizeof o);
	o.interval = 0.5;
	o.avg = 2; /* 4 samples */
	o.power_scale = POWER_SCALE_PROFILE;
	o.alert_sustain_samples = 3;
	o.alert_bw_sat_percent = o.alert_package_power_percent = 85;
	assert_int_equal(history_init(&h, &o, "Apple M1"), 0);
	assert_int_equal(h.window, 4);
	assert_true(h.package_ref_w == 48); /* 20 + 20 + 8 */

	s = mk(1, 12, 1000, 2.0);
	history_update(&h, &s);
	/* ANE: 2 W of the 8 W reference */
	assert_true(track_point(&h.ane_util, 0) == 25);
	/* the first sample's energy: its watts over its interval */
	assert_true(h.energy_j == 12);
	/* CPU chart in profile mode: 10 W of M1's 20 W reference (floor 20) */
	assert_true(track_point(&h.rail_pct[RAIL_CPU], 0) == 50);
	assert_true(track_point(&h.ram_used, 0) == 40);
	sample_free(&s);

	s = mk(2, 14, 1014.5, NAN);
	history_update(&h, &s);
	assert_true(h.energy_j == 26.5); /* + the counter's advance */
	assert_true(isnan(track_point(&h.ane_util, 0)));
	sample_free(&s);

	s = mk(3, 14, 5, NAN); /* the counter restarted (a new source): watts x interval */
	history_update(&h, &s);
	assert_true(h.energy_j == 40.5);
	assert_true(track_avg(&h.rail_w[RAIL_PACKAGE]) == (12 + 14 + 14) / 3.0);
	assert_true(h.rail_w[RAIL_PACKAGE].peak == 14);
	sample_free(&s);
	history_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clamp_percent_truncates),
		cmocka_unit_test(power_scale),
		cmocka_unit_test(tracks_average_over_the_window),
		cmocka_unit_test(tracks_of_absent_units_hold_no_points),
		cmocka_unit_test(soc_profiles),
		cmocka_unit_test(alerts_sustain_and_label),
		cmocka_unit_test(alerts_fire_at_exactly_their_threshold),
		cmocka_unit_test(alerts_throttled_names_its_causes),
		cmocka_unit_test(history_of_samples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
