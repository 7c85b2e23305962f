/* json.h - one sample as one JSON object (the --json, --record and --replay format).
 * The schema is documented in docs/json.md. */
#ifndef AGTOP_JSON_H
#define AGTOP_JSON_H

#include <stddef.h>

#include "../error.h"
#include "../procsel.h"
#include "../sample.h"
#include "../util/strbuf.h"

#define JSON_SCHEMA_VERSION 1
#define JSON_MAX_PROCS      32

struct json_write_opts {
	const struct procsel_re *filter; /* --proc-filter, NULL for none */
	size_t max_procs;                /* the top N processes by CPU are written */
};

/* Appends the sample as one line of JSON (without the newline). */
void json_write_sample(struct strbuf *b, const struct sample *s, const struct json_write_opts *o);

/* Parses one JSON object into s (which is reset first). Returns 0, or -1 with err saying what
 * is wrong and where (column). */
int json_read_sample(const char *text, size_t len, struct sample *s, struct error *err);

#endif
