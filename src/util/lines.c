#include "lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"

#define CHUNK (64u * 1024)

void lines_init(struct lines *l, int fd, size_t max)
{
	memset(l, 0, sizeof *l);
	l->fd = fd;
	l->max = max ? max : LINES_MAX;
}

void lines_free(struct lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->cap = l->start = l->end = l->scanned = 0;
}

/* Room for one more chunk after the unread bytes (moved to the front first). */
static int make_room(struct lines *l)
{
	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	return array_grow((void **)&l->buf, &l->cap, l->end + CHUNK, 1, CHUNK);
}

static enum lines_status take(struct lines *l, size_t n, char **line, size_t *len)
{
	*line = l->buf + l->start;
	*len = n;
	l->start += n;
	l->scanned = 0;
	return LINES_OK;
}

enum lines_status lines_next(struct lines *l, char **line, size_t *len)
{
	for (;;) {
		size_t have = l->end - l->start;
		char *nl = have > l->scanned
		               ? memchr(l->buf + l->start + l->scanned, '\n', have - l->scanned)
		               : NULL;
		ssize_t n;

		if (nl)
			return take(l, (size_t)(nl - (l->buf + l->start)) + 1, line, len);
		l->scanned = have;
		if (have > l->max)
			return LINES_TOO_LONG;
		if (l->eof) {
			if (!have)
				return LINES_EOF;
			return take(l, have, line, len); /* the last line, without '\n' */
		}
		if (l->stop && *l->stop)
			return LINES_AGAIN;
		if (make_room(l)) {
			errno = ENOMEM;
			return LINES_ERROR;
		}
		n = read(l->fd, l->buf + l->end, CHUNK);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				return LINES_AGAIN;
			return LINES_ERROR;
		}
		if (n == 0)
			l->eof = true;
		l->end += (size_t)n;
	}
}
