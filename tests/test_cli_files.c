/* test_cli_files.c - the files agtop writes, attacked: the real binary never replaces a
 * device, a FIFO or a link, never writes through a link planted beside its target, never
 * records into the recording it replays, and after a failed write loses nothing later. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define RUN(res, ...)                                                 \
	do {                                                          \
		char *argv_[] = { AGTOP_BINARY, __VA_ARGS__, NULL };  \
		assert_int_equal(run_cmd(argv_, NULL, NULL, res), 0); \
	} while (0)

static const char victim_text[] = "root:x:0:0:precious\n";

/* A file others must not see changed. */
static void make_victim(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(victim_text, f);
	fclose(f);
}

static void victim_intact(const char *path)
{
	char *t = read_file(path, NULL);

	assert_non_null(t);
	assert_string_equal(t, victim_text);
	free(t);
}

static size_t count_entries(const char *dir)
{
	char cmd[600];
	FILE *p;
	size_t n = 0;
	int c;

	snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((c = fgetc(p)) != EOF)
		n += c == '\n';
	pclose(p);
	return n;
}

/* --prometheus-textfile onto a FIFO or a symlink: refused in one line, nothing replaced. */
static void textfile_refuses_a_fifo_or_a_link_target(void **state)
{
	char *d = tmp_dir(), fifo[512], link[512], victim[512];
	struct cmd_result r;
	struct stat st;

	(void)state;
	snprintf(fifo, sizeof fifo, "%s/node.prom", d);
	snprintf(link, sizeof link, "%s/link.prom", d);
	snprintf(victim, sizeof victim, "%s/passwd", d);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	RUN(&r, "--replay", (char *)data_path("apple_m4max.jsonl"), "--replay-speed", "0",
	    "--headless", "--count", "1", "--prometheus-textfile", fifo);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "cannot write --prometheus-textfile"));
	assert_non_null(strstr(r.err, "it is a FIFO, not a regular file"));
	assert_int_equal(count_lines(r.err), 1);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	cmd_result_free(&r);

	make_victim(victim);
	assert_int_equal(symlink(victim, link), 0);
	RUN(&r, "--replay", (char *)data_path("apple_m4max.jsonl"), "--replay-speed", "0",
	    "--headless", "--count", "1", "--prometheus-textfile", link);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "it is a symbolic link"));
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	victim_intact(victim);
	cmd_result_free(&r);
	tmp_cleanup(d);
	free(d);
}

/* A link planted at the temporary name agtop used to derive from its pid: the file it points
 * to is left alone, and the target becomes a regular file of metrics. */
