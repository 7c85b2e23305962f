/* sample.h - the one data model: a reading of the machine over one measured interval.
 *
 * Every source (IOReport, powermetrics, Linux, replay) fills this structure, and everything
 * downstream (history, view, JSON, Prometheus) reads only this structure.
 *
 * Units are base units throughout:
 *   time and durations  seconds            frequencies   hertz
 *   utilisation         ratio 0..1         power         watts
 *   energy              joules             memory        bytes
 *   bandwidth           bytes per second   temperature   degrees Celsius
 *
 * A value the source cannot know is NAN (doubles) or -1 (counts), never 0. Where a whole part is
 * missing, the source also leaves a note (sample_note) that says why; the view shows "N/A" with
 * that reason, JSON writes null, the Prometheus exporter leaves the series out.
 */
#ifndef AGTOP_SAMPLE_H
#define AGTOP_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SAMPLE_MAX_CLUSTERS  16
#define SAMPLE_MAX_GPUS      8
#define SAMPLE_MAX_DIES      8
#define SAMPLE_MAX_TEMPS     64
#define SAMPLE_MAX_NOTES     24
#define SAMPLE_MAX_BW_AGENTS 16
#define SAMPLE_MAX_FANS      8

/* Kind of CPU cluster. Apple M5 Pro/Max have super and performance tiers, the base M5 super and
 * efficiency; M1-M4 efficiency and performance; a Linux machine with one kind of core is generic.
 */
enum cluster_kind {
	CLUSTER_GENERIC = 0,
	CLUSTER_EFFICIENCY,
	CLUSTER_PERFORMANCE,
	CLUSTER_SUPER,
	CLUSTER_KIND_COUNT
};

/* CPU time modes, in /proc/stat order. Guest time is also counted inside user/nice (as the kernel
 * and node_exporter report it); utilisation never adds it a second time. */
enum cpu_mode {
	CPU_USER = 0,
	CPU_NICE,
	CPU_SYSTEM,
	CPU_IDLE,
	CPU_IOWAIT,
	CPU_IRQ,
	CPU_SOFTIRQ,
	CPU_STEAL,
	CPU_GUEST,
	CPU_GUEST_NICE,
	CPU_MODE_COUNT
};

/* Power rails. Package is what the chip reports as its total (RAPL package, or CPU+GPU+ANE on
 * Apple, as powermetrics' combined_power); system is the whole machine where known (SMC PSTR,
 * RAPL psys); uncore is RAPL's PP1 plane (the integrated GPU on client Intel parts). */
enum rail {
	RAIL_PACKAGE = 0,
	RAIL_CPU,
	RAIL_GPU,
	RAIL_ANE,
	RAIL_DRAM,
	RAIL_SYSTEM,
	RAIL_UNCORE,
	RAIL_COUNT
};

enum thermal_pressure {
	THERMAL_UNKNOWN = 0,
	THERMAL_NOMINAL,
	THERMAL_FAIR,
	THERMAL_SERIOUS,
	THERMAL_CRITICAL,
	THERMAL_COUNT
};

enum bw_quality {
	BW_ABSENT = 0, /* no counters: all values NAN */
	BW_MEASURED,   /* byte counters */
	BW_ESTIMATED,  /* derived from histograms or power, not byte counters */
	BW_QUALITY_COUNT
};

enum temp_kind {
	TEMP_OTHER = 0,
	TEMP_CPU,      /* a package/die-level CPU sensor: what the dashboard shows as "CPU" */
	TEMP_CPU_CORE, /* a per-core sensor */
	TEMP_GPU,
	TEMP_MEMORY,
	TEMP_SOC,
	TEMP_KIND_COUNT
};

/* Why a part runs slower than it could: a bit set of (1u << cause), for the machine
 * (sample_throttle) and for each GPU. */
enum throttle_cause {
	THROTTLE_THERMAL = 0, /* too hot: thermal pressure above nominal, thermal throttle events,
	                       * NVML thermal slowdown */
	THROTTLE_POWER,       /* at its power limit: RAPL package limit, NVML power cap */
	THROTTLE_HARDWARE,    /* an external hardware signal: NVML HW slowdown */
	THROTTLE_SETTING,     /* held down by a setting: GPU application clocks, sync boost */
	THROTTLE_LOW_POWER,   /* the OS's low power mode (macOS, Linux platform_profile) */
	THROTTLE_SPEED_LIMIT, /* a CPU speed limit below 100 % (macOS), or a cpufreq ceiling */
	THROTTLE_CAUSE_COUNT
};

enum battery_state {
	BATTERY_UNKNOWN = 0,
	BATTERY_DISCHARGING,
	BATTERY_CHARGING,
	BATTERY_FULL,         /* on external power, charged */
	BATTERY_NOT_CHARGING, /* on external power, not charging (held, optimised charging) */
	BATTERY_STATE_COUNT
};

