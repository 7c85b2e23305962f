/* http_guard.h - keeps slow clients from holding the Prometheus endpoint (http.c).
 *
 * libmicrohttpd closes a connection only when it has been silent for its timeout, so a client
 * that trickles a byte at a time held a connection for ever: eight such held every scrape from
 * their address out, 32 from four addresses the whole endpoint. The guard tracks every
 * connection and
 *   - closes one whose request headers have not all arrived header_s after it opened (or after
 *     its previous answer), and one whose exchange takes longer than answer_s;
 *   - when a new connection takes an address over per_ip, or all over `connections`, makes room
 *     by closing the connection that has waited longest for its request: of that address, or of
 *     the address that holds the most. A scraper that sends its request at once is never the one
 *     closed; a new connection is refused only when every other one is being answered.
 * Closing is shutdown(2) on the socket: libmicrohttpd sees the end and frees the connection, and
 * it tells the guard (http_guard_remove) before it closes the descriptor, so a descriptor is
 * never shut down after it was reused. */
#ifndef AGTOP_HTTP_GUARD_H
#define AGTOP_HTTP_GUARD_H

#include <sys/socket.h>

#include "../error.h"

struct http_guard_limits {
	unsigned connections; /* open at once, all addresses together */
	unsigned per_ip;      /* open at once from one address */
	double header_s;      /* from opening (or the last answer) to complete request headers */
	double answer_s;      /* from complete headers to the answer sent */
	unsigned capacity;    /* what the server may hold (connections + room for closing ones) */
};

struct http_guard;

/* Starts the guard and its watchdog thread (which inherits the caller's signal mask). */
struct http_guard *http_guard_start(const struct http_guard_limits *l, struct error *err);
/* Stops the watchdog and frees the guard; every connection must have been removed. NULL is
 * allowed. */
void http_guard_stop(struct http_guard *g);

/* A new connection: its slot (libmicrohttpd's socket context), after making room as above; the
 * new one itself may be the one closed. NULL when the table is full (the socket is shut down). */
void *http_guard_add(struct http_guard *g, int fd, const struct sockaddr *peer);
/* Its request headers are complete: now it is being answered. */
void http_guard_busy(struct http_guard *g, void *slot);
/* Its answer is sent: it waits for the next request (keep-alive). */
void http_guard_idle(struct http_guard *g, void *slot);
/* libmicrohttpd is closing it (before its descriptor is closed). */
void http_guard_remove(struct http_guard *g, void *slot);
/* Connections closed by the guard so far (for tests and messages). */
unsigned long http_guard_closed(struct http_guard *g);

#endif
