/* test_options.c - every option: name, default, validation and error text */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "testutil.h"

/* injected environment: NAME=VALUE pairs */
static const char *const *fake_env;

static const char *env_get(const char *name)
{
	size_t n = strlen(name);

	for (const char *const *e = fake_env; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static enum options_result parse_env(struct options *o, struct error *err, const char *const *env,
                                     int argc, ...)
{
	char *argv[64];
	va_list ap;

	argv[0] = "agtop";
	va_start(ap, argc);
	for (int i = 1; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	fake_env = env;
	return options_parse(o, argc, argv, env_get, err);
}

#define PARSE(o, err, ...)                                                                        \
	parse_env(o, err, NULL,                                                                   \
	          (int)(sizeof((const char *[]){ "agtop", __VA_ARGS__ }) / sizeof(const char *)), \
	          __VA_ARGS__)

/* expects a usage error with exactly this message */
static void expect_usage(const char *msg, int argc, ...)
{
	struct options o;
	struct error err;
	char *argv[64];
	va_list ap;

	argv[0] = "agtop";
	va_start(ap, argc);
	for (int i = 1; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	fake_env = NULL;
	assert_int_equal(options_parse(&o, argc, argv, env_get, &err), OPTIONS_USAGE);
	assert_string_equal(err.msg, msg);
	options_free(&o);
}

#define USAGE(msg, ...)                                                                          \
	expect_usage(                                                                            \
	    msg, (int)(sizeof((const char *[]){ "agtop", __VA_ARGS__ }) / sizeof(const char *)), \
	    __VA_ARGS__)

static void defaults_match_the_original(void **state)
{
	struct options o;
	struct error err;
	char *argv[] = { "agtop", NULL };

	(void)state;
	fake_env = NULL;
	assert_int_equal(options_parse(&o, 1, argv, env_get, &err), OPTIONS_RUN);
	assert_true(o.interval == 1.0);
	assert_int_equal(o.color, 2);
	assert_int_equal(o.avg, 30);
	assert_false(o.show_cores);
	assert_int_equal(o.core_view, CORE_VIEW_GAUGE);
	assert_int_equal(o.max_count, 0);
	assert_int_equal(o.power_scale, POWER_SCALE_AUTO);
	assert_string_equal(o.proc_filter, "");
	assert_false(o.has_proc_re);
	assert_int_equal(o.alert_bw_sat_percent, 85);
	assert_int_equal(o.alert_package_power_percent, 85);
	assert_true(o.alert_swap_rise_gb == 0.3);
	assert_int_equal(o.alert_sustain_samples, 3);
	assert_false(o.json);
	assert_int_equal(o.count, 0);
	assert_string_equal(o.record, "");
	assert_string_equal(o.replay, "");
	assert_true(o.replay_speed == 1.0);
	assert_false(o.force_powermetrics);
	assert_int_equal(o.color_mode, COLOR_MODE_AUTO);
	assert_int_equal(o.gradient, -1);
	assert_false(o.no_color);
	assert_string_equal(o.procfs, "/proc");
	assert_string_equal(o.sysfs, "/sys");
	options_free(&o);
}

static void every_option_takes_its_value(void **state)
{
	struct options o;
	struct error err;

	(void)state;
	assert_int_equal(PARSE(&o, &err, "--interval", "0.25", "--color", "5", "--avg", "10",
	                       "--show_cores", "--core-view", "both", "--max_count", "7",
	                       "--power-scale", "profile", "--proc-filter", "python|ollama",
	                       "--alert-bw-sat-percent", "90", "--alert-package-power-percent",
	                       "70", "--alert-swap-rise-gb", "1.5", "--alert-sustain-samples", "4",
	                       "--json", "--count", "3", "--record", "/tmp/r.jsonl", "--replay",
	                       "/tmp/x.jsonl", "--replay-speed", "0"),
	                 OPTIONS_RUN);
	assert_true(o.interval == 0.25);
	assert_int_equal(o.color, 5);
	assert_int_equal(o.avg, 10);
	assert_true(o.show_cores);
	assert_int_equal(o.core_view, CORE_VIEW_BOTH);
	assert_int_equal(o.max_count, 7);
	assert_int_equal(o.power_scale, POWER_SCALE_PROFILE);
	assert_string_equal(o.proc_filter, "python|ollama");
	assert_true(o.has_proc_re);
	assert_int_equal(o.alert_bw_sat_percent, 90);
	assert_int_equal(o.alert_package_power_percent, 70);
	assert_true(o.alert_swap_rise_gb == 1.5);
	assert_int_equal(o.alert_sustain_samples, 4);
	assert_true(o.json);
	assert_int_equal(o.count, 3);
	assert_string_equal(o.record, "/tmp/r.jsonl");
	assert_string_equal(o.replay, "/tmp/x.jsonl");
	assert_true(o.replay_speed == 0.0);
	options_free(&o);
}

static void argparse_forms(void **state)
{
	struct options o;
	struct error err;

	(void)state;
	/* --name=value, unique prefixes, last one wins */
	assert_int_equal(PARSE(&o, &err, "--interval=2", "--int", "3", "--core-v=history", "--col",
	                       "0", "--show"),
	                 OPTIONS_RUN);
	assert_true(o.interval == 3.0);
	assert_int_equal(o.core_view, CORE_VIEW_HISTORY);
	assert_int_equal(o.color, 0);
	assert_true(o.show_cores);
	options_free(&o);
	/* a negative number is a value, not an option */
	assert_int_equal(PARSE(&o, &err, "--max_count", "-1"), OPTIONS_RUN);
	assert_int_equal(o.max_count, -1);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "-h"), OPTIONS_HELP);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--help"), OPTIONS_HELP);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--version"), OPTIONS_VERSION);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--vers"), OPTIONS_VERSION);
	options_free(&o);
}

