/* test_procfs_parse.c - the pure Linux decoders, driven with real captured text */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "source/linux/hwmon.h"
#include "source/linux/procfs_parse.h"
#include "source/linux/procs.h"
#include "source/linux/rapl.h"
#include "testutil.h"

static char *slurp(const char *rel)
{
	const char *p = data_path(rel);

	return p ? read_file(p, NULL) : NULL;
}

static void stat_since_boot_matches_expected(void **state)
{
	/* EXPECTED.md: all-CPU 4.450 %, cpu0 5.965 %, cpu4 3.325 % (htop formula, since boot) */
	struct stat_cpu total, cpus[16];
	struct cpu_ticks zero = { { 0 } };
	char *buf;
	int n;

	(void)state;
	buf = slurp("linux/node_exporter/proc/stat");
	n = procfs_parse_stat(buf, &total, cpus, 16);
	assert_int_equal(n, 8);
	assert_int_equal(total.nfields, 10);
	assert_int_equal(total.ticks.t[CPU_USER], 301854);
	assert_int_equal(total.ticks.t[CPU_GUEST], 44);
	assert_int_equal(total.ticks.t[CPU_GUEST_NICE], 36);
	assert_int_equal(cpus[0].cpu, 0);
	assert_int_equal(cpus[7].cpu, 7);
	assert_int_equal(cpus[0].ticks.t[CPU_USER], 44490);
	assert_int_equal(cpus[0].ticks.t[CPU_IDLE], 1087069);
	assert_true(fabs(100 * cpu_ticks_busy(&zero, &total.ticks) - 4.450) < 0.0005);
	assert_true(fabs(100 * cpu_ticks_busy(&zero, &cpus[0].ticks) - 5.965) < 0.0005);
	assert_true(fabs(100 * cpu_ticks_busy(&zero, &cpus[1].ticks) - 5.478) < 0.0005);
	assert_true(fabs(100 * cpu_ticks_busy(&zero, &cpus[4].ticks) - 3.325) < 0.0005);
	assert_true(fabs(100 * cpu_ticks_busy(&zero, &cpus[7].ticks) - 3.354) < 0.0005);
	/* exact busy/total of cpu0: 68965/1156254 */
	assert_true(cpu_ticks_busy(&zero, &cpus[0].ticks) == 68965.0 / 1156254.0);
	free(buf);

	/* old kernels give 4, 7 or 8 fields */
	n = procfs_parse_stat("cpu  10 20 30 40\ncpu0 10 20 30 40\n", &total, cpus, 16);
	assert_int_equal(n, 1);
	assert_int_equal(total.nfields, 4);
	assert_true(fabs(cpu_ticks_busy(&zero, &total.ticks) - 0.6) < 1e-12);
	/* no aggregate line: not a /proc/stat */
	assert_int_equal(procfs_parse_stat("intr 1 2 3\n", &total, cpus, 16), -1);
	/* offline CPUs have no line; numbering keeps its gaps */
	n = procfs_parse_stat("cpu 1 1 1 1\ncpu0 1 1 1 1\ncpu2 1 1 1 1\n", &total, cpus, 16);
	assert_int_equal(n, 2);
	assert_int_equal(cpus[1].cpu, 2);
	/* more CPUs than room: the count says how many to make room for */
	assert_int_equal(
	    procfs_parse_stat("cpu 1 1 1 1\ncpu0 1 1 1 1\ncpu1 1 1 1 1\n", &total, cpus, 1), 2);
}

static void meminfo_without_memavailable_uses_the_htop_partition(void **state)
{
	struct meminfo mi;
	struct sample_memory m;
	char *buf;

	(void)state;
	buf = slurp("linux/node_exporter/proc/meminfo");
	assert_int_equal(procfs_parse_meminfo(buf, &mi), 0);
	assert_int_equal(mi.kb[MI_TOTAL], 3742148);
	assert_false(mi.present & (1u << MI_AVAILABLE));
	meminfo_to_memory(&mi, &m);
	/* e2e: node_memory_MemTotal_bytes 3.831959552e+09 */
	assert_true(m.total_bytes == 3.831959552e+09);
	/* EXPECTED.md: htop used 2518976 kB, available (fallback = MemFree) 225472 kB */
	assert_true(m.used_bytes == 2518976.0 * 1024);
	assert_true(m.available_bytes == 225472.0 * 1024);
	/* SwapTotal 4194300 - SwapFree 3155360 = 1038940 kB */
	assert_true(m.swap_total_bytes == 4.2949632e+09);
	assert_true(m.swap_used_bytes == 1038940.0 * 1024);
	free(buf);

	buf = slurp("linux/procfs/fixtures/proc/meminfo");
	assert_int_equal(procfs_parse_meminfo(buf, &mi), 0);
	meminfo_to_memory(&mi, &m);
	assert_true(m.used_bytes == 459968.0 * 1024);
	assert_true(m.available_bytes == 440324.0 * 1024);
	assert_true(m.swap_total_bytes == 0);
	assert_true(m.swap_used_bytes == 0);
	free(buf);
}

