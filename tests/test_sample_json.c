/* test_sample_json.c - the data model and its JSON form: written and read back identical */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/json.h"
#include "procsel.h"
#include "sample.h"
#include "testutil.h"

/* An Apple M4 Max-like sample with every part filled, plus awkward values. */
static void build(struct sample *s)
{
	static const int ecpus[] = { 0, 1, 2, 3 };
	struct sample_core *c;
	struct sample_proc *p;

	sample_init(s);
	s->seq = 42;
	s->time = 1795470000.123456789;
	s->interval_s = 1.0093;
	strcpy(s->source, "ioreport");
	strcpy(s->host.hostname, "studio");
	strcpy(s->host.os, "macOS 15.3");
	strcpy(s->host.chip, "Apple M4 Max");
	strcpy(s->host.arch, "arm64");
	s->host.cpus = 16;
	s->host.gpu_cores = 40;
	s->cpu_util = 0.4321;

	s->nclusters = 2;
	strcpy(s->clusters[0].name, "E-CPU");
	s->clusters[0].kind = CLUSTER_EFFICIENCY;
	s->clusters[0].first_core = 0;
	s->clusters[0].ncores = 4;
	s->clusters[0].util = 0.1;
	s->clusters[0].active = 0.2;
	s->clusters[0].freq_hz = 1180e6;
	s->clusters[0].freq_max_hz = 2592e6;
	s->clusters[0].power_w = 0.5;
	s->clusters[0].power_stale = true;
	for (int i = 0; i < 4; i++) {
		c = sample_add_core(s);
		c->cpu = ecpus[i];
		c->cluster = 0;
		c->util = 0.1 * i;
		c->active = i == 3 ? NAN : 0.25;
		c->freq_hz = 1e9 + i;
		c->seconds[CPU_USER] = 100.5 + i;
		c->seconds[CPU_SYSTEM] = 20.25;
		c->seconds[CPU_IDLE] = 1e6 / 3;
	}
	strcpy(s->clusters[1].name, "P0-CPU");
	s->clusters[1].kind = CLUSTER_PERFORMANCE;
	s->clusters[1].die = 1;
	s->clusters[1].first_core = 4;
	s->clusters[1].ncores = 2;
	for (int i = 0; i < 2; i++) {
		c = sample_add_core(s);
		c->cpu = 4 + i;
		c->cluster = 1;
		c->util = 1.0;
		c->freq_hz = 4.512e9;
	}

	s->ngpus = 2;
	strcpy(s->gpus[0].name, "Apple M4 Max GPU");
	strcpy(s->gpus[0].vendor, "apple");
	s->gpus[0].cores = 40;
	s->gpus[0].util = 0.75;
	s->gpus[0].freq_hz = 1578e6;
	s->gpus[0].power_w = 45.25;
	strcpy(s->gpus[1].name, "NVIDIA \"Quoted\" \\ GPU");
	strcpy(s->gpus[1].vendor, "nvidia");
	s->gpus[1].mem_used_bytes = 1032.0 * 1048576;
	s->gpus[1].mem_total_bytes = 15360.0 * 1048576;
	s->gpus[1].temp_c = 40;
	s->gpus[1].energy_j = 123456789.125;

	s->npu.present = true;
	strcpy(s->npu.name, "ANE");

	s->power[RAIL_PACKAGE] = (struct sample_energy){ 61.5, 1234.5 };
	s->power[RAIL_CPU] = (struct sample_energy){ 15.25, 600, true }; /* counter stopped */
	s->power[RAIL_GPU] = (struct sample_energy){ 45.25, 630.5 };
	s->power[RAIL_ANE] = (struct sample_energy){ 0, 4 };
	s->power[RAIL_DRAM].watts = 2.125;
	s->ndies = 2;
	s->dies[0].rail[RAIL_CPU] = (struct sample_energy){ 7, 300 };
	s->dies[1].rail[RAIL_CPU] = (struct sample_energy){ 8.25, 300 };

	s->memory = (struct sample_memory){ 128.0 * (1ull << 30), 39.3 * (1ull << 30),
		                            88.7 * (1ull << 30), 0, 0 };
	s->bandwidth.quality = BW_ESTIMATED;
	s->bandwidth.read_bps = 12.5e9;
	s->bandwidth.write_bps = 3.25e9;
	s->bandwidth.total_bps = 15.75e9;
	s->bandwidth.nagents = 1;
	strcpy(s->bandwidth.agent[0].name, "GFX");
	s->bandwidth.agent[0].read_bps = 10e9;
	s->thermal = THERMAL_SERIOUS;

	s->ntemps = 2;
	s->temps[0] = (struct sample_temp){ "smc", "Tp01", "P-core 1", TEMP_CPU, 58.5 };
	s->temps[1] = (struct sample_temp){ "smc", "Tg0f", "", TEMP_GPU, NAN };

	p = sample_add_proc(s);
	p->pid = 101;
	p->ppid = 1;
	strcpy(p->name, "python3");
	p->cpu = 3.5;
	p->rss_bytes = 1.5e9;
	p->threads = 24;
	p->uid = 501;
	strcpy(p->user, "ada");
	p->state = 'R';
	p->start_time = 1795469000.5;
	p->cmdline =
	    sample_intern(s, "python3 train.py --lr=1e-4 \"x\"\ttab \xc3\xa9\xe6\x97\xa5", 40);
	p = sample_add_proc(s);
	p->pid = 7;
	strcpy(p->name, "kworker/0:1");
	p->cpu = 0.0;
	s->nprocs_total = 412;

	sample_note(s, "power.dram", "no DRAM channel on this chip");
	sample_note(s, "temps", "SMC: \"quoted\" reason");
}

