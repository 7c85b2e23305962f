/* optgen.c - --help and the shell completions, generated from opt_defs[] (nothing here names an
 * option) */
#include "optgen.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "util/str.h"
#include "view/ui.h"

#define HELP_WIDTH  79 /* columns, as argparse wraps for an 80-column terminal */
#define HELP_COLUMN 28

void optgen_wrap(struct strbuf *b, const char *text, const char *prefix, size_t width)
{
	size_t plen = strlen(prefix), col = 0;
	const char *p = text;

	while (*p) {
		size_t w = strcspn(p, " ");
		if (col && col + 1 + w > width) {
			sb_putc(b, '\n');
			col = 0;
		}
		if (!col) {
			sb_puts(b, prefix);
			col = plen;
		} else {
			sb_putc(b, ' ');
			col++;
		}
		sb_add(b, p, w);
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	if (col)
		sb_putc(b, '\n');
}

/* ---- --help ---- */

void optgen_label(const struct opt_def *d, char *buf, size_t size)
{
	size_t n = 0;

	if (d->flags & OPTF_ENV_ONLY) {
		snprintf(buf, size, "%s", d->env);
		return;
	}
	if (d->short_name)
		n += (size_t)snprintf(buf, size, "-%c, ", d->short_name);
	n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "--%s", d->name);
	if (d->type == OPT_CHOICE && !d->metavar) { /* a long list: its metavar, and the help */
		for (int i = 0; d->choices[i] && n < size; i++)
			n += (size_t)snprintf(buf + n, size - n, "%c%s", i ? '|' : ' ',
			                      d->choices[i]);
	} else if (d->metavar && n < size) {
		snprintf(buf + n, size - n, (d->flags & OPTF_OPT_VALUE) ? " [%s]" : " %s",
		         d->metavar);
	}
}

/* "(0.1 to 86400; default 1)", "(at least 1)", "(default gauge)" */
static void range_note(const struct opt_def *d, char *buf, size_t size)
{
	char lo[32], hi[32], def[64] = "";

	buf[0] = '\0';
	if (d->def && d->type != OPT_FLAG && !(d->flags & OPTF_ENV_ONLY))
		snprintf(def, sizeof def, "default %s", d->def);
	if (d->type != OPT_INT && d->type != OPT_DOUBLE) {
		if (def[0])
			snprintf(buf, size, " (%s)", def);
		return;
	}
	fmt_double(lo, sizeof lo, d->min);
	fmt_double(hi, sizeof hi, d->max);
	if (d->max == d->max + 1) /* INFINITY: whatever the field holds */
		snprintf(buf, size, " (at least %s%s%s)", lo, def[0] ? "; " : "", def);
	else
		snprintf(buf, size, " (%s to %s%s%s)", lo, hi, def[0] ? "; " : "", def);
}

/* "  --label     text...", the text from HELP_COLUMN, on the next line when the label is long */
static void help_entry(struct strbuf *b, const char *label, const char *text)
{
	char pad[HELP_COLUMN + 1];
	size_t llen = strlen(label) + 2;
	struct strbuf body;

	memset(pad, ' ', HELP_COLUMN);
	pad[HELP_COLUMN] = '\0';
	sb_init(&body);
	optgen_wrap(&body, text, pad, HELP_WIDTH);
	sb_printf(b, "  %s", label);
	if (llen + 2 > HELP_COLUMN) {
		sb_putc(b, '\n');
		sb_puts(b, body.buf ? body.buf : "\n");
	} else {
		/* the first line's padding replaced by the label */
		sb_puts(b, body.buf ? body.buf + llen : "\n");
	}
	sb_free(&body);
}

static void help_option(struct strbuf *b, const struct opt_def *d)
{
	char label[128], note[96], text[600];
	size_t n;

	optgen_label(d, label, sizeof label);
	range_note(d, note, sizeof note);
	n = strlen(d->help);
	if (note[0] && n && d->help[n - 1] == ')')
		/* "... (profile)" and " (default auto)" become "... (profile; default auto)" */
		snprintf(text, sizeof text, "%.*s; %s", (int)(n - 1), d->help, note + 2);
	else
		snprintf(text, sizeof text, "%s%s", d->help, note);
	n = strlen(text);
	snprintf(text + n, sizeof text - n, "%s%s%s", d->env_alias ? " (also read: " : "",
	         d->env_alias ? d->env_alias : "", d->env_alias ? ")" : "");
	help_entry(b, label, text);
}

static void help_aliases(struct strbuf *b)
{
	char label[96], text[128];

	sb_puts(b, "\nAliases (the original agtop's spellings):\n");
	for (size_t i = 0; i < opt_count; i++)
		if (opt_defs[i].alias) {
			snprintf(label, sizeof label, "--%s", opt_defs[i].alias);
			snprintf(text, sizeof text, "the same as --%s", opt_defs[i].name);
			help_entry(b, label, text);
		}
	sb_putc(b, '\n');
	optgen_wrap(b,
	            "A long option may be shortened to a unique prefix; a flag also takes =yes or "
	            "=no (--show-cores=no overrides the config file).",
	            "", HELP_WIDTH);
}

