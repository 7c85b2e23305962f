/* decode_machine.c - where the watts go beyond the rails on a Mac: the battery
 * (AppleSmartBattery), the whole machine's power where the SMC has no PSTR, the adapter's
 * input, the fans (SMC F<n>Ac/Mn/Mx) and what throttles the machine (thermal pressure, low
 * power mode, the CPU speed limit) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../util/str.h"
#include "decode_internal.h"

#define UNKNOWN_MINUTES 65535 /* AppleSmartBattery's "not computed yet" */

static enum battery_state battery_state(const struct apple_battery *b)
{
	if (b->is_charging == 1)
		return BATTERY_CHARGING;
	if (b->external_connected == 1)
		return b->fully_charged == 1 ? BATTERY_FULL : BATTERY_NOT_CHARGING;
	if (b->external_connected == 0)
		return BATTERY_DISCHARGING;
	if (b->amperage != INT64_MIN && b->amperage < 0)
		return BATTERY_DISCHARGING;
	return BATTERY_UNKNOWN;
}

void apple_decode_battery(const struct apple_battery *b, struct sample_battery *out)
{
	out->present = b->present;
	if (!b->present)
		return;
	/* CurrentCapacity is a percent on Apple Silicon (MaxCapacity 100), mAh on Intel */
	if (b->current_capacity >= 0 && b->max_capacity == 100)
		out->percent = (double)b->current_capacity;
	else if (b->current_capacity >= 0 && b->max_capacity > 0)
		out->percent = 100.0 * (double)b->current_capacity / (double)b->max_capacity;
	if (out->percent > 100)
		out->percent = 100;
	out->state = battery_state(b);
	out->on_ac = b->external_connected;
	/* Amperage (mA) is negative while discharging: the power drawn is -I x V */
	if (b->amperage != INT64_MIN && b->voltage != INT64_MIN && b->voltage > 0)
		out->power_w = -(double)b->amperage / 1e3 * (double)b->voltage / 1e3 + 0.0;
	if (out->state == BATTERY_DISCHARGING && b->time_remaining >= 0 &&
	    b->time_remaining != UNKNOWN_MINUTES)
		out->time_to_empty_s = (double)b->time_remaining * 60;
	if (out->state == BATTERY_CHARGING) {
		if (b->avg_time_to_full >= 0 && b->avg_time_to_full != UNKNOWN_MINUTES)
			out->time_to_full_s = (double)b->avg_time_to_full * 60;
		else if (b->time_remaining >= 0 && b->time_remaining != UNKNOWN_MINUTES)
			out->time_to_full_s = (double)b->time_remaining * 60;
	}
	/* the adapter's rating only while one is connected (the registry keeps the last one) */
	if (b->external_connected != 0 && b->adapter_watts > 0)
		out->adapter_w = b->adapter_watts;
}

/* The whole machine where the SMC gave no PSTR: the battery's power telemetry (SystemLoad),
 * else what the adapter delivers while on external power, else the battery's discharge. */
static void system_power(struct apple_decoder *d, const struct apple_reading *cur, double dt,
                         struct sample *out)
{
	struct sample_energy *sys = &out->power[RAIL_SYSTEM];
	const struct sample_battery *b = &out->battery;
	double w = NAN;
	const char *from = "";

	if (!isnan(sys->watts)) {
		str_copy(out->system_from, sizeof out->system_from, "SMC PSTR");
		return;
	}
	if (cur->battery.system_load_w > 0) {
		w = cur->battery.system_load_w;
		from = "power telemetry";
	} else if (b->present ? b->on_ac == 1 : true) {
		w = out->input_w;
		from = "adapter input";
	}
	if (isnan(w) && b->present && b->state == BATTERY_DISCHARGING && b->power_w > 0) {
		w = b->power_w;
		from = "battery";
	}
	if (isnan(w))
		return;
	if (dt > 0)
		d->system_j += w * dt;
	sys->watts = w;
	sys->joules = d->system_j;
	str_copy(out->system_from, sizeof out->system_from, from);
	sample_note(out, "power.system",
	            "no SMC system power (PSTR): the whole machine from the %s",
	            !strcmp(from, "power telemetry") ? "battery's power telemetry" : from);
}

static void fans(const struct apple_reading *cur, struct sample *out)
{
	for (unsigned i = 0; i < cur->nfans && i < SAMPLE_MAX_FANS; i++) {
		struct sample_fan *f = &out->fans[out->nfans++];
		snprintf(f->name, sizeof f->name, "F%u", i);
		f->rpm = cur->fan[i].actual;
		f->min_rpm = cur->fan[i].min;
		f->max_rpm = cur->fan[i].max;
	}
	if (!out->nfans)
		sample_note(out, "fans", "no fan readable in the SMC (FNum 0: a fanless Mac)");
}

static void throttle(const struct apple_reading *cur, struct sample *out)
{
	struct sample_throttle *t = &out->throttle;

	t->low_power = cur->low_power;
	t->cpu_speed_limit = cur->speed_limit;
	t->known =
	    out->thermal != THERMAL_UNKNOWN || t->low_power >= 0 || !isnan(t->cpu_speed_limit);
	if (!t->known) {
		sample_note(
		    out, "throttle",
		    "neither the thermal pressure, the low power mode nor the CPU speed limit "
		    "could be read");
		return;
	}
	/* macOS throttles from "moderate" pressure on (powermetrics' thermal levels) */
	if (out->thermal >= THERMAL_FAIR && out->thermal != THERMAL_UNKNOWN)
		t->causes |= 1u << THROTTLE_THERMAL;
	if (t->low_power == 1)
		t->causes |= 1u << THROTTLE_LOW_POWER;
	if (!isnan(t->cpu_speed_limit) && t->cpu_speed_limit < 100)
		t->causes |= 1u << THROTTLE_SPEED_LIMIT;
}

void apple_decode_machine(struct apple_decoder *d, const struct apple_reading *cur, double dt,
                          struct sample *out)
{
	apple_decode_battery(&cur->battery, &out->battery);
	if (!out->battery.present)
		sample_note(out, "battery", "no battery in this Mac");
	out->input_w = !isnan(cur->input_w) ? cur->input_w : cur->battery.system_in_w;
	system_power(d, cur, dt, out);
	fans(cur, out);
	throttle(cur, out);
}
