/* test_http.c - the --prometheus endpoint in process, over real loopback sockets: content
 * negotiation, what each method and path gets, the published sample byte for byte, keep-alive,
 * and bad clients (malformed, oversized, slow, trickling, hundreds at once) with the endpoint
 * still answering correctly meanwhile and afterwards; bind errors; publishing while scrapes run. */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "export/http.h"
#include "export/prometheus.h"
#include "sample.h"

static const char get_metrics[] = "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n";
static const char prometheus_accept[] =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

static void test_negotiate(void **state)
{
	(void)state;
	assert_int_equal(http_negotiate(NULL), HTTP_TEXT);
	assert_int_equal(http_negotiate(""), HTTP_TEXT);
	assert_int_equal(http_negotiate("*/*"), HTTP_TEXT);
	assert_int_equal(http_negotiate("text/plain;version=0.0.4"), HTTP_TEXT);
	/* what Prometheus 2.x sends */
	assert_int_equal(http_negotiate(prometheus_accept), HTTP_OPENMETRICS_1_0);
	/* Prometheus 2.5-2.4x asked for 0.0.1 only */
	assert_int_equal(http_negotiate("application/openmetrics-text; version=0.0.1,text/plain;"
	                                "version=0.0.4;q=0.5,*/*;q=0.1"),
	                 HTTP_OPENMETRICS_0_0_1);
	assert_int_equal(http_negotiate("application/openmetrics-text"), HTTP_OPENMETRICS_1_0);
	assert_int_equal(http_negotiate("Application/OpenMetrics-Text ; Version=\"1.0.0\""),
	                 HTTP_OPENMETRICS_1_0);
	/* text preferred, refused, or equal */
	assert_int_equal(http_negotiate("application/openmetrics-text;q=0.2,text/plain"),
	                 HTTP_TEXT);
	assert_int_equal(http_negotiate("application/openmetrics-text;q=0"), HTTP_TEXT);
	assert_int_equal(http_negotiate("text/plain;q=0.5,application/openmetrics-text;q=0.5"),
	                 HTTP_OPENMETRICS_1_0);
	/* a bad quality is ignored, not trusted */
	assert_int_equal(http_negotiate("application/openmetrics-text;q=abc,text/plain;q=0.1"),
	                 HTTP_TEXT);
	assert_int_equal(http_negotiate("application/openmetrics-text;q=7"), HTTP_TEXT);
	assert_int_equal(http_negotiate(",,;;=,application/openmetrics-text;;q=1;"),
	                 HTTP_OPENMETRICS_1_0);
	assert_string_equal(http_content_type(HTTP_TEXT),
	                    "text/plain; version=0.0.4; charset=utf-8");
	assert_string_equal(http_content_type(HTTP_OPENMETRICS_1_0),
	                    "application/openmetrics-text; version=1.0.0; charset=utf-8");
}

static void render(const struct sample *s, enum prom_format f, struct strbuf *b)
{
	struct prom_opts o = { f, 3 };

	sb_init(b);
	prom_write(b, s, &o);
	assert_false(b->oom);
}

struct fixture {
	struct http_server *h;
	int port;
	struct sample s[2];
	struct strbuf text[2], om[2];
};

static struct fixture *start(const struct http_limits *l)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct http_limits def;
	struct error err;

	for (int i = 0; i < 2; i++) {
		sample_init(&f->s[i]);
		load_recorded_sample("apple_m4max.jsonl", (unsigned)i, &f->s[i]);
		render(&f->s[i], PROM_TEXT, &f->text[i]);
		render(&f->s[i], PROM_OPENMETRICS, &f->om[i]);
	}
	/* the two samples differ, so a body shows which one was served */
	assert_true(strcmp(f->text[0].buf, f->text[1].buf) != 0);
	http_limits_default(&def);
	if (http_start(&f->h, "127.0.0.1", 0, l ? l : &def, 3, 1.5, &err))
		fail_msg("%s", err.msg);
	f->port = http_port(f->h);
	assert_true(f->port > 0);
	return f;
}

