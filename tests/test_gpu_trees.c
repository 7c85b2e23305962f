/* test_gpu_trees.c - the Linux source's GPUs on /proc and /sys trees built from the drivers'
 * documented formats (tests/data/linux/gpu_*): amdgpu, i915 with xe, and an Apple M1 under Asahi
 * Linux. Each tree is copied to a temporary directory, read once, its counters advanced by the
 * test, and read again: every number below is what those files say. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "procfield.h"
#include "procsel.h"
#include "source/linux/fsroot.h"
#include "source/linux/gpu/drm_fdinfo.h"
#include "source/linux/linux_source.h"
#include "testutil.h"
#include "util/str.h"

struct tree {
	char *dir;
	char proc[512], sys[512];
	struct options o;
	struct source src;
	struct sample s;
};

/* A copy of tests/data/linux/NAME that the test may change, opened as the live source. */
static void tree_open(struct tree *t, const char *name)
{
	char *argv[] = { "/bin/cp", "-R", NULL, NULL, NULL };
	char src[512], dst[600];
	struct cmd_result r;
	struct error err;

	memset(t, 0, sizeof *t);
	t->dir = tmp_dir();
	assert_non_null(t->dir);
	snprintf(src, sizeof src, "%s/.", data_path(name));
	snprintf(dst, sizeof dst, "%s/", t->dir);
	argv[2] = src;
	argv[3] = dst;
	assert_int_equal(run_cmd(argv, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 0);
	cmd_result_free(&r);
	snprintf(t->proc, sizeof t->proc, "%s/proc", t->dir);
	snprintf(t->sys, sizeof t->sys, "%s/sys", t->dir);
	t->o.interval = 1;
	/* a machine without NVIDIA's driver, whatever this one has */
	snprintf(t->o.nvml_library, sizeof t->o.nvml_library, "/nonexistent/libnvidia-ml.so.1");
	snprintf(t->o.procfs, sizeof t->o.procfs, "%s", t->proc);
	snprintf(t->o.sysfs, sizeof t->o.sysfs, "%s", t->sys);
	sample_init(&t->s);
	t->src.ops = &linux_source;
	assert_int_equal(linux_source.open(&t->src, &t->o, &err), 0);
}

static void tree_read(struct tree *t)
{
	struct error err;

	usleep(100000); /* an interval of at least 0.1 s: every share below is at most one */
	assert_int_equal(source_read(&t->src, &t->s, &err), SOURCE_SAMPLE);
	assert_true(t->s.interval_s >= 0.1);
}

static void tree_close(struct tree *t)
{
	source_close(&t->src);
	sample_free(&t->s);
	tmp_cleanup(t->dir);
	free(t->dir);
}

static void put(struct tree *t, const char *rel, const char *content)
{
	assert_int_equal(write_file(t->dir, rel, content), 0);
}

/* Replaces the first "key:\t<number>" of a file with a new number. */
static void advance(struct tree *t, const char *rel, const char *key, unsigned long long value)
{
	char path[1024], *text, *at, *eol, out[8192];

	snprintf(path, sizeof path, "%s/%s", t->dir, rel);
	text = read_file(path, NULL);
	assert_non_null(text);
	at = strstr(text, key);
	assert_non_null(at);
	at += strlen(key);
	eol = strpbrk(at, " \n");
	assert_non_null(eol);
	snprintf(out, sizeof out, "%.*s%llu%s", (int)(at - text), text, value, eol);
	put(t, rel, out);
	free(text);
}

static const struct sample_proc *proc(const struct sample *s, int pid)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	fail_msg("no pid %d", pid);
	return NULL;
}

static bool close_to(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(1, fabs(b));
}