static void usage_errors_have_the_original_text(void **state)
{
	(void)state;
	/* the original's tests */
	USAGE("agtop: error: unrecognized arguments: true", "--show_cores", "true");
	USAGE("agtop: error: argument --core-view: invalid choice: 'sparkline' (choose from "
	      "'gauge', 'history', 'both')",
	      "--core-view", "sparkline");
	USAGE("agtop: error: argument --alert-bw-sat-percent: threshold must be in the range 1-100",
	      "--alert-bw-sat-percent", "101");
	USAGE("agtop: error: argument --alert-swap-rise-gb: swap rise threshold must be >= 0",
	      "--alert-swap-rise-gb", "-0.1");
	USAGE("agtop: error: argument --alert-sustain-samples: sustain samples must be >= 1",
	      "--alert-sustain-samples", "0");
	/* conversions */
	USAGE("agtop: error: argument --color: invalid int value: 'x'", "--color", "x");
	USAGE("agtop: error: argument --avg: invalid int value: '1.5'", "--avg", "1.5");
	USAGE("agtop: error: argument --max_count: invalid int value: 'many'", "--max_count",
	      "many");
	USAGE("agtop: error: argument --interval: invalid float value: 'fast'", "--interval",
	      "fast");
	USAGE("agtop: error: argument --interval: invalid float value: \"it's\"", "--interval",
	      "it's");
	USAGE("agtop: error: argument --power-scale: invalid choice: 'peak' (choose from 'auto', "
	      "'profile')",
	      "--power-scale", "peak");
	/* ranges */
	USAGE("agtop: error: argument --interval: interval must be at least 0.1 seconds",
	      "--interval", "0.05");
	USAGE("agtop: error: argument --interval: interval must be at least 0.1 seconds",
	      "--interval", "-1");
	USAGE("agtop: error: argument --interval: interval must be a finite number of seconds",
	      "--interval", "inf");
	USAGE("agtop: error: argument --color: color must be in the range 0-255 (0~8 are the "
	      "themes)",
	      "--color", "-1");
	USAGE("agtop: error: argument --avg: avg must be >= 0 (seconds)", "--avg", "-5");
	USAGE("agtop: error: argument --alert-bw-sat-percent: threshold must be an integer",
	      "--alert-bw-sat-percent", "high");
	USAGE("agtop: error: argument --alert-package-power-percent: threshold must be in the "
	      "range 1-100",
	      "--alert-package-power-percent", "0");
	USAGE("agtop: error: argument --alert-package-power-percent: threshold must be an integer",
	      "--alert-package-power-percent", "50.5");
	USAGE("agtop: error: argument --alert-swap-rise-gb: swap rise threshold must be a number",
	      "--alert-swap-rise-gb", "lots");
	USAGE("agtop: error: argument --alert-swap-rise-gb: swap rise threshold must be a number",
	      "--alert-swap-rise-gb", "nan");
	USAGE("agtop: error: argument --alert-sustain-samples: sustain samples must be an integer",
	      "--alert-sustain-samples", "2.5");
	USAGE("agtop: error: argument --count: count must be >= 1", "--count", "0");
	USAGE("agtop: error: argument --count: count must be an integer", "--count", "three");
	USAGE("agtop: error: argument --replay-speed: replay speed must be >= 0 (0 = as fast as "
	      "possible)",
	      "--replay", "x", "--replay-speed", "-2");
	USAGE("agtop: error: argument --replay-speed: only meaningful with --replay or "
	      "--powermetrics-input",
	      "--replay-speed", "2");
	USAGE("agtop: error: argument --powermetrics-input: not allowed with argument --replay",
	      "--replay", "a.jsonl", "--powermetrics-input", "-");
	USAGE("agtop: error: argument --powermetrics-input: input file name is empty",
	      "--powermetrics-input", "");
	USAGE("agtop: error: argument --record: cannot record into the file being replayed",
	      "--replay", "a.jsonl", "--record", "a.jsonl");
	/* argparse structure */
	USAGE("agtop: error: argument --interval: expected one argument", "--interval");
	USAGE("agtop: error: argument --proc-filter: expected one argument", "--proc-filter", "-x");
	USAGE("agtop: error: argument --json: ignored explicit argument '1'", "--json=1");
	USAGE("agtop: error: unrecognized arguments: --nope -z extra", "--nope", "-z", "extra");
	USAGE("agtop: error: ambiguous option: --alert could match --alert-bw-sat-percent, "
	      "--alert-package-power-percent, --alert-swap-rise-gb, --alert-sustain-samples",
	      "--alert", "5");
	USAGE("agtop: error: ambiguous option: --re could match --record, --replay, --replay-speed",
	      "--re", "x");
}

