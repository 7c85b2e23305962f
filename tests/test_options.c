/* test_options.c - every option: name, default, validation and error text */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optgen.h"
#include "options.h"
#include "procfield.h"
#include "testutil.h"
#include "view/ui.h"

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
	assert_int_equal(o.prom_processes, 0);
	assert_false(o.prometheus);
	assert_false(o.force_powermetrics);
	assert_int_equal(o.color_mode, COLOR_MODE_AUTO);
	assert_int_equal(o.gradient, -1);
	assert_false(o.no_color);
	assert_string_equal(o.procfs, "/proc");
	assert_string_equal(o.sysfs, "/sys");
	assert_string_equal(o.pm_sudo, "/usr/bin/sudo");
	assert_string_equal(o.pm_path, "/usr/bin/powermetrics");
	/* no HOME and no XDG_CONFIG_HOME: no config file */
	assert_string_equal(o.config_path, "");
	assert_string_equal(o.warnings, "");
	options_free(&o);
}

static void every_option_takes_its_value(void **state)
{
	struct options o;
	struct error err;

	(void)state;
	assert_int_equal(PARSE(&o, &err, "--interval", "0.25", "--color", "5", "--avg", "10",
	                       "--show-cores", "--core-view", "both", "--max-count", "7",
	                       "--power-scale", "profile", "--proc-filter", "python|ollama",
	                       "--alert-bw-sat-percent", "90", "--alert-package-power-percent",
	                       "70", "--alert-swap-rise-gb", "1.5", "--alert-sustain-samples", "4",
	                       "--json", "--count", "3", "--record", "/tmp/r.jsonl", "--replay",
	                       "/tmp/x.jsonl", "--replay-speed", "0", "--prometheus-processes",
	                       "1000"),
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
	assert_int_equal(o.prom_processes, 1000);
	options_free(&o);
}

/* A threshold's range is 1-100 inclusive: both ends are accepted, one past either end is not
 * (issue 12: a mutation rejecting 100 passed every test). */
static void threshold_range_includes_both_ends(void **state)
{
	struct options o;
	struct error err;

	(void)state;
	assert_int_equal(
	    PARSE(&o, &err, "--alert-bw-sat-percent", "100", "--alert-package-power-percent", "1"),
	    OPTIONS_RUN);
	assert_int_equal(o.alert_bw_sat_percent, 100);
	assert_int_equal(o.alert_package_power_percent, 1);
	options_free(&o);
	assert_int_equal(
	    PARSE(&o, &err, "--alert-bw-sat-percent", "1", "--alert-package-power-percent", "100"),
	    OPTIONS_RUN);
	assert_int_equal(o.alert_bw_sat_percent, 1);
	assert_int_equal(o.alert_package_power_percent, 100);
	options_free(&o);
	USAGE(
	    "agtop: error: argument --alert-bw-sat-percent: threshold must be in the range 1-100, "
	    "got '0'",
	    "--alert-bw-sat-percent", "0");
}

/* the original agtop's spellings, prefixes, --name=value, flags with =yes|no */
static void aliases_and_argparse_forms(void **state)
{
	struct options o;
	struct error err;

	(void)state;
	assert_int_equal(PARSE(&o, &err, "--show_cores", "--max_count", "12"), OPTIONS_RUN);
	assert_true(o.show_cores);
	assert_int_equal(o.max_count, 12);
	options_free(&o);
	/* a prefix of both spellings of one option is that option */
	assert_int_equal(PARSE(&o, &err, "--show", "--max=3"), OPTIONS_RUN);
	assert_true(o.show_cores);
	assert_int_equal(o.max_count, 3);
	options_free(&o);
	assert_int_equal(
	    PARSE(&o, &err, "--interval=2", "--int", "3", "--core-v=history", "--col", "0"),
	    OPTIONS_RUN);
	assert_true(o.interval == 3.0);
	assert_int_equal(o.core_view, CORE_VIEW_HISTORY);
	assert_int_equal(o.color, 0);
	options_free(&o);
	/* a flag's explicit value, the last one winning */
	assert_int_equal(PARSE(&o, &err, "--show-cores", "--show-cores=no", "--json=YES"),
	                 OPTIONS_RUN);
	assert_false(o.show_cores);
	assert_true(o.json);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "-h"), OPTIONS_HELP);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--interval", "5", "--help"), OPTIONS_HELP);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--version"), OPTIONS_VERSION);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--vers"), OPTIONS_VERSION);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--completions", "fish"), OPTIONS_COMPLETIONS);
	assert_int_equal(o.completions, OPT_SHELL_FISH);
	options_free(&o);
}

