/* config.c - the settings file (config.h): read through the option table, written from it */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "optgen.h"
#include "util/str.h"

/* ---- where ---- */

bool config_default_path(options_getenv_fn env, char *buf, size_t size)
{
	const char *xdg = env("XDG_CONFIG_HOME"), *home = env("HOME");
	int n;

	/* the XDG base directory spec: a relative XDG_CONFIG_HOME is invalid and ignored */
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/agtop/agtop.conf", xdg);
	else if (home && *home)
		n = snprintf(buf, size, "%s/.config/agtop/agtop.conf", home);
	else
		return false;
	return n > 0 && (size_t)n < size;
}

/* ---- reading ---- */

static void bad_line(struct options *o, struct error *first, unsigned *bad, const char *file,
                     unsigned line, const char *msg)
{
	if (!*bad)
		error_set(first, "%s:%u: %s", file, line, msg);
	options_warn(o, "agtop: %s:%u: %s; line ignored", file, line, msg);
	(*bad)++;
}

/* Strips one pair of double quotes around a value, which keeps blanks at its ends. */
static char *unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

/* One "name = value" line (blank and comment lines are already skipped). */
static int apply_line(struct options *o, char *line, unsigned lineno, char *msg, size_t size)
{
	char *eq = strchr(line, '='), *name, *val, q[80];
	const struct opt_def *d;
	struct error err;

	if (!eq) {
		opt_quote(q, sizeof q, line);
		snprintf(msg, size, "expected name = value, got %s", q);
		return -1;
	}
	*eq = '\0';
	name = str_trim(line);
	val = unquote(str_trim(eq + 1));
	d = opt_find(name);
	if (!d) {
		opt_quote(q, sizeof q, name);
		snprintf(msg, size,
		         "unknown setting %s (the names are agtop's long options, without --)", q);
		return -1;
	}
	if (d->flags & OPTF_NO_CONFIG) {
		snprintf(msg, size, "--%s cannot be set in the config file", d->name);
		return -1;
	}
	if (opt_apply(o, d, val, &err)) {
		snprintf(msg, size, "%s: %s", name, err.msg);
		return -1;
	}
	o->set_by[d - opt_defs] = OPT_LAYER_CONFIG;
	o->config_line[d - opt_defs] = lineno;
	return 0;
}

unsigned config_apply(struct options *o, const char *text, size_t len, const char *file,
                      struct error *err)
{
	char line[CONFIG_MAX_LINE + 1], msg[400];
	unsigned lineno = 0, bad = 0;
	size_t at = 0;

	error_clear(err);
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = (nl ? (size_t)(nl - text) : len) - at;
		char *l;

		lineno++;
		if (n > CONFIG_MAX_LINE || memchr(text + at, '\0', n)) {
			bad_line(o, err, &bad, file, lineno,
			         n > CONFIG_MAX_LINE ? "line too long" : "line holds a NUL byte");
			at += n + 1;
			continue;
		}
		memcpy(line, text + at, n);
		line[n] = '\0';
		at += n + 1;
		if (n && line[n - 1] == '\r') /* written on Windows */
			line[n - 1] = '\0';
		l = str_trim(line);
		if (!*l || *l == '#')
			continue;
		if (apply_line(o, l, lineno, msg, sizeof msg))
			bad_line(o, err, &bad, file, lineno, msg);
	}
	return bad;
}

/* The file's contents (malloc'd, NUL-terminated) or NULL with errno set. Reads only a regular
 * file, without blocking on a FIFO, and at most CONFIG_MAX_BYTES. */
