#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/http.h"
#include "util/str.h"

/* ---- help text (argparse layout, as the original prints it, plus agtop's own options) ---- */

static const char usage_text[] =
    "usage: agtop [-h] [--version] [--interval INTERVAL] [--color COLOR] [--avg AVG]\n"
    "             [--show_cores] [--core-view {gauge,history,both}]\n"
    "             [--max_count MAX_COUNT] [--power-scale {auto,profile}]\n"
    "             [--proc-filter PROC_FILTER]\n"
    "             [--alert-bw-sat-percent ALERT_BW_SAT_PERCENT]\n"
    "             [--alert-package-power-percent ALERT_PACKAGE_POWER_PERCENT]\n"
    "             [--alert-swap-rise-gb ALERT_SWAP_RISE_GB]\n"
    "             [--alert-sustain-samples ALERT_SUSTAIN_SAMPLES] [--json]\n"
    "             [--count COUNT] [--record FILE] [--replay FILE]\n"
    "             [--replay-speed REPLAY_SPEED] [--dump-ioreport FILE]\n"
    "             [--decode-dump FILE] [--powermetrics-input FILE]\n"
    "             [--prometheus [[ADDR:]PORT]] [--headless]\n"
    "             [--prometheus-textfile PATH] [--prometheus-processes N]\n";

static const char help_body[] =
    "\n"
    "agtop: Performance monitoring CLI tool for Apple Silicon\n"
    "\n"
    "options:\n"
    "  -h, --help            show this help message and exit\n"
    "  --version             show agtop's version and exit\n"
    "  --interval INTERVAL   Display interval and sampling interval (seconds; fractions\n"
    "                        down to 0.1 are allowed; default 1)\n"
    "  --color COLOR         Choose display color (0~8)\n"
    "  --avg AVG             Interval for averaged values (seconds; default 30)\n"
    "  --show_cores          Choose show cores mode\n"
    "  --core-view {gauge,history,both}\n"
    "                        Per-core rendering mode for --show_cores: gauge,\n"
    "                        history, or both\n"
    "  --max_count MAX_COUNT\n"
    "                        Max show count to restart powermetrics\n"
    "  --power-scale {auto,profile}\n"
    "                        Power chart scaling mode: auto uses rolling peak,\n"
    "                        profile uses SoC reference\n"
    "  --proc-filter PROC_FILTER\n"
    "                        Regex filter for process panel command names (example:\n"
    "                        \"python|ollama|vllm|docker|mlx\")\n"
    "  --alert-bw-sat-percent ALERT_BW_SAT_PERCENT\n"
    "                        Bandwidth saturation alert threshold percent (1-100)\n"
    "  --alert-package-power-percent ALERT_PACKAGE_POWER_PERCENT\n"
    "                        Package power alert threshold percent (1-100, profile-\n"
    "                        relative)\n"
    "  --alert-swap-rise-gb ALERT_SWAP_RISE_GB\n"
    "                        Alert when swap rises by at least this many GB over\n"
    "                        sustained samples\n"
    "  --alert-sustain-samples ALERT_SUSTAIN_SAMPLES\n"
    "                        Consecutive samples required for sustained alerts\n"
    "  --json                Write one JSON object per sample per line to stdout\n"
    "                        instead of the dashboard (schema: docs/json.md)\n"
    "  --count COUNT         Stop after COUNT samples\n"
    "  --record FILE         Append every sample as a JSON line to FILE while running\n"
    "  --replay FILE         Play a recording (from --record or --json) back instead\n"
    "                        of reading this machine\n"
    "  --replay-speed REPLAY_SPEED\n"
    "                        Replay pace: 1 = as recorded (default), 2 = twice as\n"
    "                        fast, 0 = as fast as possible\n"
    "  --dump-ioreport FILE  (macOS) Write two consecutive samples of every IOReport\n"
    "                        channel agtop reads, with the DVFS tables and the\n"
    "                        machine's identity, to FILE (JSON; attach it to a bug\n"
    "                        report), then exit\n"
    "  --decode-dump FILE    Decode such a dump on any platform and print its samples\n"
    "                        (with --json as JSON lines), then exit\n"
    "  --powermetrics-input FILE\n"
    "                        Read a powermetrics plist stream (`powermetrics -f\n"
    "                        plist`; - for standard input) instead of starting\n"
    "                        powermetrics, so agtop itself needs no sudo; works on\n"
    "                        any platform\n"
    "  --prometheus [[ADDR:]PORT]\n"
    "                        Serve every sample's metrics (docs/metrics.md) on\n"
    "                        http://ADDR:PORT/metrics for Prometheus (default\n"
    "                        127.0.0.1:9776; 0.0.0.0:PORT or [::]:PORT for all\n"
    "                        addresses), with the dashboard or --headless\n"
    "  --headless            No dashboard: only --prometheus, --prometheus-textfile,\n"
    "                        --record or --json output (for a service)\n"
    "  --prometheus-textfile PATH\n"
    "                        Write every sample's metrics (docs/metrics.md) to PATH\n"
    "                        for node_exporter's textfile collector (written to a\n"
    "                        temporary file beside it, then renamed)\n"
    "  --prometheus-processes N\n"
    "                        Also export the N busiest processes (default 0: none)\n"
    "\n"
    "environment:\n"
    "  AGTOP_FORCE_POWERMETRICS  any non-empty value: use powermetrics (sudo), not IOReport\n"
    "  AGTOP_COLOR_MODE          mono, basic, 256, truecolor or auto (default)\n"
    "  AGTOP_GRADIENT            0 turns per-cell colour gradients off, 1 on\n"
    "  NO_COLOR                  any value but 0/false/no/off: no colour\n"
    "  AGTOP_PROCFS, AGTOP_SYSFS read /proc and /sys from another root (Linux)\n"
    "  AGTOP_SUDO, AGTOP_POWERMETRICS  the sudo and powermetrics programs (defaults\n"
    "                            /usr/bin/sudo, /usr/bin/powermetrics)\n"
    "\n"
    "exit status: 0 normal, 1 runtime error, 2 usage error, 130 interrupted (Ctrl-C),\n"
    "128+N ended by signal N (SIGTERM, SIGHUP)\n";

