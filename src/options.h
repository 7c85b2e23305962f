/* options.h - command line and environment, with the original's names, defaults, validation
 * and messages (argparse style: "agtop: error: argument --x: message", exit code 2). */
#ifndef AGTOP_OPTIONS_H
#define AGTOP_OPTIONS_H

#include <regex.h>
#include <stdbool.h>

#include "error.h"

#include "version.h"

enum core_view { CORE_VIEW_GAUGE = 0, CORE_VIEW_HISTORY, CORE_VIEW_BOTH };
enum power_scale { POWER_SCALE_AUTO = 0, POWER_SCALE_PROFILE };
/* AGTOP_COLOR_MODE; AUTO means detect from NO_COLOR, TERM, COLORTERM and terminfo. */
enum color_mode {
	COLOR_MODE_AUTO = 0,
	COLOR_MODE_MONO,
	COLOR_MODE_BASIC,
	COLOR_MODE_256,
	COLOR_MODE_TRUECOLOR
};

struct options {
	/* the original's options */
	double interval; /* seconds, >= 0.1 */
	int color;       /* palette index 0-255 (0-8 are the documented themes) */
	int avg;         /* rolling-average window, seconds */
	bool show_cores;
	enum core_view core_view;
	int max_count; /* restart the sampler every N samples; <= 0 never */
	enum power_scale power_scale;
	char proc_filter[1024]; /* "" = no filter */
	regex_t proc_re;        /* compiled proc_filter (valid when has_proc_re) */
	bool has_proc_re;
	int alert_bw_sat_percent;
	int alert_package_power_percent;
	double alert_swap_rise_gb;
	int alert_sustain_samples;

	/* headless outputs, record and replay */
	bool json;
	long count;                    /* stop after N samples; 0 = run until stopped */
	char record[4096];             /* "" = not recording */
	char replay[4096];             /* "" = live source */
	double replay_speed;           /* 1 = recorded pace, 0 = as fast as possible */
	char dump_ioreport[4096];      /* --dump-ioreport FILE (macOS) */
	char decode_dump[4096];        /* --decode-dump FILE (everywhere) */
	char powermetrics_input[4096]; /* --powermetrics-input FILE ("-" stdin), "" = none */
	char prom_textfile[4096];      /* --prometheus-textfile PATH, "" = none */
	int prom_processes;            /* --prometheus-processes N: top N processes, 0 none */
	bool prometheus;               /* --prometheus [ADDR:]PORT: serve /metrics */
	char prom_host[256];           /* its address (default 127.0.0.1), without brackets */
	int prom_port;                 /* its port (default 9776; 0 = any free one) */
	bool headless;                 /* --headless: no dashboard */

	/* environment */
	bool force_powermetrics;    /* AGTOP_FORCE_POWERMETRICS non-empty */
	enum color_mode color_mode; /* AGTOP_COLOR_MODE */
	int gradient;               /* AGTOP_GRADIENT: -1 unset (follow colour), 0 off, 1 on */
	bool no_color;              /* NO_COLOR set to a true value */
	char procfs[1024];          /* AGTOP_PROCFS, default /proc (Linux) */
	char sysfs[1024];           /* AGTOP_SYSFS, default /sys (Linux) */
	char pm_sudo[1024];         /* AGTOP_SUDO, default /usr/bin/sudo */
	char pm_path[1024];         /* AGTOP_POWERMETRICS, default /usr/bin/powermetrics */
	char warnings[512];         /* non-fatal messages for stderr, one per line */
};

enum options_result {
	OPTIONS_RUN = 0, /* run agtop with these options */
	OPTIONS_HELP,    /* -h/--help: print options_help() to stdout, exit 0 */
	OPTIONS_VERSION, /* --version: print options_version() to stdout, exit 0 */
	OPTIONS_USAGE,   /* bad usage: print options_usage() then err->msg to stderr, exit 2 */
};

typedef const char *(*options_getenv_fn)(const char *name);

/* Parses argv[1..argc) and the environment (through env, so tests can inject one). On
 * OPTIONS_USAGE, err->msg holds the complete "agtop: error: ..." line. */
enum options_result options_parse(struct options *o, int argc, char **argv, options_getenv_fn env,
                                  struct error *err);
void options_free(struct options *o);

/* Parses --prometheus's [ADDR:]PORT: "9776", "0.0.0.0:9776", "[::1]:9776", "localhost:9776".
 * NULL (the option without a value) is the default, 127.0.0.1:9776. err->msg says what is
 * wrong (without the "argument" prefix). */
int options_parse_listen(const char *spec, char *host, size_t host_size, int *port,
                         struct error *err);

/* The process filter, applied to a full command line. True when there is no filter. */
bool options_proc_match(const struct options *o, const char *cmdline);

/* Compiles a case-insensitive POSIX extended regex; on failure err->msg is the regcomp text. */
int options_compile_filter(regex_t *re, const char *pattern, struct error *err);

const char *options_usage(void);
const char *options_help(void);
const char *options_version(void);

#endif
