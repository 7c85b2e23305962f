/* floor.c - the floor of the side-by-side benchmark (bench/side-by-side.sh): the least any
 * process monitor must read at a given rate, and nothing else. Each tick it reads /proc/stat,
 * /proc/meminfo and, for every process, /proc/<pid>/stat (one read gives CPU time, state,
 * threads and resident pages), then sleeps until the next tick. It draws nothing.
 *
 *   bench_floor INTERVAL_SECONDS
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static char buf[64 * 1024];

static long slurp(int dirfd, const char *rel)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC);
	long n = -1;

	if (fd >= 0) {
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
	}
	return n;
}

int main(int argc, char **argv)
{
	double interval = argc > 1 ? atof(argv[1]) : 1.0;
	struct timespec next;
	int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	volatile long sink = 0;

	if (proc < 0 || !(interval > 0)) {
		fprintf(stderr, "usage: bench_floor INTERVAL_SECONDS\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		DIR *d;
		struct dirent *e;

		sink += slurp(proc, "stat");
		sink += slurp(proc, "meminfo");
		d = fdopendir(dup(proc));
		if (!d)
			return 1;
		rewinddir(d);
		while ((e = readdir(d)) != NULL) {
			char rel[300];
			if (e->d_name[0] < '1' || e->d_name[0] > '9')
				continue;
			snprintf(rel, sizeof rel, "%s/stat", e->d_name);
			sink += slurp(proc, rel);
		}
		closedir(d);
		next.tv_nsec += (long)((interval - (long)interval) * 1e9);
		next.tv_sec += (long)interval + next.tv_nsec / 1000000000L;
		next.tv_nsec %= 1000000000L;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
}