static void round_trip_is_identical(void **state)
{
	struct sample a, b;
	struct strbuf j1, j2;
	struct error err;

	(void)state;
	build(&a);
	sample_init(&b);
	sb_init(&j1);
	sb_init(&j2);
	json_write_sample(&j1, &a, NULL);
	assert_false(j1.oom);
	assert_null(strchr(j1.buf, '\n')); /* one line */
	if (json_read_sample(j1.buf, j1.len, &b, &err) != 0)
		fail_msg("%s", err.msg);
	/* processes come back in the exported (CPU) order; a's are already in it */
	assert_true(sample_equal(&a, &b));
	json_write_sample(&j2, &b, NULL);
	assert_string_equal(j1.buf, j2.buf);

	/* spot checks of the text itself: base units, null for unknown */
	assert_non_null(strstr(j1.buf, "\"schema\":1,"));
	assert_non_null(strstr(j1.buf, "\"time\":1795470000.1234567"));
	assert_non_null(strstr(j1.buf, "\"freq_hz\":1180000000,"));
	assert_non_null(strstr(j1.buf, "\"dram\":{\"watts\":2.125,\"joules\":null}"));
	assert_non_null(strstr(j1.buf, "\"cpu\":{\"watts\":15.25,\"joules\":600,\"stale\":true}"));
	assert_non_null(strstr(j1.buf, "\"power_w\":0.5,\"power_stale\":true,"));
	assert_non_null(strstr(j1.buf, "\"thermal_pressure\":\"serious\""));
	assert_non_null(strstr(j1.buf, "\"quality\":\"estimated\""));
	assert_non_null(strstr(j1.buf, "\"name\":\"NVIDIA \\\"Quoted\\\" \\\\ GPU\""));
	assert_non_null(strstr(j1.buf, "\"cmdline\":\"python3 train.py --lr=1e-4 \\\"x\\\"\\ttab "
	                               "\xc3\xa9\xe6\x97\xa5\""));
	assert_non_null(strstr(j1.buf, "\"celsius\":null"));
	assert_non_null(strstr(j1.buf, "\"active\":null"));
	assert_non_null(strstr(j1.buf, "\"ppid\":null"));
	assert_non_null(strstr(j1.buf, "\"total\":412"));
	assert_non_null(strstr(j1.buf, "\"uid\":501,\"user\":\"ada\",\"state\":\"R\","
	                               "\"start_time\":1795469000.5}"));
	assert_non_null(strstr(j1.buf, "\"uid\":null,\"user\":null,\"state\":null,"
	                               "\"start_time\":null}"));

	sb_free(&j1);
	sb_free(&j2);
	sample_free(&a);
	sample_free(&b);
}

