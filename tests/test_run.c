/* test_run.c - `agtop run -- CMD` end to end: the real binary, a real CPU-bound child (tests/
 * helpers/burn.c), a RAPL tree under AGTOP_SYSFS whose counter the child advances (across a
 * wrap), exit codes and forwarded signals. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define AGTOP AGTOP_BINARY

static json_t *parse_summary(const char *out)
{
	json_error_t je;
	json_t *j = json_loads(out, 0, &je);

	if (!j)
		fail_msg("the summary is not JSON (%s): %s", je.text, out);
	return j;
}

static double jnum(json_t *o, const char *path)
{
	char buf[128], *save = NULL, *k;
	json_t *v = o;

	snprintf(buf, sizeof buf, "%s", path);
	for (k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
		v = json_object_get(v, k);
	if (!v || !json_is_number(v))
		fail_msg("%s is not a number in the summary", path);
	return json_number_value(v);
}

/* The summary's CPU time is the command's own: burn and one child each spend 0.6 s of CPU. */
static void run_cpu_time_matches_the_commands_own_rusage(void **state)
{
	char *tmp = tmp_dir(), self[PATH_MAX], *text;
	struct cmd_result r;
	double user, sys, cpu;
	json_t *j;

	(void)state;
	snprintf(self, sizeof self, "%s/self", tmp);
	char *argv[] = { AGTOP,      "run", "--json", "--interval", "0.2", "--",
		         AGTOP_BURN, "600", "1",      self,         NULL };
	assert_int_equal(run_cmd(argv, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 0);
	text = read_file(self, NULL);
	assert_non_null(text);
	assert_int_equal(sscanf(text, "%lf %lf", &user, &sys), 2);
	j = parse_summary(r.out);
	cpu = jnum(j, "command.user_s") + jnum(j, "command.system_s");
	print_message("summary %.3f s, the command's own %.3f s\n", cpu, user + sys);
	assert_true(user + sys >= 1.15);
	assert_true(fabs(cpu - (user + sys)) <= 0.05 * (user + sys));
	assert_int_equal((int)jnum(j, "command.exit_code"), 0);
	assert_true(jnum(j, "command.wall_s") > 0.55);
	assert_true(jnum(j, "samples") >= 2);
	json_decref(j);
	free(text);
	cmd_result_free(&r);
	tmp_cleanup(tmp);
	free(tmp);
}

/* A RAPL package zone whose counter the command advances by 0.5 J, then across the wrap
 * ((1000 J - 999.5 J) + 2 J = 2.5 J), then 1.5 J: agtop must add up to exactly 4.5 J. The
 * values are replaced with rename, so agtop never reads half a number. */
static void run_package_energy_is_what_the_rapl_counter_accumulated(void **state)
{
	char *tmp = tmp_dir(), sysfs[PATH_MAX + 16], script[4096];
	struct cmd_result r;
	json_t *j;

	(void)state;
	assert_int_equal(write_file(tmp, "sys/class/powercap/intel-rapl:0/name", "package-0\n"), 0);
	assert_int_equal(
	    write_file(tmp, "sys/class/powercap/intel-rapl:0/max_energy_range_uj", "1000000000\n"),
	    0);
	assert_int_equal(
	    write_file(tmp, "sys/class/powercap/intel-rapl:0/energy_uj", "999000000\n"), 0);
	snprintf(script, sizeof script,
	         "d=%s/sys/class/powercap/intel-rapl:0; "
	         "set_uj() { printf '%%s\\n' $1 > $d/e.tmp && mv $d/e.tmp $d/energy_uj; }; "
	         "sleep 0.3; set_uj 999500000; sleep 0.3; set_uj 2000000; sleep 0.3; "
	         "set_uj 3500000; sleep 0.1",
	         tmp);
	snprintf(sysfs, sizeof sysfs, "AGTOP_SYSFS=%s/sys", tmp);
	char rec[PATH_MAX + 16];
	snprintf(rec, sizeof rec, "%s/run.jsonl", tmp);
	char *env[] = { sysfs, NULL };
	char *argv[] = { AGTOP, "run", "--json", "--interval", "0.2",  "--record",
		         rec,   "--",  "sh",     "-c",         script, NULL };
	assert_int_equal(run_cmd(argv, env, NULL, &r), 0);
	assert_int_equal(r.status, 0);
	j = parse_summary(r.out);
	print_message("package %.9f J\n", jnum(j, "energy.package.machine_j"));
	assert_true(fabs(jnum(j, "energy.package.machine_j") - 4.5) < 1e-6);
	/* the command is one of the processes sharing the package: an estimate, never more */
	assert_true(jnum(j, "energy.package.command_j") <= 4.5 + 1e-9);
	json_decref(j);
	cmd_result_free(&r);

	/* the same from the recording: agtop --replay FILE --summary */
	char *again[] = { AGTOP, "--replay", rec, "--summary", "--json", NULL };
	assert_int_equal(run_cmd(again, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 0);
	j = parse_summary(r.out);
	assert_true(fabs(jnum(j, "energy.package.machine_j") - 4.5) < 1e-6);
	assert_null(json_object_get(j, "command"));
	json_decref(j);
	cmd_result_free(&r);
	tmp_cleanup(tmp);
	free(tmp);
}

static int run_status(const char *cmd, char **err_out)
{
	struct cmd_result r;
	int st;
	char *argv[] = { AGTOP, "run", "--interval", "0.1", "--", "sh", "-c", (char *)cmd, NULL };

	assert_int_equal(run_cmd(argv, NULL, NULL, &r), 0);
	st = r.status;
	if (err_out)
		*err_out = strdup(r.err);
	cmd_result_free(&r);
	return st;
}

/* The command's exit code is agtop's; a signal that ends it is 128 + N, as a shell says. */
static void run_returns_the_commands_exit_code(void **state)
{
	char *err = NULL, *tmp = tmp_dir(), path[PATH_MAX + 16];
	struct cmd_result r;

	(void)state;
	assert_int_equal(run_status("exit 7", NULL), 7);
	assert_int_equal(run_status("exit 0", NULL), 0);
	assert_int_equal(run_status("kill -KILL $$", &err), 137);
	assert_non_null(strstr(err, "signal 9"));
	free(err);

	char *missing[] = { AGTOP, "run", "--", "/nonexistent/agtop-no-such-command", NULL };
	assert_int_equal(run_cmd(missing, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 127);
	assert_non_null(strstr(r.err, "No such file"));
	cmd_result_free(&r);

	snprintf(path, sizeof path, "%s/not-executable", tmp);
	assert_int_equal(write_file(tmp, "not-executable", "echo hi\n"), 0);
	char *noexec[] = { AGTOP, "run", "--", path, NULL };
	assert_int_equal(run_cmd(noexec, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 126);
	cmd_result_free(&r);

	char *nocmd[] = { AGTOP, "run", "--interval", "1", NULL };
	assert_int_equal(run_cmd(nocmd, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "after --"));
	cmd_result_free(&r);

	char *badopt[] = { AGTOP, "run", "--interval", "nope", "--", "true", NULL };
	assert_int_equal(run_cmd(badopt, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 2);
	cmd_result_free(&r);
	tmp_cleanup(tmp);
	free(tmp);
}

/* Starts agtop run in the background with stderr to a file; returns its pid. */
static pid_t start_bg(char *const argv[], const char *errpath)
{
	pid_t pid = fork();

	if (pid == 0) {
		FILE *e = freopen(errpath, "w", stderr);
		(void)e;
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int wait_bounded(pid_t pid, double seconds)
{
	int status;
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	for (int i = 0; i < (int)(seconds * 50); i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("agtop run did not end within %.0f s", seconds);
	return -1;
}

/* SIGTERM and SIGUSR1 sent to agtop go on to the command; agtop ends as the command ends. */
static void run_passes_signals_to_the_command(void **state)
{
	char *tmp = tmp_dir(), errpath[PATH_MAX], *err;
	struct timespec half = { 0, 500 * 1000 * 1000 };
	pid_t pid;

	(void)state;
	snprintf(errpath, sizeof errpath, "%s/err", tmp);
	char *term[] = { AGTOP, "run", "--interval", "0.1", "--", "sleep", "30", NULL };
	pid = start_bg(term, errpath);
	nanosleep(&half, NULL);
	kill(pid, SIGTERM);
	assert_int_equal(wait_bounded(pid, 10), 143);
	err = read_file(errpath, NULL);
	assert_non_null(strstr(err, "signal 15"));
	free(err);

	char *usr1[] = { AGTOP,        "run",
		         "--interval", "0.1",
		         "--",         "sh",
		         "-c",         "trap 'exit 42' USR1; while :; do sleep 0.05; done",
		         NULL };
	pid = start_bg(usr1, errpath);
	nanosleep(&half, NULL);
	kill(pid, SIGUSR1);
	assert_int_equal(wait_bounded(pid, 10), 42);
	tmp_cleanup(tmp);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_cpu_time_matches_the_commands_own_rusage),
		cmocka_unit_test(run_package_energy_is_what_the_rapl_counter_accumulated),
		cmocka_unit_test(run_returns_the_commands_exit_code),
		cmocka_unit_test(run_passes_signals_to_the_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
