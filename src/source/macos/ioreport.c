/* ioreport.c - IOReport subscriptions: one per group, only the channels the decoder reads, and
 * their absolute counters as plain C (src/apple/ior.h) */
#include <stdio.h>
#include <string.h>

#include "../../apple/decode.h"
#include "../../util/str.h"
#include "macos_internal.h"

struct want {
	const char *group, *subgroup; /* subgroup NULL: all of the group */
	bool required;                /* missing: say so (else a group some chips lack) */
};

static const struct want wanted[] = {
	{ "Energy Model", NULL, true },
	{ "CPU Stats", "CPU Core Performance States", true },
	{ "CPU Stats", "CPU Complex Performance States", true },
	{ "GPU Stats", "GPU Performance States", true },
	{ "AMC Stats", "Perf Counters", false },
};

/* Where AMC Stats gives nothing (M4 Max and M5 Max on macOS 26.5, M3 Max on 27: it cannot be
 * subscribed, or its counters read INT64_MIN), the bandwidth histograms of the power manager's
 * performance monitor, under the first of these names that exists (SiliconScope 97ceace). */
static const struct want pmp_groups[] = {
	{ "PMP", "DCS BW", false },
	{ "PMP0", "DCS BW", false },
	{ "PMP1", "DCS BW", false },
};

/* The neural engine's floor residencies (two channels, apple_ane_wanted), its only activity
 * measure where macOS 27 freezes its energy counter (apple-recent-changes row 4), each under
 * the first of the PMP names that exists */
static const struct want pmp_ane[][3] = {
	{ { "PMP", "SOC Floor", false },
	  { "PMP0", "SOC Floor", false },
	  { "PMP1", "SOC Floor", false } },
	{ { "PMP", "DCS Floor", false },
	  { "PMP0", "DCS Floor", false },
	  { "PMP1", "DCS Floor", false } },
};

static CFStringRef cfs(const char *s)
{
	return s ? CFStringCreateWithCString(kCFAllocatorDefault, s, kCFStringEncodingUTF8) : NULL;
}

static struct apple_group *record(struct mac_ior *m, const struct want *w)
{
	struct apple_group *g;

	if (m->ngroups == APPLE_MAX_GROUPS)
		return NULL;
	g = &m->group[m->ngroups];
	memset(g, 0, sizeof *g);
	str_copy(g->group, sizeof g->group, w->group);
	str_copy(g->subgroup, sizeof g->subgroup, w->subgroup ? w->subgroup : "");
	memset(&m->sub[m->ngroups], 0, sizeof m->sub[0]);
	m->ngroups++;
	return g;
}

/* The group's channels, filtered to what the decoder reads, in a dictionary to subscribe with
 * (+1); NULL when there are none. *n gets their count. */
static CFMutableDictionaryRef desired_channels(const struct want *w, CFIndex *n)
{
	CFStringRef g = cfs(w->group), sg = cfs(w->subgroup);
	CFMutableDictionaryRef all, desired = NULL;
	CFMutableArrayRef keep;
	CFArrayRef chans;

	*n = 0;
	all = g ? IOReportCopyChannelsInGroup(g, sg, 0, 0, 0) : NULL;
	if (g)
		CFRelease(g);
	if (sg)
		CFRelease(sg);
	if (!all)
		return NULL;
	chans = cf_get(all, "IOReportChannels", CFArrayGetTypeID());
	keep = CFArrayCreateMutable(kCFAllocatorDefault, 0, &kCFTypeArrayCallBacks);
	for (CFIndex i = 0; keep && chans && i < CFArrayGetCount(chans); i++) {
		CFDictionaryRef ch = CFArrayGetValueAtIndex(chans, i);
		char group[48], subgroup[64], name[64];

		cf_cstr(IOReportChannelGetGroup(ch), group, sizeof group);
		cf_cstr(IOReportChannelGetSubGroup(ch), subgroup, sizeof subgroup);
		cf_cstr(IOReportChannelGetChannelName(ch), name, sizeof name);
		if (apple_channel_wanted(group, subgroup, name)) {
			CFArrayAppendValue(keep, ch);
			(*n)++;
		}
	}
	if (keep && *n) {
		desired = CFDictionaryCreateMutableCopy(kCFAllocatorDefault, 0, all);
		if (desired)
			CFDictionarySetValue(desired, CFSTR("IOReportChannels"), keep);
	}
	if (keep)
		CFRelease(keep);
	CFRelease(all);
	return desired;
}

/* Subscribes to one group; true when it worked. */
static bool subscribe(struct mac_ior *m, const struct want *w)
{
	CFMutableDictionaryRef desired, subbed = NULL;
	IOReportSubscriptionRef sub;
	struct apple_group *g;
	CFIndex n;

	desired = desired_channels(w, &n);
	if (!desired) {
		if (w->required && (g = record(m, w)))
			snprintf(g->error, sizeof g->error, "no such channels on this Mac");
		return false;
	}
	g = record(m, w);
	if (!g) {
		CFRelease(desired);
		return false;
	}
	sub = IOReportCreateSubscription(NULL, desired, &subbed, 0, NULL);
	CFRelease(desired);
	if (!sub || !subbed) {
		if (sub)
			CFRelease((CFTypeRef)sub);
		if (subbed)
			CFRelease(subbed);
		snprintf(g->error, sizeof g->error, "IOReportCreateSubscription returned NULL");
		return false;
	}
	g->subscribed = true;
	m->sub[m->ngroups - 1].sub = sub;
	m->sub[m->ngroups - 1].channels = subbed;
	m->nchannels += (size_t)n;
	return true;
}