struct sample_host {
	char hostname[64];
	char os[64];   /* "Linux 6.1.0-18-amd64", "macOS 15.3" */
	char chip[96]; /* "Apple M4 Max", "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz" */
	char arch[16]; /* "x86_64", "arm64" */
	int cpus;      /* logical CPUs the source sees; -1 unknown */
	int gpu_cores; /* Apple GPU core count; -1 unknown */
};

struct sample_core {
	int cpu; /* OS logical CPU number (the number top, htop and Activity Monitor use) */
	unsigned cluster; /* index into sample.clusters */
	double util;      /* busy ratio from OS ticks over the interval */
	double active;    /* active residency ratio from DVFS state counters (Apple) */
	double freq_hz;   /* current or residency-weighted mean frequency */
	double seconds[CPU_MODE_COUNT]; /* cumulative CPU time per mode since boot */
};

struct sample_cluster {
	char name[24]; /* "E-CPU", "P0-CPU", "S-CPU", "CPU"; Ultra: "E-CPU" with die 1 */
	enum cluster_kind kind;
	int die;             /* 0 on single-die chips */
	unsigned first_core; /* this cluster's cores are cores[first_core .. first_core+ncores-1] */
	unsigned ncores;
	double util;        /* mean busy ratio of its cores */
	double active;      /* mean active residency of its cores */
	double freq_hz;     /* cluster frequency */
	double freq_max_hz; /* top of its DVFS table or cpuinfo_max_freq */
	double power_w;     /* cluster rail, where the chip has one */
	bool power_stale;   /* power_w is stale (see struct sample_energy) */
};

/* A GPU's throttle field when its source cannot tell (else a bit set of causes, 0 none). */
#define THROTTLE_UNKNOWN (-1)

struct sample_gpu {
	char name[64];
	char vendor[16]; /* "apple", "nvidia", "amd", "intel", "qualcomm", "arm" */
	char label[16];  /* what the dashboard calls it ("GPU", "GPU0"): sample_gpu_defaults */
	char driver[16]; /* what it is read through: "ioreport", "nvml", "amdgpu", "i915", "xe",
	                  * "asahi", "msm" ...; "" unknown */
	char id[48];     /* a stable identity: NVML UUID, PCI address, platform device, or "" */
	bool integrated; /* part of the SoC, memory shared with the CPU (Apple, Intel iGPU) */
	int cores;       /* -1 unknown */
	double util;
	double mem_util; /* memory controller busy share (NVML memory utilisation) */
	double freq_hz;
	double freq_max_hz;
	double mem_freq_hz;
	double mem_freq_max_hz;
	double power_w;
	double power_limit_w; /* the limit the driver enforces */
	double energy_j;      /* cumulative, where the GPU has its own counter */
	double mem_used_bytes;
	double mem_total_bytes;
	double gtt_used_bytes; /* system memory mapped for the GPU (amdgpu GTT) */
	double gtt_total_bytes;
	double temp_c;         /* the GPU's own sensor (AMD: edge) */
	double temp_hotspot_c; /* the hottest spot (AMD: junction) */
	double temp_mem_c;     /* its memory */
	double fan_ratio;      /* fan speed as a share of its maximum, 0-1 */
	double fan_rpm;
	double pcie_rx_bps; /* PCIe traffic into the GPU, bytes per second */
	double pcie_tx_bps;
	int throttle;         /* bit set of (1u << enum throttle_cause); THROTTLE_UNKNOWN */
	double ecc_corrected; /* memory errors corrected since the driver loaded */
	double ecc_uncorrected;
	double xid_errors; /* NVIDIA XID errors seen since agtop started */
	double xid_last;   /* the last XID error's code, 0 none seen */
};

/* The GPU's numeric fields by their JSON names, in JSON order: json_write, json_read and
 * sample_equal walk this table, so a new field is added here once. */
#define SAMPLE_GPU_NFIELDS 24
struct sample_gpu_field {
	const char *name; /* "util", "freq_hz" ... */
	size_t offset;    /* of a double in struct sample_gpu */
};
extern const struct sample_gpu_field sample_gpu_fields[SAMPLE_GPU_NFIELDS];
double sample_gpu_field(const struct sample_gpu *g, size_t k);
void sample_gpu_field_set(struct sample_gpu *g, size_t k, double v);

struct sample_npu {
	bool present;  /* false: this machine has no neural engine the source can see */
	char name[24]; /* "ANE" */
	double util;   /* measured utilisation; NAN when only power is known */
};

/* One power rail: average watts over the interval and the cumulative energy counter (joules,
 * wrap-corrected, monotonic while the source runs; its starting value is the source's own).
 * stale: the rail's counter stopped while its unit was busy by another measure (macOS 27
 * freezes the CPU, DRAM and ANE energy counters): watts is then the last value it gave (NAN
 * once too old), shown dim and marked, never a confident 0 W. */
