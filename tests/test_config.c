/* test_config.c - the settings file: where it is, how its lines apply between the defaults and
 * the command line, what a malformed line costs (that line only), and how agtop writes it */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
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

#define ARGC(...) (int)(sizeof((char *[]){ "agtop", __VA_ARGS__ }) / sizeof(char *))
#define PARSE(o, err, env, ...)                                \
	(fake_env = (env), options_parse(o, ARGC(__VA_ARGS__), \
	                                 (char *[]){ "agtop", __VA_ARGS__, NULL }, env_get, err))

static char tmp[PATH_MAX], home_env[PATH_MAX + 8], conf[PATH_MAX];

static int setup(void **state)
{
	char *d = tmp_dir();

	(void)state;
	assert_non_null(d);
	snprintf(tmp, sizeof tmp, "%s", d);
	free(d);
	snprintf(home_env, sizeof home_env, "HOME=%s", tmp);
	snprintf(conf, sizeof conf, "%s/.config/agtop/agtop.conf", tmp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmp_cleanup(tmp);
	return 0;
}

static void write_conf(const char *text)
{
	assert_int_equal(write_file(tmp, ".config/agtop/agtop.conf", text), 0);
}

static void default_location(void **state)
{
	char path[256];

	(void)state;
	fake_env = (const char *[]){ "HOME=/home/u", NULL };
	assert_true(config_default_path(env_get, path, sizeof path));
	assert_string_equal(path, "/home/u/.config/agtop/agtop.conf");
	fake_env = (const char *[]){ "HOME=/home/u", "XDG_CONFIG_HOME=/x/cfg", NULL };
	assert_true(config_default_path(env_get, path, sizeof path));
	assert_string_equal(path, "/x/cfg/agtop/agtop.conf");
	/* a relative XDG_CONFIG_HOME is invalid (XDG base directory spec) */
	fake_env = (const char *[]){ "HOME=/home/u", "XDG_CONFIG_HOME=cfg", NULL };
	assert_true(config_default_path(env_get, path, sizeof path));
	assert_string_equal(path, "/home/u/.config/agtop/agtop.conf");
	fake_env = (const char *[]){ "HOME=", NULL };
	assert_false(config_default_path(env_get, path, sizeof path));
	fake_env = NULL;
	assert_false(config_default_path(env_get, path, sizeof path));
}

/* defaults -> config file -> command line, through the one option table */
static void the_file_sits_between_defaults_and_options(void **state)
{
	const char *env[] = { home_env, NULL };
	struct options o;
	struct error err;

	(void)state;
	write_conf("# my settings\n"
	           "interval = 0.5\n"
	           "\n"
	           "  color=4  \n"
	           "show-cores = yes\n"
	           "max_count = 9\n" /* the original's spelling works here too */
	           "core-view = history\n"
	           "proc-filter = \" python \"\n"
	           "alert-swap-rise-gb = 1.25\r\n");
	assert_int_equal(PARSE(&o, &err, env, "--color", "6"), OPTIONS_RUN);
	assert_string_equal(o.warnings, "");
	assert_string_equal(o.config_path, conf);
	assert_true(o.interval == 0.5);
	assert_int_equal(o.color, 6); /* the command line wins */
	assert_true(o.show_cores);
	assert_int_equal(o.max_count, 9);
	assert_int_equal(o.core_view, CORE_VIEW_HISTORY);
	assert_string_equal(o.proc_filter, " python ");
	assert_true(o.alert_swap_rise_gb == 1.25);
	assert_int_equal(o.alert_sustain_samples, 3); /* not in the file: the default */
	assert_int_equal(o.set_by[opt_find("interval") - opt_defs], OPT_LAYER_CONFIG);
	assert_int_equal(o.config_line[opt_find("interval") - opt_defs], 2);
	assert_int_equal(o.set_by[opt_find("color") - opt_defs], OPT_LAYER_ARGV);
	options_free(&o);
	/* a flag the file turned on, turned off on the command line */
	assert_int_equal(PARSE(&o, &err, env, "--show-cores=no"), OPTIONS_RUN);
	assert_false(o.show_cores);
	options_free(&o);
	/* --no-config: the defaults */
	assert_int_equal(PARSE(&o, &err, env, "--no-config"), OPTIONS_RUN);
	assert_true(o.interval == 1.0);
	assert_string_equal(o.config_path, "");
	options_free(&o);
	/* XDG_CONFIG_HOME, when set, is where the file is */
	{
		char xdg[PATH_MAX + 32];
		const char *env2[] = { home_env, xdg, NULL };
		snprintf(xdg, sizeof xdg, "XDG_CONFIG_HOME=%s/xdg", tmp);
		assert_int_equal(write_file(tmp, "xdg/agtop/agtop.conf", "avg = 7\n"), 0);
		assert_int_equal(PARSE(&o, &err, env2, "--json"), OPTIONS_RUN);
		assert_int_equal(o.avg, 7);
		assert_true(o.interval == 1.0);
		options_free(&o);
	}
}

/* A malformed line is reported with FILE:LINE; every other line still applies. */
static void a_malformed_line_costs_only_itself(void **state)
{
	const char *env[] = { home_env, NULL };
	char want[4096];
	struct options o;
	struct error err;

	(void)state;
	write_conf("interval = 0.5\n"
	           "this is not a setting\n"
	           "color = 300\n"
	           "colour = 3\n"
	           "avg = 12\n"
	           "help = yes\n"
	           "procfs = /tmp\n"
	           "show-cores = maybe\n"
	           "alert-sustain-samples = 5\n"
	           "\x1b]0;title\x07\n");
	assert_int_equal(PARSE(&o, &err, env, "--json"), OPTIONS_RUN);
	assert_true(o.interval == 0.5);
	assert_int_equal(o.avg, 12);
	assert_int_equal(o.alert_sustain_samples, 5);
	assert_int_equal(o.color, 2);
	assert_false(o.show_cores);
	assert_string_equal(o.procfs, "/proc");
	snprintf(want, sizeof want,
	         "agtop: %1$s:2: expected name = value, got 'this is not a setting'; line ignored\n"
	         "agtop: %1$s:3: color: color must be in the range 0-255, got '300'; line "
	         "ignored\n"
	         "agtop: %1$s:4: unknown setting 'colour' (the names are agtop's long options, "
	         "without --); line ignored\n"
	         "agtop: %1$s:6: --help cannot be set in the config file; line ignored\n"
	         "agtop: %1$s:7: unknown setting 'procfs' (the names are agtop's long options, "
	         "without --); line ignored\n"
	         "agtop: %1$s:8: show-cores: expected yes or no (true/false, on/off, 1/0), got "
	         "'maybe'; line ignored\n"
	         /* no terminal escape reaches stderr */
	         "agtop: %1$s:10: expected name = value, got '\\x1b]0;title\\x07'; line "
	         "ignored\n",
	         conf);
	assert_string_equal(o.warnings, want);
	options_free(&o);
}

static void odd_bytes_and_long_lines(void **state)
{
	static const char text[] = "interval = 2\n"
	                           "color = 1\0 2\n"
	                           "avg = 3";
	char *big = malloc(CONFIG_MAX_LINE + 64);
	struct options o;
	struct error err;

	(void)state;
	options_init(&o);
	assert_int_equal(config_apply(&o, text, sizeof text - 1, "f", &err), 1);
	assert_string_equal(err.msg, "f:2: line holds a NUL byte");
	assert_true(o.interval == 2.0);
	assert_int_equal(o.avg, 3); /* the last line needs no newline */
	assert_int_equal(o.color, 2);
	options_free(&o);

	memset(big, 'x', CONFIG_MAX_LINE + 10);
	memcpy(big + CONFIG_MAX_LINE + 10, "\navg = 4\n", 10);
	options_init(&o);
	assert_int_equal(config_apply(&o, big, strlen(big), "f", &err), 1);
	assert_string_equal(err.msg, "f:1: line too long");
	assert_int_equal(o.avg, 4);
	options_free(&o);
	free(big);
}

static void a_config_file_that_cannot_be_read(void **state)
{
	const char *env[] = { home_env, NULL };
	char path[PATH_MAX + 16], want[PATH_MAX + 128];
	struct options o;
	struct error err;

	(void)state;
	/* a folder where the file should be: a warning, then the defaults */
	snprintf(path, sizeof path, "%s/dir.conf", tmp);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(PARSE(&o, &err, env, "--config", path), OPTIONS_USAGE);
	snprintf(want, sizeof want,
	         "agtop: error: argument --config: cannot read %s: not a regular file", path);
	assert_string_equal(err.msg, want);
	options_free(&o);
	/* a --config file that does not exist is a mistake; the default one is not */
	snprintf(path, sizeof path, "%s/none.conf", tmp);
	assert_int_equal(PARSE(&o, &err, env, "--config", path), OPTIONS_USAGE);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, env, "--config", path, "--write-config"),
	                 OPTIONS_WRITE_CONFIG);
	assert_string_equal(o.config_path, path);
	options_free(&o);
	unlink(conf);
	assert_int_equal(PARSE(&o, &err, env, "--json"), OPTIONS_RUN);
	assert_string_equal(o.warnings, "");
	assert_string_equal(o.config_path, conf); /* where a save goes */
	options_free(&o);
}

