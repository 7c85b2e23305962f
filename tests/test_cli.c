/* test_cli.c - the real binary: exit codes, messages, JSON lines, record and replay */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define RUN(res, env, input, ...)                                     \
	do {                                                          \
		char *argv_[] = { AGTOP_BINARY, __VA_ARGS__, NULL };  \
		assert_int_equal(run_cmd(argv_, env, input, res), 0); \
	} while (0)

static void help_and_version(void **state)
{
	struct cmd_result r;

	(void)state;
	RUN(&r, NULL, NULL, "--help");
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out, "usage: agtop [options]\n", 23) == 0);
	assert_non_null(strstr(r.out, "\n  --alert-sustain-samples n\n"));
	assert_string_equal(r.err, "");
	cmd_result_free(&r);
	RUN(&r, NULL, NULL, "--version");
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out, "agtop ", 6) == 0);
	cmd_result_free(&r);
	RUN(&r, NULL, NULL, "--completions", "zsh");
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out, "#compdef agtop\n", 15) == 0);
	cmd_result_free(&r);
}

/* Issue 14: a usage error is one line and a pointer to --help, not the whole usage. */
static void usage_errors_exit_2_with_one_line(void **state)
{
	struct cmd_result r;

	(void)state;
	RUN(&r, NULL, NULL, "--show_cores", "true");
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "agtop: error: unrecognized arguments: true\n"
	                           "see agtop --help\n");
	assert_string_equal(r.out, "");
	cmd_result_free(&r);
	RUN(&r, NULL, NULL, "--proc-filter", "[");
	assert_int_equal(r.status, 2);
	assert_true(strncmp(r.err,
	                    "agtop: error: argument --proc-filter: invalid --proc-filter "
	                    "regex: ",
	                    63) == 0);
	assert_int_equal(count_lines(r.err), 2);
	cmd_result_free(&r);
	RUN(&r, NULL, NULL, "--interval", "0");
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "agtop: error: argument --interval: interval must be in the "
	                           "range 0.1-86400 seconds, got '0'\nsee agtop --help\n");
	cmd_result_free(&r);
}

/* --write-config into a folder of the test's own, then a run that reads it back. */
static void write_config_then_read_it(void **state)
{
	char *dir = tmp_dir(), xdg[PATH_MAX + 24], path[PATH_MAX + 32], want[PATH_MAX + 64];
	char *env[] = { xdg, NULL }, *text;
	struct cmd_result r;

	(void)state;
	snprintf(xdg, sizeof xdg, "XDG_CONFIG_HOME=%s", dir);
	snprintf(path, sizeof path, "%s/agtop/agtop.conf", dir);
	RUN(&r, env, NULL, "--interval", "0.1", "--write-config");
	assert_int_equal(r.status, 0);
	snprintf(want, sizeof want, "agtop: settings written to %s\n", path);
	assert_string_equal(r.out, want);
	cmd_result_free(&r);
	text = read_file(path, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\ninterval = 0.1\n"));
	free(text);
	/* a malformed line: one warning naming FILE:LINE, the rest still applies */
	assert_int_equal(write_file(dir, "agtop/agtop.conf", "interval = 0.1\nbogus\n"), 0);
	RUN(&r, env, NULL, "--json", "--count", "2");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 2);
	assert_non_null(strstr(r.out, "\"interval_s\":0.1"));
	snprintf(want, sizeof want,
	         "agtop: %s:2: expected name = value, got 'bogus'; line ignored\n", path);
	assert_string_equal(r.err, want);
	cmd_result_free(&r);
	tmp_cleanup(dir);
	free(dir);
}

/* More unrecognized words than the message holds (found by fuzz_options: the list's end was
 * computed past its buffer): a usage error with the list cut short. */
