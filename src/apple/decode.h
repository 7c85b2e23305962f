/* decode.h - two Apple readings → one sample (pure C, no CoreFoundation): the same code runs in
 * the live macOS source, in --decode-dump on every platform, and in the Linux tests. */
#ifndef AGTOP_APPLE_DECODE_H
#define AGTOP_APPLE_DECODE_H

#include "../sample.h"
#include "dvfs.h"
#include "reading.h"

/* A counter that did not move may only be late (macOS 27 publishes the CPU, ANE and DRAM energy
 * in batches about 2.1 s apart: apple-recent-changes row 2): its last power is held this long
 * before the counter counts as still. Before macOS 27 the counters move continuously, and one
 * that did not move is still at once. A still counter is a true 0 W where its unit is idle by
 * another measure, and stale where the unit is busy (APPLE_BUSY_MIN); a stale value is dropped
 * (N/A, still marked stale) after APPLE_STALE_DROP_S, as all-smi drops a reading after 10 s
 * without a publication. */
#define APPLE_ENERGY_HOLD_S 2.5
#define APPLE_STALE_DROP_S  10.0
#define APPLE_BUSY_MIN      0.01
#define APPLE_BATCHED_MACOS 27

/* One Energy Model channel the decoder times (roll-ups and cluster rails), by name. */
struct apple_energy_track {
	char name[64];
	double last_w;  /* NAN until the counter has moved (or been published) once */
	double joules;  /* cumulative since the decoder started */
	double quiet_s; /* time since it last moved or was published */
	bool by_wall;   /* its driver timestamps are missing or unusable: timed by the readings */
	bool stale;     /* still beyond the hold time while its unit was busy */
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

/* A process's energy counter when agtop first saw it (decode_ledger.c). */
struct apple_proc_base {
	int pid;
	uint64_t start;
	uint64_t energy_nj;
};

struct apple_decoder {
	struct apple_host host;
	struct pmgr pmgr;
	double hold_s;   /* APPLE_ENERGY_HOLD_S on macOS 27 and later (or unknown), else 0 */
	int macos_major; /* the host's macOS version (26, 27, ...), 0 unknown: apple_macos_major */
	bool laid_out;
	bool from_channels; /* the layout came from IOReport channel names (else perflevels) */
	unsigned nclusters;
	struct apple_cluster_map cl[SAMPLE_MAX_CLUSTERS];
	unsigned ncores;
	struct apple_core_map *core;
	unsigned ndies;
	struct dvfs_set dvfs;
	size_t ntracks, tracks_cap;
	struct apple_energy_track *track;
	double system_j;  /* PSTR integrated over the readings */
	double smc_cpu_j; /* the CPU energy taken from SMC rails (smc_cpu in decode_power.c) */
	size_t nbase;     /* per process, sorted by pid (decode_ledger.c) */
	struct apple_proc_base *base;
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
/* Whether the decoder reads an SMC power key (the CPU rails validated for some chips). */
bool apple_smc_power_wanted(const char *key);

/* ---- pieces, exposed for the tests ---- */

/* AppleSmartBattery's values as the sample's battery (decode_machine.c). */
void apple_decode_battery(const struct apple_battery *b, struct sample_battery *out);

/* A core channel name (die prefix already removed) → cluster key and core index; false when it
 * is not a per-core channel. "ECPU2" (cluster 0 core 2), "PCPU13" (PCPU1 core 3), "PCPU130" (the
 * same, 3-digit form), "MCPU05" (MCPU0 core 5), "PCPU1_CPU3" (Ultra). */
bool apple_core_channel(const char *name, char *key, size_t keysize, unsigned *core);

/* Activity Monitor's "Memory Used": (internal - purgeable + wired + compressed) x page size. */
double apple_memory_used(const struct apple_vm *vm, unsigned pagesize);

/* com.apple.system.thermalpressurelevel: 0 nominal, 1 moderate, 2 heavy, 3 trapping,
 * 4 sleeping. */
enum thermal_pressure apple_thermal(int level);

/* Which temperature a sensor is (OTHER: not shown) and whether its value is believable. SMC:
 * TCMb and TCMz (the CPU die's average and maximum, computed by the firmware on every chip),
 * Tp* and Te* (CPU), Tg* (GPU), Tm* (memory); Ts* and Ta* are left out (their meaning differs
 * per chip: SSD, actuators, airflow). Believable: 15 to 150 degrees and not exactly 40.0 --
 * power-gated clusters report sentinels below 15 (8.4-9.8 on M1-M5), idle M4 Max P-cores
 * exactly 40.0, and missing sensors 0, negatives or values past 150. */
enum temp_kind apple_temp_kind(const struct apple_temp *t);
bool apple_temp_valid(double celsius);
/* An SMC value as a number, by the key's type (FourCC, as the SMC's key info gives it), NAN for a
 * type or size it does not know:
 *   "flt " 4-byte IEEE 754, little-endian on Apple Silicon (iSMC's dumps: 00 00 20 42 = 40.0);
 *   "fpe2" big-endian unsigned 16-bit fixed point with two fraction bits (raw / 4.0: the
 *          (b0 << 6) + (b1 >> 2) peers used floors the fraction, SiliconScope 40e31b5);
 *   "sp78" big-endian signed 7.8 fixed point (0xC000 = -64);
 *   "ui8 ", "ui16", "ui32", "si8 ", "si16" big-endian integers (macmon, stats). */
double apple_smc_value(uint32_t type, const uint8_t *bytes, uint32_t size);

/* A label for the sensors that have a known meaning ("CPU die average" for TCMb), else "". */
const char *apple_temp_label(const char *name);

/* A KERN_PROCARGS2 buffer (int argc, the executable path, padding NULs, argv[0..argc-1], the
 * environment) → the arguments joined by spaces (malloc'd), NULL when it is malformed. */
char *apple_procargs(const char *buf, size_t len);

/* pbi_status (SIDL..SZOMB) → ps(1)'s state letter; 0 for a value it does not know. */
char apple_state_letter(int status);

/* "macOS 26.4.1" → 26; 0 when the text names no macOS version. */
int apple_macos_major(const char *os);

/* "  32GB/s" → 32e9 bytes/s; NAN when the name is not a bucket. */
double apple_bw_bucket(const char *state);

#endif
