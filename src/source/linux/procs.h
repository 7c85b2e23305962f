/* procs.h - processes from /proc/[pid]/stat, status and cmdline */
#ifndef AGTOP_PROCS_H
#define AGTOP_PROCS_H

#include <stddef.h>
#include <stdint.h>

#include "../../sample.h"
#include "../users.h"
#include "fsroot.h"

struct proc_entry {
	int pid;
	uint64_t start; /* starttime ticks: tells a reused pid from the old process */
	uint64_t ticks; /* utime + stime */
	char comm[64];
	char *cmdline; /* cached: read when the process is new or its comm changed (exec) */
	int64_t uid;   /* cached with the command line (status "Uid:"), -1 unknown */
};

struct proctab {
	struct proc_entry *e;
	size_t n, cap;
	long hz; /* USER_HZ */
	long page_size;
	int ncpus; /* caps a process's CPU use */
	int scans;
	double btime; /* boot time (/proc/stat "btime"), seconds since the epoch; NAN unknown */
	struct users users;
};

void procs_init(struct proctab *t, long hz, long page_size);
void procs_free(struct proctab *t);

/* Reads every /proc/[pid]; adds each process to s with its CPU use over dt seconds (NAN on the
 * first scan). A process that ends while it is being read is skipped. Returns 0, or -errno when
 * /proc cannot be listed. */
int procs_scan(struct proctab *t, const struct fsroot *proc, double dt, struct sample *s);

/* Pure: CPU use of one process, in CPUs, from its tick advance over dt seconds; capped at
 * ncpus. */
double procs_cpu(uint64_t ticks_prev, uint64_t ticks_now, long hz, double dt, int ncpus);

#endif
