/* bench_startup.c - how long the dashboard takes to show its first frame and its first full
 * frame, in a pseudo-terminal, at several intervals.
 *
 *   build/bench/bench_startup build/agtop [RUNS]
 *
 * Each run starts agtop (live, this machine) on a fresh 120x40 pseudo-terminal and reads what
 * it writes: the first frame is the first time the screen shows the header ("agtop "); the
 * first full frame the first time it shows the process panel's title ("Processes"), which is
 * drawn only with a sample. Then it sends q and waits for agtop to end. Results go to
 * bench/README.md by hand. */
#include <errno.h>
#include <poll.h>
#ifdef __APPLE__
#include <util.h> /* forkpty */
#else
#include <pty.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* true once needle has appeared in what was read so far (kept in a sliding window) */
struct seen {
	char win[8192];
	size_t n;
};

static int feed(struct seen *s, const char *buf, size_t len, const char *needle)
{
	size_t keep = strlen(needle);

	if (s->n + len >= sizeof s->win) { /* keep the tail: a needle may span reads */
		size_t tail = s->n < keep ? s->n : keep;
		memmove(s->win, s->win + s->n - tail, tail);
		s->n = tail;
	}
	if (len >= sizeof s->win - s->n)
		len = sizeof s->win - s->n - 1;
	memcpy(s->win + s->n, buf, len);
	s->n += len;
	s->win[s->n] = '\0';
	return memmem(s->win, s->n, needle, strlen(needle)) != NULL;
}

static int run_once(const char *agtop, const char *interval, double *first, double *full)
{
	struct winsize ws = { 40, 120, 0, 0 };
	struct seen a = { .n = 0 }, b = { .n = 0 };
	double t0, deadline;
	int fd, status;
	pid_t pid;

	*first = *full = -1;
	t0 = now();
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		execl(agtop, agtop, "--interval", interval, (char *)NULL);
		_exit(127);
	}
	deadline = t0 + 10;
	while (now() < deadline && *full < 0) {
		struct pollfd p = { fd, POLLIN, 0 };
		char buf[4096];
		ssize_t n;
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;
		if (*first < 0 && feed(&a, buf, (size_t)n, "agtop "))
			*first = now() - t0;
		if (feed(&b, buf, (size_t)n, "Processes"))
			*full = now() - t0;
	}
	if (write(fd, "q", 1) != 1)
		kill(pid, SIGTERM);
	/* drain until it ends, so the next run starts on a quiet machine */
	for (double end = now() + 5; now() < end;) {
		char buf[4096];
		struct pollfd p = { fd, POLLIN, 0 };
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (poll(&p, 1, 50) > 0 && read(fd, buf, sizeof buf) <= 0)
			usleep(10000);
	}
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	close(fd);
	return *full < 0 ? -1 : 0;
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

int main(int argc, char **argv)
{
	static const char *const intervals[] = { "0.5", "1", "2", "5" };
	int runs = argc > 2 ? atoi(argv[2]) : 10;

	if (argc < 2 || runs < 1 || runs > 1000) {
		fprintf(stderr, "usage: bench_startup AGTOP [RUNS]\n");
		return 2;
	}
	printf("| --interval | first frame median ms | first full frame median ms | max ms |\n");
	printf("|---|---|---|---|\n");
	for (size_t i = 0; i < sizeof intervals / sizeof intervals[0]; i++) {
		double first[1000], full[1000];
		int ok = 0;
		for (int r = 0; r < runs; r++)
			if (run_once(argv[1], intervals[i], &first[ok], &full[ok]) == 0)
				ok++;
		if (!ok) {
			printf("| %s | no full frame within 10 s | | |\n", intervals[i]);
			continue;
		}
		qsort(first, (size_t)ok, sizeof first[0], cmp);
		qsort(full, (size_t)ok, sizeof full[0], cmp);
		printf("| %s | %.0f | %.0f | %.0f |\n", intervals[i], first[ok / 2] * 1e3,
		       full[ok / 2] * 1e3, full[ok - 1] * 1e3);
	}
	return 0;
}