/* Issue 13 point 7: one number parser for every option. */
static void max_count_minus_one_is_refused(void **state)
{
	(void)state;
	USAGE("agtop: error: argument --max-count: max count must be in the range 0-1000000000, "
	      "got '-1'",
	      "--max_count", "-1");
}

static void swap_rise_inf_is_refused(void **state)
{
	(void)state;
	USAGE("agtop: error: argument --alert-swap-rise-gb: swap rise threshold must be a finite "
	      "number, got 'inf'",
	      "--alert-swap-rise-gb", "inf");
	USAGE("agtop: error: argument --alert-swap-rise-gb: swap rise threshold must be a finite "
	      "number, got 'nan'",
	      "--alert-swap-rise-gb", "nan");
	USAGE("agtop: error: argument --alert-swap-rise-gb: swap rise threshold must be >= 0 GB, "
	      "got '1e999'",
	      "--alert-swap-rise-gb", "1e999");
}

/* "5 " and " 5" are 5 for every number, as Python's int() and float() read them. */
static void blanks_around_a_number_are_one_rule(void **state)
{
	struct options o, base;
	struct error err;

	(void)state;
	assert_int_equal(PARSE(&o, &err, "--count", "5 ", "--prometheus-processes", "5 "),
	                 OPTIONS_RUN);
	assert_int_equal(o.count, 5);
	assert_int_equal(o.prom_processes, 5);
	options_free(&o);
	options_init(&base);
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		char padded[64];
		if (d->type != OPT_INT && d->type != OPT_DOUBLE)
			continue;
		options_init(&o);
		snprintf(padded, sizeof padded, " %g\t",
		         d->min + 1 <= d->max ? d->min + 1 : d->min);
		if (opt_apply(&o, d, padded, &err))
			fail_msg("--%s '%s': %s", d->name, padded, err.msg);
		snprintf(padded, sizeof padded, "%g x", d->min);
		assert_int_equal(opt_apply(&o, d, padded, &err), -1);
		options_free(&o);
	}
	options_free(&base);
}

static void prometheus_empty_value_mentions_no_equals_sign(void **state)
{
	(void)state;
	USAGE("agtop: error: argument --prometheus: expected [ADDR:]PORT, got an empty value "
	      "(leave the value out for 127.0.0.1:9776)",
	      "--prometheus", "");
	USAGE("agtop: error: argument --prometheus: expected [ADDR:]PORT, got an empty value "
	      "(leave the value out for 127.0.0.1:9776)",
	      "--prometheus=");
}

/* The value stored by opt_apply, read back as a double. */
static double stored(const struct options *o, const struct opt_def *d)
{
	const char *f = (const char *)o + d->off;

	if (d->type == OPT_DOUBLE)
		return *(const double *)f;
	return d->size == sizeof(int) ? *(const int *)f : (double)*(const long *)f;
}

