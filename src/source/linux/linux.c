/* linux.c - the Linux source: /proc and /sys, read for real (roots injectable) */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../../history/rate.h"
#include "../../util/clock.h"
#include "../../util/str.h"
#include "../source.h"
#include "fsroot.h"
#include "gpu/gpu.h"
#include "hwmon.h"
#include "linux_source.h"
#include "power_supply.h"
#include "procfs_parse.h"
#include "procs.h"
#include "rapl.h"
#include "throttle.h"
#include "topology.h"

/* scaling_cur_freq can take over a millisecond per CPU on some AMD and Intel parts (htop's
 * note); when cpu0's fastest of three reads is slower than this, frequencies come from
 * /proc/cpuinfo instead. Only the kernel's own /sys is timed: a captured tree (AGTOP_SYSFS) is a
 * plain file, and its readings must not depend on how busy the machine reading it is. */
#define SLOW_FREQ_READ_S 0.0005

struct linux_src {
	struct fsroot proc, sys;
	bool have_sys;
	long hz;

	size_t ncpu;           /* CPUs in /proc/stat */
	struct topo_cpu *tcpu; /* per CPU, /proc/stat order */
	struct topology topo;
	struct stat_cpu *prev, *cur;
	size_t cap;
	struct stat_cpu total_prev;
	bool freq_from_cpuinfo;
	struct cpuinfo_cpu *cpuinfo;
	size_t cpuinfo_cap;

	struct rapl rapl;
	struct hwmon hwmon;
	struct power_supply psu;
	struct throttle_src throttle;
	struct proctab procs;
	struct gpu_ctx gpu;
	struct sample_host host;
	struct sample scratch; /* the priming process scan goes here */
	double t_prev;
	uint64_t seq;
};

/* Reads /proc/stat into l->cur (growing it as needed); returns the number of CPUs or -errno. */
static int read_stat(struct linux_src *l, struct stat_cpu *total)
{
	char *buf;
	size_t size = 64 * 1024;
	ssize_t n;
	int count;

	for (;;) {
		buf = malloc(size);
		if (!buf)
			return -ENOMEM;
		n = fsroot_read(&l->proc, "stat", buf, size);
		if (n < 0) {
			free(buf);
			return (int)n;
		}
		if ((size_t)n < size - 1)
			break;
		free(buf);
		size *= 4; /* thousands of CPUs: /proc/stat is longer than the buffer */
	}
	for (;;) {
		count = procfs_parse_stat(buf, total, l->cur, l->cap);
		if (count < 0) {
			free(buf);
			return -EINVAL;
		}
		if ((size_t)count <= l->cap)
			break;
		{
			size_t ncap = (size_t)count + 8;
			struct stat_cpu *c = realloc(l->cur, ncap * sizeof *c);
			struct stat_cpu *p = c ? realloc(l->prev, ncap * sizeof *p) : NULL;
			if (c)
				l->cur = c;
			if (!c || !p) {
				free(buf);
				return -ENOMEM;
			}
			l->prev = p;
			l->cap = ncap;
		}
	}
	free(buf);
	return count;
}

static void read_cpuinfo(struct linux_src *l, char *model, size_t model_size)
{
	char *buf;
	size_t size = 64 * 1024;
	ssize_t n;
	int count;

	/* read every sample on machines without cpufreq: a buffer of the size it needs (about
	 * 1.5 KB a CPU), not a megabyte mapped and unmapped each time */
	for (;;) {
		buf = malloc(size);
		if (!buf)
			return;
		n = fsroot_read(&l->proc, "cpuinfo", buf, size);
		if (n < 0) {
			free(buf);
			return;
		}
		if ((size_t)n < size - 1 || size >= 16 * 1024 * 1024)
			break;
		free(buf);
		size *= 4; /* hundreds of CPUs */
	}
	count = procfs_parse_cpuinfo(buf, l->cpuinfo, l->cpuinfo_cap, model, model_size);
	if (count > 0 && (size_t)count > l->cpuinfo_cap) {
		struct cpuinfo_cpu *c = realloc(l->cpuinfo, (size_t)count * sizeof *c);
		if (c) {
			l->cpuinfo = c;
			l->cpuinfo_cap = (size_t)count;
			procfs_parse_cpuinfo(buf, l->cpuinfo, l->cpuinfo_cap, NULL, 0);
		}
	}
	free(buf);
}