static char help_text[sizeof usage_text + sizeof help_body];

const char *options_usage(void)
{
	return usage_text;
}

const char *options_help(void)
{
	snprintf(help_text, sizeof help_text, "%s%s", usage_text, help_body);
	return help_text;
}

const char *options_version(void)
{
	static char line[96];

	snprintf(line, sizeof line, "agtop %s\n", AGTOP_VERSION);
	return line;
}

/* ---- value conversion with the original's messages ---- */

/* Python repr() of a str, as argparse quotes bad values: 'x', or "x'y" when x holds a quote. */
static void py_repr(char *out, size_t size, const char *s)
{
	char q = (strchr(s, '\'') && !strchr(s, '"')) ? '"' : '\'';
	size_t o = 0;

	if (size < 3) {
		if (size)
			out[0] = '\0';
		return;
	}
	out[o++] = q;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 6 < size; p++) {
		if (*p == '\\' || *p == q) {
			out[o++] = '\\';
			out[o++] = (char)*p;
		} else if (*p == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (*p == '\t') {
			out[o++] = '\\';
			out[o++] = 't';
		} else if (*p == '\r') {
			out[o++] = '\\';
			out[o++] = 'r';
		} else if (*p < 0x20 || *p == 0x7f) {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", *p);
		} else {
			out[o++] = (char)*p;
		}
	}
	out[o++] = q;
	out[o] = '\0';
}

static int bad_type(struct error *err, const char *type, const char *val)
{
	char r[256];

	py_repr(r, sizeof r, val);
	return error_set(err, "invalid %s value: %s", type, r);
}

static int parse_int(const char *val, int *out, struct error *err)
{
	long v;

	if (!str_to_long(val, &v) || v < -2147483647L || v > 2147483647L)
		return bad_type(err, "int", val);
	*out = (int)v;
	return 0;
}

static int choice(const char *val, const char *const *names, int n, int *out, struct error *err)
{
	char r[256], list[256] = "";
	size_t o = 0;

	for (int i = 0; i < n; i++)
		if (strcmp(val, names[i]) == 0) {
			*out = i;
			return 0;
		}
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(list + o, sizeof list - o, "%s'%s'", i ? ", " : "", names[i]);
	py_repr(r, sizeof r, val);
	return error_set(err, "invalid choice: %s (choose from %s)", r, list);
}

