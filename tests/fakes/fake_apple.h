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

/* The user the fakes run agtop as, unless root: a normal user's uid on macOS. */
#define FAKE_APPLE_UID 501

/* Variations of the machine a dump describes. */
struct fake_apple_opts {
	bool no_smc;       /* no AppleSMC service: the source must fall back to HID */
	bool no_pmgr;      /* no pmgr node in the IORegistry */
	bool no_processes; /* proc_listpids fails */
	bool root;         /* agtop runs as root (uid 0), else as FAKE_APPLE_UID */
	/* The SMC's key list: a real key dump (tests/data/apple/smc, iSMC's "KEY [type] ... (bytes
	 * ...)" lines), served in its count, order, types and values; the dump's readings then
	 * override the values of the keys they hold. NULL: only the dump's own keys. */
	const char *smc_keys;
	/* macOS 27's PMGR energy counters (the mJ channels of the Energy Model; GPU Energy, in nJ
	 * from the GPU driver, is not one): published in batches this many seconds apart (2.03 to
	 * 2.23 s on an M5 Max, all-smi#410), each batch holding the counter as it was at the batch
	 * time and stamped with it; 0: published at every sample. */
	double energy_batch_s;
	/* From this reading on (0: never), those counters freeze: the same bytes and timestamps in
	 * every sample (macmon#76, macOS 27 betas), while GPU Energy counts on. */
	unsigned energy_freeze_at;
};

/* Serves the dump at path (reading 0 first). 0, or -1 with err. */
int fake_apple_load(const char *path, const struct fake_apple_opts *opts, struct error *err);
/* Forgets the dump and every object (call after checking for leaks). */
void fake_apple_unload(void);
/* The machine moves on to its next reading (the last one stays). */
void fake_apple_advance(void);
unsigned fake_apple_index(void);
const struct apple_dump *fake_apple_dump(void);
/* The dump being served, for a test that extends it (more readings, other counters) before the
 * source reads them. */
struct apple_dump *fake_apple_dump_edit(void);

struct fake_apple_stats {
	long cf_live;            /* CF objects created for the caller and not released */
	long io_live;            /* IOKit object references and connections */
	long ports_live;         /* Mach port rights (mach_host_self) */
	long vm_live;            /* host_processor_info buffers not vm_deallocate'd */
	long notify_live;        /* notify tokens */
	unsigned hid_clients;    /* IOHIDEventSystemClientCreate calls */
	unsigned subscriptions;  /* IOReportCreateSubscription calls that returned one */
	unsigned samples;        /* IOReportCreateSamples calls */
	unsigned procargs;       /* KERN_PROCARGS2 calls */
	unsigned eperm;          /* libproc and sysctl calls refused: another user's process */
	unsigned smc_calls;      /* IOConnectCallStructMethod calls */
	unsigned smc_unwanted;   /* reads of SMC keys that are neither #KEY, PSTR, a power key the
	                          * decoder uses nor a temperature of a family shown */
	unsigned smc_keys;       /* keys the SMC lists (#KEY) */
	unsigned smc_temp_reads; /* reads of temperature keys, all readings together */
	unsigned waits;          /* mach_wait_until calls */
};
void fake_apple_stats(struct fake_apple_stats *st);

/* What is still held, one line per object ("" when nothing): the leak report. */
const char *fake_apple_leaks(void);

/* The channels the source subscribed to, as "group/subgroup/name" lines. */
const char *fake_apple_subscribed(void);

/* For the tests of the fakes themselves: a CF string the test then leaks or releases. */
const void *fake_cf_string(const char *s);

#endif
