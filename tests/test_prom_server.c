/* test_prom_server.c - the real binary's endpoint, scraped by a real Prometheus server.
 *
 * binary:     `agtop --replay … --headless --prometheus 127.0.0.1:0` prints where it listens,
 *             serves each replayed sample, keeps serving the last one after the recording ends,
 *             answers correctly after malformed, oversized and slow requests, exits 143 on
 *             SIGTERM.
 * prometheus: a Prometheus server on loopback scrapes agtop every 100 ms while it replays a
 *             recording at twice its pace; then its HTTP API must hold, for every scrape, exactly
 *             the series of the sample served then, with the same values. Needs the
 *             `prometheus` program (Debian package prometheus; $AGTOP_PROMETHEUS names another);
 *             skipped without it, a failure with AGTOP_REQUIRE_PROMETHEUS=1 (CI). */
#include "testutil.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "export/prometheus.h"
#include "sample.h"
#include "util/clock.h"

#define RECORDING "apple_m1ultra.jsonl" /* two dies: die labels, many rails */
#define NSAMPLES  10
#define PROCESSES 3

/* children to stop whatever happens (a failed assertion jumps past the test's own cleanup) */
static pid_t children[2];
static char *tmp;

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++)
		if (children[i] > 0) {
			kill(children[i], SIGKILL);
			waitpid(children[i], NULL, 0);
			children[i] = 0;
		}
	if (tmp) {
		tmp_cleanup(tmp);
		free(tmp);
		tmp = NULL;
	}
	return 0;
}

/* Starts argv with stderr on a pipe (returned in *errfd) and stdout to /dev/null. */
static pid_t spawn(char *const argv[], int *errfd)
{
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(p[1], 2);
		close(p[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	*errfd = p[0];
	return pid;
}

/* Reads fd into *text until it holds `needle` or `seconds` pass; the needle's position. */
static const char *wait_text(int fd, char *text, size_t size, const char *needle, double seconds)
{
	double end = clock_mono() + seconds;
	size_t len = strlen(text);

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		const char *hit = strstr(text, needle);
		ssize_t n;

		if (hit)
			return hit;
		if (clock_mono() > end || len + 1 >= size)
			return NULL;
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fd, text + len, size - len - 1);
		if (n <= 0 && !(n < 0 && errno == EAGAIN))
			return NULL;
		if (n > 0) {
			len += (size_t)n;
			text[len] = '\0';
		}
	}
}

/* A free loopback port (bound, read, released). */
static int free_port(void)
{
	struct sockaddr_in a = { 0 };
	socklen_t l = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int exit_status(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- expositions as series → value ---- */

struct series {
	char *key; /* name{label=value,...} with labels sorted, empty values dropped (as stored) */
	double v;
};
struct expo {
	struct series *s;
	size_t n;
	double time; /* agtop_sample_timestamp_seconds */
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* name and label pairs ("k=v" strings, consumed) as one key */
static char *make_key(const char *name, char **pairs, size_t n)
{
	struct strbuf b;

	qsort(pairs, n, sizeof *pairs, cmp_str);
	sb_init(&b);
	sb_puts(&b, name);
	sb_putc(&b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(&b, ',');
		sb_puts(&b, pairs[i]);
		free(pairs[i]);
	}
	sb_putc(&b, '}');
	return b.buf;
}

static char *pair(const char *k, const char *v)
{
	char *p = malloc(strlen(k) + strlen(v) + 2);

	sprintf(p, "%s=%s", k, v);
	return p;
}

/* Parses a text-format exposition (as agtop writes it). */
static void parse_expo(const char *text, struct expo *e)
{
	memset(e, 0, sizeof *e);
	e->time = NAN;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n'), *q = p;
		char name[128], *pairs[16], *vend;
		size_t n = 0, nn = 0;

		assert_non_null(nl);
		if (*p == '#') {
			p = nl + 1;
			continue;
		}
		while (q < nl && *q != '{' && *q != ' ')
			name[nn++] = *q++;
		name[nn] = '\0';
		if (*q == '{') {
			q++;
			while (*q != '}') {
				char k[64], v[512];
				size_t kn = 0, vn = 0;
				while (*q != '=')
					k[kn++] = *q++;
				k[kn] = '\0';
				q += 2; /* =" */
				while (*q != '"') {
					if (*q == '\\') {
						q++;
						v[vn++] = *q == 'n' ? '\n' : *q;
					} else {
						v[vn++] = *q;
					}
					q++;
				}
				v[vn] = '\0';
				q++;
				if (*q == ',')
					q++;
				assert_true(n < 16);
				if (vn) /* Prometheus stores an empty label as no label */
					pairs[n++] = pair(k, v);
			}
			q++;
		}
		assert_true(*q == ' ');
		e->s = realloc(e->s, (e->n + 1) * sizeof *e->s);
		e->s[e->n].key = make_key(name, pairs, n);
		e->s[e->n].v = strtod(q + 1, &vend);
		assert_true(vend == nl);
		if (!strcmp(name, "agtop_sample_timestamp_seconds"))
			e->time = e->s[e->n].v;
		e->n++;
		p = nl + 1;
	}
}

static void expo_free(struct expo *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->s[i].key);
	free(e->s);
}

static const struct series *expo_find(const struct expo *e, const char *key)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->s[i].key, key))
			return &e->s[i];
	return NULL;
}

