/* fake_power.c - what the macOS source reads about each process's GPU time and about power
 * beyond IOReport, over a dump: the GPU accelerator's AGXDeviceUserClient children, the
 * AppleSmartBattery registry entry, the power management preferences (low power mode) and the
 * CPU power status (speed limit). fake_iokit.c hands these out as IOKit objects. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fake_internal.h"
#include "source/macos/apple_sys.h"

#define MAX_CLIENTS 512

/* One child of the accelerator. */
struct client {
	const char *cls;
	int pid;           /* the creator */
	const char *name;  /* its p_comm */
	unsigned nusage;   /* AppUsage entries (0: the empty array "()") */
	uint64_t usage[2]; /* accumulatedGPUTime of each, ns */
	uint64_t last[2];  /* lastSubmittedTime */
};

static struct client clients[MAX_CLIENTS];
static unsigned nclients;

/* The children of the accelerator in the current reading, shaped as ioreg shows them
 * (per-process-and-power-notes §1, the ioreg AGXDeviceUserClient captures):
 *   - a process holds one client or several, whose times add up (WindowServer: two clients,
 *     one of them with two AppUsage entries);
 *   - a client that never submitted has an empty AppUsage ("()", runningboardd);
 *   - the creator is "pid N, <p_comm cut to 16 bytes>";
 *   - clients of every user's processes are readable without root;
 *   - other children of the accelerator are not AGXDeviceUserClients and carry no AppUsage.
 * The walk sees the clients of the moment it runs: a process that ended leaves none. */
static void build(void)
{
	const struct apple_reading *r = fake_reading();

	nclients = 0;
	clients[nclients++] = (struct client){ "AGXFirmwareKextRTBuddy", -1, "", 0, { 0 }, { 0 } };
	for (size_t i = 0; i < r->nprocs && nclients + 2 < MAX_CLIENTS; i++) {
		const struct apple_proc *p = &r->procs[i];
		uint64_t t = p->gpu_ns;

		if (!p->gpu)
			continue;
		if (t == 0) {
			clients[nclients++] = (struct client){
				"AGXDeviceUserClient", p->pid, p->name, 0, { 0 }, { 0 }
			};
		} else if (p->pid % 3 != 0) { /* two clients: 1/2 + 1/4 in one, the rest apart */
			clients[nclients++] =
			    (struct client){ "AGXDeviceUserClient",
				             p->pid,
				             p->name,
				             2,
				             { t / 2, t / 4 },
				             { 3062414094833ull, 2864548123916ull } };
			clients[nclients++] =
			    (struct client){ "AGXDeviceUserClient", p->pid, p->name, 1,
				             { t - t / 2 - t / 4 }, { 0 } };
		} else {
			clients[nclients++] =
			    (struct client){ "AGXDeviceUserClient", p->pid, p->name, 1, { t },
				             { 4025767141333ull } };
		}
	}
}

unsigned fake_agx_children(void)
{
	build();
	return nclients;
}

const char *fake_agx_child_class(unsigned i)
{
	return i < nclients ? clients[i].cls : "?";
}

/* One property of child i (+1), NULL where the child has none. */
struct fake_obj *fake_agx_child_property(unsigned i, const char *key)
{
	const struct client *c = &clients[i];
	char creator[64];

	if (i >= nclients || c->pid < 0)
		return NULL;
	if (!strcmp(key, "IOUserClientCreator")) {
		snprintf(creator, sizeof creator, "pid %d, %.16s", c->pid, c->name);
		return fake_str(creator);
	}
	if (!strcmp(key, "AppUsage")) {
		struct fake_obj *a = fake_array();
		for (unsigned k = 0; k < c->nusage; k++) {
			struct fake_obj *e = fake_dict();
			fake_dict_take(e, "API", fake_str("Metal"));
			fake_dict_take(e, "lastSubmittedTime", fake_num((int64_t)c->last[k]));
			fake_dict_take(e, "accumulatedGPUTime", fake_num((int64_t)c->usage[k]));
			fake_array_take(a, e);
		}
		return a;
	}
	if (!strcmp(key, "CommandQueueCount") && c->nusage)
		return fake_num(1);
	return NULL;
}

/* ---- AppleSmartBattery ---- */

bool fake_battery_present(void)
{
	for (unsigned r = 0; r < fake.dump.nreadings; r++)
		if (fake.dump.reading[r].battery.present)
			return true;
	return false;
}

static void put_i64(struct fake_obj *d, const char *k, int64_t v, int64_t absent)
{
	if (v != absent)
		fake_dict_take(d, k, fake_num(v));
}

static void put_flag(struct fake_obj *d, const char *k, int v)
{
	if (v >= 0)
		fake_dict_take(d, k, fake_bool(v));
}

/* The registry entry's properties (+1), with keys the source passes over; the adapter as
 * AdapterDetails and as AppleRawAdapterDetails beside a 8 W USB source (whatcable#95). */