static double cpuinfo_mhz(const struct linux_src *l, int cpu)
{
	for (size_t i = 0; i < l->cpuinfo_cap; i++)
		if (l->cpuinfo[i].cpu == cpu)
			return l->cpuinfo[i].mhz;
	return NAN;
}

static double read_khz(const struct linux_src *l, int cpu, const char *attr)
{
	char rel[96];
	uint64_t khz;

	snprintf(rel, sizeof rel, "devices/system/cpu/cpu%d/cpufreq/%s", cpu, attr);
	if (!l->have_sys || fsroot_read_u64(&l->sys, rel, &khz) != 0)
		return NAN;
	return (double)khz * 1000.0;
}

/* What the device tree calls the core and its cluster (Apple chips under Asahi Linux). */
static void read_dt_core(const struct linux_src *l, struct topo_cpu *t)
{
	char rel[128], compat[64];
	int64_t v;

	t->cluster_id = -1;
	snprintf(rel, sizeof rel, "devices/system/cpu/cpu%d/of_node/compatible", t->cpu);
	if (fsroot_read_str(&l->sys, rel, compat, sizeof compat) == 0)
		t->dt_kind = topology_dt_kind(compat);
	snprintf(rel, sizeof rel, "devices/system/cpu/cpu%d/topology/cluster_id", t->cpu);
	if (fsroot_read_i64(&l->sys, rel, &v) == 0 && v >= 0 && v < 1 << 20)
		t->cluster_id = (int)v;
}

/* What sysfs says about each CPU, then the clusters. */
static int build_topology(struct linux_src *l, struct error *err)
{
	unsigned char atom[1024 / 8], core[1024 / 8];
	bool have_types = false;
	char buf[4096];

	free(l->tcpu);
	topology_free(&l->topo);
	l->tcpu = calloc(l->ncpu ? l->ncpu : 1, sizeof *l->tcpu);
	if (!l->tcpu)
		return error_set(err, "out of memory");
	memset(atom, 0, sizeof atom);
	memset(core, 0, sizeof core);
	if (l->have_sys &&
	    fsroot_read_str(&l->sys, "devices/cpu_atom/cpus", buf, sizeof buf) == 0 &&
	    sysfs_parse_cpulist(buf, atom, 1024) > 0 &&
	    fsroot_read_str(&l->sys, "devices/cpu_core/cpus", buf, sizeof buf) == 0 &&
	    sysfs_parse_cpulist(buf, core, 1024) > 0)
		have_types = true;

	for (size_t i = 0; i < l->ncpu; i++) {
		struct topo_cpu *t = &l->tcpu[i];
		char rel[128];
		int64_t v;

		t->cpu = l->cur[i].cpu;
		t->capacity = -1;
		t->policy = -1;
		t->package = -1;
		t->max_hz = NAN;
		if (!l->have_sys)
			continue;
		snprintf(rel, sizeof rel, "devices/system/cpu/cpu%d/cpu_capacity", t->cpu);
		if (fsroot_read_i64(&l->sys, rel, &v) == 0)
			t->capacity = (int)v;
		snprintf(rel, sizeof rel, "devices/system/cpu/cpu%d/topology/physical_package_id",
		         t->cpu);
		if (fsroot_read_i64(&l->sys, rel, &v) == 0)
			t->package = (int)v;
		snprintf(rel, sizeof rel, "devices/system/cpu/cpu%d/cpufreq/related_cpus", t->cpu);
		if (fsroot_read_str(&l->sys, rel, buf, sizeof buf) == 0) {
			unsigned char bits[1024 / 8];
			int count = sysfs_parse_cpulist(buf, bits, 1024);
			if (count > 0) {
				t->policy_size = count;
				for (int c = 0; c < 1024; c++)
					if (bits[c / 8] & (1u << (c % 8))) {
						t->policy = c;
						break;
					}
			}
		}
		t->max_hz = read_khz(l, t->cpu, "cpuinfo_max_freq");
		if (isnan(t->max_hz))
			t->max_hz = read_khz(l, t->cpu, "scaling_max_freq");
		read_dt_core(l, t);
		if (have_types && t->cpu >= 0 && t->cpu < 1024) {
			if (atom[t->cpu / 8] & (1u << (t->cpu % 8)))
				t->type = CORE_TYPE_ATOM;
			else if (core[t->cpu / 8] & (1u << (t->cpu % 8)))
				t->type = CORE_TYPE_CORE;
		}
	}
	if (topology_build(l->tcpu, l->ncpu, &l->topo))
		return error_set(err, "out of memory");
	return 0;
}

