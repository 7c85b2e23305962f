/* opt_table.c - the one list of agtop's settings (struct opt_def, options.h), and the few
 * whose values have a syntax of their own. Everything else about an option (parsing, --help,
 * the config file, the completions) is derived from this table. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "util/addr.h"
#include "util/str.h"

#define FIELD(f) .off = offsetof(struct options, f), .size = sizeof(((struct options *)0)->f)

static int set_proc_filter(struct options *o, const char *v, struct error *err);
static int set_prometheus(struct options *o, const char *v, struct error *err);
static int set_force_pm(struct options *o, const char *v, struct error *err);
static int set_color_mode(struct options *o, const char *v, struct error *err);
static int set_gradient(struct options *o, const char *v, struct error *err);
static int set_no_color(struct options *o, const char *v, struct error *err);
static bool get_proc_filter(const struct options *o, char *buf, size_t size);
static bool get_prometheus(const struct options *o, char *buf, size_t size);

static int set_hide(struct options *o, const char *v, struct error *err);
static bool get_hide(const struct options *o, char *buf, size_t size);

const char *const opt_sort_keys[] = { "cpu",   "memory",      "gpu",     "gpu_memory",
	                              "power", "energy",      "pid",     "ppid",
	                              "user",  "mem_percent", "threads", "state",
	                              "start", "elapsed",     "command", NULL };
const char *const opt_panel_names[] = { "cpu", "gpu", "memory", "power", "processes", NULL };

static const char *const core_views[] = { "gauge", "history", "both", NULL };
static const char *const power_scales[] = { "auto", "profile", NULL };
static const char *const shells[] = { "bash", "zsh", "fish", NULL };

const char *const opt_group_names[OPT_GROUP_COUNT] = {
	[OPT_GROUP_DASHBOARD] = "Dashboard",
	[OPT_GROUP_ALERTS] = "Alerts (shown on the dashboard, exported as metrics)",
	[OPT_GROUP_OUTPUT] = "JSON lines, recording and replay",
	[OPT_GROUP_PROMETHEUS] = "Prometheus",
	[OPT_GROUP_SOURCE] = "Sources and diagnostics",
	[OPT_GROUP_SETTINGS] = "Settings file",
	[OPT_GROUP_GENERAL] = "General",
	[OPT_GROUP_ENV] = "Environment",
};

/* The one list of agtop's settings. Order: as --help shows them within each group. */
const struct opt_def opt_defs[] = {
	/* the dashboard */
	{ .name = "interval",
	  .type = OPT_DOUBLE,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(interval),
	  .min = 0.1,
	  .max = 86400,
	  .def = "1",
	  .metavar = "seconds",
	  .what = "interval",
	  .unit = " seconds",
	  .help = "seconds between samples and frames" },
	{ .name = "color",
	  .type = OPT_INT,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(color),
	  .min = 0,
	  .max = 255,
	  .def = "2",
	  .metavar = "n",
	  .what = "color",
	  .help = "colour theme 0 to 8; above 8, a palette colour",
	  .complete = OPT_COMPLETE_WORDS,
	  .words = "0 1 2 3 4 5 6 7 8" },
	{ .name = "avg",
	  .type = OPT_INT,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(avg),
	  .min = 0,
	  .max = 86400,
	  .def = "30",
	  .metavar = "seconds",
	  .what = "avg",
	  .unit = " seconds",
	  .help = "averaging window, seconds" },
	{ .name = "show-cores",
	  .alias = "show_cores",
	  .type = OPT_FLAG,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(show_cores),
	  .def = "no",
	  .help = "show the per-core panels" },
	{ .name = "core-view",
	  .type = OPT_CHOICE,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(core_view),
	  .choices = core_views,
	  .def = "gauge",
	  .help = "how the per-core panels draw",
	  .complete = OPT_COMPLETE_WORDS },
	{ .name = "power-scale",
	  .type = OPT_CHOICE,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(power_scale),
	  .choices = power_scales,
	  .def = "auto",
	  .help = "scale of the power charts (auto: their rolling peak; profile: the chip's "
	          "reference power)",
	  .complete = OPT_COMPLETE_WORDS },
	{ .name = "proc-filter",
	  .type = OPT_CUSTOM,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(proc_filter),
	  .metavar = "regex",
	  .set = set_proc_filter,
	  .get = get_proc_filter,
	  .help = "show only processes whose command (as the dashboard shows it) matches this "
	          "case-insensitive "
	          "extended regular expression, e.g. \"python|ollama|mlx\"" },
	{ .name = "sort",
	  .type = OPT_CHOICE,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(sort),
	  .choices = opt_sort_keys,
	  .def = "cpu",
	  .metavar = "column",
	  .help = "sort the processes by this column: cpu, memory, gpu, gpu_memory, power, "
	          "energy, pid, ppid, user, mem_percent, threads, state, start, elapsed or command "
	          "(in the dashboard: s, or a click on its heading)",
	  .complete = OPT_COMPLETE_WORDS },
	{ .name = "sort-reverse",
	  .type = OPT_FLAG,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(sort_reverse),
	  .def = "no",
	  .help = "sort the other way round from the column's usual order (r): smallest first "
	          "for numbers, Z to A for text" },
	{ .name = "tree",
	  .type = OPT_FLAG,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(tree),
	  .def = "no",
	  .help = "show the processes as a tree, each under its parent (t)" },
	{ .name = "hide",
	  .type = OPT_CUSTOM,
	  .group = OPT_GROUP_DASHBOARD,
	  .flags = OPTF_SAVE,
	  FIELD(hide_panels),
	  .metavar = "panels",
	  .def = "",
	  .set = set_hide,
	  .get = get_hide,
	  .help = "hide these panels, comma-separated: cpu, gpu, memory, power, processes "
	          "(keys 1-5 show and hide them)",
	  .complete = OPT_COMPLETE_WORDS,
	  .words = "cpu gpu memory power processes" },

	/* alerts */
	{ .name = "alert-bw-sat-percent",
	  .type = OPT_INT,
	  .group = OPT_GROUP_ALERTS,
	  .flags = OPTF_SAVE,
	  FIELD(alert_bw_sat_percent),
	  .min = 1,
	  .max = 100,
	  .def = "85",
	  .metavar = "percent",
	  .what = "threshold",
	  .help = "memory bandwidth saturation alert, percent" },
	{ .name = "alert-package-power-percent",
	  .type = OPT_INT,
	  .group = OPT_GROUP_ALERTS,
	  .flags = OPTF_SAVE,
	  FIELD(alert_package_power_percent),
	  .min = 1,
	  .max = 100,
	  .def = "85",
	  .metavar = "percent",
	  .what = "threshold",
	  .help = "package power alert, percent of the chip's reference power" },
	{ .name = "alert-swap-rise-gb",
	  .type = OPT_DOUBLE,
	  .group = OPT_GROUP_ALERTS,
	  .flags = OPTF_SAVE,
	  FIELD(alert_swap_rise_gb),
	  .min = 0,
	  .max = INFINITY,
	  .def = "0.3",
	  .metavar = "gb",
	  .what = "swap rise threshold",
	  .unit = " GB",
	  .help = "alert when swap grows this much over the sustain window" },
	{ .name = "alert-sustain-samples",
	  .type = OPT_INT,
	  .group = OPT_GROUP_ALERTS,
	  .flags = OPTF_SAVE,
	  FIELD(alert_sustain_samples),
	  .min = 1,
	  .max = INFINITY,
	  .def = "3",
	  .metavar = "n",
	  .what = "sustain samples",
	  .help = "samples a limit must hold before its alert fires" },

	/* JSON, record, replay */
	{ .name = "json",
	  .type = OPT_FLAG,
	  .group = OPT_GROUP_OUTPUT,
	  FIELD(json),
	  .def = "no",
	  .help = "write one JSON object per sample per line to standard output instead of the "
	          "dashboard (docs/json.md)" },
	{ .name = "count",
	  .type = OPT_INT,
	  .group = OPT_GROUP_OUTPUT,
	  FIELD(count),
	  .min = 1,
	  .max = INFINITY,
	  .metavar = "n",
	  .what = "count",
	  .help = "stop after n samples" },
	{ .name = "record",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_OUTPUT,
	  FIELD(record),
	  .metavar = "file",
	  .complete = OPT_COMPLETE_FILE,
	  .help = "append every sample to file as a JSON line while running" },
	{ .name = "replay",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_OUTPUT,
	  FIELD(replay),
	  .metavar = "file",
	  .complete = OPT_COMPLETE_FILE,
	  .help = "play a recording (from --record or --json) back instead of reading this "
	          "machine; - reads standard input" },
	{ .name = "replay-speed",
	  .type = OPT_DOUBLE,
	  .group = OPT_GROUP_OUTPUT,
	  FIELD(replay_speed),
	  .min = 0,
	  .max = INFINITY,
	  .def = "1",
	  .metavar = "x",
	  .what = "replay speed",
	  .help = "replay pace: 1 as recorded, 2 twice as fast, 0 as fast as possible" },
	{ .name = "headless",
	  .type = OPT_FLAG,
	  .group = OPT_GROUP_OUTPUT,
	  FIELD(headless),
	  .def = "no",
	  .help = "no dashboard, only the --prometheus, --prometheus-textfile, --record or --json "
	          "outputs (for a service)" },
	{ .name = "summary",
	  .type = OPT_FLAG,
	  .group = OPT_GROUP_OUTPUT,
	  FIELD(summary),
	  .def = "no",
	  .help = "with --replay: what the recording's samples cost, as agtop run prints it "
	          "(energy per rail, peaks, time throttled; --json: one object)" },
	{ .name = "dashboard",
	  .type = OPT_FLAG,
	  .group = OPT_GROUP_OUTPUT,
	  FIELD(dashboard),
	  .def = "no",
	  .help = "agtop run: show the dashboard while the command runs (its output is kept "
	          "and printed when it ends)" },

	/* Prometheus */
	{ .name = "prometheus",
	  .type = OPT_CUSTOM,
	  .group = OPT_GROUP_PROMETHEUS,
	  .flags = OPTF_OPT_VALUE,
	  FIELD(prometheus),
	  .metavar = "[addr:]port",
	  .set = set_prometheus,
	  .get = get_prometheus,
	  .help = "serve every sample's metrics (docs/metrics.md) on http://addr:port/metrics, "
	          "with the dashboard or --headless; without a value 127.0.0.1:9776, 0.0.0.0:port "
	          "or [::]:port for every address" },
	{ .name = "prometheus-textfile",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_PROMETHEUS,
	  FIELD(prom_textfile),
	  .metavar = "file",
	  .complete = OPT_COMPLETE_FILE,
	  .help = "write every sample's metrics to file for node_exporter's textfile collector "
	          "(a temporary file beside it, renamed over it)" },
	{ .name = "prometheus-processes",
	  .type = OPT_INT,
	  .group = OPT_GROUP_PROMETHEUS,
	  FIELD(prom_processes),
	  .min = 0,
	  .max = 1000,
	  .def = "0",
	  .metavar = "n",
	  .what = "process count",
	  .help = "also export the n busiest processes, on the endpoint and in the textfile" },

	/* sources and diagnostics */
	{ .name = "max-count",
	  .alias = "max_count",
	  .type = OPT_INT,
	  .group = OPT_GROUP_SOURCE,
	  .flags = OPTF_SAVE,
	  FIELD(max_count),
	  .min = 0,
	  .max = 1000000000,
	  .def = "0",
	  .metavar = "n",
	  .what = "max count",
	  .help = "restart the sampler every n samples (0: never), as the original restarts "
	          "powermetrics" },
	{ .name = "powermetrics-input",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_SOURCE,
	  FIELD(powermetrics_input),
	  .metavar = "file",
	  .complete = OPT_COMPLETE_FILE,
	  .help = "read a powermetrics plist stream (powermetrics -f plist; - for standard input) "
	          "instead of starting powermetrics, so agtop needs no sudo; any platform" },
	{ .name = "dump-ioreport",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_SOURCE,
	  .flags = OPTF_NO_CONFIG,
	  FIELD(dump_ioreport),
	  .metavar = "file",
	  .complete = OPT_COMPLETE_FILE,
	  .help = "(macOS) write two readings of every IOReport channel agtop reads, the DVFS "
	          "tables and the machine's identity to file as JSON for a bug report, then exit" },
	{ .name = "decode-dump",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_SOURCE,
	  .flags = OPTF_NO_CONFIG,
	  FIELD(decode_dump),
	  .metavar = "file",
	  .complete = OPT_COMPLETE_FILE,
	  .help = "decode such a dump on any platform and print its samples (JSON lines with "
	          "--json), then exit" },

	/* the settings file */
	{ .name = "config",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_SETTINGS,
	  .flags = OPTF_NO_CONFIG | OPTF_EARLY,
	  FIELD(config_path),
	  .metavar = "file",
	  .complete = OPT_COMPLETE_FILE,
	  .help = "read the settings from file instead of $XDG_CONFIG_HOME/agtop/agtop.conf "
	          "(else ~/.config/agtop/agtop.conf)" },
	{ .name = "no-config",
	  .type = OPT_FLAG,
	  .group = OPT_GROUP_SETTINGS,
	  .flags = OPTF_NO_CONFIG | OPTF_EARLY,
	  FIELD(no_config),
	  .def = "no",
	  .help = "read no config file (for tests and scripts)" },
	{ .name = "write-config",
	  .type = OPT_FLAG,
	  .group = OPT_GROUP_SETTINGS,
	  .flags = OPTF_NO_CONFIG | OPTF_EARLY,
	  FIELD(write_config),
	  .def = "no",
	  .help = "save the lasting settings (config file, then these options) to the config "
	          "file, then exit" },

	/* general */
	{ .name = "help",
	  .short_name = 'h',
	  .type = OPT_ACTION,
	  .group = OPT_GROUP_GENERAL,
	  .flags = OPTF_NO_CONFIG,
	  .action = OPT_ACT_HELP,
	  .help = "show this help, then exit" },
	{ .name = "version",
	  .type = OPT_ACTION,
	  .group = OPT_GROUP_GENERAL,
	  .flags = OPTF_NO_CONFIG,
	  .action = OPT_ACT_VERSION,
	  .help = "show agtop's version, then exit" },
	{ .name = "completions",
	  .type = OPT_CHOICE,
	  .group = OPT_GROUP_GENERAL,
	  .flags = OPTF_NO_CONFIG,
	  FIELD(completions),
	  .choices = shells,
	  .action = OPT_ACT_COMPLETIONS,
	  .complete = OPT_COMPLETE_WORDS,
	  .help = "print the completion script for that shell, then exit" },

	/* the environment: read, never written */
	{ .name = "force-powermetrics",
	  .env = "AGTOP_FORCE_POWERMETRICS",
	  .type = OPT_CUSTOM,
	  .group = OPT_GROUP_ENV,
	  .flags = OPTF_ENV_ONLY,
	  FIELD(force_powermetrics),
	  .set = set_force_pm,
	  .help = "any value: read powermetrics (through sudo -n) instead of IOReport (macOS)" },
	{ .name = "sudo",
	  .env = "AGTOP_SUDO",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_ENV,
	  .flags = OPTF_ENV_ONLY,
	  FIELD(pm_sudo),
	  .def = "/usr/bin/sudo",
	  .help = "the sudo program for powermetrics (default /usr/bin/sudo)" },
	{ .name = "powermetrics",
	  .env = "AGTOP_POWERMETRICS",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_ENV,
	  .flags = OPTF_ENV_ONLY,
	  FIELD(pm_path),
	  .def = "/usr/bin/powermetrics",
	  .help = "the powermetrics program (default /usr/bin/powermetrics)" },
	{ .name = "color-mode",
	  .env = "AGTOP_COLOR_MODE",
	  .type = OPT_CUSTOM,
	  .group = OPT_GROUP_ENV,
	  .flags = OPTF_ENV_ONLY,
	  FIELD(color_mode),
	  .def = "auto",
	  .set = set_color_mode,
	  .help = "mono, basic, 256, truecolor, or auto (default: from NO_COLOR, TERM, COLORTERM "
	          "and terminfo)" },
	{ .name = "gradient",
	  .env = "AGTOP_GRADIENT",
	  .env_alias = "AGTOP_EXPERIMENTAL_GRADIENT",
	  .type = OPT_CUSTOM,
	  .group = OPT_GROUP_ENV,
	  .flags = OPTF_ENV_ONLY,
	  FIELD(gradient),
	  .def = "auto",
	  .set = set_gradient,
	  .help = "0 turns the per-cell colour gradients off, 1 on" },
	{ .name = "no-color",
	  .env = "NO_COLOR",
	  .type = OPT_CUSTOM,
	  .group = OPT_GROUP_ENV,
	  .flags = OPTF_ENV_ONLY,
	  FIELD(no_color),
	  .set = set_no_color,
	  .help = "any value but 0, false, no or off: no colour" },
	{ .name = "procfs",
	  .env = "AGTOP_PROCFS",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_ENV,
	  .flags = OPTF_ENV_ONLY,
	  FIELD(procfs),
	  .def = "/proc",
	  .help = "(Linux) read /proc from another root, such as a captured tree" },
	{ .name = "nvml-library",
	  .env = "AGTOP_NVML_LIBRARY",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_ENV,
	  .flags = OPTF_ENV_ONLY,
	  FIELD(nvml_library),
	  .def = "libnvidia-ml.so.1",
	  .help = "(Linux) the NVML library to open for NVIDIA GPUs (default "
	          "libnvidia-ml.so.1); agtop runs without it" },
	{ .name = "sysfs",
	  .env = "AGTOP_SYSFS",
	  .type = OPT_PATH,
	  .group = OPT_GROUP_ENV,
	  .flags = OPTF_ENV_ONLY,
	  FIELD(sysfs),
	  .def = "/sys",
	  .help = "(Linux) read /sys from another root" },
};
const size_t opt_count = sizeof opt_defs / sizeof opt_defs[0];
_Static_assert(sizeof opt_defs / sizeof opt_defs[0] <= OPTIONS_MAX, "raise OPTIONS_MAX");

