/* sys/proc_info.h - the libproc structures agtop reads, for the Linux fakes (Apple's ABI) */
#ifndef AGTOP_FAKE_PROC_INFO_H
#define AGTOP_FAKE_PROC_INFO_H

#include <stdint.h>
#include <sys/types.h>

#define MAXCOMLEN 16

#define PROC_ALL_PIDS 1

#define PROC_PIDTASKALLINFO    2
#define PROC_PIDTBSDINFO       3
#define PROC_PIDTASKINFO       4
#define PROC_PIDPATHINFO       11
#define PROC_PIDT_SHORTBSDINFO 13

#define MAXPATHLEN               1024
#define PROC_PIDPATHINFO_MAXSIZE (4 * MAXPATHLEN)

struct proc_bsdinfo {
	uint32_t pbi_flags;
	uint32_t pbi_status;
	uint32_t pbi_xstatus;
	uint32_t pbi_pid;
	uint32_t pbi_ppid;
	uid_t pbi_uid;
	gid_t pbi_gid;
	uid_t pbi_ruid;
	gid_t pbi_rgid;
	uid_t pbi_svuid;
	gid_t pbi_svgid;
	uint32_t rfu_1;
	char pbi_comm[MAXCOMLEN];
	char pbi_name[2 * MAXCOMLEN];
	uint32_t pbi_nfiles;
	uint32_t pbi_pgid;
	uint32_t pbi_pjobc;
	uint32_t e_tdev;
	uint32_t e_tpgid;
	int32_t pbi_nice;
	uint64_t pbi_start_tvsec;
	uint64_t pbi_start_tvusec;
};

/* what PROC_PIDT_SHORTBSDINFO gives: identity, without the start time */
struct proc_bsdshortinfo {
	uint32_t pbsi_pid;
	uint32_t pbsi_ppid;
	uint32_t pbsi_pgid;
	uint32_t pbsi_status;
	char pbsi_comm[MAXCOMLEN];
	uint32_t pbsi_flags;
	uid_t pbsi_uid;
	gid_t pbsi_gid;
	uid_t pbsi_ruid;
	gid_t pbsi_rgid;
	uid_t pbsi_svuid;
	gid_t pbsi_svgid;
	uint32_t pbsi_rfu;
};

struct proc_taskinfo {
	uint64_t pti_virtual_size;
	uint64_t pti_resident_size;
	uint64_t pti_total_user;
	uint64_t pti_total_system;
	uint64_t pti_threads_user;
	uint64_t pti_threads_system;
	int32_t pti_policy;
	int32_t pti_faults;
	int32_t pti_pageins;
	int32_t pti_cow_faults;
	int32_t pti_messages_sent;
	int32_t pti_messages_received;
	int32_t pti_syscalls_mach;
	int32_t pti_syscalls_unix;
	int32_t pti_csw;
	int32_t pti_threadnum;
	int32_t pti_numrunning;
	int32_t pti_priority;
};

struct proc_taskallinfo {
	struct proc_bsdinfo pbsd;
	struct proc_taskinfo ptinfo;
};

#endif
