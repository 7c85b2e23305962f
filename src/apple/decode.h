/* decode.h - two Apple readings → one sample (pure C, no CoreFoundation): the same code runs in
 * the live macOS source, in --decode-dump on every platform, and in the Linux tests. */
#ifndef AGTOP_APPLE_DECODE_H
#define AGTOP_APPLE_DECODE_H

#include "../sample.h"
#include "dvfs.h"
#include "reading.h"

/* A counter that did not move may only be late (macOS 27 publishes the CPU, ANE and DRAM energy
 * in batches about every 2 s): its last power is held this long before it counts as idle. Before
 * macOS 27 the counters move continuously, and one that did not move means 0 W at once. */
#define APPLE_ENERGY_HOLD_S 2.5
#define APPLE_BATCHED_MACOS 27

struct apple_rail_state {
	double pending_s; /* time since the counter last moved */
	double last_w;    /* NAN until it has moved once */
	double joules;    /* cumulative */
};

struct apple_cluster_map {
	char key[16];  /* channel key without the die: "ECPU", "PCPU1", "MCPU0" */
	char name[24]; /* "E-CPU", "P0-CPU", "S-CPU" */
	enum cluster_kind kind;
	int die;
	unsigned first, ncores; /* its cores in the decoder's core list (OS order) */
	unsigned states;        /* active states seen on its channels */
};

struct apple_core_map {
	char channel[64]; /* full channel name: "PCPU10", "DIE_1_PCPU_CPU3" */
	unsigned cluster;
	int cpu; /* OS CPU number */
};

struct apple_decoder {
	struct apple_host host;
	struct pmgr pmgr;
	double hold_s; /* APPLE_ENERGY_HOLD_S on macOS 27 and later (or unknown), else 0 */
	bool laid_out;
	bool from_channels; /* the layout came from IOReport channel names (else perflevels) */
	unsigned nclusters;
	struct apple_cluster_map cl[SAMPLE_MAX_CLUSTERS];
	unsigned ncores;
	struct apple_core_map *core;
	unsigned ndies;
	struct dvfs_set dvfs;
	struct apple_rail_state rail[RAIL_COUNT];
	struct apple_rail_state die_rail[SAMPLE_MAX_DIES][RAIL_COUNT];
	struct apple_rail_state cluster_rail[SAMPLE_MAX_CLUSTERS];
};

/* Takes copies of the host identity and the pmgr tables. */
int apple_decoder_init(struct apple_decoder *d, const struct apple_host *h, const struct pmgr *p);
void apple_decoder_free(struct apple_decoder *d);

/* Decodes the interval between two readings into out (which the caller has reset). groups
 * (may be NULL) says which IOReport groups could not be subscribed, for the notes. */
int apple_decode(struct apple_decoder *d, const struct apple_reading *prev,
                 const struct apple_reading *cur, const struct apple_group *groups,
                 unsigned ngroups, struct sample *out);

/* Whether the decoder reads a channel: the live source subscribes only to these (Energy Model
 * roll-ups and cluster rails, CPU Core and Complex Performance States, GPUPH, AMC byte counters,
 * PMP DCS BW histograms). */
bool apple_channel_wanted(const char *group, const char *subgroup, const char *name);

/* ---- pieces, exposed for the tests ---- */

/* A core channel name (die prefix already removed) → cluster key and core index; false when it
 * is not a per-core channel. "ECPU2" (cluster 0 core 2), "PCPU13" (PCPU1 core 3), "PCPU130" (the
 * same, 3-digit form), "MCPU05" (MCPU0 core 5), "PCPU1_CPU3" (Ultra). */
bool apple_core_channel(const char *name, char *key, size_t keysize, unsigned *core);

/* Activity Monitor's "Memory Used": (internal - purgeable + wired + compressed) x page size. */
double apple_memory_used(const struct apple_vm *vm, unsigned pagesize);

/* com.apple.system.thermalpressurelevel: 0 nominal, 1 moderate, 2 heavy, 3 trapping,
 * 4 sleeping. */
enum thermal_pressure apple_thermal(int level);

/* Which temperature a sensor is (OTHER: not shown) and whether its value is believable (the SMC
 * reports 0, negatives, exactly 40.0 on idle M4 Max P-cores, and values past 150 for sensors
 * that are not there). */
enum temp_kind apple_temp_kind(const struct apple_temp *t);
bool apple_temp_valid(double celsius);

/* A KERN_PROCARGS2 buffer (int argc, the executable path, padding NULs, argv[0..argc-1], the
 * environment) → the arguments joined by spaces (malloc'd), NULL when it is malformed. */
char *apple_procargs(const char *buf, size_t len);

/* "macOS 26.4.1" → 26; 0 when the text names no macOS version. */
int apple_macos_major(const char *os);

/* "  32GB/s" → 32e9 bytes/s; NAN when the name is not a bucket. */
double apple_bw_bucket(const char *state);

#endif
