/* host.c - identity, CPU ticks, memory, swap, thermal pressure and processes from Mach, sysctl,
 * libproc and notify: no subprocess, no sudo */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../apple/decode.h"
#include "../../util/array.h"
#include "../../util/str.h"
#include "macos_internal.h"

#define THERMAL_NOTIFICATION "com.apple.system.thermalpressurelevel"

static bool sysctl_str(const char *name, char *dst, size_t size)
{
	size_t n = size - 1;

	memset(dst, 0, size);
	if (sysctlbyname(name, dst, &n, NULL, 0) != 0) {
		dst[0] = '\0';
		return false;
	}
	dst[size - 1] = '\0';
	return true;
}

/* An integer sysctl of 4 or 8 bytes. */
static bool sysctl_i64(const char *name, int64_t *out)
{
	union {
		int32_t i32;
		int64_t i64;
	} v;
	size_t n = sizeof v;

	memset(&v, 0, sizeof v);
	if (sysctlbyname(name, &v, &n, NULL, 0) != 0)
		return false;
	if (n == sizeof v.i32)
		*out = v.i32;
	else if (n == sizeof v.i64)
		*out = v.i64;
	else
		return false;
	return true;
}

int mac_host_identity(struct apple_host *h, struct error *err)
{
	char ver[32];
	int64_t v;
	mach_timebase_info_data_t tb;

	memset(h, 0, sizeof *h);
	h->gpu_cores = -1;
	if (!sysctl_i64("hw.logicalcpu", &v) || v <= 0)
		return error_set(err, "sysctl hw.logicalcpu: %s", strerror(errno));
	h->ncpu = (int)v;
	sysctl_str("machdep.cpu.brand_string", h->chip, sizeof h->chip);
	sysctl_str("hw.model", h->model, sizeof h->model);
	sysctl_str("kern.hostname", h->hostname, sizeof h->hostname);
	if (sysctl_str("kern.osproductversion", ver, sizeof ver))
		snprintf(h->os, sizeof h->os, "macOS %s", ver);
	else
		str_copy(h->os, sizeof h->os, "macOS");
	h->memsize = sysctl_i64("hw.memsize", &v) ? (double)v : NAN;
	h->pagesize = sysctl_i64("vm.pagesize", &v) && v > 0 ? (unsigned)v : 16384;
	if (mach_timebase_info(&tb) == KERN_SUCCESS && tb.denom) {
		h->tb_numer = tb.numer;
		h->tb_denom = tb.denom;
	} else {
		h->tb_numer = h->tb_denom = 1;
	}
	if (sysctl_i64("hw.nperflevels", &v) && v > 0) {
		h->nlevels = v > APPLE_MAX_LEVELS ? APPLE_MAX_LEVELS : (unsigned)v;
		for (unsigned i = 0; i < h->nlevels; i++) {
			char key[48];
			snprintf(key, sizeof key, "hw.perflevel%u.name", i);
			sysctl_str(key, h->level[i].name, sizeof h->level[i].name);
			snprintf(key, sizeof key, "hw.perflevel%u.logicalcpu", i);
			h->level[i].logical = sysctl_i64(key, &v) ? (int)v : -1;
		}
	}
	return 0;
}

int mac_host_open(struct mac_host *m, struct error *err)
{
	int mib[2] = { CTL_KERN, KERN_ARGMAX };
	int argmax = 0;
	size_t n = sizeof argmax;

	memset(m, 0, sizeof *m);
	m->host = mach_host_self();
	if (m->host == MACH_PORT_NULL)
		return error_set(err, "mach_host_self failed");
	m->notify_ok =
	    notify_register_check(THERMAL_NOTIFICATION, &m->notify_token) == NOTIFY_STATUS_OK;
	if (sysctl(mib, 2, &argmax, &n, NULL, 0) != 0 || argmax <= 0)
		argmax = 256 * 1024;
	m->argmax = (size_t)argmax;
	return 0;
}

static void read_ticks(struct mac_host *m, struct apple_reading *r)
{
	natural_t count = 0;
	processor_info_array_t info = NULL;
	mach_msg_type_number_t info_count = 0;

	if (host_processor_info(m->host, PROCESSOR_CPU_LOAD_INFO, &count, &info, &info_count) !=
	    KERN_SUCCESS)
		return;
	if (apple_reading_set_ncpu(r, count) == 0) {
		processor_cpu_load_info_t load = (processor_cpu_load_info_t)info;
		for (natural_t i = 0; i < count; i++) {
			r->ticks[i][APPLE_TICK_USER] = load[i].cpu_ticks[CPU_STATE_USER];
			r->ticks[i][APPLE_TICK_SYSTEM] = load[i].cpu_ticks[CPU_STATE_SYSTEM];
			r->ticks[i][APPLE_TICK_IDLE] = load[i].cpu_ticks[CPU_STATE_IDLE];
			r->ticks[i][APPLE_TICK_NICE] = load[i].cpu_ticks[CPU_STATE_NICE];
		}
	}
	vm_deallocate(mach_task_self(), (vm_address_t)info, info_count * sizeof(integer_t));
}