/* What agtop serves for line i of the recording, and the recording's first NSAMPLES lines. */
static void expected(struct expo exp[NSAMPLES], struct strbuf text[NSAMPLES])
{
	struct sample s;
	struct prom_opts po = { PROM_TEXT, PROCESSES };

	sample_init(&s);
	for (unsigned i = 0; i < NSAMPLES; i++) {
		load_recorded_sample(RECORDING, i, &s);
		sb_init(&text[i]);
		prom_write(&text[i], &s, &po);
		parse_expo(text[i].buf, &exp[i]);
		/* straight from the sample, not through the writer */
		assert_true(exp[i].time == s.time);
		assert_true(expo_find(&exp[i], "agtop_samples_total{}")->v == (double)s.seq);
		assert_true(expo_find(&exp[i], "agtop_cpu_utilization_all_ratio{}")->v ==
		            s.cpu_util);
	}
	sample_free(&s);
	for (unsigned i = 1; i < NSAMPLES; i++)
		assert_true(exp[i].time > exp[i - 1].time);
}

static void expected_free(struct expo exp[NSAMPLES], struct strbuf text[NSAMPLES])
{
	for (unsigned i = 0; i < NSAMPLES; i++) {
		expo_free(&exp[i]);
		sb_free(&text[i]);
	}
}

static char *write_replay(void)
{
	char path[4096], *all, *cut;
	size_t len;
	const char *p;
	unsigned lines = 0;

	snprintf(path, sizeof path, "%s/tests/data/%s", AGTOP_SOURCE_DIR, RECORDING);
	all = read_file(path, &len);
	assert_non_null(all);
	for (p = all; lines < NSAMPLES; p++) {
		p = strchr(p, '\n');
		assert_non_null(p);
		lines++;
	}
	cut = strndup(all, (size_t)(p - all));
	assert_int_equal(write_file(tmp, "replay.jsonl", cut), 0);
	free(cut);
	free(all);
	snprintf(path, sizeof path, "%s/replay.jsonl", tmp);
	return strdup(path);
}

/* Starts agtop on the replay; its port from what it prints. */
static int start_agtop(const char *replay, const char *listen, const char *speed, int *errfd,
                       char *err, size_t errsize)
{
	char *argv[] = { AGTOP_BINARY,
		         "--replay",
		         (char *)replay,
		         "--replay-speed",
		         (char *)speed,
		         "--headless",
		         "--prometheus",
		         (char *)listen,
		         "--prometheus-processes",
		         "3",
		         NULL };
	const char *at;

	children[0] = spawn(argv, errfd);
	at = wait_text(*errfd, err, errsize, "agtop: serving metrics on http://127.0.0.1:", 20);
	if (!at)
		fail_msg("agtop did not start serving: %s", err);
	return atoi(at + strlen("agtop: serving metrics on http://127.0.0.1:"));
}