/* Whether one sample of subscription i has a Simple value that is not INT64_MIN: AMC Stats can
 * be subscribed and still report no data (SiliconScope 9c68291, macOS 27). */
static bool has_data(struct mac_ior *m, unsigned i)
{
	CFDictionaryRef s = IOReportCreateSamples(m->sub[i].sub, m->sub[i].channels, NULL);
	CFArrayRef chans = s ? cf_get(s, "IOReportChannels", CFArrayGetTypeID()) : NULL;
	bool data = false;

	for (CFIndex k = 0; chans && k < CFArrayGetCount(chans) && !data; k++) {
		CFDictionaryRef ch = CFArrayGetValueAtIndex(chans, k);
		data = IOReportChannelGetFormat(ch) == kIOReportFormatSimple &&
		       IOReportSimpleGetIntegerValue(ch, 0) != INT64_MIN;
	}
	if (s)
		CFRelease(s);
	return data;
}

int mac_ior_open(struct mac_ior *m, struct error *err)
{
	bool any = false, amc = false;

	memset(m, 0, sizeof *m);
	for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
		bool ok = subscribe(m, &wanted[i]);
		any |= ok;
		if (!strcmp(wanted[i].group, "AMC Stats"))
			amc = ok && has_data(m, m->ngroups - 1);
	}
	/* PMP adds hundreds of channels to every sample: only where AMC Stats is not usable */
	if (!amc)
		for (size_t i = 0; i < sizeof pmp_groups / sizeof pmp_groups[0]; i++)
			if (subscribe(m, &pmp_groups[i]))
				break;
	for (size_t i = 0; i < sizeof pmp_ane / sizeof pmp_ane[0]; i++)
		for (size_t j = 0; j < sizeof pmp_ane[0] / sizeof pmp_ane[0][0]; j++)
			if (subscribe(m, &pmp_ane[i][j]))
				break;
	if (!any) {
		mac_ior_close(m);
		return error_set(err,
		                 "IOReport: no channel group could be subscribed (Energy Model, "
		                 "CPU Stats, GPU Stats)");
	}
	return 0;
}

static void trim_unit(char *u)
{
	size_t n = strlen(u), k = 0;

	while (n && u[n - 1] == ' ')
		u[--n] = '\0';
	while (u[k] == ' ')
		k++;
	if (k)
		memmove(u, u + k, n - k + 1);
}

static int add_channel(struct ior_sample *out, CFDictionaryRef ch)
{
	char group[48], subgroup[64], name[64], unit[16];
	struct ior_channel *c;
	int format = IOReportChannelGetFormat(ch);

	cf_cstr(IOReportChannelGetGroup(ch), group, sizeof group);
	cf_cstr(IOReportChannelGetSubGroup(ch), subgroup, sizeof subgroup);
	cf_cstr(IOReportChannelGetChannelName(ch), name, sizeof name);
	cf_cstr(IOReportChannelGetUnitLabel(ch), unit, sizeof unit);
	trim_unit(unit);
	if (format < IOR_SIMPLE || format > IOR_SIMPLE_ARRAY)
		format = IOR_INVALID;
	c = ior_add(out, group, subgroup, name, unit, (enum ior_format)format);
	if (!c)
		return -1;
	if (format == IOR_SIMPLE) {
		CFDataRef raw = cf_get(ch, "RawElements", CFDataGetTypeID());
		c->value = IOReportSimpleGetIntegerValue(ch, 0); /* INT64_MIN: no data */
		/* the driver's time of the value: IOReportElement.timestamp, byte offset 24 of
		 * the first 64-byte element (xnu IOReportTypes.h; all-smi PR #412) */
		if (raw && CFDataGetLength(raw) >= 32) {
			const uint8_t *b = CFDataGetBytePtr(raw) + 24;
			for (int k = 7; k >= 0; k--)
				c->ts = c->ts << 8 | b[k];
		}
	} else if (format == IOR_STATE) {
		int32_t n = IOReportStateGetCount(ch);
		if (n > 0 && ior_add_states(c, (unsigned)n))
			return -1;
		for (int32_t k = 0; k < n; k++) {
			cf_cstr(IOReportStateGetNameForIndex(ch, k), c->states[k].name,
			        sizeof c->states[k].name);
			c->states[k].residency = IOReportStateGetResidency(ch, k);
		}
	}
	return 0;
}

int mac_ior_sample(struct mac_ior *m, struct ior_sample *out)
{
	for (unsigned i = 0; i < m->ngroups; i++) {
		CFDictionaryRef s;
		CFArrayRef chans;
		int rc = 0;

		if (!m->sub[i].sub)
			continue;
		s = IOReportCreateSamples(m->sub[i].sub, m->sub[i].channels, NULL);
		if (!s)
			continue; /* this group's values are missing from this reading */
		chans = cf_get(s, "IOReportChannels", CFArrayGetTypeID());
		for (CFIndex k = 0; chans && k < CFArrayGetCount(chans) && !rc; k++)
			rc = add_channel(out, CFArrayGetValueAtIndex(chans, k));
		CFRelease(s);
		if (rc)
			return -1;
	}
	return 0;
}

void mac_ior_close(struct mac_ior *m)
{
	for (unsigned i = 0; i < m->ngroups; i++) {
		if (m->sub[i].channels)
			CFRelease(m->sub[i].channels);
		if (m->sub[i].sub)
			CFRelease((CFTypeRef)m->sub[i].sub);
		m->sub[i].sub = NULL;
		m->sub[i].channels = NULL;
	}
	m->ngroups = 0;
}