struct sample_energy {
	double watts;
	double joules;
	bool stale;
};

struct sample_die {
	struct sample_energy rail[RAIL_COUNT];
};

struct sample_memory {
	double total_bytes;
	double used_bytes;
	double available_bytes;
	double swap_total_bytes;
	double swap_used_bytes;
};

struct sample_bw_agent {
	char name[24]; /* "ECPU", "PCPU", "GFX", "MEDIA" */
	double read_bps;
	double write_bps;
};

struct sample_bandwidth {
	enum bw_quality quality;
	double read_bps;
	double write_bps;
	double total_bps;
	unsigned nagents;
	struct sample_bw_agent agent[SAMPLE_MAX_BW_AGENTS];
};

struct sample_temp {
	char chip[48];   /* stable chip id: "platform_coretemp_0", "smc" */
	char sensor[24]; /* "temp1", "Tp01" */
	char label[40];  /* "Package id 0", "" when the sensor has none */
	enum temp_kind kind;
	double celsius;
};

struct sample_proc {
	int pid;
	int ppid;         /* -1 unknown */
	char name[64];    /* short name: Linux comm, macOS proc_name */
	uint32_t cmdline; /* offset of the full command line in sample.strpool ("" if unknown) */
	double cpu;       /* CPU use over the interval in CPUs: 1.0 = one core busy all the time */
	double rss_bytes;
	int threads;          /* -1 unknown */
	double energy_w;      /* the process's own energy counter over the interval (macOS
	                       * ri_energy_nj: CPU energy as the kernel estimates it), NAN unknown */
	double energy_j;      /* that counter's advance since agtop started watching the process */
	double ane_mem_bytes; /* neural engine memory (macOS ri_neural_footprint), NAN unknown */
	/* GPU ledger, on every platform: GPU busy time over the interval as a share of wall time
	 * (1.0 = one whole GPU; all engines of a device together count at most one), and GPU
	 * memory the process holds. NAN where the OS withholds it (another user's process). */
	double gpu_util;
	double gpu_mem_bytes;
	int64_t uid;   /* owner: the effective user id; -1 unknown */
	char user[32]; /* the owner's name, else its number as text; "" unknown */
	char state;    /* ps(1)'s letter: R running, S sleeping, D disk wait, T stopped, Z zombie,
	                * I idle (Linux kernel threads), ...; 0 unknown */
	double start_time; /* when it started, seconds since the Unix epoch; NAN unknown */
};

/* The battery, where the machine has one (present false otherwise). */
struct sample_battery {
	bool present;
	double percent; /* state of charge, 0..100 */
	enum battery_state state;
	int on_ac;              /* 1 external power, 0 battery, -1 unknown */
	double time_to_empty_s; /* NAN unknown or not discharging */
	double time_to_full_s;  /* NAN unknown or not charging */
	double power_w;         /* drawn from the battery: > 0 discharging, < 0 charging */
	double adapter_w;       /* the adapter's rating (macOS "Watts"), NAN unknown */
};

struct sample_fan {
	char name[24];                /* "F0", "fan1" */
	double rpm, min_rpm, max_rpm; /* NAN unknown */
};

/* What slows the machine down over the interval. known false: the source cannot tell (a note
 * "throttle" says why); causes then 0. */
struct sample_throttle {
	bool known;
	unsigned causes;        /* bits 1u << enum throttle_cause */
	int low_power;          /* 1 on, 0 off, -1 unknown */
	double cpu_speed_limit; /* percent of full speed the OS allows, NAN unknown */
};

/* Why something is N/A. key is the part it explains ("power", "power.dram", "bandwidth",
 * "temps", "gpu", "npu", "thermal", "cpu.freq", "processes" ...); lookups fall back from
 * "power.dram" to "power". */
struct sample_note {
	char key[24];
	char text[136];
};

struct sample {
	uint64_t seq;      /* 1, 2, 3 ... within one run of a source */
	double time;       /* end of the interval, seconds since the Unix epoch */
	double interval_s; /* measured length of the interval */
	char source[16];   /* "linux", "ioreport", "powermetrics" (replay keeps the recorded one) */

	struct sample_host host;

	double cpu_util; /* all CPUs together */
	unsigned nclusters;
	struct sample_cluster clusters[SAMPLE_MAX_CLUSTERS];
	size_t ncores, cores_cap;
	struct sample_core *cores; /* grouped by cluster, each cluster in OS CPU order */

	unsigned ngpus;
	struct sample_gpu gpus[SAMPLE_MAX_GPUS];
	struct sample_npu npu;

