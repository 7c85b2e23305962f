/* topology.h - CPU clusters from what sysfs tells about each CPU (pure) */
#ifndef AGTOP_TOPOLOGY_H
#define AGTOP_TOPOLOGY_H

#include <stddef.h>

#include "../../sample.h"

enum core_type { CORE_TYPE_UNKNOWN = 0, CORE_TYPE_ATOM, CORE_TYPE_CORE };

/* What sysfs says about one CPU; -1 / 0 / NAN where it says nothing. */
struct topo_cpu {
	int cpu;
	int capacity;        /* cpu_capacity (ARM, 0..1024) */
	int policy;          /* lowest CPU of cpufreq related_cpus */
	int policy_size;     /* how many CPUs share that policy */
	enum core_type type; /* Intel hybrid: /sys/devices/cpu_atom|cpu_core/cpus */
	int package;         /* topology/physical_package_id */
	double max_hz;       /* cpuinfo_max_freq */
	/* what the device tree calls the core (of_node/compatible, topology_dt_kind), and its
	 * cluster there (topology/cluster_id, -1 unknown): Apple chips under Asahi Linux */
	enum cluster_kind dt_kind;
	int cluster_id;
};

struct topo_cluster {
	char name[24];
	enum cluster_kind kind;
	int die;
	double max_hz; /* highest max_hz of its CPUs, NAN if unknown */
	size_t ncpus;
};

struct topology {
	size_t nclusters;
	struct topo_cluster cluster[SAMPLE_MAX_CLUSTERS];
	/* order[i] is the index (into the input array) of the i-th CPU in cluster-major order;
	 * cluster_of[j] is the cluster of input CPU j. Both have n entries. */
	size_t *order;
	unsigned *cluster_of;
	size_t n;
};

/* Groups CPUs into clusters. In order of preference:
 *   1. Intel hybrid core types: E-CPU (atom) and P-CPU (core); or the core names of the device
 *      tree (Apple chips under Asahi Linux), one cluster per cpufreq policy (or device-tree
 *      cluster) of each kind: E-CPU, P0-CPU, P1-CPU as macOS names them;
 *   2. different cpu_capacity values (ARM big.LITTLE): the lowest tier is efficiency, the highest
 *      performance, a third tier above them super; CPUs of one tier that sit in different cpufreq
 *      policies become separate clusters (P0-CPU, P1-CPU) as on Apple chips under Asahi Linux;
 *   3. cpufreq policies shared by several CPUs: one cluster per policy, kinds by maximum
 *      frequency when those differ;
 *   4. several physical packages: one generic cluster per package (PKG0-CPU, PKG1-CPU);
 *   5. otherwise one generic "CPU" cluster.
 * Clusters are ordered efficiency, performance, super, generic, then by lowest CPU number; CPUs
 * inside a cluster by number. Returns 0, or -1 when memory runs out. */
int topology_build(const struct topo_cpu *cpus, size_t n, struct topology *out);
void topology_free(struct topology *t);

/* The kind of core a device-tree compatible names ("apple,icestorm" -> efficiency,
 * "apple,firestorm" -> performance); CLUSTER_GENERIC for any other. */
enum cluster_kind topology_dt_kind(const char *compatible);

/* The chip an Apple SoC compatible names ("apple,t8103" -> "Apple M1"), NULL when unknown. */
const char *topology_apple_chip(const char *compatible);

/* The chip in a device tree's root compatible list (NUL-separated, as
 * /sys/firmware/devicetree/base/compatible holds it): 0 and out set, or -1 when no entry is
 * a known Apple chip. */
int topology_dt_chip(const char *list, size_t len, char *out, size_t size);

#endif
