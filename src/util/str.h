/* str.h - small string helpers (pure) */
#ifndef AGTOP_STR_H
#define AGTOP_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies src into dst (size bytes, always NUL-terminated). Returns false when truncated.
 * Never cuts a UTF-8 sequence in half. */
bool str_copy(char *dst, size_t size, const char *src);
bool str_copy_n(char *dst, size_t size, const char *src, size_t len);

/* Trims ASCII white space at both ends, in place; returns s. */
char *str_trim(char *s);

/* Writes src[0..len) to dst as valid UTF-8: invalid bytes become U+FFFD, NUL and other
 * C0 controls (except tab) become spaces. Returns the length written (dst holds at most
 * size-1 bytes plus NUL). */
size_t str_utf8_clean(char *dst, size_t size, const char *src, size_t len);
/* Bytes of the valid UTF-8 character at p (avail bytes there); 0 when it is not one. */
size_t str_utf8_char_len(const char *p, size_t avail);

/* Replaces every byte that is not [A-Za-z0-9_] with '_' (node_exporter's cleanMetricName,
 * without the lower-casing), in place; returns s. */
char *str_clean_name(char *s);

/* Case-insensitive ASCII prefix test. */
bool str_starts_with(const char *s, const char *prefix);

/* Unsigned decimal; skips leading blanks. Returns false when no digits or on overflow.
 * *end (optional) points after the number. */
bool str_parse_u64(const char *s, const char **end, uint64_t *out);
/* Signed decimal with the same rules. */
bool str_parse_i64(const char *s, const char **end, int64_t *out);

/* Whole-string parses (leading/trailing blanks allowed): the value must be all there is. */
bool str_to_long(const char *s, long *out);
bool str_to_double(const char *s, double *out);

#endif
