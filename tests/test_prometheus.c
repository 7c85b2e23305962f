/* test_prometheus.c - the exposition writer on every recording in tests/data: format rules
 * (HELP/TYPE before samples, families contiguous, no duplicate series, escaping, OpenMetrics'
 * counters and # EOF), unknown left out, and the values equal to the samples'. */
#include "testutil.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/json.h"
#include "export/prometheus.h"

static void number_is(double v, const char *want)
{
	struct strbuf b;

	sb_init(&b);
	prom_number(&b, v);
	assert_string_equal(b.buf, want);
	sb_free(&b);
}

static void test_numbers_and_escaping(void **state)
{
	struct strbuf b;

	(void)state;
	number_is(0.1, "0.1");
	number_is(1795470001, "1795470001");
	number_is(1e-9, "1e-09");
	number_is(2.0 / 3, "0.6666666666666666");
	number_is(NAN, "NaN");
	number_is(INFINITY, "+Inf");
	number_is(-INFINITY, "-Inf");
	sb_init(&b);
	prom_label_value(&b, "a\"b\\c\nd");
	assert_string_equal(b.buf, "a\\\"b\\\\c\\nd");
	sb_free(&b);
	/* label_values_drop_control_bytes: a terminal's escapes (ESC, CSI U+009B), a carriage
	 * return, a bell, a tab and a byte that is no UTF-8 from a replayed recording or a process
	 * name: spaces and U+FFFD, so neither a terminal nor Prometheus' parser sees them */
	sb_init(&b);
	prom_label_value(&b, "M4\x1b[31m\rMax\t\x07Pro\xc2\x9b"
	                     "2J\xff\x7f \xc3\xa9t\xc3\xa9");
	assert_string_equal(b.buf, "M4 [31m Max  Pro 2J\xEF\xBF\xBD  \xc3\xa9t\xc3\xa9");
	sb_free(&b);
}

/* Checks the rules of the format over a whole exposition; returns the number of samples. */
static unsigned check_format(const char *text, enum prom_format fmt)
{
	char seen[256][96];
	unsigned nseen = 0, samples = 0;
	char cur[96] = "";
	bool typed = false;
	char **series = NULL;
	size_t nseries = 0;
	const char *p = text;

	assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	if (fmt == PROM_OPENMETRICS) {
		size_t n = strlen(text);
		assert_true(n >= 6 && !strcmp(text + n - 6, "# EOF\n"));
	}
	while (*p) {
		const char *nl = strchr(p, '\n');
		char line[2048], name[96];
		size_t len = (size_t)(nl - p);

		assert_non_null(nl);
		assert_true(len < sizeof line);
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl + 1;
		if (!strcmp(line, "# EOF")) {
			assert_int_equal(fmt, PROM_OPENMETRICS);
			assert_true(*p == '\0');
			break;
		}
		if (!strncmp(line, "# HELP ", 7)) {
			sscanf(line + 7, "%95s", name);
			for (unsigned i = 0; i < nseen; i++)
				if (!strcmp(seen[i], name))
					fail_msg("family %s is not contiguous", name);
			assert_true(nseen < 256);
			snprintf(seen[nseen++], sizeof seen[0], "%s", name);
			snprintf(cur, sizeof cur, "%s", name);
			typed = false;
			continue;
		}
		if (!strncmp(line, "# TYPE ", 7)) {
			char type[32];
			assert_int_equal(sscanf(line + 7, "%95s %31s", name, type), 2);
			assert_string_equal(name, cur);
			assert_true(!strcmp(type, "gauge") || !strcmp(type, "counter"));
			if (!strcmp(type, "counter") && fmt == PROM_OPENMETRICS)
				assert_null(strstr(name, "_total")); /* the family without it */
			if (!strcmp(type, "counter") && fmt == PROM_TEXT)
				assert_non_null(strstr(name, "_total"));
			typed = true;
			continue;
		}
		assert_true(line[0] != '#');
		/* a sample of the current family, after its TYPE */
		assert_true(typed);
		len = strcspn(line, "{ ");
		assert_true(len < sizeof name);
		memcpy(name, line, len);
		name[len] = '\0';
		if (strcmp(name, cur) != 0) {
			char want[128];
			snprintf(want, sizeof want, "%s_total", cur);
			assert_string_equal(name, want); /* OpenMetrics counter samples */
		}
		for (const char *c = name; *c; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			            *c == '_');
		/* unknown values are left out, never written */
		assert_null(strstr(strrchr(line, ' '), "NaN"));
		/* no duplicate series */
		{
			char *key = strndup(line, (size_t)(strrchr(line, ' ') - line));
			for (size_t i = 0; i < nseries; i++)
				if (!strcmp(series[i], key))
					fail_msg("duplicate series %s", key);
			series = realloc(series, (nseries + 1) * sizeof *series);
			series[nseries++] = key;
		}
		samples++;
	}
	for (size_t i = 0; i < nseries; i++)
		free(series[i]);
	free(series);
	return samples;
}