/* Issue 12 point 9: both ends of every range are accepted, one step past either is not. */
static void both_ends_of_every_range_are_accepted(void **state)
{
	unsigned checked = 0;

	(void)state;
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		double ends[2] = { d->min, d->max };
		double step = d->type == OPT_INT ? 1 : 1e-9 * (fabs(d->max) + 1);
		struct options o;
		struct error err;
		char v[64];

		if (d->type != OPT_INT && d->type != OPT_DOUBLE)
			continue;
		for (int e = 0; e < 2; e++) {
			if (isinf(ends[e]))
				continue;
			options_init(&o);
			snprintf(v, sizeof v, "%.17g", ends[e]);
			if (opt_apply(&o, d, v, &err))
				fail_msg("--%s %s refused: %s", d->name, v, err.msg);
			assert_true(stored(&o, d) == ends[e]);
			snprintf(v, sizeof v, "%.17g", e ? ends[e] + step : ends[e] - step);
			if (opt_apply(&o, d, v, &err) == 0)
				fail_msg("--%s %s accepted", d->name, v);
			assert_non_null(strstr(err.msg, d->what));
			options_free(&o);
			checked++;
		}
	}
	assert_true(checked >= 18);
}

static void usage_errors_say_what_is_wrong(void **state)
{
	(void)state;
	/* the original's tests (their messages are kept) */
	USAGE("agtop: error: unrecognized arguments: true", "--show_cores", "true");
	USAGE("agtop: error: argument --core-view: invalid choice: 'sparkline' (choose from "
	      "'gauge', 'history', 'both')",
	      "--core-view", "sparkline");
	USAGE(
	    "agtop: error: argument --alert-bw-sat-percent: threshold must be in the range 1-100, "
	    "got '101'",
	    "--alert-bw-sat-percent", "101");
	USAGE("agtop: error: argument --alert-swap-rise-gb: swap rise threshold must be >= 0 GB, "
	      "got '-0.1'",
	      "--alert-swap-rise-gb", "-0.1");
	USAGE("agtop: error: argument --alert-sustain-samples: sustain samples must be >= 1, got "
	      "'0'",
	      "--alert-sustain-samples", "0");
	/* conversions */
	USAGE("agtop: error: argument --color: color must be an integer, got 'x'", "--color", "x");
	USAGE("agtop: error: argument --avg: avg must be an integer, got '1.5'", "--avg", "1.5");
	USAGE("agtop: error: argument --max-count: max count must be an integer, got 'many'",
	      "--max_count", "many");
	USAGE("agtop: error: argument --count: count must be an integer, got '1e3'", "--count",
	      "1e3");
	USAGE("agtop: error: argument --interval: interval must be a number, got 'fast'",
	      "--interval", "fast");
	USAGE("agtop: error: argument --interval: interval must be a number, got \"it's\"",
	      "--interval", "it's");
	USAGE("agtop: error: argument --interval: interval must be a number, got '0x10'",
	      "--interval", "0x10");
	USAGE("agtop: error: argument --power-scale: invalid choice: 'peak' (choose from 'auto', "
	      "'profile')",
	      "--power-scale", "peak");
	USAGE("agtop: error: argument --show-cores: expected yes or no (true/false, on/off, 1/0), "
	      "got 'maybe'",
	      "--show-cores=maybe");
	/* ranges */
	USAGE("agtop: error: argument --interval: interval must be in the range 0.1-86400 seconds, "
	      "got '0.05'",
	      "--interval", "0.05");
	USAGE("agtop: error: argument --interval: interval must be a finite number, got 'inf'",
	      "--interval", "inf");
	USAGE("agtop: error: argument --color: color must be in the range 0-255, got '-1'",
	      "--color", "-1");
	USAGE("agtop: error: argument --avg: avg must be in the range 0-86400 seconds, got '-5'",
	      "--avg", "-5");
	USAGE("agtop: error: argument --alert-sustain-samples: sustain samples must be <= "
	      "2147483647, got '99999999999999999999999'",
	      "--alert-sustain-samples", "99999999999999999999999");
	USAGE("agtop: error: argument --count: count must be >= 1, got '0'", "--count", "0");
	USAGE("agtop: error: argument --prometheus-processes: process count must be in the range "
	      "0-1000, got '1001'",
	      "--prometheus-processes", "1001");
	USAGE("agtop: error: argument --replay-speed: replay speed must be >= 0, got '-2'",
	      "--replay", "x", "--replay-speed", "-2");
	/* rules between options */
	USAGE("agtop: error: argument --replay-speed: only meaningful with --replay or "
	      "--powermetrics-input",
	      "--replay-speed", "2");
	USAGE("agtop: error: argument --powermetrics-input: not allowed with argument --replay",
	      "--replay", "a.jsonl", "--powermetrics-input", "-");
	USAGE("agtop: error: argument --powermetrics-input: file name is empty",
	      "--powermetrics-input", "");
	USAGE("agtop: error: argument --record: cannot record into the file being replayed",
	      "--replay", "a.jsonl", "--record", "a.jsonl");
	/* argparse structure */
	USAGE("agtop: error: argument --interval: expected one argument", "--interval");
	USAGE("agtop: error: argument --proc-filter: expected one argument", "--proc-filter", "-x");
	USAGE("agtop: error: argument --help: ignored explicit argument '1'", "--help=1");
	USAGE("agtop: error: unrecognized arguments: --nope -z extra", "--nope", "-z", "extra");
	USAGE("agtop: error: unrecognized arguments: --interval", "--", "--interval");
	/* no terminal escape is echoed back */
	USAGE("agtop: error: unrecognized arguments: ?]0;x?", "\x1b]0;x\x07");
	USAGE("agtop: error: argument --help: ignored explicit argument '\\x1b[2J'",
	      "--help=\x1b[2J");
	USAGE("agtop: error: ambiguous option: --alert could match --alert-bw-sat-percent, "
	      "--alert-package-power-percent, --alert-swap-rise-gb, --alert-sustain-samples",
	      "--alert", "5");
	USAGE("agtop: error: ambiguous option: --re could match --record, --replay, --replay-speed",
	      "--re", "x");
	USAGE("agtop: error: argument --completions: invalid choice: 'tcsh' (choose from 'bash', "
	      "'zsh', 'fish')",
	      "--completions", "tcsh");
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
	/* an empty filter means no filter, and a later one replaces an earlier one */
	assert_int_equal(PARSE(&o, &err, "--proc-filter", "x", "--proc-filter", ""), OPTIONS_RUN);
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
			              "AGTOP_SUDO=/opt/sudo",
			              "AGTOP_POWERMETRICS=/opt/pm",
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
		assert_string_equal(o.pm_sudo, "/opt/sudo");
		assert_string_equal(o.pm_path, "/opt/pm");
		assert_string_equal(o.warnings, "");
		options_free(&o);
	}
	{
		const char *env[] = { "AGTOP_FORCE_POWERMETRICS=",
			              "AGTOP_COLOR_MODE=foo",
			              "AGTOP_GRADIENT=",
			              "AGTOP_EXPERIMENTAL_GRADIENT=1",
			              "NO_COLOR=off",
			              "AGTOP_PROCFS=",
			              NULL };
		fake_env = env;
		assert_int_equal(options_parse(&o, 1, argv, env_get, &err), OPTIONS_RUN);
		assert_false(o.force_powermetrics);
		assert_int_equal(o.color_mode, COLOR_MODE_AUTO);
		assert_string_equal(
		    o.warnings, "Warning: invalid AGTOP_COLOR_MODE='foo'; using auto detection.\n");
		/* an empty AGTOP_GRADIENT falls through to the legacy name */
		assert_int_equal(o.gradient, 1);
		assert_false(o.no_color);
		/* empty is unset */
		assert_string_equal(o.procfs, "/proc");
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

static void prometheus_and_headless(void **state)
{
	struct options o;
	struct error err;

	(void)state;
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
	USAGE("agtop: error: argument --prometheus: port must be in the range 0-65535 (0 = any "
	      "free port)",
	      "--prometheus", "65536");
	USAGE("agtop: error: ambiguous option: --prom could match --prometheus, "
	      "--prometheus-textfile, --prometheus-processes",
	      "--prom", "1");
}

/* opt_format writes what opt_apply reads back to the same value, for every option. */
static void every_value_reads_back(void **state)
{
	struct options o, back;
	struct error err;
	char buf[4200];

	(void)state;
	assert_int_equal(PARSE(&o, &err, "--interval", "0.3", "--color", "200", "--show-cores",
	                       "--core-view", "both", "--proc-filter", "a b|c", "--count", "9",
	                       "--replay", "/tmp/r", "--replay-speed", "2.5", "--prometheus",
	                       "[::1]:0", "--alert-swap-rise-gb", "0.1"),
	                 OPTIONS_RUN);
	options_init(&back);
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		if (!opt_format(&o, d, buf, sizeof buf))
			continue;
		if (opt_apply(&back, d, buf, &err))
			fail_msg("--%s '%s' does not read back: %s", d->name, buf, err.msg);
	}
	assert_true(back.interval == 0.3 && back.alert_swap_rise_gb == 0.1);
	assert_int_equal(back.color, 200);
	assert_true(back.show_cores);
	assert_int_equal(back.core_view, CORE_VIEW_BOTH);
	assert_string_equal(back.proc_filter, "a b|c");
	assert_true(back.has_proc_re);
	assert_int_equal(back.count, 9);
	assert_true(back.replay_speed == 2.5);
	assert_true(back.prometheus);
	assert_string_equal(back.prom_host, "::1");
	assert_int_equal(back.prom_port, 0);
	assert_true(back.gradient == -1 && back.color_mode == COLOR_MODE_AUTO);
	options_free(&back);
	options_free(&o);
}

