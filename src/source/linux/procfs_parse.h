/* procfs_parse.h - pure parsers for /proc and sysfs text (no I/O) */
#ifndef AGTOP_PROCFS_PARSE_H
#define AGTOP_PROCFS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../history/rate.h"
#include "../../sample.h"

/* ---- /proc/stat ---- */
struct stat_cpu {
	int cpu; /* N of "cpuN" */
	struct cpu_ticks ticks;
	unsigned nfields; /* how many tick fields the kernel gave (4..10) */
};

/* Parses the aggregate "cpu" line into *total and up to cap "cpuN" lines into cpus (in file
 * order). Returns the number of cpuN lines (which may exceed cap: call again with more room),
 * or -1 when there is no "cpu" line. */
int procfs_parse_stat(const char *buf, struct stat_cpu *total, struct stat_cpu *cpus, size_t cap);

/* The "btime" line: boot time in seconds since the Unix epoch. 0, or -1 when there is none. */
int procfs_parse_btime(const char *buf, uint64_t *btime);

/* ---- /proc/meminfo ---- */
enum meminfo_field {
	MI_TOTAL = 0,
	MI_FREE,
	MI_AVAILABLE,
	MI_BUFFERS,
	MI_CACHED,
	MI_SRECLAIMABLE,
	MI_SHMEM,
	MI_SWAP_TOTAL,
	MI_SWAP_FREE,
	MI_SWAP_CACHED,
	MI_COUNT
};
struct meminfo {
	uint64_t kb[MI_COUNT];
	unsigned present; /* bit per field found */
};
int procfs_parse_meminfo(const char *buf, struct meminfo *out);

/* The memory formulas:
 *   used      = MemTotal - MemAvailable (what free(1) and Activity Monitor users expect)
 *   available = MemAvailable
 * Kernels before 3.14 have no MemAvailable; then, as htop and procps do:
 *   used      = MemTotal - (MemFree + Buffers + Cached + SReclaimable)
 *   available = MemFree
 * Swap used = SwapTotal - SwapFree (space in use, as free(1) and vm.swapusage count it; pages
 * also cached in RAM, SwapCached, are still counted as used). */
void meminfo_to_memory(const struct meminfo *mi, struct sample_memory *m);

/* ---- /proc/[pid]/stat, status, cmdline ---- */
struct pid_stat {
	int pid;
	char comm[64]; /* between the first '(' and the LAST ')' */
	char state;
	int ppid;
	uint64_t utime; /* ticks */
	uint64_t stime;
	int64_t threads;
	uint64_t starttime; /* ticks after boot */
	uint64_t vsize;     /* bytes */
	int64_t rss_pages;
};
/* 0, or -1 for a malformed line. */
int procfs_parse_pid_stat(const char *buf, struct pid_stat *out);

/* status: the effective uid of the "Uid:" line (the owner ps(1) and htop show). 0 or -1. */
int procfs_parse_status_uid(const char *buf, int64_t *euid);

/* cmdline: NUL-separated arguments → one line joined by spaces, trailing NULs dropped, made
 * valid UTF-8. Returns the length written to out. */
size_t procfs_cmdline_join(const char *buf, size_t len, char *out, size_t size);

/* ---- /proc/cpuinfo ---- */
struct cpuinfo_cpu {
	int cpu;
	double mhz; /* NAN when the line has none (most ARM kernels) */
};
/* Fills up to cap processors; returns how many "processor" entries there are. model gets the
 * CPU model name ("model name", else "Hardware", "Model", or the ARM implementer/part). */
int procfs_parse_cpuinfo(const char *buf, struct cpuinfo_cpu *cpus, size_t cap, char *model,
                         size_t model_size);

/* ---- sysfs lists ---- */
/* Parses a CPU list such as "0-3,8,10-11" into a bitmap of cap bits. Returns the number of
 * CPUs set, or -1 when malformed. */
int sysfs_parse_cpulist(const char *s, unsigned char *bits, size_t cap);

#endif