static int set_interval(struct options *o, const char *v, struct error *err)
{
	double d;

	if (!str_to_double(v, &d))
		return bad_type(err, "float", v);
	if (isnan(d) || isinf(d))
		return error_set(err, "interval must be a finite number of seconds");
	if (d < 0.1)
		return error_set(err, "interval must be at least 0.1 seconds");
	if (d > 86400)
		return error_set(err, "interval must be at most 86400 seconds");
	o->interval = d;
	return 0;
}

static int set_color(struct options *o, const char *v, struct error *err)
{
	if (parse_int(v, &o->color, err))
		return -1;
	if (o->color < 0 || o->color > 255)
		return error_set(err, "color must be in the range 0-255 (0~8 are the themes)");
	return 0;
}

static int set_avg(struct options *o, const char *v, struct error *err)
{
	if (parse_int(v, &o->avg, err))
		return -1;
	if (o->avg < 0)
		return error_set(err, "avg must be >= 0 (seconds)");
	return 0;
}

static int set_show_cores(struct options *o, const char *v, struct error *err)
{
	(void)v;
	(void)err;
	o->show_cores = true;
	return 0;
}

static int set_core_view(struct options *o, const char *v, struct error *err)
{
	static const char *const names[] = { "gauge", "history", "both" };
	int i;

	if (choice(v, names, 3, &i, err))
		return -1;
	o->core_view = (enum core_view)i;
	return 0;
}

static int set_max_count(struct options *o, const char *v, struct error *err)
{
	return parse_int(v, &o->max_count, err);
}

static int set_power_scale(struct options *o, const char *v, struct error *err)
{
	static const char *const names[] = { "auto", "profile" };
	int i;

	if (choice(v, names, 2, &i, err))
		return -1;
	o->power_scale = (enum power_scale)i;
	return 0;
}

int options_compile_filter(regex_t *re, const char *pattern, struct error *err)
{
	int rc = regcomp(re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB);

	if (rc != 0) {
		char buf[256];
		regerror(rc, re, buf, sizeof buf);
		regfree(re);
		return error_set(err, "%s", buf);
	}
	return 0;
}

static int set_proc_filter(struct options *o, const char *v, struct error *err)
{
	regex_t re;

	if (strlen(v) >= sizeof o->proc_filter)
		return error_set(err, "invalid --proc-filter regex: longer than %zu bytes",
		                 sizeof o->proc_filter - 1);
	if (*v && options_compile_filter(&re, v, err))
		return error_prefix(err, "invalid --proc-filter regex");
	if (o->has_proc_re)
		regfree(&o->proc_re);
	o->has_proc_re = *v != '\0';
	if (o->has_proc_re)
		o->proc_re = re;
	str_copy(o->proc_filter, sizeof o->proc_filter, v);
	return 0;
}

static int threshold(const char *v, int *out, struct error *err)
{
	long l;

	if (!str_to_long(v, &l))
		return error_set(err, "threshold must be an integer");
	if (l < 1 || l > 100)
		return error_set(err, "threshold must be in the range 1-100");
	*out = (int)l;
	return 0;
}

static int set_bw(struct options *o, const char *v, struct error *err)
{
	return threshold(v, &o->alert_bw_sat_percent, err);
}

static int set_pkg(struct options *o, const char *v, struct error *err)
{
	return threshold(v, &o->alert_package_power_percent, err);
}

static int set_swap(struct options *o, const char *v, struct error *err)
{
	double d;

	/* NaN would make the alert silently impossible, so it is refused as "not a number" */
	if (!str_to_double(v, &d) || isnan(d))
		return error_set(err, "swap rise threshold must be a number");
	if (d < 0)
		return error_set(err, "swap rise threshold must be >= 0");
	o->alert_swap_rise_gb = d;
	return 0;
}