/* A rule between options broken by the file names the file and line. */
static void rules_between_options_name_the_line(void **state)
{
	const char *env[] = { home_env, NULL };
	char want[PATH_MAX + 256];
	struct options o;
	struct error err;

	(void)state;
	write_conf("# a replay pace, but no replay\nreplay-speed = 2\n");
	assert_int_equal(PARSE(&o, &err, env, "--json"), OPTIONS_USAGE);
	snprintf(want, sizeof want,
	         "agtop: error: argument --replay-speed: only meaningful with --replay or "
	         "--powermetrics-input (set in %s:2)",
	         conf);
	assert_string_equal(err.msg, want);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, env, "--replay", "x.jsonl"), OPTIONS_RUN);
	assert_true(o.replay_speed == 2.0);
	options_free(&o);
}

static char *format(const struct options *o)
{
	struct strbuf b;
	struct error err;

	sb_init(&b);
	if (config_format(o, &b, &err))
		fail_msg("config_format: %s", err.msg);
	return b.buf;
}

/* What is written reads back to the same settings; this run's outputs stay comments. */
static void the_written_file_reads_back(void **state)
{
	const char *env[] = { home_env, NULL };
	struct options o, back;
	struct error err;
	char *text;

	(void)state;
	write_conf("count = 5\n");
	assert_int_equal(PARSE(&o, &err, env, "--interval", "0.25", "--color", "7", "--show_cores",
	                       "--proc-filter", " a|b", "--record", "/tmp/x.jsonl", "--json",
	                       "--alert-bw-sat-percent", "100"),
	                 OPTIONS_RUN);
	text = format(&o);
	assert_non_null(strstr(text, "\ninterval = 0.25\n"));
	assert_non_null(strstr(text, "\ncolor = 7\n"));
	assert_non_null(strstr(text, "\nshow-cores = yes\n"));
	assert_non_null(strstr(text, "\nproc-filter = \" a|b\"\n"));
	assert_non_null(strstr(text, "\nalert-bw-sat-percent = 100\n"));
	assert_non_null(strstr(text, "\n# record = /tmp/x.jsonl\n"));
	assert_non_null(strstr(text, "\n# json = yes\n"));
	assert_non_null(strstr(text, "\ncount = 5\n")); /* the file's own line stays */
	assert_non_null(strstr(text, "# (also accepted: show_cores, the original agtop's "
	                             "spelling)\n"));
	assert_null(strstr(text, "help ="));
	assert_null(strstr(text, "config ="));
	assert_null(strstr(text, "AGTOP_"));
	options_init(&back);
	assert_int_equal(config_apply(&back, text, strlen(text), "written", &err), 0);
	assert_true(back.interval == 0.25);
	assert_int_equal(back.color, 7);
	assert_true(back.show_cores);
	assert_string_equal(back.proc_filter, " a|b");
	assert_int_equal(back.alert_bw_sat_percent, 100);
	assert_int_equal(back.count, 5);
	assert_string_equal(back.record, "");
	assert_false(back.json);
	options_free(&back);
	free(text);
	/* a value that cannot be one line */
	{
		struct strbuf b;
		strcpy(o.replay, "a\nb");
		o.config_line[opt_find("replay") - opt_defs] = 1;
		sb_init(&b);
		assert_int_equal(config_format(&o, &b, &err), -1);
		assert_string_equal(err.msg, "replay: a value with control characters cannot be "
		                             "written to the config file");
		sb_free(&b);
	}
	options_free(&o);
}

