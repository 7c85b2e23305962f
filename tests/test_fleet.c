/* test_fleet.c - the ready-made fleet files in docs/fleet/ against what agtop really exports.
 *
 * What agtop exports is taken from the writer itself over every recording in tests/data (names,
 * label names, label values). Then: every metric is documented in docs/metrics.md; every query
 * of the Grafana dashboard and of the alerting rules names only exported metrics, with label
 * names they have and label values they take, groups by labels that exist, and draws legends
 * from labels that exist; the dashboard's panels are well formed; the systemd unit's and the
 * launchd agent's command lines are accepted by agtop's own option parser and run
 * `--headless --prometheus` (and systemd-analyze, where present, verifies the unit). promtool
 * checks prometheus.yml and the rules in the promtool_check test. */
#include "testutil.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "apple/plist.h"
#include "export/prometheus.h"
#include "options.h"
#include "sample.h"

#define FLEET AGTOP_SOURCE_DIR "/docs/fleet/"

/* ---- what agtop exports ---- */

struct label {
	char name[32];
	char **values;
	size_t nvalues;
};
struct metric {
	char name[96];
	struct label labels[12];
	size_t nlabels;
};
static struct metric metrics[128];
static size_t nmetrics;

static struct metric *metric_find(const char *name, size_t len)
{
	for (size_t i = 0; i < nmetrics; i++)
		if (strlen(metrics[i].name) == len && !strncmp(metrics[i].name, name, len))
			return &metrics[i];
	return NULL;
}

static struct label *label_find(struct metric *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->nlabels; i++)
		if (strlen(m->labels[i].name) == len && !strncmp(m->labels[i].name, name, len))
			return &m->labels[i];
	return NULL;
}

static void add_series(const char *line, size_t len)
{
	const char *p = line, *end = line + len;
	struct metric *m;
	size_t n = strcspn(line, "{ ");

	m = metric_find(line, n);
	if (!m) {
		assert_true(nmetrics < 128);
		m = &metrics[nmetrics++];
		snprintf(m->name, sizeof m->name, "%.*s", (int)n, line);
	}
	p += n;
	if (*p != '{')
		return;
	p++;
	while (p < end && *p != '}') {
		const char *k = p, *v;
		size_t kn = strcspn(p, "="), vn = 0;
		char val[512];
		struct label *l;
		bool have = false;

		v = p + kn + 2;
		while (*v != '"' && vn < sizeof val - 1) {
			if (*v == '\\')
				v++;
			val[vn++] = *v++;
		}
		val[vn] = '\0';
		p = v + 1 + (v[1] == ',');
		l = label_find(m, k, kn);
		if (!l) {
			assert_true(m->nlabels < 12);
			l = &m->labels[m->nlabels++];
			snprintf(l->name, sizeof l->name, "%.*s", (int)kn, k);
		}
		for (size_t i = 0; i < l->nvalues; i++)
			have = have || !strcmp(l->values[i], val);
		if (!have) {
			l->values = realloc(l->values, (l->nvalues + 1) * sizeof *l->values);
			l->values[l->nvalues++] = strdup(val);
		}
	}
}

static int load_exports(void **state)
{
	static const char *const files[] = { "alerts.jsonl",      "apple_m1ultra.jsonl",
		                             "apple_m4max.jsonl", "apple_m5.jsonl",
		                             "apple_m5max.jsonl", "linux_2gpu.jsonl",
		                             "unknown.jsonl" };
	struct prom_opts po = { PROM_TEXT, 5 };
	struct sample s;
	struct strbuf b;

	(void)state;
	sample_init(&s);
	sb_init(&b);
	for (size_t f = 0; f < sizeof files / sizeof *files; f++)
		for (unsigned i = 0; i < 3; i++) {
			load_recorded_sample(files[f], i, &s);
			sb_clear(&b);
			prom_write(&b, &s, &po);
			for (const char *p = b.buf; *p;) {
				size_t n = strcspn(p, "\n");
				if (*p != '#')
					add_series(p, n);
				p += n + 1;
			}
		}
	sb_free(&b);
	sample_free(&s);
	return 0;
}

