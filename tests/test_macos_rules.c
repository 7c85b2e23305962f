/* test_macos_rules.c - the real macOS source against fakes that follow macOS's rules rather than
 * what the code hopes for (issue 12, points 2, 3, 4, 5, 7, 8): xnu's permissions for libproc
 * (another user's process: identity yes, task no), real SMC key lists (counts, order, types,
 * values), IOReport energy counters published in ~2.1 s batches or frozen (macOS 27), AMC Stats
 * without data. Each test is named for the defect it pins. */
#include "testutil.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apple/decode.h"
#include "apple/dump.h"
#include "fake_apple.h"
#include "source/macos/apple_sys.h"
#include "source/macos/macos_source.h"

static void load(const char *name, const struct fake_apple_opts *opts)
{
	char path[512];
	struct error err;

	snprintf(path, sizeof path, "%s/tests/dumps/%s.json", AGTOP_SOURCE_DIR, name);
	if (fake_apple_load(path, opts, &err))
		fail_msg("%s: %s", path, err.msg);
}

static void no_leaks(void)
{
	const char *leaks = fake_apple_leaks();

	if (leaks[0])
		fail_msg("the macOS source left these behind:\n%s", leaks);
}

/* A dump grown by n readings of secs each, every counter carried over: the test then moves the
 * ones it means to. */
static struct apple_reading *grow(double secs)
{
	struct apple_dump *d = fake_apple_dump_edit();
	const struct apple_reading *last = &d->reading[d->nreadings - 1];
	struct apple_reading *r;
	uint64_t ticks = (uint64_t)(secs * 1e9 * d->host.tb_denom / d->host.tb_numer);
	unsigned idx = d->nreadings - 1;

	r = apple_dump_add_reading(d);
	assert_non_null(r);
	last = &d->reading[idx]; /* the array may have moved */
	assert_int_equal(apple_reading_copy(r, last), 0);
	r->mach_time = r->ior.mach_time = last->mach_time + ticks;
	r->wall_time = last->wall_time + secs;
	return r;
}

static struct ior_channel *chan(struct apple_reading *r, const char *name)
{
	for (size_t i = 0; i < r->ior.n; i++)
		if (!strcmp(r->ior.ch[i].name, name))
			return &r->ior.ch[i];
	fail_msg("no channel %s", name);
	return NULL;
}

/* CPU busy this share (every CPU) over the window ending at r. */
static void ticks(struct apple_reading *r, const struct apple_reading *prev, double secs,
                  double busy)
{
	uint32_t total = (uint32_t)llround(secs * 100), b = (uint32_t)llround(total * busy);

	for (unsigned c = 0; c < r->ncpu; c++) {
		r->ticks[c][APPLE_TICK_USER] = prev->ticks[c][APPLE_TICK_USER] + b;
		r->ticks[c][APPLE_TICK_SYSTEM] = prev->ticks[c][APPLE_TICK_SYSTEM];
		r->ticks[c][APPLE_TICK_NICE] = prev->ticks[c][APPLE_TICK_NICE];
		r->ticks[c][APPLE_TICK_IDLE] = prev->ticks[c][APPLE_TICK_IDLE] + total - b;
	}
}

struct run {
	struct source src;
	unsigned n;
	struct sample s[32];
};

/* Opens the source on reading 0 and reads every later reading. */
static void run_all(struct run *l)
{
	struct options o;
	struct error err;

	memset(&o, 0, sizeof o);
	o.interval = 1;
	memset(l, 0, sizeof *l);
	l->src.ops = &ioreport_source;
	if (l->src.ops->open(&l->src, &o, &err))
		fail_msg("open: %s", err.msg);
	l->n = fake_apple_dump()->nreadings - 1;
	assert_true(l->n <= 32);
	for (unsigned i = 0; i < l->n; i++) {
		fake_apple_advance();
		sample_init(&l->s[i]);
		if (l->src.ops->read(&l->src, &l->s[i], &err) != SOURCE_SAMPLE)
			fail_msg("read %u: %s", i, err.msg);
	}
}

static void run_close(struct run *l)
{
	l->src.ops->close(&l->src);
	no_leaks();
	for (unsigned i = 0; i < l->n; i++)
		sample_free(&l->s[i]);
	fake_apple_unload();
}

static const struct sample_proc *proc(const struct sample *s, int pid)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

/* ---- point 2: the fakes themselves ---- */

/* xnu proc_info.c: PROC_PIDT_SHORTBSDINFO and proc_pidpath need no privilege, PROC_PIDTBSDINFO,
 * PROC_PIDTASKALLINFO and proc_pid_rusage are the caller's own processes' (or root's). */
