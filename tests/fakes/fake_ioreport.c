/* fake_ioreport.c - IOReport over a dump: the channel inventory of every reading, groups that
 * refuse subscription as the dump records, and samples of the current reading */
#include <stdio.h>
#include <string.h>

#include "fake_internal.h"
#include "source/macos/apple_sys.h"

/* Real groups hold thousands of channels the decoder must not subscribe to (DTL counters,
 * per-core rails): a few of them are added to every inventory. */
static const struct {
	const char *group, *subgroup, *name, *unit;
} extras[] = {
	{ "Energy Model", "", "ECPUDTL00", "mJ" },
	{ "Energy Model", "", "PCPU1DTL3e", "mJ" },
	{ "Energy Model", "", "ISP", "mJ" },
	{ "Energy Model", "", "AVE0", "mJ" },
};

static const struct apple_group *dump_group(const char *group, const char *subgroup)
{
	for (unsigned i = 0; i < fake.dump.ngroups; i++)
		if (!strcmp(fake.dump.group[i].group, group) &&
		    (!subgroup || !strcmp(fake.dump.group[i].subgroup, subgroup)))
			return &fake.dump.group[i];
	return NULL;
}

static struct fake_obj *channel_dict(const char *group, const char *subgroup, const char *name,
                                     const char *unit, enum ior_format format)
{
	struct fake_obj *d = fake_dict();

	fake_dict_take(d, "IOReportGroupName", fake_str(group));
	if (subgroup[0])
		fake_dict_take(d, "IOReportSubGroupName", fake_str(subgroup));
	fake_dict_take(d, "IOReportChannelName", fake_str(name));
	fake_dict_take(d, "IOReportChannelUnitLabel", fake_str(unit));
	fake_dict_take(d, "IOReportFormat", fake_num(format));
	return d;
}

static bool listed(const struct fake_obj *arr, const char *group, const char *subgroup,
                   const char *name)
{
	for (size_t i = 0; i < arr->n; i++) {
		const struct fake_obj *d = arr->items[i], *sg;
		sg = fake_dict_get(d, "IOReportSubGroupName");
		if (!strcmp(fake_dict_get(d, "IOReportGroupName")->str, group) &&
		    !strcmp(sg ? sg->str : "", subgroup) &&
		    !strcmp(fake_dict_get(d, "IOReportChannelName")->str, name))
			return true;
	}
	return false;
}

CFMutableDictionaryRef IOReportCopyChannelsInGroup(CFStringRef group, CFStringRef subgroup,
                                                   uint64_t a, uint64_t b, uint64_t c)
{
	const char *g = fake_check(group, FK_STRING, "IOReportCopyChannelsInGroup")->str;
	const char *sg =
	    subgroup ? fake_check(subgroup, FK_STRING, "IOReportCopyChannelsInGroup")->str : NULL;
	const struct apple_group *dg = dump_group(g, sg);
	struct fake_obj *arr = fake_array(), *d;

	if (a || b || c)
		fake_fail("IOReportCopyChannelsInGroup: the last three arguments are 0");
	for (unsigned r = 0; r < fake.dump.nreadings; r++)
		for (size_t i = 0; i < fake.dump.reading[r].ior.n; i++) {
			const struct ior_channel *ch = &fake.dump.reading[r].ior.ch[i];
			if (strcmp(ch->group, g) || (sg && strcmp(ch->subgroup, sg)) ||
			    listed(arr, ch->group, ch->subgroup, ch->name))
				continue;
			fake_array_take(arr, channel_dict(ch->group, ch->subgroup, ch->name,
			                                  ch->unit, ch->format));
		}
	for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++)
		if (arr->n && !strcmp(extras[i].group, g) &&
		    (!sg || !strcmp(extras[i].subgroup, sg)))
			fake_array_take(arr,
			                channel_dict(extras[i].group, extras[i].subgroup,
			                             extras[i].name, extras[i].unit, IOR_SIMPLE));
	/* a group that exists but refuses subscription (AMC Stats on M4 Max): its channels are
	 * listed all the same */
	if (!arr->n && dg && !dg->subscribed) {
		fake_array_take(arr, channel_dict(g, sg ? sg : "", "DCS RD", "B", IOR_SIMPLE));
		fake_array_take(arr, channel_dict(g, sg ? sg : "", "DCS WR", "B", IOR_SIMPLE));
	}
	if (!arr->n) {
		CFRelease(arr);
		return NULL;
	}
	d = fake_dict();
	fake_dict_take(d, "IOReportChannels", arr);
	return (CFMutableDictionaryRef)d;
}