static void meminfo_with_memavailable(void **state)
{
	/* a modern kernel's lines (synthetic: both captures predate MemAvailable) */
	const char *text = "MemTotal:       32768000 kB\n"
	                   "MemFree:         1000000 kB\n"
	                   "MemAvailable:   20000000 kB\n"
	                   "Buffers:          500000 kB\n"
	                   "Cached:         15000000 kB\n"
	                   "SwapCached:        10000 kB\n"
	                   "SwapTotal:       2097148 kB\n"
	                   "SwapFree:        1048574 kB\n";
	struct meminfo mi;
	struct sample_memory m;

	(void)state;
	assert_int_equal(procfs_parse_meminfo(text, &mi), 0);
	meminfo_to_memory(&mi, &m);
	assert_true(m.total_bytes == 32768000.0 * 1024);
	assert_true(m.available_bytes == 20000000.0 * 1024);
	assert_true(m.used_bytes == 12768000.0 * 1024);
	assert_true(m.swap_used_bytes == 1048574.0 * 1024);
	/* no MemTotal: nothing is known */
	assert_int_equal(procfs_parse_meminfo("MemFree: 5 kB\n", &mi), -1);
	meminfo_to_memory(&mi, &m);
	assert_true(isnan(m.total_bytes) && isnan(m.used_bytes) && isnan(m.swap_used_bytes));
}

static void pid_stat_odd_comm_names(void **state)
{
	struct pid_stat st;
	char *buf;

	(void)state;
	/* comm "(a b ) ( c d) ": up to the LAST ')' */
	buf = slurp("linux/procfs/fixtures/proc/584/stat");
	assert_int_equal(procfs_parse_pid_stat(buf, &st), 0);
	assert_string_equal(st.comm, "(a b ) ( c d) ");
	assert_int_equal(st.pid, 1020);
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.ppid, 28378);
	assert_int_equal(st.rss_pages, 155);
	free(buf);

	/* procfs' own test values for 26231 */
	buf = slurp("linux/procfs/fixtures/proc/26231/stat");
	assert_int_equal(procfs_parse_pid_stat(buf, &st), 0);
	assert_string_equal(st.comm, "vim");
	assert_int_equal(st.utime, 1677);
	assert_int_equal(st.stime, 44);
	assert_int_equal(st.starttime, 82375);
	assert_int_equal(st.vsize, 56274944);
	assert_int_equal(st.rss_pages, 1981);
	assert_int_equal(st.threads, 1);
	free(buf);

	/* INT64_MIN / INT64_MAX cutime and cstime do not break the line */
	buf = slurp("linux/procfs/fixtures/proc/26232/stat");
	assert_int_equal(procfs_parse_pid_stat(buf, &st), 0);
	assert_string_equal(st.comm, "ata_sff");
	assert_int_equal(st.ppid, 2);
	free(buf);

	buf = slurp("linux/procfs/fixtures/proc/27079/stat");
	assert_int_equal(procfs_parse_pid_stat(buf, &st), 0);
	assert_string_equal(st.comm, "pthread_load");
	assert_int_equal(st.utime, 58125);
	assert_int_equal(st.threads, 5);
	free(buf);

	/* node_exporter's pid 10 has no trailing newline */
	buf = slurp("linux/node_exporter/proc/10/stat");
	assert_int_equal(procfs_parse_pid_stat(buf, &st), 0);
	assert_string_equal(st.comm, "khungtaskd");
	free(buf);

	/* malformed */
	assert_int_equal(procfs_parse_pid_stat("12 (x R 1 2 3", &st), -1);
	assert_int_equal(procfs_parse_pid_stat("12 (x) R 1", &st), -1);
	assert_int_equal(procfs_parse_pid_stat("", &st), -1);
}

