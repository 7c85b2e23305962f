/* hid.c - temperature sensors of the IOHID event system, the fallback where the SMC gives none
 * (base M1 on some macOS versions). The client and its services are created once: each
 * creation is an IPC to hidd. */
#include <stdlib.h>
#include <string.h>

#include "../../apple/decode.h"
#include "macos_internal.h"

static CFDictionaryRef matching(void)
{
	int32_t page = 0xff00, usage = 5; /* Apple vendor page, temperature sensors */
	CFNumberRef p = CFNumberCreate(kCFAllocatorDefault, kCFNumberSInt32Type, &page);
	CFNumberRef u = CFNumberCreate(kCFAllocatorDefault, kCFNumberSInt32Type, &usage);
	CFMutableDictionaryRef d =
	    CFDictionaryCreateMutable(kCFAllocatorDefault, 2, &kCFTypeDictionaryKeyCallBacks,
	                              &kCFTypeDictionaryValueCallBacks);

	if (d && p && u) {
		CFDictionarySetValue(d, CFSTR("PrimaryUsagePage"), p);
		CFDictionarySetValue(d, CFSTR("PrimaryUsage"), u);
	}
	if (p)
		CFRelease(p);
	if (u)
		CFRelease(u);
	return d;
}

int mac_hid_open(struct mac_hid *h)
{
	CFDictionaryRef match;
	CFIndex n;

	memset(h, 0, sizeof *h);
	h->client = IOHIDEventSystemClientCreate(kCFAllocatorDefault);
	if (!h->client)
		return -1;
	match = matching();
	if (match) {
		IOHIDEventSystemClientSetMatching(h->client, match);
		CFRelease(match);
	}
	h->services = IOHIDEventSystemClientCopyServices(h->client);
	n = h->services ? CFArrayGetCount(h->services) : 0;
	if (n <= 0) {
		mac_hid_close(h);
		return -1;
	}
	h->names = calloc((size_t)n, sizeof *h->names);
	if (!h->names) {
		mac_hid_close(h);
		return -1;
	}
	h->nnames = (unsigned)n;
	for (CFIndex i = 0; i < n; i++) {
		IOHIDServiceClientRef svc =
		    (IOHIDServiceClientRef)CFArrayGetValueAtIndex(h->services, i);
		CFTypeRef name = IOHIDServiceClientCopyProperty(svc, CFSTR("Product"));
		cf_cstr(name, h->names[i], sizeof h->names[i]);
		if (name)
			CFRelease(name);
	}
	return 0;
}

void mac_hid_read(struct mac_hid *h, struct apple_reading *r)
{
	for (unsigned i = 0; i < h->nnames; i++) {
		struct apple_temp t = { APPLE_TEMP_HID, "", 0 }, *slot;
		IOHIDServiceClientRef svc;
		IOHIDEventRef ev;

		memcpy(t.name, h->names[i], sizeof t.name);
		if (apple_temp_kind(&t) == TEMP_OTHER)
			continue; /* not shown: not read */
		svc = (IOHIDServiceClientRef)CFArrayGetValueAtIndex(h->services, (CFIndex)i);
		ev = IOHIDServiceClientCopyEvent(svc, AGTOP_HID_EVENT_TEMPERATURE, 0, 0);
		if (!ev)
			continue;
		t.celsius = IOHIDEventGetFloatValue(ev, AGTOP_HID_FIELD_TEMPERATURE);
		CFRelease((CFTypeRef)ev);
		if ((slot = apple_reading_add_temp(r)))
			*slot = t;
	}
}

void mac_hid_close(struct mac_hid *h)
{
	if (h->services)
		CFRelease(h->services);
	if (h->client)
		CFRelease((CFTypeRef)h->client);
	free(h->names);
	memset(h, 0, sizeof *h);
}