static void read_host(struct linux_src *l)
{
	struct utsname u;
	char buf[128], rel[64];

	memset(&l->host, 0, sizeof l->host);
	l->host.gpu_cores = -1;
	l->host.cpus = (int)l->ncpu;
	if (uname(&u) != 0)
		memset(&u, 0, sizeof u);
	if (fsroot_read_str(&l->proc, "sys/kernel/hostname", buf, sizeof buf) == 0 && buf[0])
		str_copy(l->host.hostname, sizeof l->host.hostname, buf);
	else
		str_copy(l->host.hostname, sizeof l->host.hostname, u.nodename);
	str_copy(rel, sizeof rel, "sys/kernel/osrelease");
	if (fsroot_read_str(&l->proc, rel, buf, sizeof buf) == 0 && buf[0])
		snprintf(l->host.os, sizeof l->host.os, "Linux %s", buf);
	else
		snprintf(l->host.os, sizeof l->host.os, "%s %s", u.sysname, u.release);
	str_copy(l->host.arch, sizeof l->host.arch, u.machine);
	read_cpuinfo(l, l->host.chip, sizeof l->host.chip);
	/* an Apple chip under Asahi Linux: the device tree names it as macOS does */
	if (l->have_sys) {
		char dt[512];
		ssize_t n =
		    fsroot_read(&l->sys, "firmware/devicetree/base/compatible", dt, sizeof dt);
		if (n > 0)
			topology_dt_chip(dt, (size_t)n, l->host.chip, sizeof l->host.chip);
	}
	if (!l->host.chip[0])
		str_copy(l->host.chip, sizeof l->host.chip, u.machine);
}

static void decide_freq_source(struct linux_src *l)
{
	double t0, t1, hz = NAN, fastest;

	l->freq_from_cpuinfo = true;
	if (l->ncpu == 0)
		return;
	fastest = INFINITY;
	for (int i = 0; i < 3; i++) {
		t0 = clock_mono();
		hz = read_khz(l, l->cur[0].cpu, "scaling_cur_freq");
		t1 = clock_mono();
		fastest = fmin(fastest, t1 - t0);
	}
	if (isnan(hz))
		hz = read_khz(l, l->cur[0].cpu, "cpuinfo_cur_freq");
	l->freq_from_cpuinfo =
	    isnan(hz) || (!strcmp(l->sys.path, "/sys") && fastest > SLOW_FREQ_READ_S);
}

/* NVIDIA's library as the driver installs it, or the one AGTOP_NVML_LIBRARY names (the tests'
 * fake, or a driver in an unusual place): o->nvml_library, from the option table. */
static const char *nvml_library(const struct options *o)
{
	return o->nvml_library[0] ? o->nvml_library : "libnvidia-ml.so.1";
}

static void linux_close(struct source *s)
{
	struct linux_src *l = s->priv;

	if (!l)
		return;
	fsroot_close(&l->proc);
	if (l->have_sys)
		fsroot_close(&l->sys);
	topology_free(&l->topo);
	free(l->tcpu);
	free(l->prev);
	free(l->cur);
	free(l->cpuinfo);
	procs_free(&l->procs);
	gpu_close(&l->gpu);
	sample_free(&l->scratch);
	free(l);
	s->priv = NULL;
}

/* Boot time, for the processes' start times (read once: it does not change). */
static double read_btime(struct linux_src *l)
{
	uint64_t bt;
	double v = NAN;

	/* after the "intr" line, which lists every interrupt and can be long */
	for (size_t size = 64 * 1024; size <= 16 * 1024 * 1024; size *= 4) {
		char *buf = malloc(size);
		ssize_t n = buf ? fsroot_read(&l->proc, "stat", buf, size) : -1;
		bool whole = n >= 0 && (size_t)n < size - 1;
		if (whole && procfs_parse_btime(buf, &bt) == 0)
			v = (double)bt;
		free(buf);
		if (n < 0 || whole)
			break;
	}
	return v;
}

