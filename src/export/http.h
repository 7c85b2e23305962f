/* http.h - the Prometheus endpoint (--prometheus): /metrics and a small / page, served through
 * libmicrohttpd on its own thread. The sampling loop publishes every complete sample, rendered
 * once per format; a scrape takes a reference to the latest rendering and never waits for the
 * next sample, and publishing only swaps a pointer under a mutex, so a scrape (slow or not)
 * never holds up sampling. */
#ifndef AGTOP_HTTP_H
#define AGTOP_HTTP_H

#include <stddef.h>

#include "../error.h"
#include "../sample.h"

/* Slow clients cannot hold the endpoint (http_guard.h): a connection must send its request
 * headers within header_timeout_s and be answered within answer_timeout_s, and when the limits
 * are reached a new connection makes room by closing the one that has waited longest for its
 * request. */
struct http_limits {
	unsigned connections;      /* open at once, all clients together */
	unsigned per_ip;           /* open at once from one address */
	unsigned idle_timeout_s;   /* a connection silent this long is closed */
	unsigned header_timeout_s; /* from opening (or the last answer) to complete headers */
	unsigned answer_timeout_s; /* from complete headers to the answer sent */
	size_t request_bytes;      /* request line and headers; more is refused (431/414) */
};

/* 64 connections, 16 per address, 10 s idle, 5 s for the headers, 30 s for the answer, 16 KiB
 * per request */
void http_limits_default(struct http_limits *l);

struct http_server;

/* Binds host:port (a numeric IPv4/IPv6 address or a name; port 0 picks a free one) and starts
 * serving. Before the first http_publish, /metrics answers 503 with Retry-After
 * (retry_after_s). An address in use or not on this machine is an error here, with a message
 * that says which and what to do. */
int http_start(struct http_server **out, const char *host, int port, const struct http_limits *l,
               unsigned processes, double retry_after_s, struct error *err);
/* What agtop listens on, e.g. "http://127.0.0.1:9776/metrics", and the bound port. */
const char *http_url(const struct http_server *h);
int http_port(const struct http_server *h);
/* Renders s (text 0.0.4 and OpenMetrics) and makes it what scrapes get from now on. On -1 (out
 * of memory) the previous sample stays published. */
int http_publish(struct http_server *h, const struct sample *s, struct error *err);
/* Stops serving (waits for the server thread) and frees everything. NULL is allowed. */
void http_stop(struct http_server *h);

/* Which exposition an Accept header asks for (pure). OpenMetrics when the client accepts it at
 * a quality at least that of text/plain, in the newest version it accepts; otherwise text
 * 0.0.4. NULL (no header) is text. */
enum http_format {
	HTTP_TEXT = 0,         /* text/plain; version=0.0.4 */
	HTTP_OPENMETRICS_1_0,  /* application/openmetrics-text; version=1.0.0 */
	HTTP_OPENMETRICS_0_0_1 /* the same body, labelled 0.0.1 for clients that ask only that */
};
enum http_format http_negotiate(const char *accept);
const char *http_content_type(enum http_format f);

#endif
