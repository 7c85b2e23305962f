/* test_cli_input.c - endless and blocking input and costly filters through the real binary: a
 * line longer than the cap is an error with bounded memory, a filter over its budget is switched
 * off, and a stop signal during a blocking or endless read
 * ends agtop with its documented exit code (143 SIGTERM, 130 Ctrl-C), not "Interrupted system
 * call". Every run is bounded: a child that outlives its time is killed and the test fails. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define LIMIT_S 20 /* a hang guard, far above what any run here takes */

struct child {
	pid_t pid;
	char out[600], err[600];
};

/* Starts agtop with stdin from in_fd (-1: /dev/null), stdout and stderr into files in dir. */
static void start(struct child *c, const char *dir, int in_fd, char *const argv[])
{
	snprintf(c->out, sizeof c->out, "%s/out.txt", dir);
	snprintf(c->err, sizeof c->err, "%s/err.txt", dir);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		int in = in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY);
		int out = open(c->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(c->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execv(argv[0], argv);
		_exit(127);
	}
}

/* Waits for the child to end by itself within LIMIT_S; its exit status (128+N for a signal). */
static int finish(struct child *c, struct rusage *ru)
{
	int status = 0;

	for (int i = 0; i < LIMIT_S * 20; i++) {
		pid_t r = wait4(c->pid, &status, WNOHANG, ru);
		if (r == c->pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(50000);
	}
	kill(c->pid, SIGKILL);
	wait4(c->pid, &status, 0, ru);
	fail_msg("agtop did not end within %d s", LIMIT_S);
	return -1;
}

static char *text_of(const char *path)
{
	char *t = read_file(path, NULL);

	assert_non_null(t);
	return t;
}

/* Runs argv to its end: it must fail (exit 1) with exactly want on stderr, and with memory to
 * match the bounds (twice a cap for a buffer's doubling, and the sanitizers' share). */
static void bounded_error(char *const argv[], const char *want)
{
	char *d = tmp_dir(), *err;
	struct child c;
	struct rusage ru;

	start(&c, d, -1, argv);
	assert_int_equal(finish(&c, &ru), 1);
	err = text_of(c.err);
	assert_string_equal(err, want);
	assert_true(ru.ru_maxrss < 512 * 1024);
	free(err);
	tmp_cleanup(d);
	free(d);
}

/* --replay /dev/zero: one endless line. An error at the 16 MiB cap (getline grew it to
 * 17.8 GB). */
static void replay_of_an_endless_line_stops_at_the_cap(void **state)
{
	char *argv[] = { AGTOP_BINARY, "--replay", "/dev/zero", "--json", NULL };

	(void)state;
	bounded_error(argv, "agtop: --replay /dev/zero: line 1 is longer than 16 MiB: not a "
	                    "recording\n");
}

/* A pipe that sends nothing yet, then one that sent one sample: agtop waits in a blocking
 * read. A stop signal then ends it with 128+N (and the sample it had), never with "read error:
 * Interrupted system call" and exit 1. */
static void stop_during_a_blocking_replay_read(int sig, int want)
{
	char *argv[] = { AGTOP_BINARY, "--replay", "-", "--json", NULL };
	char *line;
	size_t len;

	line = read_file(data_path("apple_m4max.jsonl"), &len);
	*(strchr(line, '\n') + 1) = '\0';
	for (int sent = 0; sent <= 1; sent++) {
		char *d = tmp_dir(), *out, *err;
		struct child c;
		struct rusage ru;
		int in[2];

		assert_int_equal(pipe(in), 0);
		if (sent)
			assert_int_equal(write(in[1], line, strlen(line)), (ssize_t)strlen(line));
		start(&c, d, in[0], argv);
		close(in[0]);
		usleep(500000);
		kill(c.pid, sig);
		assert_int_equal(finish(&c, &ru), want);
		close(in[1]);
		err = text_of(c.err);
		assert_string_equal(err, "");
		out = text_of(c.out);
		assert_int_equal(count_lines(out), (size_t)sent);
		free(out);
		free(err);
		tmp_cleanup(d);
		free(d);
	}
	free(line);
}

static void sigterm_during_a_blocking_replay_read_exits_143(void **state)
{
	(void)state;
	stop_during_a_blocking_replay_read(SIGTERM, 143);
}

static void sigint_during_a_blocking_replay_read_exits_130(void **state)
{
	(void)state;
	stop_during_a_blocking_replay_read(SIGINT, 130);
}

/* A writer that sends blank lines without end (as `yes ''` would). */
static pid_t blank_writer(int fd, int read_end)
{
	pid_t pid = fork();

	if (pid == 0) {
		static char nl[65536];
		close(read_end); /* the writer ends when agtop's end is closed */
		memset(nl, '\n', sizeof nl);
		signal(SIGPIPE, SIG_DFL);
		for (;;)
			if (write(fd, nl, sizeof nl) < 0)
				_exit(0);
	}
	return pid;
}

/* A recording that goes on with blank lines for ever: SIGTERM still ends agtop at once. */
static void sigterm_during_endless_blank_lines_exits_143(void **state)
{
	char *d = tmp_dir(), *line;
	char *argv[] = { AGTOP_BINARY, "--replay", "-", "--json", NULL };
	struct child c;
	struct rusage ru;
	int in[2], status;
	pid_t writer;
	size_t len;

	(void)state;
	line = read_file(data_path("apple_m4max.jsonl"), &len);
	*(strchr(line, '\n') + 1) = '\0';
	assert_int_equal(pipe(in), 0);
	assert_int_equal(write(in[1], line, strlen(line)), (ssize_t)strlen(line));
	writer = blank_writer(in[1], in[0]);
	start(&c, d, in[0], argv);
	close(in[0]);
	close(in[1]);
	usleep(500000);
	kill(c.pid, SIGTERM);
	assert_int_equal(finish(&c, &ru), 143);
	kill(writer, SIGKILL);
	waitpid(writer, &status, 0);
	free(line);
	tmp_cleanup(d);
	free(d);
}

/* --powermetrics-input /dev/zero: bytes without end that never make a document (NUL after
 * NUL). A clear error once twice the largest document went by; it used to read for ever, deaf to
 * SIGTERM. */
static void powermetrics_input_without_documents_is_an_error(void **state)
{
	char *argv[] = { AGTOP_BINARY, "--powermetrics-input", "/dev/zero", "--json", NULL };

	(void)state;
	bounded_error(argv, "agtop: /dev/zero: 16 MiB without a complete plist document: not a "
	                    "powermetrics stream\n");
}

/* --decode-dump /dev/zero: read whole, it grew without end; now an error at 64 MiB. */
static void decode_dump_of_an_endless_file_is_an_error(void **state)
{
	char *argv[] = { AGTOP_BINARY, "--decode-dump", "/dev/zero", NULL };

	(void)state;
	bounded_error(argv, "agtop: --decode-dump /dev/zero: larger than 64 MiB: not an IOReport "
	                    "dump\n");
}

/* A recording whose first process has a long command line of 'a's: a filter with a
 * back-reference, ((a+)\2)+b, used to spin on it for minutes, deaf to q and SIGTERM. Now it is
 * switched off with one warning and agtop goes on. */
static void a_back_reference_filter_cannot_hang_agtop(void **state)
{
	char *d = tmp_dir(), *line, *err, *out, rec[600], longcmd[4100], repl[4200];
	char *argv[] = { AGTOP_BINARY, "--replay", rec, "--replay-speed", "0",
		         "--json",     "--count",  "3", "--proc-filter",  "((a+)\\2)+b",
		         NULL };
	struct child c;
	struct rusage ru;

	(void)state;
	memset(longcmd, 'a', 4000);
	strcpy(longcmd + 4000, "cb ");
	snprintf(repl, sizeof repl, "\"cmdline\":\"%s", longcmd);
	line = recorded_line_with("apple_m4max.jsonl", "\"cmdline\":\"", repl);
	assert_int_equal(write_file(d, "long.jsonl", line), 0);
	snprintf(rec, sizeof rec, "%s/long.jsonl", d);
	start(&c, d, -1, argv);
	assert_int_equal(finish(&c, &ru), 0);
	err = text_of(c.err);
	assert_string_equal(err, "agtop: --proc-filter ((a+)\\2)+b switched off: too costly to "
	                         "match on a command line (every process is written from now "
	                         "on)\n");
	out = text_of(c.out);
	assert_int_equal(count_lines(out), 1);
	assert_non_null(strstr(out, longcmd));
	free(out);
	free(err);
	free(line);
	tmp_cleanup(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_of_an_endless_line_stops_at_the_cap),
		cmocka_unit_test(sigterm_during_a_blocking_replay_read_exits_143),
		cmocka_unit_test(sigint_during_a_blocking_replay_read_exits_130),
		cmocka_unit_test(sigterm_during_endless_blank_lines_exits_143),
		cmocka_unit_test(powermetrics_input_without_documents_is_an_error),
		cmocka_unit_test(decode_dump_of_an_endless_file_is_an_error),
		cmocka_unit_test(a_back_reference_filter_cannot_hang_agtop),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
