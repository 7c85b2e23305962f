/* test_linux_trees.c - the Linux source, end to end, on captured and synthetic /proc and /sys
 * trees (tests/data/linux, trimmed copies of node_exporter's and procfs' fixtures). Expected values
 * are node_exporter's own for these trees (its e2e-output.txt) and htop's formulas. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source/linux/linux_source.h"
#include "testutil.h"

struct tree {
	struct options o;
	struct source src;
	struct sample s;
};

static int tree_open(struct tree *t, const char *proc, const char *sys, struct error *err)
{
	memset(t, 0, sizeof *t);
	t->o.interval = 1;
	snprintf(t->o.procfs, sizeof t->o.procfs, "%s", proc);
	snprintf(t->o.sysfs, sizeof t->o.sysfs, "%s", sys);
	sample_init(&t->s);
	t->src.ops = &linux_source;
	return linux_source.open(&t->src, &t->o, err);
}

static void tree_read(struct tree *t)
{
	struct error err;

	assert_int_equal(source_read(&t->src, &t->s, &err), SOURCE_SAMPLE);
}

static void tree_close(struct tree *t)
{
	source_close(&t->src);
	sample_free(&t->s);
}

static const struct sample_core *core(const struct sample *s, int cpu)
{
	for (size_t i = 0; i < s->ncores; i++)
		if (s->cores[i].cpu == cpu)
			return &s->cores[i];
	fail_msg("no cpu%d", cpu);
	return NULL;
}

static const struct sample_proc *proc(const struct sample *s, int pid)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	fail_msg("no pid %d", pid);
	return NULL;
}

static const struct sample_temp *temp(const struct sample *s, const char *chip, const char *sensor)
{
	for (unsigned i = 0; i < s->ntemps; i++)
		if (!strcmp(s->temps[i].chip, chip) && !strcmp(s->temps[i].sensor, sensor))
			return &s->temps[i];
	fail_msg("no %s %s", chip, sensor);
	return NULL;
}

static void node_exporter_tree(void **state)
{
	struct tree t;
	struct error err;
	const struct sample_core *c0, *c2, *c4;
	const struct sample_temp *tp;

	(void)state;
	assert_int_equal(tree_open(&t, data_path("linux/node_exporter/proc"),
	                           data_path("linux/node_exporter/sys"), &err),
	                 0);
	tree_read(&t);
	assert_string_equal(t.s.source, "linux");
	assert_string_equal(t.s.host.chip, "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz");
	assert_int_equal(t.s.host.cpus, 8);
	assert_int_equal(t.s.ncores, 8);

	/* e2e: node_cpu_seconds_total{cpu="0",...} and node_cpu_guest_seconds_total */
	c0 = core(&t.s, 0);
	assert_true(c0->seconds[CPU_USER] == 444.9);
	assert_true(c0->seconds[CPU_NICE] == 0.19);
	assert_true(c0->seconds[CPU_SYSTEM] == 210.45);
	assert_true(c0->seconds[CPU_IDLE] == 10870.69);
	assert_true(c0->seconds[CPU_IOWAIT] == 2.2);
	assert_true(c0->seconds[CPU_IRQ] == 0.01);
	assert_true(c0->seconds[CPU_SOFTIRQ] == 34.1);
	assert_true(c0->seconds[CPU_STEAL] == 0);
	assert_true(c0->seconds[CPU_GUEST] == 0.02);
	assert_true(c0->seconds[CPU_GUEST_NICE] == 0.01);
	assert_true(core(&t.s, 7)->seconds[CPU_GUEST] == 0.09);
	/* a captured tree does not tick: utilisation over the interval is unknown, not 0 */
	assert_true(isnan(c0->util));
	assert_true(isnan(t.s.cpu_util));
	assert_non_null(sample_note_get(&t.s, "cpu"));

	/* cpufreq: scaling_cur_freq in kHz (e2e node_cpu_scaling_frequency_hertz), and
	 * /proc/cpuinfo for cpu4-7, which have no cpufreq directory */
	assert_true(c0->freq_hz == 1.699981e+09);
	c2 = core(&t.s, 2);
	assert_true(c2->freq_hz == 8e+06);
	c4 = core(&t.s, 4);
	assert_true(c4->freq_hz == 7.99989e+08);
	assert_int_equal(t.s.nclusters, 1);
	assert_string_equal(t.s.clusters[0].name, "CPU");
	assert_true(t.s.clusters[0].freq_max_hz == 4.2e9);

	/* memory: EXPECTED.md htop partition (no MemAvailable) and free(1) swap */
	assert_true(t.s.memory.total_bytes == 3.831959552e+09);
	assert_true(t.s.memory.used_bytes == 2518976.0 * 1024);
	assert_true(t.s.memory.available_bytes == 225472.0 * 1024);
	assert_true(t.s.memory.swap_total_bytes == 4.2949632e+09);
	assert_true(t.s.memory.swap_used_bytes == 1038940.0 * 1024);

	/* RAPL: e2e node_rapl_package_joules_total 240422.366267, core 118821.284256 */
	assert_true(t.s.power[RAIL_PACKAGE].joules == 240422.366267);
	assert_true(t.s.power[RAIL_CPU].joules == 118821.284256);
	assert_true(isnan(t.s.power[RAIL_PACKAGE].watts)); /* the counter did not move */
	assert_true(isnan(t.s.power[RAIL_DRAM].joules));
	assert_int_equal(t.s.ndies, 0);

	/* hwmon: e2e node_hwmon_temp_celsius */
	tp = temp(&t.s, "platform_coretemp_0", "temp1");
	assert_true(tp->celsius == 55);
	assert_string_equal(tp->label, "Physical id 0");
	assert_int_equal(tp->kind, TEMP_CPU);
	assert_true(temp(&t.s, "platform_coretemp_0", "temp5")->celsius == 50);
	assert_int_equal(temp(&t.s, "platform_coretemp_0", "temp2")->kind, TEMP_CPU_CORE);
	assert_true(temp(&t.s, "platform_coretemp_1", "temp3")->celsius == 52);
	assert_true(temp(&t.s, "hwmon4", "temp1")->celsius == 55);
	assert_true(temp(&t.s, "hwmon4", "temp2")->celsius == 54);
	assert_true(temp(&t.s, "ieee80211_phy0_mt7996_phy0_0", "temp1")->celsius == 55);
	assert_true(temp(&t.s, "ieee80211_phy0_mt7996_phy0_1", "temp1")->celsius == 56);
	assert_true(temp(&t.s, "ieee80211_phy0_mt7996_phy0_2", "temp1")->celsius == 57);
	/* e2e: node_thermal_zone_temp{type="cpu-thermal",zone="0"} 12.376; coretemp already
	 * gives the CPU temperature, so the zone is listed but not counted as the CPU */
	tp = temp(&t.s, "thermal_zone0", "temp");
	assert_true(tp->celsius == 12.376);
	assert_string_equal(tp->label, "cpu-thermal");
	assert_int_equal(tp->kind, TEMP_OTHER);
	assert_int_equal(t.s.ntemps, 16);
	assert_true(sample_temp_max(&t.s, TEMP_CPU) == 55);

	/* processes: EXPECTED.md pid table */
	assert_int_equal(t.s.nprocs_total, 3);
	assert_string_equal(proc(&t.s, 1)->name, "systemd");
	assert_int_equal(proc(&t.s, 1)->ppid, 0);
	assert_true(proc(&t.s, 1)->rss_bytes == 2507.0 * 4096);
	assert_string_equal(proc(&t.s, 10)->name, "khungtaskd");
	assert_string_equal(proc(&t.s, 11)->name, "rcu_preempt");
	assert_true(proc(&t.s, 11)->cpu == 0.0); /* no ticks passed in the interval */
	tree_close(&t);
}

