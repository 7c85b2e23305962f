/* test_gpu_nvml.c - NVIDIA GPUs through NVML, against the fake libnvidia-ml of
 * tests/fakes/nvml answering from two real nvidia-smi captures (tests/data/nvidia): a Tesla T4
 * running Xorg and a python job, and a Quadro P400 without a power sensor or ECC. The values
 * asserted are the captures' own. */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/json.h"
#include "export/prometheus.h"
#include "frames.h"
#include "source/linux/linux_source.h"
#include "testutil.h"
#include "util/strbuf.h"

#define MIB 1048576.0

struct rig {
	char *dir;
	struct options o;
	struct source src;
	struct sample s;
	void *fake; /* the fake library, for what the tests do to the devices */
};

static const char *captures(char *buf, size_t size, const char *extra)
{
	snprintf(buf, size, "%s,%s%s%s", data_path("nvidia/telegraf-tesla-t4.xml"),
	         data_path("nvidia/telegraf-quadro-p400.xml"), extra ? "," : "",
	         extra ? extra : "");
	return buf;
}

/* A machine with the captures' processes (Xorg 675, python 5762) and a shell, no DRM card. */
static void rig_open(struct rig *r, const char *devices)
{
	struct error err;

	memset(r, 0, sizeof *r);
	r->dir = tmp_dir();
	assert_non_null(r->dir);
	write_file(r->dir, "proc/stat",
	           "cpu  100 0 100 800 0 0 0 0 0 0\n"
	           "cpu0 100 0 100 800 0 0 0 0 0 0\n");
	write_file(r->dir, "proc/meminfo",
	           "MemTotal: 1000 kB\nMemFree: 100 kB\n"
	           "MemAvailable: 400 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
	write_file(r->dir, "proc/42/stat",
	           "42 (bash) S 1 42 42 0 -1 0 0 0 0 0 5 1 0 0 20 0 1 0 "
	           "90 1000000 10 0\n");
	write_file(r->dir, "proc/675/stat",
	           "675 (Xorg) S 1 675 675 0 -1 0 0 0 0 0 400 100 0 0 20 "
	           "0 2 0 100 200000000 5000 0\n");
	write_file(r->dir, "proc/5762/stat",
	           "5762 (python) R 42 5762 42 0 -1 0 0 0 0 0 9000 300 0 "
	           "0 20 0 12 0 500 900000000 90000 0\n");
	write_file(r->dir, "sys/kernel/.keep", "");
	setenv("AGTOP_FAKE_NVML", devices, 1);
	r->o.interval = 1;
	snprintf(r->o.nvml_library, sizeof r->o.nvml_library, "%s", FAKE_NVML_PATH);
	snprintf(r->o.procfs, sizeof r->o.procfs, "%s/proc", r->dir);
	snprintf(r->o.sysfs, sizeof r->o.sysfs, "%s/sys", r->dir);
	sample_init(&r->s);
	r->src.ops = &linux_source;
	assert_int_equal(linux_source.open(&r->src, &r->o, &err), 0);
	/* the library agtop loaded (none when NVML would not start) */
	r->fake = dlopen(FAKE_NVML_PATH, RTLD_NOW | RTLD_NOLOAD);
}

static void rig_read(struct rig *r)
{
	struct error err;

	usleep(50000);
	assert_int_equal(source_read(&r->src, &r->s, &err), SOURCE_SAMPLE);
}

static void rig_close(struct rig *r)
{
	if (r->fake)
		dlclose(r->fake);
	source_close(&r->src);
	sample_free(&r->s);
	tmp_cleanup(r->dir);
	free(r->dir);
}

static void *hook(struct rig *r, const char *name)
{
	void *f;

	assert_non_null(r->fake);
	f = dlsym(r->fake, name);

	assert_non_null(f);
	return f;
}

static const struct sample_proc *proc(const struct sample *s, int pid)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	fail_msg("no pid %d", pid);
	return NULL;
}

