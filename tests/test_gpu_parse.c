/* test_gpu_parse.c - the pure parts of the Linux GPU sources: DRM fdinfo as the kernel's
 * drm-usage-stats document and the drivers print it, amdgpu DPM tables, uevent files, NVIDIA
 * clock reasons, Apple device-tree names, the SMC's hwmon labels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/linux/gpu/gpu_parse.h"
#include "source/linux/hwmon.h"
#include "source/linux/topology.h"
#include "testutil.h"

/* amdgpu_top issue #87: a real amdgpu client (kernel >= 5.19 format) */
static const char amdgpu_fd[] = "pos:\t0\nflags:\t02104002\nmnt_id:\t24\nino:\t614\n"
                                "pasid:\t32784\ndrm-driver:\tamdgpu\ndrm-pdev:\t0000:08:00.0\n"
                                "drm-client-id:\t217\ndrm-memory-vram:\t2068 KiB\n"
                                "drm-memory-gtt:\t8192 KiB\ndrm-memory-cpu:\t0 KiB\n"
                                "drm-engine-gfx:\t107322799 ns\n";

/* the i915 example of proc(5)'s DRM section */
static const char i915_fd[] =
    "pos:\t0\nflags:\t02100002\nmnt_id:\t26\nino:\t284\ndrm-driver:\ti915\n"
    "drm-client-id:\t39\ndrm-pdev:\t0000:00:02.0\ndrm-total-system0:\t6044 KiB\n"
    "drm-shared-system0:\t0\ndrm-active-system0:\t0\ndrm-resident-system0:\t6044 KiB\n"
    "drm-purgeable-system0:\t1688 KiB\ndrm-total-stolen-system0:\t0\n"
    "drm-resident-stolen-system0:\t0\ndrm-engine-render:\t346249 ns\ndrm-engine-copy:\t0 ns\n"
    "drm-engine-video:\t0 ns\ndrm-engine-capacity-video:\t2\n"
    "drm-engine-video-enhance:\t0 ns\n";

/* xe_drm_client.c's kernel-doc example */
static const char xe_fd[] =
    "pos:\t0\nflags:\t0100002\nmnt_id:\t26\nino:\t685\ndrm-driver:\txe\ndrm-client-id:\t3\n"
    "drm-pdev:\t0000:03:00.0\ndrm-total-system:\t0\ndrm-resident-system:\t0\n"
    "drm-total-gtt:\t192 KiB\ndrm-shared-gtt:\t0\ndrm-resident-gtt:\t192 KiB\n"
    "drm-total-vram0:\t23992 KiB\ndrm-shared-vram0:\t16 MiB\ndrm-active-vram0:\t0\n"
    "drm-resident-vram0:\t23992 KiB\ndrm-total-stolen:\t0\ndrm-resident-stolen:\t0\n"
    "drm-cycles-rcs:\t28257900\ndrm-total-cycles-rcs:\t7655183225\ndrm-cycles-bcs:\t0\n"
    "drm-total-cycles-bcs:\t7655183225\ndrm-cycles-vcs:\t0\ndrm-total-cycles-vcs:\t7655183225\n"
    "drm-engine-capacity-vcs:\t2\ndrm-cycles-vecs:\t0\ndrm-total-cycles-vecs:\t7655183225\n"
    "drm-engine-capacity-vecs:\t2\ndrm-cycles-ccs:\t0\ndrm-total-cycles-ccs:\t7655183225\n"
    "drm-engine-capacity-ccs:\t4\n";

/* Documentation/gpu/panfrost.rst's example */
static const char panfrost_fd[] =
    "pos:\t0\nflags:\t02400002\nmnt_id:\t27\nino:\t531\ndrm-driver:\tpanfrost\n"
    "drm-client-id:\t14\ndrm-engine-fragment:\t1846584880 ns\ndrm-cycles-fragment:\t1424359409\n"
    "drm-maxfreq-fragment:\t799999987 Hz\ndrm-curfreq-fragment:\t799999987 Hz\n"
    "drm-engine-vertex-tiler:\t71932239 ns\ndrm-cycles-vertex-tiler:\t52617357\n"
    "drm-maxfreq-vertex-tiler:\t799999987 Hz\ndrm-curfreq-vertex-tiler:\t799999987 Hz\n"
    "drm-total-memory:\t290 MiB\ndrm-shared-memory:\t0 MiB\ndrm-active-memory:\t226 MiB\n"
    "drm-resident-memory:\t36496 KiB\ndrm-purgeable-memory:\t128 KiB\n";

