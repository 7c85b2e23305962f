/* reading.h - what the macOS source reads from the OS at one moment, as plain C: the input of
 * the pure Apple decoder, the content of a dump, and what the tests' fakes serve. */
#ifndef AGTOP_APPLE_READING_H
#define AGTOP_APPLE_READING_H

#include <stdbool.h>
#include <stdint.h>

#include "dvfs.h"
#include "ior.h"

#define APPLE_MAX_LEVELS 4

/* Identity from sysctl and the IORegistry: read once. */
struct apple_host {
	char chip[96];               /* machdep.cpu.brand_string */
	char model[32];              /* hw.model */
	char os[64];                 /* "macOS " + kern.osproductversion */
	char hostname[64];           /* kern.hostname */
	int ncpu;                    /* hw.logicalcpu */
	int gpu_cores;               /* AGXAccelerator gpu-core-count, -1 unknown */
	double memsize;              /* hw.memsize, bytes */
	unsigned pagesize;           /* vm page size, bytes */
	uint32_t tb_numer, tb_denom; /* mach_timebase_info */
	unsigned nlevels;            /* hw.nperflevels; level 0 is the fastest */
	struct {
		char name[24]; /* hw.perflevelN.name: "Super", "Performance", "Efficiency" */
		int logical;   /* hw.perflevelN.logicalcpu */
	} level[APPLE_MAX_LEVELS];
};

/* host_processor_info(PROCESSOR_CPU_LOAD_INFO), in CPU_STATE_* order */
enum { APPLE_TICK_USER = 0, APPLE_TICK_SYSTEM, APPLE_TICK_IDLE, APPLE_TICK_NICE, APPLE_TICKS };

/* host_statistics64(HOST_VM_INFO64) page counts, and vm.swapusage */
struct apple_vm {
	bool have;
	uint64_t free, active, inactive, speculative, wire, purgeable, internal, external,
	    compressor;
};

struct apple_swap {
	bool have;
	uint64_t total, avail, used;
};

enum apple_temp_source { APPLE_TEMP_SMC = 0, APPLE_TEMP_HID };

struct apple_temp {
	enum apple_temp_source source;
	char name[48]; /* SMC key "Tp01" or HID product name */
	double celsius;
};

struct apple_proc {
	int pid, ppid;
	int uid;            /* pbi_uid or pbsi_uid, -1 unknown */
	char name[64];      /* pbi_name, else the executable's name, else p_comm (16 bytes) */
	char *cmdline;      /* KERN_PROCARGS2 arguments joined, NULL when not fetched */
	uint64_t start;     /* pbi_start_tvsec: tells a reused pid apart (0: not readable) */
	bool task;          /* cpu_time, rss and threads were readable (not so for another user's
	                     * process without root: macOS withholds them) */
	bool path_denied;   /* proc_pidpath refused it (kernel_task, some protected processes) */
	uint64_t cpu_time;  /* pti_total_user + pti_total_system, Mach absolute time units */
	uint64_t rss;       /* pti_resident_size, bytes */
	int threads;        /* pti_threadnum */
	bool rusage;        /* proc_pid_rusage(RUSAGE_INFO_V6) answered: the caller's own user, or
	                     * root (xnu CHECK_SAME_USER) */
	uint64_t energy_nj; /* ri_energy_nj: CPU energy as the kernel's recount estimates it */
	uint64_t neural_bytes; /* ri_neural_footprint: neural engine memory (macOS 15+, else 0) */
	bool gpu;              /* the GPU accelerator has user clients of this process */
	uint64_t gpu_ns;       /* accumulatedGPUTime summed over every AppUsage of every client */
	int status;            /* pbi_status or pbsi_status: SIDL 1, SRUN 2, SSLEEP 3, SSTOP 4,
	                        * SZOMB 5; 0 unknown */
};

