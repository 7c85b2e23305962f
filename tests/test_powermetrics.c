/* test_powermetrics.c - the powermetrics plist stream parser, its decoder against every value
 * the original agtop's parser produced and against real M1 captures, and the real process code
 * driven with a fake sudo and a fake powermetrics (tests/fake_pm/). */
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apple/expat_lazy.h"
#include "apple/plist.h"
#include "apple/pm_decode.h"
#include "source/source.h"

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *len)
{
	char *t = read_file(path, len);

	if (!t)
		fail_msg("cannot read %s", path);
	return t;
}

/* The real captures start with one provenance line: what follows is powermetrics' output. */
static const char *skip_header(const char *t, size_t *len)
{
	const char *x = strstr(t, "<?xml");

	assert_non_null(x);
	*len -= (size_t)(x - t);
	return x;
}

/* Parses a whole buffer as a stream; returns the documents in order. */
static unsigned parse_all(const char *buf, size_t len, struct plist_node **docs, unsigned cap,
                          unsigned *malformed)
{
	struct plist_stream *s = plist_stream_new(0);
	struct plist_node *d;
	unsigned n = 0;

	assert_non_null(s);
	assert_int_equal(plist_stream_feed(s, buf, len), 0);
	assert_int_equal(plist_stream_finish(s), 0);
	while ((d = plist_stream_next(s)) != NULL) {
		assert_true(n < cap);
		docs[n++] = d;
	}
	if (malformed)
		*malformed = plist_stream_malformed(s);
	plist_stream_free(s);
	return n;
}

/* expat is opened by the first plist stream, not before (src/util/lazylib.h). Runs first in
 * this process. */
static void expat_is_loaded_by_the_first_plist(void **state)
{
	struct plist_stream *s;
	struct plist_node *doc;
	char why[600];
	static const char text[] = "<plist><dict><key>a</key><integer>7</integer></dict></plist>";
	double v;

	(void)state;
	assert_false(expat_lazy_loaded());
	s = plist_stream_new(0);
	assert_non_null(s);
	assert_true(expat_lazy_loaded());
	assert_int_equal(plist_load(why, sizeof why), 0); /* loading twice is loading once */
	assert_int_equal(plist_stream_feed(s, text, sizeof text), 0); /* with its NUL */
	doc = plist_stream_next(s);
	assert_non_null(doc);
	assert_true(plist_num(plist_get(doc, "a"), &v) && v == 7);
	plist_free(doc);
	plist_stream_free(s);
}

static void decode_one(const struct plist_node *doc, struct sample *out)
{
	struct pm_decoder d;

	pm_decoder_init(&d);
	sample_init(out);
	assert_int_equal(pm_decode(&d, doc, 1.0, 12345.0, out), 0);
}

/* The original's integer percentages: snapped to the nearest integer within 1e-6, then cut. */
static int pct(double ratio)
{
	double a;

	if (isnan(ratio))
		return 0;
	a = ratio * 100;
	if (fabs(a - round(a)) < 1e-6)
		a = round(a);
	return (int)a;
}

static double or0(double v)
{
	return isnan(v) ? 0 : v;
}

static const struct sample_cluster *cluster_named(const struct sample *s, const char *name)
{
	for (unsigned i = 0; i < s->nclusters; i++)
		if (!strcmp(s->clusters[i].name, name))
			return &s->clusters[i];
	return NULL;
}

static const struct sample_bw_agent *agent(const struct sample *s, const char *name)
{
	for (unsigned i = 0; i < s->bandwidth.nagents; i++)
		if (!strcmp(s->bandwidth.agent[i].name, name))
			return &s->bandwidth.agent[i];
	return NULL;
}

/* One "E"/"P" aggregate of the original: mean of per-CPU actives (cluster actives when no CPU
 * is listed), and the highest cluster frequency. */
static void kind_aggregate(const struct sample *s, char letter, int *active, int *mhz,
                           json_t *cores)
{
	double sum = 0, csum = 0, fmax = 0;
	unsigned n = 0, cn = 0;

	for (unsigned i = 0; i < s->nclusters; i++) {
		const struct sample_cluster *c = &s->clusters[i];
		if (c->name[0] != letter)
			continue;
		csum += pct(c->active);
		cn++;
		fmax = fmax > or0(c->freq_hz) ? fmax : or0(c->freq_hz);
		for (unsigned k = 0; k < c->ncores; k++) {
			sum += pct(s->cores[c->first_core + k].active);
			n++;
			json_array_append_new(cores, json_integer(s->cores[c->first_core + k].cpu));
		}
	}
	*active = n ? (int)(sum / n) : cn ? (int)(csum / cn) : 0;
	*mhz = (int)(fmax / 1e6);
}

static const struct sample_core *core_of(const struct sample *s, int cpu)
{
	for (size_t i = 0; i < s->ncores; i++)
		if (s->cores[i].cpu == cpu)
			return &s->cores[i];
	return NULL;
}