	struct sample_energy power[RAIL_COUNT]; /* totals (sum over dies) */
	double
	    power_limit_w; /* the package's rated power (RAPL long-term constraint), NAN unknown */
	unsigned ndies;    /* 0: no per-die split; Ultra: 2; RAPL: packages */
	struct sample_die dies[SAMPLE_MAX_DIES];

	/* Whole-machine power beyond the rails: power[RAIL_SYSTEM] is the total (SMC PSTR, RAPL
	 * psys, else the adapter input or the battery discharge, as system_from says); input_w
	 * is what the power adapter delivers (SMC PDTR), NAN unknown. */
	double input_w;
	char system_from[24]; /* "SMC PSTR", "RAPL psys", "adapter input", "battery", "" */
	struct sample_battery battery;
	unsigned nfans;
	struct sample_fan fans[SAMPLE_MAX_FANS];
	struct sample_throttle throttle;

	struct sample_memory memory;
	struct sample_bandwidth bandwidth;
	enum thermal_pressure thermal;

	unsigned ntemps;
	struct sample_temp temps[SAMPLE_MAX_TEMPS];

	size_t nprocs, procs_cap;
	struct sample_proc *procs; /* every process the source could read (not sorted) */
	size_t nprocs_total;       /* processes on the machine; may exceed nprocs */
	size_t strpool_len, strpool_cap;
	char *strpool; /* NUL-terminated strings referenced by offsets; offset 0 is "" */

	unsigned nnotes;
	struct sample_note notes[SAMPLE_MAX_NOTES];
};

/* Lifecycle. sample_init gives an empty sample with every value unknown; sample_reset makes it
 * so again but keeps its buffers; sample_free releases them. */
void sample_init(struct sample *s);
void sample_reset(struct sample *s);
void sample_free(struct sample *s);
/* Deep copy; dst must be initialised. Returns 0, or -1 when memory runs out. */
int sample_copy(struct sample *dst, const struct sample *src);

/* Cores and processes. Each returns the new element (initialised to unknown) or NULL when
 * memory runs out. */
struct sample_core *sample_add_core(struct sample *s);
struct sample_proc *sample_add_proc(struct sample *s);
/* The bandwidth agent of that name, added (values unknown) when it is new; NULL when full. */
struct sample_bw_agent *sample_bw_agent(struct sample_bandwidth *bw, const char *name);
/* Stores a string in the pool and returns its offset (0 for "" or on failure). */
uint32_t sample_intern(struct sample *s, const char *str, size_t len);
const char *sample_str(const struct sample *s, uint32_t off);

/* Notes: set (replace) the reason for key; get the reason for key or its parent key. */
void sample_note(struct sample *s, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *sample_note_get(const struct sample *s, const char *key);

/* The rails' sum the system total is compared with: package plus DRAM (Apple's package is
 * CPU+GPU+ANE; RAPL's DRAM is outside its package). NAN when the package is unknown. */
double sample_rails_w(const struct sample *s);
/* The system total minus the rails' sum: what the rest of the machine draws (display, SSD,
 * radios, conversion losses). NAN when either is unknown; never below 0. */
double sample_power_other_w(const struct sample *s);

/* Highest temperature of a kind, NAN if there is none. */
double sample_temp_max(const struct sample *s, enum temp_kind kind);

/* Recomputes cluster util/active/freq as means and maxima of their cores where a cluster value
 * is unknown. */
void sample_cluster_rollup(struct sample *s);

/* Fills what a source left empty about its GPUs: the dashboard label ("GPU" for one GPU,
 * "GPU0", "GPU1" ... for several) and, from the vendor, whether the GPU is part of the SoC
 * (Apple). Every sample passes through it in source_read, so the view only reads fields. */
void sample_gpu_defaults(struct sample *s);
/* A GPU's temperature: its own sensor, else, for a GPU on the SoC, the hottest GPU sensor of
 * the machine. NAN when neither is known. */
double sample_gpu_temp(const struct sample *s, unsigned i);

/* Structural equality where NAN equals NAN (tests, replay checks). */
bool sample_equal(const struct sample *a, const struct sample *b);

/* Names used in JSON, Prometheus labels and the view. *_parse returns -1 for an unknown name. */
const char *cluster_kind_name(enum cluster_kind k);
int cluster_kind_parse(const char *name);
const char *cpu_mode_name(enum cpu_mode m);
const char *rail_name(enum rail r);
int rail_parse(const char *name);
const char *thermal_name(enum thermal_pressure t);
int thermal_parse(const char *name);
const char *bw_quality_name(enum bw_quality q);
int bw_quality_parse(const char *name);
const char *temp_kind_name(enum temp_kind k);
int temp_kind_parse(const char *name);
const char *throttle_cause_name(enum throttle_cause c);
int throttle_cause_parse(const char *name);
const char *battery_state_name(enum battery_state b);
int battery_state_parse(const char *name);

#endif
