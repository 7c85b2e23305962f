/* dump.h - the IOReport dump: what a user attaches to a bug report (docs/ioreport-dump.md).
 * Written by --dump-ioreport on macOS, read by --decode-dump everywhere and by the tests'
 * fakes. */
#ifndef AGTOP_APPLE_DUMP_H
#define AGTOP_APPLE_DUMP_H

#include <stdio.h>

#include "../error.h"
#include "../util/strbuf.h"
#include "reading.h"

#define APPLE_DUMP_FORMAT  "agtop-ioreport-dump"
#define APPLE_DUMP_VERSION 1
#define APPLE_MAX_GROUPS   16

struct apple_dump {
	struct apple_host host;
	struct pmgr pmgr;
	unsigned ngroups;
	struct apple_group group[APPLE_MAX_GROUPS];
	unsigned nreadings;
	struct apple_reading *reading;
};

void apple_dump_init(struct apple_dump *d);
void apple_dump_free(struct apple_dump *d);
struct apple_reading *apple_dump_add_reading(struct apple_dump *d);

/* Parses a dump; err names what is wrong (and where). 0 or -1. */
int apple_dump_parse(const char *text, size_t len, struct apple_dump *d, struct error *err);
int apple_dump_load(const char *path, struct apple_dump *d, struct error *err);
/* Writes it as JSON (one member per line at the top, channels one per line). */
void apple_dump_write(struct strbuf *b, const struct apple_dump *d);

#endif