static void read_memory(struct mac_host *m, struct apple_reading *r)
{
	vm_statistics64_data_t vs;
	mach_msg_type_number_t count = HOST_VM_INFO64_COUNT;
	struct xsw_usage xs;
	size_t n = sizeof xs;

	memset(&vs, 0, sizeof vs);
	if (host_statistics64(m->host, HOST_VM_INFO64, (host_info64_t)&vs, &count) ==
	    KERN_SUCCESS) {
		r->vm.have = true;
		r->vm.free = vs.free_count;
		r->vm.active = vs.active_count;
		r->vm.inactive = vs.inactive_count;
		r->vm.speculative = vs.speculative_count;
		r->vm.wire = vs.wire_count;
		r->vm.purgeable = vs.purgeable_count;
		r->vm.internal = vs.internal_page_count;
		r->vm.external = vs.external_page_count;
		r->vm.compressor = vs.compressor_page_count;
	}
	if (sysctlbyname("vm.swapusage", &xs, &n, NULL, 0) == 0 && n == sizeof xs) {
		r->swap.have = true;
		r->swap.total = xs.xsu_total;
		r->swap.avail = xs.xsu_avail;
		r->swap.used = xs.xsu_used;
	}
}

/* The executable's name from its path, "" when there is none. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The process's own energy counter and neural engine memory from rusage_info_v6 (macOS 13+),
 * read at their byte offsets (xnu bsd/sys/resource.h: ri_energy_nj at 336, ri_neural_footprint
 * at 368 of 464 bytes) so that an SDK older than macOS 15, whose struct calls that field
 * reserved, builds the same. Asked only where the task was readable: proc_pid_rusage checks
 * the same user as PROC_PIDTASKALLINFO does (xnu proc_info.c CHECK_SAME_USER). */
#ifndef RUSAGE_INFO_V6
#define RUSAGE_INFO_V6 6 /* the flavor number (xnu-8792, macOS 13); an SDK before 13 lacks it */
#endif
#define RUSAGE_V6_SIZE       464
#define RUSAGE_ENERGY_NJ     336
#define RUSAGE_NEURAL_MEMORY 368

static void read_rusage(int pid, struct apple_proc *p)
{
	uint64_t ri[RUSAGE_V6_SIZE / 8];

	memset(ri, 0, sizeof ri);
	if (proc_pid_rusage(pid, RUSAGE_INFO_V6, (rusage_info_t *)ri) != 0)
		return; /* older macOS (EINVAL), gone, or refused */
	p->rusage = true;
	p->energy_nj = ri[RUSAGE_ENERGY_NJ / 8];
	p->neural_bytes = ri[RUSAGE_NEURAL_MEMORY / 8];
}

/* One process, as Activity Monitor lists it for a normal user. Its task (CPU time, memory,
 * threads) where macOS lets this user read it: its own processes, or every one as root
 * (PROC_PIDTASKALLINFO checks the user, xnu proc_info.c). Else its identity only, through
 * PROC_PIDT_SHORTBSDINFO, which needs no privilege: CPU and memory are then N/A, never a missing
 * row. false when the process is gone. */
static bool read_proc(int pid, struct apple_proc *p)
{
	struct proc_taskallinfo tai;
	struct proc_bsdshortinfo si;
	char path[PROC_PIDPATHINFO_MAXSIZE];

	if (proc_pidinfo(pid, PROC_PIDTASKALLINFO, 0, &tai, sizeof tai) == sizeof tai) {
		const struct proc_bsdinfo *b = &tai.pbsd;
		p->ppid = (int)b->pbi_ppid;
		p->uid = (int)b->pbi_uid;
		p->status = (int)b->pbi_status;
		str_copy_n(p->name, sizeof p->name, b->pbi_name[0] ? b->pbi_name : b->pbi_comm,
		           b->pbi_name[0] ? sizeof b->pbi_name : sizeof b->pbi_comm);
		p->start = b->pbi_start_tvsec;
		p->task = true;
		p->cpu_time = tai.ptinfo.pti_total_user + tai.ptinfo.pti_total_system;
		p->rss = tai.ptinfo.pti_resident_size;
		p->threads = tai.ptinfo.pti_threadnum;
		read_rusage(pid, p);
		return true;
	}
	if (proc_pidinfo(pid, PROC_PIDT_SHORTBSDINFO, 0, &si, sizeof si) != sizeof si)
		return false; /* exited while being read: skipped, never an error */
	p->ppid = (int)si.pbsi_ppid;
	p->uid = (int)si.pbsi_uid;
	p->status = (int)si.pbsi_status;
	/* p_comm is cut at 16 bytes: the executable's own name where its path is readable */
	if (proc_pidpath(pid, path, sizeof path) > 0 && *base_name(path)) {
		str_copy(p->name, sizeof p->name, base_name(path));
	} else {
		p->path_denied = true;
		str_copy_n(p->name, sizeof p->name, si.pbsi_comm, sizeof si.pbsi_comm);
	}
	return true;
}

