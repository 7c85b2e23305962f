/* test_faults.c - faults injected where agtop reads: /proc and /sys trees (AGTOP_PROCFS and
 * AGTOP_SYSFS) whose processes and files vanish between and during readings, that hold
 * truncated and non-numeric values or refuse to be read (EACCES, as another user); a read
 * interrupted by a signal (EINTR); powermetrics killed in the middle of a document, and a
 * --powermetrics-input writer that dies. Every fault must give a sample (or a clear error) with
 * the unknown values NAN and the rest exact, never a crash, a hang or a made-up number. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "source/linux/fsroot.h"
#include "source/linux/linux_source.h"
#include "testutil.h"
#include "util/lines.h"

struct tree {
	char *dir;
	struct options o;
	struct source src;
	struct sample s;
};

static const char stat_a[] = "cpu  100 0 100 800 0 0 0 0 0 0\n"
                             "cpu0 50 0 50 400 0 0 0 0 0 0\n"
                             "cpu1 50 0 50 400 0 0 0 0 0 0\n";
static const char stat_b[] = "cpu  250 0 150 1000 0 0 0 0 0 0\n"
                             "cpu0 150 0 50 400 0 0 0 0 0 0\n"
                             "cpu1 100 0 100 600 0 0 0 0 0 0\n";

static void put(struct tree *t, const char *rel, const char *text)
{
	assert_int_equal(write_file(t->dir, rel, text), 0);
}

static void gone(struct tree *t, const char *rel)
{
	char path[700], cmd[800];

	snprintf(path, sizeof path, "%s/%s", t->dir, rel);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

/* A small machine: two CPUs, memory, three processes, a hwmon chip with two sensors, a RAPL
 * package zone. */
static void tree_make(struct tree *t)
{
	memset(t, 0, sizeof *t);
	t->dir = tmp_dir();
	assert_non_null(t->dir);
	put(t, "proc/stat", stat_a);
	put(t, "proc/meminfo",
	    "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 400 kB\n"
	    "SwapTotal: 0 kB\nSwapFree: 0 kB\n");
	put(t, "proc/cpuinfo", "processor\t: 0\nmodel name\t: Test CPU\n\nprocessor\t: 1\n");
	for (int pid = 42; pid <= 44; pid++) {
		char rel[64], text[200];
		snprintf(rel, sizeof rel, "proc/%d/stat", pid);
		snprintf(text, sizeof text,
		         "%d (job%d) R 1 %d %d 0 -1 0 0 0 0 0 100 20 0 0 20 0 3 0 500 1000000 10 "
		         "0\n",
		         pid, pid, pid, pid);
		put(t, rel, text);
		snprintf(rel, sizeof rel, "proc/%d/cmdline", pid);
		snprintf(text, sizeof text, "job%d --n", pid);
		put(t, rel, text);
	}
	put(t, "sys/class/hwmon/hwmon0/name", "coretemp\n");
	put(t, "sys/class/hwmon/hwmon0/temp1_input", "45000\n");
	put(t, "sys/class/hwmon/hwmon0/temp2_input", "51000\n");
	put(t, "sys/class/powercap/intel-rapl:0/name", "package-0\n");
	put(t, "sys/class/powercap/intel-rapl:0/max_energy_range_uj", "262143328850\n");
	put(t, "sys/class/powercap/intel-rapl:0/energy_uj", "1000000\n");
}

static void tree_open(struct tree *t)
{
	struct error err;

	t->o.interval = 1;
	snprintf(t->o.procfs, sizeof t->o.procfs, "%s/proc", t->dir);
	snprintf(t->o.sysfs, sizeof t->o.sysfs, "%s/sys", t->dir);
	sample_init(&t->s);
	t->src.ops = &linux_source;
	if (linux_source.open(&t->src, &t->o, &err))
		fail_msg("%s", err.msg);
}

static void tree_read(struct tree *t)
{
	struct error err;

	usleep(20000);
	if (source_read(&t->src, &t->s, &err) != SOURCE_SAMPLE)
		fail_msg("%s", err.msg);
}