static int set_sustain(struct options *o, const char *v, struct error *err)
{
	long l;

	if (!str_to_long(v, &l))
		return error_set(err, "sustain samples must be an integer");
	if (l < 1)
		return error_set(err, "sustain samples must be >= 1");
	if (l > 100000)
		return error_set(err, "sustain samples must be <= 100000");
	o->alert_sustain_samples = (int)l;
	return 0;
}

static int set_json(struct options *o, const char *v, struct error *err)
{
	(void)v;
	(void)err;
	o->json = true;
	return 0;
}

static int set_count(struct options *o, const char *v, struct error *err)
{
	long l;

	if (!str_to_long(v, &l))
		return error_set(err, "count must be an integer");
	if (l < 1)
		return error_set(err, "count must be >= 1");
	o->count = l;
	return 0;
}

static int set_path(char *dst, size_t size, const char *what, const char *v, struct error *err)
{
	if (!*v)
		return error_set(err, "%s file name is empty", what);
	if (!str_copy(dst, size, v))
		return error_set(err, "%s file name is too long", what);
	return 0;
}

static int set_record(struct options *o, const char *v, struct error *err)
{
	return set_path(o->record, sizeof o->record, "record", v, err);
}

static int set_replay(struct options *o, const char *v, struct error *err)
{
	return set_path(o->replay, sizeof o->replay, "replay", v, err);
}

static int set_dump(struct options *o, const char *v, struct error *err)
{
	return set_path(o->dump_ioreport, sizeof o->dump_ioreport, "dump", v, err);
}

static int set_decode(struct options *o, const char *v, struct error *err)
{
	return set_path(o->decode_dump, sizeof o->decode_dump, "dump", v, err);
}

static int set_pm_input(struct options *o, const char *v, struct error *err)
{
	return set_path(o->powermetrics_input, sizeof o->powermetrics_input, "input", v, err);
}

static int set_prom_textfile(struct options *o, const char *v, struct error *err)
{
	return set_path(o->prom_textfile, sizeof o->prom_textfile, "textfile", v, err);
}

static int set_prom_processes(struct options *o, const char *v, struct error *err)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || *end)
		return error_set(err, "process count must be an integer");
	if (n < 0 || n > 1000)
		return error_set(err, "process count must be between 0 and 1000");
	o->prom_processes = (int)n;
	return 0;
}

int options_parse_listen(const char *spec, char *host, size_t host_size, int *port,
                         struct error *err)
{
	const char *colon, *ps;
	char *end;
	long n;

	if (!spec) {
		str_copy(host, host_size, HTTP_DEFAULT_HOST);
		*port = HTTP_DEFAULT_PORT;
		return 0;
	}
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (!close || close == spec + 1 || close[1] != ':')
			return error_set(err, "expected [ADDR:]PORT, with an IPv6 address as "
			                      "[ADDR]:PORT (for example [::1]:9776)");
		if ((size_t)(close - spec - 1) >= host_size)
			return error_set(err, "address is too long");
		memcpy(host, spec + 1, (size_t)(close - spec - 1));
		host[close - spec - 1] = '\0';
		ps = close + 2;
	} else if ((colon = strrchr(spec, ':')) != NULL) {
		if (colon == spec)
			return error_set(err, "give an address before ':' (0.0.0.0 for all IPv4 "
			                      "addresses, [::] for all; the default is 127.0.0.1)");
		if (memchr(spec, ':', (size_t)(colon - spec)))
			return error_set(err, "an IPv6 address goes in brackets: [ADDR]:PORT (for "
			                      "example [::1]:9776)");
		if ((size_t)(colon - spec) >= host_size)
			return error_set(err, "address is too long");
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
		ps = colon + 1;
	} else {
		str_copy(host, host_size, HTTP_DEFAULT_HOST);
		ps = spec;
	}
	errno = 0;
	n = strtol(ps, &end, 10);
	if (!isdigit((unsigned char)*ps) || *end || errno)
		return error_set(err, "expected [ADDR:]PORT with PORT a number (default %d)",
		                 HTTP_DEFAULT_PORT);
	if (n > 65535)
		return error_set(err, "port must be in the range 0-65535 (0 = any free port)");
	*port = (int)n;
	return 0;
}