/* The table itself: names in one spelling, lowercase placeholders, every field documented. */
static void the_table_is_consistent(void **state)
{
	(void)state;
	assert_true(opt_count <= OPTIONS_MAX);
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		assert_non_null(d->name);
		assert_non_null(d->help);
		assert_null(strchr(d->name, '_')); /* one spelling: hyphens */
		if (d->alias)
			assert_non_null(strchr(d->alias, '_'));
		if (d->metavar)
			for (const char *p = d->metavar; *p; p++)
				assert_false(isupper((unsigned char)*p));
		if (d->type == OPT_INT || d->type == OPT_DOUBLE)
			assert_true(d->what && d->min <= d->max);
		if (d->type == OPT_CHOICE)
			assert_non_null(d->choices);
		if (d->type == OPT_CUSTOM)
			assert_true(d->set && (d->get || (d->flags & OPTF_ENV_ONLY)));
		if (d->flags & OPTF_ENV_ONLY)
			assert_non_null(d->env);
		else
			assert_ptr_equal(opt_find(d->name), d);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(opt_defs[k].name, d->name);
	}
	assert_ptr_equal(opt_find("show_cores"), opt_find("show-cores"));
	assert_null(opt_find("AGTOP_PROCFS"));
	assert_null(opt_find("procfs")); /* the environment is not an option */
}