/* AppleSmartBattery in the IORegistry, as read (-1 / NAN where the key is absent). */
struct apple_battery {
	bool present;
	int64_t current_capacity, max_capacity; /* percent on Apple Silicon (max 100); mAh on
	                                         * Intel */
	int is_charging, fully_charged, external_connected; /* booleans, -1 absent */
	int64_t time_remaining;   /* minutes to empty (or full); 65535: not known yet */
	int64_t avg_time_to_full; /* minutes; 65535: not known */
	int64_t amperage;         /* mA, signed: negative while discharging; INT64_MIN absent */
	int64_t voltage;          /* mV; INT64_MIN absent */
	double adapter_watts; /* AdapterDetails Watts (else the largest AppleRawAdapterDetails) */
	double system_load_w; /* PowerTelemetryData SystemLoad: what the machine draws */
	double system_in_w;   /* PowerTelemetryData SystemPowerIn: what comes from outside */
};

#define APPLE_MAX_FANS 8
struct apple_fan {
	double actual, min, max; /* SMC F<n>Ac, F<n>Mn, F<n>Mx, rpm; NAN unknown */
};

/* An SMC power key the decoder may use where IOReport's own counter cannot serve (only keys
 * validated for a chip: decode_power.c). */
#define APPLE_MAX_SMC_POWER 8
struct apple_smc_power {
	char key[5];
	double watts;
};

struct apple_reading {
	struct ior_sample ior; /* absolute counters of every subscribed channel */
	uint64_t mach_time;
	double wall_time; /* seconds since the epoch */
	unsigned ncpu;
	uint32_t (*ticks)[APPLE_TICKS]; /* per OS CPU */
	struct apple_vm vm;
	struct apple_swap swap;
	int thermal_level; /* notify com.apple.system.thermalpressurelevel, -1 unknown */
	double system_w;   /* SMC PSTR, NAN unknown */
	unsigned nsmc_power;
	struct apple_smc_power smc_power[APPLE_MAX_SMC_POWER];
	size_t ntemps, temps_cap; /* every sensor read: no cap (an M4 Max has 300 T keys) */
	struct apple_temp *temp;
	size_t nprocs, procs_cap;
	struct apple_proc *procs;
	bool have_procs;
	bool have_gpu_clients; /* the GPU accelerator's user clients were walked */
	struct apple_battery battery;
	unsigned nfans;
	struct apple_fan fan[APPLE_MAX_FANS];
	double input_w;     /* SMC PDTR: what the power adapter delivers, NAN unknown */
	int low_power;      /* IOPMCopyActivePMPreferences LowPowerMode of the power source in use:
	                     * 1 on, 0 off, -1 unknown */
	double speed_limit; /* IOPMCopyCPUPowerStatus CPU_Speed_Limit, percent; NAN unknown
	                     * (Apple Silicon answers kIOReturnNotFound) */
};

void apple_reading_init(struct apple_reading *r);
/* A battery with every value unknown (present false). */
void apple_battery_init(struct apple_battery *b);
void apple_reading_free(struct apple_reading *r);
/* Deep copy (dst initialised). 0 or -1. */
int apple_reading_copy(struct apple_reading *dst, const struct apple_reading *src);
int apple_reading_set_ncpu(struct apple_reading *r, unsigned ncpu);
struct apple_proc *apple_reading_add_proc(struct apple_reading *r);
/* The process of that pid (a reading keeps them sorted by pid), NULL when not there. In
 * lookup.c, below the decoder's parts, which all call it. */
struct apple_proc *apple_reading_proc(const struct apple_reading *r, int pid);
/* A new temperature (zeroed), NULL when memory runs out. */
struct apple_temp *apple_reading_add_temp(struct apple_reading *r);
/* qsort order of a reading's processes: by pid (the decoder looks them up by pid). */
int apple_proc_cmp(const void *a, const void *b);

/* A subscription group and whether it could be subscribed. */
struct apple_group {
	char group[48], subgroup[64];
	bool subscribed;
	char error[128];
};

#endif