static void copies_are_deep_and_equal(void **state)
{
	struct sample a, b;

	(void)state;
	build(&a);
	sample_init(&b);
	assert_int_equal(sample_copy(&b, &a), 0);
	assert_true(sample_equal(&a, &b));
	assert_ptr_not_equal(a.cores, b.cores);
	assert_ptr_not_equal(a.strpool, b.strpool);
	b.cores[1].util = 0.9;
	assert_false(sample_equal(&a, &b));
	sample_free(&a);
	sample_free(&b);
}

static void unknown_is_nan_not_zero(void **state)
{
	struct sample s;
	struct sample_core *c;
	struct sample_proc *p;

	(void)state;
	sample_init(&s);
	assert_true(isnan(s.time) && isnan(s.cpu_util) && isnan(s.memory.total_bytes));
	assert_true(isnan(s.power[RAIL_PACKAGE].watts) && isnan(s.power[RAIL_PACKAGE].joules));
	assert_true(isnan(s.gpus[0].util) && isnan(s.clusters[0].freq_hz));
	assert_int_equal(s.host.cpus, -1);
	assert_int_equal(s.host.gpu_cores, -1);
	assert_int_equal(s.thermal, THERMAL_UNKNOWN);
	assert_int_equal(s.bandwidth.quality, BW_ABSENT);
	c = sample_add_core(&s);
	assert_true(isnan(c->util) && isnan(c->freq_hz) && isnan(c->seconds[CPU_IOWAIT]));
	p = sample_add_proc(&s);
	assert_true(isnan(p->cpu) && isnan(p->rss_bytes) && isnan(p->start_time));
	assert_int_equal(p->threads, -1);
	assert_int_equal(p->uid, -1);
	assert_int_equal(p->state, 0);
	/* notes: lookups fall back to the parent key */
	sample_note(&s, "power", "RAPL energy counters need root");
	assert_string_equal(sample_note_get(&s, "power.package"), "RAPL energy counters need root");
	sample_note(&s, "power.dram", "no DRAM zone");
	assert_string_equal(sample_note_get(&s, "power.dram"), "no DRAM zone");
	assert_null(sample_note_get(&s, "gpu"));
	sample_note(&s, "power", "replaced");
	assert_string_equal(sample_note_get(&s, "power.cpu"), "replaced");
	sample_free(&s);
}

static void cluster_rollup(void **state)
{
	struct sample s;

	(void)state;
	sample_init(&s);
	s.nclusters = 1;
	s.clusters[0].ncores = 3;
	for (int i = 0; i < 3; i++) {
		struct sample_core *c = sample_add_core(&s);
		c->util = i == 1 ? NAN : 0.5 * i; /* unknown cores do not count */
		c->freq_hz = 1e9 * (i + 1);
	}
	sample_cluster_rollup(&s);
	assert_true(s.clusters[0].util == 0.5);
	assert_true(s.clusters[0].freq_hz == 3e9);
	assert_true(isnan(s.clusters[0].active));
	sample_free(&s);
}