static void stop(struct fixture *f)
{
	http_stop(f->h);
	for (int i = 0; i < 2; i++) {
		sample_free(&f->s[i]);
		sb_free(&f->text[i]);
		sb_free(&f->om[i]);
	}
	free(f);
}

static void publish(struct fixture *f, int i)
{
	struct error err;

	if (http_publish(f->h, &f->s[i], &err))
		fail_msg("%s", err.msg);
}

/* One request on a fresh connection; its status (0 when none came). */
static int status_of(struct fixture *f, const char *raw, struct http_resp *r)
{
	if (http_request("127.0.0.1", f->port, raw, r))
		return 0;
	return r->status;
}

static void expect_metrics(struct fixture *f, int i)
{
	struct http_resp r;
	char v[128];

	assert_int_equal(status_of(f, get_metrics, &r), 200);
	assert_non_null(http_header(&r, "Content-Type", v, sizeof v));
	assert_string_equal(v, "text/plain; version=0.0.4; charset=utf-8");
	assert_int_equal(r.body_len, f->text[i].len);
	assert_memory_equal(r.body, f->text[i].buf, r.body_len);
	http_resp_free(&r);
}

static void test_serves_the_published_sample(void **state)
{
	struct fixture *f = start(NULL);
	struct http_resp r;
	char v[256], raw[1024];

	(void)state;
	snprintf(v, sizeof v, "http://127.0.0.1:%d/metrics", f->port);
	assert_string_equal(http_url(f->h), v);

	/* before the first sample: 503, and when to come back */
	assert_int_equal(status_of(f, get_metrics, &r), 503);
	assert_non_null(http_header(&r, "Retry-After", v, sizeof v));
	assert_string_equal(v, "2");
	assert_non_null(strstr(r.body, "first sample"));
	http_resp_free(&r);

	publish(f, 0);
	expect_metrics(f, 0);
	publish(f, 1);
	expect_metrics(f, 1);

	/* OpenMetrics for Prometheus' own Accept header */
	snprintf(raw, sizeof raw, "GET /metrics HTTP/1.1\r\nHost: t\r\nAccept: %s\r\n\r\n",
	         prometheus_accept);
	assert_int_equal(status_of(f, raw, &r), 200);
	http_header(&r, "Content-Type", v, sizeof v);
	assert_string_equal(v, "application/openmetrics-text; version=1.0.0; charset=utf-8");
	assert_int_equal(r.body_len, f->om[1].len);
	assert_memory_equal(r.body, f->om[1].buf, r.body_len);
	assert_non_null(strstr(r.body, "\n# EOF\n"));
	http_resp_free(&r);

	/* HEAD: the same headers, no body */
	assert_int_equal(status_of(f, "HEAD /metrics HTTP/1.1\r\nHost: t\r\n\r\n", &r), 200);
	http_header(&r, "Content-Length", v, sizeof v);
	assert_int_equal(strtol(v, NULL, 10), (long)f->text[1].len);
	http_resp_free(&r);

	/* a query string does not change the resource; HTTP/1.0 is served too */
	assert_int_equal(status_of(f, "GET /metrics?x=1 HTTP/1.0\r\n\r\n", &r), 200);
	assert_int_equal(r.body_len, f->text[1].len);
	http_resp_free(&r);

	/* the index page links to /metrics */
	assert_int_equal(status_of(f, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", &r), 200);
	http_header(&r, "Content-Type", v, sizeof v);
	assert_string_equal(v, "text/html; charset=utf-8");
	assert_non_null(strstr(r.body, "<a href=\"/metrics\">"));
	http_resp_free(&r);
	stop(f);
}

static void test_methods_and_paths(void **state)
{
	static const char *const refused[] = { "POST",    "PUT",   "DELETE", "PATCH",
		                               "OPTIONS", "TRACE", "BREW" };
	static const char *const missing[] = { "/metrics/", "/Metrics", "/favicon.ico",
		                               "/metrics/../etc/passwd", "/index.html" };
	struct fixture *f = start(NULL);
	struct http_resp r;
	char raw[256], v[64];

	(void)state;
	publish(f, 0);
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		for (int p = 0; p < 2; p++) {
			snprintf(raw, sizeof raw, "%s %s HTTP/1.1\r\nHost: t\r\n\r\n", refused[i],
			         p ? "/" : "/metrics");
			assert_int_equal(status_of(f, raw, &r), 405);
			assert_non_null(http_header(&r, "Allow", v, sizeof v));
			assert_string_equal(v, "GET, HEAD");
			http_resp_free(&r);
		}
	}
	for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
		snprintf(raw, sizeof raw, "GET %s HTTP/1.1\r\nHost: t\r\n\r\n", missing[i]);
		assert_int_equal(status_of(f, raw, &r), 404);
		assert_non_null(strstr(r.body, "/metrics"));
		http_resp_free(&r);
	}
	/* a POST with a body is refused without reading the body */
	assert_int_equal(status_of(f,
	                           "POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: "
	                           "1000000\r\n\r\nx",
	                           &r),
	                 405);
	http_resp_free(&r);
	/* GET takes no body */
	assert_int_equal(
	    status_of(f, "GET /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello", &r),
	    400);
	http_resp_free(&r);
	assert_int_equal(
	    status_of(f, "GET /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n", &r), 200);
	http_resp_free(&r);
	expect_metrics(f, 0);
	stop(f);
}

