/* options.h - agtop's settings: one table (opt_defs[]) drives the command line, the environment,
 * the config file (config.h), --help and the shell completions (optgen.h). Layers apply in the
 * order defaults -> config file -> environment -> command line, each through opt_apply(); then
 * the rules between options are checked once. */
#ifndef AGTOP_OPTIONS_H
#define AGTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "procsel.h"

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
/* --completions SHELL */
#define OPTIONS_MAX 64 /* entries in opt_defs[], at most */
enum opt_layer { OPT_LAYER_DEFAULT = 0, OPT_LAYER_CONFIG, OPT_LAYER_ENV, OPT_LAYER_ARGV };
enum opt_shell { OPT_SHELL_BASH = 0, OPT_SHELL_ZSH, OPT_SHELL_FISH };

struct options {
	/* the original's options */
	double interval; /* seconds, 0.1-86400 */
	int color;       /* palette index 0-255 (0-8 are the documented themes) */
	int avg;         /* rolling-average window, seconds */
	bool show_cores;
	enum core_view core_view;
	int max_count; /* restart the sampler every N samples; 0 never */
	enum power_scale power_scale;
	char proc_filter[1024];    /* "" = no filter */
	struct procsel_re proc_re; /* compiled proc_filter (valid when has_proc_re) */
	bool has_proc_re;
	int sort;             /* the process list's column: an index into opt_sort_keys[] */
	bool sort_reverse;    /* the other way round from that column's usual order */
	bool tree;            /* the process list as a tree, each process under its parent */
	unsigned hide_panels; /* bit i: opt_panel_names[i] hidden (enum view_panel's order) */
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
	bool summary;                  /* --summary: a recording's cost, not its samples */
	bool dashboard;                /* --dashboard: agtop run shows the dashboard */

	/* environment */
	bool force_powermetrics;    /* AGTOP_FORCE_POWERMETRICS non-empty */
	enum color_mode color_mode; /* AGTOP_COLOR_MODE */
	int gradient;               /* AGTOP_GRADIENT: -1 unset (follow colour), 0 off, 1 on */
	bool no_color;              /* NO_COLOR set to a true value */
	char procfs[1024];          /* AGTOP_PROCFS, default /proc (Linux) */
	char sysfs[1024];           /* AGTOP_SYSFS, default /sys (Linux) */
	char pm_sudo[1024];         /* AGTOP_SUDO, default /usr/bin/sudo */
	char pm_path[1024];         /* AGTOP_POWERMETRICS, default /usr/bin/powermetrics */
	char nvml_library[1024];    /* AGTOP_NVML_LIBRARY, default libnvidia-ml.so.1 (Linux) */

	/* the settings file and one-shot actions */
	char config_path[4096]; /* the config file read and written (config_save); "" = none */
	bool no_config;         /* --no-config */
	bool write_config;      /* --write-config */
	enum opt_shell completions;
	char warnings[1024]; /* non-fatal messages for stderr, one per line */

	/* per opt_defs[] entry: the layer that set it last (enum opt_layer), and the config-file
	 * line that set it (0: none; kept when a later layer overrides it) */
	unsigned char set_by[OPTIONS_MAX];
	unsigned config_line[OPTIONS_MAX];
};

enum options_result {
	OPTIONS_RUN = 0,      /* run agtop with these options */
	OPTIONS_HELP,         /* -h/--help: print optgen_help() to stdout, exit 0 */
	OPTIONS_VERSION,      /* --version: print options_version() to stdout, exit 0 */
	OPTIONS_USAGE,        /* bad usage: print err->msg and "see agtop --help", exit 2 */
	OPTIONS_COMPLETIONS,  /* --completions SHELL: print optgen_completion(), exit 0 */
	OPTIONS_WRITE_CONFIG, /* --write-config: config_save() the settings, exit */
};

typedef const char *(*options_getenv_fn)(const char *name);

/* Parses argv[1..argc), the config file and the environment (through env, so tests can inject
 * one: HOME and XDG_CONFIG_HOME locate the config file). On OPTIONS_USAGE, err->msg is one
 * line, "agtop: error: ...". Problems in the config file and the environment do not stop agtop:
 * each is a line in o->warnings, and every other setting is kept. */
enum options_result options_parse(struct options *o, int argc, char **argv, options_getenv_fn env,
                                  struct error *err);
void options_free(struct options *o);

/* Does what r asks for other than a run: prints the help, the version or a completion script
 * to standard output, saves the settings (config_save), or prints a usage error (err->msg and
 * "see agtop --help") to standard error. Returns the exit code (0, 1, or 2 for usage). */
int options_act(enum options_result r, struct options *o, const struct error *err);