static void procfs_tree(void **state)
{
	struct tree t;
	struct error err;
	const struct sample_proc *vim, *odd;

	(void)state;
	assert_int_equal(tree_open(&t, data_path("linux/procfs/fixtures/proc"),
	                           data_path("linux/procfs/fixtures/sys"), &err),
	                 0);
	tree_read(&t);
	/* no hwmon here: the thermal zone bcm2835_thermal is listed */
	assert_true(temp(&t.s, "thermal_zone0", "temp")->celsius == 49.925);
	/* cpu0/cpufreq is a link (stored as a file in the capture) to ../cpufreq/policy0 */
	assert_true(core(&t.s, 0)->freq_hz == 1219917e3);
	/* cpu1 has only cpuinfo_cur_freq */
	assert_true(core(&t.s, 1)->freq_hz == 1200195e3);

	assert_true(t.s.memory.total_bytes == 15666184.0 * 1024);
	assert_true(t.s.memory.used_bytes == 459968.0 * 1024);
	assert_true(t.s.memory.available_bytes == 440324.0 * 1024);
	assert_true(t.s.memory.swap_total_bytes == 0);
	assert_true(t.s.memory.swap_used_bytes == 0);

	/* two package zones (intel-rapl:0 package-0 and intel-rapl:a package-10) */
	assert_int_equal(t.s.ndies, 2);
	assert_true(t.s.dies[0].rail[RAIL_PACKAGE].joules == 240422.366267);
	assert_true(t.s.dies[0].rail[RAIL_CPU].joules == 118821.284256);
	assert_true(t.s.dies[1].rail[RAIL_PACKAGE].joules == 240422.366267);
	assert_true(fabs(t.s.power[RAIL_PACKAGE].joules - 480844.732534) < 1e-6);

	/* 26231 vim: RSS = stat's rss field, 1981 pages = 8114176 B (stat's rss and statm's
	 * resident are one kernel number, get_mm_rss(); this fixture's statm, taken at another
	 * time, said 12547, and agtop no longer reads statm) */
	vim = proc(&t.s, 26231);
	assert_string_equal(vim->name, "vim");
	assert_string_equal(sample_str(&t.s, vim->cmdline), "vim test.go +10");
	assert_true(vim->rss_bytes == 1981.0 * 4096);
	assert_int_equal(vim->ppid, 5392);
	assert_int_equal(vim->threads, 1);
	/* status "Uid: 1000 ...", stat state R, started 82375 ticks after btime 1418183276 */
	assert_int_equal(vim->uid, 1000);
	assert_true(vim->user[0] != '\0'); /* the name this machine has for 1000, or "1000" */
	assert_int_equal(vim->state, 'R');
	assert_true(
	    fabs(vim->start_time - (1418183276.0 + 82375.0 / (double)sysconf(_SC_CLK_TCK))) < 1e-6);
	assert_int_equal(proc(&t.s, 27079)->uid, -1); /* no status file: unknown, never root */
	assert_string_equal(proc(&t.s, 27079)->user, "");
	odd = proc(&t.s, 584);
	assert_string_equal(odd->name, "(a b ) ( c d) ");
	assert_true(odd->rss_bytes == 155.0 * 4096); /* stat's rss field */
	assert_int_equal(proc(&t.s, 27079)->threads, 5);
	assert_true(proc(&t.s, 27079)->rss_bytes == 138.0 * 4096);
	assert_string_equal(sample_str(&t.s, proc(&t.s, 26232)->cmdline), ""); /* kernel thread */
	tree_close(&t);
}