static const char *meta(const struct fake_obj *ch, const char *key)
{
	struct fake_obj *v = fake_dict_get(ch, key);

	return v ? v->str : "";
}

IOReportSubscriptionRef IOReportCreateSubscription(void *a, CFMutableDictionaryRef desired,
                                                   CFMutableDictionaryRef *subscribed,
                                                   uint64_t channel_id, CFTypeRef b)
{
	struct fake_obj *d = fake_check(desired, FK_DICT, "IOReportCreateSubscription");
	struct fake_obj *arr = fake_dict_get(d, "IOReportChannels"), *sub, *out, *copy;

	if (a || b || channel_id)
		fake_fail("IOReportCreateSubscription: a, b and the channel id are NULL/0");
	if (!subscribed)
		fake_fail("IOReportCreateSubscription: no place for the subscribed channels");
	*subscribed = NULL;
	if (!arr || arr->kind != FK_ARRAY || !arr->n)
		fake_fail("IOReportCreateSubscription: no channels to subscribe to");
	for (size_t i = 0; i < arr->n; i++) {
		const struct fake_obj *ch =
		    fake_check(arr->items[i], FK_DICT, "subscribed channel");
		const struct apple_group *dg =
		    dump_group(meta(ch, "IOReportGroupName"), meta(ch, "IOReportSubGroupName"));
		if (!dg)
			dg = dump_group(meta(ch, "IOReportGroupName"), NULL);
		if (dg && !dg->subscribed)
			return NULL;
	}
	copy = fake_array();
	for (size_t i = 0; i < arr->n; i++) {
		const struct fake_obj *ch = arr->items[i];
		size_t w = strlen(fake.subscribed);
		snprintf(fake.subscribed + w, sizeof fake.subscribed - w, "%s/%s/%s\n",
		         meta(ch, "IOReportGroupName"), meta(ch, "IOReportSubGroupName"),
		         meta(ch, "IOReportChannelName"));
		CFRetain(arr->items[i]);
		fake_array_take(copy, arr->items[i]);
	}
	out = fake_dict();
	fake_dict_take(out, "IOReportChannels", copy);
	*subscribed = (CFMutableDictionaryRef)out;
	sub = fake_new(FK_SUBSCRIPTION);
	fake.st.subscriptions++;
	return (IOReportSubscriptionRef)sub;
}

static const struct ior_channel *current(const char *group, const char *subgroup, const char *name)
{
	const struct apple_reading *r = fake_reading();

	for (size_t i = 0; i < r->ior.n; i++)
		if (!strcmp(r->ior.ch[i].name, name) && !strcmp(r->ior.ch[i].group, group) &&
		    !strcmp(r->ior.ch[i].subgroup, subgroup))
			return &r->ior.ch[i];
	return NULL;
}

/* A PMGR energy counter: the mJ channels of the Energy Model (GPU Energy is the GPU driver's). */
static bool pmgr_energy(const struct ior_channel *c)
{
	return !strcmp(c->group, "Energy Model") && c->format == IOR_SIMPLE &&
	       !strcmp(c->unit, "mJ");
}

/* The counter of channel c as the dump has it at mach time t, linear between readings;
 * IOR_NO_VALUE where a reading lacks it. */