/* msm's example from the patch that added its fdinfo (Rob Clark, drm-usage-stats.rst) */
static const char msm_fd[] = "pos:\t0\nflags:\t02400002\nmnt_id:\t21\nino:\t162\n"
                             "drm-driver:\tmsm\ndrm-client-id:\t7\n"
                             "drm-engine-gpu:\t1734371319 ns\ndrm-cycles-gpu:\t1153645024\n"
                             "drm-maxfreq-gpu:\t800000000 Hz\n";

static const struct drm_engine *eng(const struct drm_fdinfo *f, const char *name)
{
	for (unsigned i = 0; i < f->nengines; i++)
		if (!strcmp(f->engine[i].name, name))
			return &f->engine[i];
	fail_msg("no engine %s", name);
	return NULL;
}

static void fdinfo_of_each_driver(void **state)
{
	struct drm_fdinfo f;

	(void)state;
	assert_int_equal(drm_fdinfo_parse(amdgpu_fd, &f), 0);
	assert_string_equal(f.driver, "amdgpu");
	assert_string_equal(f.pdev, "0000:08:00.0");
	assert_true(f.has_client_id);
	assert_true(f.client_id == 217);
	assert_true(eng(&f, "gfx")->ns == 107322799);
	assert_true(eng(&f, "gfx")->has_ns);
	/* vram and gtt; amdgpu's "cpu" domain is not GPU memory */
	assert_true(f.mem_bytes == (2068.0 + 8192.0) * 1024);
	assert_true(f.local_bytes == 2068.0 * 1024);

	assert_int_equal(drm_fdinfo_parse(i915_fd, &f), 0);
	assert_true(f.client_id == 39);
	assert_true(eng(&f, "render")->ns == 346249);
	assert_int_equal(eng(&f, "video")->capacity, 2);
	assert_int_equal(eng(&f, "copy")->capacity, 1);
	assert_int_equal(f.nengines, 4);
	/* resident system0 only: stolen memory is not the client's */
	assert_true(f.mem_bytes == 6044.0 * 1024);
	assert_true(isnan(f.local_bytes)); /* an integrated GPU: no memory of its own */

	assert_int_equal(drm_fdinfo_parse(xe_fd, &f), 0);
	assert_string_equal(f.driver, "xe");
	assert_true(eng(&f, "rcs")->cycles == 28257900);
	assert_true(eng(&f, "rcs")->total_cycles == 7655183225ull);
	assert_false(eng(&f, "rcs")->has_ns); /* xe gives cycles, never nanoseconds */
	assert_int_equal(eng(&f, "ccs")->capacity, 4);
	assert_int_equal(eng(&f, "vecs")->capacity, 2);
	assert_int_equal(f.nengines, 5);
	assert_true(f.mem_bytes == (192.0 + 23992.0) * 1024);
	assert_true(f.local_bytes == 23992.0 * 1024);

	assert_int_equal(drm_fdinfo_parse(panfrost_fd, &f), 0);
	assert_true(eng(&f, "fragment")->ns == 1846584880ull);
	assert_true(eng(&f, "vertex-tiler")->cycles == 52617357);
	assert_false(eng(&f, "fragment")->has_total); /* maxfreq is not a total */
	assert_int_equal(f.nengines, 2);
	assert_true(f.mem_bytes == 36496.0 * 1024); /* resident, not total */

	assert_int_equal(drm_fdinfo_parse(msm_fd, &f), 0);
	assert_true(eng(&f, "gpu")->ns == 1734371319ull);
	assert_true(isnan(f.mem_bytes)); /* no memory keys */
}

