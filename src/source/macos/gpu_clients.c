/* gpu_clients.c - each process's GPU time, without sudo: the GPU accelerator's
 * AGXDeviceUserClient children. They are not registered services (ioreg shows them
 * "!registered, !matched"), so matching finds none: the accelerator's children are walked in
 * the service plane. Each has "IOUserClientCreator" = "pid N, name" (the name cut to 16
 * bytes: only the pid is used) and "AppUsage", one entry per API with "accumulatedGPUTime" in
 * nanoseconds; a process's time is the sum over every entry of every client it owns. Intel
 * Macs put accumulatedGPUTime on the client itself. (docs/counters.md) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macos_internal.h"

/* The nanoseconds a client has used the GPU: the sum over its AppUsage entries. */
static uint64_t client_ns(io_object_t client)
{
	CFTypeRef usage =
	    IORegistryEntryCreateCFProperty(client, CFSTR("AppUsage"), kCFAllocatorDefault, 0);
	uint64_t sum = 0;
	int64_t v;

	if (usage && CFGetTypeID(usage) == CFArrayGetTypeID()) {
		for (CFIndex i = 0; i < CFArrayGetCount(usage); i++) {
			CFTypeRef e = CFArrayGetValueAtIndex(usage, i);
			CFTypeRef t = CFGetTypeID(e) == CFDictionaryGetTypeID()
			                  ? cf_get(e, "accumulatedGPUTime", CFNumberGetTypeID())
			                  : NULL;
			if (t && cf_i64(t, &v) && v > 0)
				sum += (uint64_t)v;
		}
	} else {
		CFTypeRef t = IORegistryEntryCreateCFProperty(client, CFSTR("accumulatedGPUTime"),
		                                              kCFAllocatorDefault, 0);
		if (t) {
			if (cf_i64(t, &v) && v > 0)
				sum = (uint64_t)v;
			CFRelease(t);
		}
	}
	if (usage)
		CFRelease(usage);
	return sum;
}

static int client_pid(io_object_t client)
{
	CFTypeRef creator = IORegistryEntryCreateCFProperty(client, CFSTR("IOUserClientCreator"),
	                                                    kCFAllocatorDefault, 0);
	char text[64];
	int pid = -1;

	if (!creator)
		return -1;
	if (sscanf(cf_cstr(creator, text, sizeof text), "pid %d,", &pid) != 1)
		pid = -1;
	CFRelease(creator);
	return pid;
}

void mac_gpu_clients_read(struct apple_reading *r)
{
	io_service_t acc =
	    IOServiceGetMatchingService(MACH_PORT_NULL, IOServiceMatching("AGXAccelerator"));
	io_iterator_t it = 0;
	io_object_t c;

	if (!acc)
		return;
	if (IORegistryEntryGetChildIterator(acc, kIOServicePlane, &it) != kIOReturnSuccess) {
		IOObjectRelease(acc);
		return;
	}
	while ((c = IOIteratorNext(it)) != 0) {
		io_name_t cls;
		struct apple_proc *p;
		int pid;

		if (IOObjectGetClass(c, cls) == kIOReturnSuccess &&
		    !strcmp(cls, "AGXDeviceUserClient") && (pid = client_pid(c)) >= 0 &&
		    (p = apple_reading_proc(r, pid)) != NULL) {
			p->gpu = true; /* a client that never submitted still marks a GPU user */
			p->gpu_ns += client_ns(c);
		}
		IOObjectRelease(c);
	}
	IOObjectRelease(it);
	IOObjectRelease(acc);
	r->have_gpu_clients = r->have_procs;
}