static void many_unrecognized_words_are_a_usage_error(void **state)
{
	char *argv[42];
	char word[40];
	struct cmd_result r;

	(void)state;
	memset(word, 'w', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	argv[0] = AGTOP_BINARY;
	for (int i = 1; i <= 40; i++)
		argv[i] = word;
	argv[41] = NULL;
	assert_int_equal(run_cmd(argv, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "agtop: error: unrecognized arguments: wwww"));
	cmd_result_free(&r);
}

static void json_count_prints_that_many_lines(void **state)
{
	struct cmd_result r;

	(void)state;
	RUN(&r, NULL, NULL, "--json", "--count", "3", "--interval", "0.1");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 3);
	assert_true(strncmp(r.out, "{\"schema\":1,", 12) == 0);
	assert_non_null(strstr(r.out, "\"seq\":3,"));
	assert_non_null(strstr(r.out, "\"memory\":{\"total_bytes\":"));
	cmd_result_free(&r);
}

static void unwritable_record_fails_at_start(void **state)
{
	struct cmd_result r;
	clock_t t0 = clock();

	(void)state;
	RUN(&r, NULL, NULL, "--json", "--count", "1", "--record", "/nonexistent/dir/rec.jsonl");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err,
	                       "agtop: cannot open --record file /nonexistent/dir/rec.jsonl: "
	                       "No such file or directory"));
	(void)t0;
	cmd_result_free(&r);
}

static void record_then_replay_gives_the_same_lines(void **state)
{
	char *d = tmp_dir(), rec[512], rec2[512];
	struct cmd_result r;
	char *a, *b;

	(void)state;
	snprintf(rec, sizeof rec, "%s/rec.jsonl", d);
	snprintf(rec2, sizeof rec2, "%s/rec2.jsonl", d);
	/* recording while printing: the file holds exactly what was printed */
	RUN(&r, NULL, NULL, "--json", "--count", "3", "--interval", "0.1", "--record", rec);
	assert_int_equal(r.status, 0);
	a = read_file(rec, NULL);
	assert_string_equal(a, r.out);
	cmd_result_free(&r);
	/* --record appends */
	RUN(&r, NULL, NULL, "--json", "--count", "1", "--interval", "0.1", "--record", rec);
	assert_int_equal(r.status, 0);
	free(a);
	a = read_file(rec, NULL);
	assert_int_equal(count_lines(a), 4);
	cmd_result_free(&r);

	/* replayed as fast as possible and re-recorded: byte for byte the same */
	RUN(&r, NULL, NULL, "--replay", rec, "--replay-speed", "0", "--json", "--record", rec2);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, a);
	b = read_file(rec2, NULL);
	assert_string_equal(b, a);
	cmd_result_free(&r);
	free(b);

	/* --count stops a replay early */
	RUN(&r, NULL, NULL, "--replay", rec, "--replay-speed", "0", "--json", "--count", "2");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 2);
	cmd_result_free(&r);
	free(a);
	tmp_cleanup(d);
	free(d);
}

/* A torn last line (a recorder killed mid-write) is skipped with a one-line warning; two
 * damaged lines in a row end the replay with exit 1 after the samples before them. */
static void replay_skips_one_damaged_line_with_a_warning(void **state)
{
	char *d = tmp_dir(), rec[512];
	struct cmd_result r;
	char *good;
	FILE *f;

	(void)state;
	snprintf(rec, sizeof rec, "%s/rec.jsonl", d);
	RUN(&r, NULL, NULL, "--json", "--count", "2", "--interval", "0.1", "--record", rec);
	assert_int_equal(r.status, 0);
	good = strdup(r.out);
	cmd_result_free(&r);
	f = fopen(rec, "a");
	fputs("{\"schema\":1,\"seq\":3,\"time\":", f); /* truncated */
	fclose(f);
	RUN(&r, NULL, NULL, "--replay", rec, "--replay-speed", "0", "--json");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, good);
	assert_non_null(
	    strstr(r.err, "rec.jsonl: line 3 skipped (truncated: no end of line): invalid JSON"));
	assert_int_equal(count_lines(r.err), 1);
	cmd_result_free(&r);

	f = fopen(rec, "a");
	fputs("\nnot a sample either\n", f);
	fclose(f);
	RUN(&r, NULL, NULL, "--replay", rec, "--replay-speed", "0", "--json");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, good);
	assert_non_null(strstr(r.err, "rec.jsonl: lines 3 and 4 are no samples"));
	cmd_result_free(&r);
	free(good);
	tmp_cleanup(d);
	free(d);
}