static void cmdline_joined(void **state)
{
	char out[256];
	char *buf;
	size_t len;

	(void)state;
	buf = read_file(data_path("linux/procfs/fixtures/proc/26231/cmdline"), &len);
	procfs_cmdline_join(buf, len, out, sizeof out);
	assert_string_equal(out, "vim test.go +10");
	free(buf);
	/* invalid UTF-8 becomes U+FFFD, control bytes spaces */
	procfs_cmdline_join("a\xff\0b\n\0\0", 7, out, sizeof out);
	assert_string_equal(out, "a\xEF\xBF\xBD b ");
	procfs_cmdline_join("", 0, out, sizeof out);
	assert_string_equal(out, "");
}

static void cpuinfo_mhz_and_model(void **state)
{
	struct cpuinfo_cpu c[16];
	char model[96];
	char *buf;
	int n;

	(void)state;
	buf = slurp("linux/node_exporter/proc/cpuinfo");
	n = procfs_parse_cpuinfo(buf, c, 16, model, sizeof model);
	assert_int_equal(n, 8);
	assert_string_equal(model, "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz");
	/* e2e: node_cpu_frequency_hertz{cpu="0"} 7.99998e+08 */
	assert_true(c[0].mhz == 799.998);
	assert_true(c[4].mhz == 799.989);
	free(buf);

	/* an arm64 kernel has no MHz line and no model name */
	n = procfs_parse_cpuinfo("processor\t: 0\nBogoMIPS\t: 48.00\nCPU implementer\t: 0x41\n"
	                         "CPU part\t: 0xd08\n\nprocessor\t: 1\n",
	                         c, 16, model, sizeof model);
	assert_int_equal(n, 2);
	assert_true(isnan(c[1].mhz));
	assert_string_equal(model, "ARM implementer 0x41 part 0xd08");
}

static void cpulists(void **state)
{
	unsigned char bits[16];

	(void)state;
	assert_int_equal(sysfs_parse_cpulist("0-3,8,10-11\n", bits, 128), 7);
	assert_true(bits[0] == 0x0f && bits[1] == 0x0d);
	assert_int_equal(sysfs_parse_cpulist("5", bits, 128), 1);
	assert_int_equal(sysfs_parse_cpulist("3-1", bits, 128), -1);
	assert_int_equal(sysfs_parse_cpulist("x", bits, 128), -1);
}

static void hwmon_classification_and_chip_ids(void **state)
{
	char id[64];

	(void)state;
	assert_int_equal(hwmon_classify("coretemp", "Package id 0", false), TEMP_CPU);
	assert_int_equal(hwmon_classify("coretemp", "Physical id 0", false), TEMP_CPU);
	assert_int_equal(hwmon_classify("coretemp", "Core 3", false), TEMP_CPU_CORE);
	assert_int_equal(hwmon_classify("k10temp", "Tdie", true), TEMP_CPU);
	assert_int_equal(hwmon_classify("k10temp", "Tctl", true), TEMP_OTHER);
	assert_int_equal(hwmon_classify("k10temp", "Tctl", false), TEMP_CPU);
	assert_int_equal(hwmon_classify("k10temp", "Tccd1", false), TEMP_CPU_CORE);
	assert_int_equal(hwmon_classify("amdgpu", "edge", false), TEMP_GPU);
	assert_int_equal(hwmon_classify("amdgpu", "mem", false), TEMP_MEMORY);
	assert_int_equal(hwmon_classify("nvme", "Composite", false), TEMP_OTHER);
	/* node_exporter's chip names */
	hwmon_chip_id("devices/platform/coretemp.0", id, sizeof id);
	assert_string_equal(id, "platform_coretemp_0");
	hwmon_chip_id("devices/platform/soc/18000000.wifi/ieee80211/phy0", id, sizeof id);
	assert_string_equal(id, "ieee80211_phy0");
	hwmon_chip_id("", id, sizeof id);
	assert_string_equal(id, "");
}

static void rapl_zone_names(void **state)
{
	int pkg;

	(void)state;
	assert_int_equal(rapl_rail_for_name("package-0", &pkg), RAIL_PACKAGE);
	assert_int_equal(pkg, 0);
	assert_int_equal(rapl_rail_for_name("package-10", &pkg), RAIL_PACKAGE);
	assert_int_equal(pkg, 10);
	assert_int_equal(rapl_rail_for_name("core", &pkg), RAIL_CPU);
	assert_int_equal(rapl_rail_for_name("uncore", &pkg), RAIL_UNCORE);
	assert_int_equal(rapl_rail_for_name("dram", &pkg), RAIL_DRAM);
	assert_int_equal(rapl_rail_for_name("psys", &pkg), RAIL_SYSTEM);
	assert_int_equal(rapl_rail_for_name("something", &pkg), -1);
	assert_string_equal(rapl_reason(13 /* EACCES */), "RAPL energy counters need root");
}