static int free_exports(void **state)
{
	(void)state;
	for (size_t i = 0; i < nmetrics; i++)
		for (size_t l = 0; l < metrics[i].nlabels; l++) {
			for (size_t v = 0; v < metrics[i].labels[l].nvalues; v++)
				free(metrics[i].labels[l].values[v]);
			free(metrics[i].labels[l].values);
		}
	nmetrics = 0;
	return 0;
}

static void test_every_metric_is_documented(void **state)
{
	char *doc = read_file(AGTOP_SOURCE_DIR "/docs/metrics.md", NULL);
	char want[128];

	(void)state;
	assert_non_null(doc);
	assert_true(nmetrics > 30);
	for (size_t i = 0; i < nmetrics; i++) {
		snprintf(want, sizeof want, "| `%s` |", metrics[i].name);
		if (!strstr(doc, want))
			fail_msg("docs/metrics.md has no row for %s", metrics[i].name);
		for (size_t l = 0; l < metrics[i].nlabels; l++)
			assert_non_null(strstr(doc, metrics[i].labels[l].name));
	}
	free(doc);
}

/* ---- PromQL, as far as the checks need it ---- */

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == ':';
}

static bool is_target_label(const char *name, size_t len)
{
	return (len == 8 && !strncmp(name, "instance", 8)) ||
	       (len == 3 && !strncmp(name, "job", 3));
}

/* Past the quoted string that starts at p (escapes included). */
static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return p + (*p == '"');
}

static char why[512];

/* why[], and -1 */
static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return -1;
}

/* Checks one query; the agtop metrics it names go into used[]. Their count, or -1 with why[]
 * saying what is wrong. */
static int check_expr(const char *where, const char *e, struct metric **used, size_t max)
{
	size_t nused = 0;
	bool names_up = false;

	/* first the metrics it names, so that `sum by (l) (metric)` can be checked */
	for (const char *p = e; *p;) {
		size_t n = 0;
		if (*p == '"') {
			p = skip_string(p);
			continue;
		}
		if (!ident_char(*p)) {
			p++;
			continue;
		}
		while (ident_char(p[n]))
			n++;
		if (n > 6 && !strncmp(p, "agtop_", 6)) {
			struct metric *m = metric_find(p, n);
			if (!m)
				return bad("%s: %.*s is no metric agtop exports", where, (int)n, p);
			if (nused < max)
				used[nused++] = m;
		}
		p += n;
	}
	for (const char *p = e; *p;) {
		if (*p == '"') {
			p = skip_string(p);
			continue;
		}
		if (!ident_char(*p) || (p > e && ident_char(p[-1]))) {
			p++;
			continue;
		}
		{
			const char *id = p;
			size_t n = 0;
			struct metric *m = NULL;

			while (ident_char(p[n]))
				n++;
			p += n;
			if (n == 2 && !strncmp(id, "up", 2))
				names_up = true;
			if (n > 6 && !strncmp(id, "agtop_", 6))
				m = metric_find(id, n);
			while (*p == ' ')
				p++;
			if ((n == 2 && !strncmp(id, "by", 2)) ||
			    (n == 7 && !strncmp(id, "without", 7))) {
				/* grouping labels: of some metric named in this query */
				if (*p != '(')
					return bad("%s: no ( after by/without", where);
				for (p++; *p && *p != ')';) {
					const char *l;
					size_t ln = 0;
					bool found = false;
					while (*p == ' ' || *p == ',')
						p++;
					l = p;
					while (ident_char(l[ln]))
						ln++;
					p += ln;
					if (!ln)
						continue;
					for (size_t i = 0; i < nused; i++)
						found = found || label_find(used[i], l, ln);
					if (!found && !is_target_label(l, ln))
						return bad(
						    "%s: grouping by %.*s, which its metrics "
						    "do not have",
						    where, (int)ln, l);
				}
				continue;
			}
			if (m && *p == '{') {
				/* matchers: labels the metric has; = values it takes */
				for (p++; *p && *p != '}';) {
					const char *l, *v;
					size_t ln = 0, vn = 0;
					bool eq, found = false;
					struct label *lab;
					while (*p == ' ' || *p == ',')
						p++;
					l = p;
					while (ident_char(l[ln]))
						ln++;
					p += ln;
					eq = p[0] == '=' && p[1] != '~';
					while (*p && *p != '"')
						p++;
					v = ++p;
					while (*p && *p != '"')
						p++;
					vn = (size_t)(p - v);
					p++;
					if (is_target_label(l, ln))
						continue;
					lab = label_find(m, l, ln);
					if (!lab)
						return bad("%s: %s has no label %.*s", where,
						           m->name, (int)ln, l);
					if (!eq || memchr(v, '$', vn))
						continue;
					for (size_t i = 0; i < lab->nvalues; i++)
						found = found || (strlen(lab->values[i]) == vn &&
						                  !strncmp(lab->values[i], v, vn));
					if (!found)
						return bad(
						    "%s: %s{%s=\"%.*s\"}: agtop never exports "
						    "that value",
						    where, m->name, lab->name, (int)vn, v);
				}
				p += *p == '}';
			}
		}
	}
	if (!nused && !names_up)
		return bad("%s: %s names no agtop metric", where, e);
	return (int)nused;
}