/* Every key of the original's parse result, from our sample. */
static void check_cpu_key(const struct sample *s, const char *key, json_t *want)
{
	char name[64], *suffix;
	int got_i;
	double got;

	if (!strcmp(key, "e_core") || !strcmp(key, "p_core")) {
		json_t *cores = json_array();
		int a, m;
		kind_aggregate(s, key[0] == 'e' ? 'E' : 'P', &a, &m, cores);
		if (!json_equal(cores, want))
			fail_msg("%s differs", key);
		json_decref(cores);
		return;
	}
	if (!strcmp(key, "cpu_W") || !strcmp(key, "gpu_W") || !strcmp(key, "ane_W") ||
	    !strcmp(key, "package_W")) {
		enum rail r = key[0] == 'c'   ? RAIL_CPU
		              : key[0] == 'g' ? RAIL_GPU
		              : key[0] == 'a' ? RAIL_ANE
		                              : RAIL_PACKAGE;
		/* the original's "W" are joules per interval: here interval_s is 1 */
		got = or0(s->power[r].watts) * s->interval_s;
		if (fabs(got - json_number_value(want)) > 1e-9)
			fail_msg("%s: got %g, want %g", key, got, json_number_value(want));
		return;
	}
	snprintf(name, sizeof name, "%s", key);
	suffix = strrchr(name, '_');
	assert_non_null(suffix);
	if (!strcmp(suffix, "_active") || !strcmp(suffix, "_Mhz")) {
		bool active = !strcmp(suffix, "_active");
		int cpu;
		if (!active) { /* "_freq_Mhz" */
			*suffix = '\0';
			suffix = strrchr(name, '_');
			assert_non_null(suffix);
		}
		*suffix = '\0';
		if (!strcmp(name, "E-Cluster") || !strcmp(name, "P-Cluster")) {
			int a, m;
			json_t *cores = json_array();
			kind_aggregate(s, name[0], &a, &m, cores);
			json_decref(cores);
			got_i = active ? a : m;
		} else if (sscanf(name, "%*[EP]-Cluster%d", &cpu) == 1) {
			const struct sample_core *c = core_of(s, cpu);
			assert_non_null(c);
			got_i = active ? pct(c->active) : (int)(or0(c->freq_hz) / 1e6);
		} else {
			char our[40];
			const struct sample_cluster *c;
			snprintf(our, sizeof our, "%.*s-CPU", (int)strcspn(name, "-"), name);
			c = cluster_named(s, our);
			if (!c)
				fail_msg("no cluster %s for %s", our, key);
			got_i = active ? pct(c->active) : (int)(or0(c->freq_hz) / 1e6);
		}
		if (got_i != json_integer_value(want))
			fail_msg("%s: got %d, want %lld", key, got_i,
			         (long long)json_integer_value(want));
		return;
	}
	fail_msg("unexpected key %s", key);
}

static void check_bw_key(const struct sample *s, const char *key, json_t *want)
{
	double got, w = json_is_boolean(want) ? 0 : json_number_value(want);
	size_t n = strlen(key);

	if (!strcmp(key, "_available")) {
		assert_int_equal(s->bandwidth.quality != BW_ABSENT, json_is_true(want));
		return;
	}
	if (!strcmp(key, "DCS RD") || !strcmp(key, "DCS WR")) {
		got = or0(key[4] == 'R' ? s->bandwidth.read_bps : s->bandwidth.write_bps);
	} else if (!strcmp(key, "MEDIA DCS") || !strncmp(key, "VENC ", 5) ||
	           !strncmp(key, "JPG ", 4)) {
		/* media engines add up to one MEDIA agent */
		const struct sample_bw_agent *a = agent(s, "MEDIA");
		got = a ? or0(a->read_bps) + or0(a->write_bps) : 0;
	} else {
		bool wr = key[n - 1] == 'R' && key[n - 2] == 'W';
		const struct sample_bw_agent *a;
		char ag[24];
		snprintf(ag, sizeof ag, "%.*s", (int)(n - 7), key);
		if ((!strncmp(ag, "ECPU", 4) || !strncmp(ag, "PCPU", 4)) && ag[4])
			ag[4] = '\0'; /* one cluster per kind in these payloads: its counter is the
			                 kind's */
		a = agent(s, ag);
		got = a ? or0(wr ? a->write_bps : a->read_bps) : 0;
	}
	/* GB per interval in the original; bytes per second over 1 s here */
	if (fabs(got / 1e9 - w) > 1e-9)
		fail_msg("bandwidth %s: got %g GB, want %g", key, got / 1e9, w);
}

