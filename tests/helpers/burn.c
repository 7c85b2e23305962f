/* burn.c - a CPU-bound command for the `agtop run` tests: it and N children each spend MS
 * milliseconds of CPU time, then it writes its own rusage (itself and the children it waited
 * for) to OUT as "user_s system_s", for the test to compare with agtop's summary.
 *
 *   agtop_burn MS CHILDREN OUT
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void burn(double ms)
{
	struct timespec t;
	volatile unsigned long x = 0;

	do {
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i * 7u;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	} while ((double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6 < ms);
}

static double s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	double ms;
	int n;
	struct rusage self, kids;
	FILE *f;

	if (argc != 4)
		return 2;
	ms = atof(argv[1]);
	n = atoi(argv[2]);
	for (int i = 0; i < n; i++)
		if (fork() == 0) {
			burn(ms);
			_exit(0);
		}
	burn(ms);
	while (wait(NULL) > 0)
		;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	f = fopen(argv[3], "w");
	if (!f)
		return 1;
	fprintf(f, "%.6f %.6f\n", s(self.ru_utime) + s(kids.ru_utime),
	        s(self.ru_stime) + s(kids.ru_stime));
	return fclose(f) ? 1 : 0;
}
