/* runner.c - fork, exec, signal forwarding and reaping for `agtop run -- CMD` */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif

#include "util/clock.h"

/* A signal handler can only reach globals: the command to pass signals on to, and whether it
 * has changed state. */
static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t child_changed;

static const int forwarded[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2 };
#define NFORWARDED (sizeof forwarded / sizeof forwarded[0])
static struct sigaction saved[NFORWARDED], saved_chld;

static void on_forward(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	/* a signal from the terminal (Ctrl-C, Ctrl-\) went to the whole foreground group, the
	 * command included: sent again it would arrive twice. Only another process's is passed
	 * on. */
	if (si && si->si_pid != 0 && child_pid > 0)
		kill((pid_t)child_pid, sig);
}

static void on_chld(int sig)
{
	(void)sig;
	child_changed = 1;
}

static void install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_forward;
	sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: sleeps end early */
	for (size_t i = 0; i < NFORWARDED; i++)
		sigaction(forwarded[i], &sa, &saved[i]);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, &saved_chld);
}

void runner_close(struct runner *r)
{
	(void)r;
	for (size_t i = 0; i < NFORWARDED; i++)
		sigaction(forwarded[i], &saved[i], NULL);
	sigaction(SIGCHLD, &saved_chld, NULL);
	child_pid = 0;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child_exec(char *const argv[], int report_fd, int out_fd)
{
	int e;
	sigset_t none;

	/* the dashboard has the terminal: the command reads nothing and writes to out_fd */
	if (out_fd >= 0) {
		int in = open("/dev/null", O_RDONLY);
		if (in >= 0 && in != 0) {
			dup2(in, 0);
			close(in);
		}
		dup2(out_fd, 1);
		dup2(out_fd, 2);
		if (out_fd > 2)
			close(out_fd);
	}

	/* agtop ignores SIGPIPE and handles others; the command starts with the defaults */
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(argv[0], argv);
	e = errno;
	if (write(report_fd, &e, sizeof e) < 0)
		_exit(127);
	_exit(127);
}

int runner_start(struct runner *r, char *const argv[], int out_fd, int *exit_code,
                 struct error *err)
{
	int fds[2], e = 0;
	ssize_t n;
	sigset_t chld, old;

	memset(r, 0, sizeof *r);
	*exit_code = 1;
	if (!argv || !argv[0] || !argv[0][0])
		return error_set(err, "no command to run");
#if defined(__linux__)
	/* the command's orphans come back to agtop, so their work still counts as the command's */
	r->subreaper = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
#endif
	if (pipe(fds) != 0)
		return error_set(err, "cannot start %s: %s", argv[0], strerror(errno));
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	/* SIGCHLD blocked until the handler knows the pid */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	install();
	child_changed = 0;
	r->t_start = clock_mono();
	r->pid = fork();
	if (r->pid < 0) {
		e = errno;
		close(fds[0]);
		close(fds[1]);
		sigprocmask(SIG_SETMASK, &old, NULL);
		runner_close(r);
		return error_set(err, "cannot start %s: %s", argv[0], strerror(e));
	}
	if (r->pid == 0) {
		close(fds[0]);
		child_exec(argv, fds[1], out_fd);
	}
	child_pid = r->pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	/* the exec error, if any, comes through the pipe; a successful exec closes it */
	do
		n = read(fds[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	close(fds[0]);
	if (n == (ssize_t)sizeof e) {
		runner_wait(r);
		runner_close(r);
		*exit_code = e == ENOENT ? 127 : 126;
		return error_set(err, "cannot run %s: %s", argv[0], strerror(e));
	}
	return 0;
}

static void reaped(struct runner *r, int status, const struct rusage *ru)
{
	r->exited = true;
	r->status = status;
	r->ru = *ru;
	r->t_end = clock_mono();
	child_pid = 0;
}

static void add_time(struct timeval *sum, const struct timeval *t)
{
	sum->tv_sec += t->tv_sec;
	sum->tv_usec += t->tv_usec;
	if (sum->tv_usec >= 1000000) {
		sum->tv_sec++;
		sum->tv_usec -= 1000000;
	}
}

/* Reaps the command, and (as the subreaper on Linux, where agtop has no other children) any
 * orphan of it that came back to agtop, whose CPU time then counts as the command's. */
bool runner_poll(struct runner *r)
{
	int status;
	struct rusage ru;
	pid_t p;

	while ((p = wait4(r->subreaper ? -1 : r->pid, &status, WNOHANG, &ru)) > 0) {
		if (p == r->pid) {
			reaped(r, status, &ru);
		} else {
			add_time(&r->orphans.ru_utime, &ru.ru_utime);
			add_time(&r->orphans.ru_stime, &ru.ru_stime);
			if (ru.ru_maxrss > r->orphans.ru_maxrss)
				r->orphans.ru_maxrss = ru.ru_maxrss;
		}
		if (!r->subreaper)
			break;
	}
	return r->exited;
}

bool runner_sleep_until(struct runner *r, double deadline)
{
	for (;;) {
		double left;
		struct timespec ts;

		child_changed = 0;
		if (runner_poll(r))
			return false;
		left = deadline - clock_mono();
		if (left <= 0)
			return true;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		if (!child_changed)
			nanosleep(&ts, NULL); /* SIGCHLD ends it early */
	}
}

void runner_wait(struct runner *r)
{
	while (!r->exited) {
		int status;
		struct rusage ru;
		pid_t p = wait4(r->pid, &status, 0, &ru);
		if (p == r->pid)
			reaped(r, status, &ru);
		else if (p < 0 && errno != EINTR)
			break;
	}
	runner_poll(r); /* orphans that have ended by now */
}

int runner_exit_code(const struct runner *r)
{
	if (!r->exited)
		return 1;
	if (WIFEXITED(r->status))
		return WEXITSTATUS(r->status);
	if (WIFSIGNALED(r->status))
		return 128 + WTERMSIG(r->status);
	return 1;
}

const char *runner_describe(const struct runner *r, char *buf, size_t size)
{
	if (!r->exited)
		snprintf(buf, size, "is still running");
	else if (WIFEXITED(r->status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(r->status));
	else if (WIFSIGNALED(r->status))
		snprintf(buf, size, "was ended by signal %d (%s)%s", WTERMSIG(r->status),
		         strsignal(WTERMSIG(r->status)),
#ifdef WCOREDUMP
		         WCOREDUMP(r->status) ? ", core dumped" :
#endif
		                              "");
	else
		snprintf(buf, size, "ended");
	return buf;
}
