/* power_supply.c - batteries and external power (Documentation/ABI/testing/sysfs-class-power) */
#include "power_supply.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../util/str.h"

static double sum_known(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : a + b;
}

static double attr(int64_t v, double scale)
{
	return v < 0 ? NAN : (double)v * scale;
}

static enum battery_state state_of(const char *status)
{
	if (!strcmp(status, "Discharging"))
		return BATTERY_DISCHARGING;
	if (!strcmp(status, "Charging"))
		return BATTERY_CHARGING;
	if (!strcmp(status, "Full"))
		return BATTERY_FULL;
	if (!strcmp(status, "Not charging"))
		return BATTERY_NOT_CHARGING;
	return BATTERY_UNKNOWN;
}

void power_supply_decode(const struct psu_battery *b, unsigned n, int ac,
                         struct sample_battery *out)
{
	double e_now = NAN, e_full = NAN, c_now = NAN, c_full = NAN, power = NAN, cap = NAN;
	double current = NAN, tte = NAN, ttf = NAN;
	enum battery_state st = BATTERY_UNKNOWN;
	unsigned present = 0;

	for (unsigned i = 0; i < n; i++) {
		double p;
		enum battery_state s;
		if (b[i].present == 0)
			continue; /* an empty second bay */
		present++;
		e_now = sum_known(e_now, attr(b[i].energy_now, 1e-6 * 3600)); /* µWh -> J */
		e_full = sum_known(e_full, attr(b[i].energy_full, 1e-6 * 3600));
		c_now = sum_known(c_now, attr(b[i].charge_now, 1e-6)); /* µAh -> Ah */
		c_full = sum_known(c_full, attr(b[i].charge_full, 1e-6));
		cap = sum_known(cap, attr(b[i].capacity, 1)); /* averaged below */
		p = attr(b[i].power_now, 1e-6);
		if (isnan(p) && b[i].current_now >= 0 && b[i].voltage_now >= 0)
			p = (double)b[i].current_now * 1e-6 * (double)b[i].voltage_now * 1e-6;
		power = sum_known(power, p);
		current = sum_known(current, attr(b[i].current_now, 1e-6));
		tte = sum_known(tte, attr(b[i].time_to_empty, 1));
		ttf =
		    isnan(ttf) ? attr(b[i].time_to_full, 1) : fmax(ttf, attr(b[i].time_to_full, 1));
		/* one battery discharging or charging decides for the pack */
		s = state_of(b[i].status);
		if (s == BATTERY_DISCHARGING || s == BATTERY_CHARGING || st == BATTERY_UNKNOWN)
			st = s;
	}
	out->present = present > 0;
	if (!present)
		return;
	out->state = st;
	out->on_ac = ac;
	if (ac < 0 && st != BATTERY_UNKNOWN)
		out->on_ac = st != BATTERY_DISCHARGING;
	if (!isnan(e_now) && e_full > 0)
		out->percent = 100 * e_now / e_full;
	else if (!isnan(c_now) && c_full > 0)
		out->percent = 100 * c_now / c_full;
	else if (!isnan(cap))
		out->percent = cap / present;
	if (out->percent > 100)
		out->percent = 100;
	if (!isnan(power))
		out->power_w = st == BATTERY_CHARGING      ? -power
		               : st == BATTERY_DISCHARGING ? power
		                                           : 0;
	if (st == BATTERY_DISCHARGING) {
		if (!isnan(tte))
			out->time_to_empty_s = tte;
		else if (!isnan(e_now) && power > 0)
			out->time_to_empty_s = e_now / power;
		else if (!isnan(c_now) && current > 0)
			out->time_to_empty_s = c_now / current * 3600;
	} else if (st == BATTERY_CHARGING) {
		if (!isnan(ttf))
			out->time_to_full_s = ttf;
		else if (!isnan(e_now) && !isnan(e_full) && power > 0)
			out->time_to_full_s = (e_full - e_now) / power;
		else if (!isnan(c_now) && !isnan(c_full) && current > 0)
			out->time_to_full_s = (c_full - c_now) / current * 3600;
	}
}

void power_supply_input(const struct psu_input *in, unsigned n, double *input_w, double *rating_w)
{
	*input_w = *rating_w = NAN;
	for (unsigned i = 0; i < n; i++) {
		double p = attr(in[i].power_now, 1e-6), r = NAN;

		if (in[i].online != 1)
			continue;
		if (isnan(p) && in[i].voltage_now >= 0 && in[i].current_now >= 0)
			p = (double)in[i].voltage_now * 1e-6 * (double)in[i].current_now * 1e-6;
		if (in[i].voltage_max > 0 && in[i].current_max > 0)
			r = (double)in[i].voltage_max * 1e-6 * (double)in[i].current_max * 1e-6;
		*input_w = sum_known(*input_w, p);
		if (!isnan(r) && (isnan(*rating_w) || r > *rating_w))
			*rating_w = r;
	}
}

/* an external supply's power attributes, in struct psu_input's order after "online" */
static const char *const ac_attr[] = { "power_now", "voltage_now", "current_now", "voltage_max",
	                               "current_max" };

struct list {
	char name[PSU_MAX * 2][48];
	unsigned n;
};

static int collect(const char *name, void *ctx)
{
	struct list *l = ctx;

	if (l->n < PSU_MAX * 2)
		str_copy(l->name[l->n++], sizeof l->name[0], name);
	return 0;
}