static void two_gpus_with_the_captured_values(void **state)
{
	struct rig r;
	char devs[2048];
	const struct sample_gpu *t4, *p400;

	(void)state;
	rig_open(&r, captures(devs, sizeof devs, NULL));
	rig_read(&r);
	assert_int_equal(r.s.ngpus, 2);
	assert_null(sample_note_get(&r.s, "gpu"));

	t4 = &r.s.gpus[0];
	assert_string_equal(t4->name, "Tesla T4");
	assert_string_equal(t4->vendor, "nvidia");
	assert_string_equal(t4->driver, "nvml");
	assert_string_equal(t4->id, "GPU-d37e67a5-91dd-3774-a5cb-99096249601a");
	assert_string_equal(t4->label, "GPU0");
	assert_true(t4->util == 0 && t4->mem_util == 0);
	assert_true(t4->freq_hz == 585e6 && t4->freq_max_hz == 1590e6);          /* SM clock */
	assert_true(t4->mem_freq_hz == 5000e6 && t4->mem_freq_max_hz == 5001e6); /* memory */
	assert_true(t4->power_w == 26.78);
	assert_true(t4->power_limit_w == 70);
	assert_true(isnan(t4->energy_j)); /* the capture has no energy counter */
	/* as nvidia-smi shows it: used without the 388 MiB the driver reserves */
	assert_true(t4->mem_used_bytes == 1032 * MIB);
	assert_true(t4->mem_total_bytes == 15360 * MIB);
	assert_true(t4->temp_c == 40);
	assert_true(isnan(t4->fan_ratio)); /* a passively cooled card: fan_speed N/A */
	assert_true(t4->pcie_rx_bps == 0 && t4->pcie_tx_bps == 0);
	assert_int_equal(t4->throttle, 0);
	assert_true(t4->ecc_corrected == 0 && t4->ecc_uncorrected == 0);
	assert_true(t4->xid_errors == 0 && t4->xid_last == 0);
	assert_string_equal(sample_note_get(&r.s, "gpu0"),
	                    "Tesla T4: energy, fan N/A (not supported by this GPU)");

	p400 = &r.s.gpus[1];
	assert_string_equal(p400->name, "Quadro P400");
	assert_string_equal(p400->label, "GPU1");
	assert_true(p400->util == 0 && p400->mem_util == 0.03);
	assert_true(p400->freq_hz == 139e6 && p400->freq_max_hz == 1252e6);
	assert_true(p400->mem_freq_hz == 405e6 && p400->mem_freq_max_hz == 2005e6);
	assert_true(isnan(p400->power_w) && isnan(p400->power_limit_w));
	assert_true(p400->mem_used_bytes == 0 && p400->mem_total_bytes == 1998 * MIB);
	assert_true(p400->temp_c == 33);
	assert_true(p400->fan_ratio == 0.34);
	assert_int_equal(p400->throttle, 0);     /* idle is not a throttle */
	assert_true(isnan(p400->ecc_corrected)); /* ECC N/A on this card */
	assert_string_equal(sample_note_get(&r.s, "gpu1"),
	                    "Quadro P400: energy, power, power limit, ECC N/A (not supported by "
	                    "this GPU)");

	/* one GPU without a power sensor: the GPU rail is not their sum */
	assert_true(isnan(r.s.power[RAIL_GPU].watts));
	assert_string_equal(sample_note_get(&r.s, "power.gpu"), "1 of 2 GPUs report no power");

	/* the captures' processes: G Xorg 22 MiB, C python 1005 MiB; both idle */
	assert_true(proc(&r.s, 675)->gpu_mem_bytes == 22 * MIB);
	assert_true(proc(&r.s, 675)->gpu_util == 0);
	assert_true(proc(&r.s, 5762)->gpu_mem_bytes == 1005 * MIB);
	assert_true(proc(&r.s, 5762)->gpu_util == 0);
	assert_true(proc(&r.s, 42)->gpu_mem_bytes == 0);
	rig_close(&r);
}

