/* http.c - the Prometheus endpoint over libmicrohttpd (see http.h).
 *
 * One server thread (MHD_USE_AUTO_INTERNAL_THREAD: epoll or poll) serves every connection
 * without blocking, so a slow client holds only its own connection. agtop opens the listening
 * socket itself, so a port in use or a foreign address is reported with its errno before
 * anything else starts. A published sample is a reference-counted pair of renderings; a
 * response holds a reference until libmicrohttpd frees it, so nothing is copied per scrape and
 * nothing is freed under a response that is still being sent. */
#include "http.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <microhttpd.h>

#include "../util/strbuf.h"
#include "http_guard.h"
#include "mhd_lazy.h"
#include "prometheus.h"

struct snap {
	unsigned refs; /* the server's (while published) and one per response; under h->mu */
	struct http_server *h;
	char *text, *om;
	size_t text_len, om_len;
};

struct http_server {
	struct MHD_Daemon *d;
	struct http_guard *guard;
	pthread_mutex_t mu;
	struct snap *cur; /* NULL until the first sample */
	unsigned processes;
	char retry_after[16];
	char url[128];
	int port;
};

static const char index_html[] =
    "<!DOCTYPE html>\n"
    "<html><head><meta charset=\"utf-8\"><title>agtop</title></head>\n"
    "<body><h1>agtop</h1>\n"
    "<p>Metrics of this machine for Prometheus: <a href=\"/metrics\">/metrics</a></p>\n"
    "</body></html>\n";
static const char body_not_found[] = "404 not found: agtop serves /metrics and /\n";
static const char body_method[] = "405 method not allowed: use GET or HEAD\n";
static const char body_with_body[] = "400 bad request: GET and HEAD take no body\n";
static const char body_no_sample[] = "503 agtop has not completed its first sample yet\n";
static const char body_oom[] = "503 out of memory\n";

void http_limits_default(struct http_limits *l)
{
	l->connections = 64;
	l->per_ip = 16;
	l->idle_timeout_s = 10;
	l->header_timeout_s = 5;
	l->answer_timeout_s = 30;
	l->request_bytes = 16 * 1024;
}

/* ---- content negotiation (pure) ---- */

const char *http_content_type(enum http_format f)
{
	switch (f) {
	case HTTP_OPENMETRICS_1_0:
		return PROM_CONTENT_TYPE_OPENMETRICS;
	case HTTP_OPENMETRICS_0_0_1:
		return "application/openmetrics-text; version=0.0.1; charset=utf-8";
	case HTTP_TEXT:
		break;
	}
	return PROM_CONTENT_TYPE_TEXT;
}

/* Copies [s, e) trimmed of blanks and lower-cased into out (truncated to size). */
static void token(char *out, size_t size, const char *s, const char *e)
{
	size_t n = 0;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e - s >= 2 && *s == '"' && e[-1] == '"') {
		s++;
		e--;
	}
	for (; s < e && n + 1 < size; s++)
		out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

enum http_format http_negotiate(const char *accept)
{
	double text_q = -1, om_q = -1;
	enum http_format om = HTTP_OPENMETRICS_1_0;
	const char *p = accept;