static void fdinfo_that_is_not_a_drm_client(void **state)
{
	struct drm_fdinfo f;

	(void)state;
	/* an eventfd; and amdgpu's format of kernels 5.14-5.18 (no drm- keys, amdgpu_top #132) */
	assert_int_equal(
	    drm_fdinfo_parse("pos:\t0\nflags:\t02\nmnt_id:\t15\neventfd-count:\t0\n", &f), -1);
	assert_int_equal(drm_fdinfo_parse("pos:\t0\npdev:\t0000:08:00.0\npasid:\t32784\n"
	                                  "client_id:\t3\ngfx0:\t12.34%\nvram mem:\t1024 kB\n",
	                                  &f),
	                 -1);
	assert_int_equal(drm_fdinfo_parse("", &f), -1);
}

static void fdinfo_hostile_values(void **state)
{
	struct drm_fdinfo f;
	char big[20000];
	size_t n;

	(void)state;
	/* a value that would overflow in bytes, a key with a blank, a capacity of zero, text
	 * where numbers belong: each ignored, the rest kept */
	assert_int_equal(drm_fdinfo_parse("drm-driver:\tamdgpu\n"
	                                  "drm-memory-vram:\t18446744073709551615 MiB\n"
	                                  "drm-memory-gtt:\t4 KiB\n"
	                                  "drm-engine-g fx:\t5 ns\n"
	                                  "drm-engine-capacity-gfx:\t0\n"
	                                  "drm-engine-gfx:\tlots ns\n"
	                                  "drm-engine-compute:\t77 ns\n"
	                                  "drm-client-id:\t-4\n",
	                                  &f),
	                 0);
	assert_true(f.mem_bytes == 4096);
	assert_false(f.has_client_id);
	assert_false(eng(&f, "gfx")->has_ns);
	assert_int_equal(eng(&f, "gfx")->capacity, 1);
	assert_true(eng(&f, "compute")->ns == 77);
	/* more engines than a client keeps, and a very long line */
	n = (size_t)snprintf(big, sizeof big, "drm-driver:\tx\n");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(big + n, sizeof big - n, "drm-engine-e%d:\t%d ns\n", i, i);
	memset(big + n, 'a', 5000);
	memcpy(big + n + 5000, ":\t1\n", 5);
	assert_int_equal(drm_fdinfo_parse(big, &f), 0);
	assert_int_equal(f.nengines, DRM_MAX_ENGINES);
	assert_true(eng(&f, "e15")->ns == 15);
}

static void client_util_over_an_interval(void **state)
{
	struct drm_fdinfo a, b;

	(void)state;
	/* i915: render 0.3 s and the two-engine video class 0.4 s busy over 1 s */
	assert_int_equal(drm_fdinfo_parse(i915_fd, &a), 0);
	b = a;
	b.engine[0].ns += 300000000; /* render */
	b.engine[2].ns += 400000000; /* video, capacity 2 */
	assert_true(fabs(drm_client_util(&a, &b, 1.0) - (0.3 + 0.2)) < 1e-12);
	/* more work than one GPU: capped at one */
	b.engine[1].ns += 900000000;
	assert_true(drm_client_util(&a, &b, 1.0) == 1.0);
	/* no time passed: unknown */
	assert_true(isnan(drm_client_util(&a, &b, 0)));
	/* a counter that went back stands still (the document's rule) */
	b = a;
	b.engine[0].ns -= 1000;
	assert_true(drm_client_util(&a, &b, 1.0) == 0);

	/* xe: busy cycles over the GPU timestamp's advance, the CPU clock not involved */
	assert_int_equal(drm_fdinfo_parse(xe_fd, &a), 0);
	b = a;
	for (unsigned i = 0; i < b.nengines; i++)
		b.engine[i].total_cycles += 38400000;
	for (unsigned i = 0; i < b.nengines; i++) {
		if (!strcmp(b.engine[i].name, "rcs"))
			b.engine[i].cycles += 19200000; /* half of rcs */
		if (!strcmp(b.engine[i].name, "ccs"))
			b.engine[i].cycles += 38400000; /* one of four ccs engines */
	}
	assert_true(fabs(drm_client_util(&a, &b, 123.0) - 0.75) < 1e-12);
	assert_true(fabs(drm_client_util(&a, &b, 0) - 0.75) < 1e-12);
	/* the GPU timestamp did not move: nothing to compare */
	assert_true(isnan(drm_client_util(&a, &a, 1.0)));
	/* engines unknown to the first reading */
	assert_int_equal(drm_fdinfo_parse(msm_fd, &b), 0);
	assert_true(isnan(drm_client_util(&a, &b, 1.0)));
}