/* Malformed, oversized and slow requests; returns the slow connection (still open). */
static int abuse(int port)
{
	static const char *const bad[] = { "GARBAGE\r\n\r\n", "GET\r\n\r\n", "\x01\x02\xff\r\n\r\n",
		                           "DELETE /metrics HTTP/1.1\r\nHost: t\r\n\r\n",
		                           "GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n" };
	size_t big = 256 * 1024;
	char *raw = malloc(big + 64);
	struct http_resp r;
	int slow;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (http_request("127.0.0.1", port, bad[i], &r) == 0)
			assert_true(r.status >= 400 && r.status < 500);
		http_resp_free(&r);
	}
	{
		size_t n = (size_t)sprintf(raw, "GET /metrics HTTP/1.1\r\nHost: t\r\nX: ");
		memset(raw + n, 'x', big);
		strcpy(raw + n + big, "\r\n\r\n");
	}
	if (http_request("127.0.0.1", port, raw, &r) == 0)
		assert_true(r.status == 431 || r.status == 413);
	http_resp_free(&r);
	free(raw);
	slow = tcp_connect("127.0.0.1", port);
	assert_true(slow >= 0);
	assert_true(send_str(slow, "GET /metrics HTTP/1.1\r\nHo"));
	return slow;
}

static void expect_served(int port, const struct strbuf *text)
{
	struct http_resp r;

	assert_int_equal(
	    http_request("127.0.0.1", port, "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n", &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, text->len);
	assert_memory_equal(r.body, text->buf, text->len);
	http_resp_free(&r);
}

/* The binary alone: serves, outlives the recording, survives bad clients, stops on SIGTERM. */
static void test_binary(void **state)
{
	struct expo exp[NSAMPLES];
	struct strbuf text[NSAMPLES];
	char err[8192] = "", *replay;
	int errfd, port, slow;

	(void)state;
	tmp = tmp_dir();
	expected(exp, text);
	replay = write_replay();
	port = start_agtop(replay, "127.0.0.1:0", "0", &errfd, err, sizeof err);
	assert_non_null(wait_text(errfd, err, sizeof err,
	                          "agtop: no more samples after 10; serving the last one on", 20));
	expect_served(port, &text[NSAMPLES - 1]);
	slow = abuse(port);
	expect_served(port, &text[NSAMPLES - 1]);
	/* a second agtop on the same port: a clear error at start, exit 1 */
	{
		char listen[32], *argv[] = { AGTOP_BINARY,   "--replay", replay, "--headless",
			                     "--prometheus", listen,     NULL };
		struct cmd_result r;
		snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
		assert_int_equal(run_cmd(argv, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 1);
		assert_non_null(strstr(r.err, "the port is in use"));
		cmd_result_free(&r);
	}
	kill(children[0], SIGTERM);
	assert_int_equal(exit_status(children[0]), 143);
	children[0] = 0;
	close(slow);
	close(errfd);
	expected_free(exp, text);
	free(replay);
}

/* ---- Prometheus' HTTP API ---- */

static json_t *prom_query(int port, const char *query)
{
	char raw[2048], enc[1024];
	size_t o = 0;
	struct http_resp r;
	json_error_t je;
	json_t *j;

	for (const unsigned char *q = (const unsigned char *)query; *q; q++)
		o += (size_t)snprintf(enc + o, sizeof enc - o,
		                      (isalnum(*q) || strchr("-_.~", *q)) ? "%c" : "%%%02X", *q);
	snprintf(raw, sizeof raw, "GET /api/v1/query?query=%s HTTP/1.0\r\n\r\n", enc);
	if (http_request("127.0.0.1", port, raw, &r) || r.status != 200) {
		http_resp_free(&r);
		return NULL;
	}
	j = json_loads(r.body, 0, &je);
	http_resp_free(&r);
	if (!j || strcmp(json_string_value(json_object_get(j, "status")), "success") != 0)
		fail_msg("prometheus answered %s", j ? "an error" : je.text);
	return j;
}

static json_t *result(json_t *j)
{
	return json_object_get(json_object_get(j, "data"), "result");
}

/* The value of a one-series instant query, NAN when there is none yet. */
static double instant(int port, const char *query)
{
	json_t *j = prom_query(port, query), *res;
	double v = NAN;

	if (!j)
		return NAN;
	res = result(j);
	if (json_array_size(res) == 1)
		v = strtod(json_string_value(
		               json_array_get(json_object_get(json_array_get(res, 0), "value"), 1)),
		           NULL);
	json_decref(j);
	return v;
}

static char *stored_key(json_t *metric)
{
	const char *k, *name = json_string_value(json_object_get(metric, "__name__"));
	char *pairs[16];
	size_t n = 0;
	json_t *v;

	json_object_foreach(metric, k, v)
	{
		if (!strcmp(k, "__name__") || !strcmp(k, "job") || !strcmp(k, "instance"))
			continue;
		assert_true(n < 16);
		pairs[n++] = pair(k, json_string_value(v));
	}
	return make_key(name, pairs, n);
}

static bool same_value(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

static const char *find_prometheus(void)
{
	static char path[4096];
	const char *env = getenv("AGTOP_PROMETHEUS"), *p = getenv("PATH");

	if (env && *env)
		return env;
	while (p && *p) {
		size_t n = strcspn(p, ":");
		snprintf(path, sizeof path, "%.*s/prometheus", (int)n, p);
		if (access(path, X_OK) == 0)
			return path;
		p += n + (p[n] == ':');
	}
	return NULL;
}

static void test_prometheus(void **state)
{
	const char *prom = find_prometheus();
	struct expo exp[NSAMPLES];
	struct strbuf text[NSAMPLES];
	char err[8192] = "", perr[16384] = "", cfg[512], listen[64], *replay;
	char a_cfg[4200], a_tsdb[4200], a_web[64];
	int errfd, perrfd, pport, aport, slow, scrapes = 0;
	bool seen[NSAMPLES] = { false };
	json_t *j, *res;
	size_t idx;
	json_t *ser;
	struct {
		double ts;
		int k;
		size_t points;
	} scrape[1000];
	double t0;

	(void)state;
	if (!prom) {
		const char *req = getenv("AGTOP_REQUIRE_PROMETHEUS");
		if (req && !strcmp(req, "1"))
			fail_msg("no prometheus program (Debian package prometheus, or set "
			         "AGTOP_PROMETHEUS)");
		print_message("skipped: no prometheus program (Debian package prometheus)\n");
		skip();
	}
	tmp = tmp_dir();
	expected(exp, text);
	replay = write_replay();

	/* Prometheus first, scraping a port where agtop is not yet: its first scrape (up=0)
	 * shows the target is live, so agtop's first sample cannot be missed */
	aport = free_port();
	pport = free_port();
	snprintf(cfg, sizeof cfg,
	         "global:\n  scrape_interval: 100ms\n  scrape_timeout: 100ms\n"
	         "scrape_configs:\n  - job_name: agtop\n    static_configs:\n"
	         "      - targets: ['127.0.0.1:%d']\n",
	         aport);
	assert_int_equal(write_file(tmp, "prometheus.yml", cfg), 0);
	snprintf(a_cfg, sizeof a_cfg, "--config.file=%s/prometheus.yml", tmp);
	snprintf(a_tsdb, sizeof a_tsdb, "--storage.tsdb.path=%s/tsdb", tmp);
	snprintf(a_web, sizeof a_web, "--web.listen-address=127.0.0.1:%d", pport);
	{
		char *argv[] = { (char *)prom, a_cfg, a_tsdb, a_web, "--log.level=warn", NULL };
		children[1] = spawn(argv, &perrfd);
	}
	t0 = clock_mono();
	while (isnan(instant(pport, "up{job=\"agtop\"}"))) {
		if (clock_mono() - t0 > 60) {
			wait_text(perrfd, perr, sizeof perr, "\x01", 0.1);
			fail_msg("prometheus did not scrape within 60 s: %s", perr);
		}
		usleep(100000);
	}
	print_message("prometheus scraping after %.1f s\n", clock_mono() - t0);

	/* agtop replays 10 samples, one every 0.5 s, then serves the last one */
	snprintf(listen, sizeof listen, "127.0.0.1:%d", aport);
	assert_int_equal(start_agtop(replay, listen, "2", &errfd, err, sizeof err), aport);
	assert_non_null(wait_text(errfd, err, sizeof err, "no more samples after 10", 30));
	/* until Prometheus holds the last one */
	t0 = clock_mono();
	while (instant(pport, "agtop_samples_total") != 10) {
		assert_true(clock_mono() - t0 < 30);
		usleep(100000);
	}

	/* bad clients, and the endpoint still right; Prometheus keeps scraping */
	slow = abuse(aport);
	expect_served(aport, &text[NSAMPLES - 1]);
	usleep(500000);
	assert_true(instant(pport, "up{job=\"agtop\"}") == 1);
	assert_true(instant(pport, "min_over_time(up{job=\"agtop\"}[300ms])") == 1);
	close(slow);

	/* every stored point: the sample served at that scrape, series for series */
	j = prom_query(pport, "agtop_sample_timestamp_seconds[5m]");
	res = result(j);
	assert_int_equal(json_array_size(res), 1);
	json_array_foreach(json_object_get(json_array_get(res, 0), "values"), idx, ser)
	{
		double ts = json_number_value(json_array_get(ser, 0));
		double t = strtod(json_string_value(json_array_get(ser, 1)), NULL);
		int k = -1;

		for (int i = 0; i < NSAMPLES; i++)
			if (exp[i].time == t)
				k = i;
		if (k < 0)
			fail_msg("stored timestamp %.17g is no replayed sample's", t);
		assert_true(scrapes < 1000);
		scrape[scrapes].ts = ts;
		scrape[scrapes].k = k;
		scrape[scrapes].points = 0;
		scrapes++;
		seen[k] = true;
	}
	json_decref(j);
	j = prom_query(pport, "{__name__=~\"agtop_.+\"}[5m]");
	res = result(j);
	json_array_foreach(res, idx, ser)
	{
		char *key = stored_key(json_object_get(ser, "metric"));
		size_t pi;
		json_t *pt;

		json_array_foreach(json_object_get(ser, "values"), pi, pt)
		{
			double ts = json_number_value(json_array_get(pt, 0));
			double v = strtod(json_string_value(json_array_get(pt, 1)), NULL);
			const struct series *want;
			int s = -1;

			for (int i = 0; i < scrapes; i++)
				if (scrape[i].ts == ts)
					s = i;
			if (s < 0)
				fail_msg("%s stored at %.3f, a time without agtop's timestamp", key,
				         ts);
			want = expo_find(&exp[scrape[s].k], key);
			if (!want)
				fail_msg("%s stored, but sample %d has no such series", key,
				         scrape[s].k + 1);
			if (!same_value(want->v, v))
				fail_msg("%s: stored %.17g, agtop had %.17g (sample %d)", key, v,
				         want->v, scrape[s].k + 1);
			scrape[s].points++;
		}
		free(key);
	}
	json_decref(j);
	/* and nothing missing: each scrape stored every series of its sample */
	for (int i = 0; i < scrapes; i++)
		if (scrape[i].points != exp[scrape[i].k].n)
			fail_msg("scrape at %.3f stored %zu series, sample %d has %zu",
			         scrape[i].ts, scrape[i].points, scrape[i].k + 1,
			         exp[scrape[i].k].n);
	for (int i = 0; i < NSAMPLES; i++)
		if (!seen[i])
			fail_msg("sample %d was never scraped (%d scrapes)", i + 1, scrapes);
	print_message("prometheus stored %d scrapes of %d samples (%zu to %zu series each), all "
	              "equal to agtop's\n",
	              scrapes, NSAMPLES, exp[0].n, exp[NSAMPLES - 1].n);

	kill(children[0], SIGTERM);
	assert_int_equal(exit_status(children[0]), 143);
	children[0] = 0;
	kill(children[1], SIGTERM);
	exit_status(children[1]);
	children[1] = 0;
	close(errfd);
	close(perrfd);
	expected_free(exp, text);
	free(replay);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_binary, teardown),
		cmocka_unit_test_teardown(test_prometheus, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
