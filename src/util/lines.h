/* lines.h - reading lines from a file descriptor with a bound on their length.
 *
 * getline() grows its buffer for as long as no newline comes (--replay /dev/zero took 17.8 GB)
 * and loses what it had read when a signal interrupts it. This reader keeps at most one line of
 * at most `max` bytes, keeps a partial line across interruptions, and returns to its caller at
 * every interruption and whenever the stop flag is set, so a stop signal is seen at once. */
#ifndef AGTOP_LINES_H
#define AGTOP_LINES_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* the longest line agtop reads from a recording (a sample with thousands of processes is
 * well under 1 MiB) */
#define LINES_MAX (16u << 20)

enum lines_status {
	LINES_OK = 0, /* *line holds one line (with its '\n', if it had one) */
	LINES_EOF,    /* no more lines */
	LINES_AGAIN,  /* interrupted, or a non-blocking stream has no more yet: call again, nothing
	               * is lost */
	LINES_TOO_LONG, /* a line longer than max: the stream is not what it should be */
	LINES_ERROR,    /* a read error: errno says which */
};

struct lines {
	int fd;
	size_t max;
	char *buf;
	size_t cap, start, end; /* unread bytes are buf[start, end) */
	size_t scanned;         /* bytes of buf[start, end) known to hold no '\n' */
	bool eof;
	const volatile sig_atomic_t *stop; /* checked before every read; NULL: never set */
};

/* Reads from fd (not closed by lines_free). max 0 means LINES_MAX. */
void lines_init(struct lines *l, int fd, size_t max);
/* The next line (not NUL-terminated); *line stays valid until the next call. */
enum lines_status lines_next(struct lines *l, char **line, size_t *len);
void lines_free(struct lines *l);

#endif