static char *help_text(void)
{
	struct strbuf b;

	sb_init(&b);
	optgen_help(&b);
	assert_false(b.oom);
	return b.buf;
}

/* --help from the table: every option with its lowercase placeholder or choices, under its
 * group; the aliases; the environment; the keys; nothing wider than 79 columns. */
static void help_lists_every_option(void **state)
{
	static const char usage[] = "usage: agtop [options]\n"
	                            "       agtop run [options] -- command [args...]\n\n";
	char *help = help_text(), label[160], want[200];
	const char *prev = help;

	(void)state;
	assert_true(strncmp(help, usage, sizeof usage - 1) == 0);
	for (const char *w = "Apple Silicon|Linux|live|record|replay|JSON|Prometheus|agtop run";
	     *w;) {
		size_t n = strcspn(w, "|");
		snprintf(want, sizeof want, "%.*s", (int)n, w);
		if (!strstr(help, want))
			fail_msg("--help does not say what agtop is: no %s", want);
		w += n + (w[n] == '|');
	}
	for (int g = 0; g < OPT_GROUP_COUNT; g++) {
		snprintf(want, sizeof want, "\n%s:\n", opt_group_names[g]);
		const char *at = strstr(help, want);
		if (!at || at < prev)
			fail_msg("--help lacks the group '%s' in its place", opt_group_names[g]);
		prev = at;
		for (size_t i = 0; i < opt_count; i++) {
			const struct opt_def *d = &opt_defs[i];
			const char *next;
			if ((int)d->group != g)
				continue;
			optgen_label(d, label, sizeof label);
			snprintf(want, sizeof want, "\n  %s ", label);
			next = strstr(at, want);
			if (!next) {
				snprintf(want, sizeof want, "\n  %s\n", label);
				next = strstr(at, want);
			}
			if (!next)
				fail_msg("--help lacks '%s' under %s", label, opt_group_names[g]);
			at = next;
			if (d->alias) {
				snprintf(want, sizeof want, "\n  --%s%*sthe same as --%s\n",
				         d->alias, (int)(24 - strlen(d->alias)), "", d->name);
				if (!strstr(help, want))
					fail_msg("--help does not give the alias %s", want);
			}
		}
	}
	assert_non_null(strstr(help, "--show-cores\n")); /* a flag: no placeholder */
	assert_non_null(strstr(help, "--core-view gauge|history|both"));
	assert_non_null(strstr(help, "--prometheus [[addr:]port]"));
	assert_non_null(strstr(help, "--interval seconds "));
	{ /* the dashboard's keys, from its keymap */
		size_t n;
		const struct key_def *k = ui_keymap(UI_NORMAL, &n);
		for (size_t i = 0; i < n; i++) {
			if (!k[i].name)
				continue;
			snprintf(want, sizeof want, "\n  %s ", k[i].name);
			if (!strstr(help, want))
				fail_msg("--help lacks the key %s", k[i].name);
		}
	}
	assert_non_null(strstr(help, "~/.config/agtop/agtop.conf"));
	snprintf(want, sizeof want, "agtop %s\n", AGTOP_VERSION);
	assert_string_equal(options_version(), want);
	for (const char *l = help; *l;) {
		size_t n = strcspn(l, "\n");
		if (n > 79)
			fail_msg("--help line wider than 79 columns: %.*s", (int)n, l);
		l += n + (l[n] == '\n');
	}
	free(help);
}