/* The value of one series, NAN when it is absent. */
static double value_of(const char *text, const char *series)
{
	char needle[256];
	const char *at;

	snprintf(needle, sizeof needle, "\n%s ", series);
	at = strstr(text, needle);
	return at ? strtod(at + strlen(needle), NULL) : NAN;
}

static void same(double got, double want, const char *what)
{
	if (isnan(want)) {
		if (!isnan(got))
			fail_msg("%s: exported (%g) though unknown", what, got);
		return;
	}
	if (got != want)
		fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

static void check_values(const char *text, const struct sample *s)
{
	char series[256];

	for (unsigned r = 0; r < RAIL_COUNT; r++) {
		snprintf(series, sizeof series, "agtop_power_watts{rail=\"%s\"}",
		         rail_name((enum rail)r));
		same(value_of(text, series), s->power[r].watts, series);
		snprintf(series, sizeof series, "agtop_energy_joules_total{rail=\"%s\"}",
		         rail_name((enum rail)r));
		same(value_of(text, series), s->power[r].joules, series);
	}
	for (unsigned i = 0; i < s->nclusters; i++) {
		snprintf(series, sizeof series, "agtop_cluster_frequency_hertz{cluster=\"%s\"}",
		         s->clusters[i].name);
		same(value_of(text, series), s->clusters[i].freq_hz, series);
	}
	for (size_t i = 0; i < s->ncores; i++) {
		snprintf(series, sizeof series,
		         "agtop_cpu_frequency_hertz{cpu=\"%d\",cluster=\"%s\"}", s->cores[i].cpu,
		         s->clusters[s->cores[i].cluster].name);
		same(value_of(text, series), s->cores[i].freq_hz, series);
	}
	for (unsigned g = 0; g < s->ngpus; g++) {
		snprintf(series, sizeof series, "agtop_gpu_utilization_ratio{gpu=\"%u\"}", g);
		same(value_of(text, series), s->gpus[g].util, series);
	}
	same(value_of(text, "agtop_memory_used_bytes"), s->memory.used_bytes, "memory used");
	same(value_of(text, "agtop_swap_used_bytes"), s->memory.swap_used_bytes, "swap used");
	if (s->bandwidth.quality != BW_ABSENT) {
		snprintf(
		    series, sizeof series,
		    "agtop_memory_bandwidth_bytes_per_second{direction=\"read\",quality=\"%s\"}",
		    bw_quality_name(s->bandwidth.quality));
		same(value_of(text, series), s->bandwidth.read_bps, series);
	} else {
		assert_null(strstr(text, "agtop_memory_bandwidth_bytes_per_second{"));
	}
	if (s->thermal == THERMAL_UNKNOWN)
		assert_null(strstr(text, "agtop_thermal_pressure{"));
	else
		same(value_of(text, "agtop_thermal_pressure{state=\"nominal\"}"),
		     s->thermal == THERMAL_NOMINAL ? 1 : 0, "thermal");
}

static void test_recordings(void **state)
{
	static const char *const files[] = { "apple_m4max.jsonl", "apple_m1ultra.jsonl",
		                             "apple_m5.jsonl",    "apple_m5max.jsonl",
		                             "linux_2gpu.jsonl",  "unknown.jsonl",
		                             "alerts.jsonl" };
	(void)state;
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char path[512], *text, *line, *save = NULL;
		size_t len;
		unsigned n = 0;

		snprintf(path, sizeof path, "%s/tests/data/%s", AGTOP_SOURCE_DIR, files[f]);
		text = read_file(path, &len);
		assert_non_null(text);
		for (line = strtok_r(text, "\n", &save); line && n < 5;
		     line = strtok_r(NULL, "\n", &save), n++) {
			struct sample s;
			struct error err;
			sample_init(&s);
			if (json_read_sample(line, strlen(line), &s, &err))
				fail_msg("%s: %s", files[f], err.msg);
			for (int fmt = PROM_TEXT; fmt <= PROM_OPENMETRICS; fmt++) {
				struct strbuf b;
				struct prom_opts o = { (enum prom_format)fmt, 5 };
				sb_init(&b);
				prom_write(&b, &s, &o);
				assert_false(b.oom);
				if (check_format(b.buf, (enum prom_format)fmt) < 3)
					fail_msg("%s: too few samples", files[f]);
				check_values(b.buf, &s);
				/* processes only when asked for, top N */
				if (s.nprocs)
					assert_non_null(
					    strstr(b.buf, "agtop_process_cpu_ratio{pid="));
				sb_free(&b);
			}
			{
				struct strbuf b;
				struct prom_opts o = { PROM_TEXT, 0 };
				sb_init(&b);
				prom_write(&b, &s, &o);
				assert_null(strstr(b.buf, "agtop_process_"));
				sb_free(&b);
			}
			sample_free(&s);
		}
		assert_true(n > 0);
		free(text);
	}
}