static int set_prometheus(struct options *o, const char *v, struct error *err)
{
	if (v && !*v)
		return error_set(err, "expected [ADDR:]PORT, got nothing after '='");
	if (options_parse_listen(v, o->prom_host, sizeof o->prom_host, &o->prom_port, err))
		return -1;
	o->prometheus = true;
	return 0;
}

static int set_headless(struct options *o, const char *v, struct error *err)
{
	(void)v;
	(void)err;
	o->headless = true;
	return 0;
}

static int set_replay_speed(struct options *o, const char *v, struct error *err)
{
	double d;

	if (!str_to_double(v, &d) || isnan(d) || isinf(d))
		return error_set(err, "replay speed must be a number");
	if (d < 0)
		return error_set(err, "replay speed must be >= 0 (0 = as fast as possible)");
	o->replay_speed = d;
	return 0;
}

enum { ACT_SET = 0, ACT_HELP, ACT_VERSION };

/* how an option takes its value: none, always, or optionally (argparse nargs='?': the next
 * word when it is not an option) */
enum { VAL_NONE = 0, VAL_REQUIRED, VAL_OPTIONAL };

struct opt_def {
	const char *name;
	int takes_value;
	int action;
	int (*set)(struct options *o, const char *val, struct error *err);
};

static const struct opt_def opt_defs[] = {
	{ "--help", VAL_NONE, ACT_HELP, NULL },
	{ "--version", VAL_NONE, ACT_VERSION, NULL },
	{ "--interval", VAL_REQUIRED, ACT_SET, set_interval },
	{ "--color", VAL_REQUIRED, ACT_SET, set_color },
	{ "--avg", VAL_REQUIRED, ACT_SET, set_avg },
	{ "--show_cores", VAL_NONE, ACT_SET, set_show_cores },
	{ "--core-view", VAL_REQUIRED, ACT_SET, set_core_view },
	{ "--max_count", VAL_REQUIRED, ACT_SET, set_max_count },
	{ "--power-scale", VAL_REQUIRED, ACT_SET, set_power_scale },
	{ "--proc-filter", VAL_REQUIRED, ACT_SET, set_proc_filter },
	{ "--alert-bw-sat-percent", VAL_REQUIRED, ACT_SET, set_bw },
	{ "--alert-package-power-percent", VAL_REQUIRED, ACT_SET, set_pkg },
	{ "--alert-swap-rise-gb", VAL_REQUIRED, ACT_SET, set_swap },
	{ "--alert-sustain-samples", VAL_REQUIRED, ACT_SET, set_sustain },
	{ "--json", VAL_NONE, ACT_SET, set_json },
	{ "--count", VAL_REQUIRED, ACT_SET, set_count },
	{ "--record", VAL_REQUIRED, ACT_SET, set_record },
	{ "--replay", VAL_REQUIRED, ACT_SET, set_replay },
	{ "--replay-speed", VAL_REQUIRED, ACT_SET, set_replay_speed },
	{ "--dump-ioreport", VAL_REQUIRED, ACT_SET, set_dump },
	{ "--decode-dump", VAL_REQUIRED, ACT_SET, set_decode },
	{ "--powermetrics-input", VAL_REQUIRED, ACT_SET, set_pm_input },
	{ "--prometheus-textfile", VAL_REQUIRED, ACT_SET, set_prom_textfile },
	{ "--prometheus-processes", VAL_REQUIRED, ACT_SET, set_prom_processes },
	{ "--prometheus", VAL_OPTIONAL, ACT_SET, set_prometheus },
	{ "--headless", VAL_NONE, ACT_SET, set_headless },
};
#define NOPTS (sizeof opt_defs / sizeof opt_defs[0])

/* argparse treats "-1" and "-.5" as values, anything else starting with '-' as an option */
static bool looks_negative_number(const char *s)
{
	const char *p = s + 1;
	bool digits = false, dot = false;

	if (s[0] != '-')
		return false;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits = true;
		else if (*p == '.' && !dot)
			dot = true;
		else
			return false;
	}
	return digits;
}