/* One option's spelling as the manual page writes it: every '-' as "\-". */
static void man_spelling(const char *opt, char *out, size_t size)
{
	size_t o = 0;

	for (const char *c = opt; *c && o + 3 < size; c++) {
		if (*c == '-')
			out[o++] = '\\';
		out[o++] = *c;
	}
	out[o] = '\0';
}

static void documented(const char *man, const char *readme, const char *name)
{
	char inman[160], inreadme[96];

	man_spelling(name, inman, sizeof inman);
	snprintf(inreadme, sizeof inreadme, "`%s", name);
	if (!strstr(man, inman))
		fail_msg("docs/agtop.1 does not document %s", name);
	if (!strstr(readme, inreadme))
		fail_msg("README.md does not list %s", name);
}

/* Every entry of the table (option, alias, environment variable) is in the manual page and
 * the README; the config file is in the manual's FILES section. */
static void manual_and_readme_list_every_option(void **state)
{
	char *man = read_file(AGTOP_SOURCE_DIR "/docs/agtop.1", NULL);
	char *readme = read_file(AGTOP_SOURCE_DIR "/README.md", NULL);
	char name[96];
	const char *files;

	(void)state;
	assert_non_null(man);
	assert_non_null(readme);
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		if (d->flags & OPTF_ENV_ONLY) {
			documented(man, readme, d->env);
			continue;
		}
		snprintf(name, sizeof name, "--%s", d->name);
		documented(man, readme, name);
		if (d->alias) {
			snprintf(name, sizeof name, "--%s", d->alias);
			documented(man, readme, name);
		}
	}
	files = strstr(man, "\n.SH FILES\n");
	assert_non_null(files);
	assert_non_null(strstr(files, "agtop.conf"));
	assert_non_null(strstr(readme, "agtop.conf"));
	free(man);
	free(readme);
}