static int linux_open(struct source *s, const struct options *o, struct error *err)
{
	struct linux_src *l = calloc(1, sizeof *l);
	struct error e;
	int n;

	if (!l)
		return error_set(err, "out of memory");
	s->priv = l;
	l->sys.dirfd = -1;
	sample_init(&l->scratch);
	if (fsroot_open(&l->proc, o->procfs, err)) {
		linux_close(s);
		return error_prefix(err, "linux");
	}
	l->have_sys = fsroot_open(&l->sys, o->sysfs, &e) == 0;
	l->hz = sysconf(_SC_CLK_TCK);
	if (l->hz <= 0)
		l->hz = 100;

	n = read_stat(l, &l->total_prev);
	if (n < 0) {
		error_set(err, "linux: cannot read %s/stat: %s", o->procfs, strerror(-n));
		linux_close(s);
		return -1;
	}
	l->ncpu = (size_t)n;
	if (build_topology(l, err)) {
		linux_close(s);
		return -1;
	}
	if (l->ncpu)
		memcpy(l->prev, l->cur, l->ncpu * sizeof *l->cur);
	read_host(l);
	decide_freq_source(l);
	rapl_open(&l->rapl, &l->sys);
	if (l->have_sys) {
		int first[THROTTLE_MAX_PKG];
		unsigned npkg = 0;
		hwmon_open(&l->hwmon, &l->sys);
		power_supply_open(&l->psu, &l->sys);
		/* the first CPU of each package carries its package throttle counter */
		for (size_t i = 0; i < l->ncpu && npkg < THROTTLE_MAX_PKG; i++) {
			bool seen = false;
			for (size_t k = 0; k < i; k++)
				seen |= l->tcpu[k].package == l->tcpu[i].package;
			if (!seen)
				first[npkg++] = l->tcpu[i].cpu;
		}
		throttle_open(&l->throttle, &l->sys, first, npkg);
	}
	procs_init(&l->procs, l->hz, sysconf(_SC_PAGESIZE));
	l->procs.btime = read_btime(l);
	l->procs.ncpus = (int)l->ncpu;
	procs_scan(&l->procs, &l->proc, 0, &l->scratch);
	gpu_open(&l->gpu, l->have_sys ? &l->sys : NULL, &l->proc, nvml_library(o));
	l->t_prev = clock_mono();
	gpu_read(&l->gpu, l->t_prev, 0, &l->scratch); /* the baseline of the first interval */
	sample_reset(&l->scratch);
	return 0;
}

static const struct stat_cpu *find_prev(const struct linux_src *l, size_t i, int cpu)
{
	if (i < l->ncpu && l->prev[i].cpu == cpu)
		return &l->prev[i];
	for (size_t k = 0; k < l->ncpu; k++)
		if (l->prev[k].cpu == cpu)
			return &l->prev[k];
	return NULL;
}

static void fill_cpus(struct linux_src *l, struct sample *s, const struct stat_cpu *total)
{
	s->cpu_util = cpu_ticks_busy(&l->total_prev.ticks, &total->ticks);
	if (isnan(s->cpu_util))
		sample_note(s, "cpu", "CPU tick counters did not advance during the interval");
	bool cpuinfo_fresh = false;

	if (l->freq_from_cpuinfo) {
		read_cpuinfo(l, NULL, 0);
		cpuinfo_fresh = true;
	}

	s->nclusters = (unsigned)l->topo.nclusters;
	for (size_t c = 0; c < l->topo.nclusters; c++) {
		struct sample_cluster *sc = &s->clusters[c];
		str_copy(sc->name, sizeof sc->name, l->topo.cluster[c].name);
		sc->kind = l->topo.cluster[c].kind;
		sc->die = l->topo.cluster[c].die;
		sc->freq_max_hz = l->topo.cluster[c].max_hz;
		sc->ncores = 0;
		sc->first_core = 0;
	}
	for (size_t i = 0; i < l->ncpu; i++) {
		size_t j = l->topo.order[i];
		const struct stat_cpu *cur = &l->cur[j], *prev = find_prev(l, j, cur->cpu);
		unsigned cl = l->topo.cluster_of[j];
		struct sample_core *core = sample_add_core(s);

		if (!core)
			break;
		core->cpu = cur->cpu;
		core->cluster = cl;
		if (s->clusters[cl].ncores == 0)
			s->clusters[cl].first_core = (unsigned)(s->ncores - 1);
		s->clusters[cl].ncores++;
		core->util = prev ? cpu_ticks_busy(&prev->ticks, &cur->ticks) : NAN;
		for (unsigned m = 0; m < CPU_MODE_COUNT; m++)
			core->seconds[m] =
			    m < cur->nfields ? (double)cur->ticks.t[m] / (double)l->hz : NAN;
		if (!l->freq_from_cpuinfo) {
			core->freq_hz = read_khz(l, cur->cpu, "scaling_cur_freq");
			if (isnan(core->freq_hz))
				core->freq_hz = read_khz(l, cur->cpu, "cpuinfo_cur_freq");
		}
		if (isnan(core->freq_hz)) {
			if (!cpuinfo_fresh) { /* this CPU has no cpufreq: /proc/cpuinfo, once */
				read_cpuinfo(l, NULL, 0);
				cpuinfo_fresh = true;
			}
			/* "cpu MHz : 799.998": whole kHz, so no binary fraction leaks in */
			core->freq_hz = round(cpuinfo_mhz(l, cur->cpu) * 1e3) * 1e3;
		}
	}
	sample_cluster_rollup(s);
}

