/* runner.h - the command of `agtop run -- CMD`: started with the terminal, signals passed on,
 * reaped with its resource use, its exit status returned as agtop's */
#ifndef AGTOP_RUNNER_H
#define AGTOP_RUNNER_H

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "error.h"

struct runner {
	pid_t pid;
	bool exited;
	int status;            /* wait status once exited */
	struct rusage ru;      /* the command's, with the descendants it waited for */
	struct rusage orphans; /* CPU time and peak RSS of its orphans agtop reaped */
	double t_start, t_end; /* monotonic seconds */
	bool subreaper;        /* orphans of the command come back to agtop (Linux) */
};

/* Starts argv (argv[0] looked up in PATH) in agtop's process group with agtop's standard input,
 * output and error, so it has the terminal as it would without agtop; with out_fd >= 0 (the
 * dashboard has the terminal) its input is /dev/null and its output and errors go to out_fd. From
 * here on, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and a SIGINT sent to agtop by another process
 * go on to the command; those the terminal sends (Ctrl-C, Ctrl-\) reach it directly, and agtop
 * waits for it either way. Fails (err set) when argv[0] cannot be run: the exit code is then 127
 * (not found) or 126 (not executable), as a shell reports it. */
int runner_start(struct runner *r, char *const argv[], int out_fd, int *exit_code,
                 struct error *err);
/* Reaps the command if it has exited (never blocks); true once it has. */
bool runner_poll(struct runner *r);
/* Sleeps until the monotonic deadline or until the command exits; false when it exited. */
bool runner_sleep_until(struct runner *r, double deadline);
/* Blocks until the command exits. */
void runner_wait(struct runner *r);
/* The command's exit code, or 128 + N when signal N ended it (as a shell reports it). */
int runner_exit_code(const struct runner *r);
/* "exited with status 0", "was killed by signal 9 (Killed)" */
const char *runner_describe(const struct runner *r, char *buf, size_t size);
/* Puts the signal handlers agtop had back. */
void runner_close(struct runner *r);

#endif
