/* pmgr.c - DVFS tables and the GPU core count from the IORegistry, through IOKit calls (never by
 * running ioreg) */
#include <stdlib.h>
#include <string.h>

#include "macos_internal.h"

/* Keeps the properties the decoder reads: every voltage-states* table and acc-clusters (M5). */
static void keep_props(CFDictionaryRef props, struct pmgr *p)
{
	CFIndex n = CFDictionaryGetCount(props);
	const void **keys, **values;

	if (n <= 0)
		return;
	keys = calloc((size_t)n, sizeof *keys);
	values = calloc((size_t)n, sizeof *values);
	if (keys && values) {
		CFDictionaryGetKeysAndValues(props, keys, values);
		for (CFIndex i = 0; i < n; i++) {
			char key[48];
			cf_cstr(keys[i], key, sizeof key);
			if (strncmp(key, "voltage-states", 14) != 0 &&
			    strcmp(key, "acc-clusters") != 0)
				continue;
			if (!values[i] || CFGetTypeID(values[i]) != CFDataGetTypeID())
				continue;
			pmgr_add(p, key, CFDataGetBytePtr(values[i]),
			         (size_t)CFDataGetLength(values[i]));
		}
	}
	free(keys);
	free(values);
}

int mac_pmgr_read(struct pmgr *p)
{
	io_iterator_t it = 0;
	io_object_t e;
	int rc = -1;

	/* IOServiceGetMatchingServices consumes the matching dictionary */
	if (IOServiceGetMatchingServices(MACH_PORT_NULL, IOServiceMatching("AppleARMIODevice"),
	                                 &it) != kIOReturnSuccess)
		return -1;
	while ((e = IOIteratorNext(it)) != 0) {
		io_name_t name;
		if (rc != 0 && IORegistryEntryGetName(e, name) == kIOReturnSuccess &&
		    !strcmp(name, "pmgr")) {
			CFMutableDictionaryRef props = NULL;
			if (IORegistryEntryCreateCFProperties(e, &props, kCFAllocatorDefault, 0) ==
			        kIOReturnSuccess &&
			    props) {
				keep_props(props, p);
				rc = 0;
			}
			if (props)
				CFRelease(props);
		}
		IOObjectRelease(e);
	}
	IOObjectRelease(it);
	return rc;
}

int mac_gpu_cores(void)
{
	io_service_t svc =
	    IOServiceGetMatchingService(MACH_PORT_NULL, IOServiceMatching("AGXAccelerator"));
	CFTypeRef v;
	int64_t n = -1;

	if (!svc)
		return -1;
	v = IORegistryEntryCreateCFProperty(svc, CFSTR("gpu-core-count"), kCFAllocatorDefault, 0);
	if (v) {
		if (!cf_i64(v, &n) || n <= 0)
			n = -1;
		CFRelease(v);
	}
	IOObjectRelease(svc);
	return (int)n;
}
