/* fake_mach.c - Mach (host port, CPU load, VM statistics, time), sysctl, libproc and notify over
 * a dump. Port rights, host_processor_info buffers and notify tokens are accounted like the CF
 * objects: released twice or unknown aborts, still held is a leak. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libproc.h>
#include <mach/mach.h>
#include <mach/mach_time.h>
#include <notify.h>
#include <sys/sysctl.h>

#include "fake_internal.h"

#define TASK_PORT    0x103u
#define HOST_PORT    0x2000u
#define MAX_PORTS    64
#define MAX_BUFFERS  64
#define NOTIFY_TOKEN 0x700
#define EXITED_PID   99999 /* listed, but gone before proc_pidinfo */
#define ARGMAX       (1024 * 1024)
#define THERMAL_NAME "com.apple.system.thermalpressurelevel"

static struct {
	bool port_live[MAX_PORTS];
	unsigned nports;
	struct {
		void *p;
		size_t size;
	} buf[MAX_BUFFERS];
	bool notify_live;
	bool notify_used;
} m;

void fake_mach_reset(void)
{
	for (unsigned i = 0; i < MAX_BUFFERS; i++)
		free(m.buf[i].p);
	memset(&m, 0, sizeof m);
}

void fake_mach_leaks(char *buf, size_t size)
{
	size_t w = strlen(buf);

	for (unsigned i = 0; i < m.nports && w + 1 < size; i++)
		if (m.port_live[i])
			w += (size_t)snprintf(buf + w, size - w, "host port right %#x\n",
			                      HOST_PORT + i);
	for (unsigned i = 0; i < MAX_BUFFERS && w + 1 < size; i++)
		if (m.buf[i].p)
			w += (size_t)snprintf(buf + w, size - w,
			                      "host_processor_info buffer of %zu bytes\n",
			                      m.buf[i].size);
	if (m.notify_live && w + 1 < size)
		snprintf(buf + w, size - w, "notify token %d\n", NOTIFY_TOKEN);
}

/* ---- Mach ---- */

mach_port_t mach_task_self(void)
{
	return TASK_PORT;
}

mach_port_t mach_host_self(void)
{
	if (m.nports == MAX_PORTS)
		fake_fail("mach_host_self: too many rights");
	m.port_live[m.nports] = true;
	fake.st.ports_live++;
	return HOST_PORT + m.nports++;
}

static void check_host(host_t host, const char *where)
{
	if (host < HOST_PORT || host >= HOST_PORT + m.nports || !m.port_live[host - HOST_PORT])
		fake_fail("%s: %#x is not a host port right the caller holds", where, host);
}

kern_return_t mach_port_deallocate(task_t task, mach_port_name_t name)
{
	if (task != TASK_PORT)
		fake_fail("mach_port_deallocate: in another task");
	check_host(name, "mach_port_deallocate");
	m.port_live[name - HOST_PORT] = false;
	fake.st.ports_live--;
	return KERN_SUCCESS;
}

kern_return_t host_processor_info(host_t host, processor_flavor_t flavor, natural_t *count,
                                  processor_info_array_t *info, mach_msg_type_number_t *info_count)
{
	const struct apple_reading *r = fake_reading();
	processor_cpu_load_info_t load;
	unsigned slot = 0;

	check_host(host, "host_processor_info");
	if (flavor != PROCESSOR_CPU_LOAD_INFO)
		fake_fail("host_processor_info: flavor %d", flavor);
	if (!r->ncpu)
		return KERN_FAILURE;
	while (slot < MAX_BUFFERS && m.buf[slot].p)
		slot++;
	if (slot == MAX_BUFFERS)
		fake_fail("host_processor_info: %d buffers never vm_deallocate'd", MAX_BUFFERS);
	load = calloc(r->ncpu, sizeof *load);
	if (!load)
		fake_fail("out of memory");
	for (unsigned i = 0; i < r->ncpu; i++) {
		load[i].cpu_ticks[CPU_STATE_USER] = r->ticks[i][APPLE_TICK_USER];
		load[i].cpu_ticks[CPU_STATE_SYSTEM] = r->ticks[i][APPLE_TICK_SYSTEM];
		load[i].cpu_ticks[CPU_STATE_IDLE] = r->ticks[i][APPLE_TICK_IDLE];
		load[i].cpu_ticks[CPU_STATE_NICE] = r->ticks[i][APPLE_TICK_NICE];
	}
	m.buf[slot].p = load;
	m.buf[slot].size = r->ncpu * sizeof *load;
	fake.st.vm_live++;
	*count = r->ncpu;
	*info = (processor_info_array_t)load;
	*info_count = r->ncpu * CPU_STATE_MAX;
	return KERN_SUCCESS;
}