static void proc_filter_is_a_case_insensitive_ere(void **state)
{
	struct options o;
	struct error err;

	(void)state;
	assert_int_equal(PARSE(&o, &err, "--proc-filter", "python|OLLAMA"), OPTIONS_RUN);
	assert_true(options_proc_match(&o, "/usr/bin/Python3 train.py"));
	assert_true(options_proc_match(&o, "ollama serve"));
	assert_false(options_proc_match(&o, "/usr/sbin/sshd -D"));
	options_free(&o);

	/* the original's message shape: "invalid --proc-filter regex: <regex error>" */
	{
		struct options o2;
		char *argv[] = { "agtop", "--proc-filter", "[", NULL };
		fake_env = NULL;
		assert_int_equal(options_parse(&o2, 3, argv, env_get, &err), OPTIONS_USAGE);
		assert_non_null(strstr(err.msg, "agtop: error: argument --proc-filter: invalid "
		                                "--proc-filter regex: "));
		assert_true(strlen(err.msg) > strlen("agtop: error: argument --proc-filter: "
		                                     "invalid --proc-filter regex: "));
		options_free(&o2);
	}
	/* an empty filter means no filter */
	assert_int_equal(PARSE(&o, &err, "--proc-filter", ""), OPTIONS_RUN);
	assert_false(o.has_proc_re);
	assert_true(options_proc_match(&o, "anything"));
	options_free(&o);
}

