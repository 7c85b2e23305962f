/* power.c - the battery (AppleSmartBattery in the IORegistry: mactop reads current and voltage
 * there because IOPS does not reliably give them on Apple Silicon, and IOPS's current can be
 * stale, stats#3586), the low power mode (IOPMCopyActivePMPreferences: "LowPowerMode" under
 * the power source in use, as pmset -g shows it) and the CPU speed limit
 * (IOPMCopyCPUPowerStatus "CPU_Speed_Limit"; Apple Silicon answers kIOReturnNotFound). No sudo.
 * (docs/counters.md) */
#include <math.h>
#include <string.h>

#include "macos_internal.h"

static int64_t num(CFDictionaryRef d, const char *key, int64_t absent)
{
	int64_t v;

	return cf_i64(cf_get(d, key, CFNumberGetTypeID()), &v) ? v : absent;
}

static int flag(CFDictionaryRef d, const char *key)
{
	CFTypeRef b = cf_get(d, key, CFBooleanGetTypeID());

	return b ? CFBooleanGetValue((CFBooleanRef)b) != 0 : -1;
}

/* The adapter's rating: AdapterDetails, else the largest of AppleRawAdapterDetails (a USB-C
 * port can list a 8 W and a 140 W source at once). */
static double adapter_watts(CFDictionaryRef props)
{
	CFTypeRef details = cf_get(props, "AdapterDetails", CFDictionaryGetTypeID());
	CFTypeRef raw = cf_get(props, "AppleRawAdapterDetails", CFArrayGetTypeID());
	int64_t w = details ? num(details, "Watts", 0) : 0;

	for (CFIndex i = 0; w <= 0 && raw && i < CFArrayGetCount(raw); i++) {
		CFTypeRef a = CFArrayGetValueAtIndex(raw, i);
		int64_t v = CFGetTypeID(a) == CFDictionaryGetTypeID() ? num(a, "Watts", 0) : 0;
		if (v > w)
			w = v;
	}
	return w > 0 ? (double)w : NAN;
}

static void read_battery(struct mac_power *m, struct apple_reading *r)
{
	CFMutableDictionaryRef props = NULL;
	CFTypeRef tele;
	struct apple_battery *b = &r->battery;
	int64_t v;

	if (!m->battery ||
	    IORegistryEntryCreateCFProperties(m->battery, &props, kCFAllocatorDefault, 0) !=
	        kIOReturnSuccess ||
	    !props)
		return;
	b->present = true;
	b->current_capacity = num(props, "CurrentCapacity", -1);
	b->max_capacity = num(props, "MaxCapacity", -1);
	b->is_charging = flag(props, "IsCharging");
	b->fully_charged = flag(props, "FullyCharged");
	b->external_connected = flag(props, "ExternalConnected");
	b->time_remaining = num(props, "TimeRemaining", -1);
	b->avg_time_to_full = num(props, "AvgTimeToFull", -1);
	/* "Amperage" is signed; InstantAmperage where the averaged one is missing */
	b->amperage = num(props, "Amperage", num(props, "InstantAmperage", INT64_MIN));
	b->voltage = num(props, "Voltage", INT64_MIN);
	b->adapter_watts = adapter_watts(props);
	tele = cf_get(props, "PowerTelemetryData", CFDictionaryGetTypeID());
	if (tele) { /* mW; missing on some machines (an M4 Pro, batt#73) */
		if ((v = num(tele, "SystemLoad", -1)) > 0)
			b->system_load_w = (double)v / 1e3;
		if ((v = num(tele, "SystemPowerIn", -1)) >= 0)
			b->system_in_w = (double)v / 1e3;
	}
	CFRelease(props);
}

static void read_low_power(const struct apple_reading *r, struct apple_reading *out)
{
	CFDictionaryRef prefs = IOPMCopyActivePMPreferences();
	const char *source =
	    r->battery.present && r->battery.external_connected == 0 ? "Battery Power" : "AC Power";
	CFTypeRef now;
	int64_t v;

	if (!prefs)
		return;
	now = cf_get(prefs, source, CFDictionaryGetTypeID());
	/* 0 automatic (normal), 1 low power, 2 high power (pmset's powermode) */
	if (now && cf_i64(cf_get(now, "LowPowerMode", CFNumberGetTypeID()), &v))
		out->low_power = v == 1;
	CFRelease(prefs);
}

static void read_speed_limit(struct apple_reading *r)
{
	CFDictionaryRef st = NULL;
	int64_t v;

	if (IOPMCopyCPUPowerStatus(&st) != kIOReturnSuccess || !st)
		return;
	if (cf_i64(cf_get(st, "CPU_Speed_Limit", CFNumberGetTypeID()), &v) && v > 0 && v <= 100)
		r->speed_limit = (double)v;
	CFRelease(st);
}

void mac_power_open(struct mac_power *m)
{
	memset(m, 0, sizeof *m);
	/* found once: a desktop Mac has no battery */
	m->battery =
	    IOServiceGetMatchingService(MACH_PORT_NULL, IOServiceMatching("AppleSmartBattery"));
}

void mac_power_read(struct mac_power *m, struct apple_reading *r)
{
	read_battery(m, r);
	read_low_power(r, r);
	read_speed_limit(r);
}

void mac_power_close(struct mac_power *m)
{
	if (m->battery)
		IOObjectRelease(m->battery);
	memset(m, 0, sizeof *m);
}