kern_return_t vm_deallocate(vm_map_t task, vm_address_t address, vm_size_t size)
{
	if (task != TASK_PORT)
		fake_fail("vm_deallocate: in another task");
	for (unsigned i = 0; i < MAX_BUFFERS; i++)
		if (m.buf[i].p && (vm_address_t)m.buf[i].p == address) {
			if (size != m.buf[i].size)
				fake_fail("vm_deallocate: %zu bytes of a %zu-byte buffer",
				          (size_t)size, m.buf[i].size);
			free(m.buf[i].p);
			m.buf[i].p = NULL;
			fake.st.vm_live--;
			return KERN_SUCCESS;
		}
	fake_fail("vm_deallocate: %#lx was not allocated (or freed twice)", (unsigned long)address);
}

kern_return_t host_statistics64(host_t host, host_flavor_t flavor, host_info64_t out,
                                mach_msg_type_number_t *count)
{
	const struct apple_reading *r = fake_reading();
	vm_statistics64_data_t vs;

	check_host(host, "host_statistics64");
	if (flavor != HOST_VM_INFO64 || *count < HOST_VM_INFO64_COUNT)
		fake_fail("host_statistics64: HOST_VM_INFO64 with HOST_VM_INFO64_COUNT");
	if (!r->vm.have)
		return KERN_FAILURE;
	memset(&vs, 0, sizeof vs);
	vs.free_count = (natural_t)r->vm.free;
	vs.active_count = (natural_t)r->vm.active;
	vs.inactive_count = (natural_t)r->vm.inactive;
	vs.speculative_count = (natural_t)r->vm.speculative;
	vs.wire_count = (natural_t)r->vm.wire;
	vs.purgeable_count = (natural_t)r->vm.purgeable;
	vs.internal_page_count = (natural_t)r->vm.internal;
	vs.external_page_count = (natural_t)r->vm.external;
	vs.compressor_page_count = (natural_t)r->vm.compressor;
	memcpy(out, &vs, sizeof vs);
	*count = HOST_VM_INFO64_COUNT;
	return KERN_SUCCESS;
}

kern_return_t mach_timebase_info(mach_timebase_info_t info)
{
	if (!fake.loaded)
		fake_fail("mach_timebase_info: no dump loaded");
	info->numer = fake.dump.host.tb_numer;
	info->denom = fake.dump.host.tb_denom;
	return KERN_SUCCESS;
}

uint64_t mach_absolute_time(void)
{
	return fake_reading()->mach_time;
}

/* The machine moves on to its next reading: what a wait of one interval does. */
kern_return_t mach_wait_until(uint64_t deadline)
{
	if (deadline <= fake_reading()->mach_time)
		fake_fail("mach_wait_until: a deadline in the past");
	fake.st.waits++;
	fake_apple_advance();
	return KERN_SUCCESS;
}

/* ---- sysctl ---- */

static int give(void *oldp, size_t *oldlenp, const void *v, size_t n)
{
	if (!oldlenp) {
		errno = EINVAL;
		return -1;
	}
	if (!oldp) {
		*oldlenp = n;
		return 0;
	}
	if (*oldlenp < n) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(oldp, v, n);
	*oldlenp = n;
	return 0;
}

static int give_str(void *oldp, size_t *oldlenp, const char *s)
{
	return give(oldp, oldlenp, s, strlen(s) + 1);
}

static int give_i32(void *oldp, size_t *oldlenp, int32_t v)
{
	return give(oldp, oldlenp, &v, sizeof v);
}

static int give_i64(void *oldp, size_t *oldlenp, int64_t v)
{
	return give(oldp, oldlenp, &v, sizeof v);
}