/* Finds the option for a "--name" word (exact, else a unique prefix, as argparse allows). */
static const struct opt_def *lookup(const char *word, size_t len, struct error *err, bool *ambig)
{
	const struct opt_def *hit = NULL;
	char list[512] = "";
	size_t o = 0;
	int n = 0;

	*ambig = false;
	for (size_t i = 0; i < NOPTS; i++)
		if (strlen(opt_defs[i].name) == len && strncmp(opt_defs[i].name, word, len) == 0)
			return &opt_defs[i];
	for (size_t i = 0; i < NOPTS; i++)
		if (strncmp(opt_defs[i].name, word, len) == 0) {
			hit = &opt_defs[i];
			o += (size_t)snprintf(list + o, o < sizeof list ? sizeof list - o : 0,
			                      "%s%s", n ? ", " : "", opt_defs[i].name);
			n++;
		}
	if (n > 1) {
		*ambig = true;
		error_set(err, "agtop: error: ambiguous option: %.*s could match %s", (int)len,
		          word, list);
		return NULL;
	}
	return hit;
}

static bool truthy(const char *v)
{
	char buf[32];

	if (!v)
		return false;
	str_copy(buf, sizeof buf, v);
	str_trim(buf);
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return !(buf[0] == '\0' || strcmp(buf, "0") == 0 || strcmp(buf, "false") == 0 ||
	         strcmp(buf, "no") == 0 || strcmp(buf, "off") == 0);
}

static void add_warning(struct options *o, const char *fmt, const char *arg)
{
	size_t n = strlen(o->warnings);

	snprintf(o->warnings + n, sizeof o->warnings - n, fmt, arg);
}

