/* options.c - one path that sets an option from text as a user writes it (opt_apply), for the
 * defaults, the config file, the environment and the command line alike, and its way back
 * (opt_format). The table is in opt_table.c, the layers in options_parse.c. */
#include "options.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"
#include "util/strbuf.h"

const struct opt_def *opt_find(const char *name)
{
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		if (d->flags & OPTF_ENV_ONLY)
			continue;
		if (strcmp(d->name, name) == 0 || (d->alias && strcmp(d->alias, name) == 0))
			return d;
	}
	return NULL;
}

/* ---- values ---- */

void opt_quote(char *out, size_t size, const char *s)
{
	char q = (strchr(s, '\'') && !strchr(s, '"')) ? '"' : '\'';
	size_t o = 0;

	if (size < 8) {
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
		} else if (*p < 0x20 || *p == 0x7f) {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", *p);
		} else {
			out[o++] = (char)*p;
		}
	}
	out[o++] = q;
	out[o] = '\0';
}

static void *field(struct options *o, const struct opt_def *d)
{
	return (char *)o + d->off;
}

static const void *cfield(const struct options *o, const struct opt_def *d)
{
	return (const char *)o + d->off;
}

/* "must be in the range 1-100", "must be >= 0 seconds" */
static int out_of_range(const struct opt_def *d, const char *v, struct error *err)
{
	char lo[32], hi[32], r[96];

	fmt_double(lo, sizeof lo, d->min);
	opt_quote(r, sizeof r, v);
	if (isinf(d->max))
		return error_set(err, "%s must be >= %s%s, got %s", d->what, lo,
		                 d->unit ? d->unit : "", r);
	fmt_double(hi, sizeof hi, d->max);
	return error_set(err, "%s must be in the range %s-%s%s, got %s", d->what, lo, hi,
	                 d->unit ? d->unit : "", r);
}

/* digits with an optional sign and blanks around: an integer, however large */
static bool integer_text(const char *v)
{
	bool digits = false;

	while (isspace((unsigned char)*v))
		v++;
	if (*v == '+' || *v == '-')
		v++;
	for (; isdigit((unsigned char)*v); v++)
		digits = true;
	while (isspace((unsigned char)*v))
		v++;
	return digits && !*v;
}

static int too_large(const struct opt_def *d, const char *v, long top, struct error *err)
{
	char r[96];

	if (!isinf(d->max) || strchr(v, '-'))
		return out_of_range(d, v, err);
	opt_quote(r, sizeof r, v);
	return error_set(err, "%s must be <= %ld, got %s", d->what, top, r);
}

/* One number parser for every option: decimal, blanks around it allowed (as Python's int() and
 * float() allow them), nothing else; finite; within [min, max]. Integers have no fraction or
 * exponent, and come back exact in *iout too (a long's top, 2^63 - 1, is no double: converting
 * it back from one is undefined, found by fuzz_config). */
static int parse_number(const struct opt_def *d, const char *v, double *out, long *iout,
                        struct error *err)
{
	char r[96];
	double x;
	long l = 0;

	opt_quote(r, sizeof r, v);
	if (d->type == OPT_INT) {
		long top = d->size == sizeof(int) ? INT_MAX : LONG_MAX;
		if (!str_to_long(v, &l)) {
			if (integer_text(v)) /* beyond long */
				return too_large(d, v, top, err);
			return error_set(err, "%s must be an integer, got %s", d->what, r);
		}
		if (l > top || l < -top)
			return too_large(d, v, top, err);
		x = (double)l;
	} else {
		/* Python's float() takes "inf" and "nan"; an option never means them */
		if (!str_to_double(v, &x)) {
			char *end;
			double big = strtod(v, &end);
			if (end != v && isinf(big) && !strpbrk(v, "iInN"))
				return out_of_range(d, v, err); /* 1e999 */
			return error_set(err, "%s must be a number, got %s", d->what, r);
		}
		if (!isfinite(x))
			return error_set(err, "%s must be a finite number, got %s", d->what, r);
	}
	if (x < d->min || x > d->max)
		return out_of_range(d, v, err);
	*out = x;
	if (iout)
		*iout = l;
	return 0;
}

