/* options_parse.c - the layers: defaults -> config file -> environment -> command line, each
 * through opt_apply(), then the rules between options, checked once. The command line is read
 * as argparse reads it (the original is a Python argparse program): unique prefixes of long
 * names, --name=value, a value that starts with '-' only when it is a negative number, an
 * optional value taken only when the next word is not an option. */
#include "options.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "util/str.h"

/* ---- defaults ---- */

void options_init(struct options *o)
{
	struct error err;

	memset(o, 0, sizeof *o);
	for (size_t i = 0; i < opt_count; i++)
		if (opt_defs[i].def && opt_apply(o, &opt_defs[i], opt_defs[i].def, &err))
			/* a bug in the table, which every test that checks warnings catches */
			options_warn(o, "agtop: bug: the default of --%s: %s", opt_defs[i].name,
			             err.msg);
}

/* Adds one line to o->warnings when it fits whole (a cut line would say something else). */
void options_warn(struct options *o, const char *fmt, ...)
{
	char line[512];
	size_t n = strlen(o->warnings);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n + strlen(line) + 2 <= sizeof o->warnings)
		snprintf(o->warnings + n, sizeof o->warnings - n, "%s\n", line);
}

/* ---- the environment ---- */

static void apply_env(struct options *o, options_getenv_fn env)
{
	struct error err;

	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		const char *v, *name = d->env;
		char r[128];

		if (!d->env)
			continue;
		v = env(d->env);
		/* an empty variable counts as unset; it falls through to the older name */
		if ((!v || !*v) && d->env_alias) {
			v = env(d->env_alias);
			name = d->env_alias;
		}
		if (!v || !*v)
			continue;
		if (opt_apply(o, d, v, &err) == 0) {
			o->set_by[i] = OPT_LAYER_ENV;
			continue;
		}
		opt_quote(r, sizeof r, v);
		options_warn(o, "Warning: invalid %s=%s; %s.", name, r, err.msg);
	}
}

/* ---- the command line ---- */

struct token {
	const struct opt_def *d;
	const char *val; /* NULL: no value given */
};

/* argparse takes "-1" and "-.5" as values, anything else that starts with '-' as an option */
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

static bool is_value_word(const char *s)
{
	return s[0] != '-' || strcmp(s, "-") == 0 || looks_negative_number(s);
}

static bool takes_value(const struct opt_def *d)
{
	return d->type != OPT_FLAG && d->type != OPT_ACTION;
}

static bool prefix_of(const char *name, const char *word, size_t len)
{
	return name && strncmp(name, word, len) == 0;
}

/* The option for "--word" (len bytes after "--"): exact, else a unique prefix of a name or an
 * alias (a prefix of both spellings of one option is one option). */
static const struct opt_def *lookup(const char *word, size_t len, struct error *err)
{
	const struct opt_def *hit = NULL;
	char list[512] = "";
	size_t o = 0;
	int n = 0;

	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		if (d->flags & OPTF_ENV_ONLY)
			continue;
		if ((strlen(d->name) == len && prefix_of(d->name, word, len)) ||
		    (d->alias && strlen(d->alias) == len && prefix_of(d->alias, word, len)))
			return d;
	}
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		if ((d->flags & OPTF_ENV_ONLY) ||
		    !(prefix_of(d->name, word, len) || prefix_of(d->alias, word, len)))
			continue;
		hit = d;
		o += (size_t)snprintf(list + o, o < sizeof list ? sizeof list - o : 0, "%s--%s",
		                      n ? ", " : "", d->name);
		n++;
	}
	if (n > 1) {
		error_set(err, "agtop: error: ambiguous option: --%.*s could match %s", (int)len,
		          word, list);
		return NULL;
	}
	return hit;
}

/* Reads the option at argv[*i] into t. 1: an option; 0: not one of agtop's (the caller lists
 * it); -1: a usage error in err. */
static int next_token(int argc, char **argv, int *i, struct token *t, struct error *err)
{
	const char *arg = argv[*i], *eq;
	size_t len;

	t->val = NULL;
	if (strcmp(arg, "-h") == 0) {
		t->d = opt_find("help");
		return 1;
	}
	if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
		return 0;
	eq = strchr(arg, '=');
	len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	if (len == 0) /* "--=x" */
		return 0;
	err->msg[0] = '\0';
	t->d = lookup(arg + 2, len, err);
	if (!t->d)
		return err->msg[0] ? -1 : 0;
	if (eq) {
		char r[96];
		opt_quote(r, sizeof r, eq + 1);
		if (t->d->type == OPT_ACTION)
			return error_set(
			    err, "agtop: error: argument --%s: ignored explicit argument %s",
			    t->d->name, r);
		t->val = eq + 1;
	} else if (takes_value(t->d) && *i + 1 < argc && is_value_word(argv[*i + 1])) {
		t->val = argv[++*i];
	} else if (takes_value(t->d) && !(t->d->flags & OPTF_OPT_VALUE)) {
		return error_set(err, "agtop: error: argument --%s: expected one argument",
		                 t->d->name);
	}
	return 1;
}

