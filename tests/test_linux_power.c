/* test_linux_power.c - where the watts go on Linux: batteries and external power
 * (power_supply), fans (hwmon), throttle causes (thermal_throttle, platform_profile, cpufreq,
 * RAPL), on plain values and on node_exporter's captured tree */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "sample.h"
#include "source/linux/linux_source.h"
#include "source/linux/power_supply.h"
#include "source/linux/throttle.h"
#include "source/source.h"
#include "testutil.h"

static struct psu_battery none(void)
{
	struct psu_battery b;

	memset(&b, 0, sizeof b);
	b.present = b.capacity = b.power_now = b.current_now = b.voltage_now = -1;
	b.energy_now = b.energy_full = b.charge_now = b.charge_full = -1;
	b.time_to_empty = b.time_to_full = -1;
	return b;
}

static void battery_blank(struct sample_battery *o)
{
	memset(o, 0, sizeof *o);
	o->percent = o->time_to_empty_s = o->time_to_full_s = o->power_w = o->adapter_w = NAN;
	o->on_ac = -1;
}

/* node_exporter's BAT0: 36.58 of 45.07 Wh left, 5.002 W out: 81.2 %, 7.31 h to empty. */
static void battery_discharging_from_energy(void **state)
{
	struct psu_battery b = none();
	struct sample_battery o;

	(void)state;
	battery_blank(&o);
	strcpy(b.status, "Discharging");
	b.present = 1;
	b.capacity = 81;
	b.energy_now = 36580000;
	b.energy_full = 45070000;
	b.power_now = 5002000;
	b.voltage_now = 11660000;
	power_supply_decode(&b, 1, 0, &o);
	assert_true(o.present);
	assert_int_equal(o.state, BATTERY_DISCHARGING);
	assert_int_equal(o.on_ac, 0);
	assert_float_equal(o.percent, 100.0 * 36580000 / 45070000, 1e-9);
	assert_float_equal(o.power_w, 5.002, 1e-12);
	assert_float_equal(o.time_to_empty_s, 36.58 * 3600 / 5.002, 1e-6);
	assert_true(isnan(o.time_to_full_s));
}

/* A charging battery reporting charge and current only (many phones and ARM laptops): power
 * from current x voltage, negative into the battery; the kernel's time_to_full_now wins. */
static void battery_charging_from_charge_and_current(void **state)
{
	struct psu_battery b = none();
	struct sample_battery o;

	(void)state;
	battery_blank(&o);
	strcpy(b.status, "Charging");
	b.present = 1;
	b.charge_now = 2000000;  /* 2 Ah */
	b.charge_full = 4000000; /* 4 Ah */
	b.current_now = 1500000; /* 1.5 A */
	b.voltage_now = 8000000; /* 8 V */
	power_supply_decode(&b, 1, 1, &o);
	assert_float_equal(o.percent, 50, 1e-12);
	assert_float_equal(o.power_w, -12, 1e-12);
	assert_float_equal(o.time_to_full_s, 2.0 / 1.5 * 3600, 1e-6);
	b.time_to_full = 5000;
	power_supply_decode(&b, 1, 1, &o);
	assert_float_equal(o.time_to_full_s, 5000, 1e-12);
	assert_int_equal(o.on_ac, 1);
}

/* Two batteries (ThinkPads): percent of their energy together; an empty bay is no battery. */
static void battery_two_packs_and_an_empty_bay(void **state)
{
	struct psu_battery b[3] = { none(), none(), none() };
	struct sample_battery o;

	(void)state;
	battery_blank(&o);
	for (int i = 0; i < 2; i++) {
		strcpy(b[i].status, i ? "Unknown" : "Discharging");
		b[i].present = 1;
		b[i].energy_full = 20000000;
		b[i].power_now = i ? 0 : 7000000;
	}
	b[0].energy_now = 15000000;
	b[1].energy_now = 5000000;
	b[2].present = 0;
	power_supply_decode(b, 3, -1, &o);
	assert_float_equal(o.percent, 50, 1e-12);
	assert_int_equal(o.state, BATTERY_DISCHARGING);
	assert_int_equal(o.on_ac, 0); /* no mains supply listed: the state tells */
	assert_float_equal(o.time_to_empty_s, 20 * 3600 / 7.0, 1e-6);

	battery_blank(&o);
	power_supply_decode(b + 2, 1, 1, &o);
	assert_false(o.present);
}