static void environment(void **state)
{
	struct options o;
	struct error err;
	char *argv[] = { "agtop", NULL };

	(void)state;
	{
		const char *env[] = { "AGTOP_FORCE_POWERMETRICS=0",
			              "AGTOP_COLOR_MODE= Truecolor ",
			              "AGTOP_GRADIENT=0",
			              "NO_COLOR=1",
			              "AGTOP_PROCFS=/tmp/p",
			              "AGTOP_SYSFS=/tmp/s",
			              NULL };
		fake_env = env;
		assert_int_equal(options_parse(&o, 1, argv, env_get, &err), OPTIONS_RUN);
		/* any non-empty value forces powermetrics, even "0", as in the original */
		assert_true(o.force_powermetrics);
		assert_int_equal(o.color_mode, COLOR_MODE_TRUECOLOR);
		assert_int_equal(o.gradient, 0);
		assert_true(o.no_color);
		assert_string_equal(o.procfs, "/tmp/p");
		assert_string_equal(o.sysfs, "/tmp/s");
		assert_string_equal(o.warnings, "");
		options_free(&o);
	}
	{
		const char *env[] = {
			"AGTOP_FORCE_POWERMETRICS=",     "AGTOP_COLOR_MODE=foo", "AGTOP_GRADIENT=",
			"AGTOP_EXPERIMENTAL_GRADIENT=1", "NO_COLOR=off",         NULL
		};
		fake_env = env;
		assert_int_equal(options_parse(&o, 1, argv, env_get, &err), OPTIONS_RUN);
		assert_false(o.force_powermetrics);
		assert_int_equal(o.color_mode, COLOR_MODE_AUTO);
		assert_string_equal(
		    o.warnings, "Warning: invalid AGTOP_COLOR_MODE='foo'; using auto detection.\n");
		/* an empty AGTOP_GRADIENT falls through to the legacy name */
		assert_int_equal(o.gradient, 1);
		assert_false(o.no_color);
		options_free(&o);
	}
	{
		const char *env[] = { "AGTOP_COLOR_MODE=256", NULL };
		fake_env = env;
		assert_int_equal(options_parse(&o, 1, argv, env_get, &err), OPTIONS_RUN);
		assert_int_equal(o.color_mode, COLOR_MODE_256);
		options_free(&o);
	}
	{
		const char *env[] = { "AGTOP_COLOR_MODE=xterm256", "AGTOP_GRADIENT=yes", NULL };
		fake_env = env;
		assert_int_equal(options_parse(&o, 1, argv, env_get, &err), OPTIONS_RUN);
		assert_int_equal(o.color_mode, COLOR_MODE_256);
		assert_int_equal(o.gradient, 1);
		options_free(&o);
	}
	{
		const char *env[] = { "AGTOP_COLOR_MODE=mono", NULL };
		fake_env = env;
		assert_int_equal(options_parse(&o, 1, argv, env_get, &err), OPTIONS_RUN);
		assert_int_equal(o.color_mode, COLOR_MODE_MONO);
		options_free(&o);
	}
}

static void listen_is(const char *spec, const char *host, int port)
{
	struct error err;
	char h[256];
	int p = -1;

	if (options_parse_listen(spec, h, sizeof h, &p, &err))
		fail_msg("%s: %s", spec ? spec : "(none)", err.msg);
	assert_string_equal(h, host);
	assert_int_equal(p, port);
}

