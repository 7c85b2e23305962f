/* libproc.h - for the Linux fakes (tests/fakes/fake_mach.c): the calls agtop makes, and
 * proc_pid_rusage with its rusage_info_v6 (xnu bsd/sys/resource.h, 464 bytes) for the per-process
 * work that builds on these fakes */
#ifndef AGTOP_FAKE_LIBPROC_H
#define AGTOP_FAKE_LIBPROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/proc_info.h>

int proc_listpids(uint32_t type, uint32_t typeinfo, void *buffer, int buffersize);
int proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int buffersize);
/* The executable's path; its length, or 0 with errno set. */
int proc_pidpath(int pid, void *buffer, uint32_t buffersize);

#define RUSAGE_INFO_V6 6
typedef void *rusage_info_t;

struct rusage_info_v6 {
	uint8_t ri_uuid[16];
	uint64_t ri_user_time; /* Mach absolute time units */
	uint64_t ri_system_time;
	uint64_t ri_pkg_idle_wkups;
	uint64_t ri_interrupt_wkups;
	uint64_t ri_pageins;
	uint64_t ri_wired_size;
	uint64_t ri_resident_size;
	uint64_t ri_phys_footprint;
	uint64_t ri_proc_start_abstime;
	uint64_t ri_proc_exit_abstime;
	uint64_t ri_child_user_time;
	uint64_t ri_child_system_time;
	uint64_t ri_child_pkg_idle_wkups;
	uint64_t ri_child_interrupt_wkups;
	uint64_t ri_child_pageins;
	uint64_t ri_child_elapsed_abstime;
	uint64_t ri_diskio_bytesread;
	uint64_t ri_diskio_byteswritten;
	uint64_t ri_cpu_time_qos_default;
	uint64_t ri_cpu_time_qos_maintenance;
	uint64_t ri_cpu_time_qos_background;
	uint64_t ri_cpu_time_qos_utility;
	uint64_t ri_cpu_time_qos_legacy;
	uint64_t ri_cpu_time_qos_user_initiated;
	uint64_t ri_cpu_time_qos_user_interactive;
	uint64_t ri_billed_system_time;
	uint64_t ri_serviced_system_time;
	uint64_t ri_logical_writes;
	uint64_t ri_lifetime_max_phys_footprint;
	uint64_t ri_instructions;
	uint64_t ri_cycles;
	uint64_t ri_billed_energy;
	uint64_t ri_serviced_energy;
	uint64_t ri_interval_max_phys_footprint;
	uint64_t ri_runnable_time;
	uint64_t ri_flags;
	uint64_t ri_user_ptime;
	uint64_t ri_system_ptime;
	uint64_t ri_pinstructions;
	uint64_t ri_pcycles;
	uint64_t ri_energy_nj;
	uint64_t ri_penergy_nj;
	uint64_t ri_secure_time_in_system;
	uint64_t ri_secure_ptime_in_system;
	uint64_t ri_neural_footprint;
	uint64_t ri_lifetime_max_neural_footprint;
	uint64_t ri_interval_max_neural_footprint;
	uint64_t ri_reserved[9];
};
_Static_assert(sizeof(struct rusage_info_v6) == 464, "rusage_info_v6 is 464 bytes on every SDK");
/* the offsets the source reads (xnu bsd/sys/resource.h; rusage_info_v6 offset table) */
_Static_assert(offsetof(struct rusage_info_v6, ri_energy_nj) == 336, "ri_energy_nj at 336");
_Static_assert(offsetof(struct rusage_info_v6, ri_neural_footprint) == 368,
               "ri_neural_footprint at 368");

/* 0, or -1 with errno (EPERM: another user's process without root; ESRCH: no such process). */
int proc_pid_rusage(int pid, int flavor, rusage_info_t *buffer);

#endif