/* The value of family{pid="PID",...} in text, and how many series of the family there are. */
static int series(const char *text, const char *family, int pid, double *v)
{
	char head[128];
	const char *p = text;
	int n = 0;

	snprintf(head, sizeof head, "\n%s{pid=\"", family);
	*v = NAN;
	while ((p = strstr(p, head)) != NULL) {
		int got;
		const char *val;

		p += strlen(head);
		n++;
		if (sscanf(p, "%d", &got) == 1 && got == pid && (val = strchr(p, '}')) != NULL)
			*v = strtod(val + 1, NULL);
	}
	return n;
}

static int by_cpu(const struct sample *s, size_t a, size_t b)
{
	return s->procs[a].cpu > s->procs[b].cpu;
}

static int by_gpu(const struct sample *s, size_t a, size_t b)
{
	double x = isnan(s->procs[a].gpu_util) ? -1 : s->procs[a].gpu_util;
	double y = isnan(s->procs[b].gpu_util) ? -1 : s->procs[b].gpu_util;
	return x > y;
}

/* the n first of the sample's processes in an order (a selection sort: a few hundred rows) */
static void top(const struct sample *s, int (*before)(const struct sample *, size_t, size_t),
                size_t *idx, size_t n)
{
	size_t all[512];

	assert_true(s->nprocs <= 512);
	for (size_t i = 0; i < s->nprocs; i++)
		all[i] = i;
	for (size_t i = 0; i < n && i < s->nprocs; i++) {
		size_t best = i;
		for (size_t j = i + 1; j < s->nprocs; j++)
			if (before(s, all[j], all[best]))
				best = j;
		idx[i] = all[best];
		all[best] = all[i];
		all[i] = idx[i];
	}
}

/* --prometheus-processes 3 on an M4 Max sample: every per-process family holds the three
 * busiest processes on the CPU (the GPU families the three busiest on the GPU), never more,
 * each value the sample's own, and a value the OS withheld (another user's energy) has no
 * series rather than a 0. */