int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
{
	const struct apple_host *h = &fake.dump.host;
	unsigned level;
	char field[32];

	if (newp || newlen)
		fake_fail("sysctlbyname(%s): agtop never sets a sysctl", name);
	if (!fake.loaded)
		fake_fail("sysctlbyname: no dump loaded");
	if (!strcmp(name, "machdep.cpu.brand_string"))
		return give_str(oldp, oldlenp, h->chip);
	if (!strcmp(name, "hw.model"))
		return give_str(oldp, oldlenp, h->model);
	if (!strcmp(name, "kern.hostname"))
		return give_str(oldp, oldlenp, h->hostname);
	if (!strcmp(name, "kern.osproductversion") && !strncmp(h->os, "macOS ", 6))
		return give_str(oldp, oldlenp, h->os + 6);
	if (!strcmp(name, "hw.logicalcpu"))
		return give_i32(oldp, oldlenp, h->ncpu);
	if (!strcmp(name, "hw.memsize") && !isnan(h->memsize))
		return give_i64(oldp, oldlenp, (int64_t)h->memsize);
	if (!strcmp(name, "vm.pagesize"))
		return give_i32(oldp, oldlenp, (int32_t)h->pagesize);
	if (!strcmp(name, "hw.nperflevels") && h->nlevels)
		return give_i32(oldp, oldlenp, (int32_t)h->nlevels);
	if (sscanf(name, "hw.perflevel%u.%31s", &level, field) == 2 && level < h->nlevels) {
		if (!strcmp(field, "name"))
			return give_str(oldp, oldlenp, h->level[level].name);
		if (!strcmp(field, "logicalcpu"))
			return give_i32(oldp, oldlenp, h->level[level].logical);
	}
	if (!strcmp(name, "vm.swapusage") && fake_reading()->swap.have) {
		const struct apple_swap *s = &fake_reading()->swap;
		struct xsw_usage xs = { s->total, s->avail, s->used, 16384, 1 };
		return give(oldp, oldlenp, &xs, sizeof xs);
	}
	errno = ENOENT;
	return -1;
}

static const struct apple_proc *find_proc(int pid)
{
	const struct apple_reading *r = fake_reading();

	for (size_t i = 0; r->have_procs && i < r->nprocs; i++)
		if (r->procs[i].pid == pid)
			return &r->procs[i];
	return NULL;
}

/* The permission rule of xnu's proc_security_policy (bsd/kern/proc_info.c, CHECK_SAME_USER):
 * a process of the caller's own user, or any process for root (PRIV_GLOBAL_PROC_INFO); else
 * EPERM. Where the dump does not say whose a process is, its own record decides: the task was
 * readable when the dump was made. */
static bool same_user(const struct apple_proc *p)
{
	if (p->uid < 0)
		return p->task;
	return fake.opts.root || p->uid == FAKE_APPLE_UID;
}

/* The task (CPU time, memory, threads, command line) needs the rule and the dump to hold it: a
 * dump made by a normal user has none for root's processes, and cannot give root more. */
static bool task_readable(const struct apple_proc *p)
{
	return same_user(p) && p->task;
}

/* EPERM, counted; libproc's proc_pidinfo and proc_pidpath then return 0, proc_pid_rusage -1 */
static void refuse(void)
{
	fake.st.eperm++;
	errno = EPERM;
}

/* KERN_PROCARGS2: argc, the executable path, padding, the arguments, the environment. xnu's
 * sysctl_procargsx refuses another user's process unless root (EINVAL). */
static int procargs(int pid, void *oldp, size_t *oldlenp)
{
	const struct apple_proc *p = find_proc(pid);
	char *b, *w, *save = NULL, *copy, *arg;
	int argc = 0;
	int rc;

	fake.st.procargs++;
	if (!p || !task_readable(p) || !p->cmdline) {
		errno = EINVAL; /* another user's process, or gone */
		return -1;
	}
	if (!oldp || !oldlenp || *oldlenp < ARGMAX)
		fake_fail("KERN_PROCARGS2: agtop passes a kern.argmax buffer");
	b = calloc(1, ARGMAX);
	copy = strdup(p->cmdline);
	if (!b || !copy)
		fake_fail("out of memory");
	w = b + sizeof argc;
	/* the executable path: the first word, with the padding the kernel leaves after it */
	w += sprintf(w, "/usr/libexec/%s", p->name) + 1;
	w += 7;
	for (arg = strtok_r(copy, " ", &save); arg; arg = strtok_r(NULL, " ", &save)) {
		w += sprintf(w, "%s", arg) + 1;
		argc++;
	}
	w += sprintf(w, "PATH=/usr/bin:/bin") + 1;
	w += sprintf(w, "HOME=/var/root") + 1;
	memcpy(b, &argc, sizeof argc);
	rc = give(oldp, oldlenp, b, (size_t)(w - b));
	free(copy);
	free(b);
	return rc;
}

