/* fsroot.h - reading /proc and /sys under an injectable root (I/O only).
 *
 * Paths are relative to the root ("stat", "class/hwmon"). Captured trees sometimes store a
 * symlink as a small file holding the link's target (an archive that kept links as text); when a
 * path runs into such a file where a directory should be, it is followed like the link it
 * stands for. On a live /proc and /sys every open succeeds directly, so this costs nothing. */
#ifndef AGTOP_FSROOT_H
#define AGTOP_FSROOT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../error.h"

struct fsroot {
	int dirfd;
	char path[1024];
};

int fsroot_open(struct fsroot *r, const char *path, struct error *err);
void fsroot_close(struct fsroot *r);

/* Opens root/rel; returns an fd or -errno. */
int fsroot_openat(const struct fsroot *r, const char *rel, int flags);

/* Reads up to size-1 bytes into buf and NUL-terminates it. Returns the length or -errno. */
ssize_t fsroot_read(const struct fsroot *r, const char *rel, char *buf, size_t size);

/* As fsroot_read, for a file the kernel writes as one record (/proc/<pid>/stat): a read that
 * leaves room in buf has the whole file, so the read that would only see the end is skipped
 * (one read system call instead of two, for every process every sample). */
ssize_t fsroot_read_record(const struct fsroot *r, const char *rel, char *buf, size_t size);

/* Reads a decimal unsigned value (sysfs style, trailing newline allowed): 0 or -errno
 * (-EINVAL when the file holds no number). */
int fsroot_read_u64(const struct fsroot *r, const char *rel, uint64_t *out);
int fsroot_read_i64(const struct fsroot *r, const char *rel, int64_t *out);

/* Reads a one-line text attribute, trimmed. 0 or -errno. */
int fsroot_read_str(const struct fsroot *r, const char *rel, char *buf, size_t size);

/* Calls cb for each entry of directory rel except "." and ".."; stops early when cb returns
 * non-zero. Returns 0 or -errno. */
int fsroot_list(const struct fsroot *r, const char *rel, int (*cb)(const char *name, void *ctx),
                void *ctx);

/* Resolves rel to a normalised root-relative path with every link followed (the last
 * component too, when it is a link or a stored link). 0 or -errno. */
int fsroot_resolve(const struct fsroot *r, const char *rel, char *out, size_t size);

/* True when rel is (or leads to) a directory. */
int fsroot_is_dir(const struct fsroot *r, const char *rel);

#endif
