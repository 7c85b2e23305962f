/* test_version.c - one version: the CMake project version (plus git describe in a development
 * build) is what --version, JSON lines, Prometheus' agtop_build_info, the installed manual and
 * CHANGELOG.md say. The expected value is worked out here from the CMake project version and git
 * itself, not taken from the binary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"

#define RUN(res, ...)                                                 \
	do {                                                          \
		char *argv_[] = { __VA_ARGS__, NULL };                \
		assert_int_equal(run_cmd(argv_, NULL, NULL, res), 0); \
	} while (0)

static char expected[256]; /* the version every output must show */

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* `git describe` of the source folder when it is the top of a git checkout, else "" (a tarball:
 * the project version alone). */
static void git_describe(char *out, size_t size)
{
	struct cmd_result r;
	char *top, *src;

	out[0] = '\0';
	if (!AGTOP_GIT[0])
		return;
	RUN(&r, AGTOP_GIT, "-C", AGTOP_SOURCE_DIR, "rev-parse", "--show-toplevel");
	chomp(r.out);
	top = realpath(r.out, NULL);
	src = realpath(AGTOP_SOURCE_DIR, NULL);
	assert_non_null(src);
	if (r.status == 0 && top && !strcmp(top, src)) {
		struct cmd_result d;
		RUN(&d, AGTOP_GIT, "-C", AGTOP_SOURCE_DIR, "describe", "--tags", "--always",
		    "--dirty", "--match", "v[0-9]*");
		assert_int_equal(d.status, 0);
		chomp(d.out);
		snprintf(out, size, "%s", d.out);
		cmd_result_free(&d);
	}
	free(top);
	free(src);
	cmd_result_free(&r);
}

static int setup(void **state)
{
	char describe[160], tag[64];

	(void)state;
	git_describe(describe, sizeof describe);
	snprintf(tag, sizeof tag, "v%s", AGTOP_PROJECT_VERSION);
	if (describe[0] && strcmp(describe, tag))
		snprintf(expected, sizeof expected, "%s-dev+%s", AGTOP_PROJECT_VERSION, describe);
	else
		snprintf(expected, sizeof expected, "%s", AGTOP_PROJECT_VERSION);
	return 0;
}

static void build_wrote_the_expected_version(void **state)
{
	char *v = read_file(AGTOP_GEN_DIR "/version.txt", NULL);

	(void)state;
	assert_non_null(v);
	chomp(v);
	if (strcmp(v, expected))
		fail_msg("the build says %s, the checkout is %s: rebuild (cmake --build)", v,
		         expected);
	free(v);
}

static void version_option_shows_it(void **state)
{
	struct cmd_result r;
	char want[300];

	(void)state;
	RUN(&r, AGTOP_BINARY, "--version");
	assert_int_equal(r.status, 0);
	snprintf(want, sizeof want, "agtop %s\n", expected);
	assert_string_equal(r.out, want);
	assert_string_equal(r.err, "");
	cmd_result_free(&r);
}

static void json_lines_show_it(void **state)
{
	struct cmd_result r;
	json_error_t jerr;
	json_t *j;

	(void)state;
	RUN(&r, AGTOP_BINARY, "--json", "--count", "1", "--interval", "0.1");
	assert_int_equal(r.status, 0);
	j = json_loads(r.out, 0, &jerr);
	if (!j)
		fail_msg("not JSON: %s", jerr.text);
	assert_string_equal(json_string_value(json_object_get(j, "agtop")), expected);
	json_decref(j);
	cmd_result_free(&r);
}

/* The value of label `label` on the first sample line of `metric` in an exposition, or NULL. */
static char *label_of(const char *expo, const char *metric, const char *label)
{
	char head[128], key[64];
	const char *line = expo, *p, *end;

	snprintf(head, sizeof head, "\n%s{", metric);
	snprintf(key, sizeof key, "%s=\"", label);
	while ((line = strstr(line, head))) {
		line++;
		end = strchr(line, '\n');
		p = strstr(line, key);
		if (p && (!end || p < end)) {
			p += strlen(key);
			return strndup(p, strcspn(p, "\""));
		}
	}
	return NULL;
}