	if (!accept)
		return HTTP_TEXT;
	while (*p) {
		const char *end = strchr(p, ','), *semi;
		char type[64], version[16] = "";
		double q = 1;
		bool bad = false;

		if (!end)
			end = p + strlen(p);
		semi = memchr(p, ';', (size_t)(end - p));
		token(type, sizeof type, p, semi ? semi : end);
		while (semi) {
			const char *ps = semi + 1, *eq;
			char key[16], val[32];

			semi = memchr(ps, ';', (size_t)(end - ps));
			eq = memchr(ps, '=', (size_t)((semi ? semi : end) - ps));
			if (!eq)
				continue;
			token(key, sizeof key, ps, eq);
			token(val, sizeof val, eq + 1, semi ? semi : end);
			if (!strcmp(key, "q")) {
				char *qe;
				q = strtod(val, &qe);
				bad = qe == val || *qe || !(q >= 0 && q <= 1);
			} else if (!strcmp(key, "version")) {
				snprintf(version, sizeof version, "%s", val);
			}
		}
		if (!bad) {
			if (!strcmp(type, "application/openmetrics-text")) {
				enum http_format f = !strcmp(version, "0.0.1")
				                         ? HTTP_OPENMETRICS_0_0_1
				                         : HTTP_OPENMETRICS_1_0;
				/* the higher quality wins; at equal quality the newer version */
				if (q > om_q || (q == om_q && f == HTTP_OPENMETRICS_1_0)) {
					om_q = q;
					om = f;
				}
			} else if (!strcmp(type, "text/plain") || !strcmp(type, "text/*") ||
			           !strcmp(type, "*/*")) {
				if (q > text_q)
					text_q = q;
			}
		}
		p = *end ? end + 1 : end;
	}
	return om_q > 0 && om_q >= text_q ? om : HTTP_TEXT;
}

/* ---- published samples ---- */

static void snap_free(struct snap *s)
{
	free(s->text);
	free(s->om);
	free(s);
}

/* libmicrohttpd's free callback of a response body: drops the response's reference */
static void snap_release(void *cls)
{
	struct snap *s = cls;
	struct http_server *h = s->h;
	bool last;

	pthread_mutex_lock(&h->mu);
	last = --s->refs == 0;
	pthread_mutex_unlock(&h->mu);
	if (last)
		snap_free(s);
}

/* Moves a rendered buffer out of b (b is left empty). */
static char *take(struct strbuf *b, size_t *len)
{
	char *p = b->buf;

	*len = b->len;
	sb_init(b);
	return p;
}

int http_publish(struct http_server *h, const struct sample *s, struct error *err)
{
	struct prom_opts text = { PROM_TEXT, h->processes },
	                 om = { PROM_OPENMETRICS, h->processes };
	struct strbuf bt, bo;
	struct snap *n, *old;
	bool last = false;

	/* rendered outside the lock: a scrape meanwhile gets the previous sample */
	sb_init(&bt);
	sb_init(&bo);
	prom_write(&bt, s, &text);
	prom_write(&bo, s, &om);
	n = calloc(1, sizeof *n);
	if (!n || bt.oom || bo.oom || !bt.buf || !bo.buf) {
		free(n);
		sb_free(&bt);
		sb_free(&bo);
		return error_set(err, "out of memory rendering the metrics (the previous sample "
		                      "is still served)");
	}
	n->h = h;
	n->refs = 1;
	n->text = take(&bt, &n->text_len);
	n->om = take(&bo, &n->om_len);

	pthread_mutex_lock(&h->mu);
	old = h->cur;
	h->cur = n;
	if (old)
		last = --old->refs == 0;
	pthread_mutex_unlock(&h->mu);
	if (last)
		snap_free(old);
	return 0;
}

/* ---- requests ---- */

static void no_free(void *cls)
{
	(void)cls;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *ctype,
                             const char *body, size_t len, const char *hname, const char *hval)
{
	struct MHD_Response *r;
	enum MHD_Result ok;

	r = MHD_create_response_from_buffer_with_free_callback(len, (void *)body, no_free);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (hname)
		MHD_add_response_header(r, hname, hval);
	ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status, const char *body,
                                  const char *hname, const char *hval)
{
	return reply(c, status, "text/plain; charset=utf-8", body, strlen(body), hname, hval);
}