static void amdgpu_card_and_its_clients(void **state)
{
	struct tree t;
	const struct sample_gpu *g;
	double dt;

	(void)state;
	tree_open(&t, "linux/gpu_amdgpu");
	/* the game's gfx engine works 40 ms, blender's compute engine 55 ms */
	advance(&t, "proc/2000/fdinfo/4", "drm-engine-gfx:\t", 107322799 + 40000000);
	advance(&t, "proc/2001/fdinfo/4", "drm-engine-gfx:\t", 107322799 + 40000000);
	advance(&t, "proc/2002/fdinfo/7", "drm-engine-compute:\t", 900000000 + 55000000);
	tree_read(&t);
	dt = t.s.interval_s;

	/* one card: the connector card0-DP-1 and renderD128 are not GPUs */
	assert_int_equal(t.s.ngpus, 1);
	g = &t.s.gpus[0];
	assert_string_equal(g->name, "AMD GPU 1002:744C");
	assert_string_equal(g->vendor, "amd");
	assert_string_equal(g->driver, "amdgpu");
	assert_string_equal(g->id, "0000:03:00.0");
	assert_string_equal(g->label, "GPU");
	assert_false(g->integrated);
	assert_true(g->util == 0.37);                                  /* gpu_busy_percent */
	assert_true(g->mem_util == 0.12);                              /* mem_busy_percent */
	assert_true(g->freq_hz == 1872e6 && g->freq_max_hz == 2526e6); /* pp_dpm_sclk */
	assert_true(g->mem_freq_hz == 1249e6 && g->mem_freq_max_hz == 1249e6); /* pp_dpm_mclk */
	assert_true(g->mem_used_bytes == 3221225472.0);
	assert_true(g->mem_total_bytes == 25753026560.0);
	assert_true(g->gtt_used_bytes == 104857600.0);
	assert_true(g->gtt_total_bytes == 16777216000.0);
	assert_true(g->power_w == 152);       /* power1_average, µW */
	assert_true(g->power_limit_w == 303); /* power1_cap */
	assert_true(g->temp_c == 54 && g->temp_hotspot_c == 71 && g->temp_mem_c == 78);
	assert_true(g->fan_rpm == 1450);
	assert_true(close_to(g->fan_ratio, 1450.0 / 3300.0));
	assert_int_equal(g->throttle, THROTTLE_UNKNOWN); /* amdgpu does not say */
	assert_true(t.s.power[RAIL_GPU].watts == 152);
	assert_null(sample_note_get(&t.s, "gpu0"));

	/* per process, from fdinfo */
	assert_true(close_to(proc(&t.s, 2000)->gpu_util, 0.04 / dt));
	assert_true(proc(&t.s, 2000)->gpu_mem_bytes == (2097152.0 + 8192.0) * 1024);
	/* the descriptor inherited across fork is the same client: counted once, for 2000 */
	assert_true(proc(&t.s, 2001)->gpu_util == 0);
	assert_true(proc(&t.s, 2001)->gpu_mem_bytes == 0);
	assert_true(close_to(proc(&t.s, 2002)->gpu_util, 0.055 / dt));
	assert_true(proc(&t.s, 2002)->gpu_mem_bytes == (524288.0 + 2048.0) * 1024);
	assert_true(proc(&t.s, 1)->gpu_util == 0); /* holds no GPU */
	assert_true(proc(&t.s, 1)->gpu_mem_bytes == 0);

	/* the process panel's order by GPU%: the busiest GPU user first (issue 15); by GPU
	 * memory: the game's 2 GiB first; by power: Linux has no per-process energy, so every
	 * value is unknown and the rows stay in PID order */
	{
		struct procsel_rows rows = { 0 };
		assert_int_equal(procsel_order(&t.s, NULL, PF_GPU, true, false, &rows), 0);
		assert_true(rows.n >= 3);
		assert_int_equal(t.s.procs[rows.row[0].idx].pid, 2002);
		assert_int_equal(t.s.procs[rows.row[1].idx].pid, 2000);
		assert_int_equal(procsel_order(&t.s, NULL, PF_GPUMEM, true, false, &rows), 0);
		assert_int_equal(t.s.procs[rows.row[0].idx].pid, 2000);
		assert_int_equal(procsel_order(&t.s, NULL, PF_POWER, true, false, &rows), 0);
		for (size_t i = 1; i < rows.n; i++)
			assert_true(t.s.procs[rows.row[i - 1].idx].pid <
			            t.s.procs[rows.row[i].idx].pid);
		procsel_rows_free(&rows);
	}

	/* the helper exits; its client lives on in the game */
	put(&t, "proc/2001/stat", "");
	tree_read(&t);
	assert_true(proc(&t.s, 2000)->gpu_util == 0);
	assert_true(proc(&t.s, 2000)->gpu_mem_bytes == (2097152.0 + 8192.0) * 1024);
	tree_close(&t);
}