_Static_assert(sizeof(enum core_view) == sizeof(int) && sizeof(enum power_scale) == sizeof(int) &&
                   sizeof(enum color_mode) == sizeof(int) && sizeof(enum opt_shell) == sizeof(int),
               "choices are stored as int");

/* ---- the options with their own syntax ---- */

static int set_proc_filter(struct options *o, const char *v, struct error *err)
{
	struct procsel_re re;

	if (strlen(v) >= sizeof o->proc_filter)
		return error_set(err, "invalid --proc-filter regex: longer than %zu bytes",
		                 sizeof o->proc_filter - 1);
	if (*v && options_compile_filter(&re, v, err))
		return error_prefix(err, "invalid --proc-filter regex");
	if (o->has_proc_re)
		procsel_free(&o->proc_re);
	o->has_proc_re = *v != '\0';
	if (o->has_proc_re)
		o->proc_re = re;
	str_copy(o->proc_filter, sizeof o->proc_filter, v);
	return 0;
}

static int set_prometheus(struct options *o, const char *v, struct error *err)
{
	if (addr_parse_listen(v, o->prom_host, sizeof o->prom_host, &o->prom_port, err))
		return -1;
	o->prometheus = true;
	return 0;
}

static int set_force_pm(struct options *o, const char *v, struct error *err)
{
	(void)err;
	/* any non-empty value forces powermetrics, even "0", as in the original */
	o->force_powermetrics = v && *v;
	return 0;
}