static void reader_errors_say_what_and_where(void **state)
{
	struct sample s;
	struct error err;
	static const char *const bad[][2] = {
		{ "{\"schema\":1,\"time\":", "invalid JSON at column" },
		{ "[1,2]", "expected a JSON object" },
		{ "{\"time\":5}", "not an agtop sample" },
		{ "{\"schema\":99}", "schema 99 is not one this agtop reads" },
		{ "{\"schema\":1,\"time\":\"noon\"}", "field time: expected a number or null" },
		{ "{\"schema\":1,\"host\":{\"cpus\":1.5}}",
		  "field host.cpus: expected an integer" },
		{ "{\"schema\":1,\"thermal_pressure\":\"melting\"}",
		  "field thermal_pressure: expected a known name" },
		{ "{\"schema\":1,\"memory\":[]}", "field memory: expected an object" },
		{ "{\"schema\":1,\"schema\":1}", "invalid JSON" },
		{ "{\"schema\":1,\"processes\":{\"list\":[{\"pid\":1,\"state\":\"RS\"}]}}",
		  "field processes.list[].state: expected one letter" },
		{ "{\"schema\":1,\"processes\":{\"list\":[{\"pid\":1,\"uid\":\"root\"}]}}",
		  "field processes.list[].uid: expected an integer" },
	};

	(void)state;
	sample_init(&s);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(json_read_sample(bad[i][0], strlen(bad[i][0]), &s, &err), -1);
		if (!strstr(err.msg, bad[i][1]))
			fail_msg("%s: got \"%s\"", bad[i][0], err.msg);
	}
	/* a minimal valid line: everything else unknown */
	assert_int_equal(json_read_sample("{\"schema\":1}", 12, &s, &err), 0);
	assert_true(isnan(s.time) && isnan(s.memory.total_bytes));
	sample_free(&s);
}

static void json_processes_are_the_top_by_cpu_matching_the_filter(void **state)
{
	struct sample s, back;
	struct strbuf j;
	struct error err;
	struct json_write_opts o = { NULL, 3 };
	struct procsel_re re;

	(void)state;
	sample_init(&s);
	sample_init(&back);
	for (int i = 0; i < 10; i++) {
		struct sample_proc *p = sample_add_proc(&s);
		char cmd[32];
		p->pid = 100 + i;
		snprintf(p->name, sizeof p->name, "p%d", i);
		snprintf(cmd, sizeof cmd, "%s job%d", i % 2 ? "python" : "bash", i);
		p->cmdline = sample_intern(&s, cmd, strlen(cmd));
		p->cpu = i == 4 ? NAN : 0.1 * i;
		p->rss_bytes = 1000.0 * i;
	}
	sb_init(&j);
	json_write_sample(&j, &s, &o);
	assert_int_equal(json_read_sample(j.buf, j.len, &back, &err), 0);
	assert_int_equal(back.nprocs, 3);
	assert_int_equal(back.procs[0].pid, 109);
	assert_int_equal(back.procs[1].pid, 108);
	assert_int_equal(back.procs[2].pid, 107);

	assert_int_equal(procsel_compile(&re, "PYTHON", &err), 0);
	o.filter = &re;
	o.max_procs = 32;
	sb_clear(&j);
	json_write_sample(&j, &s, &o);
	assert_int_equal(json_read_sample(j.buf, j.len, &back, &err), 0);
	assert_int_equal(back.nprocs, 5);
	for (size_t i = 0; i < back.nprocs; i++)
		assert_true(back.procs[i].pid % 2 == 1);
	procsel_free(&re);

	/* sort orders */
	{
		size_t idx[10];
		assert_int_equal(procsel_top(&s, NULL, PROC_SORT_MEMORY, 2, idx), 2);
		assert_int_equal(s.procs[idx[0]].pid, 109);
		assert_int_equal(procsel_top(&s, NULL, PROC_SORT_PID, 10, idx), 10);
		assert_int_equal(s.procs[idx[0]].pid, 100);
		/* an unknown CPU value sorts last */
		assert_int_equal(procsel_top(&s, NULL, PROC_SORT_CPU, 10, idx), 10);
		assert_int_equal(s.procs[idx[9]].pid, 104);
	}
	sb_free(&j);
	sample_free(&s);
	sample_free(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_is_identical),
		cmocka_unit_test(copies_are_deep_and_equal),
		cmocka_unit_test(unknown_is_nan_not_zero),
		cmocka_unit_test(cluster_rollup),
		cmocka_unit_test(reader_errors_say_what_and_where),
		cmocka_unit_test(json_processes_are_the_top_by_cpu_matching_the_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