static mode_t file_mode(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void written_atomically_and_never_through_a_link(void **state)
{
	char path[PATH_MAX + 32], target[PATH_MAX + 32], *text;
	struct options o;
	struct error err;
	mode_t mask = umask(022);

	(void)state;
	options_init(&o);
	o.interval = 0.5;
	/* new: its folders made (0700), the file 0644 less the umask */
	snprintf(path, sizeof path, "%s/new/deeper/agtop.conf", tmp);
	assert_int_equal(config_write(&o, path, &err), 0);
	assert_int_equal(file_mode(path) & 07777, 0644);
	snprintf(target, sizeof target, "%s/new/deeper", tmp);
	assert_int_equal(file_mode(target) & 07777, 0700);
	text = read_file(path, NULL);
	assert_non_null(strstr(text, "\ninterval = 0.5\n"));
	free(text);
	/* an existing file keeps its permissions */
	assert_int_equal(chmod(path, 0600), 0);
	o.interval = 2;
	assert_int_equal(config_write(&o, path, &err), 0);
	assert_int_equal(file_mode(path) & 07777, 0600);
	assert_int_equal(entries(target), 1); /* no temporary file left beside it */
	/* a symbolic link is neither followed nor replaced */
	snprintf(target, sizeof target, "%s/precious", tmp);
	assert_int_equal(write_file(tmp, "precious", "keep me\n"), 0);
	snprintf(path, sizeof path, "%s/link.conf", tmp);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(config_write(&o, path, &err), -1);
	assert_non_null(strstr(err.msg, "is a symbolic link"));
	assert_true(S_ISLNK(file_mode(path)));
	text = read_file(target, NULL);
	assert_string_equal(text, "keep me\n");
	free(text);
	/* nor anything that is not a regular file */
	snprintf(path, sizeof path, "%s/fifo.conf", tmp);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(config_write(&o, path, &err), -1);
	assert_non_null(strstr(err.msg, "is not a regular file; not replaced"));
	assert_true(S_ISFIFO(file_mode(path)));
	options_free(&o);
	umask(mask);
}

/* Saving over a file with a malformed line would lose that line: refused. */
static void a_file_agtop_cannot_read_whole_is_not_overwritten(void **state)
{
	char want[PATH_MAX + 128], *text;
	struct options o;
	struct error err;

	(void)state;
	write_conf("interval = 0.5\nmy own note without a hash\n");
	options_init(&o);
	assert_int_equal(config_write(&o, conf, &err), -1);
	snprintf(want, sizeof want,
	         "%s:2: expected name = value, got 'my own note without a hash'; fix or remove "
	         "that line first (saving would lose it)",
	         conf);
	assert_string_equal(err.msg, want);
	text = read_file(conf, NULL);
	assert_string_equal(text, "interval = 0.5\nmy own note without a hash\n");
	free(text);
	options_free(&o);
}

/* --write-config: the settings after every layer, saved where they were read from. */
static void write_config_saves_what_the_options_say(void **state)
{
	const char *env[] = { home_env, NULL };
	struct options o;
	struct error err;

	(void)state;
	unlink(conf);
	assert_int_equal(
	    PARSE(&o, &err, env, "--avg", "45", "--core-view", "both", "--write-config"),
	    OPTIONS_WRITE_CONFIG);
	assert_int_equal(config_save(&o, &err), 0);
	options_free(&o);
	assert_int_equal(PARSE(&o, &err, env, "--json"), OPTIONS_RUN);
	assert_string_equal(o.warnings, "");
	assert_int_equal(o.avg, 45);
	assert_int_equal(o.core_view, CORE_VIEW_BOTH);
	options_free(&o);
	/* with --no-config there is nowhere to save */
	assert_int_equal(PARSE(&o, &err, env, "--no-config", "--write-config"),
	                 OPTIONS_WRITE_CONFIG);
	assert_int_equal(config_save(&o, &err), -1);
	assert_string_equal(err.msg, "no config file: agtop runs with --no-config");
	options_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_location),
		cmocka_unit_test_setup_teardown(the_file_sits_between_defaults_and_options, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(a_malformed_line_costs_only_itself, setup,
		                                teardown),
		cmocka_unit_test(odd_bytes_and_long_lines),
		cmocka_unit_test_setup_teardown(a_config_file_that_cannot_be_read, setup, teardown),
		cmocka_unit_test_setup_teardown(rules_between_options_name_the_line, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(the_written_file_reads_back, setup, teardown),
		cmocka_unit_test_setup_teardown(written_atomically_and_never_through_a_link, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(a_file_agtop_cannot_read_whole_is_not_overwritten,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(write_config_saves_what_the_options_say, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