static char *read_config(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), e;
	struct stat st;
	char *buf = NULL;
	size_t n = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0)
		goto fail;
	errno = !S_ISREG(st.st_mode) ? EINVAL : st.st_size > CONFIG_MAX_BYTES ? EFBIG : 0;
	if (errno || !(buf = malloc(CONFIG_MAX_BYTES + 1)))
		goto fail;
	while (n < CONFIG_MAX_BYTES) {
		ssize_t r = read(fd, buf + n, CONFIG_MAX_BYTES - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	e = errno;
	free(buf);
	close(fd);
	errno = e;
	return NULL;
}

static const char *read_error(int e)
{
	return e == EINVAL ? "not a regular file" : e == EFBIG ? "larger than 1 MiB" : strerror(e);
}

int config_load(struct options *o, options_getenv_fn env, struct error *err)
{
	bool given = o->config_path[0] != '\0';
	struct error first;
	size_t len;
	char *text;

	if (o->no_config) {
		o->config_path[0] = '\0';
		return 0;
	}
	if (!given && !config_default_path(env, o->config_path, sizeof o->config_path)) {
		o->config_path[0] = '\0';
		return 0;
	}
	text = read_config(o->config_path, &len);
	if (!text) {
		int e = errno;
		if (e == ENOENT && (!given || o->write_config))
			return 0; /* no settings saved yet */
		if (given)
			return error_set(err, "agtop: error: argument --config: cannot read %s: %s",
			                 o->config_path, read_error(e));
		options_warn(o, "agtop: cannot read %s: %s; using the defaults", o->config_path,
		             read_error(e));
		return 0;
	}
	config_apply(o, text, len, o->config_path, &first);
	free(text);
	return 0;
}

/* ---- writing ---- */

/* One value on one line: quoted when blanks at its ends or a leading quote would change it. */
static int put_value(struct strbuf *b, const struct opt_def *d, const char *v, struct error *err)
{
	size_t n = strlen(v);

	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return error_set(err,
			                 "%s: a value with control characters cannot be written "
			                 "to the config file",
			                 d->name);
	if (n == 0 || v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t' ||
	    v[0] == '"')
		sb_printf(b, "\"%s\"\n", v);
	else
		sb_printf(b, "%s\n", v);
	return 0;
}

static int format_option(const struct options *o, const struct opt_def *d, struct strbuf *b,
                         struct error *err)
{
	size_t i = (size_t)(d - opt_defs);
	char val[4200];
	bool has = opt_format(o, d, val, sizeof val);

	sb_puts(b, "\n");
	optgen_wrap(b, d->help, "# ", 78);
	if (d->alias)
		sb_printf(b, "# (also accepted: %s, the original agtop's spelling)\n", d->alias);
	/* lasting settings, and whatever the file itself held, stay; this run's outputs
	 * (--record, --json, ...) are only shown */
	if ((d->flags & OPTF_SAVE) || o->config_line[i]) {
		if (!has)
			return error_set(err, "%s: no value to write", d->name);
		sb_printf(b, "%s = ", d->name);
		return put_value(b, d, val, err);
	}
	if (has && d->type != OPT_FLAG && val[0])
		sb_printf(b, "# %s = %s\n", d->name, val);
	else
		sb_printf(b, "# %s = %s\n", d->name,
		          d->metavar            ? d->metavar
		          : d->type == OPT_FLAG ? "yes"
		                                : d->choices[0]);
	return 0;
}

int config_format(const struct options *o, struct strbuf *out, struct error *err)
{
	sb_puts(out, "# agtop settings: one \"name = value\" line per long option (flags take yes "
	             "or no).\n"
	             "# The environment and the command line override them (agtop --help).\n"
	             "# Written by agtop (--write-config); comments of your own are not kept.\n");
	for (int g = 0; g < OPT_GROUP_COUNT; g++) {
		bool header = false;
		for (size_t i = 0; i < opt_count; i++) {
			const struct opt_def *d = &opt_defs[i];
			if ((int)d->group != g || (d->flags & (OPTF_NO_CONFIG | OPTF_ENV_ONLY)))
				continue;
			if (!header)
				sb_printf(out, "\n# ---- %s ----\n", opt_group_names[g]);
			header = true;
			if (format_option(o, d, out, err))
				return -1;
		}
	}
	return out->oom ? error_set(err, "out of memory") : 0;
}

/* mkdir -p for the folders above path, private as the XDG spec asks (0700). */
static int make_parents(const char *path, struct error *err)
{
	char dir[4096];

	if (!str_copy(dir, sizeof dir, path))
		return error_set(err, "%s: path too long", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return error_set(err, "cannot create %s: %s", dir, strerror(errno));
		*p = '/';
	}
	return 0;
}

/* Refuses what must not be replaced, and what would be lost; *mode: the new file's
 * permissions (an existing file's own, else 0644 less the umask: 0600 under umask 077). */
static int check_target(const char *path, mode_t *mode, struct error *err)
{
	struct options scratch;
	struct error first;
	struct stat st;
	unsigned bad;
	size_t len;
	char *old;
	mode_t mask = umask(0);

	umask(mask);
	*mode = 0644 & ~mask;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : error_set(err, "%s: %s", path, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return error_set(err,
		                 "%s is a symbolic link; agtop writes only a regular file of "
		                 "its own (name the link's target with --config)",
		                 path);
	if (!S_ISREG(st.st_mode))
		return error_set(err, "%s is not a regular file; not replaced", path);
	*mode = st.st_mode & 07777;
	old = read_config(path, &len);
	if (!old)
		return error_set(err, "cannot read %s: %s; not replaced", path, read_error(errno));
	options_init(&scratch);
	bad = config_apply(&scratch, old, len, path, &first);
	options_free(&scratch);
	free(old);
	if (bad)
		return error_set(err, "%s; fix or remove that line first (saving would lose it)",
		                 first.msg);
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int replace_file(const char *path, const struct strbuf *b, mode_t mode, struct error *err)
{
	char tmp[4200];
	const char *slash = strrchr(path, '/');
	int fd, e;

	snprintf(tmp, sizeof tmp, "%.*s.agtop.conf.XXXXXX", slash ? (int)(slash - path + 1) : 0,
	         path);
	fd = mkstemp(tmp); /* O_EXCL: never an existing file or link */
	if (fd < 0)
		return error_set(err, "cannot create a file beside %s: %s", path, strerror(errno));
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (fchmod(fd, mode) != 0 || write_all(fd, b->buf ? b->buf : "", b->len) != 0 ||
	    fsync(fd) != 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		return error_set(err, "cannot write %s: %s", tmp, strerror(e));
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		return error_set(err, "cannot replace %s: %s", path, strerror(e));
	}
	return 0;
}

int config_write(const struct options *o, const char *path, struct error *err)
{
	struct strbuf b;
	mode_t mode;
	int rc;

	sb_init(&b);
	rc = config_format(o, &b, err);
	if (rc == 0)
		rc = make_parents(path, err);
	if (rc == 0)
		rc = check_target(path, &mode, err);
	if (rc == 0)
		rc = replace_file(path, &b, mode, err);
	sb_free(&b);
	return rc;
}

int config_save(const struct options *o, struct error *err)
{
	if (!o->config_path[0])
		return error_set(err, o->no_config ? "no config file: agtop runs with --no-config"
		                                   : "no config file: neither XDG_CONFIG_HOME nor "
		                                     "HOME is set");
	return config_write(o, o->config_path, err);
}