static void check_original(const char *file, const char *name, json_t *want)
{
	char *text;
	size_t len;
	struct plist_node *docs[4];
	unsigned n, bad;
	struct sample s;
	const char *k;
	json_t *v;

	text = slurp(data_path(file), &len);
	n = parse_all(text, len, docs, 4, &bad);
	if (strstr(name, "previous chunk")) {
		/* a complete document, then one cut short: the complete one is used */
		assert_int_equal(n, 1);
		assert_int_equal(bad, 1);
	} else {
		assert_int_equal(n, 1);
		assert_int_equal(bad, 0);
	}
	decode_one(docs[0], &s);
	print_message("%s: checking %zu cpu, %zu bandwidth keys\n", name,
	              json_object_size(json_object_get(want, "cpu")),
	              json_object_size(json_object_get(want, "bandwidth")));
	assert_int_equal(s.thermal,
	                 pm_thermal(json_string_value(json_object_get(want, "thermal_pressure"))));
	if (json_integer_value(json_object_get(want, "timestamp")))
		assert_true(s.time ==
		            (double)json_integer_value(json_object_get(want, "timestamp")));
	else
		assert_true(s.time == 12345.0); /* none in the document: the reading's own time */
	json_object_foreach(json_object_get(want, "cpu"), k, v) check_cpu_key(&s, k, v);
	json_object_foreach(json_object_get(want, "bandwidth"), k, v) check_bw_key(&s, k, v);
	v = json_object_get(want, "gpu");
	assert_int_equal(s.ngpus ? pct(s.gpus[0].util) : 0,
	                 json_integer_value(json_object_get(v, "active")));
	assert_int_equal(s.ngpus ? (int)(or0(s.gpus[0].freq_hz) / 1e6) : 0,
	                 json_integer_value(json_object_get(v, "freq_MHz")));
	sample_free(&s);
	plist_free(docs[0]);
	free(text);
}

/* Every value the original's parser produced (5bb0668), on its five payloads. */
static void test_original_payloads(void **state)
{
	static const struct {
		const char *file, *key;
	} cases[] = {
		{ "agtop/pm_valid_frame.plist", "pm_valid_frame.plist" },
		{ "agtop/pm_partial_cpu_payload.plist", "pm_partial_cpu_payload.plist" },
		{ "agtop/pm_no_bandwidth_counters.plist", "pm_no_bandwidth_counters.plist" },
		{ "agtop/pm_bandwidth_counters_not_list.plist",
		  "pm_bandwidth_counters_not_list.plist" },
		{ "agtop/pm_complete_then_partial_frame.bin",
		  "pm_complete_then_partial_frame.bin (last NUL chunk fails -> previous chunk)" },
	};
	json_error_t je;
	json_t *all;

	(void)state;
	all = json_load_file(data_path("agtop/pm_expected_parse_outputs_5bb0668.json"), 0, &je);
	assert_non_null(all);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *want = json_object_get(all, cases[i].key);
		assert_non_null(want);
		check_original(cases[i].file, cases[i].key, want);
	}
	json_decref(all);
}

#define NEAR(got, want, what)                                              \
	do {                                                               \
		double g_ = (got), w_ = (want);                            \
		if (!(fabs(g_ - w_) <= 1e-6 * fabs(w_) + 1e-12))           \
			fail_msg("%s: got %.9g, want %.9g", what, g_, w_); \
	} while (0)

/* The real M1 captures (pumas' test data), the same two the IOReport dump of the M1 was built
 * from: the same numbers through either source. */