/* Two scrapes on one connection: it stays open for the next one. */
static void test_keep_alive(void **state)
{
	struct fixture *f = start(NULL);
	struct http_resp r;
	int fd;

	(void)state;
	publish(f, 0);
	fd = tcp_connect("127.0.0.1", f->port);
	assert_true(fd >= 0);
	for (int i = 0; i < 3; i++) {
		assert_true(send_str(fd, i == 1 ? "HEAD /metrics HTTP/1.1\r\nHost: t\r\n\r\n"
		                                : get_metrics));
		assert_int_equal(http_read(fd, i == 1, &r), 0);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.body_len, i == 1 ? 0 : f->text[0].len);
		http_resp_free(&r);
	}
	close(fd);
	stop(f);
}

/* Malformed requests get a 4xx (or the connection closed) and nothing else changes. */
static void test_malformed_requests(void **state)
{
	static const char *const bad[] = {
		"GARBAGE\r\n\r\n",
		"GET\r\n\r\n",
		"GET /metrics\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nHost: t\r\nBad header line\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"\x01\x02\x03\xff\xfe\r\n\r\n",
		"GET /met\x01rics HTTP/1.1\r\nHost: t\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: -5\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: "
		"99999999999999999999999\r\n\r\n",
	};
	struct fixture *f = start(NULL);

	(void)state;
	publish(f, 1);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct http_resp r;
		int st = status_of(f, bad[i], &r);

		if (st != 0 && (st < 400 || st > 499))
			fail_msg("request %zu got %d, not a 4xx", i, st);
		print_message("malformed request %zu: %d\n", i, st);
		http_resp_free(&r);
		expect_metrics(f, 1);
	}
	stop(f);
}

/* More than the request limit: refused (431/414/413 or closed), memory does not grow with it,
 * and the next scrape is answered. */
static void test_oversized_requests(void **state)
{
	struct fixture *f = start(NULL);
	size_t big = 1u << 20;
	char *raw = malloc(big + 256), *p;
	struct http_resp r;
	int st;

	(void)state;
	publish(f, 0);
	/* one huge header */
	p = raw + sprintf(raw, "GET /metrics HTTP/1.1\r\nHost: t\r\nX-Big: ");
	memset(p, 'a', big);
	strcpy(p + big, "\r\n\r\n");
	st = status_of(f, raw, &r);
	print_message("1 MiB header: %d\n", st);
	assert_true(st == 0 || st == 431 || st == 413);
	http_resp_free(&r);
	expect_metrics(f, 0);
	/* a huge URL */
	p = raw + sprintf(raw, "GET /metrics?");
	memset(p, 'b', big);
	strcpy(p + big, " HTTP/1.1\r\nHost: t\r\n\r\n");
	st = status_of(f, raw, &r);
	assert_true(st == 0 || st == 414 || st == 431);
	http_resp_free(&r);
	expect_metrics(f, 0);
	/* thousands of small headers */
	p = raw;
	p += sprintf(p, "GET /metrics HTTP/1.1\r\nHost: t\r\n");
	for (int i = 0; i < 20000; i++)
		p += sprintf(p, "X-%d: y\r\n", i);
	strcpy(p, "\r\n");
	st = status_of(f, raw, &r);
	assert_true(st == 0 || st == 431 || st == 413);
	http_resp_free(&r);
	expect_metrics(f, 0);
	free(raw);
	stop(f);
}