static void parse_env(struct options *o, options_getenv_fn env)
{
	const char *v;

	v = env("AGTOP_FORCE_POWERMETRICS");
	o->force_powermetrics = v && *v;

	v = env("AGTOP_COLOR_MODE");
	if (v) {
		char buf[64], r[128];
		str_copy(buf, sizeof buf, v);
		str_trim(buf);
		for (char *p = buf; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (!*buf || strcmp(buf, "auto") == 0)
			o->color_mode = COLOR_MODE_AUTO;
		else if (strcmp(buf, "mono") == 0)
			o->color_mode = COLOR_MODE_MONO;
		else if (strcmp(buf, "basic") == 0)
			o->color_mode = COLOR_MODE_BASIC;
		else if (strcmp(buf, "256") == 0 || strcmp(buf, "xterm256") == 0)
			o->color_mode = COLOR_MODE_256;
		else if (strcmp(buf, "truecolor") == 0)
			o->color_mode = COLOR_MODE_TRUECOLOR;
		else {
			py_repr(r, sizeof r, v);
			add_warning(
			    o, "Warning: invalid AGTOP_COLOR_MODE=%s; using auto detection.\n", r);
		}
	}

	/* an empty AGTOP_GRADIENT falls through to the legacy name, as `a or b` does */
	v = env("AGTOP_GRADIENT");
	if (!v || !*v)
		v = env("AGTOP_EXPERIMENTAL_GRADIENT");
	if (v && *v) {
		char buf[64];
		str_copy(buf, sizeof buf, v);
		o->gradient = strcmp(str_trim(buf), "0") != 0;
	}

	o->no_color = truthy(env("NO_COLOR"));

	v = env("AGTOP_PROCFS");
	str_copy(o->procfs, sizeof o->procfs, v && *v ? v : "/proc");
	v = env("AGTOP_SYSFS");
	str_copy(o->sysfs, sizeof o->sysfs, v && *v ? v : "/sys");
	v = env("AGTOP_SUDO");
	str_copy(o->pm_sudo, sizeof o->pm_sudo, v && *v ? v : "/usr/bin/sudo");
	v = env("AGTOP_POWERMETRICS");
	str_copy(o->pm_path, sizeof o->pm_path, v && *v ? v : "/usr/bin/powermetrics");
}

static void defaults(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->interval = 1.0;
	o->color = 2;
	o->avg = 30;
	o->core_view = CORE_VIEW_GAUGE;
	o->power_scale = POWER_SCALE_AUTO;
	o->alert_bw_sat_percent = 85;
	o->alert_package_power_percent = 85;
	o->alert_swap_rise_gb = 0.3;
	o->alert_sustain_samples = 3;
	o->replay_speed = 1.0;
	o->gradient = -1;
}

enum options_result options_parse(struct options *o, int argc, char **argv, options_getenv_fn env,
                                  struct error *err)
{
	char unrecognized[512] = "";
	size_t un = 0;
	bool only_positional = false;

	defaults(o);
	error_clear(err);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq, *val = NULL;
		const struct opt_def *d;
		struct error verr;
		bool ambig;
		size_t len;

		if (only_positional || arg[0] != '-' || strcmp(arg, "-") == 0 ||
		    looks_negative_number(arg)) {
			un += (size_t)snprintf(unrecognized + un,
			                       un < sizeof unrecognized ? sizeof unrecognized - un
			                                                : 0,
			                       "%s%s", un ? " " : "", arg);
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_positional = true;
			continue;
		}
		if (strcmp(arg, "-h") == 0) {
			return OPTIONS_HELP;
		}
		if (arg[1] != '-') {
			un += (size_t)snprintf(unrecognized + un,
			                       un < sizeof unrecognized ? sizeof unrecognized - un
			                                                : 0,
			                       "%s%s", un ? " " : "", arg);
			continue;
		}
		eq = strchr(arg, '=');
		len = eq ? (size_t)(eq - arg) : strlen(arg);
		d = lookup(arg, len, err, &ambig);
		if (ambig)
			return OPTIONS_USAGE;
		if (!d) {
			un += (size_t)snprintf(unrecognized + un,
			                       un < sizeof unrecognized ? sizeof unrecognized - un
			                                                : 0,
			                       "%s%s", un ? " " : "", arg);
			continue;
		}
		if (!d->takes_value) {
			if (eq) {
				char r[256];
				py_repr(r, sizeof r, eq + 1);
				error_set(err,
				          "agtop: error: argument %s: ignored explicit argument %s",
				          d->name, r);
				return OPTIONS_USAGE;
			}
		} else if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc &&
		           (argv[i + 1][0] != '-' || strcmp(argv[i + 1], "-") == 0 ||
		            looks_negative_number(argv[i + 1]))) {
			val = argv[++i];
		} else if (d->takes_value == VAL_OPTIONAL) {
			val = NULL;
		} else {
			error_set(err, "agtop: error: argument %s: expected one argument", d->name);
			return OPTIONS_USAGE;
		}
		if (d->action == ACT_HELP)
			return OPTIONS_HELP;
		if (d->action == ACT_VERSION)
			return OPTIONS_VERSION;
		if (d->set(o, val, &verr)) {
			error_set(err, "agtop: error: argument %s: %s", d->name, verr.msg);
			return OPTIONS_USAGE;
		}
	}
	if (un) {
		error_set(err, "agtop: error: unrecognized arguments: %s", unrecognized);
		return OPTIONS_USAGE;
	}
	if (o->replay[0] && o->powermetrics_input[0]) {
		error_set(err, "agtop: error: argument --powermetrics-input: not allowed with "
		               "argument --replay");
		return OPTIONS_USAGE;
	}
	if (o->replay_speed != 1.0 && !o->replay[0] && !o->powermetrics_input[0]) {
		error_set(err,
		          "agtop: error: argument --replay-speed: only meaningful with --replay "
		          "or --powermetrics-input");
		return OPTIONS_USAGE;
	}
	if (o->record[0] && o->replay[0] && strcmp(o->record, o->replay) == 0) {
		error_set(err, "agtop: error: argument --record: cannot record into the file being "
		               "replayed");
		return OPTIONS_USAGE;
	}
	if (o->headless && !o->prometheus && !o->prom_textfile[0] && !o->record[0] && !o->json) {
		error_set(err, "agtop: error: argument --headless: needs an output: --prometheus, "
		               "--prometheus-textfile, --record or --json");
		return OPTIONS_USAGE;
	}
	parse_env(o, env);
	return OPTIONS_RUN;
}

void options_free(struct options *o)
{
	if (o->has_proc_re)
		regfree(&o->proc_re);
	o->has_proc_re = false;
}

bool options_proc_match(const struct options *o, const char *cmdline)
{
	return !o->has_proc_re || regexec(&o->proc_re, cmdline, 0, NULL, 0) == 0;
}