static void test_real_m1(void **state)
{
	static const struct {
		const char *file;
		double elapsed, e_mhz, e_idle, p_mhz, p_idle, gpu_mhz, gpu_idle, cpu_mj, gpu_mj,
		    combined_mw;
	} want[] = {
		{ "apple/powermetrics_plist_m1_a.plist", 2019178750, 1022.87, 0.772993, 618.173,
		  0.983957, 714.836, 0.983341, 89, 31, 59.4301 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *text;
		size_t len;
		const char *x;
		struct plist_node *docs[2];
		struct sample s;
		const struct sample_cluster *e, *p;

		text = slurp(data_path(want[i].file), &len);
		x = skip_header(text, &len);
		assert_int_equal(parse_all(x, len, docs, 2, NULL), 1);
		decode_one(docs[0], &s);
		NEAR(s.interval_s, want[i].elapsed / 1e9, "interval");
		assert_true(s.time == 1680355116.0); /* <date>2023-04-01T13:18:36Z</date> */
		assert_string_equal(s.host.chip, "MacBookPro17,1");
		assert_string_equal(s.host.os, "macOS (build 22E252)");
		e = cluster_named(&s, "E-CPU");
		p = cluster_named(&s, "P-CPU");
		assert_non_null(e);
		assert_non_null(p);
		assert_int_equal(e->kind, CLUSTER_EFFICIENCY);
		NEAR(e->freq_hz, want[i].e_mhz * 1e6, "E MHz");
		NEAR(e->active, 1 - want[i].e_idle, "E active");
		NEAR(p->freq_hz, want[i].p_mhz * 1e6, "P MHz");
		NEAR(p->active, 1 - want[i].p_idle, "P active");
		/* OS CPU numbering: E-cores 0-3, P-cores 4-7 */
		assert_int_equal(e->ncores, 4);
		assert_int_equal(s.cores[e->first_core].cpu, 0);
		assert_int_equal(s.cores[p->first_core].cpu, 4);
		assert_int_equal(s.host.cpus, 8);
		/* the GPU's "freq_hz" is MHz */
		NEAR(s.gpus[0].freq_hz, want[i].gpu_mhz * 1e6, "GPU MHz");
		NEAR(s.gpus[0].util, 1 - want[i].gpu_idle, "GPU active");
		NEAR(s.power[RAIL_CPU].watts, want[i].cpu_mj / 1e3 / (want[i].elapsed / 1e9),
		     "CPU W");
		NEAR(s.power[RAIL_GPU].watts, want[i].gpu_mj / 1e3 / (want[i].elapsed / 1e9),
		     "GPU W");
		/* combined_power is mW already (the original divided it by the interval again) */
		NEAR(s.power[RAIL_PACKAGE].watts, want[i].combined_mw / 1e3, "package W");
		assert_int_equal(s.thermal, THERMAL_NOMINAL);
		sample_free(&s);
		plist_free(docs[0]);
		free(text);
	}
}

/* ---- the stream ---- */

static const char doc_a[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
    "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
    "<plist version=\"1.0\"><dict>"
    "<key>elapsed_ns</key><integer>1000000000</integer>"
    "<key>timestamp</key><date>2026-11-24T10:00:00Z</date>"
    "<key>thermal_pressure</key><string>Heavy</string>"
    "<key>processor</key><dict><key>clusters</key><array>"
    "<dict><key>name</key><string>E-Cluster</string><key>freq_hz</key><real>1.2e9</real>"
    "<key>idle_ratio</key><real>0.5</real><key>cpus</key><array>"
    "<dict><key>cpu</key><integer>0</integer><key>freq_hz</key><real>1.2e9</real>"
    "<key>idle_ratio</key><real>0.25</real></dict></array></dict>"
    "</array><key>cpu_energy</key><integer>500</integer>"
    "<key>gpu_energy</key><integer>250</integer></dict>"
    "<key>gpu</key><dict><key>freq_hz</key><real>389.5</real>"
    "<key>idle_ratio</key><real>0.9</real></dict>"
    "</dict></plist>\n";

static const char doc_b[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<plist version=\"1.0\"><dict>"
    "<key>elapsed_ns</key><integer>500000000</integer>"
    "<key>timestamp</key><date>2026-11-24T10:00:01Z</date>"
    "<key>thermal_pressure</key><string>Nominal</string>"
    "<key>processor</key><dict><key>cpu_energy</key><integer>100</integer></dict>"
    "<key>bandwidth_counters</key><array>"
    "<dict><key>name</key><string>PCPU1 DCS RD</string><key>value</key>"
    "<integer>3000000000</integer></dict>"
    "<dict><key>name</key><string>VDEC DCS WR</string><key>value</key>"
    "<integer>500000000</integer></dict></array>"
    "</dict></plist>\n";

/* Feeds [0, cut) then [cut, len) and returns the decoded documents. */
static unsigned split_feed(const char *buf, size_t len, size_t cut, struct sample *out,
                           unsigned cap)
{
	struct plist_stream *s = plist_stream_new(0);
	struct pm_decoder d;
	struct plist_node *doc;
	unsigned n = 0;

	pm_decoder_init(&d);
	assert_int_equal(plist_stream_feed(s, buf, cut), 0);
	assert_int_equal(plist_stream_feed(s, buf + cut, len - cut), 0);
	assert_int_equal(plist_stream_finish(s), 0);
	assert_int_equal(plist_stream_malformed(s), 0);
	while ((doc = plist_stream_next(s)) != NULL) {
		assert_true(n < cap);
		sample_init(&out[n]);
		assert_int_equal(pm_decode(&d, doc, 1.0, 1.0, &out[n]), 0);
		plist_free(doc);
		n++;
	}
	plist_stream_free(s);
	return n;
}

static void test_split_everywhere(void **state)
{
	char buf[sizeof doc_a + sizeof doc_b + 8];
	size_t len = 0;
	struct sample whole[2];

	(void)state;
	memcpy(buf, doc_a, sizeof doc_a); /* with its NUL: the separator */
	len += sizeof doc_a;
	buf[len++] = '\n'; /* blank space between documents is allowed */
	memcpy(buf + len, doc_b, sizeof doc_b);
	len += sizeof doc_b;

	assert_int_equal(split_feed(buf, len, len, whole, 2), 2);
	/* the values themselves */
	assert_int_equal(whole[0].thermal, THERMAL_SERIOUS);
	assert_true(whole[0].time == 1795514400.0);
	assert_true(whole[0].clusters[0].active == 0.5);
	assert_true(whole[0].cores[0].active == 0.75);
	assert_true(whole[0].gpus[0].freq_hz == 389.5e6);
	NEAR(whole[0].gpus[0].util, 0.1, "GPU util");
	assert_true(whole[0].power[RAIL_CPU].watts == 0.5);
	assert_true(whole[0].power[RAIL_PACKAGE].watts == 0.75);
	assert_true(whole[1].interval_s == 0.5);
	assert_true(whole[1].power[RAIL_CPU].watts == 0.2);
	/* cumulative energy across documents */
	assert_true(whole[1].power[RAIL_CPU].joules == 0.6);
	assert_int_equal(whole[1].bandwidth.quality, BW_MEASURED);
	assert_true(whole[1].bandwidth.read_bps == 6e9);
	assert_true(whole[1].bandwidth.write_bps == 1e9);
	assert_non_null(agent(&whole[1], "PCPU"));
	assert_true(agent(&whole[1], "MEDIA")->write_bps == 1e9);

	for (size_t cut = 0; cut <= len; cut++) {
		struct sample part[2];
		if (split_feed(buf, len, cut, part, 2) != 2)
			fail_msg("split at byte %zu: not two documents", cut);
		for (int k = 0; k < 2; k++) {
			if (!sample_equal(&whole[k], &part[k]))
				fail_msg("split at byte %zu: document %d differs", cut, k);
			sample_free(&part[k]);
		}
	}
	sample_free(&whole[0]);
	sample_free(&whole[1]);
}

static void test_partial_waits_and_bad_skipped(void **state)
{
	struct plist_stream *s = plist_stream_new(0);
	struct plist_node *d;
	static const char garbage[] = "this is not a plist <<<";
	static const char entity[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><plist><dict><key>x</key>"
	    "<string>&b;&b;&b;</string></dict></plist>";
	static const char not_dict[] = "<plist><array><integer>1</integer></array></plist>";
	static const char bad_int[] =
	    "<plist><dict><key>x</key><integer>12a</integer></dict></plist>";

	(void)state;
	/* a document without its NUL yet: nothing, until the NUL comes */
	assert_int_equal(plist_stream_feed(s, doc_a, sizeof doc_a - 1), 0);
	assert_null(plist_stream_next(s));
	assert_true(plist_stream_partial(s));
	assert_int_equal(plist_stream_feed(s, "", 1), 0);
	d = plist_stream_next(s);
	assert_non_null(d);
	plist_free(d);

	/* garbage, an entity bomb, a non-dict and a bad integer: skipped and counted, and the
	 * next good document still comes through */
	assert_int_equal(plist_stream_feed(s, garbage, sizeof garbage), 0);
	assert_int_equal(plist_stream_malformed(s), 1);
	assert_non_null(strstr(plist_stream_error(s), "bad XML"));
	assert_int_equal(plist_stream_feed(s, entity, sizeof entity), 0);
	assert_int_equal(plist_stream_malformed(s), 2);
	assert_non_null(strstr(plist_stream_error(s), "entity"));
	assert_int_equal(plist_stream_feed(s, not_dict, sizeof not_dict), 0);
	assert_int_equal(plist_stream_feed(s, bad_int, sizeof bad_int), 0);
	assert_int_equal(plist_stream_malformed(s), 4);
	assert_non_null(strstr(plist_stream_error(s), "bad <integer>"));
	assert_int_equal(plist_stream_feed(s, doc_b, sizeof doc_b), 0);
	d = plist_stream_next(s);
	assert_non_null(d);
	assert_int_equal(plist_get(d, "elapsed_ns")->i, 500000000);
	plist_free(d);
	assert_int_equal(plist_stream_good(s), 2);

	/* cut short at the end of the input: counted, not used */
	assert_int_equal(plist_stream_feed(s, doc_b, 100), 0);
	assert_int_equal(plist_stream_finish(s), 0);
	assert_null(plist_stream_next(s));
	assert_int_equal(plist_stream_malformed(s), 5);
	plist_stream_free(s);

	/* the size limit */
	s = plist_stream_new(64);
	assert_int_equal(plist_stream_feed(s, doc_a, sizeof doc_a), 0);
	assert_int_equal(plist_stream_malformed(s), 1);
	assert_non_null(strstr(plist_stream_error(s), "size limit"));
	plist_stream_free(s);
}

/* Ultra chips: E0 P0 P1 on the first die, E1 P2 P3 on the second, in OS CPU order. */
static void test_ultra_layout(void **state)
{
	char doc[16384];
	size_t w = 0;
	static const char *const names[] = { "E0", "P0", "P1", "E1", "P2", "P3" };
	static const int first[] = { 0, 2, 6, 10, 12, 16 }, count[] = { 2, 4, 4, 2, 4, 4 };
	struct plist_node *docs[1];
	struct sample s;

	(void)state;
	w += (size_t)snprintf(doc + w, sizeof doc - w,
	                      "<plist><dict><key>processor</key><dict><key>clusters</key><array>");
	for (int c = 0; c < 6; c++) {
		w += (size_t)snprintf(doc + w, sizeof doc - w,
		                      "<dict><key>name</key><string>%s-Cluster</string>"
		                      "<key>freq_hz</key><real>%d</real><key>idle_ratio</key>"
		                      "<real>0.5</real><key>cpus</key><array>",
		                      names[c], 1000000000 + c);
		for (int k = count[c] - 1; k >= 0; k--) /* listed out of order */
			w += (size_t)snprintf(doc + w, sizeof doc - w,
			                      "<dict><key>cpu</key><integer>%d</integer>"
			                      "<key>idle_ratio</key><real>0.%d</real></dict>",
			                      first[c] + k, k + 1);
		w += (size_t)snprintf(doc + w, sizeof doc - w, "</array></dict>");
	}
	w += (size_t)snprintf(doc + w, sizeof doc - w, "</array></dict></dict></plist>");
	assert_int_equal(parse_all(doc, w, docs, 1, NULL), 1);
	decode_one(docs[0], &s);
	assert_int_equal(s.nclusters, 6);
	assert_int_equal(s.ndies, 2);
	assert_int_equal(s.ncores, 20);
	for (int c = 0; c < 6; c++) {
		char want[16];
		const struct sample_cluster *sc = &s.clusters[c];
		snprintf(want, sizeof want, "%s-CPU", names[c]);
		assert_string_equal(sc->name, want);
		assert_int_equal(sc->kind,
		                 names[c][0] == 'E' ? CLUSTER_EFFICIENCY : CLUSTER_PERFORMANCE);
		assert_int_equal(sc->die, c < 3 ? 0 : 1);
		assert_int_equal(sc->ncores, count[c]);
		for (int k = 0; k < count[c]; k++)
			assert_int_equal(s.cores[sc->first_core + k].cpu, first[c] + k);
		assert_true(sc->freq_hz == 1000000000.0 + c);
	}
	sample_free(&s);
	plist_free(docs[0]);
}

/* One document of clusters (name, top DVFS MHz, CPUs) with each CPU's idle and down ratios. */
static void m5_doc(char *doc, size_t size, const char *const names[], const int top[], unsigned n,
                   size_t *len)
{
	size_t w = 0;
	int cpu = 0;

	w += (size_t)snprintf(doc + w, size - w,
	                      "<plist><dict><key>processor</key><dict><key>clusters</key><array>");
	for (unsigned c = 0; c < n; c++) {
		w += (size_t)snprintf(doc + w, size - w,
		                      "<dict><key>name</key><string>%s</string><key>freq_hz</key>"
		                      "<real>2e9</real><key>idle_ratio</key><real>0.5</real>"
		                      "<key>dvfm_states</key><array><dict><key>freq</key><integer>"
		                      "1308</integer></dict><dict><key>freq</key><integer>%d"
		                      "</integer></dict></array><key>cpus</key><array>",
		                      names[c], top[c]);
		/* per-CPU "down residency" (macOS 26): down_ratio, not active */
		for (int k = 0; k < 2; k++, cpu++)
			w += (size_t)snprintf(doc + w, size - w,
			                      "<dict><key>cpu</key><integer>%d</integer>"
			                      "<key>idle_ratio</key><real>0.5</real><key>down_ratio"
			                      "</key><real>0.25</real></dict>",
			                      cpu);
		w += (size_t)snprintf(doc + w, size - w, "</array></dict>");
	}
	w += (size_t)snprintf(doc + w, size - w, "</array></dict></dict></plist>");
	*len = w;
}

static void clusters_are(const char *const names[], const int top[], unsigned n,
                         const char *const want[], const enum cluster_kind kind[])
{
	char doc[8192];
	size_t len;
	struct plist_node *docs[1];
	struct sample s;

	m5_doc(doc, sizeof doc, names, top, n, &len);
	assert_int_equal(parse_all(doc, len, docs, 1, NULL), 1);
	decode_one(docs[0], &s);
	assert_int_equal(s.nclusters, n);
	for (unsigned c = 0; c < n; c++) {
		assert_string_equal(s.clusters[c].name, want[c]);
		assert_int_equal(s.clusters[c].kind, kind[c]);
	}
	assert_true(fabs(s.cores[0].active - 0.25) < 1e-12); /* 1 - idle - down */
	sample_free(&s);
	plist_free(docs[0]);
}

/* Rows 8 and 12: M5's tiers in powermetrics named as the IOReport source names them. macOS 26.4
 * and later say "S-Cluster" for the super tier; before, an M5's super tier was "P-Cluster"
 * (asitop#88) -- the super tier all the same, "S-CPU", where the document has no S cluster and
 * M clusters or a P cluster above every M1-M4 core (4608 MHz). M5 Max's M0/M1 clusters are its
 * performance tier, "P0-CPU" and "P1-CPU" as the MCPU0/MCPU1 channels. */
static void test_m5_clusters_named_as_ioreport_names_them(void **state)
{
	(void)state;
	{ /* base M5, macOS 26.4 on */
		static const char *const n[] = { "E-Cluster", "S-Cluster" }, *const w[] = {
			"E-CPU", "S-CPU"
		};
		static const int top[] = { 3048, 4608 };
		static const enum cluster_kind k[] = { CLUSTER_EFFICIENCY, CLUSTER_SUPER };
		clusters_are(n, top, 2, w, k);
	}
	{ /* base M5 before macOS 26.4: its super tier still "P-Cluster" */
		static const char *const n[] = { "E-Cluster", "P-Cluster" }, *const w[] = {
			"E-CPU", "S-CPU"
		};
		static const int top[] = { 3048, 4608 };
		static const enum cluster_kind k[] = { CLUSTER_EFFICIENCY, CLUSTER_SUPER };
		clusters_are(n, top, 2, w, k);
	}
	{ /* M4 Max: a P cluster at 4512 MHz is a performance tier */
		static const char *const n[] = { "E-Cluster", "P0-Cluster", "P1-Cluster" },
		                         *const w[] = { "E-CPU", "P0-CPU", "P1-CPU" };
		static const int top[] = { 2592, 4512, 4512 };
		static const enum cluster_kind k[] = { CLUSTER_EFFICIENCY, CLUSTER_PERFORMANCE,
			                               CLUSTER_PERFORMANCE };
		clusters_are(n, top, 3, w, k);
	}
	{ /* M5 Max: M0/M1 and S */
		static const char *const n[] = { "M0-Cluster", "M1-Cluster", "S-Cluster" },
		                         *const w[] = { "P0-CPU", "P1-CPU", "S-CPU" };
		static const int top[] = { 4380, 4380, 4608 };
		static const enum cluster_kind k[] = { CLUSTER_PERFORMANCE, CLUSTER_PERFORMANCE,
			                               CLUSTER_SUPER };
		clusters_are(n, top, 3, w, k);
	}
	{ /* M5 Max, early macOS 26: M clusters beside a "P-Cluster" that is the super tier */
		static const char *const n[] = { "M0-Cluster", "M1-Cluster", "P-Cluster" },
		                         *const w[] = { "P0-CPU", "P1-CPU", "S-CPU" };
		static const int top[] = { 4380, 4380, 4608 };
		static const enum cluster_kind k[] = { CLUSTER_PERFORMANCE, CLUSTER_PERFORMANCE,
			                               CLUSTER_SUPER };
		clusters_are(n, top, 3, w, k);
	}
}

/* ---- the process, with a fake sudo and a fake powermetrics ---- */

struct pm_run {
	struct source src;
	struct sample s[8];
	unsigned n;
	enum source_status last;
	char err[sizeof((struct error *)0)->msg];
};

static char *g_dir;

static void write_doc(void)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/doc.plist", g_dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(doc_a, f);
	fclose(f);
}

/* Runs the source until it gives want samples, ends, or fails. */
static void run_pm(const char *mode, const char *sudo_refuse, const char *pm_path, unsigned want,
                   struct pm_run *r)
{
	struct options o;
	struct error err;
	char doc[600], args[600];

	memset(r, 0, sizeof *r);
	memset(&o, 0, sizeof o);
	o.interval = 0.1;
	o.replay_speed = 1;
	snprintf(o.pm_sudo, sizeof o.pm_sudo, "%s/tests/fake_pm/sudo", AGTOP_SOURCE_DIR);
	snprintf(o.pm_path, sizeof o.pm_path, "%s", pm_path);
	snprintf(doc, sizeof doc, "%s/doc.plist", g_dir);
	snprintf(args, sizeof args, "%s/args", g_dir);
	unlink(args);
	setenv("FAKE_PM_DOC", doc, 1);
	setenv("FAKE_PM_ARGS", args, 1);
	setenv("FAKE_PM_MODE", mode, 1);
	setenv("FAKE_PM_COUNT", "3", 1);
	if (sudo_refuse)
		setenv("FAKE_SUDO_REFUSE", "1", 1);
	else
		unsetenv("FAKE_SUDO_REFUSE");
	r->src.ops = &powermetrics_source;
	if (r->src.ops->open(&r->src, &o, &err)) {
		r->last = SOURCE_ERROR;
		snprintf(r->err, sizeof r->err, "%s", err.msg);
		r->src.ops = NULL;
		return;
	}
	for (int guard = 0; guard < 2000 && r->n < want; guard++) {
		double delay = source_next_delay(&r->src, o.interval);
		struct timespec ts = { (time_t)delay,
			               (long)((delay - (double)(time_t)delay) * 1e9) };
		nanosleep(&ts, NULL);
		sample_init(&r->s[r->n]);
		r->last = source_read(&r->src, &r->s[r->n], &err);
		if (r->last == SOURCE_SAMPLE) {
			r->n++;
			continue;
		}
		sample_free(&r->s[r->n]);
		if (r->last == SOURCE_ERROR) {
			snprintf(r->err, sizeof r->err, "%s", err.msg);
			break;
		}
		if (r->last == SOURCE_END)
			break;
	}
}

static void pm_done(struct pm_run *r)
{
	if (r->src.ops)
		source_close(&r->src);
	for (unsigned i = 0; i < r->n; i++)
		sample_free(&r->s[i]);
}

static char *fake_pm(void)
{
	static char p[600];

	snprintf(p, sizeof p, "%s/tests/fake_pm/powermetrics", AGTOP_SOURCE_DIR);
	return p;
}

static void test_process_samples(void **state)
{
	struct pm_run r;
	char path[600], *args;

	(void)state;
	write_doc();
	run_pm("normal", NULL, fake_pm(), 2, &r);
	if (r.n != 2)
		fail_msg("got %u samples: %s", r.n, r.err);
	assert_int_equal(r.s[0].seq, 1);
	assert_int_equal(r.s[1].seq, 2);
	assert_string_equal(r.s[0].source, "powermetrics");
	assert_true(r.s[0].power[RAIL_CPU].watts == 0.5);
	/* documents that arrive together are all counted in the energy, the newest shown */
	assert_true(r.s[1].power[RAIL_CPU].joules == 1.0 || r.s[1].power[RAIL_CPU].joules == 1.5);
	pm_done(&r); /* stops the subprocess */
	/* the argument vector: no shell, the samplers with bandwidth first, -i in ms */
	snprintf(path, sizeof path, "%s/args", g_dir);
	args = read_file(path, NULL);
	assert_non_null(args);
	assert_string_equal(
	    args, "--samplers cpu_power,gpu_power,ane_power,thermal,bandwidth -f plist -i "
	          "100\n");
	free(args);
}

static void test_process_no_bandwidth_sampler(void **state)
{
	struct pm_run r;
	char path[600], *args;

	(void)state;
	write_doc();
	run_pm("no_bandwidth", NULL, fake_pm(), 1, &r);
	if (r.n != 1)
		fail_msg("got %u samples: %s", r.n, r.err);
	assert_non_null(strstr(sample_note_get(&r.s[0], "bandwidth"), "no bandwidth sampler"));
	pm_done(&r);
	snprintf(path, sizeof path, "%s/args", g_dir);
	args = read_file(path, NULL);
	assert_non_null(strstr(args, "thermal,bandwidth -f"));
	assert_non_null(strstr(args, "\n--samplers cpu_power,gpu_power,ane_power,thermal -f"));
	free(args);
}

static void test_process_sudo_refused(void **state)
{
	struct pm_run r;

	(void)state;
	write_doc();
	run_pm("normal", "1", fake_pm(), 1, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.last, SOURCE_ERROR);
	assert_non_null(strstr(r.err,
	                       "Failed to start powermetrics due to missing sudo privileges. "
	                       "Run `sudo agtop` and try again"));
	assert_non_null(strstr(r.err, "Details: sudo: a password is required"));
	pm_done(&r);
}

static void test_process_missing(void **state)
{
	struct pm_run r;
	char path[600];

	(void)state;
	write_doc();
	snprintf(path, sizeof path, "%s/no/powermetrics", g_dir);
	run_pm("normal", NULL, path, 1, &r);
	assert_int_equal(r.last, SOURCE_ERROR);
	assert_non_null(strstr(r.err, "the `powermetrics` binary was not found"));
	pm_done(&r);
}

static void test_process_exit_mid_run(void **state)
{
	struct pm_run r;

	(void)state;
	write_doc();
	run_pm("exit_mid", NULL, fake_pm(), 5, &r);
	assert_int_equal(r.n, 2); /* the samples before the exit are kept */
	assert_int_equal(r.last, SOURCE_ERROR);
	assert_non_null(strstr(r.err, "powermetrics exited after 2 samples. Exit code: 3."));
	assert_non_null(strstr(r.err, "lost the connection"));
	pm_done(&r);
}

static void test_process_garbage(void **state)
{
	struct pm_run r;

	(void)state;
	write_doc();
	run_pm("garbage", NULL, fake_pm(), 1, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.last, SOURCE_ERROR);
	assert_non_null(strstr(r.err, "not a powermetrics plist stream: 3 malformed documents"));
	pm_done(&r); /* and the subprocess is stopped, not left running */
}

static void test_process_hang(void **state)
{
	struct pm_run r;

	(void)state;
	write_doc();
	run_pm("hang", NULL, fake_pm(), 1, &r);
	assert_int_equal(r.last, SOURCE_ERROR);
	assert_non_null(strstr(r.err, "powermetrics gave no sample in"));
	pm_done(&r);
}

static int setup(void **state)
{
	(void)state;
	g_dir = tmp_dir();
	return g_dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	tmp_cleanup(g_dir);
	free(g_dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expat_is_loaded_by_the_first_plist),
		cmocka_unit_test(test_original_payloads),
		cmocka_unit_test(test_real_m1),
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_partial_waits_and_bad_skipped),
		cmocka_unit_test(test_ultra_layout),
		cmocka_unit_test(test_m5_clusters_named_as_ioreport_names_them),
		cmocka_unit_test(test_process_samples),
		cmocka_unit_test(test_process_no_bandwidth_sampler),
		cmocka_unit_test(test_process_sudo_refused),
		cmocka_unit_test(test_process_missing),
		cmocka_unit_test(test_process_exit_mid_run),
		cmocka_unit_test(test_process_garbage),
		cmocka_unit_test(test_process_hang),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