/* Every setting at its default (what options_parse starts from). */
void options_init(struct options *o);
/* Adds a line to o->warnings (printf format; the newline is added). */
void options_warn(struct options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The process filter, applied to a full command line. True when there is no filter. */
bool options_proc_match(const struct options *o, const char *cmdline);

/* Compiles a process filter (procsel.h); on failure err->msg is PCRE2's reason. */
int options_compile_filter(struct procsel_re *re, const char *pattern, struct error *err);

const char *options_version(void);

/* --sort's words: the process columns by their names (procfield.c), NULL-ended */
extern const char *const opt_sort_keys[];
/* --hide's words: the panels keys 1-5 show and hide, in that order, NULL-ended */
extern const char *const opt_panel_names[];

/* ---- the table ---- */

enum opt_type {
	OPT_ACTION, /* does something and exits (--help, --version) */
	OPT_FLAG,   /* bool; on the command line alone = yes, or --name=yes|no */
	OPT_INT,    /* int or long field (by size), decimal, within [min, max] */
	OPT_DOUBLE, /* finite decimal number within [min, max] */
	OPT_CHOICE, /* one of choices[], stored as its index */
	OPT_PATH,   /* a non-empty file name */
	OPT_CUSTOM, /* parsed by set() */
};

/* help sections, in the order --help prints them */
enum opt_group {
	OPT_GROUP_DASHBOARD = 0,
	OPT_GROUP_ALERTS,
	OPT_GROUP_OUTPUT,
	OPT_GROUP_PROMETHEUS,
	OPT_GROUP_SOURCE,
	OPT_GROUP_SETTINGS,
	OPT_GROUP_GENERAL,
	OPT_GROUP_ENV, /* environment variables, not options */
	OPT_GROUP_COUNT
};

enum opt_complete { OPT_COMPLETE_NONE = 0, OPT_COMPLETE_FILE, OPT_COMPLETE_WORDS };

#define OPTF_ENV_ONLY  0x01 /* an environment variable only: no option, no config key */
#define OPTF_NO_CONFIG 0x02 /* not allowed in the config file (actions, the file itself) */
#define OPTF_SAVE      0x04 /* a lasting setting: config_write writes it */
#define OPTF_OPT_VALUE 0x08 /* the value may be left out (argparse nargs='?') */
#define OPTF_EARLY     0x10 /* applied before the config file is read (--config, --no-config) */

enum opt_action { OPT_ACT_NONE = 0, OPT_ACT_HELP, OPT_ACT_VERSION, OPT_ACT_COMPLETIONS };

struct opt_def {
	const char *name;  /* the one spelling, without "--"; also the config key */
	const char *alias; /* the original agtop's spelling, accepted everywhere, or NULL */
	char short_name;   /* 'h', or 0 */
	enum opt_type type;
	enum opt_group group;
	unsigned flags;   /* OPTF_* */
	size_t off, size; /* the field in struct options (size: bytes, for paths and ints) */
	double min, max;  /* OPT_INT, OPT_DOUBLE; max INFINITY: whatever the field holds */
	const char *const *choices; /* OPT_CHOICE: NULL-ended */
	const char *def;     /* the default as a user writes it (applied through opt_apply) */
	const char *metavar; /* lowercase placeholder in --help; NULL for flags (and choices: --help
	                        lists them) */
	const char *what;    /* the noun in messages: "interval", "threshold" */
	const char *unit;    /* after a number in messages and help: " seconds", or "" */
	const char *help;    /* what it does, for --help and the config file's comments */
	const char *env;     /* the environment variable that sets it, or NULL */
	const char *env_alias; /* an older name read when env is unset or empty */
	enum opt_complete complete;
	const char *words; /* OPT_COMPLETE_WORDS: what the completions offer, space-separated */
	enum opt_action action;
	/* OPT_CUSTOM: parses a value; writes the current one back (false: nothing to write) */
	int (*set)(struct options *o, const char *val, struct error *err);
	bool (*get)(const struct options *o, char *buf, size_t size);
};

extern const struct opt_def opt_defs[];
extern const size_t opt_count;
/* names of the --help sections, by enum opt_group */
extern const char *const opt_group_names[OPT_GROUP_COUNT];

/* The option whose name or alias is exactly name (no "--"), or NULL. Environment-only entries
 * are not found. */
const struct opt_def *opt_find(const char *name);

/* Sets d's field from val as a user wrote it (NULL: the option without a value). err->msg says
 * what is wrong, without the option's name. The one path for defaults, the config file, the
 * environment and the command line. */
int opt_apply(struct options *o, const struct opt_def *d, const char *val, struct error *err);

/* s quoted as Python's repr() quotes it (argparse shows bad values so): 'x', or "x'y" when s
 * holds a quote; control characters escaped (\n, \x1b), so a message never carries them to a
 * terminal; cut to fit size. */
void opt_quote(char *out, size_t size, const char *s);

/* d's current value as a user would write it, to read back through opt_apply; false when d has
 * no value to write (an action, a path or filter that is not set, --prometheus off). */
bool opt_format(const struct options *o, const struct opt_def *d, char *buf, size_t size);

#endif
