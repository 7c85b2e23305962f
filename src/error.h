/* error.h - errors travel up as values with a message that says what to do */
#ifndef AGTOP_ERROR_H
#define AGTOP_ERROR_H

#include <stddef.h>

struct error {
	char msg[512];
};

/* Sets the message and returns -1, so a caller can write `return error_set(err, ...)`.
 * A NULL err is allowed and ignored. */
int error_set(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes an existing message ("context: message"), returns -1. */
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void error_clear(struct error *err);

#endif