int sysctl(int *name, unsigned int namelen, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
{
	if (newp || newlen)
		fake_fail("sysctl: agtop never sets a sysctl");
	if (namelen == 2 && name[0] == CTL_KERN && name[1] == KERN_ARGMAX)
		return give_i32(oldp, oldlenp, ARGMAX);
	if (namelen == 3 && name[0] == CTL_KERN && name[1] == KERN_PROCARGS2)
		return procargs(name[2], oldp, oldlenp);
	fake_fail("sysctl: a MIB agtop does not use");
}

/* ---- libproc ----
 * xnu bsd/kern/proc_info.c proc_pidinfo: "Certain operations don't require privileges" --
 * PROC_PIDT_SHORTBSDINFO, PROC_PIDUNIQIDENTIFIERINFO, PROC_PIDPATHINFO, PROC_PIDCOALITIONINFO,
 * PROC_PIDPLATFORMINFO pass NO_CHECK_SAME_USER; every other flavour (PROC_PIDTBSDINFO,
 * PROC_PIDTASKINFO, PROC_PIDTASKALLINFO) CHECK_SAME_USER, EPERM for another user's process
 * unless root. proc_listpids needs no privilege either. */

int proc_listpids(uint32_t type, uint32_t typeinfo, void *buffer, int buffersize)
{
	const struct apple_reading *r = fake_reading();
	int n = 0, *pids = buffer;

	if (type != PROC_ALL_PIDS || typeinfo)
		fake_fail("proc_listpids: PROC_ALL_PIDS");
	if (fake.opts.no_processes || !r->have_procs) {
		errno = EPERM;
		return -1;
	}
	if (!buffer) /* xnu: room for the processes and 20 more */
		return (int)((r->nprocs + 20) * sizeof(int));
	/* newest first, as the kernel lists them (kernel_task, pid 0, last), with one that exits
	 * before it is read */
	if (buffersize >= (int)sizeof(int))
		pids[n++] = EXITED_PID;
	for (size_t i = r->nprocs; i-- > 0 && (n + 1) * (int)sizeof(int) <= buffersize;)
		pids[n++] = r->procs[i].pid;
	return n * (int)sizeof(int);
}

static void fill_bsd(const struct apple_proc *p, struct proc_bsdinfo *b)
{
	memset(b, 0, sizeof *b);
	b->pbi_pid = (uint32_t)p->pid;
	b->pbi_ppid = (uint32_t)p->ppid;
	b->pbi_uid = p->uid >= 0 ? (uid_t)p->uid : FAKE_APPLE_UID;
	/* p_comm is cut at MAXCOMLEN; pbi_name holds the full name, not always terminated */
	memcpy(b->pbi_comm, p->name, strnlen(p->name, MAXCOMLEN - 1));
	memcpy(b->pbi_name, p->name, strnlen(p->name, sizeof b->pbi_name));
	b->pbi_start_tvsec = p->start;
	b->pbi_status = (uint32_t)p->status;
}

static int short_info(const struct apple_proc *p, void *buffer, int buffersize)
{
	struct proc_bsdshortinfo si;

	if (buffersize != (int)sizeof si)
		fake_fail("proc_pidinfo: a struct proc_bsdshortinfo");
	memset(&si, 0, sizeof si);
	si.pbsi_pid = (uint32_t)p->pid;
	si.pbsi_ppid = (uint32_t)p->ppid;
	si.pbsi_uid = p->uid >= 0 ? (uid_t)p->uid : FAKE_APPLE_UID;
	si.pbsi_status = (uint32_t)p->status;
	/* p_comm: the first MAXCOMLEN - 1 bytes of the name ("com.apple.WebKi") */
	memcpy(si.pbsi_comm, p->name, strnlen(p->name, MAXCOMLEN - 1));
	memcpy(buffer, &si, sizeof si);
	return (int)sizeof si;
}

int proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int buffersize)
{
	const struct apple_proc *p = find_proc(pid);

	if (arg)
		fake_fail("proc_pidinfo: arg is 0");
	if (!p) {
		errno = ESRCH;
		return 0;
	}
	if (flavor == PROC_PIDT_SHORTBSDINFO)
		return short_info(p, buffer, buffersize);
	if (flavor == PROC_PIDTASKALLINFO) {
		struct proc_taskallinfo tai;
		if (buffersize != (int)sizeof tai)
			fake_fail("proc_pidinfo: a struct proc_taskallinfo");
		if (!task_readable(p)) {
			refuse();
			return 0;
		}
		memset(&tai, 0, sizeof tai);
		fill_bsd(p, &tai.pbsd);
		tai.ptinfo.pti_total_user = p->cpu_time - p->cpu_time / 3;
		tai.ptinfo.pti_total_system = p->cpu_time / 3;
		tai.ptinfo.pti_resident_size = p->rss;
		tai.ptinfo.pti_virtual_size = p->rss * 8;
		tai.ptinfo.pti_threadnum = p->threads;
		memcpy(buffer, &tai, sizeof tai);
		return (int)sizeof tai;
	}
	if (flavor == PROC_PIDTBSDINFO) {
		struct proc_bsdinfo bi;
		if (buffersize != (int)sizeof bi)
			fake_fail("proc_pidinfo: a struct proc_bsdinfo");
		if (!same_user(p)) {
			refuse();
			return 0;
		}
		fill_bsd(p, &bi);
		memcpy(buffer, &bi, sizeof bi);
		return (int)sizeof bi;
	}
	fake_fail("proc_pidinfo: flavor %d", flavor);
}