static void tree_close(struct tree *t)
{
	source_close(&t->src);
	sample_free(&t->s);
	tmp_cleanup(t->dir);
	free(t->dir);
}

static const struct sample_proc *proc_of(const struct sample *s, int pid)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

static double temp_of(const struct sample *s, const char *sensor)
{
	for (unsigned i = 0; i < s->ntemps; i++)
		if (!strcmp(s->temps[i].sensor, sensor))
			return s->temps[i].celsius;
	fail_msg("no sensor %s", sensor);
	return 0;
}

/* Between two readings a process exits whole, another halfway (stat there, cmdline gone:
 * it ended between the reads), a third is listed with nothing left in it; a sensor and
 * the RAPL zone disappear. The reading goes on with what is there. */
static void files_vanishing_between_and_during_readings(void **state)
{
	struct tree t;
	const struct sample_proc *p;

	(void)state;
	tree_make(&t);
	tree_open(&t);
	put(&t, "proc/stat", stat_b);
	gone(&t, "proc/42");
	gone(&t, "proc/43/cmdline");
	gone(&t, "proc/44/stat");
	put(&t, "proc/45/cmdline", "new but empty");
	gone(&t, "sys/class/hwmon/hwmon0/temp2_input");
	gone(&t, "sys/class/powercap/intel-rapl:0");
	tree_read(&t);

	assert_true(t.s.cpu_util == 200.0 / 400.0);
	assert_true(t.s.memory.used_bytes == 600.0 * 1024);
	assert_null(proc_of(&t.s, 42));
	assert_null(proc_of(&t.s, 44));
	assert_null(proc_of(&t.s, 45));
	p = proc_of(&t.s, 43);
	assert_non_null(p);
	/* stat's own RSS field (10 pages) */
	assert_true(p->rss_bytes == 10.0 * (double)sysconf(_SC_PAGESIZE));
	assert_string_equal(sample_str(&t.s, p->cmdline), "job43 --n"); /* read before */
	assert_int_equal(t.s.nprocs_total, 1);
	assert_true(temp_of(&t.s, "temp1") == 45.0);
	assert_true(isnan(temp_of(&t.s, "temp2")));
	assert_true(isnan(t.s.power[RAIL_PACKAGE].watts));
	assert_non_null(sample_note_get(&t.s, "power"));

	/* and the whole /proc/<pid> list empty: no processes, not an error */
	gone(&t, "proc/43");
	tree_read(&t);
	assert_int_equal(t.s.nprocs, 0);
	assert_true(t.s.memory.total_bytes == 1000.0 * 1024);
	tree_close(&t);
}

/* Values cut short or not numbers at all: the processes whose stat cannot be parsed are left
 * out, a sensor or counter that is not a number is unknown, and memory that does not add up
 * (more free than total) is unknown too, never a wrapped 16-exabyte figure. */
static void truncated_and_non_numeric_values(void **state)
{
	struct tree t;

	(void)state;
	tree_make(&t);
	tree_open(&t);
	put(&t, "proc/stat", stat_b);
	put(&t, "proc/42/stat", "42 (job");
	put(&t, "proc/43/stat",
	    "43 (job43) R 1 43 43 0 -1 0 0 0 0 0 lots 20 0 0 20 0 3 0 500 1000000 10 0\n");
	put(&t, "sys/class/hwmon/hwmon0/temp1_input", "N/A\n");
	put(&t, "sys/class/hwmon/hwmon0/temp2_input", "");
	put(&t, "sys/class/powercap/intel-rapl:0/energy_uj", "12ab\n");
	put(&t, "proc/meminfo", "MemTotal: 1000 kB\nMemFree: 5000 kB\n");
	tree_read(&t);

	assert_null(proc_of(&t.s, 42));
	assert_null(proc_of(&t.s, 43));
	assert_non_null(proc_of(&t.s, 44));
	assert_true(proc_of(&t.s, 44)->rss_bytes == 10.0 * (double)sysconf(_SC_PAGESIZE));
	assert_true(isnan(temp_of(&t.s, "temp1")));
	assert_true(isnan(temp_of(&t.s, "temp2")));
	assert_true(isnan(t.s.power[RAIL_PACKAGE].watts));
	assert_true(t.s.memory.total_bytes == 1000.0 * 1024);
	assert_true(isnan(t.s.memory.used_bytes));
	assert_non_null(sample_note_get(&t.s, "memory"));

	/* meminfo cut before its first value: memory unknown with the reason */
	put(&t, "proc/meminfo", "MemTot");
	tree_read(&t);
	assert_true(isnan(t.s.memory.total_bytes));
	assert_non_null(strstr(sample_note_get(&t.s, "memory"), "meminfo"));
	tree_close(&t);
}

