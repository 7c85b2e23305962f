/* sys/sysctl.h - the sysctl calls agtop's macOS source makes, for the Linux fakes (Apple's
 * names, numbers and structures; tests/fakes/fake_mach.c answers them from a dump) */
#ifndef AGTOP_FAKE_SYSCTL_H
#define AGTOP_FAKE_SYSCTL_H

#include <stddef.h>
#include <stdint.h>

#define CTL_KERN       1
#define KERN_ARGMAX    8
#define KERN_PROCARGS2 49

typedef int boolean_t;

struct xsw_usage {
	uint64_t xsu_total;
	uint64_t xsu_avail;
	uint64_t xsu_used;
	uint32_t xsu_pagesize;
	boolean_t xsu_encrypted;
};

int sysctl(int *name, unsigned int namelen, void *oldp, size_t *oldlenp, void *newp, size_t newlen);
int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

#endif
