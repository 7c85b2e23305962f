#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "export/json.h"
#include "sample.h"

extern char **environ;

const char *data_path(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int slot;
	char *p = buf[slot++ % 4];
	struct stat st;

	snprintf(p, PATH_MAX, "%s/%s", AGTOP_TEST_DATA, rel);
	if (stat(p, &st) != 0)
		fail_msg("%s is missing: the tests carry their own data in tests/data (see its "
		         "README.md)",
		         p);
	return p;
}

char *tmp_dir(void)
{
	char tmpl[] = "/tmp/agtop-test-XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	chmod(path, 0700);
	return remove(path);
}

void tmp_cleanup(const char *dir)
{
	if (dir && strncmp(dir, "/tmp/agtop-test-", 16) == 0)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
}

int write_file_n(const char *dir, const char *rel, const char *data, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	mkdirs(path);
	f = fopen(path, "w");
	if (!f)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

int write_file(const char *dir, const char *rel, const char *content)
{
	return write_file_n(dir, rel, content, strlen(content));
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
	*buf = realloc(*buf, *len + n + 1);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

int run_cmd(char *const argv[], char *const env[], const char *input, struct cmd_result *r)
{
	int out[2], err[2], in[2], status;
	struct pollfd p[2];
	size_t len[2] = { 0, 0 };
	char **buf[2] = { &r->out, &r->err };
	pid_t pid;

	memset(r, 0, sizeof *r);
	r->out = calloc(1, 1);
	r->err = calloc(1, 1);
	if (pipe(out) || pipe(err) || pipe(in))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(in[1]);
		close(out[0]);
		close(err[0]);
		for (char *const *e = env; e && *e; e++)
			putenv(*e);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (input) {
		const char *q = input;
		size_t left = strlen(input);
		signal(SIGPIPE, SIG_IGN);
		while (left > 0) {
			ssize_t w = write(in[1], q, left);
			if (w <= 0)
				break;
			q += w;
			left -= (size_t)w;
		}
	}
	close(in[1]);
	p[0] = (struct pollfd){ out[0], POLLIN, 0 };
	p[1] = (struct pollfd){ err[0], POLLIN, 0 };
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			char tmp[4096];
			ssize_t n;
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			n = read(p[i].fd, tmp, sizeof tmp);
			if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
			} else {
				append(buf[i], &len[i], tmp, (size_t)n);
			}
		}
	}
	waitpid(pid, &status, 0);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

char *recorded_line_with(const char *name, const char *find, const char *replace)
{
	char *text = read_file(data_path(name), NULL), *nl, *at, *out;
	size_t head, flen = strlen(find), rlen = strlen(replace), rest;

	if (!text)
		fail_msg("cannot read %s", name);
	nl = strchr(text, '\n');
	if (nl)
		nl[1] = '\0';
	at = strstr(text, find);
	if (!at)
		fail_msg("%s: no %s in its first line", name, find);
	head = (size_t)(at - text);
	rest = strlen(at + flen);
	out = malloc(head + rlen + rest + 1);
	memcpy(out, text, head);
	memcpy(out + head, replace, rlen);
	memcpy(out + head + rlen, at + flen, rest + 1);
	free(text);
	return out;
}

void cmd_result_free(struct cmd_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s == '\n')
			n++;
	return n;
}

void load_recorded_sample(const char *name, unsigned index, struct sample *s)
{
	char path[PATH_MAX];
	struct error err;
	size_t len;
	char *text, *line;

	snprintf(path, sizeof path, "%s/tests/data/%s", AGTOP_SOURCE_DIR, name);
	text = read_file(path, &len);
	assert_non_null(text);
	line = text;
	for (unsigned i = 0; i < index && line; i++) {
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	assert_non_null(line);
	assert_true(*line != '\0');
	sample_reset(s);
	if (json_read_sample(line, strcspn(line, "\n"), s, &err))
		fail_msg("%s line %u: %s", name, index + 1, err.msg);
	free(text);
}

const struct sample_cluster *sample_cluster_named(const struct sample *s, const char *name)
{
	for (unsigned i = 0; i < s->nclusters; i++)
		if (!strcmp(s->clusters[i].name, name))
			return &s->clusters[i];
	fail_msg("no cluster %s", name);
	return NULL;
}

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: SIGPIPE is ignored by the tests that send */
#endif

int tcp_connect(const char *host, int port)
{
	struct addrinfo hints, *res, *ai;
	struct timeval tv = { 10, 0 };
	char ps[16];
	int fd = -1;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(ps, sizeof ps, "%d", port);
	if (getaddrinfo(host, ps, &hints, &res) != 0)
		return -1;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

bool send_str(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return false;
		}
		s += w;
		n -= (size_t)w;
	}
	return true;
}

const char *http_header(const struct http_resp *r, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);

	for (const char *p = strstr(r->head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (!strncasecmp(line, name, nl) && line[nl] == ':') {
			const char *v = line + nl + 1, *e = strstr(v, "\r\n");
			size_t n;
			while (*v == ' ')
				v++;
			n = e ? (size_t)(e - v) : strlen(v);
			if (n >= size)
				n = size - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return out;
		}
	}
	return NULL;
}

int http_read(int fd, bool head_request, struct http_resp *r)
{
	char *buf = NULL, cl[32];
	size_t len = 0, hl;
	const char *end;
	long want = -1;

	memset(r, 0, sizeof *r);
	for (;;) {
		char chunk[4096];
		ssize_t n;

		buf = realloc(buf, len + 1);
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (end)
			break;
		n = recv(fd, chunk, sizeof chunk, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return -1;
		}
		append(&buf, &len, chunk, (size_t)n);
	}
	hl = (size_t)(end - buf) + 4;
	snprintf(r->head, sizeof r->head, "%.*s", (int)(hl - 4), buf);
	if (sscanf(buf, "HTTP/%*d.%*d %d", &r->status) != 1)
		r->status = 0;
	if (http_header(r, "Content-Length", cl, sizeof cl))
		want = strtol(cl, NULL, 10);
	if (head_request)
		want = 0;
	for (;;) {
		char chunk[4096];
		ssize_t n;

		if (want >= 0 && len - hl >= (size_t)want)
			break;
		n = recv(fd, chunk, sizeof chunk, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (want < 0 && n == 0)
				break; /* no Content-Length: the body ends at the close */
			free(buf);
			return -1;
		}
		append(&buf, &len, chunk, (size_t)n);
	}
	r->body_len = want >= 0 ? (size_t)want : len - hl;
	r->body = malloc(r->body_len + 1);
	memcpy(r->body, buf + hl, r->body_len);
	r->body[r->body_len] = '\0';
	free(buf);
	return 0;
}

int http_request(const char *host, int port, const char *raw, struct http_resp *r)
{
	int fd = tcp_connect(host, port), rc;

	memset(r, 0, sizeof *r);
	if (fd < 0)
		return -1;
	if (!send_str(fd, raw)) {
		close(fd);
		return -1;
	}
	rc = http_read(fd, !strncmp(raw, "HEAD ", 5), r);
	close(fd);
	return rc;
}

void http_resp_free(struct http_resp *r)
{
	free(r->body);
	r->body = NULL;
}