static enum MHD_Result serve_metrics(struct http_server *h, struct MHD_Connection *c)
{
	enum http_format f =
	    http_negotiate(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT));
	struct MHD_Response *r;
	struct snap *s;
	enum MHD_Result ok;

	pthread_mutex_lock(&h->mu);
	s = h->cur;
	if (s)
		s->refs++;
	pthread_mutex_unlock(&h->mu);
	if (!s)
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, body_no_sample,
		                  MHD_HTTP_HEADER_RETRY_AFTER, h->retry_after);
	r = f == HTTP_TEXT
	        ? MHD_create_response_from_buffer_with_free_callback_cls(s->text_len, s->text,
	                                                                 snap_release, s)
	        : MHD_create_response_from_buffer_with_free_callback_cls(s->om_len, s->om,
	                                                                 snap_release, s);
	if (!r) {
		snap_release(s);
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, body_oom, NULL, NULL);
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, http_content_type(f));
	ok = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ok;
}

static bool has_body(struct MHD_Connection *c)
{
	const char *cl =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return true;
	return cl && strspn(cl, " \t0") != strlen(cl);
}

/* The guard's slot of a connection (its socket context). */
static void *slot_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *i =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return i ? i->socket_context : NULL;
}

/* Connections come and go: the guard tracks each one (http_guard.h). */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode what)
{
	struct http_server *h = cls;

	if (what == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *peer =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		*socket_context =
		    fd ? http_guard_add(h->guard, fd->connect_fd, peer ? peer->client_addr : NULL)
		       : NULL;
	} else if (what == MHD_CONNECTION_NOTIFY_CLOSED) {
		http_guard_remove(h->guard, *socket_context);
		*socket_context = NULL;
	}
}

/* A request is done (answered or not): the connection waits for the next one. */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct http_server *h = cls;

	(void)con_cls;
	(void)toe;
	http_guard_idle(h->guard, slot_of(c));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	static int headers_seen; /* only its address is used: marks a request's first call */
	struct http_server *h = cls;
	bool metrics = !strcmp(url, "/metrics"), index = !strcmp(url, "/");

	(void)version;
	(void)upload_data;
	if (!*con_cls) /* the headers are all here: the guard's answer deadline from now */
		http_guard_busy(h->guard, slot_of(c));
	/* What is refused is answered at the first call, from the headers alone: the body is
	 * never read, and libmicrohttpd closes the connection instead. */
	if (!metrics && !index)
		return reply_text(c, MHD_HTTP_NOT_FOUND, body_not_found, NULL, NULL);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, body_method,
		                  MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	if (!*con_cls && has_body(c))
		return reply_text(c, MHD_HTTP_BAD_REQUEST, body_with_body, NULL, NULL);
	/* A good request is answered once it is complete (the second call), so that the
	 * connection can stay open for the next scrape. */
	if (!*con_cls) {
		*con_cls = &headers_seen;
		return MHD_YES;
	}
	if (*upload_data_size != 0) { /* not announced by the headers: dropped */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (index)
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", index_html,
		             sizeof index_html - 1, NULL, NULL);
	return serve_metrics(h, c);
}

/* ---- start and stop ---- */

static int listen_socket(struct http_server *h, const char *host, int port, struct error *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char portstr[16], shown[300];
	int fd = -1, e = 0, rc;
	bool v6host = strchr(host, ':') != NULL;

	snprintf(shown, sizeof shown, v6host ? "[%s]:%d" : "%s:%d", host, port);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(portstr, sizeof portstr, "%d", port);
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0)
		return error_set(err, "cannot listen on %s: %s", shown,
		                 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		int one = 1;

		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0) {
			e = e ? e : errno;
			continue;
		}
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
		/* a restart does not wait for TIME_WAIT; a second listener is still refused */
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0)
			break;
		e = e ? e : errno;
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		freeaddrinfo(res);
		if (e == EADDRINUSE)
			return error_set(
			    err,
			    "cannot listen on %s: the port is in use (another agtop or "
			    "exporter?); choose another with --prometheus [ADDR:]PORT",
			    shown);
		if (e == EADDRNOTAVAIL)
			return error_set(err,
			                 "cannot listen on %s: no such address on this machine "
			                 "(--prometheus ADDR:PORT takes one of its own addresses, "
			                 "0.0.0.0 or [::] for all)",
			                 shown);
		if (e == EACCES)
			return error_set(err,
			                 "cannot listen on %s: permission denied (ports below 1024 "
			                 "need privileges)",
			                 shown);
		return error_set(err, "cannot listen on %s: %s", shown, strerror(e));
	}
	{
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		char num[INET6_ADDRSTRLEN + 8] = "?";

		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
			if (ss.ss_family == AF_INET6)
				h->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
			else
				h->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
			getnameinfo((struct sockaddr *)&ss, sl, num, sizeof num, NULL, 0,
			            NI_NUMERICHOST);
		}
		snprintf(h->url, sizeof h->url,
		         ss.ss_family == AF_INET6 ? "http://[%s]:%d/metrics"
		                                  : "http://%s:%d/metrics",
		         num, h->port);
	}
	freeaddrinfo(res);
	return fd;
}