static void prometheus_and_headless(void **state)
{
	struct options o;
	struct error err;

	(void)state;
	listen_is(NULL, "127.0.0.1", 9776);
	listen_is("9100", "127.0.0.1", 9100);
	listen_is("0", "127.0.0.1", 0);
	listen_is("65535", "127.0.0.1", 65535);
	listen_is("0.0.0.0:9776", "0.0.0.0", 9776);
	listen_is("192.168.1.20:8080", "192.168.1.20", 8080);
	listen_is("localhost:9776", "localhost", 9776);
	listen_is("[::1]:9776", "::1", 9776);
	listen_is("[::]:1", "::", 1);
	listen_is("[fe80::1%en0]:9776", "fe80::1%en0", 9776);

	/* the value is optional: the default port, loopback only */
	assert_int_equal(PARSE(&o, &err, "--prometheus", "--headless"), OPTIONS_RUN);
	assert_true(o.prometheus && o.headless);
	assert_string_equal(o.prom_host, "127.0.0.1");
	assert_int_equal(o.prom_port, 9776);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--headless", "--prometheus"), OPTIONS_RUN);
	assert_true(o.prometheus && o.headless);
	options_free(&o);
	assert_int_equal(
	    PARSE(&o, &err, "--prometheus", "[::]:9200", "--prometheus-processes", "5"),
	    OPTIONS_RUN);
	assert_string_equal(o.prom_host, "::");
	assert_int_equal(o.prom_port, 9200);
	assert_int_equal(o.prom_processes, 5);
	assert_false(o.headless);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--prometheus=10.0.0.2:9776"), OPTIONS_RUN);
	assert_string_equal(o.prom_host, "10.0.0.2");
	options_free(&o);
	/* --headless with an output */
	assert_int_equal(PARSE(&o, &err, "--headless", "--prometheus-textfile", "/tmp/a.prom"),
	                 OPTIONS_RUN);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--headless", "--record", "/tmp/r.jsonl"), OPTIONS_RUN);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--headless", "--json"), OPTIONS_RUN);
	options_free(&o);

	USAGE("agtop: error: argument --headless: needs an output: --prometheus, "
	      "--prometheus-textfile, --record or --json",
	      "--headless");
	USAGE("agtop: error: argument --prometheus: give an address before ':' (0.0.0.0 for all "
	      "IPv4 addresses, [::] for all; the default is 127.0.0.1)",
	      "--prometheus", ":9776");
	USAGE("agtop: error: argument --prometheus: port must be in the range 0-65535 (0 = any "
	      "free port)",
	      "--prometheus", "65536");
	USAGE("agtop: error: argument --prometheus: expected [ADDR:]PORT with PORT a number "
	      "(default 9776)",
	      "--prometheus", "0.0.0.0");
	USAGE("agtop: error: argument --prometheus: expected [ADDR:]PORT with PORT a number "
	      "(default 9776)",
	      "--prometheus", "localhost:http");
	USAGE("agtop: error: argument --prometheus: expected [ADDR:]PORT with PORT a number "
	      "(default 9776)",
	      "--prometheus", "127.0.0.1:");
	USAGE("agtop: error: argument --prometheus: expected [ADDR:]PORT with PORT a number "
	      "(default 9776)",
	      "--prometheus", "127.0.0.1:+80");
	USAGE("agtop: error: argument --prometheus: expected [ADDR:]PORT with PORT a number "
	      "(default 9776)",
	      "--prometheus", "99999999999999999999999");
	USAGE("agtop: error: argument --prometheus: an IPv6 address goes in brackets: [ADDR]:PORT "
	      "(for example [::1]:9776)",
	      "--prometheus", "::1:9776");
	USAGE("agtop: error: argument --prometheus: expected [ADDR:]PORT, with an IPv6 address as "
	      "[ADDR]:PORT (for example [::1]:9776)",
	      "--prometheus", "[::1]9776");
	USAGE("agtop: error: argument --prometheus: expected [ADDR:]PORT, with an IPv6 address as "
	      "[ADDR]:PORT (for example [::1]:9776)",
	      "--prometheus", "[]:9776");
	USAGE("agtop: error: argument --prometheus: expected [ADDR:]PORT, got nothing after '='",
	      "--prometheus=");
	USAGE("agtop: error: ambiguous option: --prom could match --prometheus-textfile, "
	      "--prometheus-processes, --prometheus",
	      "--prom", "1");
}