/* A small live tree: two readings with real advances in every counter. */
static const char *stat1 = "cpu  100 0 100 800 0 0 0 0 0 0\n"
                           "cpu0 50 0 50 400 0 0 0 0 0 0\n"
                           "cpu1 50 0 50 400 0 0 0 0 0 0\n";
static const char *stat2 = "cpu  250 0 150 1000 0 0 0 0 0 0\n"
                           "cpu0 150 0 50 400 0 0 0 0 0 0\n"   /* 100 busy of 100: 1.0 */
                           "cpu1 100 0 100 600 0 0 0 0 0 0\n"; /* 100 busy of 300 */
static const char *meminfo = "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 400 kB\n"
                             "SwapTotal: 0 kB\nSwapFree: 0 kB\n";

static char *make_live_tree(void)
{
	char *d = tmp_dir();

	assert_non_null(d);
	write_file(d, "proc/stat", stat1);
	write_file(d, "proc/meminfo", meminfo);
	write_file(d, "proc/cpuinfo",
	           "processor\t: 0\nmodel name\t: Test CPU\ncpu MHz\t\t: "
	           "1000.000\n\nprocessor\t: 1\ncpu MHz\t\t: 1000.000\n");
	write_file(d, "proc/42/stat",
	           "42 (worker) R 1 42 42 0 -1 0 0 0 0 0 100 20 0 0 20 0 3 0 500 "
	           "1000000 25 0\n");
	write_file_n(d, "proc/42/cmdline",
	             "python3\0train.py\0--epochs\0"
	             "3\0",
	             28);
	write_file(d, "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "2400000\n");
	write_file(d, "sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq", "800000\n");
	write_file(d, "sys/class/powercap/intel-rapl:0/name", "package-0\n");
	write_file(d, "sys/class/powercap/intel-rapl:0/max_energy_range_uj", "262143328850\n");
	write_file(d, "sys/class/powercap/intel-rapl:0/energy_uj", "262138328850\n");
	write_file(d, "sys/class/powercap/intel-rapl:0:0/name", "core\n");
	write_file(d, "sys/class/powercap/intel-rapl:0:0/max_energy_range_uj", "262143328850\n");
	write_file(d, "sys/class/powercap/intel-rapl:0:0/energy_uj", "1000000\n");
	return d;
}

static void live_tree_deltas_and_rapl_wrap(void **state)
{
	char proc_root[512], sys_root[512];
	struct tree t;
	struct error err;
	const struct sample_proc *w;
	double dt;
	char *d = make_live_tree();

	(void)state;
	snprintf(proc_root, sizeof proc_root, "%s/proc", d);
	snprintf(sys_root, sizeof sys_root, "%s/sys", d);
	assert_int_equal(tree_open(&t, proc_root, sys_root, &err), 0);

	/* the interval: ticks, energy (wrapping), a process that worked */
	write_file(d, "proc/stat", stat2);
	write_file(d, "sys/class/powercap/intel-rapl:0/energy_uj", "10000000\n"); /* wrapped */
	write_file(d, "sys/class/powercap/intel-rapl:0:0/energy_uj", "4000000\n");
	write_file(d, "proc/42/stat",
	           "42 (worker) R 1 42 42 0 -1 0 0 0 0 0 130 40 0 0 20 0 3 0 500 "
	           "1000000 25 0\n");
	usleep(100000); /* an interval long enough for 15 J to be a plausible power */
	tree_read(&t);
	dt = t.s.interval_s;
	assert_true(dt > 0);

	assert_true(core(&t.s, 0)->util == 1.0);
	assert_true(core(&t.s, 1)->util == 100.0 / 300.0);
	assert_true(t.s.cpu_util == 200.0 / 400.0);
	assert_true(t.s.clusters[0].util == (1.0 + 100.0 / 300.0) / 2);
	assert_true(core(&t.s, 0)->freq_hz == 2.4e9);
	assert_true(core(&t.s, 1)->freq_hz == 0.8e9);
	assert_true(t.s.clusters[0].freq_hz == 2.4e9);
	assert_string_equal(t.s.host.chip, "Test CPU");

	assert_true(t.s.memory.used_bytes == 600.0 * 1024);
	assert_true(t.s.memory.available_bytes == 400.0 * 1024);

	/* the package counter wrapped: (max - prev) + cur = 15 J; the core zone moved 3 J */
	assert_true(fabs(t.s.power[RAIL_PACKAGE].watts - 15.0 / dt) < 1e-9 * (15.0 / dt));
	assert_true(fabs(t.s.power[RAIL_CPU].watts - 3.0 / dt) < 1e-9 * (3.0 / dt));
	assert_true(fabs(t.s.power[RAIL_PACKAGE].joules - (262138.32885 + 15.0)) < 1e-6);
	assert_null(sample_note_get(&t.s, "power"));
	assert_non_null(sample_note_get(&t.s, "power.dram"));

	/* 50 ticks at USER_HZ over the measured interval */
	w = proc(&t.s, 42);
	assert_string_equal(w->name, "worker");
	assert_string_equal(sample_str(&t.s, w->cmdline), "python3 train.py --epochs 3");
	assert_int_equal(w->threads, 3);
	assert_true(w->rss_bytes == 25.0 * (double)sysconf(_SC_PAGESIZE));
	assert_true(fabs(w->cpu - fmin(50.0 / (double)sysconf(_SC_CLK_TCK) / dt, 2.0)) < 1e-12);

	/* a process that exits between two readings is just gone, never an error */
	{
		char path[600];
		snprintf(path, sizeof path, "%s/proc/42/stat", d);
		unlink(path);
	}
	tree_read(&t);
	assert_int_equal(t.s.nprocs_total, 0);
	tree_close(&t);
	tmp_cleanup(d);
	free(d);
}

static void rapl_unreadable_needs_root(void **state)
{
	char proc_root[512], sys_root[512], path[600];
	char *d = make_live_tree();
	pid_t pid;
	int status;

	(void)state;
	snprintf(proc_root, sizeof proc_root, "%s/proc", d);
	snprintf(sys_root, sizeof sys_root, "%s/sys", d);
	/* since Linux 5.10 energy_uj is 0400 root */
	snprintf(path, sizeof path, "%s/sys/class/powercap/intel-rapl:0/energy_uj", d);
	assert_int_equal(chmod(path, 0400), 0);
	snprintf(path, sizeof path, "%s/sys/class/powercap/intel-rapl:0:0/energy_uj", d);
	assert_int_equal(chmod(path, 0400), 0);
	chmod(d, 0755);

	pid = fork();
	if (pid == 0) {
		struct tree t;
		struct error err;
		const char *why;
		/* as root, read as "nobody" so that the permission bits apply; as a user, take the
		 * read bit away from our own file */
		if (geteuid() == 0) {
			if (setuid(65534) != 0)
				_exit(10);
		} else if (chmod(path, 0000) != 0) {
			_exit(11);
		}
		if (tree_open(&t, proc_root, sys_root, &err) != 0)
			_exit(12);
		if (source_read(&t.src, &t.s, &err) != SOURCE_SAMPLE)
			_exit(13);
		why = sample_note_get(&t.s, "power.package");
		if (!why || strcmp(why, "RAPL energy counters need root") != 0)
			_exit(14);
		if (!isnan(t.s.power[RAIL_PACKAGE].watts) || !isnan(t.s.power[RAIL_CPU].watts))
			_exit(15);
		/* the rest of the machine is still read */
		if (t.s.memory.total_bytes != 1000.0 * 1024 || t.s.ncores != 2)
			_exit(16);
		tree_close(&t);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	tmp_cleanup(d);
	free(d);
}

static void missing_proc_is_a_clear_error(void **state)
{
	struct tree t;
	struct error err;

	(void)state;
	assert_int_equal(tree_open(&t, "/nonexistent/proc", "/nonexistent/sys", &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/proc"));
	sample_free(&t.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(node_exporter_tree),
		cmocka_unit_test(procfs_tree),
		cmocka_unit_test(live_tree_deltas_and_rapl_wrap),
		cmocka_unit_test(rapl_unreadable_needs_root),
		cmocka_unit_test(missing_proc_is_a_clear_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