void optgen_help(struct strbuf *b)
{
	sb_puts(b, "usage: agtop [options]\n"
	           "       agtop run [options] -- command [args...]\n\n");
	optgen_wrap(b,
	            "agtop shows what an Apple Silicon Mac or a Linux machine is doing, live and "
	            "without sudo: CPU clusters and cores, GPU, neural engine, power, memory and "
	            "swap, memory bandwidth, temperatures and thermal pressure, and the busiest "
	            "processes. It can also write the samples as JSON lines, record and replay "
	            "them, and serve them to Prometheus. agtop run starts a command, samples while "
	            "it runs and prints what it cost (time, energy, peaks).",
	            "", HELP_WIDTH);
	for (int g = 0; g < OPT_GROUP_COUNT; g++) {
		sb_printf(b, "\n%s:\n", opt_group_names[g]);
		for (size_t i = 0; i < opt_count; i++)
			if ((int)opt_defs[i].group == g)
				help_option(b, &opt_defs[i]);
		if (g == OPT_GROUP_GENERAL)
			help_aliases(b);
	}
	sb_puts(b, "\nKeys in the dashboard (? shows them there too):\n");
	{
		size_t n;
		const struct key_def *k = ui_keymap(UI_NORMAL, &n);
		for (size_t i = 0; i < n; i++)
			if (k[i].name)
				help_entry(b, k[i].name, k[i].does);
	}
	sb_puts(b, "\nFiles:\n");
	help_entry(b, "$XDG_CONFIG_HOME/agtop/agtop.conf, else ~/.config/agtop/agtop.conf",
	           "defaults for every option, one \"name = value\" line each (interval = 0.5; "
	           "show-cores = yes; # comments); the environment and the command line "
	           "override them; --write-config saves them");
	sb_puts(b, "\n");
	optgen_wrap(b,
	            "Exit status: 0 normal, 1 runtime error, 2 usage error, 130 interrupted "
	            "(Ctrl-C), 128+N ended by signal N (SIGTERM 143, SIGHUP 129).",
	            "", HELP_WIDTH);
}

/* ---- completions ---- */

/* The help up to its first ';' or " (", for a completion menu. */
static void short_help(const struct opt_def *d, char *buf, size_t size)
{
	const char *semi = strchr(d->help, ';'), *paren = strstr(d->help + 1, " (");
	size_t n = strlen(d->help);

	if (semi && (size_t)(semi - d->help) < n)
		n = (size_t)(semi - d->help);
	if (paren && (size_t)(paren - d->help) < n)
		n = (size_t)(paren - d->help);
	snprintf(buf, size, "%.*s", (int)n, d->help);
}

static bool completes(const struct opt_def *d)
{
	return !(d->flags & OPTF_ENV_ONLY);
}

/* the words a value may be: the choices, or the table's own list */
static void value_words(const struct opt_def *d, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (d->type == OPT_CHOICE)
		for (int i = 0; d->choices[i] && n < size; i++)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : "",
			                      d->choices[i]);
	else if (d->words)
		snprintf(buf, size, "%s", d->words);
}

/* text inside '...' for a shell: ' becomes '\'' */
static void sq(struct strbuf *b, const char *s)
{
	for (; *s; s++)
		if (*s == '\'')
			sb_puts(b, "'\\''");
		else
			sb_putc(b, *s);
}

/* the option's spellings as a bash case pattern: "--max-count | --max_count" */
static void bash_pattern(struct strbuf *b, const struct opt_def *d, bool *first)
{
	sb_printf(b, "%s--%s", *first ? "\t" : " | ", d->name);
	if (d->alias)
		sb_printf(b, " | --%s", d->alias);
	*first = false;
}

static bool takes_value(const struct opt_def *d)
{
	return d->type != OPT_FLAG && d->type != OPT_ACTION && !(d->flags & OPTF_OPT_VALUE);
}

/* One case arm for the options whose value completes as kind says (file, or nothing). */
static void bash_arm(struct strbuf *b, enum opt_complete kind, const char *action)
{
	bool first = true;

	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		char words[256];
		value_words(d, words, sizeof words);
		if (completes(d) && takes_value(d) && !words[0] && d->complete == kind)
			bash_pattern(b, d, &first);
	}
	if (!first)
		sb_printf(b, ")\n%s\t\treturn\n\t\t;;\n", action);
}