static void sysfs_text(void **state)
{
	char v[32];
	double cur, max;

	(void)state;
	assert_int_equal(
	    uevent_value("DRIVER=amdgpu\nPCI_ID=1002:744C\nPCI_SLOT_NAME=0000:03:00.0\n",
	                 "PCI_SLOT_NAME", v, sizeof v),
	    0);
	assert_string_equal(v, "0000:03:00.0");
	assert_int_equal(uevent_value("DRIVER=amdgpu\n", "PCI_ID", v, sizeof v), -1);
	assert_int_equal(uevent_value("XDRIVER=amdgpu\nDRIVER=xe", "DRIVER", v, sizeof v), 0);
	assert_string_equal(v, "xe");

	/* Documentation/gpu/amdgpu/thermal.rst: the current level carries '*' */
	assert_int_equal(amdgpu_parse_dpm("0: 500Mhz\n1: 1872Mhz *\n2: 2526Mhz\n", &cur, &max), 0);
	assert_true(cur == 1872e6);
	assert_true(max == 2526e6);
	/* a deep-sleep level, and no level marked */
	assert_int_equal(amdgpu_parse_dpm("S: 19Mhz *\n0: 500Mhz\n1: 2100Mhz\n", &cur, &max), 0);
	assert_true(cur == 19e6);
	assert_true(max == 2100e6);
	assert_int_equal(amdgpu_parse_dpm("0: 500Mhz\n1: 800Mhz\n", &cur, &max), 0);
	assert_true(isnan(cur));
	assert_int_equal(amdgpu_parse_dpm("nonsense\n", &cur, &max), -1);
	assert_true(isnan(max));
}

static void nvidia_clock_reasons_become_causes(void **state)
{
	(void)state;
	assert_int_equal(nvml_throttle_causes(0), 0);
	assert_int_equal(nvml_throttle_causes(0x1), 0); /* idle is not a throttle */
	assert_int_equal(nvml_throttle_causes(0x4), 1 << THROTTLE_POWER);
	assert_int_equal(nvml_throttle_causes(0x80), 1 << THROTTLE_POWER);
	assert_int_equal(nvml_throttle_causes(0x20 | 0x40), 1 << THROTTLE_THERMAL);
	assert_int_equal(nvml_throttle_causes(0x8), 1 << THROTTLE_HARDWARE);
	assert_int_equal(nvml_throttle_causes(0x2 | 0x10 | 0x100), 1 << THROTTLE_SETTING);
	assert_int_equal(nvml_throttle_causes(0x4 | 0x40),
	                 (1 << THROTTLE_POWER) | (1 << THROTTLE_THERMAL));
}

static void apple_device_tree_names(void **state)
{
	static const char dt[] = "apple,j293\0apple,t8103\0apple,arm-platform";
	char chip[32];

	(void)state;
	assert_int_equal(topology_dt_kind("apple,icestorm"), CLUSTER_EFFICIENCY);
	assert_int_equal(topology_dt_kind("apple,firestorm"), CLUSTER_PERFORMANCE);
	assert_int_equal(topology_dt_kind("apple,sawtooth"), CLUSTER_EFFICIENCY);
	assert_int_equal(topology_dt_kind("apple,everest"), CLUSTER_PERFORMANCE);
	assert_int_equal(topology_dt_kind("arm,cortex-a76"), CLUSTER_GENERIC);
	assert_string_equal(topology_apple_chip("apple,t6001"), "Apple M1 Max");
	assert_string_equal(topology_apple_chip("apple,t8132"), "Apple M4");
	assert_null(topology_apple_chip("apple,j293"));
	assert_int_equal(topology_dt_chip(dt, sizeof dt, chip, sizeof chip), 0);
	assert_string_equal(chip, "Apple M1");
	assert_int_equal(topology_dt_chip("raspberrypi,5-model-b", 22, chip, sizeof chip), -1);
}