static void the_same_values_in_dashboard_json_and_prometheus(void **state)
{
	struct rig r;
	char devs[2048];
	struct frame_state st;
	struct grid g;
	struct strbuf b;
	struct prom_opts po = { PROM_TEXT, 5 };
	char *text;

	(void)state;
	rig_open(&r, captures(devs, sizeof devs, NULL));
	rig_read(&r);

	memset(&st, 0, sizeof st);
	st.o.interval = 1;
	st.o.avg = 30;
	st.o.color = 2;
	assert_int_equal(history_init(&st.hist, &st.o, r.s.host.chip), 0);
	history_update(&st.hist, &r.s);
	sample_init(&st.last);
	assert_int_equal(sample_copy(&st.last, &r.s), 0);
	ui_init(&st.ui, &st.o);
	theme_init(&st.theme, RENDER_256, 2, true);
	assert_int_equal(frame_draw(&st, 120, 40, &g), 0);
	text = grid_text(&g);
	/* the label's form that fits 58 columns: the average and peak before the temperature */
	assert_non_null(strstr(text, "GPU0 0% @ 585 MHz avg 0% peak 0% 40\xC2\xB0"
	                             "C mem 1.0/15.0GB"));
	assert_non_null(strstr(text, "GPU1 0% @ 139 MHz avg 0% peak 0% 33\xC2\xB0"
	                             "C mem 0.0/2.0GB"));
	free(text);
	grid_free(&g);
	/* a GPU held down says why, where the line has room */
	st.last.gpus[1].throttle = (1 << THROTTLE_THERMAL) | (1 << THROTTLE_POWER);
	assert_int_equal(frame_draw(&st, 200, 50, &g), 0);
	text = grid_text(&g);
	assert_non_null(strstr(text, "mem 0.0/2.0GB throttled: thermal+power"));
	assert_null(strstr(text, "15.0GB throttled")); /* the T4 is not */
	free(text);
	grid_free(&g);
	frame_unload(&st);

	sb_init(&b);
	json_write_sample(&b, &r.s, NULL);
	assert_non_null(strstr(b.buf, "\"name\":\"Tesla T4\",\"vendor\":\"nvidia\""));
	assert_non_null(strstr(b.buf, "\"name\":\"Quadro P400\""));
	assert_non_null(strstr(b.buf, "\"power_w\":26.78"));
	assert_non_null(strstr(b.buf, "\"gpu_mem_bytes\":1053818880"));
	sb_clear(&b);
	prom_write(&b, &r.s, &po);
	assert_non_null(strstr(b.buf,
	                       "agtop_gpu_info{gpu=\"0\",vendor=\"nvidia\",name=\"Tesla T4\","
	                       "cores=\"\",driver=\"nvml\",id=\"GPU-d37e67a5-91dd-3774-a5cb-"
	                       "99096249601a\"} 1\n"));
	assert_non_null(strstr(b.buf, "agtop_gpu_power_watts{gpu=\"0\"} 26.78\n"));
	assert_null(strstr(b.buf, "agtop_gpu_power_watts{gpu=\"1\"}")); /* N/A: left out */
	assert_non_null(strstr(b.buf, "agtop_gpu_memory_total_bytes{gpu=\"1\"} 2095054848\n"));
	assert_non_null(strstr(b.buf, "agtop_gpu_fan_ratio{gpu=\"1\"} 0.34\n"));
	assert_non_null(strstr(b.buf, "agtop_gpu_throttle_cause{gpu=\"0\",cause=\"power\"} 0\n"));
	assert_non_null(
	    strstr(b.buf, "agtop_gpu_ecc_errors_total{gpu=\"0\",type=\"corrected\"} 0\n"));
	assert_non_null(strstr(b.buf,
	                       "agtop_process_gpu_memory_bytes{pid=\"5762\",name=\"python\"} "
	                       "1053818880\n"));
	assert_non_null(strstr(b.buf, "agtop_process_gpu_memory_bytes{pid=\"675\",name=\"Xorg\"} "
	                              "23068672\n"));
	assert_null(strstr(b.buf, "agtop_process_gpu_memory_bytes{pid=\"42\"")); /* no GPU */
	sb_free(&b);
	rig_close(&r);
}

static void energy_xid_and_process_samples(void **state)
{
	struct rig r;
	char devs[2048];
	void (*set_energy)(unsigned, unsigned long long);
	void (*xid)(unsigned, unsigned long long);
	void (*sample)(unsigned, unsigned, unsigned, unsigned long long);

	(void)state;
	rig_open(&r, captures(devs, sizeof devs, NULL));
	*(void **)&set_energy = hook(&r, "fake_nvml_set_energy");
	*(void **)&xid = hook(&r, "fake_nvml_xid");
	*(void **)&sample = hook(&r, "fake_nvml_proc_sample");

	/* an energy counter appears: the first reading has nothing to compare with */
	set_energy(0, 5000000);
	rig_read(&r);
	assert_true(r.s.gpus[0].energy_j == 5000);
	assert_true(r.s.gpus[0].power_w == 26.78);
	/* 30 J over the interval: watts from the counter, not the instantaneous reading */
	set_energy(0, 5030000);
	xid(1, 79); /* the P400 fell off the bus once, and said so */
	sample(0, 5762, 87, 1000);
	sample(0, 5762, 40, 900);  /* an older sample of the same process */
	sample(0, 675, 250, 1000); /* NVML's own inconsistency: dropped */
	rig_read(&r);
	assert_true(fabs(r.s.gpus[0].power_w - 30.0 / r.s.interval_s) < 1e-9 * r.s.gpus[0].power_w);
	assert_true(r.s.gpus[0].energy_j == 5030);
	assert_true(r.s.gpus[1].xid_errors == 1 && r.s.gpus[1].xid_last == 79);
	assert_true(r.s.gpus[0].xid_errors == 0);
	assert_true(proc(&r.s, 5762)->gpu_util == 0.87);
	assert_true(proc(&r.s, 675)->gpu_util == 0);
	/* no newer sample: nothing busy */
	rig_read(&r);
	assert_true(proc(&r.s, 5762)->gpu_util == 0);
	assert_true(r.s.gpus[1].xid_errors == 1);
	rig_close(&r);
}