/* Every option of the usage line is in the manual page (hyphens as \-) and the README. */
static void manual_and_readme_list_every_option(void **state)
{
	char *man = read_file(AGTOP_SOURCE_DIR "/docs/agtop.1", NULL);
	char *readme = read_file(AGTOP_SOURCE_DIR "/README.md", NULL);
	unsigned n = 0;

	(void)state;
	assert_non_null(man);
	assert_non_null(readme);
	for (const char *p = strstr(options_usage(), "[--"); p; p = strstr(p + 1, "[--")) {
		char name[64], inman[160], inreadme[80];
		size_t len = strcspn(p + 1, " ]"), o = 0;

		snprintf(name, sizeof name, "%.*s", (int)len, p + 1);
		for (const char *c = name; *c && o + 3 < sizeof inman; c++) {
			if (*c == '-')
				inman[o++] = '\\';
			inman[o++] = *c;
		}
		inman[o] = '\0';
		snprintf(inreadme, sizeof inreadme, "`%s", name);
		if (!strstr(man, inman))
			fail_msg("docs/agtop.1 does not document %s", name);
		if (!strstr(readme, inreadme))
			fail_msg("README.md does not list %s", name);
		n++;
	}
	assert_true(n >= 25);
	free(man);
	free(readme);
}

static void help_lists_every_option(void **state)
{
	const char *help = options_help();
	static const char *const wanted[] = {
		"-h, --help",
		"--version",
		"--interval INTERVAL",
		"--color COLOR",
		"--avg AVG",
		"--show_cores ",
		"--core-view {gauge,history,both}",
		"--max_count MAX_COUNT",
		"--power-scale {auto,profile}",
		"--proc-filter PROC_FILTER",
		"--alert-bw-sat-percent ALERT_BW_SAT_PERCENT",
		"--alert-package-power-percent ALERT_PACKAGE_POWER_PERCENT",
		"--alert-swap-rise-gb ALERT_SWAP_RISE_GB",
		"--alert-sustain-samples ALERT_SUSTAIN_SAMPLES",
		"--json",
		"--count COUNT",
		"--record FILE",
		"--replay FILE",
		"--replay-speed REPLAY_SPEED",
		"--dump-ioreport FILE",
		"--decode-dump FILE",
		"--powermetrics-input FILE",
		"--prometheus [[ADDR:]PORT]",
		"--headless",
		"--prometheus-textfile PATH",
		"--prometheus-processes N",
		"AGTOP_FORCE_POWERMETRICS",
		"AGTOP_SUDO, AGTOP_POWERMETRICS",
		"AGTOP_COLOR_MODE",
		"AGTOP_GRADIENT",
		"NO_COLOR",
	};

	(void)state;
	assert_non_null(strstr(help, "agtop: Performance monitoring CLI tool for Apple Silicon"));
	for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
		if (!strstr(help, wanted[i]))
			fail_msg("--help lacks %s", wanted[i]);
	/* --show_cores is a flag, not --show_cores SHOW_CORES */
	assert_null(strstr(help, "--show_cores SHOW_CORES"));
	{
		char want[96];
		snprintf(want, sizeof want, "agtop %s\n", AGTOP_VERSION);
		assert_string_equal(options_version(), want);
	}
	assert_true(strncmp(options_usage(), "usage: agtop [-h]", 17) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_match_the_original),
		cmocka_unit_test(every_option_takes_its_value),
		cmocka_unit_test(argparse_forms),
		cmocka_unit_test(usage_errors_have_the_original_text),
		cmocka_unit_test(proc_filter_is_a_case_insensitive_ere),
		cmocka_unit_test(environment),
		cmocka_unit_test(prometheus_and_headless),
		cmocka_unit_test(help_lists_every_option),
		cmocka_unit_test(manual_and_readme_list_every_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