struct fake_obj *fake_battery_properties(void)
{
	const struct apple_battery *b = &fake_reading()->battery;
	struct fake_obj *d = fake_dict();

	fake_dict_take(d, "DeviceName", fake_str("bq40z651"));
	fake_dict_take(d, "built-in", fake_bool(true));
	fake_dict_take(d, "PackReserve", fake_num(244));
	if (!b->present)
		return d;
	put_i64(d, "CurrentCapacity", b->current_capacity, -1);
	put_i64(d, "MaxCapacity", b->max_capacity, -1);
	put_flag(d, "IsCharging", b->is_charging);
	put_flag(d, "FullyCharged", b->fully_charged);
	put_flag(d, "ExternalConnected", b->external_connected);
	put_i64(d, "TimeRemaining", b->time_remaining, -1);
	put_i64(d, "AvgTimeToFull", b->avg_time_to_full, -1);
	put_i64(d, "Amperage", b->amperage, INT64_MIN);
	put_i64(d, "InstantAmperage", b->amperage, INT64_MIN);
	put_i64(d, "Voltage", b->voltage, INT64_MIN);
	if (!isnan(b->adapter_watts)) {
		struct fake_obj *a = fake_dict(), *raw = fake_array(), *usb = fake_dict(),
		                *pd = fake_dict();
		fake_dict_take(a, "Watts", fake_num((int64_t)b->adapter_watts));
		fake_dict_take(a, "Description", fake_str("pd charger"));
		fake_dict_take(d, "AdapterDetails", a);
		fake_dict_take(usb, "Watts", fake_num(8));
		fake_dict_take(usb, "AdapterVoltage", fake_num(5000));
		fake_dict_take(pd, "Watts", fake_num((int64_t)b->adapter_watts));
		fake_dict_take(pd, "AdapterVoltage", fake_num(28000));
		fake_array_take(raw, usb);
		fake_array_take(raw, pd);
		fake_dict_take(d, "AppleRawAdapterDetails", raw);
	}
	if (!isnan(b->system_load_w) || !isnan(b->system_in_w)) {
		struct fake_obj *t = fake_dict();
		if (!isnan(b->system_load_w))
			fake_dict_take(t, "SystemLoad",
			               fake_num((int64_t)(b->system_load_w * 1e3)));
		if (!isnan(b->system_in_w))
			fake_dict_take(t, "SystemPowerIn",
			               fake_num((int64_t)(b->system_in_w * 1e3)));
		fake_dict_take(t, "PowerTelemetryErrorCount", fake_num(0));
		fake_dict_take(d, "PowerTelemetryData", t);
	}
	return d;
}

/* ---- power management ---- */

/* pmset's settings per power source; the dump's low power mode under the source in use and
 * the opposite under the other, so that reading the wrong one shows. NULL when the dump has
 * none. */
CFDictionaryRef IOPMCopyActivePMPreferences(void)
{
	const struct apple_reading *r = fake_reading();
	bool on_battery = r->battery.present && r->battery.external_connected == 0;
	struct fake_obj *d, *ac, *bat;

	if (r->low_power < 0)
		return NULL;
	d = fake_dict();
	ac = fake_dict();
	bat = fake_dict();
	fake_dict_take(ac, "LowPowerMode", fake_num(on_battery ? !r->low_power : r->low_power));
	fake_dict_take(ac, "System Sleep Timer", fake_num(1));
	fake_dict_take(bat, "LowPowerMode", fake_num(on_battery ? r->low_power : !r->low_power));
	fake_dict_take(bat, "System Sleep Timer", fake_num(10));
	fake_dict_take(d, "AC Power", ac);
	fake_dict_take(d, "Battery Power", bat);
	return (CFDictionaryRef)d;
}

/* kIOReturnNotFound where the dump has no speed limit: what Apple Silicon answers (two
 * sources in per-process-and-power-notes §4; pmset -g therm prints CPU_Speed_Limit on Intel) */
kern_return_t IOPMCopyCPUPowerStatus(CFDictionaryRef *status)
{
	const struct apple_reading *r = fake_reading();
	struct fake_obj *d;

	if (!status)
		fake_fail("IOPMCopyCPUPowerStatus: no place for the dictionary");
	*status = NULL;
	if (isnan(r->speed_limit))
		return (kern_return_t)0xe00002f0; /* kIOReturnNotFound */
	d = fake_dict();
	fake_dict_take(d, "CPU_Speed_Limit", fake_num((int64_t)r->speed_limit));
	fake_dict_take(d, "CPU_Available_CPUs", fake_num(fake.dump.host.ncpu));
	fake_dict_take(d, "CPU_Scheduler_Limit", fake_num(100));
	*status = (CFDictionaryRef)d;
	return KERN_SUCCESS;
}
