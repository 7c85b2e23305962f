/* file.h - opening files portably, and writing files agtop must never damage.
 *
 * agtop often runs as root in directories others can write to (node_exporter's textfile
 * directory, /tmp). Every file it writes goes through the two writers below: a whole file is
 * written to a fresh temporary file beside it and renamed over it; a log of lines is appended
 * to and cut back to its last whole line when a write fails. Neither follows a symlink nor
 * writes into anything but a regular file. */
#ifndef AGTOP_FILE_H
#define AGTOP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "../error.h"

/* fopen with close-on-exec (so a subprocess such as powermetrics never inherits it), for the
 * modes "r", "w" and "a"; fopen's "e" flag is not on every libc agtop builds with. NULL with
 * errno set on failure. */
FILE *file_open_cloexec(const char *path, const char *mode);

/* ---- a whole file, replaced atomically ---- */

/* Whether path may be replaced: it does not exist, or it is a regular file (not a symlink, a
 * device, a FIFO, a socket or a directory), and its directory exists. err says why not, in one
 * line that names path. Used to fail before work is done; file_replace checks again. */
int file_replace_check(const char *path, struct error *err);

/* Writes data as the new content of path: into a temporary file created exclusively (mkstemp)
 * in path's directory, named ".NAME.agtop-XXXXXX" (hidden, and not *.prom), then renamed over
 * path. A reader sees the old file or the new one, never half of one. The new file keeps the
 * old one's permission bits (a new one gets 0666 less the umask). On failure path is untouched
 * and no temporary file is left. */
int file_replace(const char *path, const void *data, size_t len, struct error *err);

/* ---- a log of lines (--record) ---- */

struct file_log {
	int fd;
	bool fresh_line; /* the file ended inside a line: the next append starts a new one */
};

/* Opens path for appending, creating it (0666 less the umask) when it does not exist. Refuses
 * a symlink and anything that is not a regular file. A file that ends inside a line (a write
 * cut short earlier, by a full disk or a crash) is not cut: the next line starts on a line of
 * its own, so the damage stays one line that a replay skips. */
int file_log_open(struct file_log *l, const char *path, struct error *err);
/* Appends len bytes (whole lines). When the write fails (a full disk, a file size limit), the
 * file is cut back to where it was, so it still ends with a whole line; -1 with errno set. */
int file_log_append(struct file_log *l, const void *buf, size_t len);
/* The file's identity (device and inode). */
int file_log_stat(const struct file_log *l, struct stat *st);
/* Closes; -1 with errno set when the close reports an error. */
int file_log_close(struct file_log *l);

/* ---- identity ---- */

/* Whether two stat results are the same file (device and inode), whatever the names. */
bool file_same(const struct stat *a, const struct stat *b);
/* What kind of file st is, for messages: "a directory", "a symbolic link", ... */
const char *file_kind(const struct stat *st);

#endif