static void textfile_never_follows_a_link_planted_at_its_temporary_name(void **state)
{
	char *d = tmp_dir(), path[512], victim[512], *text;
	struct stat st;
	int status;
	pid_t pid;

	(void)state;
	snprintf(path, sizeof path, "%s/agtop.prom", d);
	snprintf(victim, sizeof victim, "%s/passwd", d);
	make_victim(victim);
	pid = fork();
	if (pid == 0) {
		char planted[600];
		int devnull = open("/dev/null", O_RDWR);
		snprintf(planted, sizeof planted, "%s.agtop-%ld.tmp", path, (long)getpid());
		if (symlink(victim, planted) != 0)
			_exit(126);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		execl(AGTOP_BINARY, AGTOP_BINARY, "--replay", data_path("apple_m4max.jsonl"),
		      "--replay-speed", "0", "--headless", "--count", "2", "--prometheus-textfile",
		      path, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	victim_intact(victim);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	text = read_file(path, NULL);
	assert_non_null(strstr(text, "# TYPE agtop_"));
	free(text);
	tmp_cleanup(d);
	free(d);
}

/* An existing textfile is replaced whole, keeps its permission bits, and no temporary file is
 * left in the directory node_exporter reads. */
static void textfile_replaces_a_regular_file_keeping_its_mode(void **state)
{
	char *d = tmp_dir(), path[512], *text;
	struct cmd_result r;
	struct stat st;

	(void)state;
	snprintf(path, sizeof path, "%s/agtop.prom", d);
	make_victim(path);
	assert_int_equal(chmod(path, 0640), 0);
	RUN(&r, "--replay", (char *)data_path("apple_m4max.jsonl"), "--replay-speed", "0",
	    "--headless", "--count", "3", "--prometheus-textfile", path);
	assert_int_equal(r.status, 0);
	cmd_result_free(&r);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	text = read_file(path, NULL);
	assert_non_null(strstr(text, "agtop_cpu_utilization_ratio"));
	assert_null(strstr(text, "precious"));
	free(text);
	assert_int_equal(count_entries(d), 1);
	tmp_cleanup(d);
	free(d);
}

static char *copy_recording(const char *dir, const char *name)
{
	size_t len;
	char *text = read_file(data_path("apple_m4max.jsonl"), &len), *path = malloc(600);

	assert_non_null(text);
	snprintf(path, 600, "%s/%s", dir, name);
	assert_int_equal(write_file_n(dir, name, text, len), 0);
	free(text);
	return path;
}

/* --replay f --record ./f (or a hard link to f): the same file by identity, refused before
 * anything is written; the recording keeps its size. */
static void record_into_the_replayed_file_under_another_name_is_refused(void **state)
{
	char *d = tmp_dir(), *rec = copy_recording(d, "rec.jsonl"), other[600], hard[600];
	const char *names[2] = { other, hard };
	struct stat before, after;
	struct cmd_result r;

	(void)state;
	snprintf(other, sizeof other, "%s/./rec.jsonl", d);
	snprintf(hard, sizeof hard, "%s/hard.jsonl", d);
	assert_int_equal(link(rec, hard), 0);
	assert_int_equal(stat(rec, &before), 0);
	for (int i = 0; i < 2; i++) {
		RUN(&r, "--replay", rec, "--replay-speed", "0", "--headless", "--count", "60",
		    "--record", (char *)names[i]);
		assert_int_equal(r.status, 2);
		assert_non_null(strstr(r.err, "cannot record into the file being replayed"));
		cmd_result_free(&r);
		assert_int_equal(stat(rec, &after), 0);
		assert_int_equal(after.st_size, before.st_size);
	}
	free(rec);
	tmp_cleanup(d);
	free(d);
}

/* --record through a symlink or into a FIFO: refused, the link's target untouched. */
static void record_refuses_a_link_or_a_fifo(void **state)
{
	char *d = tmp_dir(), link[512], victim[512], fifo[512];
	struct cmd_result r;

	(void)state;
	snprintf(link, sizeof link, "%s/rec.jsonl", d);
	snprintf(victim, sizeof victim, "%s/passwd", d);
	snprintf(fifo, sizeof fifo, "%s/fifo", d);
	make_victim(victim);
	assert_int_equal(symlink(victim, link), 0);
	RUN(&r, "--replay", (char *)data_path("apple_m4max.jsonl"), "--replay-speed", "0",
	    "--headless", "--count", "2", "--record", link);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "cannot open --record file"));
	assert_non_null(strstr(r.err, "it is a symbolic link"));
	victim_intact(victim);
	cmd_result_free(&r);

	assert_int_equal(mkfifo(fifo, 0644), 0);
	RUN(&r, "--replay", (char *)data_path("apple_m4max.jsonl"), "--replay-speed", "0",
	    "--headless", "--count", "2", "--record", fifo);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "it is a FIFO, not a regular file"));
	cmd_result_free(&r);
	tmp_cleanup(d);
	free(d);
}

/* Runs agtop with a file size limit (RLIMIT_FSIZE: what a full disk does to a write, without
 * filling one); returns the exit status (128+N for a signal), stderr in *err. */