static void rapl_zone_accumulates_and_wraps(void **state)
{
	struct rapl_zone z = { .range = 262143328850ull };

	(void)state;
	rapl_zone_update(&z, 240422366267ull, 0);
	assert_true(isnan(z.watts));
	assert_true(z.joules == 240422.366267);     /* the counter's own value, as node_exporter */
	rapl_zone_update(&z, 240432366267ull, 2.0); /* +10 J in 2 s */
	assert_true(fabs(z.watts - 5.0) < 1e-9);
	assert_true(fabs(z.joules - 240432.366267) < 1e-6);

	/* wrap: prev = max - 5 J, cur = 10 J -> 15 J over 1 s */
	z = (struct rapl_zone){ .range = 262143328850ull };
	rapl_zone_update(&z, 262143328850ull - 5000000, 0);
	rapl_zone_update(&z, 10000000, 1.0);
	assert_true(fabs(z.watts - 15.0) < 1e-9);
	assert_true(fabs(z.joules - (262143.32885 - 5.0 + 15.0)) < 1e-6);

	/* a counter that did not move is stale, not 0 W */
	rapl_zone_update(&z, 10000000, 1.0);
	assert_true(isnan(z.watts));

	/* a reset without a known range drops the interval and keeps the total */
	z = (struct rapl_zone){ .range = 0 };
	rapl_zone_update(&z, 5000000, 0);
	rapl_zone_update(&z, 1000, 1.0);
	assert_true(isnan(z.watts));
	assert_true(fabs(z.joules - 5.0) < 1e-9);
	rapl_zone_update(&z, 3001000, 1.0); /* counting resumes from the new baseline */
	assert_true(fabs(z.watts - 3.0) < 1e-9);
	assert_true(fabs(z.joules - 8.0) < 1e-9);
}

static void boot_time_and_owner(void **state)
{
	char *buf;
	uint64_t bt = 0;
	int64_t uid = -1;

	(void)state;
	buf = slurp("linux/node_exporter/proc/stat");
	assert_int_equal(procfs_parse_btime(buf, &bt), 0);
	assert_int_equal(bt, 1418183276);
	free(buf);
	assert_int_equal(procfs_parse_btime("cpu 1 1 1 1\nbtimex 5\n", &bt), -1);
	assert_int_equal(procfs_parse_btime("btime 12x\n", &bt), -1);

	/* prometheus/procfs's 26231: "Uid:\t1000\t1000\t1000\t0" */
	buf = slurp("linux/procfs/fixtures/proc/26231/status");
	assert_int_equal(procfs_parse_status_uid(buf, &uid), 0);
	assert_int_equal(uid, 1000);
	free(buf);
	/* the effective uid (second) is the owner, as ps(1) shows a setuid program's */
	assert_int_equal(procfs_parse_status_uid("Name:\tx\nUid:\t1000\t0\t0\t0\n", &uid), 0);
	assert_int_equal(uid, 0);
	assert_int_equal(procfs_parse_status_uid("Name:\tx\nGid:\t1\t1\t1\t1\n", &uid), -1);
	assert_int_equal(procfs_parse_status_uid("Uid:\t5\n", &uid), -1);
}

static void process_cpu_share(void **state)
{
	(void)state;
	/* 150 ticks of 100 Hz in 1.5 s = one CPU */
	assert_true(procs_cpu(1000, 1150, 100, 1.5, 8) == 1.0);
	assert_true(fabs(procs_cpu(0, 50, 100, 1.0, 8) - 0.5) < 1e-12);
	/* capped at the CPU count; backwards saturates; no interval is unknown */
	assert_true(procs_cpu(0, 10000, 100, 1.0, 4) == 4.0);
	assert_true(procs_cpu(500, 400, 100, 1.0, 4) == 0.0);
	assert_true(isnan(procs_cpu(0, 10, 100, 0.0, 4)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stat_since_boot_matches_expected),
		cmocka_unit_test(meminfo_without_memavailable_uses_the_htop_partition),
		cmocka_unit_test(meminfo_with_memavailable),
		cmocka_unit_test(pid_stat_odd_comm_names),
		cmocka_unit_test(cmdline_joined),
		cmocka_unit_test(cpuinfo_mhz_and_model),
		cmocka_unit_test(cpulists),
		cmocka_unit_test(hwmon_classification_and_chip_ids),
		cmocka_unit_test(rapl_zone_names),
		cmocka_unit_test(rapl_zone_accumulates_and_wraps),
		cmocka_unit_test(process_cpu_share),
		cmocka_unit_test(boot_time_and_owner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