static void captured_tree_through_the_environment(void **state)
{
	char procfs[600], sysfs[600];
	char *env[] = { procfs, sysfs, NULL };
	struct cmd_result r;

	(void)state;
	snprintf(procfs, sizeof procfs, "AGTOP_PROCFS=%s", data_path("linux/node_exporter/proc"));
	snprintf(sysfs, sizeof sysfs, "AGTOP_SYSFS=%s", data_path("linux/node_exporter/sys"));
	RUN(&r, env, NULL, "--json", "--count", "1", "--interval", "0.1");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 1);
	assert_non_null(strstr(r.out, "\"chip\":\"Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz\""));
	assert_non_null(strstr(r.out, "\"user\":444.9,"));
	assert_non_null(strstr(r.out, "\"total_bytes\":3831959552,\"used_bytes\":2579431424,"));
	assert_non_null(strstr(r.out, "\"package\":{\"watts\":null,\"joules\":240422.366267}"));
	assert_non_null(strstr(r.out,
	                       "\"chip\":\"platform_coretemp_0\",\"sensor\":\"temp1\","
	                       "\"label\":\"Physical id 0\",\"kind\":\"cpu\",\"celsius\":55}"));
	cmd_result_free(&r);
}

static void forced_powermetrics_on_linux_is_an_error(void **state)
{
	char *env[] = { "AGTOP_FORCE_POWERMETRICS=1", NULL };
	struct cmd_result r;

	(void)state;
	RUN(&r, env, NULL, "--json", "--count", "1");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "powermetrics exists only on macOS"));
	cmd_result_free(&r);
}

static void interrupted_exits_130_and_keeps_what_was_written(void **state)
{
	char *d = tmp_dir(), rec[512], *text;
	int out[2], status;
	pid_t pid;

	(void)state;
	snprintf(rec, sizeof rec, "%s/rec.jsonl", d);
	assert_int_equal(pipe(out), 0);
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", 0);
		dup2(devnull, 0);
		dup2(out[1], 1);
		close(out[0]);
		execl(AGTOP_BINARY, AGTOP_BINARY, "--json", "--interval", "0.1", "--record", rec,
		      (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	{
		/* wait for two samples, then Ctrl-C */
		char buf[65536];
		size_t got = 0, lines = 0;
		while (lines < 2) {
			ssize_t n = read(out[0], buf + got, sizeof buf - got - 1);
			assert_true(n > 0);
			for (ssize_t i = 0; i < n; i++)
				lines += buf[got + (size_t)i] == '\n';
			got += (size_t)n;
			if (got >= sizeof buf - 1)
				got = 0;
		}
	}
	kill(pid, SIGINT);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(out[0]);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	text = read_file(rec, NULL);
	assert_true(count_lines(text) >= 2);
	free(text);

	/* SIGTERM: 128 + 15 */
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", 1);
		dup2(devnull, 1);
		execl(AGTOP_BINARY, AGTOP_BINARY, "--json", "--interval", "5", (char *)NULL);
		_exit(127);
	}
	usleep(300000);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 143);
	tmp_cleanup(d);
	free(d);
}

#ifdef __linux__ /* /proc/<pid>/maps; test_procsel and test_powermetrics check the loading on \
                  * every system */
/* The maps of a running agtop (started with args, given time to write one sample): the caller
 * frees them. */
