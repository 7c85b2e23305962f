/* fuzz_procfs.c - libFuzzer target: the values agtop reads from procfs and sysfs. The first
 * byte picks the parser (/proc/stat, meminfo, <pid>/stat, <pid>/status, <pid>/cmdline,
 * cpuinfo, a sysfs CPU list, a number file, the topology built from per-CPU values, a hwmon
 * label); the rest is the file's content, NUL-terminated as the source hands it over. Built and
 * run by tools/fuzz.sh. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/linux/hwmon.h"
#include "source/linux/procfs_parse.h"
#include "source/linux/topology.h"
#include "util/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* per-CPU sysfs and device-tree values, 12 bytes a CPU: what topology_build gets from the
 * source */
static void topology(const uint8_t *p, size_t n)
{
	struct topo_cpu cpus[64];
	struct topology t;
	size_t k = 0;

	memset(cpus, 0, sizeof cpus); /* every field set below; none left to chance */
	for (; k < 64 && n >= 12; k++, p += 12, n -= 12) {
		cpus[k].cpu = p[0] | (p[1] & 0x0f) << 8;
		cpus[k].capacity = (p[2] | p[3] << 8) - 1;
		cpus[k].policy = (int)p[4] - 1;
		cpus[k].policy_size = p[5];
		cpus[k].type = (enum core_type)(p[6] % 3);
		cpus[k].package = (int)p[7] - 1;
		cpus[k].max_hz =
		    p[8] == 0xff ? NAN : (double)(p[8] | p[9] << 8 | p[10] << 16) * 1e3;
		cpus[k].dt_kind = (enum cluster_kind)(p[11] % CLUSTER_KIND_COUNT);
		cpus[k].cluster_id = (int)(p[11] >> 2) - 1;
	}
	if (topology_build(cpus, k, &t) == 0)
		topology_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, model[128], out[4096];
	struct stat_cpu total, cpus[256];
	struct cpuinfo_cpu ci[256];
	struct meminfo mi;
	struct sample_memory mem;
	struct pid_stat ps;
	unsigned char bits[128];
	uint64_t a, b;
	const char *end;

	if (size < 1)
		return 0;
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	switch (data[0] % 10) {
	case 0:
		procfs_parse_stat(buf, &total, cpus, 256);
		break;
	case 1:
		if (procfs_parse_meminfo(buf, &mi) == 0)
			meminfo_to_memory(&mi, &mem);
		break;
	case 2:
		procfs_parse_pid_stat(buf, &ps);
		break;
	case 3:
		procfs_parse_status_uid(buf, (int64_t *)&a);
		break;
	case 4:
		procfs_cmdline_join(buf, size - 1, out, sizeof out);
		break;
	case 5:
		procfs_parse_cpuinfo(buf, ci, 256, model, sizeof model);
		break;
	case 6:
		sysfs_parse_cpulist(buf, bits, sizeof bits * 8);
		break;
	case 7:
		str_parse_u64(buf, &end, &a);
		str_parse_i64(buf, &end, (int64_t *)&b);
		break;
	case 8:
		topology((const uint8_t *)data + 1, size - 1);
		break;
	case 9:
		hwmon_classify(buf, buf + strlen(buf) / 2, size % 2);
		hwmon_chip_id(buf, out, sizeof out);
		break;
	}
	free(buf);
	return 0;
}
