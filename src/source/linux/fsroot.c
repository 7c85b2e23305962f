#include "fsroot.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../util/str.h"

#define MAX_HOPS 40

int fsroot_open(struct fsroot *r, const char *path, struct error *err)
{
	str_copy(r->path, sizeof r->path, path);
	r->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->dirfd < 0)
		return error_set(err, "cannot open %s: %s", path, strerror(errno));
	return 0;
}

void fsroot_close(struct fsroot *r)
{
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->dirfd = -1;
}

/* A regular file that stands for a symlink: short, one line, no blanks. For the last component
 * of a path only targets that look relative ("../x", "./x") count, so that an ordinary attribute
 * file is never taken for a link. */
static int stored_link(const struct fsroot *r, const char *rel, bool last, char *target,
                       size_t size)
{
	int fd = openat(r->dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, target, size - 1);
	close(fd);
	if (n <= 0 || (size_t)n >= size - 1)
		return -1;
	target[n] = '\0';
	if (n > 0 && target[n - 1] == '\n')
		target[--n] = '\0';
	if (n == 0)
		return -1;
	for (ssize_t i = 0; i < n; i++)
		if (isspace((unsigned char)target[i]) || !isprint((unsigned char)target[i]))
			return -1;
	if (last && strcmp(target, "..") != 0 && strcmp(target, ".") != 0 &&
	    strncmp(target, "../", 3) != 0 && strncmp(target, "./", 2) != 0)
		return -1;
	return 0;
}

static void pop_component(char *cur)
{
	char *slash = strrchr(cur, '/');

	if (slash)
		*slash = '\0';
	else
		cur[0] = '\0';
}

static int resolve(const struct fsroot *r, const char *rel, bool follow_last, char *out,
                   size_t size)
{
	char pending[4096], cur[4096] = "", cand[4096], target[1024], tmp[4096];
	int hops = 0;

	if (!str_copy(pending, sizeof pending, rel))
		return -ENAMETOOLONG;
	while (pending[0]) {
		char *slash = strchr(pending, '/');
		char comp[512];
		const char *rest = slash ? slash + 1 : "";
		bool last;
		struct stat st;

		if (slash)
			str_copy_n(comp, sizeof comp, pending, (size_t)(slash - pending));
		else
			str_copy(comp, sizeof comp, pending);
		last = true;
		for (const char *p = rest; *p; p++)
			if (*p != '/') {
				last = false;
				break;
			}
		memmove(pending, rest, strlen(rest) + 1);

		if (comp[0] == '\0' || strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			pop_component(cur);
			continue;
		}
		if ((size_t)snprintf(cand, sizeof cand, "%s%s%s", cur, cur[0] ? "/" : "", comp) >=
		    sizeof cand)
			return -ENAMETOOLONG;
		if (last && !follow_last) {
			str_copy(cur, sizeof cur, cand);
			break;
		}
		if (fstatat(r->dirfd, cand, &st, AT_SYMLINK_NOFOLLOW) != 0)
			return -errno;
		if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlinkat(r->dirfd, cand, target, sizeof target - 1);
			if (n < 0)
				return -errno;
			target[n] = '\0';
		} else if (S_ISREG(st.st_mode) &&
		           stored_link(r, cand, last, target, sizeof target) == 0) {
			/* followed below, like a symlink */
		} else if (S_ISDIR(st.st_mode) || last) {
			str_copy(cur, sizeof cur, cand);
			continue;
		} else {
			return -ENOTDIR;
		}
		if (++hops > MAX_HOPS)
			return -ELOOP;
		if (target[0] == '/')
			cur[0] = '\0'; /* absolute links stay inside the root */
		if ((size_t)snprintf(tmp, sizeof tmp, "%s/%s", target, pending) >= sizeof tmp)
			return -ENAMETOOLONG;
		str_copy(pending, sizeof pending, tmp);
	}
	if (!str_copy(out, size, cur[0] ? cur : "."))
		return -ENAMETOOLONG;
	return 0;
}

int fsroot_resolve(const struct fsroot *r, const char *rel, char *out, size_t size)
{
	return resolve(r, rel, true, out, size);
}

int fsroot_openat(const struct fsroot *r, const char *rel, int flags)
{
	char path[4096];
	int fd = openat(r->dirfd, rel, flags | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno != ENOTDIR)
		return -errno;
	/* a stored link on the way, or the directory itself is one */
	if (resolve(r, rel, (flags & O_DIRECTORY) != 0, path, sizeof path) != 0)
		return -ENOTDIR;
	fd = openat(r->dirfd, path, flags | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

static ssize_t read_file(const struct fsroot *r, const char *rel, char *buf, size_t size,
                         bool record)
{
	int fd = fsroot_openat(r, rel, O_RDONLY);
	size_t len = 0;

	if (fd < 0)
		return fd;
	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		/* seq_file (fs/seq_file.c, seq_read_iter) fills a read until the buffer or the
		 * records run out, and a one-record file such as /proc/<pid>/stat is shown whole
		 * by its first read; a captured tree's regular file reads the same way */
		if (record && len + 1 < size)
			break;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

ssize_t fsroot_read(const struct fsroot *r, const char *rel, char *buf, size_t size)
{
	return read_file(r, rel, buf, size, false);
}

ssize_t fsroot_read_record(const struct fsroot *r, const char *rel, char *buf, size_t size)
{
	return read_file(r, rel, buf, size, true);
}

int fsroot_read_u64(const struct fsroot *r, const char *rel, uint64_t *out)
{
	char buf[64];
	const char *end;
	ssize_t n = fsroot_read(r, rel, buf, sizeof buf);

	if (n < 0)
		return (int)n;
	if (!str_parse_u64(buf, &end, out))
		return -EINVAL;
	while (*end == ' ' || *end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

int fsroot_read_i64(const struct fsroot *r, const char *rel, int64_t *out)
{
	char buf[64];
	const char *end;
	ssize_t n = fsroot_read(r, rel, buf, sizeof buf);

	if (n < 0)
		return (int)n;
	if (!str_parse_i64(buf, &end, out))
		return -EINVAL;
	while (*end == ' ' || *end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

int fsroot_read_str(const struct fsroot *r, const char *rel, char *buf, size_t size)
{
	ssize_t n = fsroot_read(r, rel, buf, size);
	char *nl;

	if (n < 0)
		return (int)n;
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	str_trim(buf);
	return 0;
}

int fsroot_list(const struct fsroot *r, const char *rel, int (*cb)(const char *name, void *ctx),
                void *ctx)
{
	int fd = fsroot_openat(r, rel, O_RDONLY | O_DIRECTORY);
	DIR *d;
	struct dirent *e;

	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		int err = errno;
		close(fd);
		return -err;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (cb(e->d_name, ctx))
			break;
	}
	closedir(d);
	return 0;
}

int fsroot_is_dir(const struct fsroot *r, const char *rel)
{
	int fd = fsroot_openat(r, rel, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}
