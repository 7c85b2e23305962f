/* fake_apple.h - fakes of CoreFoundation, IOKit (registry, SMC, HID), IOReport, Mach, sysctl,
 * libproc and notify that serve an IOReport dump (docs/ioreport-dump.md), so the real macOS
 * source runs in the Linux tests.
 *
 * The fakes account for everything the source creates: CF objects (+1 results of Create and
 * Copy calls), IOKit objects, Mach ports, vm allocations and notify tokens. Releasing something
 * twice, using a released CF object, or passing a wrong object aborts with a message; what is
 * still held at the end is reported by fake_apple_leaks. */
#ifndef AGTOP_FAKE_APPLE_H
#define AGTOP_FAKE_APPLE_H

#include <stdbool.h>
#include <stddef.h>

#include "apple/dump.h"
#include "error.h"

/* Variations of the machine a dump describes. */
struct fake_apple_opts {
	bool no_smc;       /* no AppleSMC service: the source must fall back to HID */
	bool no_pmgr;      /* no pmgr node in the IORegistry */
	bool no_processes; /* proc_listpids fails */
};

/* Serves the dump at path (reading 0 first). 0, or -1 with err. */
int fake_apple_load(const char *path, const struct fake_apple_opts *opts, struct error *err);
/* Forgets the dump and every object (call after checking for leaks). */
void fake_apple_unload(void);
/* The machine moves on to its next reading (the last one stays). */
void fake_apple_advance(void);
unsigned fake_apple_index(void);
const struct apple_dump *fake_apple_dump(void);

struct fake_apple_stats {
	long cf_live;           /* CF objects created for the caller and not released */
	long io_live;           /* IOKit object references and connections */
	long ports_live;        /* Mach port rights (mach_host_self) */
	long vm_live;           /* host_processor_info buffers not vm_deallocate'd */
	long notify_live;       /* notify tokens */
	unsigned hid_clients;   /* IOHIDEventSystemClientCreate calls */
	unsigned subscriptions; /* IOReportCreateSubscription calls that returned one */
	unsigned samples;       /* IOReportCreateSamples calls */
	unsigned procargs;      /* KERN_PROCARGS2 calls */
	unsigned smc_calls;     /* IOConnectCallStructMethod calls */
	unsigned smc_unwanted;  /* reads of SMC keys that are neither #KEY, PSTR nor a flt
	                         * temperature of a family shown */
	unsigned waits;         /* mach_wait_until calls */
};
void fake_apple_stats(struct fake_apple_stats *st);

/* What is still held, one line per object ("" when nothing): the leak report. */
const char *fake_apple_leaks(void);

/* The channels the source subscribed to, as "group/subgroup/name" lines. */
const char *fake_apple_subscribed(void);

/* For the tests of the fakes themselves: a CF string the test then leaks or releases. */
const void *fake_cf_string(const char *s);

#endif
