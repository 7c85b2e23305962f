#include "http_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/clock.h"

struct slot {
	bool used;
	bool busy;    /* headers complete: being answered */
	bool evicted; /* shut down; libmicrohttpd has not removed it yet */
	int fd;
	unsigned char addr[16]; /* the peer's address without its port */
	unsigned char alen;
	double since; /* when it began waiting for headers, or began being answered */
};

struct http_guard {
	struct http_guard_limits lim;
	pthread_mutex_t mu;
	struct slot *slot;
	unsigned long closed;
	pthread_t thread;
	int wake[2]; /* a byte wakes the watchdog: a new deadline, or stop */
	bool stopping;
};

static void peer_key(const struct sockaddr *sa, unsigned char *addr, unsigned char *alen)
{
	*alen = 0;
	if (sa && sa->sa_family == AF_INET) {
		memcpy(addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		*alen = 4;
	} else if (sa && sa->sa_family == AF_INET6) {
		memcpy(addr, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		*alen = 16;
	}
}

static bool same_peer(const struct slot *a, const struct slot *b)
{
	return a->alen == b->alen && memcmp(a->addr, b->addr, a->alen) == 0;
}

static bool live(const struct slot *s)
{
	return s->used && !s->evicted;
}

static void evict(struct http_guard *g, struct slot *s)
{
	s->evicted = true;
	g->closed++;
	/* both ways: libmicrohttpd's next read sees the end and closes it */
	shutdown(s->fd, SHUT_RDWR);
}

/* The live connection of peer p (any peer when p is NULL) that has waited longest for its
 * request headers; NULL when all of them are being answered. */
static struct slot *longest_waiting(struct http_guard *g, const struct slot *p)
{
	struct slot *best = NULL;

	for (unsigned i = 0; i < g->lim.capacity; i++) {
		struct slot *s = &g->slot[i];
		if (!live(s) || s->busy || (p && !same_peer(s, p)))
			continue;
		if (!best || s->since < best->since)
			best = s;
	}
	return best;
}

/* Live connections of s's peer, and in all. */
static unsigned count(struct http_guard *g, const struct slot *p, unsigned *total)
{
	unsigned n = 0;

	*total = 0;
	for (unsigned i = 0; i < g->lim.capacity; i++) {
		const struct slot *s = &g->slot[i];
		if (!live(s))
			continue;
		(*total)++;
		n += p && same_peer(s, p);
	}
	return n;
}

/* The peer holding the most live connections (one of its slots). */
static const struct slot *busiest_peer(struct http_guard *g)
{
	const struct slot *best = NULL;
	unsigned most = 0, total;

	for (unsigned i = 0; i < g->lim.capacity; i++) {
		const struct slot *s = &g->slot[i];
		unsigned n;
		if (!live(s))
			continue;
		n = count(g, s, &total);
		if (n > most) {
			most = n;
			best = s;
		}
	}
	return best;
}

/* After s joined: over the address's or the overall limit, the longest waiting one goes. */
static void make_room(struct http_guard *g, struct slot *s)
{
	unsigned total, mine = count(g, s, &total);
	struct slot *victim = NULL;

	if (mine > g->lim.per_ip)
		victim = longest_waiting(g, s);
	else if (total > g->lim.connections) {
		victim = longest_waiting(g, busiest_peer(g));
		if (!victim)
			victim = longest_waiting(g, NULL);
	}
	if (!victim && (mine > g->lim.per_ip || total > g->lim.connections))
		victim = s; /* every other one is being answered: the new one is refused */
	if (victim)
		evict(g, victim);
}

void *http_guard_add(struct http_guard *g, int fd, const struct sockaddr *peer)
{
	struct slot *s = NULL;
	char one = 1;

	pthread_mutex_lock(&g->mu);
	for (unsigned i = 0; i < g->lim.capacity && !s; i++)
		if (!g->slot[i].used)
			s = &g->slot[i];
	if (!s) {
		pthread_mutex_unlock(&g->mu);
		shutdown(fd, SHUT_RDWR);
		return NULL;
	}
	memset(s, 0, sizeof *s);
	s->used = true;
	s->fd = fd;
	s->since = clock_mono();
	peer_key(peer, s->addr, &s->alen);
	make_room(g, s);
	pthread_mutex_unlock(&g->mu);
	/* a new deadline for the watchdog; a full pipe already wakes it */
	(void)!write(g->wake[1], &one, 1);
	return s;
}

static void set_phase(struct http_guard *g, void *slot, bool busy)
{
	struct slot *s = slot;

	if (!s)
		return;
	pthread_mutex_lock(&g->mu);
	s->busy = busy;
	s->since = clock_mono();
	pthread_mutex_unlock(&g->mu);
}

void http_guard_busy(struct http_guard *g, void *slot)
{
	set_phase(g, slot, true);
}

void http_guard_idle(struct http_guard *g, void *slot)
{
	set_phase(g, slot, false);
}

void http_guard_remove(struct http_guard *g, void *slot)
{
	struct slot *s = slot;

	if (!s)
		return;
	pthread_mutex_lock(&g->mu);
	s->used = false;
	pthread_mutex_unlock(&g->mu);
}

unsigned long http_guard_closed(struct http_guard *g)
{
	unsigned long n;

	pthread_mutex_lock(&g->mu);
	n = g->closed;
	pthread_mutex_unlock(&g->mu);
	return n;
}

/* Closes the connections past their deadline; the next deadline (INFINITY: none). */
static double expire(struct http_guard *g, double now)
{
	double next = INFINITY;

	for (unsigned i = 0; i < g->lim.capacity; i++) {
		struct slot *s = &g->slot[i];
		double due;
		if (!live(s))
			continue;
		due = s->since + (s->busy ? g->lim.answer_s : g->lim.header_s);
		if (now >= due)
			evict(g, s);
		else if (due < next)
			next = due;
	}
	return next;
}

static void *watchdog(void *arg)
{
	struct http_guard *g = arg;

	for (;;) {
		struct pollfd p = { g->wake[0], POLLIN, 0 };
		double now = clock_mono(), next;
		char buf[64];
		int ms;

		pthread_mutex_lock(&g->mu);
		if (g->stopping) {
			pthread_mutex_unlock(&g->mu);
			return NULL;
		}
		next = expire(g, now);
		pthread_mutex_unlock(&g->mu);
		/* asleep while nothing is open: no wake-ups on an idle endpoint */
		ms = isinf(next) ? -1 : (int)ceil((next - now) * 1000.0);
		if (poll(&p, 1, ms) > 0)
			while (read(g->wake[0], buf, sizeof buf) > 0)
				;
	}
}

struct http_guard *http_guard_start(const struct http_guard_limits *l, struct error *err)
{
	struct http_guard *g = calloc(1, sizeof *g);

	if (!g) {
		error_set(err, "out of memory");
		return NULL;
	}
	g->lim = *l;
	g->wake[0] = g->wake[1] = -1;
	g->slot = calloc(l->capacity ? l->capacity : 1, sizeof *g->slot);
	if (!g->slot || pipe(g->wake) != 0) {
		error_set(err, "cannot start the HTTP server's guard: %s", strerror(errno));
		goto fail;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(g->wake[i], F_SETFD, FD_CLOEXEC);
		fcntl(g->wake[i], F_SETFL, O_NONBLOCK);
	}
	if (pthread_mutex_init(&g->mu, NULL) != 0) {
		error_set(err, "cannot create a mutex");
		goto fail;
	}
	if (pthread_create(&g->thread, NULL, watchdog, g) != 0) {
		error_set(err, "cannot start the HTTP server's guard thread");
		pthread_mutex_destroy(&g->mu);
		goto fail;
	}
	return g;
fail:
	if (g->wake[0] >= 0) {
		close(g->wake[0]);
		close(g->wake[1]);
	}
	free(g->slot);
	free(g);
	return NULL;
}

void http_guard_stop(struct http_guard *g)
{
	char one = 1;

	if (!g)
		return;
	pthread_mutex_lock(&g->mu);
	g->stopping = true;
	pthread_mutex_unlock(&g->mu);
	(void)!write(g->wake[1], &one, 1);
	pthread_join(g->thread, NULL);
	pthread_mutex_destroy(&g->mu);
	close(g->wake[0]);
	close(g->wake[1]);
	free(g->slot);
	free(g);
}