static void prometheus_build_info_shows_it(void **state)
{
	char *d = tmp_dir(), path[512], *expo, *v;
	struct cmd_result r;

	(void)state;
	snprintf(path, sizeof path, "%s/agtop.prom", d);
	RUN(&r, AGTOP_BINARY, "--headless", "--prometheus-textfile", path, "--count", "1",
	    "--interval", "0.1");
	assert_int_equal(r.status, 0);
	cmd_result_free(&r);
	expo = read_file(path, NULL);
	assert_non_null(expo);
	assert_non_null(strstr(expo, "\n# TYPE agtop_build_info gauge\n"));
	v = label_of(expo, "agtop_build_info", "version");
	assert_non_null(v);
	assert_string_equal(v, expected);
	free(v);
	/* agtop_info carries it too, for the Grafana dashboard */
	v = label_of(expo, "agtop_info", "version");
	assert_non_null(v);
	assert_string_equal(v, expected);
	free(v);
	free(expo);
	tmp_cleanup(d);
	free(d);
}

/* .TH AGTOP 1 DATE "agtop VERSION": the VERSION of a manual page's header line */
static void man_version(const char *path, char *out, size_t size)
{
	char *man = read_file(path, NULL), *p;

	assert_non_null(man);
	if (strncmp(man, ".TH AGTOP 1 ", 12))
		fail_msg("%s does not begin with .TH AGTOP 1", path);
	p = strstr(man, " \"agtop ");
	assert_non_null(p);
	p += 8;
	snprintf(out, size, "%.*s", (int)strcspn(p, "\"\n"), p);
	free(man);
}

static void manual_shows_it(void **state)
{
	char v[256];

	(void)state;
	/* the page installed */
	man_version(AGTOP_GEN_DIR "/agtop.1", v, sizeof v);
	assert_string_equal(v, expected);
	/* and the source beside it (`man docs/agtop.1` in a clone) names the project version */
	man_version(AGTOP_SOURCE_DIR "/docs/agtop.1", v, sizeof v);
	assert_string_equal(v, AGTOP_PROJECT_VERSION);
}

/* A release (the project version alone) has its CHANGELOG section; a development build works
 * towards the project version under "## Unreleased", which is also why commits after the tag
 * v<project version> need the version bumped first. */
static void changelog_follows_the_version(void **state)
{
	char *log = read_file(AGTOP_SOURCE_DIR "/CHANGELOG.md", NULL), head[96], tag[96];
	bool release = !strcmp(expected, AGTOP_PROJECT_VERSION);

	(void)state;
	assert_non_null(log);
	snprintf(head, sizeof head, "\n## %s", AGTOP_PROJECT_VERSION);
	if (release) {
		if (!strstr(log, head))
			fail_msg("release %s: CHANGELOG.md has no \"## %s\" section",
			         AGTOP_PROJECT_VERSION, AGTOP_PROJECT_VERSION);
	} else {
		const char *first = strstr(log, "\n## ");
		assert_non_null(first);
		if (strncmp(first, "\n## Unreleased\n", 15))
			fail_msg(
			    "a development build: CHANGELOG.md's first section must be Unreleased");
		if (strstr(log, head))
			fail_msg("%s is released (CHANGELOG.md): bump project(VERSION) in "
			         "CMakeLists.txt",
			         AGTOP_PROJECT_VERSION);
		snprintf(tag, sizeof tag, "+v%s-", AGTOP_PROJECT_VERSION);
		if (strstr(expected, tag))
			fail_msg(
			    "commits after the tag v%s: bump project(VERSION) in CMakeLists.txt",
			    AGTOP_PROJECT_VERSION);
	}
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_wrote_the_expected_version),
		cmocka_unit_test(version_option_shows_it),
		cmocka_unit_test(json_lines_show_it),
		cmocka_unit_test(prometheus_build_info_shows_it),
		cmocka_unit_test(manual_shows_it),
		cmocka_unit_test(changelog_follows_the_version),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