static void lower_trimmed(char *buf, size_t size, const char *v)
{
	str_copy(buf, size, v);
	str_trim(buf);
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

static int set_color_mode(struct options *o, const char *v, struct error *err)
{
	static const struct {
		const char *name;
		enum color_mode mode;
	} modes[] = { { "", COLOR_MODE_AUTO },
		      { "auto", COLOR_MODE_AUTO },
		      { "mono", COLOR_MODE_MONO },
		      { "basic", COLOR_MODE_BASIC },
		      { "256", COLOR_MODE_256 },
		      { "xterm256", COLOR_MODE_256 },
		      { "truecolor", COLOR_MODE_TRUECOLOR } };
	char buf[64];

	lower_trimmed(buf, sizeof buf, v);
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(buf, modes[i].name) == 0) {
			o->color_mode = modes[i].mode;
			return 0;
		}
	o->color_mode = COLOR_MODE_AUTO;
	return error_set(err, "using auto detection");
}

static int set_gradient(struct options *o, const char *v, struct error *err)
{
	char buf[64];

	(void)err;
	lower_trimmed(buf, sizeof buf, v);
	/* "auto" (the default) follows the colour mode; "0" is off and any other value on, as the
	 * original reads it */
	o->gradient = strcmp(buf, "auto") == 0 ? -1 : strcmp(buf, "0") != 0;
	return 0;
}

