/* test_util_io.c - util/file (writing files agtop must not damage) and util/lines (bounded line
 * reading), driven directly */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util/file.h"
#include "util/lines.h"

static char *path_in(const char *dir, const char *name)
{
	char *p = malloc(600);

	snprintf(p, 600, "%s/%s", dir, name);
	return p;
}

static void file_replace_writes_whole_files_and_refuses_the_rest(void **state)
{
	char *d = tmp_dir(), *target = path_in(d, "m.prom"), *fifo = path_in(d, "f.prom");
	char *link = path_in(d, "l.prom"), *sub = path_in(d, "dir"), *text;
	struct error err;
	struct stat st;

	(void)state;
	/* new: 0666 less the umask */
	umask(022);
	assert_int_equal(file_replace(target, "one\n", 4, &err), 0);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* replaced whole, permission bits kept */
	assert_int_equal(chmod(target, 0600), 0);
	assert_int_equal(file_replace(target, "two, longer\n", 12, &err), 0);
	text = read_file(target, NULL);
	assert_string_equal(text, "two, longer\n");
	free(text);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(file_replace(fifo, "x", 1, &err), -1);
	assert_string_equal(
	    err.msg, "it is a FIFO, not a regular file, and agtop writes only regular files");
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(file_replace(link, "x", 1, &err), -1);
	assert_string_equal(err.msg, "it is a symbolic link, and agtop never writes through one");
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(file_replace(sub, "x", 1, &err), -1);
	assert_non_null(strstr(err.msg, "it is a directory"));
	assert_int_equal(file_replace_check("/nonexistent/dir/x.prom", &err), -1);
	assert_string_equal(err.msg, "No such file or directory");
	/* nothing left behind: the target, the FIFO, the link and the directory */
	text = read_file(target, NULL);
	assert_string_equal(text, "two, longer\n");
	free(text);
	{
		char cmd[700];
		FILE *p;
		int n = 0, c;
		snprintf(cmd, sizeof cmd, "ls -A '%s'", d);
		p = popen(cmd, "r");
		while ((c = fgetc(p)) != EOF)
			n += c == '\n';
		pclose(p);
		assert_int_equal(n, 4);
	}
	free(target);
	free(fifo);
	free(link);
	free(sub);
	tmp_cleanup(d);
	free(d);
}

/* A write past the file size limit fails (EFBIG) and the log is cut back to its last whole
 * line; a log that ended inside a line gets the next line on a line of its own. */
static void file_log_cuts_back_a_failed_write(void **state)
{
	char *d = tmp_dir(), *p = path_in(d, "rec.jsonl"), *text;
	struct file_log l;
	struct error err;
	struct rlimit old, lim;
	char big[300];

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 2] = '\n';
	big[sizeof big - 1] = '\0';
	assert_int_equal(file_log_open(&l, p, &err), 0);
	assert_int_equal(file_log_append(&l, "first\n", 6), 0);
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 100;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	errno = 0;
	assert_int_equal(file_log_append(&l, big, strlen(big)), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(file_log_append(&l, "second\n", 7), 0);
	assert_int_equal(file_log_close(&l), 0);
	text = read_file(p, NULL);
	assert_string_equal(text, "first\nsecond\n");
	free(text);

	/* a torn end: the next line starts on its own */
	write_file(d, "torn.jsonl", "whole\nhal");
	free(p);
	p = path_in(d, "torn.jsonl");
	assert_int_equal(file_log_open(&l, p, &err), 0);
	assert_int_equal(file_log_append(&l, "next\n", 5), 0);
	assert_int_equal(file_log_append(&l, "after\n", 6), 0);
	file_log_close(&l);
	text = read_file(p, NULL);
	assert_string_equal(text, "whole\nhal\nnext\nafter\n");
	free(text);
	free(p);
	tmp_cleanup(d);
	free(d);
}

static void lines_keep_a_partial_line_across_interruptions(void **state)
{
	struct lines l;
	int fd[2];
	char *line;
	size_t len;
	volatile sig_atomic_t stop = 0;

	(void)state;
	assert_int_equal(pipe(fd), 0);
	fcntl(fd[0], F_SETFL, O_NONBLOCK);
	lines_init(&l, fd[0], 0);
	l.stop = &stop;
	assert_int_equal(write(fd[1], "one\ntw", 6), 6);
	assert_int_equal(lines_next(&l, &line, &len), LINES_OK);
	assert_int_equal(len, 4);
	assert_memory_equal(line, "one\n", 4);
	/* half a line, then nothing yet: again, and nothing lost */
	assert_int_equal(lines_next(&l, &line, &len), LINES_AGAIN);
	stop = 1; /* a stop signal: no read at all */
	assert_int_equal(write(fd[1], "o\nthree", 7), 7);
	assert_int_equal(lines_next(&l, &line, &len), LINES_AGAIN);
	stop = 0;
	assert_int_equal(lines_next(&l, &line, &len), LINES_OK);
	assert_int_equal(len, 4);
	assert_memory_equal(line, "two\n", 4);
	close(fd[1]);
	/* the last line has no end of line */
	assert_int_equal(lines_next(&l, &line, &len), LINES_OK);
	assert_int_equal(len, 5);
	assert_memory_equal(line, "three", 5);
	assert_int_equal(lines_next(&l, &line, &len), LINES_EOF);
	lines_free(&l);
	close(fd[0]);
}

static void lines_refuse_a_line_over_the_cap(void **state)
{
	struct lines l;
	int fd = open("/dev/zero", O_RDONLY);
	char *line;
	size_t len;

	(void)state;
	assert_true(fd >= 0);
	lines_init(&l, fd, 1000);
	assert_int_equal(lines_next(&l, &line, &len), LINES_TOO_LONG);
	/* the buffer stopped at the first chunk past the cap */
	assert_true(l.cap <= 256 * 1024);
	lines_free(&l);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_replace_writes_whole_files_and_refuses_the_rest),
		cmocka_unit_test(file_log_cuts_back_a_failed_write),
		cmocka_unit_test(lines_keep_a_partial_line_across_interruptions),
		cmocka_unit_test(lines_refuse_a_line_over_the_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