int http_start(struct http_server **out, const char *host, int port, const struct http_limits *l,
               unsigned processes, double retry_after_s, struct error *err)
{
	struct http_server *h;
	struct http_guard_limits gl;
	sigset_t block, old;
	int fd;

	*out = NULL;
	{
		char why[640];
		if (mhd_load(why, sizeof why))
			return error_set(err, "%s", why);
	}
	h = calloc(1, sizeof *h);
	if (!h)
		return error_set(err, "out of memory");
	if (pthread_mutex_init(&h->mu, NULL) != 0) {
		free(h);
		return error_set(err, "cannot create a mutex");
	}
	h->processes = processes;
	snprintf(h->retry_after, sizeof h->retry_after, "%.0f",
	         isfinite(retry_after_s) && retry_after_s > 1 ? ceil(retry_after_s) : 1.0);
	fd = listen_socket(h, host, port, err);
	if (fd < 0) {
		pthread_mutex_destroy(&h->mu);
		free(h);
		return -1;
	}
	/* the server thread inherits this mask: stop signals reach the sampling thread, whose
	 * waits they interrupt */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	/* libmicrohttpd holds the guard's capacity: the limits plus room for connections the
	 * guard closed and it has not freed yet; the per-address limit is the guard's alone, as
	 * libmicrohttpd's would refuse a scraper while a slow client's closing is pending */
	gl.connections = l->connections;
	gl.per_ip = l->per_ip;
	gl.header_s = l->header_timeout_s;
	gl.answer_s = l->answer_timeout_s;
	gl.capacity = l->connections + (l->connections / 4 > 16 ? l->connections / 4 : 16);
	h->guard = http_guard_start(&gl, err);
	if (h->guard)
		h->d = MHD_start_daemon(
		    MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC, 0, NULL, NULL, on_request, h,
		    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd, MHD_OPTION_CONNECTION_LIMIT,
		    gl.capacity, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)l->idle_timeout_s,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)l->request_bytes,
		    MHD_OPTION_NOTIFY_CONNECTION, on_connection, h, MHD_OPTION_NOTIFY_COMPLETED,
		    on_completed, h, MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!h->d) {
		if (h->guard)
			error_set(err, "cannot start the HTTP server (libmicrohttpd) on %s",
			          h->url);
		http_guard_stop(h->guard);
		close(fd);
		pthread_mutex_destroy(&h->mu);
		free(h);
		return -1;
	}
	*out = h;
	return 0;
}

const char *http_url(const struct http_server *h)
{
	return h->url;
}

int http_port(const struct http_server *h)
{
	return h->port;
}

void http_stop(struct http_server *h)
{
	if (!h)
		return;
	/* joins the server thread and destroys every connection and response first (each one
	 * leaves the guard as it goes) */
	MHD_stop_daemon(h->d);
	http_guard_stop(h->guard);
	if (h->cur && --h->cur->refs == 0)
		snap_free(h->cur);
	pthread_mutex_destroy(&h->mu);
	free(h);
}