static void refusals_become_reasons(void **state)
{
	struct rig r;
	char devs[2048];
	void (*lose)(unsigned);

	(void)state;
	rig_open(&r, captures(devs, sizeof devs, "noperm"));
	rig_read(&r);
	/* counted by nvmlDeviceGetCount_v2, refused by GetHandleByIndex_v2 */
	assert_int_equal(r.s.ngpus, 3);
	assert_string_equal(r.s.gpus[2].name, "NVIDIA GPU 2");
	assert_true(isnan(r.s.gpus[2].util));
	assert_string_equal(sample_note_get(&r.s, "gpu2"),
	                    "NVIDIA GPU 2: cannot be opened: permission denied: needs root");
	/* the T4 falls off the bus: every value N/A, the others go on */
	*(void **)&lose = hook(&r, "fake_nvml_lose");
	lose(0);
	rig_read(&r);
	assert_string_equal(r.s.gpus[0].name, "Tesla T4");
	for (size_t k = 0; k < SAMPLE_GPU_NFIELDS; k++)
		if (strcmp(sample_gpu_fields[k].name, "freq_max_hz") &&
		    strcmp(sample_gpu_fields[k].name, "mem_freq_max_hz"))
			assert_true(isnan(sample_gpu_field(&r.s.gpus[0], k)));
	assert_string_equal(sample_note_get(&r.s, "gpu0"),
	                    "Tesla T4: every value N/A: the GPU fell off the bus");
	assert_true(r.s.gpus[1].temp_c == 33);
	rig_close(&r);
}

static void no_driver_loaded(void **state)
{
	struct rig r;

	(void)state;
	/* the library is there, the kernel module is not */
	rig_open(&r, "");
	rig_read(&r);
	assert_int_equal(r.s.ngpus, 0);
	assert_string_equal(
	    sample_note_get(&r.s, "gpu"),
	    "no GPU found: NVIDIA: Driver Not Loaded; no DRM card in /sys/class/drm");
	rig_close(&r);
}

/* The real binary: JSON lines and the Prometheus file carry both GPUs. Its /proc has no
 * process at all (under UBSan that once stopped agtop: an empty pid list went to qsort as
 * NULL). */
static void the_binary_shows_both(void **state)
{
	char devs[2048], env_lib[4200], env_dev[2200], env_proc[600], env_sys[600], prom[600];
	char *dir = tmp_dir();
	struct cmd_result res;
	char *text;

	(void)state;
	write_file(dir, "proc/stat",
	           "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 100 0 100 800 0 0 0 0 0 0\n");
	write_file(dir, "proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: 400 kB\n");
	write_file(dir, "sys/kernel/.keep", "");
	snprintf(env_lib, sizeof env_lib, "AGTOP_NVML_LIBRARY=%s", FAKE_NVML_PATH);
	snprintf(env_dev, sizeof env_dev, "AGTOP_FAKE_NVML=%s", captures(devs, sizeof devs, NULL));
	snprintf(env_proc, sizeof env_proc, "AGTOP_PROCFS=%s/proc", dir);
	snprintf(env_sys, sizeof env_sys, "AGTOP_SYSFS=%s/sys", dir);
	snprintf(prom, sizeof prom, "%s/agtop.prom", dir);
	{
		char *argv[] = { AGTOP_BINARY,
			         "--json",
			         "--count",
			         "2",
			         "--interval",
			         "0.2",
			         "--prometheus-textfile",
			         prom,
			         NULL };
		char *env[] = { env_lib, env_dev, env_proc, env_sys, NULL };
		assert_int_equal(run_cmd(argv, env, NULL, &res), 0);
	}
	assert_int_equal(res.status, 0);
	assert_int_equal(count_lines(res.out), 2);
	assert_non_null(strstr(res.out, "\"name\":\"Tesla T4\""));
	assert_non_null(strstr(res.out, "\"name\":\"Quadro P400\""));
	cmd_result_free(&res);
	text = read_file(prom, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "agtop_gpu_power_watts{gpu=\"0\"} 26.78\n"));
	assert_non_null(strstr(text, "agtop_gpu_temperature_celsius{gpu=\"1\"} 33\n"));
	free(text);
	tmp_cleanup(dir);
	free(dir);
}

