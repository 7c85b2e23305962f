/* power_supply.h - batteries and external power from /sys/class/power_supply */
#ifndef AGTOP_POWER_SUPPLY_H
#define AGTOP_POWER_SUPPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "../../sample.h"
#include "fsroot.h"

#define PSU_MAX 8

/* One battery's attributes as sysfs gives them (µW, µA, µV, µWh, µAh, s); -1 where absent. */
struct psu_battery {
	char status[24]; /* "Charging", "Discharging", "Full", "Not charging", "Unknown" */
	int64_t present, capacity, power_now, current_now, voltage_now, energy_now, energy_full,
	    charge_now, charge_full, time_to_empty, time_to_full;
};

/* Pure: the batteries together (a ThinkPad may have two) and whether external power is on
 * (ac: 1 online, 0 offline, -1 no mains or USB supply seen) into out. Percent from the energy
 * or charge left of the full capacity, else the capacity attribute; power from power_now,
 * else current x voltage; positive while discharging, negative while charging; the time to
 * empty or to full from the kernel's *_now attributes, else from energy (or charge) and power
 * (or current). */
void power_supply_decode(const struct psu_battery *b, unsigned n, int ac,
                         struct sample_battery *out);

/* One external supply (Mains, USB): online, what it delivers now (µW, else µV x µA) and what
 * it can deliver (USB Power Delivery's negotiated µV x µA); -1 where absent. */
struct psu_input {
	int64_t online, power_now, voltage_now, current_now, voltage_max, current_max;
};

/* Pure: the online supplies together: *input_w what they deliver now, *rating_w the largest
 * one's rating; NAN where no online supply says. Most Mains adapters say neither; USB-C ones
 * (ucsi, tcpm) publish both. */
void power_supply_input(const struct psu_input *in, unsigned n, double *input_w, double *rating_w);

struct power_supply {
	unsigned nbat, nac;
	char bat[PSU_MAX][48]; /* class/power_supply/BAT0 */
	char ac[PSU_MAX][48];  /* Mains and USB supplies */
	unsigned
	    ac_attrs[PSU_MAX]; /* which of their power attributes exist (bit i: psu_ac_attr[i]) */
};

/* Finds the supplies once (by their type attribute). Returns how many batteries. */
unsigned power_supply_open(struct power_supply *p, const struct fsroot *sys);
/* Reads them into s->battery and s->input_w, and where nothing better (RAPL psys) gave the
 * system total: on external power, what the supplies deliver less what charges the battery;
 * on battery, the battery's discharge. */
void power_supply_read(const struct power_supply *p, const struct fsroot *sys, struct sample *s);

#endif