/* {{label}} in a legend: a label of the query's metrics (else -1 and why[]) */
static int check_legend(const char *where, const char *legend, struct metric **used, int n)
{
	for (const char *p = strstr(legend, "{{"); p; p = strstr(p + 2, "{{")) {
		const char *l = p + 2;
		size_t ln = strcspn(l, "}");
		bool found = is_target_label(l, ln);
		for (int i = 0; i < n; i++)
			found = found || label_find(used[i], l, ln);
		if (!found)
			return bad("%s: legend {{%.*s}} is no label of its metrics", where, (int)ln,
			           l);
	}
	return 0;
}

#define EXPR_OK(where, e, used, n)                 \
	do {                                       \
		n = check_expr(where, e, used, 8); \
		if (n < 0)                         \
			fail_msg("%s", why);       \
	} while (0)

static void test_grafana_dashboard(void **state)
{
	json_error_t je;
	json_t *d = json_load_file(FLEET "grafana-agtop.json", 0, &je), *panels, *p, *vars, *v;
	size_t i, queries = 0, ids[64], nids = 0;
	bool instance_var = false;

	(void)state;
	if (!d)
		fail_msg("grafana-agtop.json: %s (line %d)", je.text, je.line);
	assert_string_equal(json_string_value(json_object_get(d, "title")), "agtop");
	assert_non_null(json_string_value(json_object_get(d, "uid")));
	vars = json_object_get(json_object_get(d, "templating"), "list");
	json_array_foreach(vars, i, v)
	{
		const char *def = json_string_value(json_object_get(v, "definition"));
		struct metric *used[8];
		int n;
		if (def) {
			EXPR_OK("variable", def, used, n);
			queries++;
		}
		instance_var = instance_var ||
		               !strcmp(json_string_value(json_object_get(v, "name")), "instance");
	}
	assert_true(instance_var);
	panels = json_object_get(d, "panels");
	assert_true(json_array_size(panels) > 10);
	json_array_foreach(panels, i, p)
	{
		const char *type = json_string_value(json_object_get(p, "type"));
		const char *title = json_string_value(json_object_get(p, "title"));
		json_t *gp = json_object_get(p, "gridPos"), *targets, *t;
		size_t ti;
		char where[256];

		assert_non_null(type);
		assert_non_null(title);
		assert_true(json_integer_value(json_object_get(gp, "x")) +
		                json_integer_value(json_object_get(gp, "w")) <=
		            24);
		assert_true(nids < 64);
		ids[nids] = (size_t)json_integer_value(json_object_get(p, "id"));
		for (size_t k = 0; k < nids; k++)
			assert_true(ids[k] != ids[nids]);
		nids++;
		if (!strcmp(type, "row"))
			continue;
		assert_non_null(json_object_get(p, "datasource"));
		targets = json_object_get(p, "targets");
		assert_true(json_array_size(targets) > 0);
		json_array_foreach(targets, ti, t)
		{
			const char *expr = json_string_value(json_object_get(t, "expr"));
			const char *legend = json_string_value(json_object_get(t, "legendFormat"));
			struct metric *used[8];
			int n;

			snprintf(where, sizeof where, "panel \"%s\" query %zu", title, ti + 1);
			assert_non_null(expr);
			EXPR_OK(where, expr, used, n);
			assert_true(n > 0);
			if (legend && check_legend(where, legend, used, n))
				fail_msg("%s", why);
			queries++;
		}
	}
	print_message("%zu queries checked against %zu exported metrics\n", queries, nmetrics);
	json_decref(d);
}