static int run_limited(char *const argv[], rlim_t fsize, const char *dir, char **err)
{
	char errpath[600];
	int status;
	pid_t pid;

	snprintf(errpath, sizeof errpath, "%s/stderr.txt", dir);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { fsize, fsize };
		int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(fd, 2);
		setrlimit(RLIMIT_FSIZE, &rl);
		execv(argv[0], argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	*err = read_file(errpath, NULL);
	unlink(errpath);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The length of the first n lines of text. */
static size_t lines_len(const char *text, int n)
{
	const char *p = text;

	for (int i = 0; i < n; i++) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	return (size_t)(p - text);
}

/* What agtop writes of the recording: its own JSON lines. */
static char *own_lines(void)
{
	struct cmd_result r;
	char *text;

	RUN(&r, "--replay", (char *)data_path("apple_m4max.jsonl"), "--replay-speed", "0",
	    "--json");
	assert_int_equal(r.status, 0);
	text = r.out;
	r.out = NULL;
	cmd_result_free(&r);
	return text;
}

/* A --record write that fails half-way (the disk is full) leaves the file ending with the
 * last whole line; the next --record to it continues cleanly and a replay of it gives every
 * sample of both runs. */
static void a_failed_record_write_keeps_whole_lines(void **state)
{
	char *d = tmp_dir(), out[600], *err, *text, *src;
	char *argv[] = { AGTOP_BINARY,     "--replay", (char *)data_path("apple_m4max.jsonl"),
		         "--replay-speed", "0",        "--headless",
		         "--record",       out,        NULL };
	struct cmd_result r;
	size_t one;
	int rc;

	(void)state;
	snprintf(out, sizeof out, "%s/rec.jsonl", d);
	src = own_lines();
	one = lines_len(src, 1);
	/* room for the first line and half of the second */
	rc = run_limited(argv, (rlim_t)(one + (lines_len(src, 2) - one) / 2), d, &err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(err, "cannot write --record file"));
	assert_non_null(strstr(err, "the samples before this one are saved"));
	free(err);
	text = read_file(out, NULL);
	assert_int_equal(strlen(text), one);
	assert_memory_equal(text, src, one);
	free(text);

	/* the next run appends whole lines after it */
	RUN(&r, "--replay", (char *)data_path("apple_m4max.jsonl"), "--replay-speed", "0",
	    "--headless", "--record", out);
	assert_int_equal(r.status, 0);
	cmd_result_free(&r);
	RUN(&r, "--replay", out, "--replay-speed", "0", "--json");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 41);
	assert_string_equal(r.err, "");
	cmd_result_free(&r);
	free(src);
	tmp_cleanup(d);
	free(d);
}

/* A recording whose last line was torn (an older agtop, a crash, a pulled plug): the next
 * --record starts on a fresh line, and the replay skips the one damaged line with a warning
 * and plays every sample around it. */
static void record_after_a_torn_line_starts_a_fresh_one(void **state)
{
	char *d = tmp_dir(), out[600], *src;
	struct cmd_result r;

	(void)state;
	snprintf(out, sizeof out, "%s/rec.jsonl", d);
	src = own_lines();
	/* two whole lines and 100 bytes of the third */
	assert_int_equal(write_file_n(d, "rec.jsonl", src, lines_len(src, 2) + 100), 0);
	RUN(&r, "--replay", (char *)data_path("apple_m4max.jsonl"), "--replay-speed", "0",
	    "--headless", "--count", "5", "--record", out);
	assert_int_equal(r.status, 0);
	cmd_result_free(&r);
	RUN(&r, "--replay", out, "--replay-speed", "0", "--json");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 7);
	assert_memory_equal(r.out, src, lines_len(src, 2));
	assert_non_null(strstr(r.err, "rec.jsonl: line 3 skipped"));
	assert_int_equal(count_lines(r.err), 1);
	cmd_result_free(&r);
	free(src);
	tmp_cleanup(d);
	free(d);
}

/* A replayed recording whose chip and process names carry a terminal's escape sequence and a
 * carriage return: the textfile's label values hold spaces instead, and no byte below 0x20 but
 * the line ends. */
static void textfile_labels_from_a_recording_drop_control_bytes(void **state)
{
	char *d = tmp_dir(), path[512], rec[512], *line, *text;
	struct cmd_result r;

	(void)state;
	snprintf(path, sizeof path, "%s/agtop.prom", d);
	snprintf(rec, sizeof rec, "%s/rec.jsonl", d);
	line = recorded_line_with("apple_m4max.jsonl", "\"chip\":\"Apple M4 Max\"",
	                          "\"chip\":\"Apple\\u001b[2J\\rM4\\u0007 Max\"");
	assert_int_equal(write_file(d, "rec.jsonl", line), 0);
	RUN(&r, "--replay", rec, "--replay-speed", "0", "--headless", "--prometheus-textfile", path,
	    "--prometheus-processes", "5");
	assert_int_equal(r.status, 0);
	cmd_result_free(&r);
	text = read_file(path, NULL);
	assert_non_null(strstr(text, "chip=\"Apple [2J M4  Max\""));
	for (const char *p = text; *p; p++)
		assert_true((unsigned char)*p >= 0x20 || *p == '\n');
	free(text);
	free(line);
	tmp_cleanup(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(textfile_refuses_a_fifo_or_a_link_target),
		cmocka_unit_test(textfile_never_follows_a_link_planted_at_its_temporary_name),
		cmocka_unit_test(textfile_replaces_a_regular_file_keeping_its_mode),
		cmocka_unit_test(record_into_the_replayed_file_under_another_name_is_refused),
		cmocka_unit_test(record_refuses_a_link_or_a_fifo),
		cmocka_unit_test(a_failed_record_write_keeps_whole_lines),
		cmocka_unit_test(record_after_a_torn_line_starts_a_fresh_one),
		cmocka_unit_test(textfile_labels_from_a_recording_drop_control_bytes),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