/* The process list and the panels as `w` saves them: --sort names a column (every column,
 * and nothing else), --sort-reverse and --tree are flags, --hide takes panel names separated
 * by commas (blanks allowed), each written back as it was read. */
static void sort_tree_and_hidden_panels(void **state)
{
	struct options o;
	struct error err;
	char buf[64];
	size_t n = 0;

	(void)state;
	for (; opt_sort_keys[n]; n++)
		assert_true(proc_field_parse(opt_sort_keys[n]) >= 0);
	assert_int_equal(n, PF_COUNT); /* every column can be the sort */
	assert_int_equal(
	    PARSE(&o, &err, "--sort", "gpu", "--sort-reverse", "--tree", "--hide", "cpu, power"),
	    OPTIONS_RUN);
	assert_string_equal(opt_sort_keys[o.sort], "gpu");
	assert_true(o.sort_reverse && o.tree);
	assert_int_equal(o.hide_panels, (1u << 0) | (1u << 3));
	for (size_t i = 0; i < opt_count; i++)
		if (!strcmp(opt_defs[i].name, "hide")) {
			assert_true(opt_defs[i].get(&o, buf, sizeof buf));
			assert_string_equal(buf, "cpu,power");
		}
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--hide", ""), OPTIONS_RUN);
	assert_int_equal(o.hide_panels, 0);
	assert_string_equal(opt_sort_keys[o.sort], "cpu"); /* the default */
	assert_false(o.sort_reverse || o.tree);
	options_free(&o);
	USAGE("agtop: error: argument --hide: invalid panel 'disk' (choose from 'cpu', 'gpu', "
	      "'memory', "
	      "'power', 'processes')",
	      "--hide", "cpu,disk");
}

/* The top of a long, 2^63 - 1, is no double: --count 9223372036854775807 is that long exactly
 * (it was converted through a double and back, undefined behaviour that fuzz_config found), and
 * one more is "too large". */
static void the_largest_count_is_exact(void **state)
{
	struct options o;
	struct error err;

	(void)state;
	if (PARSE(&o, &err, "--count", "9223372036854775807") != OPTIONS_RUN)
		fail_msg("%s", err.msg);
	assert_true(o.count == LONG_MAX);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--max-count", "1000000000"), OPTIONS_RUN);
	assert_int_equal(o.max_count, 1000000000); /* an int's range top */
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, "--count", "9223372036854775808"), OPTIONS_USAGE);
	options_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_match_the_original),
		cmocka_unit_test(every_option_takes_its_value),
		cmocka_unit_test(aliases_and_argparse_forms),
		cmocka_unit_test(max_count_minus_one_is_refused),
		cmocka_unit_test(swap_rise_inf_is_refused),
		cmocka_unit_test(blanks_around_a_number_are_one_rule),
		cmocka_unit_test(prometheus_empty_value_mentions_no_equals_sign),
		cmocka_unit_test(both_ends_of_every_range_are_accepted),
		cmocka_unit_test(usage_errors_say_what_is_wrong),
		cmocka_unit_test(threshold_range_includes_both_ends),
		cmocka_unit_test(sort_tree_and_hidden_panels),
		cmocka_unit_test(the_largest_count_is_exact),
		cmocka_unit_test(proc_filter_is_a_case_insensitive_ere),
		cmocka_unit_test(environment),
		cmocka_unit_test(prometheus_and_headless),
		cmocka_unit_test(every_value_reads_back),
		cmocka_unit_test(the_table_is_consistent),
		cmocka_unit_test(help_lists_every_option),
		cmocka_unit_test(manual_and_readme_list_every_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