static void test_fakes_follow_xnu_permission_rules(void **state)
{
	struct fake_apple_opts root = { .root = true };
	struct proc_bsdinfo bi;
	struct proc_bsdshortinfo si;
	struct proc_taskallinfo tai;
	struct rusage_info_v6 ri;
	char path[PROC_PIDPATHINFO_MAXSIZE];
	rusage_info_t *buf = (rusage_info_t *)&ri; /* libproc's signature, as callers pass it */

	(void)state;
	load("m4max", NULL); /* as uid 501 */
	/* WindowServer (uid 88): identity yes, BSD info and task no */
	assert_int_equal(proc_pidinfo(155, PROC_PIDT_SHORTBSDINFO, 0, &si, sizeof si), sizeof si);
	assert_string_equal(si.pbsi_comm, "WindowServer");
	assert_int_equal((int)si.pbsi_uid, 88);
	errno = 0;
	assert_int_equal(proc_pidinfo(155, PROC_PIDTBSDINFO, 0, &bi, sizeof bi), 0);
	assert_int_equal(errno, EPERM);
	assert_int_equal(proc_pidinfo(155, PROC_PIDTASKALLINFO, 0, &tai, sizeof tai), 0);
	assert_int_equal(errno, EPERM);
	assert_int_equal(proc_pid_rusage(155, RUSAGE_INFO_V6, buf), -1);
	assert_int_equal(errno, EPERM);
	assert_true(proc_pidpath(155, path, sizeof path) > 0);
	/* kernel_task: no executable */
	assert_int_equal(proc_pidpath(0, path, sizeof path), 0);
	/* the caller's own python3: everything */
	assert_int_equal(proc_pidinfo(501, PROC_PIDTASKALLINFO, 0, &tai, sizeof tai), sizeof tai);
	assert_int_equal(proc_pid_rusage(501, RUSAGE_INFO_V6, buf), 0);
	assert_true(ri.ri_user_time + ri.ri_system_time == 10000000000ull);
	/* gone */
	assert_int_equal(proc_pid_rusage(4242, RUSAGE_INFO_V6, buf), -1);
	assert_int_equal(errno, ESRCH);
	fake_apple_unload();

	/* root reads another user's BSD info (the dump has no task for it to give) */
	load("m4max", &root);
	assert_int_equal(proc_pidinfo(155, PROC_PIDTBSDINFO, 0, &bi, sizeof bi), sizeof bi);
	fake_apple_unload();
}

/* The SMC lists a real machine's keys: their count, ASCII order and types. */
static void test_fake_smc_lists_real_key_counts_and_order(void **state)
{
	struct fake_apple_opts o = { .smc_keys = data_path("apple/smc/smc_temp_dump_m5-max.txt") };
	struct fake_apple_stats st;
	struct run l;

	(void)state;
	load("m5max", &o);
	run_all(&l);
	fake_apple_stats(&st);
	/* the 361 keys of the dump, and #KEY, FNum, Tp0Z, TC0P the fakes add (TB0T is in it; this
	 * dump has no PSTR) */
	assert_int_equal(st.smc_keys, 361 + 4);
	assert_int_equal(st.smc_unwanted, 0);
	run_close(&l);
}

/* ---- point 4: every process, without sudo ---- */

static void test_every_process_listed_without_sudo(void **state)
{
	struct fake_apple_stats st;
	struct run l;
	const struct sample_proc *p;

	(void)state;
	load("m4max", NULL);
	run_all(&l);
	fake_apple_stats(&st);
	assert_true(st.eperm > 0);          /* macOS refused the other users' tasks ... */
	assert_int_equal(l.s[0].nprocs, 5); /* ... and every process is there all the same */
	assert_int_equal(l.s[0].nprocs_total, 5);
	p = proc(&l.s[0], 0); /* kernel_task, pid 0 */
	assert_non_null(p);
	assert_string_equal(p->name, "kernel_task");
	assert_true(isnan(p->cpu) && isnan(p->rss_bytes));
	p = proc(&l.s[0], 1); /* root's launchd */
	assert_non_null(p);
	assert_string_equal(p->name, "launchd");
	assert_int_equal(p->ppid, 0);
	assert_true(isnan(p->cpu));
	p = proc(&l.s[0], 155); /* another user's WindowServer */
	assert_non_null(p);
	assert_true(isnan(p->cpu) && isnan(p->rss_bytes));
	assert_int_equal(p->threads, -1);
	p = proc(&l.s[0], 501); /* one's own */
	assert_non_null(p);
	assert_true(fabs(p->cpu - 3.5) < 0.035);
	run_close(&l);
}

