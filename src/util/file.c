#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "str.h"

FILE *file_open_cloexec(const char *path, const char *mode)
{
	int flags, fd;
	FILE *f;

	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, flags | O_CLOEXEC, 0666);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, mode);
	if (!f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

bool file_same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

const char *file_kind(const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return "a regular file";
	if (S_ISDIR(st->st_mode))
		return "a directory";
	if (S_ISLNK(st->st_mode))
		return "a symbolic link";
	if (S_ISCHR(st->st_mode))
		return "a character device";
	if (S_ISBLK(st->st_mode))
		return "a block device";
	if (S_ISFIFO(st->st_mode))
		return "a FIFO";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	return "not a regular file";
}

static int not_regular(const struct stat *st, struct error *err)
{
	if (S_ISLNK(st->st_mode))
		return error_set(err, "it is a symbolic link, and agtop never writes through one");
	return error_set(err, "it is %s, not a regular file, and agtop writes only regular files",
	                 file_kind(st));
}

/* The umask, read without changing it for good (agtop creates files from one thread). */
static mode_t current_umask(void)
{
	mode_t u = umask(077);

	umask(u);
	return u;
}

/* The directory part of path ("." when there is none). */
static bool dir_of(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return str_copy(out, size, ".");
	if (slash == path)
		return str_copy(out, size, "/");
	return str_copy_n(out, size, path, (size_t)(slash - path));
}

/* lstat of an existing target: 1 when it exists (regular), 0 when absent, -1 refused. */
static int target_state(const char *path, struct stat *st, struct error *err)
{
	if (lstat(path, st) != 0) {
		if (errno == ENOENT)
			return 0;
		return error_set(err, "%s", strerror(errno));
	}
	if (!S_ISREG(st->st_mode))
		return not_regular(st, err);
	return 1;
}

int file_replace_check(const char *path, struct error *err)
{
	char dir[4096];
	struct stat st;

	if (!*path || path[strlen(path) - 1] == '/')
		return error_set(err, "not a file name");
	if (target_state(path, &st, err) < 0)
		return -1;
	if (!dir_of(path, dir, sizeof dir))
		return error_set(err, "%s", strerror(ENAMETOOLONG));
	if (stat(dir, &st) != 0)
		return error_set(err, "%s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error_set(err, "%s", strerror(ENOTDIR));
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The temporary file beside path; -1 with err set. */
static int make_temp(const char *path, char *tmp, size_t size, struct error *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int n, fd;

	/* hidden, and not *.prom: node_exporter's textfile collector never reads it */
	n = snprintf(tmp, size, "%.*s.%s.agtop-XXXXXX", slash ? (int)(slash - path + 1) : 0, path,
	             base);
	if (n < 0 || (size_t)n >= size)
		return error_set(err, "%s", strerror(ENAMETOOLONG));
	/* O_CREAT | O_EXCL: never an existing file, never through a symlink planted there */
	fd = mkstemp(tmp);
	if (fd < 0)
		return error_set(err, "cannot create a temporary file beside it: %s",
		                 strerror(errno));
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

int file_replace(const char *path, const void *data, size_t len, struct error *err)
{
	char tmp[4200];
	struct stat old;
	int exists, fd, e;

	if (file_replace_check(path, err))
		return -1;
	exists = target_state(path, &old, err);
	if (exists < 0)
		return -1;
	fd = make_temp(path, tmp, sizeof tmp, err);
	if (fd < 0)
		return -1;
	/* readable as the old file was (node_exporter often runs as another user) */
	(void)fchmod(fd, exists ? (old.st_mode & 0777) : (0666 & ~current_umask()));
	if (exists && geteuid() == 0)
		(void)!fchown(fd, old.st_uid, old.st_gid);
	if (write_all(fd, data, len) != 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		return error_set(err, "%s", strerror(e));
	}
	if (close(fd) != 0) {
		e = errno;
		unlink(tmp);
		return error_set(err, "%s", strerror(e));
	}
	/* again: what is there now is what rename replaces */
	if (target_state(path, &old, err) < 0) {
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		return error_set(err, "%s", strerror(e));
	}
	return 0;
}

#define LOG_FLAGS (O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

int file_log_open(struct file_log *l, const char *path, struct error *err)
{
	struct stat st;
	int fd, flags;

	l->fd = -1;
	l->fresh_line = false;
	/* a link or a FIFO is named as such (open would say ELOOP, or wait for a reader); opened
	 * for reading too, as the last byte tells whether the file ends inside a line */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return not_regular(&st, err);
	fd = open(path, O_RDWR | LOG_FLAGS, 0666);
	if (fd < 0 && errno == EACCES) /* write-only: then the last byte stays unknown */
		fd = open(path, O_WRONLY | LOG_FLAGS, 0666);
	if (fd < 0)
		return error_set(err, "%s", strerror(errno));
	/* what was opened, not what the name showed a moment ago */
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return error_set(err, "%s", strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return not_regular(&st, err);
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	if (st.st_size > 0) {
		char last;
		if (pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
			l->fresh_line = true;
	}
	l->fd = fd;
	return 0;
}

int file_log_append(struct file_log *l, const void *buf, size_t len)
{
	off_t start = lseek(l->fd, 0, SEEK_END);
	int e;

	if ((!l->fresh_line || write_all(l->fd, "\n", 1) == 0) && write_all(l->fd, buf, len) == 0) {
		l->fresh_line = false;
		return 0;
	}
	/* cut back to the last whole line, so the next append (or run) continues cleanly */
	e = errno;
	if (start >= 0)
		(void)!ftruncate(l->fd, start);
	errno = e;
	return -1;
}

int file_log_stat(const struct file_log *l, struct stat *st)
{
	return fstat(l->fd, st);
}

int file_log_close(struct file_log *l)
{
	int rc = 0;

	if (l->fd >= 0)
		rc = close(l->fd);
	l->fd = -1;
	return rc;
}