static void read_procs(struct apple_reading *r)
{
	int bytes = proc_listpids(PROC_ALL_PIDS, 0, NULL, 0), n;
	int *pids;

	if (bytes <= 0)
		return;
	bytes += 64 * (int)sizeof(int); /* processes started since */
	pids = malloc((size_t)bytes);
	if (!pids)
		return;
	n = proc_listpids(PROC_ALL_PIDS, 0, pids, bytes);
	if (n <= 0) {
		free(pids);
		return;
	}
	/* every entry the kernel filled is a process, pid 0 (kernel_task) included */
	n /= (int)sizeof(int);
	for (int i = 0; i < n; i++) {
		struct apple_proc one, *p;

		memset(&one, 0, sizeof one);
		one.threads = -1;
		if (pids[i] < 0 || !read_proc(pids[i], &one))
			continue;
		p = apple_reading_add_proc(r);
		if (!p)
			break;
		one.pid = pids[i];
		*p = one;
	}
	free(pids);
	qsort(r->procs, r->nprocs, sizeof *r->procs, apple_proc_cmp);
	r->have_procs = true;
}

int mac_host_read(struct mac_host *m, unsigned ncpu, struct apple_reading *r)
{
	uint64_t state;

	read_ticks(m, r);
	read_memory(m, r);
	if (m->notify_ok && notify_get_state(m->notify_token, &state) == NOTIFY_STATUS_OK)
		r->thermal_level = (int)state;
	read_procs(r);
	return r->ncpu || !ncpu ? 0 : -1;
}

/* ---- command lines, cached per (pid, start) ---- */

static size_t cache_find(const struct mac_host *m, int pid, bool *found)
{
	size_t lo = 0, hi = m->ncache;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->cache[mid].pid == pid) {
			*found = true;
			return mid;
		}
		if (m->cache[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static char *fetch(struct mac_host *m, int pid)
{
	int mib[3] = { CTL_KERN, KERN_PROCARGS2, pid };
	size_t n;

	if (!m->argbuf) {
		m->argbuf = malloc(m->argmax);
		if (!m->argbuf)
			return NULL;
	}
	n = m->argmax;
	m->cmdline_reads++;
	if (sysctl(mib, 3, m->argbuf, &n, NULL, 0) != 0)
		return NULL; /* another user's process, or gone */
	return apple_procargs(m->argbuf, n);
}

const char *mac_cmdline(struct mac_host *m, int pid, uint64_t start)
{
	bool found;
	size_t at = cache_find(m, pid, &found);
	struct mac_cmdline *e;

	if (found && m->cache[at].start == start) {
		m->cache[at].seen = true;
		return m->cache[at].text;
	}
	if (!found) {
		if (array_grow((void **)&m->cache, &m->cache_cap, m->ncache + 1, sizeof *m->cache,
		               256))
			return NULL;
		memmove(&m->cache[at + 1], &m->cache[at], (m->ncache - at) * sizeof *m->cache);
		m->ncache++;
		m->cache[at].text = NULL;
	}
	e = &m->cache[at];
	free(e->text); /* a reused pid: the old command line is not this process's */
	e->pid = pid;
	e->start = start;
	e->text = fetch(m, pid);
	e->seen = true;
	return e->text;
}

void mac_cmdline_prune(struct mac_host *m)
{
	size_t w = 0;

	for (size_t i = 0; i < m->ncache; i++) {
		if (!m->cache[i].seen) {
			free(m->cache[i].text);
			continue;
		}
		m->cache[i].seen = false;
		m->cache[w++] = m->cache[i];
	}
	m->ncache = w;
}

/* Marks the cached command lines of processes still running, so prune keeps them. */
void mac_cmdline_mark(struct mac_host *m, const struct apple_reading *r)
{
	for (size_t i = 0; i < r->nprocs; i++) {
		bool found;
		size_t at = cache_find(m, r->procs[i].pid, &found);
		if (found && m->cache[at].start == r->procs[i].start)
			m->cache[at].seen = true;
	}
}

void mac_host_close(struct mac_host *m)
{
	for (size_t i = 0; i < m->ncache; i++)
		free(m->cache[i].text);
	free(m->cache);
	free(m->argbuf);
	if (m->notify_ok)
		notify_cancel(m->notify_token);
	if (m->host != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), m->host);
	memset(m, 0, sizeof *m);
}