static void intel_i915_and_xe(void **state)
{
	struct tree t;
	const struct sample_gpu *i915, *xe;
	double dt;

	(void)state;
	tree_open(&t, "linux/gpu_intel");
	/* i915 slept 40 ms in RC6, xe's GT 25 ms idle; xe's card took 5 J */
	put(&t, "sys/class/drm/card0/power/rc6_residency_ms", "1000040\n");
	put(&t, "sys/class/drm/card1/device/tile0/gt0/gtidle/idle_residency_ms", "5000025\n");
	put(&t, "sys/class/drm/card1/device/hwmon/hwmon4/energy1_input", "1005000000\n");
	/* firefox renders 30 ms; ollama keeps half of rcs and one of the four ccs busy */
	advance(&t, "proc/3000/fdinfo/10", "drm-engine-render:\t", 346249 + 30000000);
	{
		static const char *const engines[] = { "rcs", "bcs", "vcs", "vecs", "ccs" };
		char key[48];
		for (int i = 0; i < 5; i++) {
			snprintf(key, sizeof key, "drm-total-cycles-%s:\t", engines[i]);
			advance(&t, "proc/3001/fdinfo/11", key, 7655183225ull + 38400000);
		}
		advance(&t, "proc/3001/fdinfo/11", "drm-cycles-rcs:\t", 28257900 + 19200000);
		advance(&t, "proc/3001/fdinfo/11", "drm-cycles-ccs:\t", 38400000);
	}
	tree_read(&t);
	dt = t.s.interval_s;

	assert_int_equal(t.s.ngpus, 2);
	i915 = &t.s.gpus[0];
	xe = &t.s.gpus[1];
	assert_string_equal(i915->driver, "i915");
	assert_string_equal(i915->name, "Intel GPU 8086:A7A0");
	assert_string_equal(i915->label, "GPU0");
	assert_true(i915->integrated);
	assert_true(i915->freq_hz == 1300e6 && i915->freq_max_hz == 1500e6);
	assert_true(close_to(i915->util, 1.0 - 0.040 / dt)); /* not in RC6 */
	assert_true(isnan(i915->power_w) && isnan(i915->mem_total_bytes));
	assert_non_null(strstr(sample_note_get(&t.s, "gpu0"), "integrated"));

	assert_string_equal(xe->driver, "xe");
	assert_string_equal(xe->label, "GPU1");
	assert_false(xe->integrated);
	assert_true(xe->freq_hz == 2450e6 && xe->freq_max_hz == 2850e6); /* act_freq, rp0_freq */
	assert_true(close_to(xe->util, 1.0 - 0.025 / dt));
	assert_true(close_to(xe->power_w, 5.0 / dt)); /* energy1_input "card", µJ */
	assert_true(xe->energy_j == 1005.0);
	assert_true(xe->power_limit_w == 190);
	assert_true(xe->temp_c == 58 && xe->temp_mem_c == 64); /* pkg, vram */
	assert_true(xe->fan_rpm == 1200);
	assert_true(xe->mem_total_bytes == 12884901888.0); /* tile0 physical_vram_size_bytes */
	/* in use: the clients' vram0, every process being readable */
	assert_true(xe->mem_used_bytes == 23992.0 * 1024);
	/* the GPU rail is the discrete card's */
	assert_true(close_to(t.s.power[RAIL_GPU].watts, 5.0 / dt));

	assert_true(close_to(proc(&t.s, 3000)->gpu_util, 0.030 / dt));
	assert_true(proc(&t.s, 3000)->gpu_mem_bytes == 6044.0 * 1024);
	/* xe: 0.5 of rcs + 1 of 4 ccs, on the GPU's own clock */
	assert_true(close_to(proc(&t.s, 3001)->gpu_util, 0.75));
	assert_true(proc(&t.s, 3001)->gpu_mem_bytes == (192.0 + 23992.0) * 1024);
	tree_close(&t);
}

