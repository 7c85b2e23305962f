/* macos_internal.h - the thin OS layer of the macOS source. Each part reads the OS and hands
 * plain C values (src/apple/reading.h) to the pure decoder; none of them decodes. */
#ifndef AGTOP_MACOS_INTERNAL_H
#define AGTOP_MACOS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../../apple/dump.h"
#include "../../apple/reading.h"
#include "../../error.h"
#include "../../procsel.h"
#include "apple_sys.h"

/* ---- CoreFoundation helpers (cf.c) ---- */

/* Copies a CFString as UTF-8 ("" for NULL or a non-string); returns dst. */
char *cf_cstr(CFTypeRef s, char *dst, size_t size);
/* A CFNumber as int64 / double; false when it is not a number. */
bool cf_i64(CFTypeRef n, int64_t *out);
/* dict[key] when it has that type, else NULL (not retained). */
CFTypeRef cf_get(CFDictionaryRef dict, const char *key, CFTypeID type);

/* ---- IOReport (ioreport.c) ---- */

struct mac_sub {
	IOReportSubscriptionRef sub;
	CFMutableDictionaryRef channels; /* the subscribed channels (+1) */
};

struct mac_ior {
	unsigned ngroups;
	struct apple_group group[APPLE_MAX_GROUPS];
	struct mac_sub sub[APPLE_MAX_GROUPS]; /* per group; sub NULL when not subscribed */
	size_t nchannels;                     /* subscribed channels, all groups */
};

/* Subscribes, group by group, to the channels the decoder reads (apple_channel_wanted). A group
 * that cannot be subscribed is recorded with its reason and disables only its own metrics.
 * Fails (-1) only when no group at all could be subscribed. */
int mac_ior_open(struct mac_ior *m, struct error *err);
/* One sample of every subscription, appended to out (absolute counters). 0 or -1. */
int mac_ior_sample(struct mac_ior *m, struct ior_sample *out);
void mac_ior_close(struct mac_ior *m);

/* ---- IORegistry (pmgr.c) ---- */

/* The voltage-states* and acc-clusters properties of AppleARMIODevice "pmgr". -1 when there is
 * no pmgr node (the decoder then says which table is missing). */
int mac_pmgr_read(struct pmgr *p);
/* AGXAccelerator gpu-core-count, -1 unknown. */
int mac_gpu_cores(void);

/* ---- host (host.c) ---- */

struct mac_cmdline {
	int pid;
	uint64_t start;
	char *text; /* NULL: not readable */
	bool seen;  /* present in the latest reading */
};

struct mac_host {
	mach_port_t host; /* mach_host_self(), released at close */
	int notify_token;
	bool notify_ok;
	size_t argmax; /* kern.argmax: the KERN_PROCARGS2 buffer size */
	char *argbuf;
	size_t ncache, cache_cap;
	struct mac_cmdline *cache; /* sorted by pid */
	unsigned cmdline_reads;    /* KERN_PROCARGS2 calls so far (tests) */
};

/* Identity from sysctl (chip, model, OS, perflevels, memory, page size, timebase). */
int mac_host_identity(struct apple_host *h, struct error *err);
int mac_host_open(struct mac_host *m, struct error *err);
/* CPU ticks, VM statistics, swap, thermal pressure and the process list (without command
 * lines) into r. 0, or -1 when the CPU ticks cannot be read. */
int mac_host_read(struct mac_host *m, unsigned ncpu, struct apple_reading *r);
/* The command line of (pid, start), fetched once through KERN_PROCARGS2 and cached; NULL when it
 * cannot be read. Entries not marked seen since the last prune are dropped by prune. */
const char *mac_cmdline(struct mac_host *m, int pid, uint64_t start);
void mac_cmdline_mark(struct mac_host *m, const struct apple_reading *r);
void mac_cmdline_prune(struct mac_host *m);
void mac_host_close(struct mac_host *m);

/* ---- each process's GPU time (gpu_clients.c) ---- */

/* Adds each listed process's GPU time (accumulatedGPUTime of its AGXDeviceUserClients) to r,
 * whose processes must be read and sorted first. */
void mac_gpu_clients_read(struct apple_reading *r);

/* ---- battery, low power mode, CPU speed limit (power.c) ---- */

struct mac_power {
	io_service_t battery; /* AppleSmartBattery, 0 without one */
};

void mac_power_open(struct mac_power *m);
void mac_power_read(struct mac_power *m, struct apple_reading *r);
void mac_power_close(struct mac_power *m);

/* ---- SMC and HID temperatures (smc.c, hid.c) ---- */

struct mac_smc_key {
	uint32_t key, type, size;
};

struct mac_smc {
	io_connect_t conn;
	bool open;
	size_t nkeys, keys_cap;
	struct mac_smc_key *key; /* every temperature key of a family shown, found once at open:
	                          * no cap (an M4 Max has 308 T keys) */
	unsigned npower;
	struct mac_smc_key power[APPLE_MAX_SMC_POWER]; /* apple_smc_power_wanted keys */
	bool have_pstr;
	struct mac_smc_key pstr;
	bool have_pdtr; /* DC in: what the power adapter delivers */
	struct mac_smc_key pdtr;
	unsigned nfans;                            /* FNum */
	struct mac_smc_key fan[APPLE_MAX_FANS][3]; /* F<n>Ac, F<n>Mn, F<n>Mx; key 0 = absent */
};

/* Opens AppleSMC and enumerates its keys once: the temperature families the decoder shows, PSTR
 * and the power keys it may use, each of a type apple_smc_value decodes. -1 when there is no SMC
 * connection. */
int mac_smc_open(struct mac_smc *s);
/* Reads the kept keys into r->temp and r->system_w. */
void mac_smc_read(struct mac_smc *s, struct apple_reading *r);
void mac_smc_close(struct mac_smc *s);

struct mac_hid {
	IOHIDEventSystemClientRef client; /* created once: each creation costs an IPC to hidd */
	CFArrayRef services;
	unsigned nnames;
	char (*names)[48];
};

int mac_hid_open(struct mac_hid *h);
void mac_hid_read(struct mac_hid *h, struct apple_reading *r);
void mac_hid_close(struct mac_hid *h);

#endif