/* Waits up to `seconds` for the server to close fd; true when it did. */
static bool closed_within(int fd, double seconds)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char c;

	if (poll(&p, 1, (int)(seconds * 1000)) <= 0)
		return false;
	return recv(fd, &c, 1, 0) <= 0;
}

/* A client that stops in the middle of a request holds only its own connection, and only until
 * the idle timeout. */
static void test_slow_client(void **state)
{
	struct http_limits l;
	struct fixture *f;
	int slow, slow2;

	(void)state;
	http_limits_default(&l);
	l.idle_timeout_s = 1;
	f = start(&l);
	publish(f, 0);
	slow = tcp_connect("127.0.0.1", f->port);
	slow2 = tcp_connect("127.0.0.1", f->port);
	assert_true(slow >= 0 && slow2 >= 0);
	assert_true(send_str(slow, "GET /metr"));
	/* slow2 says nothing at all */
	expect_metrics(f, 0);
	publish(f, 1); /* sampling goes on meanwhile */
	expect_metrics(f, 1);
	assert_true(closed_within(slow, 15));
	assert_true(closed_within(slow2, 15));
	close(slow);
	close(slow2);
	expect_metrics(f, 1);
	stop(f);
}

/* Connects to the endpoint from a loopback source address (127.0.0.x: the guard's limits are
 * per address); 127.0.0.1 where the system has no other (macOS without aliases). */