/* As root, another user's task is readable: CPU and memory for it too. */
static void test_root_reads_every_task(void **state)
{
	struct fake_apple_opts root = { .root = true };
	struct apple_dump *d;
	struct run l;
	const struct sample_proc *p;

	(void)state;
	load("m4max", &root);
	d = fake_apple_dump_edit();
	for (unsigned k = 0; k < d->nreadings; k++)
		for (size_t i = 0; i < d->reading[k].nprocs; i++) {
			struct apple_proc *q = &d->reading[k].procs[i];
			if (q->pid != 155)
				continue;
			q->task = true;                      /* what root reads of it */
			q->cpu_time = 24000000ull * (k + 1); /* 1 s of CPU per second */
			q->rss = 1 << 30;
			q->threads = 7;
		}
	run_all(&l);
	p = proc(&l.s[0], 155);
	assert_non_null(p);
	assert_true(fabs(p->cpu - 1.0) < 0.01);
	assert_true(p->rss_bytes == (double)(1 << 30));
	assert_int_equal(p->threads, 7);
	run_close(&l);
}

/* ---- point 5: temperatures from real SMC key lists through the live source ---- */

/* The keys of a key dump that the dashboard's families hold (CPU die keys, Tp, Te, Tg, Tm) and
 * that are temperatures (flt). */
static unsigned shown_keys(const char *path)
{
	char *text = read_file(path, NULL), *line, *save = NULL;
	unsigned n = 0;

	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != ' ' || strlen(line) < 14 || strncmp(line + 8, "[flt ]", 6))
			continue;
		if (!strncmp(line + 2, "TCMb", 4) || !strncmp(line + 2, "TCMz", 4) ||
		    !strncmp(line + 2, "Tp", 2) || !strncmp(line + 2, "Te", 2) ||
		    !strncmp(line + 2, "Tg", 2) || !strncmp(line + 2, "Tm", 2))
			n++;
	}
	free(text);
	return n;
}

static void test_live_temps_from_real_smc_key_lists(void **state)
{
	static const struct {
		const char *file;
		double cpu,
		    gpu; /* the believable maxima of the file's keys (test_apple_channels) */
	} chips[] = {
		{ "apple/smc/smc_temp_dump_m4-max.txt", 37.609375, 36.9013557 },
		{ "apple/smc/smc_temp_dump_m5-pro.txt", 62.5906258, 41.078125 },
		{ "apple/smc/smc_temp_dump_m5-max.txt", 36.6187515, 27.734375 },
	};

	(void)state;
	for (unsigned c = 0; c < 3; c++) {
		struct fake_apple_opts o = { .smc_keys = data_path(chips[c].file) };
		struct fake_apple_stats st;
		struct apple_dump *d;
		struct run l;

		load("m5max", &o);
		d = fake_apple_dump_edit();
		for (unsigned k = 0; k < d->nreadings; k++)
			d->reading[k].ntemps = 0; /* the key list's own values only */
		run_all(&l);
		fake_apple_stats(&st);
		/* every such key, at every reading (the first one and each read) */
		assert_int_equal(st.smc_temp_reads, shown_keys(o.smc_keys) * (l.n + 1));
		if (fabs(sample_temp_max(&l.s[0], TEMP_CPU) - chips[c].cpu) > 1e-4 ||
		    fabs(sample_temp_max(&l.s[0], TEMP_GPU) - chips[c].gpu) > 1e-4)
			fail_msg("%s: CPU %.4f GPU %.4f", chips[c].file,
			         sample_temp_max(&l.s[0], TEMP_CPU),
			         sample_temp_max(&l.s[0], TEMP_GPU));
		run_close(&l);
	}
}

/* ---- points 3, 7, 8: energy over time through the live source ---- */

/* The burst after six idle windows reads 5 W (not 0.714) through the fakes. */
static void test_live_burst_after_six_idle_windows_reads_5w(void **state)
{
	struct run l;

	(void)state;
	load("m1", NULL);
	for (unsigned i = 0; i < 7; i++) {
		struct apple_dump *d = fake_apple_dump_edit();
		struct apple_reading *r = grow(1.0);
		d = fake_apple_dump_edit();
		ticks(r, &d->reading[d->nreadings - 2], 1.0, i < 6 ? 0.0 : 0.5);
		if (i == 6)
			chan(r, "CPU Energy")->value += 5000;
	}
	run_all(&l);
	for (unsigned i = 3; i < 8; i++) /* idle: the counter still, a true 0 W */
		assert_true(l.s[i].power[RAIL_CPU].watts == 0);
	if (fabs(l.s[8].power[RAIL_CPU].watts - 5.0) > 1e-9)
		fail_msg("burst: %.6f W", l.s[8].power[RAIL_CPU].watts);
	assert_false(l.s[8].power[RAIL_CPU].stale);
	run_close(&l);
}

/* An M5 Max on macOS 27 publishing its mJ counters in batches 2.1 s apart, read every second:
 * the driver's timestamps give the true power at every batch, held between them. */