static void throttle_causes_from_each_signal(void **state)
{
	struct throttle_in in = { .ceiling_pct = NAN, .package_w = NAN, .pl1_w = NAN };
	struct sample_throttle t = { false, 0, -1, NAN };

	(void)state;
	throttle_decide(&in, &t);
	assert_false(t.known);
	assert_int_equal(t.causes, 0);

	in.events_known = true;
	in.events = 0;
	throttle_decide(&in, &t);
	assert_true(t.known);
	assert_int_equal(t.causes, 0);
	in.events = 3;
	in.profile_known = true;
	strcpy(in.profile, "low-power");
	in.ceiling_pct = 60;
	in.package_w = 27;
	in.pl1_w = 28; /* 96 % of the limit */
	throttle_decide(&in, &t);
	assert_int_equal(t.causes, 1u << THROTTLE_THERMAL | 1u << THROTTLE_LOW_POWER |
	                               1u << THROTTLE_SPEED_LIMIT | 1u << THROTTLE_POWER);
	assert_int_equal(t.low_power, 1);
	assert_float_equal(t.cpu_speed_limit, 60, 1e-12);
	strcpy(in.profile, "balanced");
	in.ceiling_pct = 99.5; /* rounding of kHz tables, not a limit */
	in.package_w = 20;
	in.events = 0;
	throttle_decide(&in, &t);
	assert_int_equal(t.causes, 0);
	assert_int_equal(t.low_power, 0);
}

static void read_tree(const char *root, struct sample *s)
{
	struct options o;
	struct source src = { 0 };
	struct error err;
	char proc[512], sys[512];

	memset(&o, 0, sizeof o);
	snprintf(proc, sizeof proc, "%s/proc", root);
	snprintf(sys, sizeof sys, "%s/sys", root);
	o.interval = 1;
	snprintf(o.procfs, sizeof o.procfs, "%s", proc);
	snprintf(o.sysfs, sizeof o.sysfs, "%s", sys);
	src.ops = &linux_source;
	if (src.ops->open(&src, &o, &err))
		fail_msg("open: %s", err.msg);
	sample_reset(s);
	assert_int_equal(src.ops->read(&src, s, &err), SOURCE_SAMPLE);
	src.ops->close(&src);
}

/* node_exporter's tree: BAT0 discharging 5.002 W with AC offline (node_power_supply_*), the
 * nct6779 fan2 at 1098 RPM and applesmc's two fans, package throttle counters. */
static void node_exporter_battery_fans_and_throttle(void **state)
{
	struct sample s;
	const struct sample_fan *nct = NULL;

	(void)state;
	sample_init(&s);
	read_tree(data_path("linux/node_exporter"), &s);
	assert_true(s.battery.present);
	assert_int_equal(s.battery.state, BATTERY_DISCHARGING);
	assert_int_equal(s.battery.on_ac, 0);
	assert_float_equal(s.battery.power_w, 5.002, 1e-12);
	assert_float_equal(s.battery.percent, 100.0 * 36580000 / 45070000, 1e-9);
	/* on battery and without psys, the battery is the whole machine */
	assert_float_equal(s.power[RAIL_SYSTEM].watts, 5.002, 1e-12);
	assert_string_equal(s.system_from, "battery");
	for (unsigned i = 0; i < s.nfans; i++)
		if (!strcmp(s.fans[i].name, "nct6779 fan2"))
			nct = &s.fans[i];
	assert_non_null(nct);
	assert_float_equal(nct->rpm, 1098, 0);
	assert_float_equal(nct->min_rpm, 0, 0);
	assert_true(isnan(nct->max_rpm)); /* the chip has no fan2_max */
	/* applesmc keeps its fans on the device, labelled */
	assert_int_equal(s.nfans, 3);
	assert_string_equal(s.fans[0].name, "applesmc Left side");
	assert_float_equal(s.fans[0].rpm, 0, 0);
	assert_float_equal(s.fans[1].rpm, 1998, 0);
	/* the counters were read, and did not move between two readings of a still tree */
	assert_true(s.throttle.known);
	assert_int_equal(s.throttle.causes & (1u << THROTTLE_THERMAL), 0);
	sample_free(&s);
}