static void completion_bash(struct strbuf *b)
{
	char words[256];

	sb_puts(b, "# bash completion for agtop, generated from its option table "
	           "(agtop --completions bash)\n"
	           "_agtop() {\n"
	           "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= IFS=$'\\n'\n"
	           "\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	           "\t# --name=value: bash splits the word at '='\n"
	           "\tif [ \"$cur\" = \"=\" ]; then\n"
	           "\t\tcur=\n"
	           "\telif [ \"$prev\" = \"=\" ] && [ \"$COMP_CWORD\" -gt 1 ]; then\n"
	           "\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n"
	           "\tfi\n"
	           "\tcase $prev in\n");
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		bool first = true;
		value_words(d, words, sizeof words);
		if (!completes(d) || !takes_value(d) || !words[0])
			continue;
		bash_pattern(b, d, &first);
		sb_printf(b,
		          ")\n\t\tCOMPREPLY=($(IFS=' '; compgen -W '%s' -- \"$cur\"))\n"
		          "\t\treturn\n\t\t;;\n",
		          words);
	}
	bash_arm(b, OPT_COMPLETE_FILE,
	         "\t\tcompopt -o filenames 2>/dev/null\n"
	         "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n");
	bash_arm(b, OPT_COMPLETE_NONE, "\t\tCOMPREPLY=() # a number or a pattern\n");
	sb_puts(b, "\tesac\n\tCOMPREPLY=($(IFS=' '; compgen -W '");
	for (size_t i = 0, n = 0; i < opt_count; i++)
		if (completes(&opt_defs[i]))
			sb_printf(b, "%s--%s", n++ ? " " : "", opt_defs[i].name);
	sb_puts(b, "' -- \"$cur\"))\n}\ncomplete -F _agtop agtop\n");
}

/* zsh _arguments: ']' ':' and '\' are special inside a spec */
static void zsh_text(struct strbuf *b, const char *s)
{
	char esc[2] = { 0, 0 };

	for (; *s; s++) {
		if (*s == ']' || *s == ':' || *s == '\\' || *s == '[')
			sb_putc(b, '\\');
		esc[0] = *s;
		sq(b, esc);
	}
}

static void completion_zsh(struct strbuf *b)
{
	char help[256], words[256];

	sb_puts(b, "#compdef agtop\n"
	           "# zsh completion for agtop, generated from its option table "
	           "(agtop --completions zsh)\n"
	           "_arguments -s \\\n");
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		if (!completes(d))
			continue;
		short_help(d, help, sizeof help);
		value_words(d, words, sizeof words);
		sb_puts(b, "\t'");
		if (d->action != OPT_ACT_NONE)
			sb_puts(b, "(- *)");
		sb_printf(b, "--%s", d->name);
		if (d->type != OPT_FLAG && d->type != OPT_ACTION)
			sb_puts(b, (d->flags & OPTF_OPT_VALUE) ? "=-" : "=");
		sb_puts(b, "[");
		zsh_text(b, help);
		sb_puts(b, "]");
		if (d->type != OPT_FLAG && d->type != OPT_ACTION) {
			sb_puts(b, (d->flags & OPTF_OPT_VALUE) ? "::" : ":");
			zsh_text(b, d->metavar ? d->metavar : d->name);
			if (d->complete == OPT_COMPLETE_FILE)
				sb_puts(b, ":_files");
			else if (words[0])
				sb_printf(b, ":(%s)", words);
			else
				sb_puts(b, ": ");
		}
		sb_puts(b, "' \\\n");
		if (d->short_name) {
			sb_printf(b, "\t'(- *)-%c[", d->short_name);
			zsh_text(b, help);
			sb_puts(b, "]' \\\n");
		}
	}
	sb_puts(b, "\t&& return 0\n");
}

static void completion_fish(struct strbuf *b)
{
	char help[256], words[256];

	sb_puts(b, "# fish completion for agtop, generated from its option table "
	           "(agtop --completions fish)\n"
	           "complete -c agtop -f\n");
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_defs[i];
		if (!completes(d))
			continue;
		short_help(d, help, sizeof help);
		value_words(d, words, sizeof words);
		sb_puts(b, "complete -c agtop");
		if (d->short_name)
			sb_printf(b, " -s %c", d->short_name);
		sb_printf(b, " -l %s", d->name);
		if (d->complete == OPT_COMPLETE_FILE)
			sb_puts(b, " -r -F");
		else if (words[0])
			sb_printf(b, " -x -a '%s'", words);
		else if (d->type != OPT_FLAG && d->type != OPT_ACTION &&
		         !(d->flags & OPTF_OPT_VALUE))
			sb_puts(b, " -x");
		sb_puts(b, " -d '");
		sq(b, help);
		sb_puts(b, "'\n");
	}
}

void optgen_completion(struct strbuf *b, enum opt_shell shell)
{
	switch (shell) {
	case OPT_SHELL_BASH:
		completion_bash(b);
		break;
	case OPT_SHELL_ZSH:
		completion_zsh(b);
		break;
	case OPT_SHELL_FISH:
		completion_fish(b);
		break;
	}
}
