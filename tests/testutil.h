/* testutil.h - helpers shared by the cmocka suites */
#ifndef AGTOP_TESTUTIL_H
#define AGTOP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka needs the headers above first */
#include <cmocka.h>

/* Path of a file or folder under tests/data (the captures the tests read, with their sources in
 * tests/data/README.md). Fails the test when it is missing: nothing is ever skipped for lack of
 * data. */
const char *data_path(const char *rel);

/* A fresh temporary directory (removed by tmp_cleanup). */
char *tmp_dir(void);
void tmp_cleanup(const char *dir);
/* Writes a file (creating parent directories); returns 0. */
int write_file(const char *dir, const char *rel, const char *content);
int write_file_n(const char *dir, const char *rel, const char *data, size_t len);
/* Reads a whole file (malloc'd, NUL-terminated) or NULL. */
char *read_file(const char *path, size_t *len);

struct cmd_result {
	int status;      /* exit code, or 128+signal */
	char *out, *err; /* malloc'd */
};
/* Runs argv (argv[0] is a path) with extra environment entries ("K=V", NULL-ended, may be NULL)
 * and stdin from the given text (NULL: /dev/null). */
int run_cmd(char *const argv[], char *const env[], const char *input, struct cmd_result *r);
void cmd_result_free(struct cmd_result *r);

/* Counts lines in s. */
size_t count_lines(const char *s);

struct sample;
/* Line `index` (0 = first) of the recording tests/data/NAME, read into s (fails the test when it
 * cannot). */
void load_recorded_sample(const char *name, unsigned index, struct sample *s);

/* The first line of the recording tests/data/NAME (with its newline), with the first `find` in it
 * replaced by `replace`; malloc'd. Fails the test when there is no `find`. */
char *recorded_line_with(const char *name, const char *find, const char *replace);

/* The cluster of that name in s (fails the test when there is none). */
const struct sample_cluster *sample_cluster_named(const struct sample *s, const char *name);

/* ---- HTTP over TCP, for the endpoint tests ---- */

/* A connected socket to host:port with 10 s send/receive timeouts, or -1. */
int tcp_connect(const char *host, int port);
/* Sends all of s; false when the peer closed or a timeout passed. */
bool send_str(int fd, const char *s);

struct http_resp {
	int status;       /* 0: no status line (closed or timed out first) */
	char head[16384]; /* status line and headers */
	char *body;       /* malloc'd, NUL-terminated */
	size_t body_len;
};
/* Reads one response from fd: the body by Content-Length, else up to the close; none for a
 * HEAD request. Returns 0, or -1 when the connection ended (closed, reset, timed out) before a
 * complete response. */
int http_read(int fd, bool head_request, struct http_resp *r);
/* Connects, sends a raw request, reads the response, closes. */
int http_request(const char *host, int port, const char *raw, struct http_resp *r);
void http_resp_free(struct http_resp *r);
/* A header's value (case-insensitive name) copied into out, or NULL. */
const char *http_header(const struct http_resp *r, const char *name, char *out, size_t size);

#endif