static void test_alert_rules(void **state)
{
	char *rules = read_file(FLEET "agtop-alerts.yml", NULL);
	unsigned n = 0;

	(void)state;
	assert_non_null(rules);
	for (const char *p = strstr(rules, "expr: "); p; p = strstr(p + 1, "expr: ")) {
		char e[512], where[32];
		struct metric *used[8];
		size_t len = strcspn(p + 6, "\n");
		int k;
		snprintf(e, sizeof e, "%.*s", (int)len, p + 6);
		snprintf(where, sizeof where, "rule %u", ++n);
		EXPR_OK(where, e, used, k);
	}
	assert_true(n >= 4);
	free(rules);
}

/* The checks catch what they are for: a wrong name, label, value, grouping or legend. */
static void test_checks_catch_mistakes(void **state)
{
	static const char *const wrong[] = {
		"agtop_cpu_power_watts",                /* no such metric */
		"agtop_power_watts{cluster=\"E\"}",     /* no such label */
		"agtop_power_watts{rail=\"pkg\"}",      /* no such value */
		"sum by (cluster) (agtop_power_watts)", /* grouping by a missing label */
		"rate(node_cpu_seconds_total[1m])",     /* no agtop metric */
	};
	struct metric *used[8];

	(void)state;
	assert_int_equal(check_expr("t",
	                            "sum by (instance, rail) (rate(agtop_energy_joules_total"
	                            "{instance=~\"$instance\",rail=\"package\"}[5m]))",
	                            used, 8),
	                 1);
	assert_string_equal(used[0]->name, "agtop_energy_joules_total");
	assert_int_equal(check_legend("t", "{{instance}} {{rail}}", used, 1), 0);
	assert_int_equal(check_legend("t", "{{cluster}}", used, 1), -1);
	assert_non_null(strstr(why, "legend {{cluster}}"));
	assert_int_equal(check_expr("t", "up{job=\"agtop\"} == 0", used, 8), 0);
	for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
		why[0] = '\0';
		if (check_expr("t", wrong[i], used, 8) != -1)
			fail_msg("not caught: %s", wrong[i]);
		print_message("caught: %s\n", why);
	}
}

/* ---- service files ---- */

static const char *no_env(const char *name)
{
	(void)name;
	return NULL;
}

static void check_args(const char *what, int argc, char **argv)
{
	struct options o;
	struct error err;

	if (options_parse(&o, argc, argv, no_env, &err) != OPTIONS_RUN)
		fail_msg("%s: agtop refuses its arguments: %s", what, err.msg);
	assert_true(o.headless);
	assert_true(o.prometheus);
	assert_string_equal(o.prom_host, "127.0.0.1"); /* loopback unless asked otherwise */
	assert_int_equal(o.prom_port, 9776);
	options_free(&o);
}

