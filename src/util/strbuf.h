/* strbuf.h - a growable string buffer (pure) */
#ifndef AGTOP_STRBUF_H
#define AGTOP_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, cap;
	bool oom; /* an append failed: the content is incomplete */
};

void sb_init(struct strbuf *b);
void sb_free(struct strbuf *b);
void sb_clear(struct strbuf *b);
void sb_add(struct strbuf *b, const char *s, size_t len);
void sb_puts(struct strbuf *b, const char *s);
void sb_putc(struct strbuf *b, char c);
void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Shortest decimal text that reads back as exactly the same double ("%.15g", else 16, else 17
 * significant digits). NAN and infinities are the caller's business. */
void fmt_double(char *out, size_t size, double v);

#endif