static char *maps_of_running(const char *const *args, const char *input, size_t input_len)
{
	int out[2], in[2] = { -1, -1 }, status;
	char buf[4096], maps[64], *text;
	const char *argv[16] = { AGTOP_BINARY };
	size_t n = 1;
	pid_t pid;

	while (args[n - 1] && n < 15) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	assert_int_equal(pipe(out), 0);
	if (input)
		assert_int_equal(pipe(in), 0);
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", 0);
		dup2(input ? in[0] : devnull, 0);
		dup2(out[1], 1);
		close(out[0]);
		if (input)
			close(in[1]);
		execv(AGTOP_BINARY, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	if (input) { /* the stream stays open: agtop waits for its next document */
		close(in[0]);
		assert_true(write(in[1], input, input_len) == (ssize_t)input_len);
	}
	assert_true(read(out[0], buf, sizeof buf) > 0); /* running: a sample came out */
	snprintf(maps, sizeof maps, "/proc/%d/maps", (int)pid);
	text = read_file(maps, NULL);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(out[0]);
	if (input)
		close(in[1]);
	assert_non_null(text);
	return text;
}

/* The libraries only some runs need are opened by the feature that needs them
 * (src/util/lazylib.h): without --prometheus no libmicrohttpd and no TLS stack (2.4 MB of
 * resident memory), without a process filter no PCRE2, without powermetrics' plists no expat
 * (together about 200 KB more, bench/README.md); and each one is there when its feature runs. */
static void libraries_load_only_for_their_features(void **state)
{
	static const char *const plain[] = { "--json", "--interval", "0.1", NULL };
	static const char *const filter[] = { "--json",        "--interval", "0.1",
		                              "--proc-filter", "a",          NULL };
	static const char *const plist[] = { "--json", "--powermetrics-input", "-", NULL };
	static const char *const endpoint[] = { "--json",       "--interval",  "0.1",
		                                "--prometheus", "127.0.0.1:0", NULL };
	size_t len;
	char *text, *doc = read_file(data_path("agtop/pm_valid_frame.plist"), &len);

	(void)state;
	text = maps_of_running(plain, NULL, 0);
	assert_null(strstr(text, "libmicrohttpd"));
	assert_null(strstr(text, "libgnutls"));
	assert_null(strstr(text, "libpcre2-8"));
	assert_null(strstr(text, "libexpat"));
	assert_non_null(strstr(text, "libjansson")); /* the check reads real maps */
	free(text);

	text = maps_of_running(endpoint, NULL, 0);
	assert_non_null(strstr(text, "libmicrohttpd"));
	free(text);

	text = maps_of_running(filter, NULL, 0);
	assert_non_null(strstr(text, "libpcre2-8"));
	assert_null(strstr(text, "libexpat"));
	free(text);

	assert_non_null(doc);
	text = maps_of_running(plist, doc, len + 1); /* the document and its NUL */
	assert_non_null(strstr(text, "libexpat"));
	assert_null(strstr(text, "libpcre2-8"));
	free(text);
	free(doc);
}

#endif

/* --decode-dump runs the Apple decoder on a dump anywhere; --json gives one line per sample;
 * a bad dump is a clear error (exit 1); --dump-ioreport names macOS off a Mac. */
static void decode_dump_everywhere(void **state)
{
	struct cmd_result r;
	char *d = tmp_dir();
	char bad[512];

	(void)state;
	RUN(&r, NULL, NULL, "--decode-dump", AGTOP_SOURCE_DIR "/tests/dumps/m5max.json");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "chip Apple M5 Max"));
	assert_non_null(strstr(r.out, "S-CPU    super          0 12-17"));
	assert_non_null(strstr(r.out, "   4608   4608"));
	assert_string_equal(r.err, "");
	cmd_result_free(&r);

	RUN(&r, NULL, NULL, "--decode-dump", AGTOP_SOURCE_DIR "/tests/dumps/m4max.json", "--json");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 2);
	assert_non_null(strstr(r.out, "\"schema\":1"));
	assert_non_null(strstr(r.out, "\"source\":\"ioreport\""));
	cmd_result_free(&r);

	write_file(d, "bad.json", "{\"format\": \"agtop-ioreport-dump\", \"version\": 1,\n");
	snprintf(bad, sizeof bad, "%s/bad.json", d);
	RUN(&r, NULL, NULL, "--decode-dump", bad);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "agtop: --decode-dump "));
	assert_non_null(strstr(r.err, "invalid JSON at line"));
	assert_string_equal(r.out, "");
	cmd_result_free(&r);

#ifdef __linux__
	snprintf(bad, sizeof bad, "%s/out.json", d);
	RUN(&r, NULL, NULL, "--dump-ioreport", bad);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "--dump-ioreport needs macOS"));
	cmd_result_free(&r);