static int parse_bool(const char *v, bool *out, struct error *err)
{
	static const char *const words[][2] = {
		{ "yes", "no" }, { "true", "false" }, { "on", "off" }, { "1", "0" }
	};
	char buf[16], r[96];

	if (str_copy(buf, sizeof buf, v)) {
		str_trim(buf);
		for (char *p = buf; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			for (int k = 0; k < 2; k++)
				if (strcmp(buf, words[i][k]) == 0) {
					*out = k == 0;
					return 0;
				}
	}
	opt_quote(r, sizeof r, v);
	return error_set(err, "expected yes or no (true/false, on/off, 1/0), got %s", r);
}

static int parse_choice(const struct opt_def *d, const char *v, int *out, struct error *err)
{
	char r[96], list[256] = "";
	size_t o = 0;

	for (int i = 0; d->choices[i]; i++)
		if (strcmp(v, d->choices[i]) == 0) {
			*out = i;
			return 0;
		}
	for (int i = 0; d->choices[i]; i++)
		o += (size_t)snprintf(list + o, o < sizeof list ? sizeof list - o : 0, "%s'%s'",
		                      i ? ", " : "", d->choices[i]);
	opt_quote(r, sizeof r, v);
	return error_set(err, "invalid choice: %s (choose from %s)", r, list);
}

static int set_path(char *dst, size_t size, const char *v, struct error *err)
{
	if (!*v)
		return error_set(err, "file name is empty");
	if (!str_copy(dst, size, v))
		return error_set(err, "file name is too long (at most %zu bytes)", size - 1);
	return 0;
}

int opt_apply(struct options *o, const struct opt_def *d, const char *val, struct error *err)
{
	double x;
	bool b = true;
	int i;

	if (!val && d->type != OPT_FLAG && !(d->flags & OPTF_OPT_VALUE))
		return error_set(err, "expected one argument");
	switch (d->type) {
	case OPT_ACTION:
		return 0;
	case OPT_FLAG:
		if (val && parse_bool(val, &b, err))
			return -1;
		*(bool *)field(o, d) = b;
		return 0;
	case OPT_INT: {
		long l;
		if (parse_number(d, val, &x, &l, err))
			return -1;
		if (d->size == sizeof(int))
			*(int *)field(o, d) = (int)l; /* within INT_MAX, checked */
		else
			*(long *)field(o, d) = l;
		return 0;
	}
	case OPT_DOUBLE:
		if (parse_number(d, val, &x, NULL, err))
			return -1;
		*(double *)field(o, d) = x;
		return 0;
	case OPT_CHOICE:
		if (parse_choice(d, val, &i, err))
			return -1;
		*(int *)field(o, d) = i;
		return 0;
	case OPT_PATH:
		return set_path(field(o, d), d->size, val, err);
	case OPT_CUSTOM:
		return d->set(o, val, err);
	}
	return error_set(err, "unknown option type");
}

int options_compile_filter(struct procsel_re *re, const char *pattern, struct error *err)
{
	return procsel_compile(re, pattern, err);
}

/* ---- values back to text (the config writer) ---- */

bool opt_format(const struct options *o, const struct opt_def *d, char *buf, size_t size)
{
	const void *f = cfield(o, d);

	switch (d->type) {
	case OPT_FLAG:
		snprintf(buf, size, "%s", *(const bool *)f ? "yes" : "no");
		return true;
	case OPT_INT:
		if (d->size == sizeof(int))
			snprintf(buf, size, "%d", *(const int *)f);
		else
			snprintf(buf, size, "%ld", *(const long *)f);
		/* an integer below its range is "not set" (--count 0: until stopped) */
		return strtod(buf, NULL) >= d->min;
	case OPT_DOUBLE:
		fmt_double(buf, size, *(const double *)f);
		return true;
	case OPT_CHOICE:
		snprintf(buf, size, "%s", d->choices[*(const int *)f]);
		return true;
	case OPT_PATH:
		snprintf(buf, size, "%s", (const char *)f);
		return buf[0] != '\0';
	case OPT_CUSTOM:
		return d->get && d->get(o, buf, size);
	case OPT_ACTION:
		break;
	}
	return false;
}

void options_free(struct options *o)
{
	if (o->has_proc_re)
		procsel_free(&o->proc_re);
	o->has_proc_re = false;
}

bool options_proc_match(const struct options *o, const char *cmdline)
{
	return !o->has_proc_re || procsel_match(&o->proc_re, cmdline);
}