static void apple_m1_under_asahi_linux(void **state)
{
	struct tree t;
	const struct sample_gpu *g;
	double dt;
	unsigned nother = 0;

	(void)state;
	tree_open(&t, "linux/gpu_asahi");
	advance(&t, "proc/4000/fdinfo/12", "drm-engine-render:\t", 812345678 + 20000000);
	advance(&t, "proc/4001/fdinfo/5", "drm-engine-compute:\t", 40000000000ull + 60000000);
	tree_read(&t);
	dt = t.s.interval_s;

	/* the chip and its clusters as macOS names them */
	assert_string_equal(t.s.host.chip, "Apple M1");
	assert_int_equal(t.s.nclusters, 2);
	assert_string_equal(t.s.clusters[0].name, "E-CPU");
	assert_int_equal(t.s.clusters[0].kind, CLUSTER_EFFICIENCY);
	assert_int_equal(t.s.clusters[0].ncores, 4);
	assert_true(t.s.clusters[0].freq_max_hz == 2064e6);
	assert_string_equal(t.s.clusters[1].name, "P-CPU");
	assert_int_equal(t.s.clusters[1].kind, CLUSTER_PERFORMANCE);
	assert_true(t.s.clusters[1].freq_max_hz == 3204e6);
	assert_true(t.s.cores[4].freq_hz == 2988e6);

	/* the SMC: the whole machine and the SoC's heat, in watts */
	assert_true(t.s.power[RAIL_SYSTEM].watts == 9.861);
	assert_true(t.s.power[RAIL_PACKAGE].watts == 4.23);
	assert_true(isnan(t.s.power[RAIL_PACKAGE].joules));
	assert_true(isnan(t.s.power[RAIL_CPU].watts));
	assert_non_null(strstr(sample_note_get(&t.s, "power.cpu"), "SMC"));
	for (unsigned i = 0; i < t.s.ntemps; i++)
		if (!strcmp(t.s.temps[i].chip, "macsmc_hwmon")) {
			nother += t.s.temps[i].kind == TEMP_OTHER;
			if (!strcmp(t.s.temps[i].label, "NAND Flash Temperature"))
				assert_true(t.s.temps[i].celsius == 38.25);
		}
	assert_int_equal(nother, 4);

	/* the GPU: asahi's card0 (card1 is the display controller, not a GPU) */
	assert_int_equal(t.s.ngpus, 1);
	g = &t.s.gpus[0];
	assert_string_equal(g->name, "Apple M1 GPU");
	assert_string_equal(g->vendor, "apple");
	assert_string_equal(g->driver, "asahi");
	assert_string_equal(g->id, "206400000.gpu");
	assert_string_equal(g->label, "GPU");
	assert_true(g->integrated);
	/* busy: its clients' engine time; memory: what they hold */
	assert_true(close_to(g->util, (0.020 + 0.060) / dt));
	assert_true(g->mem_used_bytes == (65536.0 + 4194304.0) * 1024);
	assert_true(isnan(g->freq_hz)); /* asahi has no devfreq */
	assert_true(close_to(proc(&t.s, 4000)->gpu_util, 0.020 / dt));
	assert_true(proc(&t.s, 4000)->gpu_mem_bytes == 65536.0 * 1024);
	assert_true(close_to(proc(&t.s, 4001)->gpu_util, 0.060 / dt));

	/* a kernel whose asahi driver writes no engine time: N/A, and why */
	put(&t, "proc/4001/fdinfo/5", "pos:\t0\ndrm-driver:\tasahi\ndrm-client-id:\t9\n");
	put(&t, "proc/4000/fdinfo/12", "pos:\t0\ndrm-driver:\tasahi\ndrm-client-id:\t5\n");
	tree_read(&t);
	tree_read(&t);
	assert_true(isnan(t.s.gpus[0].util));
	assert_true(isnan(proc(&t.s, 4001)->gpu_util));
	assert_non_null(strstr(sample_note_get(&t.s, "gpu0"), "writes no engine time"));
	tree_close(&t);
}

static void no_gpu_says_why_in_one_line(void **state)
{
	struct tree t;
	const char *why;

	(void)state;
	tree_open(&t, "linux/gpu_amdgpu");
	put(&t, "sys/class/drm/card0/device/uevent",
	    "DRIVER=nouveau\nPCI_SLOT_NAME=0000:01:00.0\n");
	source_close(&t.src);
	{
		struct error err;
		t.src.ops = &linux_source;
		assert_int_equal(linux_source.open(&t.src, &t.o, &err), 0);
	}
	tree_read(&t);
	assert_int_equal(t.s.ngpus, 0);
	why = sample_note_get(&t.s, "gpu");
	assert_non_null(why);
	assert_null(strchr(why, '\n'));
	assert_string_equal(why, "no GPU found: no NVIDIA driver (/nonexistent/libnvidia-ml.so.1 "
	                         "not found); no GPU driver agtop reads (card0: nouveau)");
	/* with no GPU nothing is known of the processes' GPU use */
	assert_true(isnan(proc(&t.s, 2000)->gpu_util));
	tree_close(&t);
}

/* Another user's process: its descriptors need ptrace access. As root the test reads as
 * "nobody" with the process's fd directory closed to others, as /proc has it. */