#endif
	tmp_cleanup(d);
	free(d);
}

/* --powermetrics-input: a plist stream a user started, read on any platform */
static void powermetrics_input_everywhere(void **state)
{
	struct cmd_result r;
	char *d = tmp_dir();
	char path[512], two[8192];
	char *doc;
	size_t len;

	(void)state;
	snprintf(path, sizeof path, "%s", data_path("agtop/pm_valid_frame.plist"));
	RUN(&r, NULL, NULL, "--powermetrics-input", path, "--json", "--count", "1");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 1);
	assert_non_null(strstr(r.out, "\"source\":\"powermetrics\""));
	assert_non_null(strstr(r.out, "\"time\":1700000001,"));
	assert_non_null(strstr(r.out, "{\"name\":\"P0-CPU\",\"kind\":\"performance\""));
	assert_non_null(strstr(r.out, "\"gpus\":[{\"name\":\"Apple GPU\",\"vendor\":\"apple\","
	                              "\"cores\":null,\"util\":0.75,\"freq_hz\":500000000"));
	assert_non_null(strstr(r.out, "\"read_bps\":14000000000"));
	cmd_result_free(&r);

	/* two NUL-separated documents in a file: both, then the end of the stream is a normal end
	 */
	doc = read_file(data_path("agtop/pm_valid_frame.plist"), &len);
	assert_non_null(doc);
	assert_true(2 * len + 2 < sizeof two);
	memcpy(two, doc, len + 1);
	memcpy(two + len + 1, doc, len + 1);
	assert_int_equal(write_file_n(d, "two.plist", two, 2 * len + 2), 0);
	snprintf(path, sizeof path, "%s/two.plist", d);
	RUN(&r, NULL, NULL, "--powermetrics-input", path, "--json", "--replay-speed", "0");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 2);
	cmd_result_free(&r);

	/* standard input, as `sudo powermetrics -f plist ... | agtop --powermetrics-input -` */
	RUN(&r, NULL, doc, "--powermetrics-input", "-", "--json");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 1);
	assert_non_null(strstr(r.out, "\"thermal_pressure\":\"nominal\""));
	cmd_result_free(&r);
	free(doc);

	/* not a plist stream, and a missing file: exit 1 with the reason */
	write_file(d, "junk", "hello\n");
	snprintf(path, sizeof path, "%s/junk", d);
	RUN(&r, NULL, NULL, "--powermetrics-input", path, "--json");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "held no complete powermetrics plist document: bad XML"));
	assert_string_equal(r.out, "");
	cmd_result_free(&r);
	snprintf(path, sizeof path, "%s/none", d);
	RUN(&r, NULL, NULL, "--powermetrics-input", path, "--json");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "--powermetrics-input"));
	assert_non_null(strstr(r.err, "No such file"));
	cmd_result_free(&r);
	RUN(&r, NULL, NULL, "--powermetrics-input", path, "--replay", path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "not allowed with argument --replay"));
	cmd_result_free(&r);
	tmp_cleanup(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(help_and_version),
		cmocka_unit_test(usage_errors_exit_2_with_one_line),
		cmocka_unit_test(write_config_then_read_it),
		cmocka_unit_test(many_unrecognized_words_are_a_usage_error),
		cmocka_unit_test(json_count_prints_that_many_lines),
		cmocka_unit_test(unwritable_record_fails_at_start),
		cmocka_unit_test(record_then_replay_gives_the_same_lines),
		cmocka_unit_test(replay_skips_one_damaged_line_with_a_warning),
		cmocka_unit_test(captured_tree_through_the_environment),
		cmocka_unit_test(forced_powermetrics_on_linux_is_an_error),
		cmocka_unit_test(interrupted_exits_130_and_keeps_what_was_written),
#ifdef __linux__
		cmocka_unit_test(libraries_load_only_for_their_features),
#endif
		cmocka_unit_test(decode_dump_everywhere),
		cmocka_unit_test(powermetrics_input_everywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
