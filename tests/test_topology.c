/* test_topology.c - clusters from what sysfs says about each CPU */
#include <math.h>
#include <string.h>

#include "source/linux/topology.h"
#include "testutil.h"

static struct topo_cpu cpu(int n)
{
	return (struct topo_cpu){ .cpu = n,
		                  .capacity = -1,
		                  .policy = n,
		                  .policy_size = 1,
		                  .type = CORE_TYPE_UNKNOWN,
		                  .package = 0,
		                  .max_hz = NAN };
}

/* the CPU numbers of cluster c, in layout order */
static void cluster_cpus(const struct topology *t, const struct topo_cpu *in, size_t c, int *out,
                         size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->cluster_of[t->order[i]] == c)
			out[(*n)++] = in[t->order[i]].cpu;
}

static void one_kind_of_core_is_one_cpu_cluster(void **state)
{
	struct topo_cpu c[8];
	struct topology t;

	(void)state;
	for (int i = 0; i < 8; i++) {
		c[i] = cpu(i);
		c[i].capacity = 1024; /* x86 kernels report equal capacities too */
		c[i].max_hz = 3.7e9;
	}
	assert_int_equal(topology_build(c, 8, &t), 0);
	assert_int_equal(t.nclusters, 1);
	assert_string_equal(t.cluster[0].name, "CPU");
	assert_int_equal(t.cluster[0].kind, CLUSTER_GENERIC);
	assert_int_equal(t.cluster[0].ncpus, 8);
	assert_true(t.cluster[0].max_hz == 3.7e9);
	topology_free(&t);
}

static void intel_hybrid_core_types(void **state)
{
	/* i7-1260P: P-cores with SMT are cpu0-7, E-cores cpu8-15 */
	struct topo_cpu c[16];
	struct topology t;
	int cpus[16];
	size_t n;

	(void)state;
	for (int i = 0; i < 16; i++) {
		c[i] = cpu(i);
		c[i].type = i < 8 ? CORE_TYPE_CORE : CORE_TYPE_ATOM;
	}
	assert_int_equal(topology_build(c, 16, &t), 0);
	assert_int_equal(t.nclusters, 2);
	/* efficiency first, as the original draws E before P */
	assert_string_equal(t.cluster[0].name, "E-CPU");
	assert_int_equal(t.cluster[0].kind, CLUSTER_EFFICIENCY);
	assert_string_equal(t.cluster[1].name, "P-CPU");
	assert_int_equal(t.cluster[1].kind, CLUSTER_PERFORMANCE);
	cluster_cpus(&t, c, 0, cpus, &n);
	assert_int_equal(n, 8);
	assert_int_equal(cpus[0], 8);
	assert_int_equal(cpus[7], 15);
	cluster_cpus(&t, c, 1, cpus, &n);
	assert_int_equal(cpus[0], 0);
	topology_free(&t);
}

static void asahi_m1_pro_capacities_and_policies(void **state)
{
	/* M1 Pro under Asahi Linux: E cpu0-1 (policy 0), P cpu2-5 (policy 2), cpu6-9 (policy 6) */
	struct topo_cpu c[10];
	struct topology t;
	int cpus[10];
	size_t n;

	(void)state;
	for (int i = 0; i < 10; i++) {
		c[i] = cpu(i);
		c[i].capacity = i < 2 ? 459 : 1024;
		c[i].policy = i < 2 ? 0 : i < 6 ? 2 : 6;
		c[i].policy_size = i < 2 ? 2 : 4;
		c[i].max_hz = i < 2 ? 2064e6 : 3228e6;
	}
	assert_int_equal(topology_build(c, 10, &t), 0);
	assert_int_equal(t.nclusters, 3);
	assert_string_equal(t.cluster[0].name, "E-CPU");
	assert_string_equal(t.cluster[1].name, "P0-CPU");
	assert_string_equal(t.cluster[2].name, "P1-CPU");
	assert_true(t.cluster[0].max_hz == 2064e6);
	cluster_cpus(&t, c, 2, cpus, &n);
	assert_int_equal(n, 4);
	assert_int_equal(cpus[0], 6);
	assert_int_equal(cpus[3], 9);
	topology_free(&t);
}

static void three_capacity_tiers(void **state)
{
	/* phone-style 4 little + 3 big + 1 prime */
	struct topo_cpu c[8];
	struct topology t;

	(void)state;
	for (int i = 0; i < 8; i++) {
		c[i] = cpu(i);
		c[i].capacity = i < 4 ? 400 : i < 7 ? 800 : 1024;
	}
	assert_int_equal(topology_build(c, 8, &t), 0);
	assert_int_equal(t.nclusters, 3);
	assert_string_equal(t.cluster[0].name, "E-CPU");
	assert_string_equal(t.cluster[1].name, "P-CPU");
	assert_string_equal(t.cluster[2].name, "S-CPU");
	assert_int_equal(t.cluster[2].kind, CLUSTER_SUPER);
	assert_int_equal(t.cluster[2].ncpus, 1);
	topology_free(&t);
}

static void shared_policies_without_capacities(void **state)
{
	/* big.LITTLE without cpu_capacity: the policies' maximum clocks tell the tiers */
	struct topo_cpu c[8];
	struct topology t;

	(void)state;
	for (int i = 0; i < 8; i++) {
		c[i] = cpu(i);
		c[i].policy = i < 4 ? 0 : 4;
		c[i].policy_size = 4;
		c[i].max_hz = i < 4 ? 1.8e9 : 2.4e9;
	}
	assert_int_equal(topology_build(c, 8, &t), 0);
	assert_int_equal(t.nclusters, 2);
	assert_string_equal(t.cluster[0].name, "E-CPU");
	assert_string_equal(t.cluster[1].name, "P-CPU");
	topology_free(&t);
	/* the same clocks: two generic clusters */
	for (int i = 0; i < 8; i++)
		c[i].max_hz = 2e9;
	assert_int_equal(topology_build(c, 8, &t), 0);
	assert_int_equal(t.nclusters, 2);
	assert_string_equal(t.cluster[0].name, "CL0-CPU");
	assert_string_equal(t.cluster[1].name, "CL1-CPU");
	topology_free(&t);
}

static void packages(void **state)
{
	struct topo_cpu c[4];
	struct topology t;

	(void)state;
	for (int i = 0; i < 4; i++) {
		c[i] = cpu(i);
		c[i].package = i % 2; /* interleaved numbering across sockets */
	}
	assert_int_equal(topology_build(c, 4, &t), 0);
	assert_int_equal(t.nclusters, 2);
	assert_string_equal(t.cluster[0].name, "PKG0-CPU");
	assert_int_equal(t.cluster[0].die, 0);
	assert_string_equal(t.cluster[1].name, "PKG1-CPU");
	assert_int_equal(t.cluster[1].die, 1);
	topology_free(&t);
	/* package known for some CPUs only (an edited capture): no split */
	c[3].package = -1;
	assert_int_equal(topology_build(c, 4, &t), 0);
	assert_int_equal(t.nclusters, 1);
	assert_string_equal(t.cluster[0].name, "CPU");
	topology_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_kind_of_core_is_one_cpu_cluster),
		cmocka_unit_test(intel_hybrid_core_types),
		cmocka_unit_test(asahi_m1_pro_capacities_and_policies),
		cmocka_unit_test(three_capacity_tiers),
		cmocka_unit_test(shared_policies_without_capacities),
		cmocka_unit_test(packages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