unsigned power_supply_open(struct power_supply *p, const struct fsroot *sys)
{
	struct list l = { .n = 0 };
	char rel[128], type[24];

	memset(p, 0, sizeof *p);
	if (fsroot_list(sys, "class/power_supply", collect, &l) < 0)
		return 0;
	for (unsigned i = 0; i < l.n; i++) {
		char path[48];
		snprintf(path, sizeof path, "class/power_supply/%.28s", l.name[i]);
		snprintf(rel, sizeof rel, "%s/type", path);
		if (fsroot_read_str(sys, rel, type, sizeof type) != 0)
			continue;
		/* "scope" Device: a mouse's or a phone's battery, not the machine's */
		snprintf(rel, sizeof rel, "%s/scope", path);
		{
			char scope[16];
			if (fsroot_read_str(sys, rel, scope, sizeof scope) == 0 &&
			    !strcmp(scope, "Device"))
				continue;
		}
		if (!strcmp(type, "Battery") && p->nbat < PSU_MAX)
			str_copy(p->bat[p->nbat++], sizeof p->bat[0], path);
		else if ((!strcmp(type, "Mains") || !strncmp(type, "USB", 3)) && p->nac < PSU_MAX) {
			/* most Mains adapters publish only "online": their power attributes are
			 * looked for once, not every sample */
			for (unsigned k = 0; k < sizeof ac_attr / sizeof ac_attr[0]; k++) {
				snprintf(rel, sizeof rel, "%s/%s", path, ac_attr[k]);
				if (fsroot_read_str(sys, rel, type, sizeof type) == 0)
					p->ac_attrs[p->nac] |= 1u << k;
			}
			str_copy(p->ac[p->nac++], sizeof p->ac[0], path);
		}
	}
	return p->nbat;
}

static int64_t read_attr(const struct fsroot *sys, const char *dir, const char *name)
{
	char rel[128];
	int64_t v;

	snprintf(rel, sizeof rel, "%s/%s", dir, name);
	return fsroot_read_i64(sys, rel, &v) == 0 && v >= 0 ? v : -1;
}

/* the machine's draw from what the supplies deliver, less what charges the battery */
static void system_from_input(struct sample *s)
{
	const struct sample_battery *b = &s->battery;
	double w = s->input_w;

	if (!isnan(s->power[RAIL_SYSTEM].watts) || isnan(w))
		return;
	if (b->present && b->on_ac == 0)
		return;
	if (b->present && b->state == BATTERY_CHARGING) {
		if (isnan(b->power_w))
			return;  /* charging at an unknown rate: the machine's share is unknown */
		w += b->power_w; /* negative while charging */
	}
	if (w < 0)
		w = 0;
	s->power[RAIL_SYSTEM].watts = w;
	str_copy(s->system_from, sizeof s->system_from, "adapter input");
}

void power_supply_read(const struct power_supply *p, const struct fsroot *sys, struct sample *s)
{
	struct psu_battery b[PSU_MAX];
	struct psu_input in[PSU_MAX];
	double rating;
	int ac = -1;
	char rel[128];

	for (unsigned i = 0; i < p->nac; i++) {
		int64_t *v[] = { &in[i].power_now, &in[i].voltage_now, &in[i].current_now,
			         &in[i].voltage_max, &in[i].current_max };
		in[i].online = read_attr(sys, p->ac[i], "online");
		for (unsigned k = 0; k < sizeof v / sizeof v[0]; k++)
			*v[k] =
			    p->ac_attrs[i] & (1u << k) ? read_attr(sys, p->ac[i], ac_attr[k]) : -1;
		if (in[i].online >= 0)
			ac = ac == 1 || in[i].online > 0;
	}
	power_supply_input(in, p->nac, &s->input_w, &rating);
	if (!p->nbat) {
		sample_note(s, "battery", "no battery on this machine");
		system_from_input(s);
		return;
	}
	for (unsigned i = 0; i < p->nbat; i++) {
		const char *d = p->bat[i];
		snprintf(rel, sizeof rel, "%s/status", d);
		if (fsroot_read_str(sys, rel, b[i].status, sizeof b[i].status) != 0)
			b[i].status[0] = '\0';
		b[i].present = read_attr(sys, d, "present");
		b[i].capacity = read_attr(sys, d, "capacity");
		b[i].power_now = read_attr(sys, d, "power_now");
		b[i].current_now = read_attr(sys, d, "current_now");
		b[i].voltage_now = read_attr(sys, d, "voltage_now");
		b[i].energy_now = read_attr(sys, d, "energy_now");
		b[i].energy_full = read_attr(sys, d, "energy_full");
		b[i].charge_now = read_attr(sys, d, "charge_now");
		b[i].charge_full = read_attr(sys, d, "charge_full");
		b[i].time_to_empty = read_attr(sys, d, "time_to_empty_now");
		b[i].time_to_full = read_attr(sys, d, "time_to_full_now");
	}
	power_supply_decode(b, p->nbat, ac, &s->battery);
	if (!s->battery.present) {
		sample_note(s, "battery", "the battery bay is empty");
		system_from_input(s);
		return;
	}
	if (s->battery.on_ac == 1)
		s->battery.adapter_w = rating;
	system_from_input(s);
	/* on battery, the battery is what the whole machine draws */
	if (isnan(s->power[RAIL_SYSTEM].watts) && s->battery.state == BATTERY_DISCHARGING &&
	    s->battery.power_w > 0) {
		s->power[RAIL_SYSTEM].watts = s->battery.power_w;
		str_copy(s->system_from, sizeof s->system_from, "battery");
	}
}