static int apply_token(struct options *o, const struct token *t, struct error *err)
{
	struct error verr;

	if (opt_apply(o, t->d, t->val, &verr))
		return error_set(err, "agtop: error: argument --%s: %s", t->d->name, verr.msg);
	o->set_by[t->d - opt_defs] = OPT_LAYER_ARGV;
	return 0;
}

/* First pass: the shape of the command line, the actions that exit at once, and the options
 * that say which config file to read. */
static enum options_result scan_argv(struct options *o, int argc, char **argv, struct error *err)
{
	char unrecognized[512] = "";
	size_t un = 0;
	bool positional = false;

	for (int i = 1; i < argc; i++) {
		struct token t;
		int rc = 0;

		if (!positional && strcmp(argv[i], "--") == 0) {
			positional = true;
			continue;
		}
		if (!positional)
			rc = next_token(argc, argv, &i, &t, err);
		if (rc < 0)
			return OPTIONS_USAGE;
		if (rc == 0) {
			/* past the end the list is cut: snprintf's return would point beyond it */
			if (un < sizeof unrecognized)
				un += (size_t)snprintf(unrecognized + un, sizeof unrecognized - un,
				                       "%s%s", un ? " " : "", argv[i]);
			continue;
		}
		if (t.d->action == OPT_ACT_HELP)
			return OPTIONS_HELP;
		if (t.d->action == OPT_ACT_VERSION)
			return OPTIONS_VERSION;
		if (t.d->action == OPT_ACT_COMPLETIONS)
			return apply_token(o, &t, err) ? OPTIONS_USAGE : OPTIONS_COMPLETIONS;
		if ((t.d->flags & OPTF_EARLY) && apply_token(o, &t, err))
			return OPTIONS_USAGE;
	}
	if (un) {
		/* the words as typed, but no control character reaches a terminal or a log */
		for (char *p = unrecognized; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		error_set(err, "agtop: error: unrecognized arguments: %s", unrecognized);
		return OPTIONS_USAGE;
	}
	return OPTIONS_RUN;
}

/* Second pass: every other option, in order (the last one given wins). */
static int apply_argv(struct options *o, int argc, char **argv, struct error *err)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		struct token t;

		if (next_token(argc, argv, &i, &t, err) == 1 && !(t.d->flags & OPTF_EARLY) &&
		    apply_token(o, &t, err))
			return -1;
	}
	return 0;
}

/* ---- the rules between options ---- */

/* " (set in FILE:LINE)" when the option's value came from the config file */
static const char *origin(const struct options *o, const char *name, char *buf, size_t size)
{
	const struct opt_def *d = opt_find(name);
	size_t i = d ? (size_t)(d - opt_defs) : 0;

	buf[0] = '\0';
	if (d && o->set_by[i] == OPT_LAYER_CONFIG)
		snprintf(buf, size, " (set in %s:%u)", o->config_path, o->config_line[i]);
	return buf;
}

static int options_check(const struct options *o, struct error *err)
{
	char at[512];

	if (o->replay[0] && o->powermetrics_input[0])
		return error_set(err,
		                 "agtop: error: argument --powermetrics-input: not allowed with "
		                 "argument --replay%s",
		                 origin(o, "powermetrics-input", at, sizeof at));
	if (o->replay_speed != 1.0 && !o->replay[0] && !o->powermetrics_input[0])
		return error_set(
		    err,
		    "agtop: error: argument --replay-speed: only meaningful with --replay "
		    "or --powermetrics-input%s",
		    origin(o, "replay-speed", at, sizeof at));
	if (o->record[0] && o->replay[0] && strcmp(o->record, o->replay) == 0)
		return error_set(
		    err,
		    "agtop: error: argument --record: cannot record into the file being "
		    "replayed%s",
		    origin(o, "record", at, sizeof at));
	if (o->summary && !o->replay[0] && !o->powermetrics_input[0])
		return error_set(err,
		                 "agtop: error: argument --summary: only with --replay or "
		                 "--powermetrics-input (agtop run -- CMD prints its own)%s",
		                 origin(o, "summary", at, sizeof at));
	if (o->headless && !o->prometheus && !o->prom_textfile[0] && !o->record[0] && !o->json)
		return error_set(
		    err,
		    "agtop: error: argument --headless: needs an output: --prometheus, "
		    "--prometheus-textfile, --record or --json%s",
		    origin(o, "headless", at, sizeof at));
	return 0;
}

enum options_result options_parse(struct options *o, int argc, char **argv, options_getenv_fn env,
                                  struct error *err)
{
	enum options_result r;

	options_init(o);
	error_clear(err);
	r = scan_argv(o, argc, argv, err);
	if (r != OPTIONS_RUN)
		return r;
	if (config_load(o, env, err))
		return OPTIONS_USAGE;
	apply_env(o, env);
	if (apply_argv(o, argc, argv, err) || options_check(o, err))
		return OPTIONS_USAGE;
	return o->write_config ? OPTIONS_WRITE_CONFIG : OPTIONS_RUN;
}