static int connect_from(const char *src, int port)
{
	struct sockaddr_in a = { 0 }, me = { 0 };
	struct timeval tv = { 10, 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	me.sin_family = AF_INET;
	inet_pton(AF_INET, src, &me.sin_addr);
	(void)bind(fd, (struct sockaddr *)&me, sizeof me);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Clients that send the start of a request and then one byte at a time, never its end: each
 * byte resets libmicrohttpd's idle timeout, so before the guard they held their connections as
 * long as they trickled. */
struct trickle {
	int fd[256];
	int n;
	volatile int stop;
	pthread_t t;
};

static void *trickle_run(void *arg)
{
	struct trickle *tr = arg;

	while (!tr->stop) {
		for (int i = 0; i < tr->n; i++)
			if (tr->fd[i] >= 0)
				(void)send(tr->fd[i], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		usleep(100000);
	}
	return NULL;
}

/* n trickling clients from the addresses in src (round robin) */
static void trickle_start(struct trickle *tr, struct fixture *f, int n, const char *const *src,
                          int nsrc)
{
	tr->n = n;
	tr->stop = 0;
	for (int i = 0; i < n; i++) {
		tr->fd[i] = connect_from(src[i % nsrc], f->port);
		assert_true(tr->fd[i] >= 0);
		assert_true(send_str(tr->fd[i], "GET /metrics HTTP/1.1\r\nX-Slow: "));
	}
	assert_int_equal(pthread_create(&tr->t, NULL, trickle_run, tr), 0);
}

/* How many of them the server has closed. */
static int trickle_closed(struct trickle *tr)
{
	int closed = 0;

	for (int i = 0; i < tr->n; i++) {
		struct pollfd p = { tr->fd[i], POLLIN, 0 };
		char c;
		if (poll(&p, 1, 0) > 0 && recv(tr->fd[i], &c, 1, MSG_DONTWAIT) <= 0)
			closed++;
	}
	return closed;
}

static void trickle_stop(struct trickle *tr)
{
	tr->stop = 1;
	pthread_join(tr->t, NULL);
	for (int i = 0; i < tr->n; i++)
		close(tr->fd[i]);
}

/* A scrape from src on a fresh connection: answered with the published sample within a second
 * (the bound; it takes milliseconds). */
static void scrape_within_a_second(struct fixture *f, const char *src)
{
	struct http_resp r;
	struct timespec t0, t1;
	int fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = connect_from(src, f->port);
	assert_true(fd >= 0);
	assert_true(send_str(fd, get_metrics));
	assert_int_equal(http_read(fd, false, &r), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(fd);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, f->text[0].len);
	http_resp_free(&r);
	assert_true((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9 <
	            1.0);
}

/* Trickling clients are closed at the header deadline even though every byte resets the idle
 * timeout. */
static void trickling_clients_are_closed_at_the_header_deadline(void **state)
{
	static const char *const one[] = { "127.0.0.1" };
	struct http_limits l;
	struct fixture *f;
	struct trickle tr;

	(void)state;
	http_limits_default(&l);
	l.header_timeout_s = 1;
	f = start(&l);
	publish(f, 0);
	trickle_start(&tr, f, 3, one, 1);
	for (int tries = 0; trickle_closed(&tr) < 3; tries++) {
		assert_true(tries < 60); /* 6 s: the deadline is 1 s */
		usleep(100000);
	}
	trickle_stop(&tr);
	expect_metrics(f, 0);
	stop(f);
}

/* Twice the per-address limit of trickling clients, then a scrape from the same address: it is
 * answered (the longest waiting clients made room), where eight used to block every scrape from
 * their address. */
static void trickling_clients_do_not_block_their_address(void **state)
{
	static const char *const one[] = { "127.0.0.1" };
	struct http_limits l;
	struct fixture *f;
	struct trickle tr;

	(void)state;
	http_limits_default(&l);
	f = start(&l);
	publish(f, 0);
	trickle_start(&tr, f, (int)(2 * l.per_ip), one, 1);
	scrape_within_a_second(f, "127.0.0.1");
	assert_true(trickle_closed(&tr) >= (int)l.per_ip);
	trickle_stop(&tr);
	stop(f);
}

/* 200 slow clients from four addresses (32 from four made the endpoint unreachable): a scrape
 * from a fifth address and one from a slow client's own address still answer within a second,
 * and the server holds no more than its limit of them. */
static void two_hundred_slow_clients_and_a_scrape_still_answers(void **state)
{
	static const char *const four[] = { "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5" };
	struct http_limits l;
	struct fixture *f;
	struct trickle tr;

	(void)state;
	http_limits_default(&l);
	f = start(&l);
	publish(f, 0);
	trickle_start(&tr, f, 200, four, 4);
	scrape_within_a_second(f, "127.0.0.1");
	scrape_within_a_second(f, "127.0.0.3");
	for (int tries = 0; trickle_closed(&tr) < 200 - (int)l.connections; tries++) {
		assert_true(tries < 50);
		usleep(100000);
	}
	trickle_stop(&tr);
	expect_metrics(f, 0);
	stop(f);
}

/* Silent connections up to a limit, then a scrape: answered, and the connection that waited
 * longest is the one closed to make room. */
static void limit_case(unsigned connections, unsigned per_ip, unsigned held)
{
	struct http_limits l;
	struct fixture *f;
	int fds[16];

	http_limits_default(&l);
	l.connections = connections;
	l.per_ip = per_ip;
	f = start(&l);
	publish(f, 0);
	assert_true(held <= 16);
	for (unsigned i = 0; i < held; i++) {
		fds[i] = tcp_connect("127.0.0.1", f->port);
		assert_true(fds[i] >= 0);
		usleep(20000); /* in order */
	}
	scrape_within_a_second(f, "127.0.0.1");
	assert_true(closed_within(fds[0], 5));
	for (unsigned i = 1; i < held; i++) {
		struct pollfd p = { fds[i], POLLIN, 0 };
		assert_int_equal(poll(&p, 1, 0), 0); /* the others stay */
	}
	for (unsigned i = 0; i < held; i++)
		close(fds[i]);
	expect_metrics(f, 0);
	stop(f);
}

static void test_connection_limits(void **state)
{
	(void)state;
	limit_case(4, 8, 4); /* all connections */
	limit_case(8, 3, 3); /* per address */
}

struct hammer {
	struct fixture *f;
	int requests, bad;
};

static void *hammer_run(void *arg)
{
	struct hammer *hm = arg;
	int fd = tcp_connect("127.0.0.1", hm->f->port);

	for (int i = 0; i < 300; i++) {
		struct http_resp r;
		if (fd < 0 || !send_str(fd, get_metrics) || http_read(fd, false, &r)) {
			hm->bad++;
			if (fd >= 0)
				close(fd);
			fd = tcp_connect("127.0.0.1", hm->f->port);
			continue;
		}
		hm->requests++;
		if (r.status != 200 || !((r.body_len == hm->f->text[0].len &&
		                          !memcmp(r.body, hm->f->text[0].buf, r.body_len)) ||
		                         (r.body_len == hm->f->text[1].len &&
		                          !memcmp(r.body, hm->f->text[1].buf, r.body_len))))
			hm->bad++;
		http_resp_free(&r);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Scrapes while samples are published: every body is one whole published sample. */
static void test_publish_during_scrapes(void **state)
{
	struct fixture *f = start(NULL);
	struct hammer hm[3];
	pthread_t t[3];

	(void)state;
	publish(f, 0);
	for (int i = 0; i < 3; i++) {
		hm[i] = (struct hammer){ f, 0, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, hammer_run, &hm[i]), 0);
	}
	for (int i = 0; i < 2000; i++)
		publish(f, i & 1);
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(hm[i].bad, 0);
		assert_int_equal(hm[i].requests, 300);
	}
	stop(f);
}

static void test_bind_errors(void **state)
{
	struct http_server *a, *b;
	struct http_limits l;
	struct error err;
	char spec[64];

	(void)state;
	http_limits_default(&l);
	assert_int_equal(http_start(&a, "127.0.0.1", 0, &l, 0, 1, &err), 0);
	/* the same port again */
	assert_int_equal(http_start(&b, "127.0.0.1", http_port(a), &l, 0, 1, &err), -1);
	assert_null(b);
	snprintf(spec, sizeof spec, "cannot listen on 127.0.0.1:%d: the port is in use",
	         http_port(a));
	assert_non_null(strstr(err.msg, spec));
	http_stop(a);
	/* an address this machine does not have (TEST-NET-1) */
	assert_int_equal(http_start(&b, "192.0.2.1", 9776, &l, 0, 1, &err), -1);
	assert_non_null(strstr(err.msg, "cannot listen on 192.0.2.1:9776: no such address"));
	/* IPv6 loopback, where this machine has IPv6 */
	if (http_start(&b, "::1", 0, &l, 0, 1, &err) == 0) {
		snprintf(spec, sizeof spec, "http://[::1]:%d/metrics", http_port(b));
		assert_string_equal(http_url(b), spec);
		http_stop(b);
	} else {
		print_message("note: no IPv6 loopback here (%s)\n", err.msg);
	}
	http_stop(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_serves_the_published_sample),
		cmocka_unit_test(test_methods_and_paths),
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_malformed_requests),
		cmocka_unit_test(test_oversized_requests),
		cmocka_unit_test(test_slow_client),
		cmocka_unit_test(test_connection_limits),
		cmocka_unit_test(trickling_clients_are_closed_at_the_header_deadline),
		cmocka_unit_test(trickling_clients_do_not_block_their_address),
		cmocka_unit_test(two_hundred_slow_clients_and_a_scrape_still_answers),
		cmocka_unit_test(test_publish_during_scrapes),
		cmocka_unit_test(test_bind_errors),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