/* An M1 Pro under Asahi Linux: two efficiency cores, two performance clusters of four, each a
 * cpufreq policy; the device tree names the cores, equal capacities say nothing. */
static void asahi_clusters_from_the_device_tree(void **state)
{
	struct topo_cpu cpus[10];
	struct topology t;

	(void)state;
	for (int i = 0; i < 10; i++) {
		memset(&cpus[i], 0, sizeof cpus[i]);
		cpus[i].cpu = i;
		cpus[i].capacity = 1024;
		cpus[i].package = 0;
		cpus[i].dt_kind = i < 2 ? CLUSTER_EFFICIENCY : CLUSTER_PERFORMANCE;
		cpus[i].policy = i < 2 ? 0 : i < 6 ? 2 : 6;
		cpus[i].policy_size = i < 2 ? 2 : 4;
		cpus[i].cluster_id = i < 2 ? 0 : i < 6 ? 1 : 2;
		cpus[i].max_hz = i < 2 ? 2064e6 : 3228e6;
	}
	assert_int_equal(topology_build(cpus, 10, &t), 0);
	assert_int_equal(t.nclusters, 3);
	assert_string_equal(t.cluster[0].name, "E-CPU");
	assert_int_equal(t.cluster[0].ncpus, 2);
	assert_true(t.cluster[0].max_hz == 2064e6);
	assert_string_equal(t.cluster[1].name, "P0-CPU");
	assert_string_equal(t.cluster[2].name, "P1-CPU");
	assert_int_equal(t.cluster[2].ncpus, 4);
	assert_int_equal(t.cluster_of[7], 2);
	topology_free(&t);
	/* without cpufreq (an early kernel for a new chip): the device tree's clusters */
	for (int i = 0; i < 10; i++) {
		cpus[i].policy = -1;
		cpus[i].policy_size = 0;
	}
	assert_int_equal(topology_build(cpus, 10, &t), 0);
	assert_int_equal(t.nclusters, 3);
	assert_string_equal(t.cluster[1].name, "P0-CPU");
	topology_free(&t);
}

static void apple_smc_hwmon_labels(void **state)
{
	(void)state;
	/* the labels of arch/arm64/boot/dts/apple/hwmon-*.dtsi */
	assert_int_equal(hwmon_smc_rail("Total System Power"), RAIL_SYSTEM);
	assert_int_equal(hwmon_smc_rail("Heatpipe Power"), RAIL_PACKAGE);
	assert_int_equal(hwmon_smc_rail("AC Input Power"), -1);
	assert_int_equal(hwmon_smc_rail("3.8 V Rail Power"), -1);
	assert_int_equal(hwmon_smc_rail("GPU Power"), RAIL_GPU);
	assert_int_equal(hwmon_classify("macsmc_hwmon", "NAND Flash Temperature", false),
	                 TEMP_OTHER);
	assert_int_equal(hwmon_classify("macsmc_hwmon", "GPU Die Temperature", false), TEMP_GPU);
	assert_int_equal(hwmon_classify("macsmc_hwmon", "CPU Die Temperature", false), TEMP_CPU);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fdinfo_of_each_driver),
		cmocka_unit_test(fdinfo_that_is_not_a_drm_client),
		cmocka_unit_test(fdinfo_hostile_values),
		cmocka_unit_test(client_util_over_an_interval),
		cmocka_unit_test(sysfs_text),
		cmocka_unit_test(nvidia_clock_reasons_become_causes),
		cmocka_unit_test(apple_device_tree_names),
		cmocka_unit_test(asahi_clusters_from_the_device_tree),
		cmocka_unit_test(apple_smc_hwmon_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