static int64_t value_at(const struct ior_channel *c, uint64_t t)
{
	const struct ior_channel *prev = NULL;
	uint64_t prev_t = 0;

	for (unsigned r = 0; r < fake.dump.nreadings; r++) {
		const struct apple_reading *rd = &fake.dump.reading[r];
		const struct ior_channel *x = NULL;
		for (size_t i = 0; i < rd->ior.n && !x; i++)
			if (!strcmp(rd->ior.ch[i].name, c->name) &&
			    !strcmp(rd->ior.ch[i].group, c->group))
				x = &rd->ior.ch[i];
		if (!x)
			continue;
		if (rd->mach_time == t || (rd->mach_time > t && !prev))
			return x->value;
		if (rd->mach_time > t) {
			if (x->value == IOR_NO_VALUE || prev->value == IOR_NO_VALUE)
				return IOR_NO_VALUE;
			return prev->value +
			       (int64_t)((double)(x->value - prev->value) * (double)(t - prev_t) /
			                 (double)(rd->mach_time - prev_t));
		}
		prev = x;
		prev_t = rd->mach_time;
	}
	return prev ? prev->value : IOR_NO_VALUE;
}

/* What the driver has published of c at this reading, and when (*ts): the counter itself,
 * stamped now, unless the machine batches or freezes its PMGR energy counters. */
static int64_t published(const struct ior_channel *c, uint64_t *ts)
{
	const struct apple_reading *r = fake_reading();
	uint64_t now = r->mach_time, t0 = fake.dump.reading[0].mach_time;
	double ticks_per_s = 1e9 * fake.dump.host.tb_denom / fake.dump.host.tb_numer;

	*ts = c->ts ? c->ts : now;
	if (!pmgr_energy(c))
		return c->value;
	if (fake.opts.energy_freeze_at && fake.index >= fake.opts.energy_freeze_at)
		now = fake.dump.reading[fake.opts.energy_freeze_at - 1].mach_time;
	if (fake.opts.energy_batch_s > 0) {
		uint64_t period = (uint64_t)(fake.opts.energy_batch_s * ticks_per_s);
		now = t0 + (now - t0) / period * period;
	}
	if (now == r->mach_time)
		return c->value;
	*ts = now;
	return value_at(c, now);
}

/* IOReportElement as the kernel lays it out in RawElements (xnu IOReportTypes.h): provider and
 * channel ids, the channel type, the driver's timestamp at byte 24, four values. */
static struct fake_obj *raw_element(const struct ior_channel *c, int64_t value, uint64_t ts)
{
	uint8_t b[64];

	memset(b, 0, sizeof b);
	b[16] = (uint8_t)c->format;
	for (int k = 0; k < 8; k++) {
		b[24 + k] = (uint8_t)(ts >> (8 * k));
		b[32 + k] = (uint8_t)((uint64_t)value >> (8 * k));
	}
	return fake_data(b, sizeof b);
}

CFDictionaryRef IOReportCreateSamples(IOReportSubscriptionRef sub, CFMutableDictionaryRef subbed,
                                      CFTypeRef a)
{
	struct fake_obj *s = fake_check(subbed, FK_DICT, "IOReportCreateSamples");
	struct fake_obj *arr = fake_dict_get(s, "IOReportChannels"), *out, *chans;

	fake_check(sub, FK_SUBSCRIPTION, "IOReportCreateSamples");
	if (a)
		fake_fail("IOReportCreateSamples: the last argument is NULL");
	chans = fake_array();
	for (size_t i = 0; arr && i < arr->n; i++) {
		const struct fake_obj *ch = arr->items[i];
		const struct ior_channel *c =
		    current(meta(ch, "IOReportGroupName"), meta(ch, "IOReportSubGroupName"),
		            meta(ch, "IOReportChannelName"));
		struct fake_obj *d;

		if (!c)
			continue; /* not in this reading */
		d = channel_dict(c->group, c->subgroup, c->name, c->unit, c->format);
		if (c->format == IOR_STATE) {
			struct fake_obj *st = fake_array();
			for (unsigned k = 0; k < c->nstates; k++) {
				struct fake_obj *e = fake_dict();
				fake_dict_take(e, "name", fake_str(c->states[k].name));
				fake_dict_take(e, "residency", fake_num(c->states[k].residency));
				fake_array_take(st, e);
			}
			fake_dict_take(d, "FakeStates", st);
		} else {
			uint64_t ts;
			int64_t v = published(c, &ts);
			fake_dict_take(d, "FakeValue", fake_num(v));
			fake_dict_take(d, "RawElements", raw_element(c, v, ts));
		}
		fake_array_take(chans, d);
	}
	out = fake_dict();
	fake_dict_take(out, "IOReportChannels", chans);
	fake.st.samples++;
	return (CFDictionaryRef)out;
}