/* PROC_PIDPATHINFO needs no same-user check, but kernel_task has no executable and the MAC
 * policy (mac_proc_check_proc_info) may still refuse a protected process: the dump marks
 * those. */
int proc_pidpath(int pid, void *buffer, uint32_t buffersize)
{
	const struct apple_proc *p = find_proc(pid);
	char path[PROC_PIDPATHINFO_MAXSIZE];
	int n;

	if (buffersize < PROC_PIDPATHINFO_MAXSIZE)
		fake_fail("proc_pidpath: a PROC_PIDPATHINFO_MAXSIZE buffer");
	if (!p || pid == 0) {
		errno = ESRCH;
		return 0;
	}
	if (p->path_denied) {
		refuse();
		return 0;
	}
	n = snprintf(path, sizeof path, "/System/Library/%s", p->name);
	memcpy(buffer, path, (size_t)n + 1);
	return n;
}

/* xnu proc_pid_rusage: CHECK_SAME_USER (EPERM for another user's process unless root); CPU
 * times in Mach absolute time units, as the task's. */
int proc_pid_rusage(int pid, int flavor, rusage_info_t *buffer)
{
	const struct apple_proc *p = find_proc(pid);
	struct rusage_info_v6 ri;

	if (flavor != RUSAGE_INFO_V6)
		fake_fail("proc_pid_rusage: RUSAGE_INFO_V6");
	if (!p) {
		errno = ESRCH;
		return -1;
	}
	if (!task_readable(p)) {
		refuse();
		return -1;
	}
	memset(&ri, 0, sizeof ri);
	ri.ri_user_time = p->cpu_time - p->cpu_time / 3;
	ri.ri_system_time = p->cpu_time / 3;
	ri.ri_resident_size = p->rss;
	ri.ri_phys_footprint = p->rss;
	/* the kernel's recount energy and the neural engine ledger (0 where the dump has none,
	 * as a process that never ran on the ANE reads) */
	ri.ri_energy_nj = p->energy_nj;
	ri.ri_penergy_nj = p->energy_nj / 4 * 3;
	ri.ri_neural_footprint = p->neural_bytes;
	/* billed energy is a voucher balance, frozen on real machines (per-process notes §2) */
	ri.ri_billed_energy = 123456789;
	memcpy(buffer, &ri, sizeof ri);
	return 0;
}

/* ---- notify ---- */

uint32_t notify_register_check(const char *name, int *out_token)
{
	if (strcmp(name, THERMAL_NAME))
		fake_fail("notify_register_check: %s", name);
	if (m.notify_live)
		fake_fail("notify_register_check: registered twice");
	m.notify_live = true;
	m.notify_used = true;
	fake.st.notify_live++;
	*out_token = NOTIFY_TOKEN;
	return NOTIFY_STATUS_OK;
}

uint32_t notify_get_state(int token, uint64_t *state)
{
	const struct apple_reading *r = fake_reading();

	if (token != NOTIFY_TOKEN || !m.notify_live)
		fake_fail("notify_get_state: token %d is not registered", token);
	if (r->thermal_level < 0)
		return 1; /* NOTIFY_STATUS_INVALID_NAME: nothing posted */
	*state = (uint64_t)r->thermal_level;
	return NOTIFY_STATUS_OK;
}

uint32_t notify_cancel(int token)
{
	if (token != NOTIFY_TOKEN || !m.notify_live)
		fake_fail("notify_cancel: token %d is not registered (or cancelled twice)", token);
	m.notify_live = false;
	fake.st.notify_live--;
	return NOTIFY_STATUS_OK;
}
