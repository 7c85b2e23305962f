/* libproc.h - for the Linux fakes (tests/fakes/fake_mach.c) */
#ifndef AGTOP_FAKE_LIBPROC_H
#define AGTOP_FAKE_LIBPROC_H

#include <stdint.h>
#include <sys/proc_info.h>

int proc_listpids(uint32_t type, uint32_t typeinfo, void *buffer, int buffersize);
int proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int buffersize);

#endif
