/* dump_internal.h - shared between dump.c and dump_power.c */
#ifndef AGTOP_APPLE_DUMP_INTERNAL_H
#define AGTOP_APPLE_DUMP_INTERNAL_H

#include <jansson.h>

#include "../util/strbuf.h"
#include "reading.h"

/* A reading's power sources and GPU clients: read from / written to its dump object. */
void apple_dump_read_power(json_t *o, struct apple_reading *rd);
void apple_dump_write_power(struct strbuf *b, const struct apple_reading *r);
/* A number as dumps write it (shortest round trip, null for NAN). */
void apple_dump_num(struct strbuf *b, double v);

#endif
