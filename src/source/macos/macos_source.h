/* macos_source.h - the macOS sources */
#ifndef AGTOP_MACOS_SOURCE_H
#define AGTOP_MACOS_SOURCE_H

#include "../../error.h"
#include "../../options.h"
#include "../source.h"

/* IOReport, sysctl, libproc, SMC: no sudo, no subprocess */
extern const struct source_ops ioreport_source;

/* --dump-ioreport: two readings --interval apart, written to o->dump_ioreport
 * (docs/ioreport-dump.md). 0, or -1 with err set (and no file left behind). */
int mac_dump_ioreport(const struct options *o, struct error *err);

#endif