static void test_systemd_unit(void **state)
{
	char *unit = read_file(FLEET "agtop.service", NULL), *line, *argv[16], *save;
	const char *exec;
	int argc = 0;

	(void)state;
	assert_non_null(unit);
	exec = strstr(unit, "\nExecStart=/");
	assert_non_null(exec);
	line = strndup(exec + 11, strcspn(exec + 11, "\n"));
	for (char *w = strtok_r(line, " ", &save); w && argc < 15; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	assert_string_equal(argv[0], "/usr/local/bin/agtop");
	check_args("agtop.service", argc, argv);
	assert_non_null(strstr(unit, "\n[Install]\nWantedBy=multi-user.target\n"));
	assert_non_null(strstr(unit, "\nSuccessExitStatus=143\n"));
	free(line);

	/* systemd's own check, with the unit pointing at the built binary */
	if (access("/usr/bin/systemd-analyze", X_OK) == 0) {
		static const char installed[] = "/usr/local/bin/agtop";
		char *d = tmp_dir(), path[4200], *copy, *o;
		struct cmd_result r;
		char *av[] = { "/usr/bin/systemd-analyze", "verify", "--man=no", path, NULL };

		o = copy = malloc(strlen(unit) * 2 + 4096);
		for (const char *u = unit; *u;) {
			if (!strncmp(u, installed, sizeof installed - 1)) {
				o += sprintf(o, "%s", AGTOP_BINARY);
				u += sizeof installed - 1;
			} else {
				*o++ = *u++;
			}
		}
		*o = '\0';
		assert_int_equal(write_file(d, "agtop.service", copy), 0);
		snprintf(path, sizeof path, "%s/agtop.service", d);
		assert_int_equal(run_cmd(av, NULL, NULL, &r), 0);
		if (r.status != 0)
			fail_msg("systemd-analyze verify: %s%s", r.out, r.err);
		print_message("systemd-analyze verify: clean\n");
		cmd_result_free(&r);
		free(copy);
		tmp_cleanup(d);
		free(d);
	} else {
		print_message(
		    "note: no systemd-analyze here; the unit's command line is checked\n");
	}
	free(unit);
}

static void test_launchd_agent(void **state)
{
	size_t len;
	char *text = read_file(FLEET "local.agtop.exporter.plist", &len), *argv[16];
	struct plist_stream *ps = plist_stream_new(PLIST_MAX_DOC_BYTES);
	struct plist_node *doc;
	const struct plist_node *args, *a, *keep;
	int argc = 0;

	(void)state;
	assert_non_null(text);
	assert_int_equal(plist_stream_feed(ps, text, len), 0);
	assert_int_equal(plist_stream_finish(ps), 0);
	doc = plist_stream_next(ps);
	if (!doc)
		fail_msg("the launchd agent is no valid property list: %s", plist_stream_error(ps));
	assert_string_equal(plist_str(plist_get(doc, "Label")), "local.agtop.exporter");
	args = plist_get(doc, "ProgramArguments");
	assert_non_null(args);
	assert_int_equal(args->type, PLIST_ARRAY);
	for (a = args->child; a && argc < 15; a = a->next)
		argv[argc++] = (char *)plist_str(a);
	argv[argc] = NULL;
	assert_string_equal(argv[0], "/usr/local/bin/agtop");
	check_args("local.agtop.exporter.plist", argc, argv);
	assert_true(plist_get(doc, "RunAtLoad")->b);
	keep = plist_get(doc, "KeepAlive");
	assert_non_null(keep);
	assert_false(plist_get(keep, "SuccessfulExit")->b);
	plist_free(doc);
	plist_stream_free(ps);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_metric_is_documented),
		cmocka_unit_test(test_checks_catch_mistakes),
		cmocka_unit_test(test_grafana_dashboard),
		cmocka_unit_test(test_alert_rules),
		cmocka_unit_test(test_systemd_unit),
		cmocka_unit_test(test_launchd_agent),
	};

	return cmocka_run_group_tests(tests, load_exports, free_exports);
}