static void process_series_are_the_top_n_with_their_own_values(void **state)
{
	static const struct {
		const char *family;
		size_t off;
		bool gpu;
	} fams[] = {
		{ "agtop_process_cpu_ratio", offsetof(struct sample_proc, cpu), false },
		{ "agtop_process_resident_bytes", offsetof(struct sample_proc, rss_bytes), false },
		{ "agtop_process_power_watts", offsetof(struct sample_proc, energy_w), false },
		{ "agtop_process_energy_joules", offsetof(struct sample_proc, energy_j), false },
		{ "agtop_process_neural_memory_bytes", offsetof(struct sample_proc, ane_mem_bytes),
		  false },
		{ "agtop_process_gpu_ratio", offsetof(struct sample_proc, gpu_util), true },
		{ "agtop_process_gpu_memory_bytes", offsetof(struct sample_proc, gpu_mem_bytes),
		  true },
	};
	char path[600], *text, *line, *save = NULL;
	struct sample s;
	struct error err;
	struct strbuf b;
	struct prom_opts o = { PROM_TEXT, 3 };
	size_t cpu_top[3], gpu_top[3];
	unsigned withheld = 0, known = 0;

	(void)state;
	snprintf(path, sizeof path, "%s/tests/data/apple_m4max.jsonl", AGTOP_SOURCE_DIR);
	text = read_file(path, NULL);
	assert_non_null(text);
	line = strtok_r(text, "\n", &save);
	line = strtok_r(NULL, "\n", &save); /* the second sample: rates over an interval */
	assert_non_null(line);
	sample_init(&s);
	if (json_read_sample(line, strlen(line), &s, &err))
		fail_msg("%s", err.msg);
	assert_true(s.nprocs > 6);
	top(&s, by_cpu, cpu_top, 3);
	top(&s, by_gpu, gpu_top, 3);
	sb_init(&b);
	prom_write(&b, &s, &o);
	for (size_t f = 0; f < sizeof fams / sizeof fams[0]; f++) {
		const size_t *want = fams[f].gpu ? gpu_top : cpu_top;
		unsigned present = 0;
		double v;

		for (size_t k = 0; k < 3; k++) {
			const struct sample_proc *p = &s.procs[want[k]];
			double expect = *(const double *)((const char *)p + fams[f].off);

			series(b.buf, fams[f].family, p->pid, &v);
			same(v, expect, fams[f].family);
			present += !isnan(expect);
			withheld += isnan(expect);
			known += !isnan(expect);
		}
		/* no series beyond the top three, and none for the unknown */
		assert_int_equal(series(b.buf, fams[f].family, -1, &v), present);
	}
	assert_true(known >= 12);  /* the values are there to compare */
	assert_true(withheld > 0); /* and root's energy is withheld in this recording */
	sb_free(&b);
	sample_free(&s);
	free(text);
}

/* A rail whose counter stopped while its unit was busy: agtop_stale 1 beside its last value;
 * current rails 0; no series for a rail with neither. */
static void test_stale_rails(void **state)
{
	struct sample s;
	struct strbuf b;
	struct prom_opts o = { PROM_TEXT, 0 };

	(void)state;
	sample_init(&s);
	s.power[RAIL_CPU] = (struct sample_energy){ 3.5, 40, true };
	s.power[RAIL_GPU] = (struct sample_energy){ 1.25, 10, false };
	s.power[RAIL_DRAM] = (struct sample_energy){ NAN, 7, true }; /* dropped, still stale */
	sb_init(&b);
	prom_write(&b, &s, &o);
	assert_non_null(strstr(b.buf, "# TYPE agtop_stale gauge\n"));
	assert_non_null(strstr(b.buf, "agtop_stale{rail=\"cpu\"} 1\n"));
	assert_non_null(strstr(b.buf, "agtop_stale{rail=\"gpu\"} 0\n"));
	assert_non_null(strstr(b.buf, "agtop_stale{rail=\"dram\"} 1\n"));
	assert_null(strstr(b.buf, "agtop_stale{rail=\"ane\"}"));
	assert_non_null(strstr(b.buf, "agtop_power_watts{rail=\"cpu\"} 3.5\n"));
	assert_null(strstr(b.buf, "agtop_power_watts{rail=\"dram\"}"));
	sb_free(&b);
	sample_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_and_escaping),
		cmocka_unit_test(test_recordings),
		cmocka_unit_test(test_stale_rails),
		cmocka_unit_test(process_series_are_the_top_n_with_their_own_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