/* As another user (the bits apply; the tests run as root): a process's cmdline, the meminfo
 * and a sensor refuse to be read. The process keeps its name, memory and the sensor are
 * unknown with a reason; an unreadable /proc/stat is an error that names the file. */
static void unreadable_files_as_another_user(void **state)
{
	struct tree t;
	pid_t pid;
	int status;

	(void)state;
	tree_make(&t);
	chmod(t.dir, 0755);
	pid = fork();
	if (pid == 0) {
		char path[700];
		struct error err;
		snprintf(path, sizeof path, "%s/proc/42/cmdline", t.dir);
		chmod(path, 0400);
		snprintf(path, sizeof path, "%s/proc/meminfo", t.dir);
		chmod(path, 0400);
		snprintf(path, sizeof path, "%s/sys/class/hwmon/hwmon0/temp2_input", t.dir);
		chmod(path, 0000);
		if (geteuid() == 0 && setuid(65534) != 0)
			_exit(10);
		tree_open(&t);
		if (source_read(&t.src, &t.s, &err) != SOURCE_SAMPLE)
			_exit(11);
		if (!proc_of(&t.s, 42) || strcmp(proc_of(&t.s, 42)->name, "job42") != 0 ||
		    strcmp(sample_str(&t.s, proc_of(&t.s, 42)->cmdline), "") != 0)
			_exit(12);
		if (strcmp(sample_str(&t.s, proc_of(&t.s, 43)->cmdline), "job43 --n") != 0)
			_exit(13);
		if (!isnan(t.s.memory.total_bytes) || !sample_note_get(&t.s, "memory"))
			_exit(14);
		if (temp_of(&t.s, "temp1") != 45.0 || !isnan(temp_of(&t.s, "temp2")))
			_exit(15);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* /proc/stat itself unreadable: an error at open that names it */
	pid = fork();
	if (pid == 0) {
		char path[700];
		struct error err;
		struct tree u = t;
		snprintf(path, sizeof path, "%s/proc/stat", t.dir);
		chmod(path, 0400);
		if (geteuid() == 0 && setuid(65534) != 0)
			_exit(10);
		snprintf(u.o.procfs, sizeof u.o.procfs, "%s/proc", t.dir);
		snprintf(u.o.sysfs, sizeof u.o.sysfs, "%s/sys", t.dir);
		u.src.ops = &linux_source;
		if (linux_source.open(&u.src, &u.o, &err) == 0)
			_exit(11);
		if (!strstr(err.msg, "proc/stat") || !strstr(err.msg, "Permission denied"))
			_exit(12);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	tmp_cleanup(t.dir);
	free(t.dir);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* fsroot_read_record, the one-read reader of /proc/<pid>/stat, gives what the reading-to-the-
 * end fsroot_read gives: a short file whole, a file longer than the buffer cut at size-1, and
 * the kernel's own stat of this process whole, all 52 fields up to the newline. */
static void a_record_read_is_whole(void **state)
{
	char *d = tmp_dir(), big[5001], a[2048], b[2048], self[32];
	struct fsroot r;
	struct error err;
	ssize_t n;
	int fields = 2; /* pid and (comm), then one per space after the comm */

	(void)state;
	assert_non_null(d);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(write_file(d, "1/stat", "1 (init) S 0 1 1 0 -1 4194560 3 4\n"), 0);
	assert_int_equal(write_file(d, "2/stat", big), 0);
	assert_int_equal(fsroot_open(&r, d, &err), 0);
	assert_int_equal(fsroot_read_record(&r, "1/stat", a, sizeof a), 34);
	assert_string_equal(a, "1 (init) S 0 1 1 0 -1 4194560 3 4\n");
	assert_int_equal(fsroot_read_record(&r, "2/stat", a, sizeof a), 2047);
	assert_int_equal(fsroot_read(&r, "2/stat", b, sizeof b), 2047);
	assert_string_equal(a, b);
	assert_int_equal(fsroot_read_record(&r, "3/stat", a, sizeof a), -ENOENT);
	fsroot_close(&r);
	tmp_cleanup(d);
	free(d);

	assert_int_equal(fsroot_open(&r, "/proc", &err), 0);
	snprintf(self, sizeof self, "%d/stat", (int)getpid());
	n = fsroot_read_record(&r, self, a, sizeof a);
	fsroot_close(&r);
	assert_true(n > 0);
	assert_int_equal(a[n - 1], '\n');
	assert_int_equal(strtol(a, NULL, 10), getpid());
	for (const char *p = strrchr(a, ')'); p && *p; p++)
		fields += *p == ' ';
	assert_true(fields >= 52); /* proc(5): 52 fields since Linux 3.5 */
}

/* A /proc/cpuinfo longer than the first buffer (64 KB: a CPU's flags run to kilobytes, and a
 * big machine has hundreds) is read whole: the frequency of the CPU described after the first
 * 64 KB is there, read from cpuinfo as this machine has no cpufreq. */
static void a_long_cpuinfo_is_read_whole(void **state)
{
	struct tree t;
	char *info = malloc(200 * 1024), *p;
	const struct sample_core *c1 = NULL;

	(void)state;
	assert_non_null(info);
	tree_make(&t);
	p = info;
	for (int cpu = 0; cpu < 2; cpu++) {
		p += sprintf(
		    p, "processor\t: %d\nmodel name\t: Test CPU\ncpu MHz\t\t: %s\nflags\t\t:", cpu,
		    cpu ? "2345.678" : "1000.000");
		for (int i = 0; i < 20000; i++)
			p += sprintf(p, " f%d", i % 100);
		p += sprintf(p, "\n\n");
	}
	assert_true(p - info > 128 * 1024);
	put(&t, "proc/cpuinfo", info);
	free(info);
	tree_open(&t);
	tree_read(&t);
	for (size_t i = 0; i < t.s.ncores; i++)
		if (t.s.cores[i].cpu == 1)
			c1 = &t.s.cores[i];
	assert_non_null(c1);
	assert_true(c1->freq_hz == 2345678000.0);
	tree_close(&t);
}

/* A signal that interrupts a blocking read (a resize in the dashboard, a timer): the read
 * returns EINTR, the reader says "again", and the half line it had is still there when the
 * rest arrives. getline lost it and replay stopped with "Interrupted system call". */
static void eintr_during_a_blocking_read_loses_nothing(void **state)
{
	struct sigaction sa, old;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	struct lines l;
	int fd[2];
	char *line;
	size_t len;

	(void)state;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm; /* no SA_RESTART, as agtop's own handlers */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	assert_int_equal(pipe(fd), 0);
	lines_init(&l, fd[0], 0);
	assert_int_equal(write(fd[1], "{\"half\":", 8), 8);
	setitimer(ITIMER_REAL, &it, NULL);
	assert_int_equal(lines_next(&l, &line, &len), LINES_AGAIN); /* blocked, then EINTR */
	assert_int_equal(write(fd[1], "1}\n", 3), 3);
	assert_int_equal(lines_next(&l, &line, &len), LINES_OK);
	assert_int_equal(len, 11);
	assert_memory_equal(line, "{\"half\":1}\n", 11);
	sigaction(SIGALRM, &old, NULL);
	lines_free(&l);
	close(fd[0]);
	close(fd[1]);
}

/* powermetrics killed (SIGKILL) after one document and half of the next: the first sample
 * stays, the half document is never decoded, and the error says it was killed. */
static void powermetrics_killed_mid_document(void **state)
{
	char *d = tmp_dir(), doc[600];
	struct options o;
	struct source src = { 0 }; /* stop and the rest NULL until set */
	struct sample s;
	struct error err;
	enum source_status st = SOURCE_AGAIN;
	unsigned samples = 0;

	(void)state;
	memset(&o, 0, sizeof o);
	o.interval = 0.1;
	o.replay_speed = 1;
	snprintf(o.pm_sudo, sizeof o.pm_sudo, "%s/tests/fake_pm/sudo", AGTOP_SOURCE_DIR);
	snprintf(o.pm_path, sizeof o.pm_path, "%s/tests/fake_pm/powermetrics", AGTOP_SOURCE_DIR);
	snprintf(doc, sizeof doc, "%s", data_path("agtop/pm_valid_frame.plist"));
	setenv("FAKE_PM_DOC", doc, 1);
	setenv("FAKE_PM_MODE", "killed_mid", 1);
	unsetenv("FAKE_PM_ARGS");
	unsetenv("FAKE_SUDO_REFUSE");
	src.ops = &powermetrics_source;
	if (powermetrics_source.open(&src, &o, &err))
		fail_msg("%s", err.msg);
	sample_init(&s);
	for (int guard = 0; guard < 400 && st != SOURCE_ERROR && st != SOURCE_END; guard++) {
		usleep(50000);
		st = source_read(&src, &s, &err);
		samples += st == SOURCE_SAMPLE;
	}
	assert_int_equal(st, SOURCE_ERROR);
	assert_int_equal(samples, 1);
	assert_non_null(
	    strstr(err.msg, "powermetrics exited after 1 samples. Killed by signal 9."));
	source_close(&src);
	sample_free(&s);
	unsetenv("FAKE_PM_MODE");
	tmp_cleanup(d);
	free(d);
}

/* `sudo powermetrics ... | agtop --powermetrics-input -` and powermetrics dies in the middle of
 * its second document: the first sample is written, the torn one is named in one warning, and
 * agtop ends normally at the end of the stream. */
static void powermetrics_input_writer_dies_mid_document(void **state)
{
	char *d = tmp_dir(), *doc, out[600], errp[600], *text;
	int in[2], status;
	size_t len;
	pid_t pid;

	(void)state;
	doc = read_file(data_path("agtop/pm_valid_frame.plist"), &len);
	snprintf(out, sizeof out, "%s/out", d);
	snprintf(errp, sizeof errp, "%s/err", d);
	assert_int_equal(pipe(in), 0);
	pid = fork();
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(in[0], 0);
		dup2(o, 1);
		dup2(e, 2);
		close(in[1]);
		execl(AGTOP_BINARY, AGTOP_BINARY, "--powermetrics-input", "-", "--json",
		      (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	/* one whole document with its NUL, half of the next, then the writer is gone */
	assert_int_equal(write(in[1], doc, len + 1), (ssize_t)(len + 1));
	assert_int_equal(write(in[1], doc, len / 2), (ssize_t)(len / 2));
	close(in[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	text = read_file(out, NULL);
	assert_int_equal(count_lines(text), 1);
	assert_non_null(strstr(text, "\"source\":\"powermetrics\""));
	free(text);
	text = read_file(errp, NULL);
	assert_non_null(strstr(text, "agtop: standard input ended inside a document"));
	assert_int_equal(count_lines(text), 1);
	free(text);
	free(doc);
	tmp_cleanup(d);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(files_vanishing_between_and_during_readings),
		cmocka_unit_test(truncated_and_non_numeric_values),
		cmocka_unit_test(unreadable_files_as_another_user),
		cmocka_unit_test(a_record_read_is_whole),
		cmocka_unit_test(a_long_cpuinfo_is_read_whole),
		cmocka_unit_test(eintr_during_a_blocking_read_loses_nothing),
		cmocka_unit_test(powermetrics_killed_mid_document),
		cmocka_unit_test(powermetrics_input_writer_dies_mid_document),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