static void other_users_processes_are_unknown(void **state)
{
	struct tree t;
	char path[700];
	pid_t pid;
	int status;

	(void)state;
	tree_open(&t, "linux/gpu_amdgpu");
	source_close(&t.src);
	snprintf(path, sizeof path, "%s/proc/2002/fd", t.dir);
	assert_int_equal(chmod(path, 0500), 0);
	assert_int_equal(chmod(t.dir, 0755), 0);
	pid = fork();
	if (pid == 0) {
		struct error err;
		const char *why;

		if (geteuid() == 0) {
			if (setuid(65534) != 0)
				_exit(10);
		} else if (chmod(path, 0000) != 0) {
			_exit(11);
		}
		t.src.ops = &linux_source;
		if (linux_source.open(&t.src, &t.o, &err) != 0)
			_exit(12);
		usleep(20000);
		if (source_read(&t.src, &t.s, &err) != SOURCE_SAMPLE)
			_exit(13);
		if (!isnan(proc(&t.s, 2002)->gpu_util) || !isnan(proc(&t.s, 2002)->gpu_mem_bytes))
			_exit(14);
		if (proc(&t.s, 2000)->gpu_mem_bytes != (2097152.0 + 8192.0) * 1024)
			_exit(15);
		why = sample_note_get(&t.s, "processes.gpu");
		if (!why || !strstr(why, "1 processes of other users needs root"))
			_exit(16);
		source_close(&t.src);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	chmod(path, 0700);
	sample_free(&t.s);
	tmp_cleanup(t.dir);
	free(t.dir);
}

/* The agtop binary itself, pointed at each tree by AGTOP_PROCFS and AGTOP_SYSFS (as the README
 * shows for a captured machine): its JSON lines name the tree's GPU, and the dashboard's
 * per-process GPU fields are there. */
static void the_binary_reads_each_tree(void **state)
{
	static const struct {
		const char *tree, *gpu;
	} trees[] = {
		{ "linux/gpu_amdgpu", "\"name\":\"AMD GPU 1002:744C\"" },
		{ "linux/gpu_intel", "\"name\":\"Intel GPU 8086:A7A0\"" },
		{ "linux/gpu_asahi", "\"name\":\"Apple M1 GPU\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof trees / sizeof trees[0]; i++) {
		char env_proc[700], env_sys[700], *root = strdup(data_path(trees[i].tree));
		char *env[] = { env_proc, env_sys,
			        "AGTOP_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1", NULL };
		char *argv[] = {
			AGTOP_BINARY, "--json", "--count", "2", "--interval", "0.2", NULL
		};
		struct cmd_result r;

		assert_non_null(root);
		snprintf(env_proc, sizeof env_proc, "AGTOP_PROCFS=%s/proc", root);
		snprintf(env_sys, sizeof env_sys, "AGTOP_SYSFS=%s/sys", root);
		assert_int_equal(run_cmd(argv, env, NULL, &r), 0);
		if (r.status != 0 || !strstr(r.out, trees[i].gpu) || !strstr(r.out, "\"gpu_util\""))
			fail_msg("%s: status %d, out %.300s, err %.300s", trees[i].tree, r.status,
			         r.out, r.err);
		cmd_result_free(&r);
		free(root);
	}
}

/* The sweep's cache (drm_fdinfo.h): a process that held no DRM descriptor is looked at again
 * only after DRM_RESCAN_S, unless it is another program now (exec); one that holds one is read
 * every sweep. */
static void a_process_without_gpu_clients_is_rescanned_after_five_seconds(void **state)
{
	char *d = tmp_dir(), root[600];
	struct fsroot proc;
	struct error err;
	struct drm_sweep w;
	struct drm_dev_use use[1];
	struct drm_target t = { "0000:03:00.0", "amdgpu" };
	struct sample s;
	struct sample_proc *p;

	(void)state;
	assert_non_null(d);
	memset(&w, 0, sizeof w);
	assert_int_equal(write_file(d, "proc/10/fd/0", "/dev/null"), 0); /* a stored link */
	snprintf(root, sizeof root, "%s/proc", d);
	assert_int_equal(fsroot_open(&proc, root, &err), 0);
	sample_init(&s);
	p = sample_add_proc(&s);
	assert_non_null(p);
	p->pid = 10;
	str_copy(p->name, sizeof p->name, "app");
	drm_sweep_run(&w, &proc, 100, &s, &t, 1, NULL, use);
	assert_true(s.procs[0].gpu_mem_bytes == 0);
	/* it opens the GPU */
	assert_int_equal(write_file(d, "proc/10/fd/3", "/dev/dri/renderD128"), 0);
	assert_int_equal(write_file(d, "proc/10/fdinfo/3",
	                            "drm-driver:\tamdgpu\ndrm-pdev:\t0000:03:00.0\n"
	                            "drm-client-id:\t5\ndrm-memory-vram:\t1024 KiB\n"
	                            "drm-engine-gfx:\t1000 ns\n"),
	                 0);
	drm_sweep_run(&w, &proc, 104.9, &s, &t, 1, NULL, use);
	assert_true(s.procs[0].gpu_mem_bytes == 0); /* not looked at before 5 s */
	drm_sweep_run(&w, &proc, 105.1, &s, &t, 1, NULL, use);
	assert_true(s.procs[0].gpu_mem_bytes == 1024 * 1024.0);
	assert_int_equal(use[0].clients, 1);
	/* a holder is read every sweep: its memory grows at once */
	assert_int_equal(write_file(d, "proc/10/fdinfo/3",
	                            "drm-driver:\tamdgpu\ndrm-pdev:\t0000:03:00.0\n"
	                            "drm-client-id:\t5\ndrm-memory-vram:\t2048 KiB\n"
	                            "drm-engine-gfx:\t1000 ns\n"),
	                 0);
	drm_sweep_run(&w, &proc, 105.2, &s, &t, 1, NULL, use);
	assert_true(s.procs[0].gpu_mem_bytes == 2048 * 1024.0);
	/* pid 11 had none; it execs another program, which opens the GPU: looked at at once */
	p = sample_add_proc(&s);
	assert_non_null(p);
	p->pid = 11;
	str_copy(p->name, sizeof p->name, "sh");
	drm_sweep_run(&w, &proc, 106, &s, &t, 1, NULL, use);
	assert_true(s.procs[1].gpu_mem_bytes == 0);
	assert_int_equal(write_file(d, "proc/11/fd/4", "/dev/dri/renderD128"), 0);
	assert_int_equal(write_file(d, "proc/11/fdinfo/4",
	                            "drm-driver:\tamdgpu\ndrm-pdev:\t0000:03:00.0\n"
	                            "drm-client-id:\t6\ndrm-memory-vram:\t512 KiB\n"),
	                 0);
	str_copy(s.procs[1].name, sizeof s.procs[1].name, "blender");
	drm_sweep_run(&w, &proc, 106.5, &s, &t, 1, NULL, use);
	assert_true(s.procs[1].gpu_mem_bytes == 512 * 1024.0);
	drm_sweep_free(&w);
	sample_free(&s);
	fsroot_close(&proc);
	tmp_cleanup(d);
	free(d);
}

/* Newer AMD SMUs publish power1_input only (no power1_average): the card's power is read from
 * it; with neither, power is N/A and the GPU's note says why. */
static void amdgpu_power_from_power1_input(void **state)
{
	static const char hw[] = "sys/class/drm/card0/device/hwmon/hwmon2/";
	char rel[200];
	struct tree t;

	(void)state;
	tree_open(&t, "linux/gpu_amdgpu");
	snprintf(rel, sizeof rel, "%s/%spower1_average", t.dir, hw);
	assert_int_equal(unlink(rel), 0);
	snprintf(rel, sizeof rel, "%spower1_input", hw);
	put(&t, rel, "98000000\n");
	tree_read(&t);
	assert_true(t.s.gpus[0].power_w == 98);
	assert_true(t.s.power[RAIL_GPU].watts == 98);
	snprintf(rel, sizeof rel, "%s/%spower1_input", t.dir, hw);
	assert_int_equal(unlink(rel), 0);
	tree_read(&t);
	assert_true(isnan(t.s.gpus[0].power_w));
	assert_non_null(sample_note_get(&t.s, "gpu0"));
	assert_non_null(strstr(sample_note_get(&t.s, "gpu0"), "no power1_average or power1_input"));
	tree_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(amdgpu_card_and_its_clients),
		cmocka_unit_test(intel_i915_and_xe),
		cmocka_unit_test(apple_m1_under_asahi_linux),
		cmocka_unit_test(no_gpu_says_why_in_one_line),
		cmocka_unit_test(other_users_processes_are_unknown),
		cmocka_unit_test(the_binary_reads_each_tree),
		cmocka_unit_test(amdgpu_power_from_power1_input),
		cmocka_unit_test(a_process_without_gpu_clients_is_rescanned_after_five_seconds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