static enum source_status linux_read(struct source *s, struct sample *out, struct error *err)
{
	struct linux_src *l = s->priv;
	struct stat_cpu total;
	double now = clock_mono(), dt = now - l->t_prev;
	char buf[8192];
	struct meminfo mi;
	int n;

	n = read_stat(l, &total);
	if (n < 0) {
		error_set(err, "linux: cannot read %s/stat: %s", l->proc.path, strerror(-n));
		return SOURCE_ERROR;
	}
	if ((size_t)n != l->ncpu) { /* CPUs went on- or offline */
		l->ncpu = (size_t)n;
		if (build_topology(l, err))
			return SOURCE_ERROR;
	} else {
		for (size_t i = 0; i < l->ncpu; i++)
			if (l->tcpu[i].cpu != l->cur[i].cpu) {
				if (build_topology(l, err))
					return SOURCE_ERROR;
				break;
			}
	}

	out->seq = ++l->seq;
	out->time = clock_real();
	out->interval_s = dt;
	str_copy(out->source, sizeof out->source, "linux");
	out->host = l->host;
	out->host.cpus = (int)l->ncpu;
	fill_cpus(l, out, &total);

	if (fsroot_read(&l->proc, "meminfo", buf, sizeof buf) > 0 &&
	    procfs_parse_meminfo(buf, &mi) == 0) {
		meminfo_to_memory(&mi, &out->memory);
		if (isnan(out->memory.used_bytes))
			sample_note(out, "memory",
			            "%s/meminfo has no usable MemAvailable or MemFree line",
			            l->proc.path);
	} else {
		sample_note(out, "memory", "cannot read %s/meminfo", l->proc.path);
	}

	rapl_read(&l->rapl, &l->sys, dt, out);
	if (!isnan(out->power[RAIL_SYSTEM].watts))
		str_copy(out->system_from, sizeof out->system_from, "RAPL psys");
	hwmon_read(&l->hwmon, &l->sys, out);
	power_supply_read(&l->psu, &l->sys, out);
	throttle_read(&l->throttle, &l->sys, rapl_pl1_w(&l->rapl), out);
	if (isnan(out->power[RAIL_SYSTEM].watts))
		sample_note(out, "power.system",
		            "no whole-system power on this machine (no RAPL psys, no power reading "
		            "from the adapter, not on battery)");
	l->procs.ncpus = (int)l->ncpu;
	procs_scan(&l->procs, &l->proc, dt, out);
	gpu_read(&l->gpu, now, dt, out);

	out->npu.present = false;
	sample_note(out, "npu", "no neural engine on this machine");
	sample_note(out, "power.ane", "no neural engine on this machine");
	sample_note(out, "bandwidth", "Linux exposes no memory bandwidth counters without root");
	sample_note(out, "thermal", "Linux has no thermal pressure level");
	out->thermal = THERMAL_UNKNOWN;

	/* this reading is the baseline of the next interval */
	{
		struct stat_cpu *t = l->prev;
		l->prev = l->cur;
		l->cur = t;
	}
	l->total_prev = total;
	l->t_prev = now;
	return SOURCE_SAMPLE;
}

const struct source_ops linux_source = {
	.name = "linux",
	.open = linux_open,
	.read = linux_read,
	.next_delay = NULL,
	.close = linux_close,
};