/* nvidia-drm writes fdinfo too (drm-driver: nvidia-drm). Beside an AMD card, whose clients are
 * counted from fdinfo, the NVIDIA clients are NVML's to count: python (5762) holds a render
 * node of the NVIDIA card busy 80 % of the time with 1 GiB, as fdinfo says, and NVML's 1005
 * MiB and idle GPU are what it shows, not the sum of both. */
static void nvidia_clients_are_counted_once(void **state)
{
	char devs[2048], *argv[] = { "/bin/cp", "-R", NULL, NULL, NULL }, src[600], dst[600];
	char fdinfo[512];
	struct cmd_result cr;
	struct rig r;
	struct error err;

	(void)state;
	memset(&r, 0, sizeof r);
	r.dir = tmp_dir();
	assert_non_null(r.dir);
	snprintf(src, sizeof src, "%s/.", data_path("linux/gpu_amdgpu"));
	snprintf(dst, sizeof dst, "%s/", r.dir);
	argv[2] = src;
	argv[3] = dst;
	assert_int_equal(run_cmd(argv, NULL, NULL, &cr), 0);
	assert_int_equal(cr.status, 0);
	cmd_result_free(&cr);
	write_file(r.dir, "proc/5762/stat",
	           "5762 (python) R 1 5762 1 0 -1 0 0 0 0 0 9000 300 0 "
	           "0 20 0 12 0 500 900000000 90000 0\n");
	write_file(r.dir, "proc/5762/cmdline", "python");
	write_file(r.dir, "proc/5762/fd/9", "/dev/dri/renderD129"); /* a stored link */
	for (int k = 0; k < 2; k++) {
		snprintf(fdinfo, sizeof fdinfo,
		         "pos:\t0\nflags:\t02100002\nmnt_id:\t26\nino:\t1053\n"
		         "drm-driver:\tnvidia-drm\ndrm-pdev:\t0000:3b:00.0\ndrm-client-id:\t77\n"
		         "drm-memory-vram:\t1048576 KiB\ndrm-engine-gfx:\t%llu ns\n",
		         k ? 1080000000ULL : 1000000000ULL);
		write_file(r.dir, "proc/5762/fdinfo/9", fdinfo);
		if (k == 0) {
			setenv("AGTOP_FAKE_NVML", captures(devs, sizeof devs, NULL), 1);
			r.o.interval = 1;
			snprintf(r.o.nvml_library, sizeof r.o.nvml_library, "%s", FAKE_NVML_PATH);
			snprintf(r.o.procfs, sizeof r.o.procfs, "%s/proc", r.dir);
			snprintf(r.o.sysfs, sizeof r.o.sysfs, "%s/sys", r.dir);
			sample_init(&r.s);
			r.src.ops = &linux_source;
			assert_int_equal(linux_source.open(&r.src, &r.o, &err), 0);
			r.fake = dlopen(FAKE_NVML_PATH, RTLD_NOW | RTLD_NOLOAD);
			assert_non_null(r.fake);
			rig_read(&r);
			usleep(100000);
		}
	}
	rig_read(&r);
	assert_int_equal(r.s.ngpus, 3); /* the AMD card and the two NVIDIA ones */
	assert_true(proc(&r.s, 5762)->gpu_mem_bytes == 1005 * MIB);
	assert_true(proc(&r.s, 5762)->gpu_util == 0);
	/* the AMD clients are still counted from fdinfo: the game's VRAM and GTT */
	assert_true(proc(&r.s, 2000)->gpu_mem_bytes == (2097152.0 + 8192.0) * 1024);
	rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_gpus_with_the_captured_values),
		cmocka_unit_test(the_same_values_in_dashboard_json_and_prometheus),
		cmocka_unit_test(energy_xid_and_process_samples),
		cmocka_unit_test(refusals_become_reasons),
		cmocka_unit_test(no_driver_loaded),
		cmocka_unit_test(the_binary_shows_both),
		cmocka_unit_test(nvidia_clients_are_counted_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
