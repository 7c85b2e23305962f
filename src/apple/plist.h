/* plist.h - powermetrics' output stream: XML property lists separated by NUL bytes, parsed
 * incrementally with expat. Pure: bytes in, documents out, no I/O.
 *
 * A document is complete at its NUL (or at the end of the input). A partial document waits for
 * more bytes; a malformed one (bad XML, not a plist, over the size limit, nested too deep) is
 * dropped and counted, and parsing goes on with the next. */
#ifndef AGTOP_PLIST_H
#define AGTOP_PLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum plist_type {
	PLIST_DICT = 0,
	PLIST_ARRAY,
	PLIST_STRING,
	PLIST_INTEGER,
	PLIST_REAL,
	PLIST_BOOL,
	PLIST_DATE, /* ISO 8601 text in str */
	PLIST_DATA, /* base64 text in str */
};

struct plist_node {
	enum plist_type type;
	char *key; /* the key of this value in its dictionary, NULL elsewhere */
	char *str; /* string, date and data values */
	int64_t i; /* integer */
	double d;  /* real, and integer as a double */
	bool b;    /* bool */
	size_t n;  /* children of a dictionary or array */
	struct plist_node *child, *last, *next;
};

void plist_free(struct plist_node *n);

/* dict[key], NULL when it is absent or n is not a dictionary. */
const struct plist_node *plist_get(const struct plist_node *dict, const char *key);
/* A number: integer, real, or a string holding one (a trailing '%' allowed). */
bool plist_num(const struct plist_node *n, double *out);
/* A string value, NULL for anything else. */
const char *plist_str(const struct plist_node *n);

#define PLIST_MAX_DOC_BYTES (8u << 20) /* powermetrics' documents are tens of KiB */
#define PLIST_MAX_DEPTH     32

struct plist_stream;

/* The XML parser (expat) is opened at run time, the first time it is needed: 0, or -1 with a
 * sentence in why. */
int plist_load(char *why, size_t size);
/* NULL when out of memory, or when the parser cannot be loaded (plist_load says why). */
struct plist_stream *plist_stream_new(size_t max_doc_bytes);
void plist_stream_free(struct plist_stream *s);
/* Feeds the next bytes. 0, or -1 when out of memory (the stream is then unusable). */
int plist_stream_feed(struct plist_stream *s, const char *buf, size_t len);
/* The end of the input: a last document without its NUL is completed (or counted malformed
 * when it is cut short). */
int plist_stream_finish(struct plist_stream *s);
/* The next complete document (the caller frees it), or NULL. */
struct plist_node *plist_stream_next(struct plist_stream *s);
/* Documents so far: complete, malformed; and why the last malformed one was. */
unsigned plist_stream_good(const struct plist_stream *s);
unsigned plist_stream_malformed(const struct plist_stream *s);
const char *plist_stream_error(const struct plist_stream *s);
/* Whether bytes of an unfinished document are pending. */
bool plist_stream_partial(const struct plist_stream *s);

#endif