static struct fake_obj *chan(CFDictionaryRef ch, const char *where)
{
	return fake_check(ch, FK_DICT, where);
}

int IOReportChannelGetFormat(CFDictionaryRef ch)
{
	struct fake_obj *f = fake_dict_get(chan(ch, "IOReportChannelGetFormat"), "IOReportFormat");

	return f ? (int)f->i : 0;
}

CFStringRef IOReportChannelGetGroup(CFDictionaryRef ch)
{
	return (CFStringRef)fake_dict_get(chan(ch, "IOReportChannelGetGroup"), "IOReportGroupName");
}

CFStringRef IOReportChannelGetSubGroup(CFDictionaryRef ch)
{
	/* NULL for channels without a subgroup (Energy Model), as IOReport gives */
	return (CFStringRef)fake_dict_get(chan(ch, "IOReportChannelGetSubGroup"),
	                                  "IOReportSubGroupName");
}

CFStringRef IOReportChannelGetChannelName(CFDictionaryRef ch)
{
	return (CFStringRef)fake_dict_get(chan(ch, "IOReportChannelGetChannelName"),
	                                  "IOReportChannelName");
}

CFStringRef IOReportChannelGetUnitLabel(CFDictionaryRef ch)
{
	return (CFStringRef)fake_dict_get(chan(ch, "IOReportChannelGetUnitLabel"),
	                                  "IOReportChannelUnitLabel");
}

int64_t IOReportSimpleGetIntegerValue(CFDictionaryRef ch, int32_t index)
{
	struct fake_obj *v = fake_dict_get(chan(ch, "IOReportSimpleGetIntegerValue"), "FakeValue");

	if (index != 0)
		fake_fail("IOReportSimpleGetIntegerValue: index %d", index);
	return v ? v->i : INT64_MIN; /* State channels give the sentinel */
}

static struct fake_obj *states(CFDictionaryRef ch, const char *where)
{
	struct fake_obj *s = fake_dict_get(chan(ch, where), "FakeStates");

	if (!s)
		fake_fail("%s: not a State channel", where);
	return s;
}

int32_t IOReportStateGetCount(CFDictionaryRef ch)
{
	struct fake_obj *s = fake_dict_get(chan(ch, "IOReportStateGetCount"), "FakeStates");

	return s ? (int32_t)s->n : 0;
}

CFStringRef IOReportStateGetNameForIndex(CFDictionaryRef ch, int32_t index)
{
	struct fake_obj *s = states(ch, "IOReportStateGetNameForIndex");

	if (index < 0 || (size_t)index >= s->n)
		fake_fail("IOReportStateGetNameForIndex: index %d of %zu", index, s->n);
	return (CFStringRef)fake_dict_get(s->items[index], "name");
}

int64_t IOReportStateGetResidency(CFDictionaryRef ch, int32_t index)
{
	struct fake_obj *s = states(ch, "IOReportStateGetResidency");

	if (index < 0 || (size_t)index >= s->n)
		fake_fail("IOReportStateGetResidency: index %d of %zu", index, s->n);
	return fake_dict_get(s->items[index], "residency")->i;
}