static void test_live_batched_publication_reads_the_true_power(void **state)
{
	struct fake_apple_opts o = { .energy_batch_s = 2.1 };
	struct apple_dump *d;
	struct run l;

	(void)state;
	load("m5max", &o);
	d = fake_apple_dump_edit();
	snprintf(d->host.os, sizeof d->host.os, "macOS 27.0");
	for (unsigned i = 0; i < 9; i++) {
		struct apple_reading *r = grow(1.0);
		d = fake_apple_dump_edit();
		ticks(r, &d->reading[d->nreadings - 2], 1.0, 0.8);
		chan(r, "CPU Energy")->value += 20000; /* 20 W, steadily */
		chan(r, "GPU Energy")->value += 700000000;
	}
	run_all(&l);
	/* the dump's own first window ran at 21.1 W: from the second batch on, all at 20 W (timed
	 * by the readings alone, a batch of 2.1 s over a 2 s span would read 21 W) */
	for (unsigned i = 4; i < l.n; i++) {
		double w = l.s[i].power[RAIL_CPU].watts;
		if (fabs(w - 20.0) > 1e-6)
			fail_msg("sample %u: %.6f W, want 20 W", i, w);
		assert_false(l.s[i].power[RAIL_CPU].stale);
	}
	run_close(&l);
}

/* macOS 27's freeze: the CPU, DRAM and ANE counters stop (same bytes, same timestamps) while
 * GPU Energy counts on: stale with that reason, never a confident 0 W. */
static void test_live_macos27_freeze_is_stale(void **state)
{
	struct fake_apple_opts o = { .energy_freeze_at = 3 };
	struct apple_dump *d;
	struct run l;
	const struct sample *s;

	(void)state;
	load("m5max", &o);
	d = fake_apple_dump_edit();
	snprintf(d->host.os, sizeof d->host.os, "macOS 27.0");
	for (unsigned i = 0; i < 6; i++) {
		struct apple_reading *r = grow(1.0);
		d = fake_apple_dump_edit();
		ticks(r, &d->reading[d->nreadings - 2], 1.0, 0.8);
		chan(r, "CPU Energy")->value += 20000;
		chan(r, "DRAM0")->value += 1500;
		chan(r, "GPU Energy")->value += 700000000;
	}
	run_all(&l);
	s = &l.s[l.n - 1];
	assert_true(s->power[RAIL_CPU].stale);
	assert_true(s->power[RAIL_CPU].watts != 0);
	assert_true(s->power[RAIL_DRAM].stale);
	assert_true(s->power[RAIL_ANE].stale);
	assert_false(s->power[RAIL_GPU].stale);
	assert_true(fabs(s->power[RAIL_GPU].watts - 0.7) < 1e-6);
	assert_non_null(strstr(sample_note_get(s, "power.cpu"), "macOS 27 freezes"));
	run_close(&l);
}

/* AMC Stats that can be subscribed but reports INT64_MIN: the source subscribes the PMP
 * histograms too, and the bandwidth is their estimate. */
static void test_live_amc_without_data_falls_back_to_pmp(void **state)
{
	struct apple_dump *d;
	struct run l;

	(void)state;
	load("m4max", NULL);
	d = fake_apple_dump_edit();
	for (unsigned g = 0; g < d->ngroups; g++)
		if (!strcmp(d->group[g].group, "AMC Stats"))
			d->group[g].subscribed = true;
	for (unsigned k = 0; k < d->nreadings; k++) {
		struct ior_channel *c = ior_add(&d->reading[k].ior, "AMC Stats", "Perf Counters",
		                                "PCPU DCS RD", "B", IOR_SIMPLE);
		assert_non_null(c); /* value: IOR_NO_VALUE */
	}
	run_all(&l);
	assert_non_null(strstr(fake_apple_subscribed(), "AMC Stats/"));
	assert_non_null(strstr(fake_apple_subscribed(), "PMP/DCS BW/"));
	assert_int_equal(l.s[0].bandwidth.quality, BW_ESTIMATED);
	assert_true(fabs(l.s[0].bandwidth.total_bps - 21e9) < 21e7);
	run_close(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fakes_follow_xnu_permission_rules),
		cmocka_unit_test(test_fake_smc_lists_real_key_counts_and_order),
		cmocka_unit_test(test_every_process_listed_without_sudo),
		cmocka_unit_test(test_root_reads_every_task),
		cmocka_unit_test(test_live_temps_from_real_smc_key_lists),
		cmocka_unit_test(test_live_burst_after_six_idle_windows_reads_5w),
		cmocka_unit_test(test_live_batched_publication_reads_the_true_power),
		cmocka_unit_test(test_live_macos27_freeze_is_stale),
		cmocka_unit_test(test_live_amc_without_data_falls_back_to_pmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