static int set_no_color(struct options *o, const char *v, struct error *err)
{
	char buf[32];

	(void)err;
	lower_trimmed(buf, sizeof buf, v);
	o->no_color = !(buf[0] == '\0' || strcmp(buf, "0") == 0 || strcmp(buf, "false") == 0 ||
	                strcmp(buf, "no") == 0 || strcmp(buf, "off") == 0);
	return 0;
}

static bool get_proc_filter(const struct options *o, char *buf, size_t size)
{
	snprintf(buf, size, "%s", o->proc_filter);
	return true;
}

/* "cpu,power": the panels by name, each once; "" none */
static int set_hide(struct options *o, const char *v, struct error *err)
{
	unsigned mask = 0;
	const char *p = v;

	while (*p) {
		size_t n = strcspn(p, ",");
		unsigned i;

		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		for (i = 0; opt_panel_names[i]; i++) {
			size_t len = strlen(opt_panel_names[i]);
			size_t m = n;
			while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
				m--;
			if (m == len && !strncmp(p, opt_panel_names[i], len))
				break;
		}
		if (!opt_panel_names[i])
			return error_set(
			    err,
			    "invalid panel '%.*s' (choose from 'cpu', 'gpu', 'memory', "
			    "'power', 'processes')",
			    (int)n, p);
		mask |= 1u << i;
		p += n;
		if (*p == ',')
			p++;
	}
	o->hide_panels = mask;
	return 0;
}

static bool get_hide(const struct options *o, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; opt_panel_names[i] && n < size; i++)
		if (o->hide_panels & (1u << i))
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "",
			                      opt_panel_names[i]);
	return true;
}

/* "[::1]:9776" reads back through addr_parse_listen */
static bool get_prometheus(const struct options *o, char *buf, size_t size)
{
	bool v6 = strchr(o->prom_host, ':') != NULL;

	if (!o->prometheus)
		return false;
	snprintf(buf, size, "%s%s%s:%d", v6 ? "[" : "", o->prom_host, v6 ? "]" : "", o->prom_port);
	return true;
}