/* The online supplies: a USB-C one at 20 V x 2.25 A delivers 45 W and was negotiated for 20 V
 * x 3.25 A (65 W); a Mains adapter that says nothing adds nothing; one offline, nothing;
 * power_now, where a supply has it, is taken over volts x amps. */
static void adapter_input_and_rating(void **state)
{
	struct psu_input in[4] = {
		{ 1, -1, 20000000, 2250000, 20000000, 3250000 },
		{ 1, -1, -1, -1, -1, -1 },
		{ 0, 90000000, -1, -1, 20000000, 5000000 },
		{ 1, 2000000, 5000000, 3000000, -1, -1 },
	};
	double input, rating;

	(void)state;
	power_supply_input(in, 2, &input, &rating);
	assert_float_equal(input, 45, 1e-9);
	assert_float_equal(rating, 65, 1e-9);
	power_supply_input(in + 1, 2, &input, &rating);
	assert_true(isnan(input)); /* the Mains adapter says nothing, the other is offline */
	assert_true(isnan(rating));
	power_supply_input(in + 3, 1, &input, &rating);
	assert_float_equal(input, 2, 1e-9); /* power_now, not 5 V x 3 A */
}

/* A laptop charging from USB-C, without RAPL psys: the supply delivers 45 W, 15 W of it go
 * into the battery, so the machine draws 30 W, "adapter input"; the adapter is rated 65 W. */
static void on_usb_c_the_machine_draws_the_input_less_the_charge(void **state)
{
	char *d = tmp_dir();
	struct sample s;
	static const char bat[] = "sys/class/power_supply/BAT0/";
	static const char usb[] = "sys/class/power_supply/ucsi-source-psy-USBC000:001/";
	static const struct {
		const char *dir, *name, *text;
	} files[] = {
		{ bat, "type", "Battery\n" },
		{ bat, "status", "Charging\n" },
		{ bat, "present", "1\n" },
		{ bat, "capacity", "61\n" },
		{ bat, "power_now", "15000000\n" },
		{ usb, "type", "USB\n" },
		{ usb, "online", "1\n" },
		{ usb, "voltage_now", "20000000\n" },
		{ usb, "current_now", "2250000\n" },
		{ usb, "voltage_max", "20000000\n" },
		{ usb, "current_max", "3250000\n" },
	};
	char rel[200];

	(void)state;
	assert_non_null(d);
	assert_int_equal(
	    write_file(d, "proc/stat", "cpu  1 0 1 8 0 0 0 0 0 0\ncpu0 1 0 1 8 0 0 0 0 0 0\n"), 0);
	assert_int_equal(write_file(d, "proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: 400 kB\n"),
	                 0);
	assert_int_equal(write_file(d, "proc/cpuinfo", "processor\t: 0\n"), 0);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(rel, sizeof rel, "%s%s", files[i].dir, files[i].name);
		assert_int_equal(write_file(d, rel, files[i].text), 0);
	}
	sample_init(&s);
	read_tree(d, &s);
	assert_true(s.battery.present);
	assert_int_equal(s.battery.state, BATTERY_CHARGING);
	assert_int_equal(s.battery.on_ac, 1);
	assert_float_equal(s.battery.power_w, -15, 1e-9);
	assert_float_equal(s.battery.adapter_w, 65, 1e-9);
	assert_float_equal(s.input_w, 45, 1e-9);
	assert_float_equal(s.power[RAIL_SYSTEM].watts, 30, 1e-9);
	assert_string_equal(s.system_from, "adapter input");
	sample_free(&s);
	tmp_cleanup(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(battery_discharging_from_energy),
		cmocka_unit_test(battery_charging_from_charge_and_current),
		cmocka_unit_test(battery_two_packs_and_an_empty_bay),
		cmocka_unit_test(throttle_causes_from_each_signal),
		cmocka_unit_test(node_exporter_battery_fans_and_throttle),
		cmocka_unit_test(adapter_input_and_rating),
		cmocka_unit_test(on_usb_c_the_machine_draws_the_input_less_the_charge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
